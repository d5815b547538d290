"""Maturity of the registered SMEs and how the selected compare with the rest."""

from collections import Counter
from collections.abc import Iterable
from decimal import Decimal

from django.db import connection
from django.db.models import (
    Aggregate,
    Avg,
    Case,
    CharField,
    Count,
    DecimalField,
    Exists,
    F,
    FilteredRelation,
    Func,
    IntegerField,
    Max,
    Min,
    OuterRef,
    Q,
    Sum,
    Value,
    When,
)
from django.db.models.fields.json import KT

from assessments.models import Diagnostic, Dimension
from cohorts.models import Candidate

from .scope import ReportScope, baseline_diagnostics

HISTOGRAM_BIN = 10
SELECTED, NOT_SELECTED = "selected", "not_selected"


def _round(value) -> Decimal | None:
    return None if value is None else Decimal(value).quantize(Decimal("0.01"))


def dimension_labels(codes) -> dict[str, dict]:
    """``code -> {"name", "order"}`` over every framework version using that code (``codes`` None: every code)."""
    dimensions = Dimension.objects.all() if codes is None else Dimension.objects.filter(code__in=list(codes))
    rows = dimensions.values("code").annotate(order=Min("order"), name_es=Max("name_es"), name_en=Max("name_en"))
    from django.utils.translation import get_language

    english = (get_language() or "es").startswith("en")
    return {
        r["code"]: {"name": (r["name_en"] if english and r["name_en"] else r["name_es"]), "order": r["order"]}
        for r in rows
    }


def baseline_levels_and_scores(scope: ReportScope) -> tuple[list[dict], list[dict]]:
    """``(maturity_distribution, score_histogram)`` from one grouped query over the baselines.

    Grouped by (maturity level, score bin); both figures are sums of its few rows (at most 6 x 11).
    """
    rows = (
        baseline_diagnostics(scope)
        .annotate(bin=score_bin("overall_score"))
        .values("maturity_level", "bin")
        .annotate(count=Count("id"))
        .values_list("maturity_level", "bin", "count")
        .order_by()
    )
    return levels_and_histogram(rows)


def score_bin(field: str) -> Case:
    """The histogram bin of an overall score: ``[lo, lo+10)``, the last bin includes 100, null stays null."""
    whens = [When(**{f"{field}__isnull": True}, then=Value(None))] + [
        When(**{f"{field}__lt": lo + HISTOGRAM_BIN}, then=Value(lo))
        for lo in range(0, 100 - HISTOGRAM_BIN, HISTOGRAM_BIN)
    ]
    return Case(*whens, default=Value(100 - HISTOGRAM_BIN), output_field=IntegerField())


def levels_and_histogram(rows: Iterable[tuple[int | None, int | None, int]]) -> tuple[list[dict], list[dict]]:
    """``(maturity_distribution, score_histogram)`` from (maturity level, score bin, count) rows."""
    levels: Counter[int] = Counter()
    bins: Counter[int] = Counter()
    for level, low, count in rows:
        if level is not None:
            levels[level] += count
        if low is not None:
            bins[low] += count
    return (
        [{"level": level, "count": levels[level]} for level in range(1, 6)],
        [{"low": lo, "high": lo + HISTOGRAM_BIN, "count": bins[lo]} for lo in range(0, 100, HISTOGRAM_BIN)],
    )


def maturity_distribution(scope: ReportScope) -> list[dict]:
    """Count of baseline diagnostics per maturity level 1-5 (zeros included)."""
    return baseline_levels_and_scores(scope)[0]


def score_histogram(scope: ReportScope) -> list[dict]:
    """Baseline overall scores in bins of 10 points (``[lo, lo+10)``, the last bin includes 100)."""
    return baseline_levels_and_scores(scope)[1]


OTHER = "other"
ALL = "all"


