"""Rows of the candidates, diagnostics, decisions and sourcing results exports, and their CSV / XLSX writers.

Rows are produced lazily (``iterator(chunk_size=...)`` with prefetching), so a big export never
holds every row in memory; the same generator feeds the streaming CSV response, the XLSX
write-only workbook and the background task.
"""

import csv
from collections.abc import Iterable, Iterator
from decimal import Decimal

from django.db.models import Count, OuterRef, Prefetch, Q, QuerySet, Subquery
from django.utils import timezone
from django.utils.translation import gettext as _
from openpyxl import Workbook

from assessments.models import Diagnostic, DimensionScore
from cohorts.models import AnchorReview, Candidate
from core.text import strip_control_characters
from programs.models import CriticalSupplyArea

from .selectors.maturity import dimension_labels
from .selectors.scope import ReportScope
from .selectors.sourcing import sourcing_results

CHUNK = 500
GROWTH_PARTS = ("maturity", "alignment", "growth", "certifications")
KINDS = ("candidates", "diagnostics", "decisions", "sourcing")
# OWASP, CSV injection: a cell starting with one of these is read as a formula by spreadsheet programs
# (the full-width forms too, by some of them).
FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r", "\uff1d", "\uff0b", "\uff0d", "\uff20")


def spreadsheet_cell(value):
    """One cell of a CSV or XLSX export: numbers stay numbers, any other value becomes inert text.

    Text loses its control characters (but tab and line breaks, which a cell may hold and openpyxl
    accepts) and, when it starts like a formula, gets a leading apostrophe (OWASP's advice): the
    spreadsheet shows the text as typed and never evaluates it.
    """
    if value is None:
        return ""
    if isinstance(value, bool):
        return str(value)
    if isinstance(value, int | float | Decimal):
        return value
    text = strip_control_characters(str(value))
    if text.startswith(FORMULA_STARTS):
        text = "'" + text
    return text


def spreadsheet_row(row: Iterable) -> list:
    return [spreadsheet_cell(value) for value in row]


def _fmt_dt(value) -> str:
    if value is None:
        return ""
    if hasattr(value, "tzinfo"):
        return timezone.localtime(value).strftime("%Y-%m-%d %H:%M")
    return value.isoformat()


def _dec(value):
    """Scores with two decimals, whatever precision an aggregate hands back."""
    return "" if value is None else Decimal(str(value)).quantize(Decimal("0.01"))


def _part_value(part):
    """A growth part may be stored as a number or as ``{"points"|"value"|...: n, ...}``."""
    if isinstance(part, dict):
        for key in ("points", "contribution", "weighted", "value", "score"):
            if key in part:
                return part[key]
        return ""
    return "" if part is None else part


def _baseline(field: str) -> Subquery:
    """A column of the candidate's supplier's current baseline (``Diagnostic.is_current_baseline``)."""
    return Subquery(
        Diagnostic.objects.filter(supplier=OuterRef("supplier"), is_current_baseline=True).values(field)[:1]
    )


def candidate_queryset(scope: ReportScope) -> QuerySet[Candidate]:
    return (
        scope.candidates()
        .select_related("supplier__state__region", "decided_by", "cohort")
        .prefetch_related(Prefetch("supplier__supply_areas", queryset=CriticalSupplyArea.objects.order_by("code")))
        .annotate(baseline_score=_baseline("overall_score"), baseline_level=_baseline("maturity_level"))
        .order_by("cohort_id", "-growth_index", "id")
    )


def diagnostic_queryset(scope: ReportScope) -> QuerySet[Diagnostic]:
    return (
        Diagnostic.objects.filter(supplier__in=scope.registered_suppliers().values("id"))
        .select_related("supplier")
        .prefetch_related(Prefetch("dimension_scores", queryset=DimensionScore.objects.select_related("dimension")))
        .order_by("supplier__legal_name", "scheduled_for", "id")
    )


def decision_queryset(scope: ReportScope) -> QuerySet[Candidate]:
    return (
        scope.candidates()
        .exclude(status=Candidate.Status.PROPOSED)
        .select_related("supplier", "decided_by", "cohort")
        .annotate(
            endorsements=Count("reviews", filter=Q(reviews__verdict=AnchorReview.Verdict.ENDORSE)),
            objections=Count("reviews", filter=Q(reviews__verdict=AnchorReview.Verdict.OBJECT)),
        )
        .order_by("cohort_id", "decided_at", "id")
    )


QUERYSETS = {"candidates": candidate_queryset, "diagnostics": diagnostic_queryset, "decisions": decision_queryset}


def row_count(kind: str, scope: ReportScope) -> int:
    if kind == "sourcing":
        return sum(1 for _row in _sourcing_rows(scope)) - 1
    return QUERYSETS[kind](scope).count()


def _candidate_rows(scope: ReportScope) -> Iterator[list]:
    yield [
        _("Cohort"),
        _("Supplier"),
        _("RFC"),
        _("State"),
        _("Region"),
        _("Supply areas"),
        _("Size"),
        _("Overall score"),
        _("Maturity level"),
        _("Growth potential"),
        *[_("Growth part: %(part)s") % {"part": part} for part in GROWTH_PARTS],
        _("Eligible"),
        _("In proposal"),
        _("Status"),
        _("Decision reason"),
        _("Decided by"),
        _("Decided at"),
    ]
    for c in candidate_queryset(scope).iterator(chunk_size=CHUNK):
        s = c.supplier
        yield [
            c.cohort.name,
            s.legal_name,
            s.rfc,
            s.state.name,
            s.state.region.code,
            ", ".join(a.code for a in s.supply_areas.all()),
            s.size,
            _dec(c.baseline_score),
            c.baseline_level or "",
            _dec(c.growth_index),
            *[_part_value((c.growth_parts or {}).get(part)) for part in GROWTH_PARTS],
            _("yes") if c.is_eligible else _("no"),
            _("yes") if c.in_proposal else _("no"),
            c.status,
            c.decision_reason_text,
            c.decided_by.get_username() if c.decided_by else "",
            _fmt_dt(c.decided_at),
        ]


