"""Every figure counted once per registered supplier, in one pass over the suppliers.

Registrations by month, state, region, size and sector, the funnel, and the baselines by maturity
level and score bin group the same rows (the registered suppliers, each with its current baseline
LEFT JOINed once) by different columns. ``registered_figures`` reads them in one statement,
``GROUP BY GROUPING SETS`` over a subquery the ORM compiles (``supplier_facts``: the scope's
filters, the time zone of the months, the funnel's candidate sets), instead of eight queries that
each read the 100,000 suppliers. It gives the same figures as those eight selectors, one by one
(tests/reports/test_selectors.py).
"""

from collections.abc import Hashable

from django.db import connection
from django.db.models import BooleanField, Count, Exists, ExpressionWrapper, F, FilteredRelation, OuterRef, Q
from django.db.models.functions import TruncMonth

from assessments.models import Diagnostic
from cohorts.models import Candidate
from suppliers.models import Supplier

from .maturity import levels_and_histogram, score_bin
from .registrations import (
    FUNNEL_STAGES,
    choice_rows,
    funnel_rows,
    geography_rows,
    month_rows,
)
from .scope import ReportScope, baseline_diagnostics

COLUMNS = ("g_month", "g_state", "g_region", "g_size", "g_sector", "g_level", "g_bin")
SETS = {  # grouping set -> the columns it groups by
    "month": ("g_month",),
    "state": ("g_state",),
    "region": ("g_region",),
    "size": ("g_size",),
    "sector": ("g_sector",),
    "baseline": ("g_level", "g_bin"),
    "total": (),
}
# GROUPING(all columns) of a row: one bit per column not grouped by its set, the first column highest.
MASKS = {
    sum(1 << (len(COLUMNS) - 1 - i) for i, c in enumerate(COLUMNS) if c not in cols): name
    for name, cols in SETS.items()
}


def _flag(q: Q) -> ExpressionWrapper:
    return ExpressionWrapper(q, output_field=BooleanField())


def supplier_facts(scope: ReportScope):
    """One row per registered supplier: what the figures group it by, and the funnel's conditions
    (the same definitions as ``registrations.funnel`` and ``maturity.baseline_levels_and_scores``)."""
    candidacies = scope.candidates()
    in_proposal = candidacies.filter(Q(in_proposal=True) | Q(status=Candidate.Status.SELECTED))
    return (
        scope.registered_suppliers()
        .annotate(current_baseline=FilteredRelation("diagnostics", condition=Q(diagnostics__is_current_baseline=True)))
        .annotate(
            g_month=TruncMonth("registered_at"),
            g_state=F("state_id"),
            g_region=F("state__region_id"),
            g_size=F("size"),
            g_sector=F("sector"),
            g_level=F("current_baseline__maturity_level"),
            g_bin=score_bin("current_baseline__overall_score"),
            f_verified=_flag(Q(status=Supplier.Status.VERIFIED)),
            f_baseline=_flag(Q(current_baseline__id__isnull=False)),
            f_proposed=_flag(Q(id__in=in_proposal.values("supplier_id"))),
            f_selected=_flag(Q(id__in=candidacies.filter(status=Candidate.Status.SELECTED).values("supplier_id"))),
        )
        .values(*COLUMNS, "f_verified", "f_baseline", "f_proposed", "f_selected")
        .order_by()
    )


GROUPED_SQL = """
SELECT GROUPING({columns}), {columns}, COUNT(*),
       COUNT(*) FILTER (WHERE f_verified),
       COUNT(*) FILTER (WHERE f_verified AND f_baseline),
       COUNT(*) FILTER (WHERE f_verified AND f_baseline AND f_proposed),
       COUNT(*) FILTER (WHERE f_verified AND f_baseline AND f_proposed AND f_selected)
FROM ({facts}) facts
GROUP BY GROUPING SETS ({sets})
"""


def registered_figures(scope: ReportScope) -> dict:
    """``registrations_by_month/state/region/size/sector``, ``funnel``, ``maturity_distribution`` and
    ``score_histogram`` of ``scope`` (see the module)."""
    facts, params = supplier_facts(scope).query.sql_with_params()
    sql = GROUPED_SQL.format(
        columns=", ".join(COLUMNS), facts=facts, sets=", ".join(f"({', '.join(cols)})" for cols in SETS.values())
    )
    counts: dict[str, dict[Hashable, int]] = {name: {} for name in SETS}  # figure -> {group key: count}
    baselines, stages = [], dict.fromkeys(FUNNEL_STAGES, 0)  # the statement's figures are in this order
    with connection.cursor() as cursor:
        cursor.execute(sql, params)
        for mask, month, state, region, size, sector, level, low, *figures in cursor.fetchall():
            name = MASKS[mask]
            if name == "total":
                stages = dict(zip(stages, figures, strict=True))
            elif name == "baseline":
                baselines.append((level, low, figures[0]))
            else:
                key = {"month": month, "state": state, "region": region, "size": size, "sector": sector}[name]
                counts[name][key] = figures[0]
    distribution, histogram = levels_and_histogram(baselines)
    states, regions = geography_rows(counts["state"], counts["region"])
    return {
        "registrations_by_month": month_rows(counts["month"]),
        "registrations_by_state": states,
        "registrations_by_region": regions,
        "registrations_by_size": choice_rows("size", counts["size"]),
        "registrations_by_sector": choice_rows("sector", counts["sector"]),
        "funnel": funnel_rows(stages),
        "maturity_distribution": distribution,
        "score_histogram": histogram,
    }


# The same figures in two narrower parts, cached apart (``reports.selectors.SECTIONS``): what the suppliers' own
# columns give (``tallied.registration_counts`` reads it from the tallies) and what their baselines and candidacies
# give (``baseline_figures``), which a registration without a baseline leaves as it was.

