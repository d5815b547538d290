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

from django.db.models import BooleanField, Count, ExpressionWrapper, F, Q, QuerySet, Sum, Value
from django.utils.translation import gettext as _

from cohorts.models import Candidate
from programs.models import AnchorCompany, CriticalSupplyArea
from sourcing.models import Invitation, Opportunity

from .scope import ReportScope
from .together import compiled, read_together

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


GROUPED_SQL = """
SELECT GROUPING(g_anchor, g_state_code, g_state_name) AS mask, g_anchor AS anchor, g_state_code AS state_code,
       g_state_name AS state_name, COUNT(DISTINCT supplier_id) AS smes_invited, {steps},
       SUM(value) FILTER (WHERE f_purchase_orders) AS value_awarded_mxn, COUNT(DISTINCT opportunity_id) AS opportunities
FROM ({facts}) facts
GROUP BY GROUPING SETS ((), (g_anchor), (g_state_code, g_state_name))
"""


def _grouped_sql(invitations: QuerySet[Invitation]) -> tuple[str, tuple]:
    """``_figures()`` of the invitations in all (``mask`` 7), per anchor of the opportunity (3) and per state of the
    SME (4), in one grouped pass (each invitation is one row: an opportunity has one anchor, an SME one state)."""
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
    steps = ", ".join(f"COUNT(*) FILTER (WHERE f_{name}) AS {name}" for name, _step in STEPS)
    return GROUPED_SQL.format(facts=facts, steps=steps), params


POSTED_SQL = """
SELECT 'anchor' AS kind, pk, name, NULL AS name_es, NULL AS name_en, n FROM ({anchors}) a (pk, name, n)
UNION ALL
SELECT 'area', pk, code, name_es, name_en, n FROM ({areas}) b (pk, code, name_es, name_en, n)
ORDER BY 1, 3, 2
"""


def _posted_sql(scope: ReportScope) -> tuple[str, tuple]:
    """Every anchor of the program with its opportunities posted (withdrawn left out), by name (``kind``
    'anchor'), and the supply areas of the scope's opportunities (``pk`` ``None`` for those without an area) with
    their opportunities, by code ('area')."""
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
    return POSTED_SQL.format(anchors=anchors, areas=areas), (*anchor_params, *area_params)


def sourcing_results(scope: ReportScope) -> dict:
    whole = _whole_program(scope)
    invitations = scope_invitations(scope)
    # The SMEs selected in a cohort (the scope's cohorts only, unless the whole program).
    selected = Candidate.objects.filter(status=Candidate.Status.SELECTED, cohort__program_id=scope.program.pk)
    if not whole:
        selected = selected.filter(scope.candidacy_q())
    path = "supplier__sourcing_invitations__"
    queries = {
        "grouped": _grouped_sql(invitations),
        "posted": _posted_sql(scope),
        "areas": compiled(
            invitations.values(opportunity_area=F("opportunity__areas")).annotate(**_figures()).order_by()
        ),
        # grouped from the selected candidacies, joined to the invitations in scope
        "cohorts": compiled(
            selected.filter(**{f"{path}in": invitations})
            .values("cohort_id", cohort_name=F("cohort__name"))
            .annotate(
                opportunities=Count(f"{path}opportunity_id", distinct=True),
                smes_invited=Count("supplier_id", distinct=True),
                **{name: Count(f"{path}id", filter=Q(**{f"{path}reached__has_key": step})) for name, step in STEPS},
                value_awarded_mxn=Sum(
                    f"{path}purchase_order_value_mxn", filter=Q(**{f"{path}reached__has_key": S.PURCHASE_ORDER})
                ),
            )
            .order_by("cohort__year", "cohort__name", "cohort_id")
        ),
    }
    if whole:  # the invitations of SMEs selected in no cohort
        queries["apart"] = compiled(
            invitations.exclude(supplier_id__in=selected.values("supplier_id"))
            .values(apart=Value(1))
            .annotate(**_figures())
            .order_by()
        )
    rows = read_together(queries)  # one statement

    totals: dict = {}
    per_anchor: dict = {}
    per_state = []
    for row in rows["grouped"]:
        if row["mask"] == 0b111:
            totals = row
        elif row["mask"] == 0b011:
            per_anchor[row["anchor"]] = row
        else:
            per_state.append(row)

    # By anchor: every anchor of the program (those that posted nothing too).
    posted = [(r["pk"], r["name"], r["n"]) for r in rows["posted"] if r["kind"] == "anchor"]
    if whole:  # every opportunity has one anchor of the program
        totals["opportunities"] = sum(count for _pk, _name, count in posted)
    by_anchor = [_row(pk, name, per_anchor.get(pk), posted if whole else None) for pk, name, posted in posted]

    # By supply area of the opportunity.
    per_area = {row["opportunity_area"]: row for row in rows["areas"]}
    area_names = {}
    area_posted = {}
    for r in rows["posted"]:
        if r["kind"] != "area" or r["pk"] is None:
            continue
        area_names[r["pk"]] = (r["name"], r["name_es"], r["name_en"])
        area_posted[r["pk"]] = r["n"]
    by_area = []
    for pk, (code, name_es, name_en) in area_names.items():
        if whole or pk in per_area:
            by_area.append(
                _row(code, _area_name(code, name_es, name_en), per_area.get(pk), area_posted[pk] if whole else None)
            )

    # By the invited SME's state.
    by_state = [
        _row(row["state_code"], row["state_name"], row)
        for row in sorted(per_state, key=lambda row: (row["state_code"] is None, row["state_code"] or ""))
    ]

    # By the cohort where the invited SME was selected.
    by_cohort = [_row(row["cohort_id"], row["cohort_name"], row) for row in rows["cohorts"]]
    for apart in rows.get("apart", []):
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
