"""`tie build`: MkDocs strict, banners, related resources, the sanitised contributed part, the search index, CSP."""

from __future__ import annotations

import datetime as dt
import re
import shutil
from pathlib import Path

import pytest
import yaml

from functions.settings import ROOT
from generator.build import BuildError, build
from generator.content.library import load
from generator.pages.mdtext import front_matter
from generator.pages.resource_page import START
from generator.safe import mdsafe, sanitise
from model import search as ms
from model import site as built
from tests.factories import COUNCILS, EXAMPLES

TODAY = dt.date(2026, 11, 27)  # fixed, so which pages are due for review does not depend on the day the tests run
ODD = """---
title: "Budgets & <5% reserves \\"explained\\""
summary: "Less than < more & 'quoted'"
themes: [financial-planning]
published: 2026-02-01
review_by: 2027-02-01
contact:
  name: "Ann O'Neil & team"
  email: ann@example.gov.uk
licence: OGL-UK-3.0
---
A claim[^src] with a footnote.

## A heading {#odd .wide}

[^src]: Its source, with [a link](https://www.gov.uk/).
"""


RICH = """---
title: Everything Markdown can do here
summary: A page using each construct contributors may use.
themes: [governance]
published: 2026-02-01
review_by: 2027-02-01
contact:
  name: Team
  email: team@example.gov.uk
licence: OGL-UK-3.0
---
!!! warning "Before you start"
    Read the *policy*.

??? note "More detail"
    Hidden until opened.

```python title="check.py"
total = 1 + 2
```

| Item | Cost |
|:-----|-----:|
| Tea  | 2    |

Term
:   Its meaning.

The MTFP[^1] uses <kbd>Ctrl</kbd>, H<sub>2</sub>O and x<sup>2</sup>.

*[MTFP]: Medium-term financial plan

[Start a review](../../library/){ .md-button }

[^1]: A footnote.
"""


def html_of(site: Path, address: str) -> str:
    return (site / address.strip("/") / "index.html").read_text(encoding="utf-8")


def contributed_part(page: str) -> str:
    """The inside of the sanitised part: from its opening div to the matching close (the sanitiser balances tags)."""
    start = page.index('<div class="tie-contributed">') + len('<div class="tie-contributed">')
    depth = 1
    for tag in re.finditer(r"<(/?)div\b", page[start:]):
        depth += -1 if tag.group(1) else 1
        if depth == 0:
            return page[start : start + tag.start()]
    raise AssertionError("the contributed part is not closed")


@pytest.fixture(scope="module")
def site(tmp_path_factory) -> Path:
    """The example content plus one resource with awkward characters and footnotes, built for a fixed day."""
    tmp = tmp_path_factory.mktemp("build")
    content = tmp / "content"
    shutil.copytree(EXAMPLES / "content", content)
    (content / "guidance" / "odd-characters.md").write_text(ODD, encoding="utf-8")
    (content / "guidance" / "rich.md").write_text(RICH, encoding="utf-8")
    lib = load(content, EXAMPLES / "questionnaire", COUNCILS)
    assert lib.problems == []
    result = build(lib, ROOT, tmp / "build" / "docs", tmp / "site", content, today=TODAY)
    assert result.pages == sum(1 for _ in (tmp / "site").rglob("index.html"))  # counted, not walked
    return tmp / "site"


def test_an_example_case_study_carries_the_example_banner(site):
    page = html_of(site, "/case-studies/front-door/")
    assert (
        '<div class="tie-banner tie-banner--example" role="note"><p><strong>Example case study.</strong>'
        in page
    )


def test_a_resource_past_its_review_date_carries_the_review_banner(site):
    page = html_of(site, "/case-studies/front-door/")  # review_by 2026-06-01
    assert "<strong>Due for review.</strong> This page was due to be reviewed by 1 June 2026." in page
    assert 'check with <a href="mailto:customers@example.gov.uk">Customer services</a>' in page


def test_a_current_resource_carries_neither_banner(site):
    page = html_of(site, "/guidance/budget-consultation/")
    assert "tie-banner" not in page


def test_related_resources_appear_and_their_links_lead_to_pages(site):
    page = html_of(site, "/guidance/budget-consultation/")
    related = page.split('<section class="tie-related"', 1)[1].split("</section>", 1)[0]
    links = re.findall(r'<a href="([^"#]+)"', related)
    assert "../../tools/reserves-checklist/" in links
    for link in links:
        assert (site / "guidance" / "budget-consultation" / link / "index.html").resolve().is_file(), link


