"""The optional editor interface (Decap CMS) for people who do not use git: its configuration, generated from the
same field definitions the checks use (generator/content/fields.py), so the editor and `tie check` cannot drift apart.

Off by default; TIE_EDITOR=1 builds it into site/admin/. Changes made in it arrive as pull requests
(publish_mode: editorial_workflow), where `tie check` runs like on any other. Decap's JavaScript is
served from the site itself, from the npm package pinned in package-lock.json (`make editor`).
"""

from __future__ import annotations

import shutil
from dataclasses import dataclass
from pathlib import Path

import yaml

from generator.content.fieldcheck import ADDRESS, EMAIL
from generator.content.fields import CONTACT_FIELDS, Field, fields_for
from generator.content.kinds import KINDS, Kind
from generator.content.library import Library
from model.site import ADMIN_POLICY

ADMIN = "admin"
DIST = Path("node_modules/decap-cms/dist")  # under the project root, after `make editor`
SCRIPT = DIST / "decap-cms.js"
# The checks' own patterns (each also valid as a JavaScript regular expression, which Decap uses).
EMAIL_PATTERN = EMAIL.pattern
ADDRESS_PATTERN = ADDRESS.pattern
URL_PATTERN = r"^https://[^\s/]+\.[^\s]+$"  # as generator/content/fieldcheck.py checks a url field

INDEX = """<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<meta name="robots" content="noindex">
<title>Editor - Transformation and Innovation Exchange</title>
<link href="config.yml" type="text/yaml" rel="cms-config-url">
</head>
<body>
<noscript><p>The editor needs JavaScript. You can also propose changes by pull request: see the contributing guide at /contribute/.</p></noscript>
<script src="decap-cms.js"></script>
</body>
</html>
"""


class EditorError(Exception):
    """The editor cannot be built; the message says what to do."""


@dataclass(frozen=True)
class Backend:
    """Where the editor saves: a GitHub repository, its branch, and the OAuth service that signs editors in."""

    repo: str
    branch: str = "main"
    auth_url: str | None = None  # base_url of the OAuth proxy; None: Decap's default (Netlify)
    site_url: str | None = None


def _options(terms) -> list[dict]:
    return [{"label": label, "value": value} for value, label in terms]


def widget(f: Field, kind: str, lib: Library) -> dict:
    """The Decap field for one front-matter field: its type as a widget, its vocabulary as options."""
    out: dict = {"label": f.name.replace("_", " ").capitalize(), "name": f.name, "hint": f.description, "required": f.required(kind)}
    if f.type in ("text", "email", "url"):
        out["widget"] = "string"
        if f.type == "email":
            out["pattern"] = [EMAIL_PATTERN, "An email address"]
        elif f.type == "url":
            out["pattern"] = [URL_PATTERN, "An https:// address"]
        elif f.max_length:
            out["pattern"] = [f"^[^\\n]{{0,{f.max_length}}}$", f"One line, at most {f.max_length} characters"]
    elif f.type == "longtext":
        out["widget"] = "text"
        if f.max_length:
            out["pattern"] = [f"^[\\s\\S]{{0,{f.max_length}}}$", f"At most {f.max_length} characters"]
    elif f.type == "date":
        # Saved as a plain YYYY-MM-DD, which YAML reads back as a date, as the checks expect.
        out.update(widget="datetime", format="YYYY-MM-DD", date_format="YYYY-MM-DD", time_format=False, picker_utc=True)
    elif f.type in ("terms", "term"):
        out.update(widget="select", options=_options((t.id, t.label) for t in f.vocabulary.terms), multiple=f.type == "terms")
    elif f.type == "council":
        councils = sorted(lib.register.councils.values(), key=lambda c: c.name) if lib.register else []
        out.update(widget="select", options=_options((c.code, f"{c.name} ({c.code})") for c in councils))
    elif f.type == "statements":
        # every statement id of every edition, as the check accepts; the newest edition's wording
        texts = {s.id: s.text for _, e in sorted(lib.editions.items()) for s in e.statements}
        out.update(widget="select", multiple=True, options=_options((i, f"{i}: {t}") for i, t in sorted(texts.items())))
    elif f.type == "bool":
        out.update(widget="boolean", default=False)
    elif f.type == "contact":
        out.update(
            widget="object",
            fields=[
                {"label": "Name", "name": "name", "widget": "string", "hint": CONTACT_FIELDS["name"], "required": True},
                {
                    "label": "Email",
                    "name": "email",
                    "widget": "string",
                    "hint": CONTACT_FIELDS["email"],
                    "required": True,
                    "pattern": [EMAIL_PATTERN, "An email address"],
                },
            ],
        )
    elif f.type == "addresses":
        out.update(
            widget="list",
            field={"label": "Old address", "name": "address", "widget": "string", "pattern": [ADDRESS_PATTERN, "An address like /guidance/old-name/"]},
        )
    else:  # a new field type must be given a widget here; the tests name the field that lacks one
        raise EditorError(f"{f.name}: expected a field type the editor knows, got {f.type!r}")
    return out


