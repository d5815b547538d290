"""The indicator catalogue and its values per round, computed by SQL aggregates, in a tidy layout.

One row per (round, indicator, group, breakdown, breakdown value): the value, the SMEs behind it and whether it
is suppressed (fewer than 5 SMEs, or hidden so that a hidden cell cannot be worked out from the totals).
"""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal

from django.db import connection
from django.db.models import Count, F, Q, QuerySet, Sum
from django.utils import translation
from django.utils.translation import gettext_lazy as _

from . import sources
from .models import AnchorSales, IndicatorValue, OutcomeResponse, OutcomeRound
from .suppression import Cell, suppress

ALL = "all"


@dataclass(frozen=True)
class Indicator:
    code: str
    name: object  # lazy translation: the Spanish and English names come from the catalogue of messages
    definition: object
    unit: object
    computation: str  # sum | mean | count
    breakdowns: tuple[str, ...]

    def names(self) -> dict[str, str]:
        out = {}
        for lang in ("es-mx", "en"):
            with translation.override(lang):
                out[lang[:2]] = str(self.name)
        return out


COMMON = ("size", "state", "area", "cohort")
CATALOGUE = (
    Indicator(
        "smes_reporting",
        _("SMEs that reported"),
        _("SMEs that sent their follow-up answer in the round."),
        _("SMEs"),
        "count",
        COMMON,
    ),
    Indicator(
        "sales_mdp",
        _("Sales"),
        _("Sales of the SMEs in the round's period."),
        _("millions of pesos"),
        "sum",
        COMMON,
    ),
    Indicator(
        "export_sales_mdp",
        _("Exports"),
        _("Sales abroad of the SMEs in the round's period."),
        _("millions of pesos"),
        "sum",
        COMMON,
    ),
    Indicator(
        "employees",
        _("Jobs"),
        _("People employed by the SMEs at the time of the answer, by sex."),
        _("people"),
        "sum",
        ("sex", *COMMON),
    ),
    Indicator(
        "women_in_management",
        _("Women in management"),
        _("Women in management positions at the SMEs."),
        _("people"),
        "sum",
        COMMON,
    ),
    Indicator(
        "new_customers",
        _("New customers"),
        _(
            "Customers the SMEs won in the round's period: those answered plus the anchors whose first purchase order "
            "through the program is dated in it."
        ),
        _("customers"),
        "sum",
        COMMON,
    ),
    Indicator(
        "anchor_sales_mdp",
        _("Sales to anchors"),
        _(
            "Sales of the SMEs to the program's anchor companies in the round's period: those answered plus the "
            "purchase orders the anchors gave through the program."
        ),
        _("millions of pesos"),
        "sum",
        ("anchor", *COMMON),
    ),
    Indicator(
        "national_content_share",
        _("National content of sales to anchors"),
        _("Mean share of national content in what the SMEs sell to the anchors (SMEs that sell to anchors)."),
        _("percent"),
        "mean",
        COMMON,
    ),
    Indicator(
        "financing_obtained_mdp",
        _("Financing obtained"),
        _("Financing the SMEs obtained in the period: disbursed through the program plus the rest answered."),
        _("millions of pesos"),
        "sum",
        COMMON,
    ),
    Indicator(
        "certifications_obtained",
        _("Certifications obtained"),
        _("Certifications obtained in the period: those recorded in development plans plus those answered."),
        _("certifications"),
        "sum",
        COMMON,
    ),
    Indicator(
        "purchase_orders_mdp",
        _("Purchase orders from anchors"),
        _("Value of the purchase orders the anchors gave the SMEs through the program, dated in the period."),
        _("millions of pesos"),
        "sum",
        COMMON,
    ),
    Indicator(
        "women_owned_or_led_smes",
        _("Women-owned or women-led SMEs (IFC)"),
        _("SMEs at least 51% owned by women, or at least 20% with a woman CEO/COO and 30% of the board women."),
        _("SMEs"),
        "count",
        COMMON,
    ),
)
BY_CODE = {i.code: i for i in CATALOGUE}
BREAKDOWN_LABELS = {
    ALL: _("All"),
    "sex": _("Sex"),
    "size": _("Size (IFC)"),
    "state": _("State"),
    "anchor": _("Anchor"),
    "area": _("Supply area"),
    "cohort": _("Cohort"),
}
# The column each breakdown groups by (sex and anchor are handled apart).
BREAKDOWN_FIELDS = {
    ALL: None,
    "size": "supplier__company_class__ifc_size",
    "state": "supplier__state__name",
    "area": "supplier__supply_areas__name_es",
    "cohort": "round__cohort__name",
}


SENT = OutcomeResponse.Status.SUBMITTED


def _aggregates() -> dict:
    women = Q(supplier__company_class__women_class__in=["owned", "led"])
    return {
        "n": Count("supplier_id", distinct=True),
        "smes_reporting": Count("supplier_id", distinct=True),
        "sales_mdp": Sum("sales_mdp"),
        "export_sales_mdp": Sum("export_sales_mdp"),
        "employees": Sum(F("employees_women") + F("employees_men")),
        "employees_women": Sum("employees_women"),
        "employees_men": Sum("employees_men"),
        "women_in_management": Sum("women_in_management"),
        "new_customers": Sum(F("new_customers") + F("new_customers_recorded")),
        "national_content_share": Sum("national_content_share") / Count("national_content_share"),
        "financing_obtained_mdp": Sum(F("financing_obtained_mdp") + F("financing_recorded_mdp")),
        "certifications_obtained": Sum(F("certifications_obtained") + F("certifications_recorded")),
        "purchase_orders_mdp": Sum("purchase_orders_mdp"),
        "women_owned_or_led_smes": Count("supplier_id", filter=women, distinct=True),
    }


