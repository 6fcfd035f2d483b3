"""Accessible SVG charts of current stage against ambition, drawn on the server (no JavaScript).

The scale is drawn as five bands, one per stage; a bar reaches into the band of the stage it
stands for (a mean of 2.4 ends four-tenths of the way through the band after "Plans"). "Now" bars
are solid and "Ambition" bars hatched, and every bar is labelled in words, so nothing depends on
colour. The SVG is role="img" with a title and a description that states every value; the page
puts a table with the same figures beside it.
"""

from __future__ import annotations

from dataclasses import dataclass
from html import escape

from markupsafe import Markup

from model.vocabulary import STAGES

WIDTH = 640
LEFT = 80  # room for "Ambition" before the bars
RIGHT = 140  # room for the value after the longest bar, e.g. "Understands (1.3)"
TEXT = 14  # px in the chart's own units; it is drawn about this size in a results page's column
SMALL = 13
PLOT = WIDTH - LEFT - RIGHT
BAND = PLOT / len(STAGES.ids)
BAR = 18
ROW_LABEL = 22
ROW_GAP = 14
TOP = 58  # legend and stage names
NOW_FILL = "#1d4e89"
AMBITION_INK = "#8a4b00"


@dataclass(frozen=True)
class Row:
    """One labelled pair of bars; positions run from 0 (not yet) to 4 (reviews); None when nothing is known."""

    label: str
    now: float | None
    ambition: float | None


def _x(position: float) -> float:
    return LEFT + (position + 1) * BAND


def value_text(position: float | None) -> str:
    """A position in words and figures: the nearest stage, and the mean to one decimal place."""
    if position is None:
        return "no answer"
    nearest = STAGES.terms[min(len(STAGES.terms) - 1, max(0, int(position + 0.5)))].label
    return f"{nearest} ({position:.1f})"


def _num(value: float) -> str:
    return f"{value:.1f}".rstrip("0").rstrip(".")


def chart(chart_id: str, title: str, rows: list[Row]) -> Markup:
    """An SVG chart with one pair of bars (now, ambition) per row."""
    row_height = ROW_LABEL + 2 * BAR + 4 + ROW_GAP
    height = TOP + row_height * len(rows) + 10
    out = [
        f'<svg xmlns="http://www.w3.org/2000/svg" class="tie-chart" role="img" viewBox="0 0 {WIDTH} {height}" '
        f'width="100%" preserveAspectRatio="xMinYMin meet" aria-labelledby="{chart_id}-title {chart_id}-desc">',
        f'<title id="{chart_id}-title">{escape(title)}</title>',
        f'<desc id="{chart_id}-desc">{escape(description(rows))}</desc>',
        "<defs>",
        f'<pattern id="{chart_id}-hatch" width="6" height="6" patternUnits="userSpaceOnUse" patternTransform="rotate(45)">'
        f'<rect width="6" height="6" fill="#ffffff"/><line x1="0" y1="0" x2="0" y2="6" stroke="{AMBITION_INK}" stroke-width="3"/></pattern>',
        "</defs>",
        # legend: pattern and words
        f'<rect x="{LEFT}" y="4" width="18" height="12" fill="{NOW_FILL}"/>',
        f'<text x="{LEFT + 24}" y="14" font-size="{TEXT}">Now (solid)</text>',
        f'<rect x="{LEFT + 140}" y="4" width="18" height="12" fill="url(#{chart_id}-hatch)" stroke="{AMBITION_INK}"/>',
        f'<text x="{LEFT + 164}" y="14" font-size="{TEXT}">Ambition (hatched)</text>',
    ]
    # stage bands, named at the top, with light dividing lines
    for i, term in enumerate(STAGES.terms):
        x = LEFT + i * BAND
        out.append(
            f'<text x="{_num(x + BAND / 2)}" y="{TOP - 10}" font-size="{SMALL}" text-anchor="middle">{escape(term.label)}</text>'
        )
        out.append(
            f'<line x1="{_num(x)}" y1="{TOP - 4}" x2="{_num(x)}" y2="{height - 6}" stroke="#767676" stroke-width="1" stroke-dasharray="2 3"/>'
        )
    out.append(
        f'<line x1="{_num(LEFT + PLOT)}" y1="{TOP - 4}" x2="{_num(LEFT + PLOT)}" y2="{height - 6}" stroke="#767676" stroke-width="1" stroke-dasharray="2 3"/>'
    )
    y = TOP
    for row in rows:
        out.append(f'<text x="0" y="{y + 16}" font-size="{TEXT + 1}" font-weight="700">{escape(row.label)}</text>')
        y += ROW_LABEL
        for name, value, fill, stroke in (
            ("Now", row.now, NOW_FILL, "none"),
            ("Ambition", row.ambition, f"url(#{chart_id}-hatch)", AMBITION_INK),
        ):
            out.append(f'<text x="0" y="{y + BAR - 5}" font-size="{SMALL}">{name}</text>')
            if value is not None:
                end = _x(value)
                out.append(
                    f'<rect x="{LEFT}" y="{y}" width="{_num(end - LEFT)}" height="{BAR}" fill="{fill}" stroke="{stroke}"/>'
                )
                out.append(f'<text x="{_num(end + 6)}" y="{y + BAR - 5}" font-size="{SMALL}">{escape(value_text(value))}</text>')
            else:
                out.append(f'<text x="{LEFT + 4}" y="{y + BAR - 5}" font-size="{SMALL}">{escape(value_text(value))}</text>')
            y += BAR + 2
        y += ROW_GAP
    out.append("</svg>")
    return Markup("".join(out))


def description(rows: list[Row]) -> str:
    """Every value in words, for screen readers (the table beside the chart has the same)."""
    scale = ", ".join(f"{i} {t.label.lower()}" for i, t in enumerate(STAGES.terms))
    parts = [f"{row.label}: now {value_text(row.now)}, ambition {value_text(row.ambition)}." for row in rows]
    return f"Stages on a scale from {scale}. " + " ".join(parts)
