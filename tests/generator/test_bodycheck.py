"""The body of contributed content is checked: raw HTML, link schemes, attribute lists, includes and internal links."""

from __future__ import annotations

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from generator.content import bodycheck
from tests.factories import examples

SITE = bodycheck.Site(
    files=frozenset({"guidance/here.md", "tools/checklist.md", "tools/form.pdf"}),
    addresses=frozenset({"/guidance/here/", "/tools/checklist/", "/library/", "/themes/governance/", "/tools/form.pdf"}),
)


def problems(body: str, first_line: int = 1) -> list[str]:
    return [str(p) for p in bodycheck.check("content/guidance/here.md", "guidance/here.md", body, first_line, SITE)]


def test_ordinary_markdown_has_no_problems():
    body = (
        "## Steps\n\n1. Decide what is open to change.\n2. See the [checklist](../tools/checklist.md), the\n"
        "   [library](/library/), the [form](../tools/form.pdf) and [GOV.UK](https://www.gov.uk/).\n\n"
        '!!! note "Tip"\n    Press <kbd>Ctrl</kbd>+<kbd>F</kbd>. H<sub>2</sub>O, x<sup>2</sup>,'
        ' <abbr title="Medium-term financial plan">MTFP</abbr>.<br>\n\n'
        "<details open>\n<summary>More</summary>\nText.\n</details>\n\n"
        "| a | b |\n|---|---|\n| 1 | 2 |\n\nA footnote[^1] and {.lead} and a [mail](mailto:a@example.gov.uk).\n\n"
        "[^1]: Its text.\n\n## Heading {#steps .wide}\n\n<https://www.gov.uk> and <team@example.gov.uk>\n"
    )
    assert problems(body) == []


def test_line_numbers_count_from_the_bodys_first_line_in_the_file():
    assert problems("Fine.\n\n<script>x</script>\n", first_line=14) == [
        "content/guidance/here.md:16: html: expected Markdown or one of the allowed tags (abbr, br, details, kbd, sub, summary, sup), got '<script>'",
        "content/guidance/here.md:16: html: expected Markdown or one of the allowed tags (abbr, br, details, kbd, sub, summary, sup), got '</script>'",
    ]


@pytest.mark.parametrize(
    "html, found",
    [
        ("<img src=x onerror=alert(1)>", "'<img src=x onerror=alert(1)>'"),
        ("<IFRAME src=x>", "'<IFRAME src=x>'"),
        ("<svg/onload=alert(1)>", "'<svg/onload=alert(1)>'"),
        ("<kbd:x onclick=alert(1)>", "'<kbd:x onclick=alert(1)>'"),
        ("<style>", "'<style>'"),
    ],
)
def test_tags_outside_the_allowlist_are_refused(html, found):
    assert problems(f"Text {html} text\n") == [
        f"content/guidance/here.md:1: html: expected Markdown or one of the allowed tags (abbr, br, details, kbd, sub, summary, sup), got {found}"
    ]


def test_attributes_outside_the_allowlist_are_refused_on_allowed_tags():
    assert problems('<details open ontoggle="alert(1)">\n<abbr title="x" style="color:red">y</abbr>\n') == [
        "content/guidance/here.md:1: html: expected no 'ontoggle' attribute on <details>, got '<details open ontoggle=\"alert(1)\">'",
        "content/guidance/here.md:2: html: expected no 'style' attribute on <abbr>, got '<abbr title=\"x\" style=\"color:red\">'",
    ]


def test_an_allowed_tag_split_over_lines_is_refused():
    assert problems("<abbr\ntitle=x onclick=alert(1)>MTFP</abbr>\n") == [
        "content/guidance/here.md:1: html: expected the whole <abbr> tag on one line, got '<abbr'"
    ]


@pytest.mark.parametrize("markup", ["<!-- a comment", "<![CDATA[x]]>", "<?php x ?>", "<!DOCTYPE html>"])
def test_comments_and_other_markup_are_refused(markup):
    found = problems(markup + "\n")
    assert found[0].startswith("content/guidance/here.md:1: html: expected Markdown, not raw HTML, got '<")


def test_html_inside_a_closed_fence_is_code_and_allowed():
    assert problems("```html\n<script>alert(1)</script>\n```\n\n~~~~\n<iframe>\n~~~~\n") == []


def test_a_fence_that_never_closes_is_not_code():
    assert len(problems("```\n<img src=x onerror=alert(1)>\n")) == 1


def test_a_fence_closed_by_a_longer_fence_is_not_code():
    # pymdownx.superfences closes a fence only with the same fence, so this is a paragraph with raw HTML
    assert len(problems("```\n<img src=x onerror=alert(1)>\n````\n")) == 1


def test_html_in_a_code_span_is_still_refused():
    # Inside an HTML block or an attribute, Markdown does not read code spans; so the check does not trust them.
    assert len(problems("<details>\n`<img src=x onerror=alert(1)>`\n</details>\n")) == 1
    assert len(problems('<abbr title="`"onmouseover=alert(1) x="`">y</abbr>\n')) == 2


