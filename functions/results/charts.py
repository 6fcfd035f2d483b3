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
