"""Charts of the impact report as inline SVG drawn on the server: trajectories of both groups over the rounds,
the estimate with its 95 % interval per outcome, and the women/men split of headcounts. Labels at 14 user units on
drawings at most 640 wide stay legible on a phone; every mark has a <title> with its figure."""

from __future__ import annotations

from django.utils.html import escape
from django.utils.safestring import SafeString, mark_safe
from django.utils.translation import gettext as _

SELECTED_COLOUR = "#0b5394"
COMPARISON_COLOUR = "#b45309"
WOMEN_COLOUR = "#7b2d8b"
MEN_COLOUR = "#2f6f4f"
FONT = 'font-family="system-ui, sans-serif" font-size="14"'


def _fmt(value: float) -> str:
    return f"{value:,.1f}"


def _svg(width: int, height: int, title: str, body: list[str]) -> SafeString:
    return mark_safe(  # noqa: S308 - every text is escaped where it is inserted
        f'<svg class="chart" role="img" viewBox="0 0 {width} {height}" width="100%" '
        f'preserveAspectRatio="xMinYMin meet" xmlns="http://www.w3.org/2000/svg" {FONT}>'
        f"<title>{escape(title)}</title>{''.join(body)}</svg>"
    )


def _empty(title: str) -> SafeString:
    return _svg(
        480, 40, title, [f'<text x="8" y="26" fill="#495057">{escape(_("No data yet for this chart."))}</text>']
    )


def trajectories(labels: list[str], series: dict[str, list[float | None]], *, title: str) -> SafeString:
    """Lines of the mean per round: ``series`` is {"selected": [...], "comparison": [...]} aligned to labels."""
    values = [v for s in series.values() for v in s if v is not None]
    if len(labels) < 1 or not values:
        return _empty(title)
    width, height, left, right, top, bottom = 560, 260, 70, 20, 20, 50
    low, high = min(0.0, min(values)), max(values) or 1.0
    span = (high - low) or 1.0
    step = (width - left - right) / max(len(labels) - 1, 1)

    def xy(i: int, v: float) -> tuple[float, float]:
        return left + i * step, top + (height - top - bottom) * (1 - (v - low) / span)

    body = [
        f'<line x1="{left}" y1="{height - bottom}" x2="{width - right}" y2="{height - bottom}" stroke="#6c757d"/>',
        f'<text x="{left - 8}" y="{top + 5}" text-anchor="end">{escape(_fmt(high))}</text>',
        f'<text x="{left - 8}" y="{height - bottom}" text-anchor="end">{escape(_fmt(low))}</text>',
    ]
    for i, label in enumerate(labels):
        x = left + i * step
        body.append(f'<text x="{x:.1f}" y="{height - bottom + 22}" text-anchor="middle">{escape(label)}</text>')
    names = {"selected": _("Selected"), "comparison": _("Comparison group")}
    for key, colour, dash in (("selected", SELECTED_COLOUR, ""), ("comparison", COMPARISON_COLOUR, "6 4")):
        points = [(i, v) for i, v in enumerate(series.get(key, [])) if v is not None]
        if len(points) > 1:
            path = " ".join(f"{xy(i, v)[0]:.1f},{xy(i, v)[1]:.1f}" for i, v in points)
            body.append(
                f'<polyline points="{path}" fill="none" stroke="{colour}" stroke-width="3" stroke-dasharray="{dash}"/>'
            )
        for i, v in points:
            x, y = xy(i, v)
            body.append(
                f'<circle cx="{x:.1f}" cy="{y:.1f}" r="5" fill="{colour}"><title>'
                f"{escape(names[key])}, {escape(labels[i])}: {escape(_fmt(v))}</title></circle>"
            )
    return _svg(width, height, title, body)


def estimate_intervals(rows: list[tuple[str, float, float, float]], *, title: str) -> SafeString:
    """One row per outcome: (label, estimate, low, high) as a dot with its interval around a zero line. Each
    row is scaled on its own (the outcomes have different units); the zero line is drawn per row."""
    if not rows:
        return _empty(title)
    width, row_h, label_w = 560, 56, 200
    body = []
    for n, (label, estimate, low, high) in enumerate(rows):
        y = 20 + n * row_h
        lo, hi = min(low, 0.0), max(high, 0.0)
        span = (hi - lo) or 1.0

        def x(v: float, lo=lo, span=span) -> float:
            return label_w + 10 + (width - label_w - 30) * (v - lo) / span

        body.append(f'<text x="0" y="{y + 5}">{escape(label)}</text>')
        body.append(f'<line x1="{x(0):.1f}" y1="{y - 14}" x2="{x(0):.1f}" y2="{y + 14}" stroke="#6c757d"/>')
        body.append(
            f'<line x1="{x(low):.1f}" y1="{y}" x2="{x(high):.1f}" y2="{y}" '
            f'stroke="{SELECTED_COLOUR}" stroke-width="3"/>'
        )
        body.append(
            f'<circle cx="{x(estimate):.1f}" cy="{y}" r="6" fill="{SELECTED_COLOUR}"><title>'
            f"{escape(label)}: {escape(_fmt(estimate))} ({escape(_fmt(low))} – {escape(_fmt(high))})</title></circle>"
        )
        body.append(
            f'<text x="{label_w + 10}" y="{y + 30}" fill="#495057">'
            f"{escape(_fmt(estimate))} ({escape(_fmt(low))} – {escape(_fmt(high))})</text>"
        )
    return _svg(width, 20 + len(rows) * row_h, title, body)


def gender_split(rows: list[tuple[str, float, float]], *, title: str) -> SafeString:
    """Stacked bars of women and men per row (label, women, men) as shares of the row's headcount."""
    rows = [r for r in rows if (r[1] or 0) + (r[2] or 0) > 0]
    if not rows:
        return _empty(title)
    width, row_h, label_w = 560, 40, 220
    bar_w = width - label_w - 10
    body = []
    for n, (label, women, men) in enumerate(rows):
        y = 10 + n * row_h
        total = women + men
        w = bar_w * women / total
        share = round(100 * women / total)
        body.append(f'<text x="0" y="{y + 18}">{escape(label)}</text>')
        body.append(
            f'<rect x="{label_w}" y="{y}" width="{w:.1f}" height="26" fill="{WOMEN_COLOUR}"><title>'
            f"{escape(_('Women'))}: {share}%</title></rect>"
        )
        body.append(
            f'<rect x="{label_w + w:.1f}" y="{y}" width="{bar_w - w:.1f}" height="26" fill="{MEN_COLOUR}"><title>'
            f"{escape(_('Men'))}: {100 - share}%</title></rect>"
        )
        if w > 44:
            body.append(f'<text x="{label_w + 6}" y="{y + 18}" fill="#fff">{share}%</text>')
    return _svg(width, 10 + len(rows) * row_h, title, body)