def test_the_search_index_is_built_from_the_library_beside_the_search_page(site):
    index = ms.Index(site / "search")
    assert index.manifest["documents"] == 8  # the six examples and the two resources added here
    assert (site / "search" / "index.html").is_file()
    [(best, _), *_] = ms.search(index, "reserves")
    assert index.document(best)[:2] == ["tools/reserves-checklist/", "Reserves policy checklist"]


def test_pages_carry_no_markup_for_the_search_index(site):
    for address in ("/guidance/budget-consultation/", "/library/", "/search/"):
        assert "pagefind" not in html_of(site, address)
    assert not (site / "pagefind").exists()


def test_titles_and_summaries_are_escaped_wherever_material_prints_them(site):
    page = html_of(site, "/guidance/odd-characters/")
    title = "Budgets &amp; &lt;5% reserves &quot;explained&quot;"
    assert f"<title>{title} - Transformation and Innovation Exchange</title>" in page
    assert '<meta name="description" content="Less than &lt; more &amp; &#x27;quoted&#x27;">' in page
    header = page.split('data-md-component="header-topic"', 1)[1].split("</span>", 1)[0]
    assert title in header
    assert 'Budgets &amp; &lt;5% reserves "explained"<a class="headerlink" href=' in page  # the h1
    assert "Ann O&#x27;Neil &amp; team" in page or "Ann O'Neil &amp; team" in page


def test_footnotes_stay_inside_the_contributed_part(site):
    part = contributed_part(html_of(site, "/guidance/odd-characters/"))
    assert '<div class="footnote">' in part
    assert '<a href="https://www.gov.uk/" rel="noopener noreferrer">a link</a>' in part


@pytest.mark.parametrize(
    "markup",
    [
        '<div class="admonition warning">\n<p class="admonition-title">Before you start</p>',
        '<details class="note">\n<summary>More detail</summary>',
        '<span class="filename">check.py</span>',
        '<th style="text-align:left">Item</th>',
        '<td style="text-align:right">2</td>',
        "<dt>Term</dt>",
        '<abbr title="Medium-term financial plan">MTFP</abbr>',
        "<kbd>Ctrl</kbd>",
        '<sup id="fnref:1"><a class="footnote-ref" href="#fn:1"',
        '<a class="md-button" href="../../library/"',
    ],
)
def test_the_sanitiser_keeps_the_markup_material_styles(site, markup):
    assert markup in contributed_part(html_of(site, "/guidance/rich/"))


def test_permalink_marks_survive_the_sanitiser(site):
    part = contributed_part(html_of(site, "/guidance/odd-characters/"))
    assert '<a class="headerlink" href="#odd" title="Link to this section"' in part


def test_every_resource_page_has_its_contributed_part_cleaned_and_no_marker_left(site):
    resources = {r["url"] for r in built.library(site)}
    assert len(resources) == 8
    for page in site.rglob("*.html"):
        text = page.read_text(encoding="utf-8")
        address = "/" + str(page.parent.relative_to(site)) + "/"
        assert text.count(mdsafe.WRAPPER) == (1 if address in resources else 0), page
        assert "tie-contributed-start" not in text and "tie-contributed-end" not in text, page


def test_the_table_of_contents_links_to_contributed_headings(site):
    page = html_of(site, "/guidance/odd-characters/")
    toc = page.split('aria-label="Table of contents"', 1)[1].split("</nav>", 1)[0]
    assert '<a href="#odd" class="md-nav__link">' in toc
    assert "A heading" in toc


@pytest.mark.parametrize(
    "heading, anchor",
    [
        ("## Costs {: id='x\" onmouseover=\"alert(1)' }", "costs"),
        ("## Costs { #__drawer }", "costs"),
        ("## Costs { #costs-2024 }", "costs-2024"),
        ('## Costs { data-toc-label="<img src=x onerror=alert(1)>" }', "costs"),
    ],
)
def test_headings_reach_the_table_of_contents_with_plain_ids_and_their_own_text(heading, anchor):
    import markdown

    md = markdown.Markdown(extensions=["attr_list", "toc", "generator.safe.mdsafe"])
    html = md.convert(heading)
    assert html.startswith(f'<h2 id="{anchor}">Costs')
    assert md.toc_tokens[0]["id"] == anchor and md.toc_tokens[0]["name"] == "Costs"


def test_the_skip_link_leads_to_the_title_of_a_resource(site):
    page = html_of(site, "/guidance/odd-characters/")
    skip = re.search(r'<a href="([^"]*)" class="md-skip">', page)
    assert skip and f'<h1 id="{skip.group(1)[1:]}">' in page


