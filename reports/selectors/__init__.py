"""Report queries: database aggregates (values/annotate, Count/Avg/Sum, Case/When, TruncMonth)."""

from collections.abc import Callable, Iterable
from dataclasses import dataclass
from functools import partial
from typing import Any

from django.utils import timezone

from core.snapshot import read_concurrently
from reports import cache

from .coverage import (
    anchor_coverage,
    area_coverage,
    area_registrations,
    area_selections,
    areas_without_selected,
    coverage_of,
)
from .financing import financing_funnel
from .impact import hours_delivered, maturity_change, maturity_change_by_code, named_maturity_change
from .maturity import (
    average_dimension_scores,
    baseline_levels_and_scores,
    candidate_groups,
    candidate_groups_apart,
    candidate_totals,
    dimension_labels,
    dimension_score_sums,
    dimension_score_sums_apart,
    dimension_score_totals,
    groups_of,
    maturity_distribution,
    score_histogram,
    score_sums_of,
    selected_vs_not,
)
from .registered import baseline_figures, figures_of, registered_figures, selection_stages
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
from .support import named_support, support_by_code, support_progress
from .tallied import registration_counts


def every_dimension_label(scope: ReportScope) -> dict[str, dict]:
    """The labels of every dimension code (the same for every scope)."""
    return dimension_labels(None)


@dataclass(frozen=True)
class Section:
    """A part of a report computed by one selector from the tables it names (and nothing else of the database:
    ``tests/reports/test_sections.py`` checks the names against each section's queries); ``daily``: it also
    depends on today's date."""

    compute: Callable[[ReportScope], Any]
    tables: frozenset[str]
    daily: bool = False


def _tables(*names: str) -> frozenset[str]:
    return frozenset(names)


CANDIDACIES = ("cohorts_cohort", "cohorts_candidate")
# The suppliers that have a current baseline, and those invited to a sourcing opportunity: a section that reads
# suppliers only through their baselines (or invitations) names one of these instead of "suppliers_supplier", and is
# cached against the changes of those suppliers only (logged by the triggers of migration
# reports/0012_registration_tallies): a registration leaves it alone.
DIAGNOSED_SUPPLIERS = "suppliers_supplier:diagnosed"
INVITED_SUPPLIERS = "suppliers_supplier:invited"
# The candidacies' rows without their decisions: logged when a statement adds or removes candidacies or changes their
# cohort, supplier or growth index, not when it decides (status, proposal, reasons).
CANDIDATE_ROWS = "cohorts_candidate:members"
# The current baselines: logged when a statement adds, removes or changes a diagnostic that is or was one (in what the
# sections read of it), not when it writes other diagnostics (a follow-up scored, a diagnostic scheduled).
CURRENT_BASELINES = "assessments_diagnostic:baselines"
SUPPORT_DELIVERED = ("support_visit", "support_enrolment", "support_participant", "support_trainingsession")

