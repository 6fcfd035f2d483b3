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
    assert "Now: Not yet (0.0)" in texts and "Ambition: Reviews (4.0)" in texts
    assert "Now (solid)" in texts and "Ambition (hatched)" in texts
    fills = [r.get("fill") for r in svg.iter(f"{SVG}rect")]
    assert "url(#c-hatch)" in fills
    assert svg.find(f"{SVG}defs/{SVG}pattern").get("id") == "c-hatch"


def test_each_bar_ends_inside_the_band_of_the_stage_its_label_names():
    positions = [0.0, 0.4, 1.0, 2.4, 2.6, 3.0, 4.0]
    svg = parse(charts.chart("c", "t", [charts.Row(str(p), p, p) for p in positions]))
    bars = [r for r in svg.iter(f"{SVG}rect") if r.get("height") == str(charts.BAR)]
    names = [t.label for t in charts.STAGES.terms]
    for position, bar in zip(positions, bars[::2], strict=True):
        end = float(bar.get("x")) + float(bar.get("width"))
        band = int((end - charts.LEFT) // charts.BAND)
        assert charts.value_text(position).startswith(names[band]), (position, end)
    # "not yet" ends in the middle of the first band, "reviews" in the middle of the last
    assert float(bars[0].get("width")) == round(charts.BAND / 2, 1)
    assert float(bars[-1].get("width")) == round(charts.PLOT - charts.BAND / 2, 1)


def test_long_theme_names_wrap_inside_the_chart():
    svg = parse(charts.chart("c", "t", [charts.Row("Understanding of local place and priority setting", 1, 2)]))
    bold = [t.text for t in svg.iter(f"{SVG}text") if t.get("font-weight") == "700"]
    assert bold == ["Understanding of local place and", "priority setting"]
    assert min(int(t.get("font-size")) for t in svg.iter(f"{SVG}text")) == charts.TEXT


def test_a_theme_without_answers_says_so_rather_than_drawing_nothing():
    svg = parse(charts.chart("c", "t", [charts.Row("Delivery", None, None)]))
    assert [t.text for t in svg.iter(f"{SVG}text")].count("no answer") == 0
    assert {"Now: no answer", "Ambition: no answer"} <= {t.text for t in svg.iter(f"{SVG}text")}
    assert "Delivery: now no answer, ambition no answer." in svg.find(f"{SVG}desc").text


def test_labels_are_escaped():
    svg = parse(charts.chart("c", "<script>", [charts.Row("A & <b>", 1, 2)]))
    assert svg.find(f"{SVG}title").text == "<script>"
    assert "A & <b>" in [t.text for t in svg.iter(f"{SVG}text")]
