"""A radar (spider) chart as inline SVG, drawn on the server: no JavaScript, no CDN.

Legible on a phone: the drawing is small (radius ``RADIUS`` user units) and the labels large
(``FONT_SIZE``), so when the chart is scaled down to a phone's width the labels stay at 12 px or
more; long labels wrap onto lines of ``LINE_CHARS`` characters, and the viewBox is the bounding box
of the drawing and every label plus a margin, so no label is ever cut off. The legend and the
table that says the same in words are the page's (``assessments/_results.html``)."""

from __future__ import annotations

import math
import textwrap
from decimal import Decimal

from django.utils.html import format_html, format_html_join
from django.utils.safestring import SafeString

RADIUS = 72
LABEL_RADIUS = RADIUS + 12
FONT_SIZE = 15
LINE_HEIGHT = FONT_SIZE * 1.15
LINE_CHARS = 12
CHAR_WIDTH = FONT_SIZE * 0.6  # a generous average advance of a sans-serif letter
MARGIN = 6
SCORE_COLOUR = "#0b5394"
GRID_COLOUR = "#b8c2cc"
PALETTE = ["#a15c00", "#6a3d9a", "#1e7b34", "#b3261e", "#5b6b7c"]


def reference_colour(index: int) -> str:
    return PALETTE[index % len(PALETTE)]


def _point(index: int, count: int, value: float, radius: float = RADIUS) -> tuple[float, float]:
    angle = -math.pi / 2 + 2 * math.pi * index / count
    r = radius * max(0.0, min(value, 100.0)) / 100
    return round(r * math.cos(angle), 1), round(r * math.sin(angle), 1)


def _as_float(value) -> float:
    return float(value) if isinstance(value, Decimal | int | float) else 0.0


def _label(index: int, count: int, text: str) -> tuple[SafeString, tuple[float, float, float, float]]:
    """The ``<text>`` of one axis label outside the chart, and its estimated box (x0, y0, x1, y1)."""
    x, y = _point(index, count, 100, LABEL_RADIUS)
    lines = textwrap.wrap(text, LINE_CHARS, break_long_words=False) or [""]
    width = max(len(line) for line in lines) * CHAR_WIDTH
    height = len(lines) * LINE_HEIGHT
    if abs(x) < 10:
        anchor, x0 = "middle", x - width / 2
    elif x > 0:
        anchor, x0 = "start", x
    else:
        anchor, x0 = "end", x - width
    # Labels above the centre grow upwards, those below grow downwards, those beside it are centred.
    if y < -RADIUS * 0.5:
        top = y - height
    elif y > RADIUS * 0.5:
        top = y + 2
    else:
        top = y - height / 2
    first_baseline = round(top + FONT_SIZE * 0.9, 1)
    spans = format_html_join(
        "",
        '<tspan x="{}" y="{}">{}</tspan>',
        ((x, round(first_baseline + n * LINE_HEIGHT, 1), line) for n, line in enumerate(lines)),
    )
    node = format_html(
        '<text class="radar-label" text-anchor="{}" font-size="{}" fill="#1d2733">{}</text>', anchor, FONT_SIZE, spans
    )
    return node, (x0, top, x0 + width, top + height)


def radar_svg(labels: list[str], scores: list, references: list[tuple[str, list]], *, title: str) -> SafeString:
    """``scores`` (0-100 or None) per label drawn as the filled polygon with one circle per
    dimension (class ``point-score``); each reference ``(name, values)`` (e.g. an area's minimum
    requirements, None = no requirement) as a dashed outline in ``reference_colour(n)``."""
    count = len(labels)
    count_ok = count >= 3
    rings = format_html_join(
        "",
        '<polygon points="{}" fill="none" stroke="{}" stroke-width="0.75"/>',
        (
            (" ".join(f"{x},{y}" for x, y in (_point(i, count, level) for i in range(count))), GRID_COLOUR)
            for level in (25, 50, 75, 100)
        )
        if count_ok
        else (),
    )
    ring_labels = format_html_join(
        "",
        '<text x="3" y="{}" font-size="9" fill="#4f5b66">{}</text>',
        ((round(-RADIUS * level / 100 + 10, 1), level) for level in (50, 100)) if count_ok else (),
    )
    spokes = format_html_join(
        "",
        '<line x1="0" y1="0" x2="{}" y2="{}" stroke="{}" stroke-width="0.75"/>',
        ((*_point(i, count, 100), GRID_COLOUR) for i in range(count)),
    )
    box = [-RADIUS, -RADIUS, RADIUS, RADIUS]
    label_nodes = []
    for i, label in enumerate(labels):
        node, (x0, y0, x1, y1) = _label(i, count, str(label))
        label_nodes.append(node)
        box = [min(box[0], x0), min(box[1], y0), max(box[2], x1), max(box[3], y1)]
    reference_nodes = []
    for n, (name, values) in enumerate(references):
        points = " ".join(f"{x},{y}" for x, y in (_point(i, count, _as_float(v)) for i, v in enumerate(values)))
        reference_nodes.append(
            format_html(
                '<polygon class="requirement" points="{}" fill="none" stroke="{}" stroke-width="2.5" '
                'stroke-dasharray="6 4"><title>{}</title></polygon>',
                points,
                reference_colour(n),
                name,
            )
        )
    score_points = [_point(i, count, _as_float(v)) for i, v in enumerate(scores)]
    polygon = format_html(
        '<polygon class="score" points="{}" fill="{}" fill-opacity="0.25" stroke="{}" stroke-width="2.5"/>',
        " ".join(f"{x},{y}" for x, y in score_points),
        SCORE_COLOUR,
        SCORE_COLOUR,
    )
    circles = format_html_join(
        "",
        '<circle class="point-score" cx="{}" cy="{}" r="3.5" fill="{}"><title>{}: {}</title></circle>',
        (
            (x, y, SCORE_COLOUR, labels[i], "—" if scores[i] is None else scores[i])
            for i, (x, y) in enumerate(score_points)
        ),
    )
    x0, y0 = math.floor(box[0] - MARGIN), math.floor(box[1] - MARGIN)
    width, height = math.ceil(box[2] + MARGIN) - x0, math.ceil(box[3] + MARGIN) - y0
    return format_html(
        '<svg class="radar" xmlns="http://www.w3.org/2000/svg" viewBox="{} {} {} {}" width="{}" height="{}" '
        'role="img" aria-label="{}"><title>{}</title>{}{}{}{}{}{}{}</svg>',
        x0,
        y0,
        width,
        height,
        width,
        height,
        title,
        title,
        rings,
        spokes,
        ring_labels,
        SafeString("".join(reference_nodes)),
        polygon,
        circles,
        SafeString("".join(label_nodes)),
    )
