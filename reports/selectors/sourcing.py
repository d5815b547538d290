"""What came of the anchors' sourcing opportunities: opportunities, SMEs invited, quotes, PPAPs, purchase orders
and the value awarded, in total and by anchor, supply area, the SME's state and the SME's cohort.

Definitions (also in docs/reports.md):

- *opportunities*: the program's opportunities, withdrawn ones (moderated away) left out. A report of the
  whole program counts every one posted and every invitation to them; a report of a phase or a cohort counts
  the invitations of the SMEs selected in its cohorts, and the opportunities that invited at least one of them;
- a step (*quoted*, *PPAP*, *purchase order*) counts the invitations that reached it
  (``Invitation.reached``), also those lost afterwards; *SMEs invited* counts distinct SMEs; the *value
  awarded* sums the purchase orders' values (MXN) of the invitations that reached a purchase order;
- *by anchor*: every anchor of the program; *by area*: an opportunity in two areas counts in both (the rows
  do not add up to the total); *by state*: the invited SME's state; *by cohort*: the cohorts where the invited
  SME was selected (one SME can be in two), and a row for the SMEs selected in none; in the last two, the
  opportunities are those that invited an SME of the row.

The totals and the breakdowns by anchor and state are one grouped pass over the invitations (``GROUPING SETS``), the
areas another, the cohorts one over the selected candidacies, and the opportunities each anchor and area posted one
statement; nothing is read row by row.
"""

from __future__ import annotations

from collections.abc import Mapping
from decimal import Decimal

from django.db import connection
from django.db.models import BooleanField, Count, ExpressionWrapper, F, Q, QuerySet, Sum
from django.utils.translation import gettext as _

from cohorts.models import Candidate
from programs.models import AnchorCompany, CriticalSupplyArea
from sourcing.models import Invitation, Opportunity

from .scope import ReportScope

S = Invitation.Status
STEPS = (("quoted", S.QUOTED), ("ppap", S.PPAP), ("purchase_orders", S.PURCHASE_ORDER))
FIGURES = ("opportunities", "smes_invited", "quoted", "ppap", "purchase_orders", "value_awarded_mxn")


def _whole_program(scope: ReportScope) -> bool:
    return scope.cohort is None and scope.phase is None


def scope_opportunities(scope: ReportScope) -> QuerySet[Opportunity]:
    return Opportunity.objects.filter(anchor__program_id=scope.program.pk).exclude(status=Opportunity.Status.WITHDRAWN)


def scope_invitations(scope: ReportScope) -> QuerySet[Invitation]:
    invitations = Invitation.objects.filter(opportunity__in=scope_opportunities(scope).values("id"))
    if not _whole_program(scope):
        invitations = invitations.filter(supplier_id__in=scope.selected_candidates().values("supplier_id"))
    return invitations


def _figures(*, opportunities: bool = True) -> dict:
    figures = {
        "smes_invited": Count("supplier_id", distinct=True),
        **{name: Count("id", filter=Q(reached__has_key=step)) for name, step in STEPS},
        "value_awarded_mxn": Sum("purchase_order_value_mxn", filter=Q(reached__has_key=S.PURCHASE_ORDER)),
    }
    if opportunities:
        figures["opportunities"] = Count("opportunity_id", distinct=True)
    return figures


def _row(key, name: str, values: Mapping | None, opportunities: int | None = None) -> dict:
    values = values or {}
    row = {"key": key, "name": name}
    for figure in FIGURES:
        row[figure] = values.get(figure) or (Decimal("0") if figure == "value_awarded_mxn" else 0)
    if opportunities is not None:
        row["opportunities"] = opportunities
    return row


def _grouped(invitations: QuerySet[Invitation], key: str, *, opportunities: bool = True) -> dict:
    return {
        row.pop(key): row
        for row in invitations.values(key).annotate(**_figures(opportunities=opportunities)).order_by()
    }


GROUPED_SQL = """
SELECT GROUPING(g_anchor, g_state_code, g_state_name), g_anchor, g_state_code, g_state_name,
       COUNT(DISTINCT supplier_id), {steps}, SUM(value) FILTER (WHERE f_purchase_orders),
       COUNT(DISTINCT opportunity_id)
FROM ({facts}) facts
GROUP BY GROUPING SETS ((), (g_anchor), (g_state_code, g_state_name))
"""


def _totals_by_anchor_and_state(invitations: QuerySet[Invitation]) -> tuple[dict, dict, list[dict]]:
    """``(totals, {anchor id: figures}, [figures by the invited SME's state, by state code])``: ``_figures()`` of
    the invitations in all, per anchor of the opportunity and per state of the SME, in one grouped pass (each
    invitation is one row: an opportunity has one anchor, an SME one state)."""
    facts, params = (
        invitations.annotate(
            g_anchor=F("opportunity__anchor_id"),
            g_state_code=F("supplier__state__code"),
            g_state_name=F("supplier__state__name"),
            value=F("purchase_order_value_mxn"),
            **{f"f_{name}": ExpressionWrapper(Q(reached__has_key=step), BooleanField()) for name, step in STEPS},
        )
        .values(
            "g_anchor",
            "g_state_code",
            "g_state_name",
            "supplier_id",
            "opportunity_id",
            "value",
            *(f"f_{name}" for name, _step in STEPS),
        )
        .order_by()
        .query.sql_with_params()
    )
    steps = ", ".join(f"COUNT(*) FILTER (WHERE f_{name})" for name, _step in STEPS)
    totals: dict = {}
    per_anchor: dict = {}
    by_state: list[dict] = []
    with connection.cursor() as cursor:
        cursor.execute(GROUPED_SQL.format(facts=facts, steps=steps), params)
        for mask, anchor, code, state_name, smes, *counts, value, opportunities in cursor.fetchall():
            figures = {
                "smes_invited": smes,
                **dict(zip((name for name, _step in STEPS), counts, strict=True)),
                "value_awarded_mxn": value,
                "opportunities": opportunities,
            }
            if mask == 0b111:
                totals = figures
            elif mask == 0b011:
                per_anchor[anchor] = figures
            else:
                by_state.append({"supplier__state__code": code, "supplier__state__name": state_name, **figures})
    return (
        totals,
        per_anchor,
        sorted(by_state, key=lambda row: (row["supplier__state__code"] is None, row["supplier__state__code"] or "")),
    )


