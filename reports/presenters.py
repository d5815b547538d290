"""Turn report figures into the charts and labels the page shows."""

from django.utils.formats import date_format
from django.utils.translation import gettext as _

from . import charts


def report_charts(summary: dict) -> dict:
    funnel_labels = {
        "registered": _("Registered"),
        "verified": _("Verified"),
        "diagnosed": _("Diagnosed"),
        "proposed": _("Proposed"),
        "selected": _("Selected"),
    }
    months = [(date_format(r["month"], "M Y"), r["count"]) for r in summary["registrations_by_month"]]
    comparison = summary["selected_vs_not"]
    dims = comparison["dimensions"]
    change = summary["maturity_change"]
    delivered = summary["hours_delivered"]
    return {
        "funnel_rows": [(funnel_labels[r["stage"]], r["count"]) for r in summary["funnel"]],
        "by_month": charts.column_chart(months, title=_("Registrations per month")),
        "map": charts.tile_map(summary["registrations_by_state"], title=_("Registrations by state")),
        "by_region": charts.bar_chart(
            [(r["name"], r["count"]) for r in summary["registrations_by_region"]], title=_("Registrations by region")
        ),
        "by_area": charts.bar_chart(
            [(f"{r['code']} {r['name']}", r["count"]) for r in summary["registrations_by_area"]],
            title=_("Registrations by supply area"),
            label_width=220,
        ),
        "by_size": charts.bar_chart(
            [(r["name"], r["count"]) for r in summary["registrations_by_size"]],
            title=_("Registrations by size"),
            color=charts.PALETTE[1],
        ),
        "by_sector": charts.bar_chart(
            [(r["name"], r["count"]) for r in summary["registrations_by_sector"]],
            title=_("Registrations by sector"),
            color=charts.PALETTE[2],
        ),
        "funnel": charts.funnel_chart(
            [(funnel_labels[r["stage"]], r["count"]) for r in summary["funnel"]], title=_("Funnel")
        ),
        "maturity": charts.column_chart(
            [(_("Level %(n)s") % {"n": r["level"]}, r["count"]) for r in summary["maturity_distribution"]],
            title=_("Maturity levels"),
            color=charts.PALETTE[4],
        ),
        "histogram": charts.column_chart(
            [(f"{r['low']}-{r['high']}", r["count"]) for r in summary["score_histogram"]],
            title=_("Overall scores"),
            color=charts.PALETTE[3],
        ),
        "dimensions": charts.bar_chart(
            [(r["name"], r["average"]) for r in summary["average_dimension_scores"]],
            title=_("Average score per dimension"),
        ),
        "comparison": charts.grouped_bars(
            [_("Overall score"), _("Growth potential"), *[d["name"] for d in dims]],
            [
                (
                    _("Selected"),
                    [
                        comparison["selected"]["overall_score"],
                        comparison["selected"]["growth_index"],
                        *[comparison["selected"]["dimensions"].get(d["code"]) for d in dims],
                    ],
                ),
                (
                    _("Not selected"),
                    [
                        comparison["not_selected"]["overall_score"],
                        comparison["not_selected"]["growth_index"],
                        *[comparison["not_selected"]["dimensions"].get(d["code"]) for d in dims],
                    ],
                ),
            ],
            title=_("Selected vs not selected"),
        ),
        "coverage": charts.bar_chart(
            [(f"{r['code']} {r['name']}", r["selected"]) for r in summary["area_coverage"]],
            title=_("Selected SMEs per supply area"),
            color=charts.PALETTE[2],
            label_width=220,
        ),
        "anchors": charts.grouped_bars(
            [r["name"] for r in summary["anchor_coverage"]],
            [
                (_("Demanded areas"), [r["demanded"] for r in summary["anchor_coverage"]]),
                (_("Covered areas"), [r["covered"] for r in summary["anchor_coverage"]]),
            ],
            title=_("Anchor demands covered"),
            maximum=None,
        ),
        "before_after": charts.grouped_bars(
            [_("Overall score"), *[d["name"] for d in change["dimensions"]]],
            [
                (_("Before"), [change["overall_before"], *[d["before"] for d in change["dimensions"]]]),
                (_("After"), [change["overall_after"], *[d["after"] for d in change["dimensions"]]]),
            ],
            title=_("Maturity before and after"),
        ),
        "hours": charts.bar_chart(
            [(r["name"], r["hours"]) for r in delivered["by_kind"]],
            title=_("Confirmed hours delivered by kind"),
            color=charts.PALETTE[1],
        ),
    }