REGISTRATION_COLUMNS = ("g_month", "g_state", "g_size", "g_sector")
REGISTRATION_SQL = """
SELECT GROUPING({columns}), {columns}, COUNT(*), COUNT(*) FILTER (WHERE f_verified)
FROM ({facts}) facts
GROUP BY GROUPING SETS ({sets})
"""


def registration_rows(
    counts: dict[str, dict[Hashable, int]], registered: int, verified: int, geography: list[dict] | None = None
) -> dict:
    """The registration figures from ``{"month" | "state" | "region" | "size" | "sector": {key: count}}``
    (``geography``: the rows of ``registrations.geography_query`` when the caller read them)."""
    states, regions = geography_rows(counts["state"], counts["region"], geography)
    return {
        "registrations_by_month": month_rows(counts["month"]),
        "registrations_by_state": states,
        "registrations_by_region": regions,
        "registrations_by_size": choice_rows("size", counts["size"]),
        "registrations_by_sector": choice_rows("sector", counts["sector"]),
        "registered": registered,
        "verified": verified,
    }


def registration_counts(scope: ReportScope) -> dict:
    """Registrations by month, state, region, size and sector and the first two stages of the funnel
    (``registered``, ``verified``), from the suppliers' rows in one grouped pass (no join but the states')."""
    facts, params = (
        scope.registered_suppliers()
        .annotate(
            g_month=TruncMonth("registered_at"),
            g_state=F("state_id"),
            g_region=F("state__region_id"),
            g_size=F("size"),
            g_sector=F("sector"),
            f_verified=_flag(Q(status=Supplier.Status.VERIFIED)),
        )
        .values("g_month", "g_state", "g_region", "g_size", "g_sector", "f_verified")
        .order_by()
        .query.sql_with_params()
    )
    columns = ("g_month", "g_state", "g_region", "g_size", "g_sector")
    sql = REGISTRATION_SQL.format(
        columns=", ".join(columns), facts=facts, sets=", ".join(f"({c})" for c in columns) + ", ()"
    )
    counts: dict[str, dict[Hashable, int]] = {name: {} for name in ("month", "state", "region", "size", "sector")}
    registered = verified = 0
    names = {
        sum(1 << (len(columns) - 1 - j) for j in range(len(columns)) if j != i): name for i, name in enumerate(counts)
    }
    with connection.cursor() as cursor:
        cursor.execute(sql, params)
        for mask, month, state, region, size, sector, count, verified_count in cursor.fetchall():
            if mask == (1 << len(columns)) - 1:
                registered, verified = count, verified_count
                continue
            name = names[mask]
            key = {"month": month, "state": state, "region": region, "size": size, "sector": sector}[name]
            counts[name][key] = count
    return registration_rows(counts, registered, verified)


BASELINE_SQL = """
SELECT level, low, COUNT(*), COUNT(*) FILTER (WHERE f_verified)
FROM ({facts}) facts
GROUP BY level, low
"""


def baseline_figures(scope: ReportScope) -> dict:
    """The registered suppliers' current baselines by maturity level and score bin, and the funnel's
    ``diagnosed`` stage (verified with a baseline), in one grouped pass over the baselines (about half the
    suppliers), the same definitions as ``supplier_facts``; no candidacy is read."""
    facts, params = (
        baseline_diagnostics(scope)
        .annotate(
            level=F("maturity_level"),
            low=score_bin("overall_score"),
            f_verified=_flag(Q(supplier__status=Supplier.Status.VERIFIED)),
        )
        .values("level", "low", "f_verified")
        .order_by()
        .query.sql_with_params()
    )
    baselines, diagnosed = [], 0
    with connection.cursor() as cursor:
        cursor.execute(BASELINE_SQL.format(facts=facts), params)
        for level, low, count, verified in cursor.fetchall():
            baselines.append((level, low, count))
            diagnosed += verified
    distribution, histogram = levels_and_histogram(baselines)
    return {"maturity_distribution": distribution, "score_histogram": histogram, "diagnosed": diagnosed}


def selection_stages(scope: ReportScope) -> dict:
    """The funnel's ``proposed`` and ``selected`` stages: registered, verified suppliers with a current baseline
    and a candidacy in scope in the optimizer's proposal (or selected), and selected; read from the candidacies in
    the proposal or selected (a few hundred), not from every supplier."""
    candidacies = scope.candidates()
    in_proposal = candidacies.filter(Q(in_proposal=True) | Q(status=Candidate.Status.SELECTED))
    selected = candidacies.filter(status=Candidate.Status.SELECTED)
    baseline = Diagnostic.objects.filter(supplier=OuterRef("pk"), is_current_baseline=True)
    return (
        scope.registered_suppliers()
        .filter(Exists(baseline), status=Supplier.Status.VERIFIED, id__in=in_proposal.values("supplier_id"))
        .aggregate(
            proposed=Count("id"),
            selected=Count("id", filter=Q(id__in=selected.values("supplier_id"))),
        )
    )


def figures_of(registrations: dict, baselines: dict, stages: dict) -> dict:
    """``registered_figures`` from its parts: ``registration_counts``, ``baseline_figures``, ``selection_stages``."""
    counts = {stage: registrations[stage] for stage in ("registered", "verified")}
    counts |= {"diagnosed": baselines["diagnosed"], "proposed": stages["proposed"], "selected": stages["selected"]}
    return {
        **{key: value for key, value in registrations.items() if key.startswith("registrations_by_")},
        "funnel": funnel_rows(counts),
        "maturity_distribution": baselines["maturity_distribution"],
        "score_histogram": baselines["score_histogram"],
    }