@pytest.mark.parametrize(
    "body, line",
    [
        ("[x](javascript:alert(1))", 1),
        ("[x](JaVaScRiPt:alert(1))", 1),
        ("[x](java&#x09;script:alert(1))", 1),
        ("[x](jav&#97;script:alert(1))", 1),
        ("[x](javascript&colon;alert(1))", 1),
        ("[x](%6Aavascript:alert(1))", 1),
        ("[x](<javascript:alert(1)>)", 1),
        ('[x](  javascript:alert(1) "title")', 1),
        ("[x](`javascript:alert(1)`)", 1),
        ("[x](\njavascript:alert(1))", 2),
        ("[[[x]]](javascript:alert(1))", 1),
        ("![x](javascript:alert(1))", 1),
        ("[x](vbscript:msgbox(1))", 1),
        ("[x](data:text/html;base64,PHNjcmlwdD4=)", 1),
        ("<javascript:alert(1)>", 1),
        ("Text [x][r].\n\n[r]: javascript:alert(1)", 3),
        ("Text [x][r].\n\n[r]:\n    javascript:alert(1)", 4),
        ("Text [x][r].\n\n   [r]: <javascript:alert(1)> 'title'", 3),
    ],
)
def test_links_with_banned_schemes_are_refused_however_disguised(body, line):
    found = problems(body + "\n")
    assert len(found) == 1, found
    assert found[0].startswith(f"content/guidance/here.md:{line}: link: expected an https, mailto or site address, got ")


@pytest.mark.parametrize("url", ["https://evil.example/x.png", "//evil.example/x.png", "/\\evil.example/x.png", "http://x/y.gif"])
def test_images_from_other_sites_are_refused(url):
    assert (
        f"content/guidance/here.md:1: image: expected an image kept beside the resource (pages load nothing from other sites), got {url!r}"
        in problems(f"![chart]({url})\n")
    )


def test_an_image_beside_the_resource_is_allowed():
    assert problems("![form](../tools/form.pdf)\n") == []


@pytest.mark.parametrize(
    "body, line, found",
    [
        ("[x](../tools/missing.md)", 1, "'../tools/missing.md'"),
        ("See [x](/library/nowhere/).", 1, "'/library/nowhere/'"),
        ("See [x](../nowhere/)", 1, "'../nowhere/'"),
        ("A\n\n[r]: ../tools/gone.md", 3, "'../tools/gone.md'"),
        ("[x](\n../tools/missing.md)", 2, "'../tools/missing.md'"),
    ],
)
def test_broken_internal_links_are_refused(body, line, found):
    assert problems(body + "\n") == [
        f"content/guidance/here.md:{line}: link: expected a page that exists in the library, got {found}"
    ]


def test_internal_links_in_code_are_not_followed():
    assert problems("Write `[x](missing.md)` to link.\n\n```\n[x](missing.md)\n```\n") == []


def test_footnotes_are_not_mistaken_for_links():
    assert problems("Text[^note].\n\n[^note]: Some words here.\n") == []


@pytest.mark.parametrize(
    "attrs",
    [
        '{ onclick="alert(1)" }',
        "{: .x }",
        "{ onclick autofocus }",
        "{ #__drawer }",
        '{ data-toc-label="<img src=x>" }',
        "{ hidden }",
    ],
)
def test_attribute_lists_other_than_class_and_id_are_refused(attrs):
    found = problems(f"## Heading {attrs}\n")
    assert f"content/guidance/here.md:1: attributes: expected only .class or #id in an attribute list, got {attrs!r}" in found


@pytest.mark.parametrize("line", ['--8<-- "/etc/passwd"', "text ;--8<-- other.md", "{% include 'x.html' %}", "{%- import 'y' %}"])
def test_includes_are_refused(line):
    assert f"content/guidance/here.md:1: include: expected no includes in contributed content, got {line!r}" in problems(
        line + "\n"
    )


def test_every_problem_is_reported_not_only_the_first():
    body = "<b>bold</b>\n\n[x](javascript:alert(1))\n\n--8<-- x.md\n\n## H { onclick=x }\n\n[y](../gone.md)\n"
    fields = [p.split(": ")[1] for p in problems(body)]
    assert fields == ["html", "html", "include", "attributes", "link", "link"]


@pytest.mark.parametrize(
    "url, banned",
    [
        ("javascript:x", True),
        (" \tjavascript:x", True),
        ("java\nscript:x", True),
        ("&#x6A;avascript:x", True),
        ("%26%23x6A%3Bavascript:x", True),
        ("DATA:text/html,x", True),
        ("https://example.org/javascript:x", False),
        ("/guidance/javascript/", False),
        ("mailto:a@example.org", False),
    ],
)
def test_scheme_is_banned(url, banned):
    assert bodycheck.scheme_is_banned(url) is banned


@pytest.mark.parametrize(
    "url, local",
    [
        ("/assets/x.png", True),
        ("../tools/form.png", True),
        ("form.png", True),
        ("//evil.example/x.png", False),
        ("\\\\evil.example/x.png", False),
        ("/\\evil.example/x.png", False),
        ("/\t/evil.example/x.png", False),
        (" \n//evil.example/x.png", False),
        ("https://example.org/x.png", False),
        ("data:image/png;base64,AAAA", False),
    ],
)
def test_stays_on_site(url, local):
    assert bodycheck.stays_on_site(url) is local


def test_control_characters_are_refused_in_the_body():
    # Python-Markdown keeps raw HTML aside behind \x02...\x03 placeholders; text must not forge them.
    assert problems("Fine.\nSee \x02wzxhzdk:0\x03 here.\n", first_line=12) == [
        "content/guidance/here.md:13: text: expected printable text, got the control character U+0002",
        "content/guidance/here.md:13: text: expected printable text, got the control character U+0003",
    ]


@settings(max_examples=examples(300), deadline=None)
@given(st.text(alphabet=st.sampled_from(list("<>[]()!`~{}:#=\"' \n\tajsvcript&;%/\\-8^*")), max_size=200))
def test_no_body_raises_and_every_problem_is_on_one_of_its_lines(body):
    found = bodycheck.check("content/guidance/here.md", "guidance/here.md", body, 20, SITE)
    assert all(20 <= p.line < 20 + body.count("\n") + 1 for p in found)
