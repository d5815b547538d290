"""Charts as inline SVG, drawn on the server (no JavaScript, no CDN; they print as they show).

Each function takes plain numbers and labels and returns safe SVG markup with a <title> and
a text alternative per mark, so screen readers and printouts get the figures too.
"""

from decimal import Decimal

from django.utils.html import escape, format_html
from django.utils.safestring import SafeString, mark_safe

PALETTE = ("#0b5394", "#e69138", "#6aa84f", "#a64d79", "#45818e", "#cc4125")
FONT = 'font-family="system-ui, sans-serif" font-size="12"'


def _num(value) -> float:
    return float(value) if value is not None else 0.0


def _label(value) -> str:
    if value is None:
        return "–"
    if isinstance(value, float | Decimal):
        return f"{value:,.1f}".rstrip("0").rstrip(".")
    return f"{value:,}"


def _lines(text, chars: int, most: int = 3) -> list[str]:
    """A label broken at spaces into lines of about ``chars`` characters (never cut mid-word; a label longer
    than ``most`` lines keeps its words on the last line)."""
    words, lines = str(text).split(), []
    for word in words:
        if lines and len(lines[-1]) + 1 + len(word) <= chars:
            lines[-1] += " " + word
        elif len(lines) < most:
            lines.append(word)
        else:
            lines[-1] += " " + word
    return lines or [""]


def _text_lines(lines: list[str], *, x: float, y: float, anchor: str, size: int = 12, extra: str = "") -> str:
    """SVG text with one tspan per line, the block centred on ``y``."""
    step = size + 2
    first = y - step * (len(lines) - 1) / 2
    spans = "".join(
        f'<tspan x="{x:.1f}" y="{first + i * step:.1f}">{escape(line)}</tspan>' for i, line in enumerate(lines)
    )
    return f'<text text-anchor="{anchor}" font-size="{size}"{extra}>{spans}</text>'


def _empty(width: int, title: str) -> SafeString:
    """A chart without figures says so instead of drawing an empty frame."""
    from django.utils.translation import gettext

    message = gettext("No data yet for this chart.")
    return _svg(width, 40, title, [f'<text x="8" y="24" fill="#495057">{escape(message)}</text>'])


def _has_data(values) -> bool:
    return any(_num(v) for v in values)


def _svg(width: int, height: int, title: str, body: list[str]) -> SafeString:
    return mark_safe(  # noqa: S308 - every text is escaped where it is inserted
        f'<svg class="chart" role="img" viewBox="0 0 {width} {height}" width="100%" '
        f'preserveAspectRatio="xMinYMin meet" xmlns="http://www.w3.org/2000/svg" {FONT}>'
        f"<title>{escape(title)}</title>{''.join(body)}</svg>"
    )