def dimension_score_sums(scope: ReportScope) -> dict[tuple[str, str], tuple[Decimal, int]]:
    """``(group, dimension code) -> (sum of scores, count)`` over the registered suppliers' baselines
    (incomplete dimensions left out), the group being ``selected``, ``not_selected`` (other candidates,
    withdrawn left out) or ``other``: one grouped pass serves both the average dimension scores and the
    selected-vs-not comparison.

    The scores come from each baseline's ``Diagnostic.scores_by_dimension`` (what its DimensionScore
    rows hold, written with them by scoring): one row per baseline (49,000 at 100,000 SMEs) instead of
    a join of its nine DimensionScore rows (443,000)."""
    baselines = baseline_diagnostics(scope)
    in_use = Exists(Diagnostic.objects.filter(framework=OuterRef("framework"), is_current_baseline=True))
    codes = sorted(set(Dimension.objects.filter(in_use).values_list("code", flat=True)))
    if not codes:
        return {}
    aggregates: dict[str, Aggregate] = {}
    for i, code in enumerate(codes):
        # A JSON null (an incomplete dimension) read as text is SQL NULL: not counted. Counted as text,
        # summed as unconstrained NUMERIC (a cast to numeric(5, 2) costs twice as much).
        text = KT(f"scores_by_dimension__{code}")
        aggregates[f"t{i}"] = Sum(
            Func(text, template="CAST(%(expressions)s AS NUMERIC)"),
            output_field=DecimalField(max_digits=14, decimal_places=2),
        )
        aggregates[f"n{i}"] = Count(text)
    rows = grouped_baselines(scope, baselines).values("group").annotate(**aggregates).order_by()
    return {
        (row["group"], code): (row[f"t{i}"], row[f"n{i}"])
        for row in rows
        for i, code in enumerate(codes)
        if row[f"n{i}"]
    }


def dimension_score_totals(scope: ReportScope) -> dict[tuple[str, str], tuple[Decimal, int]]:
    """``dimension_score_sums`` over every registered supplier's baseline as one group, ``ALL``: what no
    candidacy changes (with ``dimension_score_sums_apart``, ``score_sums_of`` gives ``dimension_score_sums``)."""
    baselines = baseline_diagnostics(scope)
    in_use = Exists(Diagnostic.objects.filter(framework=OuterRef("framework"), is_current_baseline=True))
    codes = sorted(set(Dimension.objects.filter(in_use).values_list("code", flat=True)))
    if not codes:
        return {}
    aggregates: dict[str, Aggregate] = {}
    for i, code in enumerate(codes):  # as in dimension_score_sums
        text = KT(f"scores_by_dimension__{code}")
        aggregates[f"t{i}"] = Sum(
            Func(text, template="CAST(%(expressions)s AS NUMERIC)"),
            output_field=DecimalField(max_digits=14, decimal_places=2),
        )
        aggregates[f"n{i}"] = Count(text)
    row = baselines.aggregate(**aggregates)
    return {(ALL, code): (row[f"t{i}"], row[f"n{i}"]) for i, code in enumerate(codes) if row[f"n{i}"]}


APART_SQL = """
SELECT f.grp, s.key, SUM(CAST(s.value AS NUMERIC)), COUNT(s.value)
FROM ({selected} UNION ALL {other}) f (grp, scores) CROSS JOIN LATERAL jsonb_each_text(f.scores) s
GROUP BY f.grp, s.key
"""


def dimension_score_sums_apart(scope: ReportScope) -> dict[tuple[str, str], tuple[Decimal, int]]:
    """``dimension_score_sums`` of the ``selected`` and ``other`` groups only (a few thousand baselines, whose
    scores only are read): what a decision on a candidate changes. The selected: a selected candidacy in scope;
    the others: no candidacy in scope but withdrawn ones."""
    candidacies = scope.candidates().filter(supplier=OuterRef("supplier"))
    selected = Exists(candidacies.filter(status=Candidate.Status.SELECTED))
    candidate = Exists(candidacies.exclude(status=Candidate.Status.WITHDRAWN))
    parts = {}
    for group, condition in ((SELECTED, Q(selected)), (OTHER, ~Q(candidate))):
        parts[group] = (
            baseline_diagnostics(scope)
            .filter(condition)
            .annotate(grp=Value(group), scores=F("scores_by_dimension"))
            .values("grp", "scores")
            .order_by()
            .query.sql_with_params()
        )
    sql = APART_SQL.format(selected=f"({parts[SELECTED][0]})", other=f"({parts[OTHER][0]})")
    with connection.cursor() as cursor:
        cursor.execute(sql, [*parts[SELECTED][1], *parts[OTHER][1]])
        return {(group, code): (total, count) for group, code, total, count in cursor.fetchall() if count}


