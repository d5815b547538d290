"""Report queries: database aggregates (values/annotate, Count/Avg/Sum, Case/When, TruncMonth)."""

from functools import partial

from django.utils import timezone

from core.snapshot import read_concurrently
from reports import cache

from .coverage import anchor_coverage, area_coverage, areas_without_selected
from .financing import financing_funnel
from .impact import hours_delivered, maturity_change
from .maturity import (
    average_dimension_scores,
    baseline_levels_and_scores,
    candidate_groups,
    dimension_labels,
    dimension_score_sums,
    maturity_distribution,
    score_histogram,
    selected_vs_not,
)
from .registered import registered_figures
from .registrations import (
    FUNNEL_STAGES,
    funnel,
    registrations_by_area,
    registrations_by_month,
    registrations_by_region,
    registrations_by_sector,
    registrations_by_size,
    registrations_by_state,
)
from .results import results_summary
from .scope import ReportScope
from .sourcing import sourcing_results
from .support import support_progress


def report_summary(scope: ReportScope, version: tuple | None = None) -> dict:
    """Every figure of a program / phase / cohort report (``report_figures``), from the cache when the data
    it reads has not changed since it was computed (``reports.cache``: exact, the version is written by the
    changes themselves), else computed and cached: a view reads one row of versions, not every figure.
    ``version``: the data version the caller has just read (``cache.data_version()``), to read it once."""
    version = version or cache.data_version()
    summary = cache.get(scope, version)
    if summary is None:
        summary, read_at = report_figures(scope, with_version=True)
        if read_at == version:  # nothing committed meanwhile: the figures are those of ``version``
            cache.put(scope, version, summary)
    return summary


def support_summary(scope: ReportScope, version: tuple | None = None) -> dict:
    """The support section of a report (``support.support_progress``), from the cache while the data it
    reads (the support tables are in the change log) is unchanged and it is the same day (an open plan item
    becomes overdue with the date alone); else computed, and cached when nothing committed meanwhile."""
    version = version or cache.data_version()
    part = ("support", timezone.localdate().isoformat())
    figures = cache.get(scope, version, part)
    if figures is None:
        figures = support_progress(scope)
        if cache.data_version() == version:
            cache.put(scope, version, figures, part)
    return figures


def results_section(scope: ReportScope, version: tuple | None = None) -> dict | None:
    """The results section of a report (``results.results_summary``), from the cache while the tables it reads
    (follow-up rounds, stored indicator values and estimates: in the change log) are unchanged; else computed,
    and cached when nothing committed meanwhile. ``None`` (no closed round) is cached as such."""
    version = version or cache.data_version()
    part = ("results",)
    cached = cache.get(scope, version, part)
    if cached is not None:
        return cached["section"]
    section = results_summary(scope)
    if cache.data_version() == version:
        cache.put(scope, version, {"section": section}, part)
    return section


def report_figures(scope: ReportScope, *, with_version: bool = False):
    """Every figure of a program / phase / cohort report, as plain data (the page and the API use it).

    Its reads are independent: on PostgreSQL, outside a transaction, they run on two connections at once
    that share one snapshot (``core.snapshot.read_concurrently``), with ``work_mem`` raised for their
    transactions (REPORT_PLANNER: at 100,000 SMEs the grouping sets of ``registered_figures`` otherwise
    sort instead of hashing). The costliest are listed first, so that each connection starts with one."""
    parts = read_concurrently(
        {
            "sums": partial(dimension_score_sums, scope),
            "figures": partial(registered_figures, scope),  # one pass over the registered suppliers on PostgreSQL
            "groups": partial(candidate_groups, scope),
            "coverage": partial(area_coverage, scope),
            "anchor_coverage": partial(anchor_coverage, scope),
            "maturity_change": partial(maturity_change, scope),
            "hours_delivered": partial(hours_delivered, scope),
            "financing": partial(financing_funnel, scope),
            "sourcing": partial(sourcing_results, scope),
            "labels": partial(dimension_labels, None),
            "version": cache.data_version,  # read in the same snapshot as the figures
        },
        settings=REPORT_PLANNER,
    )
    figures, coverage, sums, labels = parts["figures"], parts["coverage"], parts["sums"], parts["labels"]
    summary = {
        "registrations_by_month": figures["registrations_by_month"],
        "registrations_by_state": figures["registrations_by_state"],
        "registrations_by_region": figures["registrations_by_region"],
        "registrations_by_area": [
            {"code": row["code"], "name": row["name"], "count": row["registered"]} for row in coverage
        ],  # = registrations_by_area(scope), counted once
        "registrations_by_size": figures["registrations_by_size"],
        "registrations_by_sector": figures["registrations_by_sector"],
        "funnel": figures["funnel"],
        "maturity_distribution": figures["maturity_distribution"],
        "score_histogram": figures["score_histogram"],
        "average_dimension_scores": average_dimension_scores(scope, sums, labels),
        "selected_vs_not": selected_vs_not(scope, sums, parts["groups"], labels),
        "area_coverage": coverage,
        "areas_without_selected": areas_without_selected(coverage),
        "anchor_coverage": parts["anchor_coverage"],
        "maturity_change": parts["maturity_change"],
        "hours_delivered": parts["hours_delivered"],
        "financing_funnel": parts["financing"],
        "sourcing": parts["sourcing"],
    }
    return (summary, parts["version"]) if with_version else summary


REPORT_PLANNER = {"work_mem": "64MB"}


__all__ = [
    "FUNNEL_STAGES",
    "ReportScope",
    "anchor_coverage",
    "area_coverage",
    "areas_without_selected",
    "average_dimension_scores",
    "baseline_levels_and_scores",
    "candidate_groups",
    "dimension_score_sums",
    "financing_funnel",
    "funnel",
    "hours_delivered",
    "maturity_change",
    "maturity_distribution",
    "registrations_by_area",
    "registrations_by_month",
    "registrations_by_region",
    "registrations_by_sector",
    "registered_figures",
    "report_figures",
    "results_section",
    "results_summary",
    "registrations_by_size",
    "registrations_by_state",
    "report_summary",
    "score_histogram",
    "selected_vs_not",
    "sourcing_results",
    "support_progress",
    "support_summary",
]