def test_every_page_has_its_inline_scripts_hashed_for_the_content_security_policy(site):
    from generator.safe import csp

    hashes = built.script_hashes(site)
    for page in site.rglob("*.html"):
        assert csp.script_hashes(page.read_text(encoding="utf-8")) <= hashes, page
    policy = (site / "_headers").read_text()
    assert "script-src 'self' 'sha256-" in policy
    assert "wasm" not in policy and "blob:" not in policy  # nothing on the site needs WebAssembly or workers any more


def test_no_page_asks_another_host_for_fonts_scripts_or_styles(site):
    for page in site.rglob("*.html"):
        text = page.read_text(encoding="utf-8")
        for tag in re.findall(r"<(?:script|link|img|iframe|source)\b[^>]*>", text):
            url = re.search(r'\b(?:src|href)="([^"]*)"', tag)
            if url and 'rel="alternate"' not in tag and 'rel="canonical"' not in tag:
                assert not re.match(r"(https?:)?//", url.group(1)), f"{page}: {tag}"


@pytest.mark.slow
def test_mkdocs_strict_fails_the_build_on_a_broken_page(tmp_path):
    lib = load(EXAMPLES / "content", EXAMPLES / "questionnaire", COUNCILS)
    broken = [("/broken/", front_matter({"title": "Broken"}) + "# Broken\n\nSee [nowhere](no-such-page.md).\n")]
    with pytest.raises(BuildError, match=r"mkdocs \(strict\): .*no-such-page\.md"):
        build(lib, ROOT, tmp_path / "docs", tmp_path / "site", EXAMPLES / "content", today=TODAY, extra_pages=broken)


def test_a_library_with_problems_is_not_built(tmp_path):
    lib = load(EXAMPLES / "content", EXAMPLES / "questionnaire", COUNCILS)
    lib.problems = ["content/guidance/x.md:1: title: expected text, got nothing"]
    with pytest.raises(BuildError, match="1 problem"):
        build(lib, ROOT, tmp_path / "docs", tmp_path / "site", EXAMPLES / "content", today=TODAY)
    assert not (tmp_path / "site").exists()


def render_markdown(text: str) -> str:
    """Markdown as MkDocs renders it here: the extensions of mkdocs.yml, generator.safe.mdsafe among them."""
    import markdown

    config = yaml.safe_load((ROOT / "mkdocs.yml").read_text(encoding="utf-8"))
    names, configs = [], {}
    for entry in config["markdown_extensions"]:
        name, options = next(iter(entry.items())) if isinstance(entry, dict) else (entry, {})
        names.append(name)
        configs[name] = options or {}
    return markdown.Markdown(extensions=names, extension_configs=configs).convert(text)


def test_the_contributed_part_is_cleaned_from_the_marker_to_the_end_footnotes_included():
    start = START.format(nonce="ab12")
    before = mdsafe.CLEANED["ab12"]
    html = render_markdown(
        f'<p onclick="ours()">kept</p>\n\n{start}\n\nText[^1] <img src=x onerror=x()>\n\n<script>x()</script>\n\n'
        "[^1]: A note <a href='javascript:x()'>here</a>.\n"
    )
    assert html.startswith('<p onclick="ours()">kept</p>\n\n<div class="tie-contributed">')
    part = html.split('<div class="tie-contributed">', 1)[1]
    assert "onerror" not in part and "<script" not in part and "javascript:" not in part
    assert '<div class="footnote">' in part and "A note" in part
    assert html.endswith("</div>")
    assert mdsafe.CLEANED["ab12"] == before + 1


def test_a_marker_written_into_a_body_is_cleaned_away_with_it():
    html = render_markdown(f"{START.format(nonce='aa')}\n\nBody.\n\n{START.format(nonce='bb')}\n\n<b onclick=x()>x</b>\n")
    assert html.count('<div class="tie-contributed">') == 1
    assert "onclick" not in html and "tie-contributed-start" not in html


def test_a_page_without_the_marker_is_left_as_it_is():
    assert render_markdown('<p onclick="ours()">generated</p>') == '<p onclick="ours()">generated</p>'


def test_the_cleaning_step_is_markdowns_last_but_the_table_regions_which_add_only_their_own_escaped_markup():
    import markdown

    config = yaml.safe_load((ROOT / "mkdocs.yml").read_text(encoding="utf-8"))
    names = [next(iter(e)) if isinstance(e, dict) else e for e in config["markdown_extensions"]]
    md = markdown.Markdown(extensions=names)
    assert [item.name for item in md.postprocessors._priority][-2:] == ["tie_clean_contributed", "tie_wrap_tables"]