POSTED_SQL = """
SELECT 'anchor', pk, name, NULL, NULL, n FROM ({anchors}) a (pk, name, n)
UNION ALL
SELECT 'area', pk, code, name_es, name_en, n FROM ({areas}) b (pk, code, name_es, name_en, n)
ORDER BY 1, 3, 2
"""


def _posted(scope: ReportScope) -> tuple[list[tuple], list[tuple]]:
    """``([(anchor id, name, opportunities posted)] by name, [(area id, code, name_es, name_en, opportunities)] by
    code)``: every anchor of the program with its opportunities (withdrawn left out), and the supply areas of the
    scope's opportunities (``None`` for those without an area), in one statement."""
    anchors, anchor_params = (
        AnchorCompany.objects.filter(program_id=scope.program.pk)
        .annotate(
            posted=Count("opportunities", filter=~Q(opportunities__status=Opportunity.Status.WITHDRAWN), distinct=True)
        )
        .order_by()
        .values_list("pk", "name", "posted")
        .query.sql_with_params()
    )
    areas, area_params = (
        scope_opportunities(scope)
        .values_list("areas", "areas__code", "areas__name_es", "areas__name_en")
        .annotate(n=Count("id"))
        .order_by()
        .query.sql_with_params()
    )
    with connection.cursor() as cursor:
        cursor.execute(POSTED_SQL.format(anchors=anchors, areas=areas), [*anchor_params, *area_params])
        rows = cursor.fetchall()
    return (
        [(pk, name, n) for kind, pk, name, _es, _en, n in rows if kind == "anchor"],
        [(pk, code, name_es, name_en, n) for kind, pk, code, name_es, name_en, n in rows if kind == "area"],
    )


def sourcing_results(scope: ReportScope) -> dict:
    whole = _whole_program(scope)
    invitations = scope_invitations(scope)
    totals, per_anchor, per_state = _totals_by_anchor_and_state(invitations)

    # By anchor: every anchor of the program (those that posted nothing too); the supply areas of the opportunities.
    posted, posted_areas = _posted(scope)
    if whole:  # every opportunity has one anchor of the program
        totals["opportunities"] = sum(count for _pk, _name, count in posted)
    by_anchor = [_row(pk, name, per_anchor.get(pk), posted if whole else None) for pk, name, posted in posted]

    # By supply area of the opportunity.
    per_area = _grouped(invitations, "opportunity__areas")
    area_names = {}
    area_posted = {}
    for pk, code, name_es, name_en, count in posted_areas:
        if pk is None:
            continue
        area_names[pk] = (code, name_es, name_en)
        area_posted[pk] = count
    by_area = []
    for pk, (code, name_es, name_en) in area_names.items():
        if whole or pk in per_area:
            by_area.append(
                _row(code, _area_name(code, name_es, name_en), per_area.get(pk), area_posted[pk] if whole else None)
            )

    # By the invited SME's state.
    by_state = [_row(row["supplier__state__code"], row["supplier__state__name"], row) for row in per_state]

    # By the cohort where the invited SME was selected (the scope's cohorts only, unless the whole program):
    # grouped from the selected candidacies, joined to the invitations in scope.
    selected = Candidate.objects.filter(status=Candidate.Status.SELECTED, cohort__program_id=scope.program.pk)
    if not whole:
        selected = selected.filter(scope.candidacy_q())
    path = "supplier__sourcing_invitations__"
    by_cohort = [
        _row(row["cohort_id"], row["cohort__name"], row)
        for row in selected.filter(**{f"{path}in": invitations})
        .values("cohort_id", "cohort__name", "cohort__year")
        .annotate(
            opportunities=Count(f"{path}opportunity_id", distinct=True),
            smes_invited=Count("supplier_id", distinct=True),
            **{name: Count(f"{path}id", filter=Q(**{f"{path}reached__has_key": step})) for name, step in STEPS},
            value_awarded_mxn=Sum(
                f"{path}purchase_order_value_mxn", filter=Q(**{f"{path}reached__has_key": S.PURCHASE_ORDER})
            ),
        )
        .order_by("cohort__year", "cohort__name", "cohort_id")
    ]
    if whole:  # the invitations of SMEs selected in no cohort
        apart = invitations.exclude(supplier_id__in=selected.values("supplier_id")).aggregate(**_figures())
        if apart["smes_invited"]:
            by_cohort.append(_row(None, _("Not selected in a cohort"), apart))

    return {
        "totals": _row(None, _("Total"), totals),
        "by_anchor": by_anchor,
        "by_area": by_area,
        "by_state": by_state,
        "by_cohort": by_cohort,
    }


def _area_name(code: str, name_es: str, name_en: str) -> str:
    return f"{code} · {CriticalSupplyArea(name_es=name_es, name_en=name_en).name}"
