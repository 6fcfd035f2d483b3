"""axe-core finds nothing on every page the build writes, not only on one page of each template: a contributed
table, a long title or an odd council's figures can break a page its template's sample passes. One browser
page walks the whole example site (the examples and a library long enough to run to second pages), served by
the app under its Content Security Policy. The walk is cut into parts, so that `make test`'s two processes
share it."""

from __future__ import annotations

from pathlib import Path

import pytest

from tests.factories import axe_violations

pytestmark = pytest.mark.browser


def built_pages(site: Path) -> list[str]:
    """The address of every HTML page in the built site."""
    out = []
    for path in site.rglob("*.html"):
        rel = path.relative_to(site).as_posix()
        out.append("/" + (rel.removesuffix("index.html") if path.name == "index.html" else rel))
    return sorted(out)


PARTS = 4


@pytest.mark.timeout(600)  # about 110 pages, one after another
@pytest.mark.parametrize("part", range(PARTS))
def test_every_built_page_has_no_axe_violations(part, page, library_server, library_site):
    addresses = built_pages(library_site)
    assert len(addresses) > 300 and "/tools/reserves-checklist/" in addresses and "/councils/abe/" in addresses
    found = []
    addresses = addresses[part::PARTS]
    for address in addresses:
        response = page.goto(library_server.url + address)
        assert response.ok or address == "/404.html", address
        found += [f"{address}: {v['id']} {v['nodes']}" for v in axe_violations(page)]
    assert not found, f"{len(found)} violations on {len(addresses)} pages:\n" + "\n".join(found[:50])