# The costliest first: on a miss each connection of ``read_concurrently`` starts with one.
SECTIONS: dict[str, Section] = {
    # what no decision on a candidate changes: every registered supplier's baseline, every candidacy
    "sums": Section(
        dimension_score_totals,
        _tables(DIAGNOSED_SUPPLIERS, CURRENT_BASELINES, "assessments_dimension", "assessments_framework"),
    ),
    "groups": Section(
        candidate_totals,
        _tables("cohorts_cohort", CANDIDATE_ROWS, DIAGNOSED_SUPPLIERS, CURRENT_BASELINES),
    ),
    "baselines": Section(baseline_figures, _tables(DIAGNOSED_SUPPLIERS, CURRENT_BASELINES)),
    # the tallies kept with the suppliers (the suppliers' rows in another time zone)
    "registrations": Section(
        registration_counts,
        _tables("reports_registrationtally", "suppliers_supplier", "programs_state", "programs_region"),
    ),
    "areas": Section(
        area_registrations,
        _tables(
            "suppliers_supplier",
            "suppliers_supplier_supply_areas",
            "programs_criticalsupplyarea",
            "programs_criticalsupplyarea_anchors",
        ),
    ),
    # what a decision on a candidate changes, read from the candidacies selected, withdrawn or in the proposal (and
    # the baselines of no candidacy)
    "sums_apart": Section(dimension_score_sums_apart, _tables(*CANDIDACIES, DIAGNOSED_SUPPLIERS, CURRENT_BASELINES)),
    "groups_apart": Section(candidate_groups_apart, _tables(*CANDIDACIES, DIAGNOSED_SUPPLIERS, CURRENT_BASELINES)),
    "stages": Section(selection_stages, _tables(*CANDIDACIES, DIAGNOSED_SUPPLIERS, CURRENT_BASELINES)),
    "areas_selected": Section(
        area_selections, _tables(*CANDIDACIES, "suppliers_supplier_supply_areas", "programs_criticalsupplyarea")
    ),
    "anchor_coverage": Section(
        anchor_coverage,
        _tables(
            *CANDIDACIES,
            "suppliers_supplier_supply_areas",
            "programs_anchorcompany",
            "programs_criticalsupplyarea",
            "programs_criticalsupplyarea_anchors",
        ),
    ),
    "maturity_change": Section(
        maturity_change_by_code,
        _tables(
            *CANDIDACIES,
            "assessments_diagnostic",
            "assessments_dimensionscore",
            "assessments_dimension",
            "assessments_framework",
        ),
    ),
    "hours_delivered": Section(hours_delivered, _tables(*CANDIDACIES, *SUPPORT_DELIVERED, "support_attendance")),
    "financing": Section(financing_funnel, _tables(*CANDIDACIES, "support_financingcase")),
    "sourcing": Section(
        sourcing_results,
        _tables(
            *CANDIDACIES,
            INVITED_SUPPLIERS,
            "programs_state",
            "programs_anchorcompany",
            "programs_criticalsupplyarea",
            "sourcing_opportunity",
            "sourcing_opportunity_areas",
            "sourcing_invitation",
        ),
    ),
    "support": Section(
        support_by_code,
        _tables(
            *CANDIDACIES,
            *SUPPORT_DELIVERED,
            "support_attendance",
            "assessments_dimension",
            "assessments_framework",
            "programs_certificationstandard",
            "support_course",
            "support_developmentplan",
            "support_milestone",
            "support_planitem",
            "support_provider",
        ),
        daily=True,
    ),
    "results": Section(
        results_summary,
        _tables("cohorts_cohort", "outcomes_outcomeround", "outcomes_indicatorvalue", "outcomes_impactestimate"),
    ),
    "labels": Section(every_dimension_label, _tables("assessments_dimension", "assessments_framework")),
}
SUMMARY_SECTIONS = tuple(name for name in SECTIONS if name not in ("support", "results"))


def _extra(section: Section) -> tuple:
    return (timezone.localdate().isoformat(),) if section.daily else ()


def report_parts(
    scope: ReportScope, names: Iterable[str] = tuple(SECTIONS), versions: cache.DataVersions | None = None
) -> dict[str, Any]:
    """``{name: section}`` of ``scope`` (``SECTIONS``): each from the cache while none of the tables it reads
    has changed since it was computed (``reports.cache``: exact, the versions are written by the changes
    themselves), the others computed together (on two connections sharing one snapshot when possible) and
    cached when no table they read changed meanwhile. A view after no change reads one row per logged table;
    after a change it computes only the sections that read a table that changed.
    ``versions``: the data versions the caller has just read (``cache.data_version()``), to read them once."""
    versions = versions or cache.data_version()
    keys = {
        name: cache.cache_key(scope, name, versions.of(SECTIONS[name].tables), _extra(SECTIONS[name])) for name in names
    }
    found = cache.get_many(keys.values())
    parts = {name: found[key] for name, key in keys.items() if key in found}
    missing = [name for name in SECTIONS if name in keys and name not in parts]
    if missing:
        computed = read_concurrently(
            {name: partial(SECTIONS[name].compute, scope) for name in missing}
            | {VERSIONS: cache.data_version},  # read in the same snapshot as the sections, after them
            settings=REPORT_PLANNER,
        )
        read_at = computed.pop(VERSIONS)
        parts |= computed
        cache.put_many(
            {
                keys[name]: computed[name]
                for name in missing  # nothing committed meanwhile to its tables: the section is that of ``versions``
                if read_at.of(SECTIONS[name].tables) == versions.of(SECTIONS[name].tables)
            }
        )
    return parts


VERSIONS = "versions"


def report_summary(scope: ReportScope, version: cache.DataVersions | None = None) -> dict:
    """Every figure of a program / phase / cohort report (``report_figures``), each section from the cache while
    the tables it reads are unchanged (``report_parts``)."""
    return summary_of(scope, report_parts(scope, SUMMARY_SECTIONS, version))


