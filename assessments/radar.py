"""A radar (spider) chart as inline SVG, drawn on the server: no JavaScript, no CDN."""

import math
from decimal import Decimal

from django.utils.html import format_html, format_html_join
from django.utils.safestring import SafeString

SIZE = 420
CENTER = SIZE / 2
RADIUS = 150
PALETTE = ["#a15c00", "#6a3d9a", "#1e7b34", "#b3261e", "#5b6b7c"]


def _point(index: int, count: int, value: float) -> tuple[float, float]:
    angle = -math.pi / 2 + 2 * math.pi * index / count
    r = RADIUS * max(0.0, min(value, 100.0)) / 100
    return round(CENTER + r * math.cos(angle), 1), round(CENTER + r * math.sin(angle), 1)


def _as_float(value) -> float:
    return float(value) if isinstance(value, Decimal | int | float) else 0.0


def radar_svg(labels: list[str], scores: list, references: list[tuple[str, list]], *, title: str) -> SafeString:
    """``scores`` (0-100 or None) per label drawn as the filled polygon with one circle per
    dimension (class ``point-score``); each reference ``(name, values)`` (e.g. an area's minimum
    requirements, None = no requirement) as a dashed outline."""
    count = len(labels)
    count_ok = count >= 3
    rings = format_html_join(
        "",
        '<polygon points="{}" fill="none" stroke="#d5dce3" stroke-width="1"/>',
        (
            (" ".join(f"{x},{y}" for x, y in (_point(i, count, level) for i in range(count))),)
            for level in (25, 50, 75, 100)
        )
        if count_ok
        else (),
    )
    spokes = format_html_join(
        "",
        '<line x1="{}" y1="{}" x2="{}" y2="{}" stroke="#d5dce3"/>',
        ((CENTER, CENTER, *_point(i, count, 100)) for i in range(count)),
    )
    label_nodes = []
    for i, label in enumerate(labels):
        x, y = _point(i, count, 118)
        anchor = "middle" if abs(x - CENTER) < 10 else ("start" if x > CENTER else "end")
        label_nodes.append(
            format_html(
                '<text x="{}" y="{}" text-anchor="{}" font-size="12" fill="#1d2733">{}</text>', x, y, anchor, label
            )
        )
    reference_nodes = []
    for n, (name, values) in enumerate(references):
        colour = PALETTE[n % len(PALETTE)]
        points = " ".join(f"{x},{y}" for x, y in (_point(i, count, _as_float(v)) for i, v in enumerate(values)))
        reference_nodes.append(
            format_html(
                '<polygon class="requirement" points="{}" fill="none" stroke="{}" stroke-width="2" '
                'stroke-dasharray="6 4"><title>{}</title></polygon>',
                points,
                colour,
                name,
            )
        )
    score_points = [_point(i, count, _as_float(v)) for i, v in enumerate(scores)]
    polygon = format_html(
        '<polygon class="score" points="{}" fill="#0b5394" fill-opacity="0.25" stroke="#0b5394" stroke-width="2"/>',
        " ".join(f"{x},{y}" for x, y in score_points),
    )
    circles = format_html_join(
        "",
        '<circle class="point-score" cx="{}" cy="{}" r="4" fill="#0b5394"><title>{}: {}</title></circle>',
        ((x, y, labels[i], "—" if scores[i] is None else scores[i]) for i, (x, y) in enumerate(score_points)),
    )
    return format_html(
        '<svg class="radar" xmlns="http://www.w3.org/2000/svg" viewBox="-60 0 {} {}" role="img" '
        'aria-label="{}"><title>{}</title>{}{}{}{}{}{}</svg>',
        SIZE + 120,
        SIZE,
        title,
        title,
        rings,
        spokes,
        SafeString("".join(reference_nodes)),
        polygon,
        circles,
        SafeString("".join(label_nodes)),
    )
