"""A build renders again only the pages that changed since the last one, and the site is the same as if it had
rendered every page (generator/rerender.py); whatever it cannot be sure of, it renders in full."""

from __future__ import annotations

import datetime as dt
import shutil
from pathlib import Path

import pytest

from functions.settings import ROOT
from generator import rerender
from generator.build import build
from generator.content.library import load
from tests.factories import COUNCILS, EXAMPLES

TODAY = dt.date(2026, 11, 27)
URL = "https://exchange.example"


def tree(site: Path) -> dict[str, bytes]:
    """Every file of a site and its bytes, but the stamp that names the build that wrote it."""
    return {p.relative_to(site).as_posix(): p.read_bytes() for p in site.rglob("*") if p.is_file() and p.name != rerender.STAMP}


class Work:
    def __init__(self, tmp: Path, package: Path):
        self.tmp, self.package = tmp, package
        self.content = tmp / "content"
        shutil.copytree(EXAMPLES / "content", self.content)

    def build(self, name: str = "kept", package: bool = True, site_url: str = URL, full: bool = False):
        lib = load(self.content, EXAMPLES / "questionnaire", COUNCILS)
        assert not lib.problems, [str(p) for p in lib.problems]
        return build(
            lib, ROOT, self.tmp / name / "build" / "docs", self.site(name), self.content, today=TODAY, site_url=site_url,
            benchmarks_dir=self.package if package else None, full=full,
        )  # fmt: skip

    def site(self, name: str = "kept") -> Path:
        return self.tmp / name / "site"


@pytest.fixture
def work(tmp_path, benchmark_package) -> Work:
    """The examples built once without benchmarks, as the night before the first package."""
    w = Work(tmp_path, benchmark_package)
    first = w.build(package=False)
    assert first.rendered is None  # nothing before it: every page
    return w


def test_the_nightly_package_renders_again_only_its_pages_and_the_site_is_as_a_full_build_makes_it(work):
    result = work.build()
    assert result.rendered is not None and result.rendered < result.pages / 2, (result.rendered, result.pages)
    benchmarks = work.site() / "benchmarks" / "index.html"
    assert "No benchmarks are published yet" not in benchmarks.read_text(encoding="utf-8")
    full = work.build("full", full=True)
    assert full.rendered is None
    assert full.pages == result.pages
    kept, fresh = tree(work.site()), tree(work.site("full"))
    assert kept.keys() == fresh.keys()
    assert [rel for rel in kept if kept[rel] != fresh[rel]] == []


def test_a_changed_resource_is_rendered_again_and_nothing_else_differs_from_a_full_build(work):
    page = work.content / "guidance" / "budget-consultation.md"
    page.write_text(page.read_text(encoding="utf-8") + "\n## Since the review\n\nA sentence added by an editor.\n", encoding="utf-8")
    again = work.build(package=False)
    assert again.rendered is not None
    built = (work.site() / "guidance" / page.stem / "index.html").read_text(encoding="utf-8")
    assert "A sentence added by an editor." in built
    work.build("full", package=False, full=True)
    kept, fresh = tree(work.site()), tree(work.site("full"))
    assert kept.keys() == fresh.keys()
    assert [rel for rel in kept if kept[rel] != fresh[rel]] == []


def test_nothing_changed_renders_only_the_navigation_and_leaves_the_site_as_it_was(work):
    page = sorted((work.content / "guidance").glob("*.md"))[0]
    text = page.read_text(encoding="utf-8")
    page.write_text(text.replace("\nlicence:", "\nredirect_from:\n  - /guidance/an-old-name/\nlicence:", 1), encoding="utf-8")
    work.build(package=False)
    before = tree(work.site())
    assert "guidance/an-old-name/index.html" in before
    again = work.build(package=False)  # the last build's redirect page is in the site it keeps, and is written again
    assert again.rendered is not None and again.rendered <= 25  # the pages mkdocs.yml's nav lists
    assert tree(work.site()) == before


def test_a_page_at_an_address_the_last_build_redirected_is_rendered_there(work):
    page = sorted((work.content / "guidance").glob("*.md"))[0]
    text = page.read_text(encoding="utf-8")
    page.write_text(text.replace("\nlicence:", "\nredirect_from:\n  - /guidance/an-old-name/\nlicence:", 1), encoding="utf-8")
    work.build(package=False)
    page.write_text(text, encoding="utf-8")
    (work.content / "guidance" / "an-old-name.md").write_text(text.replace(page.stem, "an-old-name"), encoding="utf-8")
    again = work.build(package=False)
    assert again.rendered is not None
    work.build("full", package=False, full=True)
    kept, fresh = tree(work.site()), tree(work.site("full"))
    assert b"tie-contributed" in kept["guidance/an-old-name/index.html"]  # the page itself, not a redirect
    assert kept.keys() == fresh.keys()
    assert [rel for rel in kept if kept[rel] != fresh[rel]] == []


def test_a_page_gone_renders_every_page_and_its_html_is_gone(work):
    page = sorted((work.content / "guidance").glob("*.md"))[0]
    page.unlink()
    again = work.build(package=False)
    assert again.rendered is None
    assert not (work.site() / "guidance" / page.stem / "index.html").exists()


def test_only_the_same_frame_and_the_site_the_last_build_wrote_are_kept(work):
    build_dir, site = work.tmp / "kept" / "build", work.site()
    frame = rerender.frame(ROOT / "mkdocs.yml", URL, _version(), False)
    assert rerender.last(build_dir, site, frame) is not None
    assert rerender.last(build_dir, site, rerender.frame(ROOT / "mkdocs.yml", "https://other.example", _version(), False)) is None
    assert rerender.last(build_dir, site, rerender.frame(ROOT / "mkdocs.yml", URL, _version(), True)) is None  # the editor on
    assert rerender.last(build_dir, work.site("elsewhere"), frame) is None
    (site / rerender.STAMP).write_text("another build", encoding="utf-8")
    assert rerender.last(build_dir, site, frame) is None
    assert work.build(package=False).rendered is None


def test_a_failed_build_leaves_no_record_and_the_next_renders_every_page(work, monkeypatch):
    from generator import build as build_module

    def broken(*args, **kwargs):
        raise OSError("disk full")

    monkeypatch.setattr(build_module.feed, "write", broken)
    with pytest.raises(OSError):
        work.build(package=False)
    assert not (work.tmp / "kept" / "build" / rerender.STATE).exists()
    monkeypatch.undo()
    assert work.build(package=False).rendered is None


def test_changed_navigation_titles_render_every_page(work):
    """The navigation's titles are every page's: when they are not the last build's, every page is rendered."""
    from generator.build import render_and_count

    docs, site = work.tmp / "kept" / "build" / "docs", work.site()
    last = rerender.last(docs.parent, site, rerender.frame(ROOT / "mkdocs.yml", URL, _version(), False))
    assert last is not None
    _, nav, everything = render_and_count(str(ROOT / "mkdocs.yml"), str(docs), str(site), "0" * 32, URL, _version(), frozenset(), [["index.md", "Another title"]])  # fmt: skip
    assert everything
    assert nav == last.nav


def _version() -> str | None:
    from model.register import load as load_register

    reg = load_register(COUNCILS)
    return reg.version.label if reg.version else None
