"""Every table the site renders sits in a scroll region a keyboard can reach, named after its caption or heading."""

from __future__ import annotations

import markdown

from generator.pages.tables import wrap_tables

TABLE = "<table><thead><tr><th>A</th></tr></thead><tbody><tr><td>1</td></tr></tbody></table>"


def test_a_table_is_wrapped_in_a_focusable_region_named_after_the_heading_before_it():
    page = '<h2 id="costs">Costs <a class="headerlink" href="#costs" title="Link to this section">¶</a></h2>' + TABLE
    assert wrap_tables(page) == (
        '<h2 id="costs">Costs <a class="headerlink" href="#costs" title="Link to this section">¶</a></h2>'
        '<div class="tie-table-wrap" role="region" tabindex="0" aria-label="Costs">' + TABLE + "</div>"
    )


def test_a_caption_names_the_region_before_any_heading_and_names_are_escaped():
    page = "<h2>Costs</h2><table><caption>Fees &amp; <em>charges</em> \"2026\"</caption><tr><td>1</td></tr></table>"
    assert 'aria-label="Fees &amp; charges &quot;2026&quot;"' in wrap_tables(page)


def test_names_are_unique_on_a_page_and_a_table_with_no_heading_is_still_named():
    wrapped = wrap_tables(TABLE + "<h3>Owners</h3>" + TABLE + TABLE)
    assert [part.split('"')[0] for part in wrapped.split('aria-label="')[1:]] == ["Table", "Owners", "Owners, table 2"]


def test_a_table_inside_a_table_is_wrapped_once_with_the_outer_one_and_an_unclosed_table_is_left_alone():
    nested = "<h2>Outer</h2><table><tr><td><table><tr><td>x</td></tr></table></td></tr></table>"
    assert wrap_tables(nested).count("tie-table-wrap") == 1
    assert wrap_tables(nested).endswith("</table></td></tr></table></div>")
    assert wrap_tables("<p>a</p><table><tr><td>never closed") == "<p>a</p><table><tr><td>never closed"


def test_the_extension_wraps_the_tables_markdown_makes():
    html = markdown.markdown("## Tracker\n\n| a | b |\n|---|---|\n| 1 | 2 |\n", extensions=["tables", "generator.pages.tables"])
    assert html.startswith('<h2>Tracker</h2>\n<div class="tie-table-wrap" role="region" tabindex="0" aria-label="Tracker"><table>')
