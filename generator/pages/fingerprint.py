"""The site's own styles and scripts named by their content (exchange.3f2a9c1b.css), so browsers may keep them for a year.

Material names its own assets so already (main.57a0d79d.min.css). A file whose name carries the hash
of its content never changes under that name: the app and static hosts mark it immutable
(`model.site.cache_control`), and a new build that changes the file links a new name from pages,
which are always revalidated. Why names and not query strings: docs/decisions/0007-fingerprinted-assets.md.
"""

from __future__ import annotations

import hashlib
import shutil
from pathlib import Path

from model.site import FINGERPRINT_LENGTH


def fingerprinted(path: Path) -> Path:
    """The name `path` has with its content's hash before its suffix."""
    digest = hashlib.sha256(path.read_bytes()).hexdigest()[:FINGERPRINT_LENGTH]
    return path.with_name(f"{path.stem}.{digest}{path.suffix}")


def fingerprint(docs: Path, rel: str) -> str:
    """Copy docs/`rel` beside itself under its fingerprinted name; that name, relative as `rel` was.

    The file keeps its plain name too: the app's own templates link some of them so, and those
    responses are revalidated like pages."""
    source = docs / rel
    target = fingerprinted(source)
    if not target.exists():
        shutil.copy2(source, target)
    return str(Path(rel).with_name(target.name).as_posix())