def support_summary(scope: ReportScope, version: cache.DataVersions | None = None) -> dict:
    """The support section of a report (``support.support_progress``), cached while the tables it reads are
    unchanged and it is the same day (an open plan item becomes overdue with the date alone)."""
    return support_of(report_parts(scope, ("support", "labels"), version))


def support_of(parts: dict[str, Any]) -> dict:
    """The support section of a report from its parts (``support`` and ``labels``): ``support_progress``."""
    return named_support(parts["support"], parts["labels"])


def results_section(scope: ReportScope, version: cache.DataVersions | None = None) -> dict | None:
    """The results section of a report (``results.results_summary``), cached while the tables it reads
    (follow-up rounds, stored indicator values and estimates) are unchanged. ``None``: no closed round."""
    return report_parts(scope, ("results",), version)["results"]


# The reference computation of the sections read from the tallies and split by what changes them: one pass over
# every registered supplier (registrations, baselines, funnel) and one over the supply areas (area coverage).
REFERENCE, COVERAGE, SCORES, GROUPS = "figures", "coverage", "score_sums", "candidate_groups"
REFERENCED = (
    *("registrations", "baselines", "stages"),
    *("areas", "areas_selected"),
    *("sums", "sums_apart"),
    *("groups", "groups_apart"),
)


def report_figures(scope: ReportScope) -> dict:
    """Every figure of a program / phase / cohort report, as plain data, always computed from the rows (the
    reference the cached ``report_summary`` is tested against): the registrations and baselines by one grouped
    pass over the registered suppliers (``registered_figures``) instead of the tallies.

    Its reads are independent: on PostgreSQL, outside a transaction, they run on two connections at once
    that share one snapshot (``core.snapshot.read_concurrently``), with ``work_mem`` raised for their
    transactions (REPORT_PLANNER: at 100,000 SMEs the grouping sets of ``registered_figures`` otherwise
    sort instead of hashing)."""
    calls: dict[str, Callable[[], Any]] = {REFERENCE: partial(registered_figures, scope)}
    calls[COVERAGE] = partial(area_coverage, scope)
    calls[SCORES] = partial(dimension_score_sums, scope)
    calls[GROUPS] = partial(candidate_groups, scope)
    calls |= {name: partial(SECTIONS[name].compute, scope) for name in SUMMARY_SECTIONS if name not in REFERENCED}
    return summary_of(scope, read_concurrently(calls, settings=REPORT_PLANNER))


def summary_of(scope: ReportScope, parts: dict[str, Any]) -> dict:
    """The report's figures from its sections (plain computations, no query)."""
    if REFERENCE in parts:
        figures, coverage, sums, groups = parts[REFERENCE], parts[COVERAGE], parts[SCORES], parts[GROUPS]
    else:
        figures = figures_of(parts["registrations"], parts["baselines"], parts["stages"])
        coverage = coverage_of(parts["areas"], parts["areas_selected"])
        sums = score_sums_of(parts["sums"], parts["sums_apart"])
        groups = groups_of(parts["groups"], parts["groups_apart"])
    labels = parts["labels"]
    return {
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
        "selected_vs_not": selected_vs_not(scope, sums, groups, labels),
        "area_coverage": coverage,
        "areas_without_selected": areas_without_selected(coverage),
        "anchor_coverage": parts["anchor_coverage"],
        "maturity_change": named_maturity_change(parts["maturity_change"], labels),
        "hours_delivered": parts["hours_delivered"],
        "financing_funnel": parts["financing"],
        "sourcing": parts["sourcing"],
    }


REPORT_PLANNER = {"work_mem": "64MB"}


__all__ = [
    "FUNNEL_STAGES",
    "ReportScope",
    "anchor_coverage",
    "area_coverage",
    "area_registrations",
    "area_selections",
    "areas_without_selected",
    "average_dimension_scores",
    "baseline_figures",
    "baseline_levels_and_scores",
    "candidate_groups",
    "coverage_of",
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
    "report_parts",
    "SECTIONS",
    "summary_of",
    "results_section",
    "results_summary",
    "registration_counts",
    "registrations_by_size",
    "registrations_by_state",
    "report_summary",
    "score_histogram",
    "selected_vs_not",
    "selection_stages",
    "sourcing_results",
    "support_progress",
    "support_of",
    "support_summary",
]