def collection(kind: Kind, lib: Library) -> dict:
    """One collection per kind: its folder of content, and exactly the fields the checks allow for it."""
    return {
        "name": kind.id,
        "label": kind.plural,
        "label_singular": kind.label,
        "description": kind.description,
        "folder": f"content/{kind.folder}",
        "create": True,
        "slug": "{{slug}}",
        "extension": "md",
        "format": "frontmatter",
        "summary": "{{title}}",
        # images and documents sit beside the resources that use them, as tie check expects
        "media_folder": "",
        "public_folder": "",
        "fields": [widget(f, kind.id, lib) for f in fields_for(kind.id)]
        + [{"label": "Body", "name": "body", "widget": "markdown", "hint": "The resource itself, in Markdown."}],
    }


def config(lib: Library, backend: Backend) -> dict:
    """Decap's configuration (config.yml) for every kind of resource."""
    github: dict = {"name": "github", "repo": backend.repo, "branch": backend.branch}
    if backend.auth_url:
        github["base_url"] = backend.auth_url
    out: dict = {
        "backend": github,
        "publish_mode": "editorial_workflow",  # every change becomes a pull request, checked and reviewed
        "media_folder": "content/guidance",  # required at the top level; each collection keeps its own beside its entries
        "public_folder": "",
        "collections": [collection(k, lib) for k in KINDS],
    }
    if backend.site_url:
        out["site_url"] = out["display_url"] = backend.site_url
    return out


def ready(root: Path, backend: Backend) -> None:
    """Raise EditorError, saying what to do, unless the editor can be built (checked before the build starts)."""
    if not (root / SCRIPT).is_file():
        raise EditorError(f"editor: expected Decap CMS at {SCRIPT}, got nothing; run `make editor` (it installs the pinned npm package)")
    if not backend.repo or backend.repo.count("/") != 1:
        raise EditorError(f"TIE_EDITOR_REPO: expected the GitHub repository as owner/name, got {backend.repo!r}")


def write(site: Path, root: Path, lib: Library, backend: Backend) -> Path:
    """Write site/admin/: the page, its configuration and Decap's script (from node_modules)."""
    ready(root, backend)
    script = root / SCRIPT
    admin = site / ADMIN
    admin.mkdir(parents=True, exist_ok=True)
    (admin / "index.html").write_text(INDEX, encoding="utf-8")
    (admin / "config.yml").write_text(
        "# Made by `tie build` from generator/content/fields.py; edit the field definitions there, not this file.\n"
        + yaml.safe_dump(config(lib, backend), sort_keys=False, allow_unicode=True, width=120),
        encoding="utf-8",
    )
    # the script and the chunks and WebAssembly it loads from beside itself; not the source maps,
    # nor the second build of the same script under the name cms.js
    for file in script.parent.iterdir():
        if file.is_file() and (file.name.endswith("decap-cms.js") or file.suffix == ".wasm"):
            shutil.copy2(file, admin / file.name)
    headers = site / "_headers"
    if headers.is_file():  # static hosts that read _headers: the editor's looser policy on its pages only
        block = f"\n/{ADMIN}/*\n  ! Content-Security-Policy\n  Content-Security-Policy: {ADMIN_POLICY}\n"
        headers.write_text(headers.read_text(encoding="utf-8") + block, encoding="utf-8")
    return admin