def _dimension_codes(scope: ReportScope) -> list[str]:
    codes = set(
        DimensionScore.objects.filter(diagnostic__in=diagnostic_queryset(scope).values("id"))
        .values_list("dimension__code", flat=True)
        .distinct()
    )
    labels = dimension_labels(codes)
    return sorted(codes, key=lambda c: (labels[c]["order"], c))


def _diagnostic_rows(scope: ReportScope) -> Iterator[list]:
    codes = _dimension_codes(scope)
    yield [
        _("Diagnostic"),
        _("Supplier"),
        _("RFC"),
        _("Follow-up of"),
        _("Scheduled for"),
        _("Submitted at"),
        _("Scored at"),
        _("Validated at"),
        _("Status"),
        *codes,
        _("Overall score"),
        _("Maturity level"),
    ]
    for d in diagnostic_queryset(scope).iterator(chunk_size=CHUNK):
        scores = {ds.dimension.code: ds.score for ds in d.dimension_scores.all()}
        yield [
            d.pk,
            d.supplier.legal_name,
            d.supplier.rfc,
            d.baseline_id or "",
            _fmt_dt(d.scheduled_for),
            _fmt_dt(d.submitted_at),
            _fmt_dt(d.scored_at),
            _fmt_dt(d.validated_at),
            d.status,
            *[scores.get(code) if scores.get(code) is not None else "" for code in codes],
            d.overall_score if d.overall_score is not None else "",
            d.maturity_level or "",
        ]


def _decision_rows(scope: ReportScope) -> Iterator[list]:
    yield [
        _("Cohort"),
        _("Supplier"),
        _("RFC"),
        _("Status"),
        _("Decision reason"),
        _("Decided by"),
        _("Decided at"),
        _("Waitlist rank"),
        _("Anchor endorsements"),
        _("Anchor objections"),
    ]
    for c in decision_queryset(scope).iterator(chunk_size=CHUNK):
        yield [
            c.cohort.name,
            c.supplier.legal_name,
            c.supplier.rfc,
            c.status,
            c.decision_reason_text,
            c.decided_by.get_username() if c.decided_by else "",
            _fmt_dt(c.decided_at),
            c.waitlist_rank or "",
            c.endorsements,
            c.objections,
        ]


def _sourcing_rows(scope: ReportScope) -> Iterator[list]:
    """The report's sourcing results: the total, then the rows by anchor, supply area, state and cohort (a few
    dozen rows, aggregated in SQL by ``sourcing_results``)."""
    section = sourcing_results(scope)
    yield [
        _("Breakdown"),
        _("Name"),
        _("Opportunities"),
        _("SMEs invited"),
        _("Quotes"),
        _("PPAP"),
        _("Purchase orders"),
        _("Value awarded (MXN)"),
    ]
    groups = [
        (_("Total"), [section["totals"]]),
        (_("Anchor"), section["by_anchor"]),
        (_("Supply area"), section["by_area"]),
        (_("State"), section["by_state"]),
        (_("Cohort"), section["by_cohort"]),
    ]
    for label, rows in groups:
        for row in rows:
            yield [
                label,
                row["name"],
                row["opportunities"],
                row["smes_invited"],
                row["quoted"],
                row["ppap"],
                row["purchase_orders"],
                row["value_awarded_mxn"],
            ]


ROWS = {
    "candidates": _candidate_rows,
    "diagnostics": _diagnostic_rows,
    "decisions": _decision_rows,
    "sourcing": _sourcing_rows,
}


def export_rows(kind: str, scope: ReportScope) -> Iterator[list]:
    """The header, then one list per row."""
    return ROWS[kind](scope)


class _Echo:
    def write(self, value: str) -> str:
        return value


def csv_lines(rows: Iterable[list]) -> Iterator[str]:
    """CSV text line by line (UTF-8 BOM first so spreadsheet programs read accents right)."""
    writer = csv.writer(_Echo())
    yield "\ufeff"
    for row in rows:
        yield writer.writerow(spreadsheet_row(row))


def write_csv(rows: Iterable[list], fileobj) -> int:
    """Write rows to a text file object; returns the number of data rows."""
    lines = 0
    for line in csv_lines(rows):
        fileobj.write(line)
        lines += 1
    return max(lines - 2, 0)  # minus the BOM and the header


def write_xlsx(rows: Iterable[list], fileobj, *, title: str) -> int:
    """Write rows with openpyxl's write-only mode (constant memory); returns the number of data rows."""
    workbook = Workbook(write_only=True)
    sheet = workbook.create_sheet(title=title[:31])
    lines = 0
    for row in rows:
        sheet.append([float(v) if isinstance(v, Decimal) else v for v in spreadsheet_row(row)])
        lines += 1
    workbook.save(fileobj)
    return max(lines - 1, 0)  # minus the header
