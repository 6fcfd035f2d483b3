"""The files the web asks every site for at its root: robots.txt, pointing at the sitemap, and favicon.ico; and
the cache lifetimes static hosts are to give the site's files (_headers).

robots.txt and favicon.ico are written into build/docs, so that MkDocs copies them into the site as they are. The sitemap
itself is MkDocs' (its template is overridden in generator/overrides/sitemap.xml), made from the
site's address that the build passes to MkDocs.
"""

from __future__ import annotations

import struct
import zlib

from model.site import FINGERPRINTED, IMMUTABLE, MEDIA_TYPES, REVALIDATE

ROBOTS_FILE = "robots.txt"
FAVICON_FILE = "favicon.ico"
# Crawlers stay out of the app and its API: sign-in, the self-assessment and the JSON API are for
# people who belong to a council, and a crawler following their links would only meet sign-in pages.
PRIVATE = ("/app/", "/api/")


def robots(site_url: str) -> str:
    lines = ["User-agent: *", *(f"Disallow: {path}" for path in PRIVATE), "", f"Sitemap: {site_url.rstrip('/')}/sitemap.xml"]
    return "\n".join(lines) + "\n"


# The icon: the site's header colour (generator/assets/exchange.css, --md-primary-fg-color) in a
# rounded square, with a white T. Drawn here rather than kept as a binary file, so it is reviewable.
HEADER_BLUE = (0x1D, 0x4E, 0x89)
WHITE = (0xFF, 0xFF, 0xFF)
SIZES = (16, 32, 48)  # what browsers and operating systems ask an .ico for


def _pixel(x: float, y: float, size: int) -> tuple[int, int, int, int]:
    """The colour at (x, y) of an icon `size` pixels wide, in units of a 16-pixel grid."""
    u, v = x * 16 / size, y * 16 / size
    radius = 3.0
    cx, cy = min(max(u, radius), 16 - radius), min(max(v, radius), 16 - radius)
    if (u - cx) ** 2 + (v - cy) ** 2 > radius**2:
        return (0, 0, 0, 0)  # outside the rounded corners: transparent
    bar = 3.5 <= v < 6 and 3.5 <= u < 12.5
    stem = 6 <= v < 12.5 and 6.75 <= u < 9.25
    return (*(WHITE if bar or stem else HEADER_BLUE), 255)


def _png(size: int) -> bytes:
    rows = b"".join(b"\x00" + bytes(c for x in range(size) for c in _pixel(x + 0.5, y + 0.5, size)) for y in range(size))

    def chunk(kind: bytes, data: bytes) -> bytes:
        return struct.pack(">I", len(data)) + kind + data + struct.pack(">I", zlib.crc32(kind + data))

    header = struct.pack(">IIBBBBB", size, size, 8, 6, 0, 0, 0)  # 8-bit RGBA
    return b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", header) + chunk(b"IDAT", zlib.compress(rows, 9)) + chunk(b"IEND", b"")


def favicon() -> bytes:
    """An .ico holding the icon at each of SIZES, each as a PNG (which every current browser reads in an .ico)."""
    images = [_png(size) for size in SIZES]
    out = struct.pack("<HHH", 0, 1, len(images))
    offset = 6 + 16 * len(images)
    for size, image in zip(SIZES, images, strict=True):
        out += struct.pack("<BBBBHHII", size % 256, size % 256, 0, 0, 1, 32, len(image), offset)
        offset += len(image)
    return out + b"".join(images)


def write(docs, site_url: str) -> None:
    """Write robots.txt and favicon.ico into the Markdown folder, for MkDocs to copy into the site."""
    (docs / ROBOTS_FILE).write_text(robots(site_url), encoding="utf-8")
    (docs / FAVICON_FILE).write_bytes(favicon())


def headers(site) -> str:
    """What static hosts that read a _headers file (Netlify's and Cloudflare's format) add to the security headers
    csp.py writes there: the same cache lifetimes and feed media type the app gives (functions/web/delivery.py).
    Every fingerprinted file is named, since a pattern cannot say "a hash in the name"."""
    blocks = [f"/*\n  Cache-Control: {REVALIDATE}\n"]
    assets = site / "assets"
    for file in sorted(assets.rglob("*")) if assets.is_dir() else ():
        address = "/" + file.relative_to(site).as_posix()
        if FINGERPRINTED.match(address) and file.is_file():
            blocks.append(f"{address}\n  ! Cache-Control\n  Cache-Control: {IMMUTABLE}\n")
    for address, media_type in MEDIA_TYPES.items():
        blocks.append(f"{address}\n  ! Content-Type\n  Content-Type: {media_type}\n")
    return "".join(blocks)


def add_headers(site) -> None:
    """Append `headers` to the site's _headers file (written first by generator/safe/csp.py)."""
    path = site / "_headers"
    existing = path.read_text(encoding="utf-8") if path.is_file() else ""
    path.write_text(existing + headers(site), encoding="utf-8")
