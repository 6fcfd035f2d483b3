"""Accessible SVG charts of current stage against ambition, drawn on the server (no JavaScript).

The scale is drawn as five bands, one per stage, each named above the chart. A bar ends inside the band of the
stage its label names: a position (0 for not yet to 4 for reviews) ends at that distance from the middle of
the first band, so "Plans (2.4)" ends in the Plans band and "Does (2.6)" in the Does band, as `value_text`
rounds them. "Now" bars are solid and "Ambition" bars hatched, and every bar is labelled in words on the line
above it, so nothing depends on colour. The SVG is role="img" with a title and a description that states
every value; the page puts a table with the same figures beside it.

The chart is drawn narrow, its words large in its own units, so that it scales with its column and stays
legible: at 375 CSS px wide (a phone, the chart about 340 px) its smallest text is drawn at 12 px or more
(`tests/browser/test_results_chart.py` measures it); results.css caps its width on wide screens.
"""

from __future__ import annotations

import textwrap
from dataclasses import dataclass
from html import escape

from markupsafe import Markup

from model.vocabulary import STAGES

WIDTH = 400  # units; drawn at about 340 px on a phone, so 15 units are about 12.8 px
TEXT = 15  # the smallest text, in the chart's units
LABEL = 16  # a theme's name, bold
LINE = 20  # a line of text
LEFT = 2
PLOT = WIDTH - 2 * LEFT
BAND = PLOT / len(STAGES.ids)
BAR = 16
ROW_GAP = 12
LABEL_CHARS = 40  # a theme's name wraps at about this many characters, to stay inside the chart
TOP = 2 * LINE + 2 * LINE + 6  # the legend, then the stage names on two staggered lines
NOW_FILL = "#1d4e89"
AMBITION_INK = "#8a4b00"


@dataclass(frozen=True)
class Row:
    """One labelled pair of bars; positions run from 0 (not yet) to 4 (reviews); None when nothing is known."""

    label: str
    now: float | None
    ambition: float | None


def _x(position: float) -> float:
    """Where a bar for this position ends: the middle of the first band plus the position in bands."""
    return LEFT + (position + 0.5) * BAND


def value_text(position: float | None) -> str:
    """A position in words and figures: the nearest stage, and the mean to one decimal place."""
    if position is None:
        return "no answer"
    nearest = STAGES.terms[min(len(STAGES.terms) - 1, max(0, int(position + 0.5)))].label
    return f"{nearest} ({position:.1f})"


def _num(value: float) -> str:
    return f"{value:.1f}".rstrip("0").rstrip(".")


def _text(x: float, y: float, words: str, size: int = TEXT, extra: str = "") -> str:
    return f'<text x="{_num(x)}" y="{_num(y)}" font-size="{size}"{extra}>{escape(words)}</text>'