def bar_chart(
    items: list[tuple[str, object]], *, title: str, color: str = PALETTE[0], label_width: int = 170, width: int = 640
) -> SafeString:
    """Horizontal bars: one row per (label, value); a long label wraps onto more lines, never cut."""
    if not _has_data(v for _, v in items):
        return _empty(width, title)
    chars = max(8, (label_width - 10) // 7)
    wrapped = [_lines(label, chars) for label, _ in items]
    top = 8
    heights = [max(24, 14 * len(lines) + 8) for lines in wrapped]
    height = top + sum(heights) + 8
    peak = max((_num(v) for _, v in items), default=0) or 1
    span = width - label_width - 60
    body = []
    y = top
    for (label, value), lines, row in zip(items, wrapped, heights, strict=True):
        w = span * _num(value) / peak
        middle = y + row / 2
        body.append(
            f"<g><title>{escape(label)}: {_label(value)}</title>"
            + _text_lines(lines, x=label_width - 6, y=middle + 4, anchor="end")
            + f'<rect x="{label_width}" y="{middle - 8:.1f}" width="{w:.1f}" height="16" fill="{color}"/>'
            f'<text x="{label_width + w + 4:.1f}" y="{middle + 4:.1f}">{_label(value)}</text></g>'
        )
        y += row
    return _svg(width, height, title, body)


def column_chart(
    items: list[tuple[str, object]], *, title: str, color: str = PALETTE[0], width: int = 640, height: int = 220
) -> SafeString:
    """Vertical columns (months, histogram bins): one column per (label, value); labels wrap, never cut."""
    if not _has_data(v for _, v in items):
        return _empty(width, title)
    left, top = 36, 16
    n = max(len(items), 1)
    slot = (width - left - 8) / n
    chars = max(4, int(slot // 6))
    wrapped = [_lines(label, chars) for label, _ in items]
    bottom = 12 + 12 * max(len(lines) for lines in wrapped)
    height += bottom - 34
    peak = max((_num(v) for _, v in items), default=0) or 1
    plot = height - top - bottom
    body = [f'<line x1="{left}" y1="{height - bottom}" x2="{width - 4}" y2="{height - bottom}" stroke="#888"/>']
    for i, (label, value) in enumerate(items):
        h = plot * _num(value) / peak
        x = left + i * slot
        body.append(
            f"<g><title>{escape(label)}: {_label(value)}</title>"
            f'<rect x="{x + slot * 0.1:.1f}" y="{height - bottom - h:.1f}" width="{slot * 0.8:.1f}" '
            f'height="{h:.1f}" fill="{color}"/>'
            f'<text x="{x + slot / 2:.1f}" y="{height - bottom - h - 3:.1f}" text-anchor="middle">'
            f"{_label(value)}</text>"
            + _text_lines(
                wrapped[i],
                x=x + slot / 2,
                y=height - bottom + 14 + 6 * (len(wrapped[i]) - 1),
                anchor="middle",
                size=10,
            )
            + "</g>"
        )
    return _svg(width, height, title, body)


def grouped_bars(
    categories: list[str], series: list[tuple[str, list]], *, title: str, width: int = 640, maximum: float | None = 100
) -> SafeString:
    """Grouped horizontal bars (e.g. before/after per dimension, selected vs not), with a legend."""
    if not _has_data(v for _, vals in series for v in vals):
        return _empty(width, title)
    label_width, bar, gap, top = 150, 12, 10, 26
    group_h = bar * len(series) + gap
    height = top + group_h * max(len(categories), 1) + 6
    values = [_num(v) for _, vals in series for v in vals]
    peak = maximum or max(values, default=0) or 1
    span = width - label_width - 50
    body = []
    for s, (name, _vals) in enumerate(series):
        body.append(
            f'<rect x="{label_width + s * 140}" y="4" width="12" height="12" fill="{PALETTE[s]}"/>'
            f'<text x="{label_width + s * 140 + 16}" y="14">{escape(name)}</text>'
        )
    for c, category in enumerate(categories):
        y0 = top + c * group_h
        body.append(_text_lines(_lines(category, 20, most=2), x=label_width - 6, y=y0 + group_h / 2, anchor="end"))
        for s, (name, vals) in enumerate(series):
            value = vals[c] if c < len(vals) else None
            w = span * _num(value) / peak
            y = y0 + s * bar
            body.append(
                f"<g><title>{escape(category)} · {escape(name)}: {_label(value)}</title>"
                f'<rect x="{label_width}" y="{y}" width="{w:.1f}" height="{bar - 2}" fill="{PALETTE[s]}"/>'
                f'<text x="{label_width + w + 3:.1f}" y="{y + 10}" font-size="10">{_label(value)}</text></g>'
            )
    return _svg(width, height, title, body)


def funnel_chart(stages: list[tuple[str, int]], *, title: str, width: int = 640) -> SafeString:
    """A stacked funnel: centred bars narrowing stage by stage, with the share of the first stage."""
    if not _has_data(v for _, v in stages):
        return _empty(width, title)
    row, top = 34, 6
    height = top + row * max(len(stages), 1)
    first = _num(stages[0][1]) if stages else 0
    body = []
    for i, (label, value) in enumerate(stages):
        w = (width - 20) * (_num(value) / first if first else 0)
        share = f" ({100 * _num(value) / first:.0f} %)" if first else ""
        y = top + i * row
        body.append(
            f"<g><title>{escape(label)}: {_label(value)}{share}</title>"
            f'<rect x="{(width - w) / 2:.1f}" y="{y}" width="{w:.1f}" height="{row - 6}" '
            f'fill="{PALETTE[i % len(PALETTE)]}" rx="3"/>'
            f'<text x="{width / 2}" y="{y + 19}" text-anchor="middle" fill="#000" stroke="#fff" stroke-width="3" '
            f'paint-order="stroke">{escape(label)}: {_label(value)}{share}</text></g>'
        )
    return _svg(width, height, title, body)


# Tile-grid cartogram of the 32 states (INEGI code -> column, row): an approximate layout in
# the spirit of the common "Mexico tile map"; every state is one equal square.
TILES = {
    "02": (0, 0),
    "26": (1, 0),
    "08": (2, 0),
    "05": (3, 0),
    "19": (4, 0),
    "03": (0, 1),
    "25": (1, 1),
    "10": (2, 1),
    "32": (3, 1),
    "24": (4, 1),
    "28": (5, 1),
    "18": (1, 2),
    "01": (2, 2),
    "11": (3, 2),
    "22": (4, 2),
    "13": (5, 2),
    "30": (6, 2),
    "14": (1, 3),
    "16": (2, 3),
    "15": (3, 3),
    "09": (4, 3),
    "29": (5, 3),
    "21": (6, 3),
    "31": (9, 3),
    "06": (1, 4),
    "12": (3, 4),
    "17": (4, 4),
    "20": (5, 4),
    "27": (7, 4),
    "04": (8, 4),
    "23": (9, 4),
    "07": (7, 5),
}


def tile_map(states: list[dict], *, title: str, size: int = 52) -> SafeString:
    """Choropleth on the tile grid: ``states`` rows have code, abbreviation, name, count."""
    peak = max((s["count"] for s in states), default=0) or 1
    cols, rows = 10, 6
    body = []
    for s in states:
        if s["code"] not in TILES:
            continue
        col, row = TILES[s["code"]]
        share = s["count"] / peak
        # light to dark blue; empty states stay grey
        fill = (
            "#eef1f4"
            if not s["count"]
            else f"rgb({int(220 - 209 * share)},{int(233 - 150 * share)},{int(247 - 99 * share)})"
        )
        # The figures carry a halo of the other colour, so they read on every shade (WCAG contrast).
        ink = "#fff" if share > 0.55 else "#1d2733"
        halo = "#1d2733" if share > 0.55 else "#fff"
        x, y = col * size, row * size
        body.append(
            format_html(
                '<g><title>{}: {}</title><rect x="{}" y="{}" width="{}" height="{}" fill="{}" stroke="#fff"/>'
                '<text x="{}" y="{}" text-anchor="middle" fill="{}" stroke="{}" stroke-width="3" paint-order="stroke" '
                'font-size="11">{}</text>'
                '<text x="{}" y="{}" text-anchor="middle" fill="{}" stroke="{}" stroke-width="3" paint-order="stroke" '
                'font-size="13" font-weight="bold">{}</text></g>',
                s["name"],
                s["count"],
                x,
                y,
                size - 2,
                size - 2,
                fill,
                x + size / 2,
                y + 18,
                ink,
                halo,
                s["abbreviation"],
                x + size / 2,
                y + 38,
                ink,
                halo,
                s["count"],
            )
        )
    return _svg(cols * size, rows * size, title, body)