def _number(value) -> float | None:
    if value is None:
        return None
    return float(round(Decimal(value), 3)) if not isinstance(value, int) else value


def indicator_rows(rounds: list[OutcomeRound]) -> list[dict]:
    """Tidy rows for ``rounds``, suppression applied. One SQL query per breakdown (and one for anchors)."""
    ids = [r.pk for r in rounds]
    base = OutcomeResponse.objects.filter(round_id__in=ids, status=SENT)
    cells: list[Cell] = []
    for breakdown, column in BREAKDOWN_FIELDS.items():
        keys = ["round_id", "group"] + ([column] if column else [])
        for row in base.values(*keys).annotate(**_aggregates()).order_by(*keys):
            level = row.get(column, ALL) if column else ALL
            level = "" if level is None else level
            for indicator in CATALOGUE:
                if breakdown != ALL and breakdown not in indicator.breakdowns:
                    continue
                if indicator.code == "anchor_sales_mdp":
                    continue
                cells += _cells(row, indicator.code, breakdown, level)
    # Sales to each anchor: answered plus the purchase orders of the period (outcomes.sources), the SMEs behind
    # each counted once; per anchor and in total (grouping sets), in one query.
    for round_id, group, anchor, n, value in _anchor_sales(ids):
        for breakdown in (ALL, "anchor") if anchor is None else ("anchor",):
            family = (round_id, "anchor_sales_mdp", group, breakdown)
            is_total = anchor is None
            cells.append(Cell(family, ALL if is_total else anchor, n, _number(value), is_total=is_total))
    cells = _with_totals(cells)
    names = {r.pk: r for r in rounds}
    return [
        {
            "round": names[c.family[0]].name,
            "round_id": c.family[0],
            "period_end": names[c.family[0]].period_end.isoformat(),
            "indicator": c.family[1],
            "group": c.family[2],
            "breakdown": c.family[3],
            "level": c.key,
            "value": None if c.suppressed else c.value,
            "n_smes": None if c.suppressed else c.n_smes,
            "suppressed": c.suppressed,
        }
        for c in cells
    ]


def _anchor_sales(round_ids: list[int]) -> list[tuple]:
    answered = AnchorSales.objects.filter(response__round_id__in=round_ids, response__status=SENT).values_list(
        "response__round_id", "response__group", "anchor__name", "response__supplier_id", "sales_mdp"
    )
    parts = [qs.query.sql_with_params() for qs in (answered, sources.orders_of_sent_answers(round_ids))]
    sql = (
        "SELECT round_id, grp, anchor, COUNT(DISTINCT supplier_id), SUM(value) "
        f"FROM (({parts[0][0]}) UNION ALL ({parts[1][0]})) AS t(round_id, grp, anchor, supplier_id, value) "
        "GROUP BY GROUPING SETS ((round_id, grp, anchor), (round_id, grp)) ORDER BY 1, 2, 3 NULLS FIRST"
    )
    with connection.cursor() as cursor:
        cursor.execute(sql, (*parts[0][1], *parts[1][1]))
        return cursor.fetchall()


def _cells(row: dict, code: str, breakdown: str, level) -> list[Cell]:
    family = (row["round_id"], code, row["group"], breakdown)
    if breakdown != ALL:
        return [Cell(family, level, row["n"], _number(row[code]))]
    cells = [Cell(family, ALL, row["n"], _number(row[code]), is_total=True)]
    if code == "employees":  # the split by sex of the same SMEs' headcount
        sex = (row["round_id"], code, row["group"], "sex")
        cells += [
            Cell(sex, "women", row["n"], _number(row["employees_women"])),
            Cell(sex, "men", row["n"], _number(row["employees_men"])),
        ]
    return cells


def _with_totals(cells: list[Cell]) -> list[Cell]:
    """Each breakdown's family gets the group's total (from the ``all`` row) so a hidden total hides it."""
    totals = {(c.family[0], c.family[1], c.family[2]): c for c in cells if c.family[3] == ALL}
    out = list(cells)
    for family in {c.family for c in cells if c.family[3] != ALL}:
        total = totals.get(family[:3])
        if total is not None and not any(c.is_total and c.family == family for c in cells):
            out.append(Cell(family, ALL, total.n_smes, total.value, is_total=True))
    out = suppress(out)
    # The copies of totals in breakdown families are not published twice.
    return [c for c in out if not (c.is_total and c.family[3] != ALL)]


def stored_values(rounds) -> QuerySet[IndicatorValue]:
    """The values stored when ``rounds`` (a queryset or list of closed rounds) closed, in the export's order."""
    return (
        IndicatorValue.objects.filter(round__in=rounds)
        .select_related("round")
        .order_by("round__period_end", "round_id", "position")
    )


def stored_row(value: IndicatorValue) -> dict:
    """One stored value in the tidy layout of ``indicator_rows``."""
    return {
        "round": value.round.name,
        "round_id": value.round_id,
        "period_end": value.round.period_end.isoformat(),
        "indicator": value.indicator,
        "group": value.group,
        "breakdown": value.breakdown,
        "level": value.level,
        "value": value.value,
        "n_smes": value.n_smes,
        "suppressed": value.suppressed,
    }