def chart(chart_id: str, title: str, rows: list[Row]) -> Markup:
    """An SVG chart with one pair of bars (now, ambition) per row."""
    labels = [textwrap.wrap(row.label, LABEL_CHARS) or [""] for row in rows]
    height = TOP + sum(len(lines) * LINE + 2 * (LINE + BAR + 2) + ROW_GAP for lines in labels) + 6
    out = [
        f'<svg xmlns="http://www.w3.org/2000/svg" class="tie-chart" role="img" viewBox="0 0 {WIDTH} {height}" '
        f'width="100%" preserveAspectRatio="xMinYMin meet" aria-labelledby="{chart_id}-title {chart_id}-desc">',
        f'<title id="{chart_id}-title">{escape(title)}</title>',
        f'<desc id="{chart_id}-desc">{escape(description(rows))}</desc>',
        "<defs>",
        f'<pattern id="{chart_id}-hatch" width="6" height="6" patternUnits="userSpaceOnUse" patternTransform="rotate(45)">'
        f'<rect width="6" height="6" fill="#ffffff"/><line x1="0" y1="0" x2="0" y2="6" stroke="{AMBITION_INK}" stroke-width="3"/></pattern>',
        "</defs>",
        # legend: pattern and words, one line each
        f'<rect x="{LEFT}" y="4" width="22" height="14" fill="{NOW_FILL}"/>',
        _text(LEFT + 30, 16, "Now (solid)"),
        f'<rect x="{LEFT}" y="{4 + LINE}" width="22" height="14" fill="url(#{chart_id}-hatch)" stroke="{AMBITION_INK}"/>',
        _text(LEFT + 30, 16 + LINE, "Ambition (hatched)"),
    ]
    # stage bands, named at the top on two staggered lines (a name may be wider than its band), dashed dividers
    for i, term in enumerate(STAGES.terms):
        x = LEFT + i * BAND
        y = 2 * LINE + (LINE if i % 2 else 0) + 14
        out.append(_text(x + BAND / 2, y, term.label, extra=' text-anchor="middle"'))
        out.append(
            f'<line x1="{_num(x)}" y1="{TOP - 4}" x2="{_num(x)}" y2="{height - 4}" stroke="#767676" stroke-width="1" stroke-dasharray="2 3"/>'
        )
    out.append(
        f'<line x1="{_num(LEFT + PLOT)}" y1="{TOP - 4}" x2="{_num(LEFT + PLOT)}" y2="{height - 4}" stroke="#767676" stroke-width="1" stroke-dasharray="2 3"/>'
    )
    y = TOP
    for row, lines in zip(rows, labels, strict=True):
        for line in lines:
            out.append(_text(LEFT, y + 15, line, LABEL, ' font-weight="700"'))
            y += LINE
        for name, value, fill, stroke in (
            ("Now", row.now, NOW_FILL, "none"),
            ("Ambition", row.ambition, f"url(#{chart_id}-hatch)", AMBITION_INK),
        ):
            out.append(_text(LEFT, y + 15, f"{name}: {value_text(value)}"))
            y += LINE
            if value is not None:
                out.append(
                    f'<rect x="{LEFT}" y="{y}" width="{_num(_x(value) - LEFT)}" height="{BAR}" fill="{fill}" stroke="{stroke}"/>'
                )
            y += BAR + 2
        y += ROW_GAP
    out.append("</svg>")
    return Markup("".join(out))


def description(rows: list[Row]) -> str:
    """Every value in words, for screen readers (the table beside the chart has the same)."""
    scale = ", ".join(f"{i} {t.label.lower()}" for i, t in enumerate(STAGES.terms))
    parts = [f"{row.label}: now {value_text(row.now)}, ambition {value_text(row.ambition)}." for row in rows]
    return f"Stages on a scale from {scale}. " + " ".join(parts)


# -- similar councils' stages, beside the council's own --------------------------------------------

HISTOGRAM = 60  # units: the height of a bar of 100%
COLUMN = 34  # units: a bar's width, inside its stage's band
OWN_NOW = "#dce6f2"  # the council's own stage now: a tint down its band (the words above it say so)
OWN_AMBITION = "#f6e7d3"


@dataclass(frozen=True)
class Distribution:
    """One group's share of councils at each stage now: `cells` maps stage id to a percentage or None (blank);
    `cells` is None when the whole figure is blank. `note` says why, or that the figure is an earlier release's."""

    label: str
    cells: dict[str, int | None] | None
    note: str = ""


def _percent(value: int | None) -> str:
    return "blank" if value is None else f"{value}%"