def score_sums_of(totals: dict, apart: dict) -> dict[tuple[str, str], tuple[Decimal, int]]:
    """``dimension_score_sums`` from ``dimension_score_totals`` and ``dimension_score_sums_apart``: the
    ``not_selected`` group is every baseline but the selected and the others' (exact: sums of decimals)."""
    sums = dict(apart)
    for (_all, code), (total, count) in totals.items():
        for group in (SELECTED, OTHER):
            part_total, part_count = apart.get((group, code), (Decimal(0), 0))
            total, count = total - part_total, count - part_count
        if count:
            sums[(NOT_SELECTED, code)] = (total, count)
    return sums


def grouped_baselines(scope: ReportScope, baselines, *, join: bool | None = None):
    """``baselines`` annotated with ``group``: ``selected``, ``not_selected`` (another candidacy in
    scope, withdrawn left out) or ``other``.

    In a cohort's scope a supplier is a candidate at most once (``candidate_unique_supplier_per_cohort``),
    so its candidacy is LEFT JOINed (hashed once, parallel-safe: 35% faster at 49,310 baselines);
    in a program's or phase's a supplier can be a candidate of several cohorts, so two ``IN`` sets
    decide (``join``: force one way, for tests)."""
    withdrawn = Candidate.Status.WITHDRAWN
    if scope.cohort is not None if join is None else join:
        candidacy = FilteredRelation(
            "supplier__candidacies",
            condition=Q(supplier__candidacies__cohort=scope.cohort) & ~Q(supplier__candidacies__status=withdrawn),
        )
        return baselines.annotate(candidacy=candidacy).annotate(
            group=Case(
                When(candidacy__status=Candidate.Status.SELECTED, then=Value(SELECTED)),
                When(candidacy__id__isnull=False, then=Value(NOT_SELECTED)),
                default=Value(OTHER),
                output_field=CharField(),
            )
        )
    candidates = scope.candidates().exclude(status=withdrawn)
    return baselines.annotate(
        group=Case(
            When(
                supplier__in=candidates.filter(status=Candidate.Status.SELECTED).values("supplier"),
                then=Value(SELECTED),
            ),
            When(supplier__in=candidates.values("supplier"), then=Value(NOT_SELECTED)),
            default=Value(OTHER),
            output_field=CharField(),
        )
    )


def _average(total: Decimal, count: int) -> Decimal | None:
    return _round(Decimal(total) / count) if count else None


def average_dimension_scores(scope: ReportScope, sums: dict | None = None, labels: dict | None = None) -> list[dict]:
    """Average score per dimension code over the baseline diagnostics (``score`` null = incomplete, left out).
    ``sums``: ``dimension_score_sums(scope)``, ``labels``: ``dimension_labels`` of its codes, when the caller
    has them."""
    sums = dimension_score_sums(scope) if sums is None else sums
    totals: dict[str, list] = {}
    for (_group, code), (total, count) in sums.items():
        entry = totals.setdefault(code, [Decimal(0), 0])
        entry[0] += total
        entry[1] += count
    labels = dimension_labels(totals) if labels is None else labels
    result = [
        {
            "code": code,
            "name": labels[code]["name"],
            "order": labels[code]["order"],
            "average": _average(total, count),
            "count": count,
        }
        for code, (total, count) in totals.items()
    ]
    return sorted(result, key=lambda r: (r["order"], r["code"]))


def _group():
    return Case(
        When(status=Candidate.Status.SELECTED, then=Value(SELECTED)),
        default=Value(NOT_SELECTED),
        output_field=CharField(),
    )


def candidate_groups(scope: ReportScope) -> dict[str, dict]:
    """``{"selected" | "not_selected": {"count", "growth_index", "overall_score"}}`` over the candidates in
    scope (withdrawn left out), the overall score from each supplier's baseline: one grouped query."""
    candidates = scope.candidates().exclude(status=Candidate.Status.WITHDRAWN)
    groups: dict[str, dict[str, int | Decimal | None]] = {
        g: {"count": 0, "growth_index": None, "overall_score": None} for g in (SELECTED, NOT_SELECTED)
    }
    # Each candidate with its supplier's current baseline (at most one: the flag marks one diagnostic
    # per supplier), LEFT JOINed once: counts, growth and baseline scores in one grouped pass.
    current = FilteredRelation("supplier__diagnostics", condition=Q(supplier__diagnostics__is_current_baseline=True))
    for row in (
        candidates.annotate(current=current, group=_group())
        .values("group")
        .annotate(
            count=Count("id"),
            growth_index=Avg("growth_index"),
            overall=Avg("current__overall_score"),
        )
    ):
        groups[row["group"]].update(
            count=row["count"], growth_index=_round(row["growth_index"]), overall_score=_round(row["overall"])
        )
    return groups