@pytest.mark.slow
def test_a_build_whose_pages_were_not_cleaned_fails(tmp_path):
    config = yaml.safe_load((ROOT / "mkdocs.yml").read_text(encoding="utf-8"))
    config["markdown_extensions"].remove("generator.safe.mdsafe")
    config["theme"]["custom_dir"] = str(ROOT / config["theme"]["custom_dir"])
    (tmp_path / "mkdocs.yml").write_text(yaml.safe_dump(config), encoding="utf-8")
    (tmp_path / "docs").mkdir()
    shutil.copy(ROOT / "docs" / "contributing.md", tmp_path / "docs")
    lib = load(EXAMPLES / "content", EXAMPLES / "questionnaire", COUNCILS)
    with pytest.raises(BuildError, match=r"6 resource pages rendered, but 0 had their contributed part cleaned; .*generator\.safe\.mdsafe"):
        build(lib, tmp_path, tmp_path / "build" / "docs", tmp_path / "site", EXAMPLES / "content", today=TODAY)


@pytest.mark.parametrize(
    "markup, cleaned",
    [
        ('<img src="chart.png" alt="Chart">', '<img src="chart.png" alt="Chart">'),
        ('<img src="https://evil.example/x.png" alt="x">', '<img alt="x">'),
        ('<img src="/\\evil.example/x.png" alt="x">', '<img alt="x">'),
        ('<img src="/&#9;/evil.example/x.png" alt="x">', '<img alt="x">'),
        ('<a href="javascript:alert(1)">x</a>', '<a rel="noopener noreferrer">x</a>'),
        (
            '<a href="https://example.org/" target="_blank">x</a>',
            '<a href="https://example.org/" rel="noopener noreferrer">x</a>',
        ),
        ('<h2 id="__drawer">x</h2>', "<h2>x</h2>"),
        (
            '<table><tr><td style="text-align: right; background: url(x)">1</td></tr></table>',
            '<table><tbody><tr><td style="text-align:right">1</td></tr></tbody></table>',
        ),
        ("<p>a</p><!-- never closed <img src=x onerror=x()>", "<p>a</p>"),
        ("<textarea><img src=x onerror=x()></textarea>", "&lt;img src=x onerror=x()&gt;"),
        ("<svg><script>x()</script></svg><style>*{}</style>ok", "ok"),
        ("<!--<img src=x onerror=x()>-->ok", "ok"),
    ],
)
def test_the_sanitiser_keeps_markdowns_markup_and_nothing_else(markup, cleaned):
    assert sanitise.clean(markup) == cleaned


def test_front_matter_escapes_the_values_material_prints():
    text = front_matter({"title": 'A <b> & "c"', "description": "d'e", "tie_page": "x<y"})
    assert "title: A &lt;b&gt; &amp; &quot;c&quot;" in text
    assert "description: d&#x27;e" in text
    assert "tie_page: x<y" in text


@pytest.mark.browser
def test_pages_served_by_the_app_raise_no_content_security_policy_errors(live_server, page):
    errors: list[str] = []
    page.on("console", lambda m: errors.append(m.text) if m.type in ("error", "warning") else None)
    page.on("pageerror", lambda e: errors.append(str(e)))
    for address in (
        "/",
        "/library/",
        "/case-studies/front-door/",
        "/search/",
        "/self-assessment/",
        "/no-such-page/",
        "/app/no-such-page",
    ):
        page.goto(live_server.url + address)
        page.wait_for_load_state("networkidle")
    page.goto(live_server.url + "/search/")
    page.get_by_label("Search the library").fill("reserves")
    page.locator(".tie-search__results li").first.wait_for()
    csp = [e for e in errors if "Content Security Policy" in e or "Refused to" in e]
    assert csp == [], csp


@pytest.mark.browser
def test_a_page_view_does_not_fetch_the_sitemap(live_server, page):
    # Material's script fetches sitemap.xml for every link[rel=alternate], taking it for another language's
    # site; the feed's link is rel="alternate feed", so a page view fetches only what the page needs.
    requested: list[str] = []
    page.on("request", lambda r: requested.append(r.url))
    for address in ("/", "/about/", "/guidance/budget-consultation/"):
        page.goto(live_server.url + address)
        page.wait_for_load_state("networkidle")
    assert requested and not [u for u in requested if "sitemap" in u]


def test_the_home_pages_title_is_the_sites_name_once(site):
    home = (site / "index.html").read_text(encoding="utf-8")
    assert re.search(r"<title>([^<]*)</title>", home).group(1) == "Transformation and Innovation Exchange"
    library = (site / "library" / "index.html").read_text(encoding="utf-8")
    assert re.search(r"<title>([^<]*)</title>", library).group(1) == "Library - Transformation and Innovation Exchange"