def distribution_chart(chart_id: str, title: str, rows: list[Distribution], now: str | None, ambition: str | None) -> Markup:
    """An SVG chart of each group's stages now, one bar per stage in the stage's band, the council's own stages marked.

    Every bar has its percentage written above it and a blank cell says "blank" (never a bar of 0); the
    council's stage now and its ambition are named at the top of their bands, which are tinted down the chart.
    """
    blocks = []
    for row in rows:
        lines = textwrap.wrap(row.label, LABEL_CHARS) or [""]
        notes = textwrap.wrap(row.note, LABEL_CHARS + 4) if row.note else []
        blocks.append((row, lines, notes))
    top = 4 * LINE + 6  # the stage names on two staggered lines, then the council's own marks on two
    bars = LINE + HISTOGRAM + 4
    height = top + sum(len(lines) * LINE + len(notes) * LINE + (bars if row.cells is not None else 0) + ROW_GAP
                       for row, lines, notes in blocks) + 6  # fmt: skip
    out = [
        f'<svg xmlns="http://www.w3.org/2000/svg" class="tie-chart tie-chart--distribution" role="img" viewBox="0 0 {WIDTH} {height}" '
        f'width="100%" preserveAspectRatio="xMinYMin meet" aria-labelledby="{chart_id}-title {chart_id}-desc">',
        f'<title id="{chart_id}-title">{escape(title)}</title>',
        f'<desc id="{chart_id}-desc">{escape(distribution_description(rows, now, ambition))}</desc>',
    ]
    stages = list(STAGES.ids)
    for stage, fill in ((ambition, OWN_AMBITION), (now, OWN_NOW)):
        if stage in stages:
            x = LEFT + stages.index(stage) * BAND
            out.append(f'<rect x="{_num(x)}" y="{2 * LINE + 2}" width="{_num(BAND)}" height="{height - 2 * LINE - 6}" fill="{fill}"/>')
    for i, term in enumerate(STAGES.terms):
        x = LEFT + i * BAND
        out.append(_text(x + BAND / 2, (LINE if i % 2 else 0) + 14, term.label, extra=' text-anchor="middle"'))
        out.append(f'<line x1="{_num(x)}" y1="{2 * LINE + 2}" x2="{_num(x)}" y2="{height - 4}" stroke="#767676" stroke-width="1" stroke-dasharray="2 3"/>')
    out.append(f'<line x1="{_num(LEFT + PLOT)}" y1="{2 * LINE + 2}" x2="{_num(LEFT + PLOT)}" y2="{height - 4}" stroke="#767676" stroke-width="1" stroke-dasharray="2 3"/>')
    for line, (stage, words) in enumerate(((now, "Council now"), (ambition, "Ambition"))):
        if stage in stages:
            x = LEFT + (stages.index(stage) + 0.5) * BAND
            out.append(_text(x, 2 * LINE + line * LINE + 16, words, extra=' text-anchor="middle" font-weight="700"'))
    y = top
    for row, lines, notes in blocks:
        for line in lines:
            out.append(_text(LEFT + 4, y + 15, line, LABEL, ' font-weight="700"'))
            y += LINE
        for line in notes:
            out.append(_text(LEFT + 4, y + 15, line))
            y += LINE
        if row.cells is not None:
            base = y + bars - 4
            out.append(f'<line x1="{LEFT}" y1="{_num(base)}" x2="{_num(LEFT + PLOT)}" y2="{_num(base)}" stroke="#4d5257" stroke-width="1"/>')
            for i, stage in enumerate(stages):
                middle = LEFT + (i + 0.5) * BAND
                value = row.cells.get(stage)
                tall = 0 if value is None else HISTOGRAM * value / 100
                if value:
                    out.append(f'<rect x="{_num(middle - COLUMN / 2)}" y="{_num(base - tall)}" width="{COLUMN}" height="{_num(tall)}" fill="{NOW_FILL}"/>')
                out.append(_text(middle, base - tall - 4, _percent(value), extra=' text-anchor="middle"'))
            y += bars
        y += ROW_GAP
    out.append("</svg>")
    return Markup("".join(out))


def distribution_description(rows: list[Distribution], now: str | None, ambition: str | None) -> str:
    """Every value in words, for screen readers (the table beside the chart has the same)."""
    own = f"This council: now {STAGES.label(now) if now in STAGES else 'not answered'}, ambition {STAGES.label(ambition) if ambition in STAGES else 'not answered'}."
    parts = []
    for row in rows:
        if row.cells is None:
            parts.append(f"{row.label}: {row.note}.")
            continue
        values = ", ".join(f"{t.label} {_percent(row.cells.get(t.id))}" for t in STAGES.terms)
        parts.append(f"{row.label}: {values}." + (f" ({row.note})" if row.note else ""))
    return "Share of each group's councils at each stage now. " + own + " " + " ".join(parts)