GROUP_FIGURES = ("count", "growth_total", "growth_count", "overall_total", "overall_count")


def _group_sums(candidates, group) -> dict[str, dict]:
    """``{group: {count, growth and baseline overall score totals and how many have one}}`` of ``candidates``
    grouped by ``group`` (an expression), each with its supplier's current baseline LEFT JOINed once."""
    current = FilteredRelation("supplier__diagnostics", condition=Q(supplier__diagnostics__is_current_baseline=True))
    rows = (
        candidates.annotate(current=current, group=group)
        .values("group")
        .annotate(
            count=Count("id"),
            growth_total=Sum("growth_index"),
            growth_count=Count("growth_index"),
            overall_total=Sum("current__overall_score"),
            overall_count=Count("current__overall_score"),
        )
        .order_by()
    )
    return {row["group"]: {figure: row[figure] for figure in GROUP_FIGURES} for row in rows}


def candidate_totals(scope: ReportScope) -> dict[str, dict]:
    """``_group_sums`` of every candidacy in scope as one group, ``ALL`` (withdrawn ones too): what no decision
    on a candidate changes (with ``candidate_groups_apart``, ``groups_of`` gives ``candidate_groups``)."""
    return _group_sums(scope.candidates(), Value(ALL, output_field=CharField()))


def candidate_groups_apart(scope: ReportScope) -> dict[str, dict]:
    """``_group_sums`` of the selected and the withdrawn candidacies in scope, by status."""
    return _group_sums(
        scope.candidates().filter(status__in=[Candidate.Status.SELECTED, Candidate.Status.WITHDRAWN]), F("status")
    )


def groups_of(totals: dict[str, dict], apart: dict[str, dict]) -> dict[str, dict]:
    """``candidate_groups`` from ``candidate_totals`` and ``candidate_groups_apart``: the candidates not selected
    are all but the selected and the withdrawn (exact: counts and sums of decimals)."""
    empty = dict.fromkeys(GROUP_FIGURES)
    everyone = totals.get(ALL, empty)
    selected = apart.get(Candidate.Status.SELECTED, empty)
    withdrawn = apart.get(Candidate.Status.WITHDRAWN, empty)
    rest = {
        figure: (everyone[figure] or 0) - (selected[figure] or 0) - (withdrawn[figure] or 0) for figure in GROUP_FIGURES
    }

    def figures(sums: dict) -> dict:
        if not sums["count"]:
            return {"count": 0, "growth_index": None, "overall_score": None}
        return {
            "count": sums["count"],
            "growth_index": _average(sums["growth_total"], sums["growth_count"]),
            "overall_score": _average(sums["overall_total"], sums["overall_count"]),
        }

    return {SELECTED: figures(selected), NOT_SELECTED: figures(rest)}


def selected_vs_not(
    scope: ReportScope, sums: dict | None = None, groups: dict | None = None, labels: dict | None = None
) -> dict:
    """Selected vs every other candidate in scope (withdrawn left out).

    ``{"selected": {"count", "growth_index", "overall_score", "dimensions": {code: avg}}, "not_selected": {...},
    "dimensions": [{"code", "name"}]}``; scores come from each supplier's baseline diagnostic. ``sums``
    (``dimension_score_sums(scope)``) and ``groups`` (``candidate_groups(scope)``): when the caller has them.
    """
    groups = candidate_groups(scope) if groups is None else groups
    groups = {g: {**figures, "dimensions": {}} for g, figures in groups.items()}
    codes = set()
    for (group, code), (total, count) in (dimension_score_sums(scope) if sums is None else sums).items():
        if group in groups:
            codes.add(code)
            groups[group]["dimensions"][code] = _average(total, count)
    labels = dimension_labels(codes) if labels is None else labels
    ordered = sorted(codes, key=lambda c: (labels[c]["order"], c))
    return {**groups, "dimensions": [{"code": c, "name": labels[c]["name"]} for c in ordered]}
