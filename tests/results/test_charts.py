"""The SVG chart: an image with a title and a description stating every value, not relying on colour."""

from __future__ import annotations

import xml.etree.ElementTree as ET

from functions.results import charts

SVG = "{http://www.w3.org/2000/svg}"


def parse(markup) -> ET.Element:
    return ET.fromstring(str(markup))


def test_chart_is_an_image_labelled_by_its_title_and_description():
    svg = parse(charts.chart("themes", "Where we are & where we aim to be", [charts.Row("Governance", 1.5, 3.0)]))
    assert svg.get("role") == "img"
    assert svg.get("aria-labelledby") == "themes-title themes-desc"
    assert svg.find(f"{SVG}title").text == "Where we are & where we aim to be"
    assert svg.find(f"{SVG}title").get("id") == "themes-title"
    desc = svg.find(f"{SVG}desc").text
    assert "Governance: now Plans (1.5), ambition Does (3.0)." in desc


def test_each_bar_is_labelled_in_words_and_ambition_is_hatched():
    svg = parse(charts.chart("c", "t", [charts.Row("Money", 0.0, 4.0)]))
    texts = [t.text for t in svg.iter(f"{SVG}text")]
    assert "Not yet (0.0)" in texts and "Reviews (4.0)" in texts
    assert "Now (solid)" in texts and "Ambition (hatched)" in texts
    fills = [r.get("fill") for r in svg.iter(f"{SVG}rect")]
    assert "url(#c-hatch)" in fills
    assert svg.find(f"{SVG}defs/{SVG}pattern").get("id") == "c-hatch"


def test_bars_reach_into_the_band_of_their_stage():
    svg = parse(charts.chart("c", "t", [charts.Row("A", 0.0, 4.0)]))
    bars = [r for r in svg.iter(f"{SVG}rect") if r.get("height") == str(charts.BAR)]
    widths = [float(b.get("width")) for b in bars]
    # "not yet" fills the first band; "reviews" fills all five
    assert widths[0] == round(charts.BAND, 1)
    assert widths[1] == round(charts.PLOT, 1)


def test_a_theme_without_answers_says_so_rather_than_drawing_nothing():
    svg = parse(charts.chart("c", "t", [charts.Row("Delivery", None, None)]))
    assert [t.text for t in svg.iter(f"{SVG}text")].count("no answer") == 2
    assert "Delivery: now no answer, ambition no answer." in svg.find(f"{SVG}desc").text


def test_labels_are_escaped():
    svg = parse(charts.chart("c", "<script>", [charts.Row("A & <b>", 1, 2)]))
    assert svg.find(f"{SVG}title").text == "<script>"
    assert "A & <b>" in [t.text for t in svg.iter(f"{SVG}text")]
