"""Store the scores of diagnostics: one or many at once (batch rescoring of a framework).

A batch costs a fixed number of queries whatever its size: the diagnostics (locked), their
answers, the framework specs (three queries per framework version), the certifications held
and the supply areas each SME wants to supply are fetched once; DimensionScore and AreaAlignment
rows are replaced with bulk deletes and inserts (COPY on PostgreSQL, ``core.bulk``), diagnostics
updated through one COPY-filled temporary table, and the transitions to *scored* written to the
audit log with one bulk insert (checked against ``Diagnostic.TRANSITIONS``). This is the one batch
path: the seed (``demo.builder``), ``score_diagnostic`` and the chunked rescoring tasks use it. On
PostgreSQL it runs set-based (``scoring_sql``: answers aggregated per dimension in SQL, Python only
over the aggregated rows); the Python method below (any database) stores exactly the same rows.

Idempotent: scoring again with the same answers, framework and requirements writes the same
rows. ``scored_at`` only moves when the maturity results change. A *validated* diagnostic whose
maturity results (overall score, level, cap, dimension scores) change goes back to *scored*, loses
its validation and its publication to the SME, and staff validate it again; if they do not
change, it stays validated (alignment rows are refreshed either way). A diagnostic whose results do not change is not
written at all (its ``version`` and ``updated_at`` stay).
"""
from collections import defaultdict
from collections.abc import Iterable

from django.contrib.contenttypes.models import ContentType
from django.core.exceptions import ValidationError
from django.db import connection, transaction
from django.utils import timezone

from core.bulk import copy_insert, copy_update
from core.models import AuditEvent
from programs.models import CriticalSupplyArea
from suppliers.models import Certification, Supplier

from .. import scoring
from ..models import Answer, AreaAlignment, Diagnostic, DimensionScore
from .baselines import refresh_current_baselines
from .frameworks import RESCORABLE, framework_specs

SCORE_FIELDS = ["overall_score", "maturity_level", "level_capped", "score_details", "scores_by_dimension",
                "scored_at", "version", "updated_at"]
DIMENSION_FIELDS = ["dimension_id", "score", "rated_count", "na_count", "total_count", "is_complete"]


def _str(value) -> str | None:
    return None if value is None else str(value)


def summary(result: scoring.DiagnosticResult) -> dict:
    """What ``Diagnostic.score_details`` stores: the overall result and why (completeness, band, gating).

    Each dimension's figures are stored as ``DimensionScore`` rows; each question's contribution is not
    stored but computed from the answers when it is shown (``assessments.selectors.diagnostic_explanation``):
    answers cannot change while a diagnostic is submitted, scored or validated."""
    return {
        "complete": result.complete,
        "incomplete_dimensions": list(result.incomplete_dimensions),
        "overall_score": _str(result.overall_score),
        "band_level": result.band_level,
        "level": result.level,
        "capped": result.capped,
        "cap_reasons": list(result.cap_reasons),
    }


def explanation_dimensions(result: scoring.DiagnosticResult) -> dict:
    """Every dimension of a scored result with its questions' contributions (the explanation's detail)."""
    return {
        d.code: {
            "score": _str(d.score), "weight": str(d.weight), "rated": d.rated_count, "na": d.na_count,
            "total": d.total_count, "complete": d.complete,
            "questions": [
                {"code": c.code, "weight": str(c.weight), "level": c.level, "na": c.not_applicable,
                 "score": _str(c.score), "points": _str(c.points)}
                for c in d.contributions
            ],
        }
        for d in result.dimensions
    }


def explanation(result: scoring.DiagnosticResult) -> dict:
    """The whole explanation of a score: the summary and every dimension with its questions' contributions."""
    return {**summary(result), "dimensions": explanation_dimensions(result)}


class _FrameworkCache(dict):
    """framework_id -> (dimension specs, question specs, bands, {dimension code: dimension id})."""

    def get_specs(self, framework):
        if framework.pk not in self:
            dimensions, questions, bands = framework_specs(framework)
            ids = dict(framework.dimensions.values_list("code", "pk"))
            self[framework.pk] = (dimensions, questions, bands, ids)
        return self[framework.pk]


def alignment_context(supplier_ids: set[int]):
    """(certification codes held per supplier, wanted area ids per supplier, {area id: (requirements,
    certification codes)}): three queries whatever the number of suppliers."""
    held = defaultdict(set)
    for supplier_id, code in Certification.objects.filter(supplier_id__in=supplier_ids).values_list(
        "supplier_id", "standard__code"
    ):
        held[supplier_id].add(code)
    # Alignments only with the areas each SME wants to supply: it is a candidate only there, and
    # the other areas would cost 35 rows per diagnostic (3.5 million at 100,000 SMEs) never read.
    wanted = defaultdict(list)
    for supplier_id, area_id in Supplier.supply_areas.through.objects.filter(supplier_id__in=supplier_ids) \
            .values_list("supplier_id", "criticalsupplyarea_id"):
        wanted[supplier_id].append(area_id)
    areas = {}
    for area in CriticalSupplyArea.objects.filter(pk__in={a for ids_ in wanted.values() for a in ids_}) \
            .prefetch_related("requirements", "required_certifications"):
        areas[area.pk] = (
            {r.dimension_code: r.minimum_score for r in area.requirements.all()},
            {c.code for c in area.required_certifications.all()},
        )
    return held, wanted, areas


def alignment_rows(diagnostic_id: int, supplier_id: int, scores: dict, context) -> list[tuple]:
    """AreaAlignment rows (ALIGNMENT_FIELDS order) of a diagnostic with the areas its SME wants."""
    held, wanted, areas = context
    rows = []
    for area_id in wanted[supplier_id]:
        requirements, certifications = areas[area_id]
        outcome = scoring.alignment(scores, requirements, held[supplier_id], certifications)
        rows.append((
            diagnostic_id, area_id, outcome.meets, outcome.fit_percent,
            [{"dimension": g.dimension_code, "required": str(g.required), "actual": _str(g.actual),
              "shortfall": str(g.shortfall)} for g in outcome.gaps],
            list(outcome.missing_certifications),
        ))
    return rows


ALIGNMENT_FIELDS = ["diagnostic_id", "area_id", "meets_requirements", "fit_percent", "gaps", "missing_certifications"]


def transition_events(transitions: Iterable[tuple[int, str]], actor) -> list[AuditEvent]:
    """Audit rows of (diagnostic id, previous status) moving to *scored*, checked against TRANSITIONS."""
    events = []
    content_type = ContentType.objects.get_for_model(Diagnostic)
    for diagnostic_id, status in transitions:
        if Diagnostic.Status.SCORED not in Diagnostic.TRANSITIONS[status]:
            raise ValidationError({"status": f"Cannot change from {status} to scored."})
        events.append(AuditEvent(
            content_type=content_type, object_id=str(diagnostic_id),
            action="transition", from_state=status, to_state=Diagnostic.Status.SCORED,
            reason="scored" if status == Diagnostic.Status.SUBMITTED else "rescored: results changed",
            actor=actor if getattr(actor, "pk", None) else None,
        ))
    return events


@transaction.atomic
def diagnostics_score(*, diagnostic_ids: Iterable[int], actor=None, method: str = "auto") -> list[int]:
    """Score (or rescore) diagnostics that are submitted, scored or validated; others are skipped.

    Returns the ids scored. Submitted ones move to scored (an audited transition). ``method``:
    ``"sql"`` (set-based, PostgreSQL only: ``assessments.services.scoring_sql``), ``"python"``
    (answers read and scored one by one with ``assessments.scoring``; any database) or ``"auto"``
    (sql on PostgreSQL). Both store exactly the same rows (tests/assessments/test_scoring_sql.py),
    and neither writes a diagnostic whose results did not change (its ``version`` stays).
    """
    if method == "auto":
        method = "sql" if connection.vendor == "postgresql" else "python"
    if method == "sql":
        from .scoring_sql import diagnostics_score_sql

        ids, newly_scored = diagnostics_score_sql(diagnostic_ids=diagnostic_ids, actor=actor)
    elif method == "python":
        ids, newly_scored = _diagnostics_score_python(diagnostic_ids=diagnostic_ids, actor=actor)
    else:
        raise ValueError(f"Unknown scoring method {method!r}.")
    if newly_scored:
        # A submitted diagnostic that becomes scored can become its supplier's current baseline;
        # rescoring a scored or validated one keeps it scored-or-validated and cannot change it.
        refresh_current_baselines(supplier_ids=Diagnostic.objects.filter(pk__in=newly_scored).values("supplier_id"))
    return ids


def _diagnostics_score_python(*, diagnostic_ids: Iterable[int], actor=None) -> tuple[list[int], list[int]]:
    """The Python method of ``diagnostics_score`` (any database): (ids scored, ids moved to scored)."""
    diagnostics = list(
        Diagnostic.objects.select_for_update(of=("self",)).filter(pk__in=list(diagnostic_ids), status__in=RESCORABLE)
        .select_related("framework", "supplier").order_by("pk")
    )
    if not diagnostics:
        return [], []
    ids = [d.pk for d in diagnostics]
    answers = defaultdict(list)
    for diagnostic_id, question_id, level, not_applicable in Answer.objects.filter(diagnostic_id__in=ids).values_list(
        "diagnostic_id", "question_id", "level", "not_applicable"
    ):
        answers[diagnostic_id].append(scoring.AnswerInput(question_id, level, not_applicable))
    stored_dimensions = defaultdict(set)
    for diagnostic_id, *row in DimensionScore.objects.filter(diagnostic_id__in=ids).values_list(
        "diagnostic_id", *DIMENSION_FIELDS
    ):
        stored_dimensions[diagnostic_id].add(tuple(row))
    context = alignment_context({d.supplier_id for d in diagnostics})

    specs = _FrameworkCache()
    now = timezone.now()
    score_rows, alignments, to_update, revalidate = [], [], [], []
    for diagnostic in diagnostics:
        dimensions, questions, bands, dimension_ids = specs.get_specs(diagnostic.framework)
        result = scoring.score_diagnostic(dimensions, questions, answers[diagnostic.pk], bands)
        details = summary(result)
        rows = [(dimension_ids[d.code], d.score, d.rated_count, d.na_count, d.total_count, d.complete)
                for d in result.dimensions]
        changed = (diagnostic.scored_at is None or diagnostic.score_details != details
                   or diagnostic.overall_score != result.overall_score or diagnostic.maturity_level != result.level
                   or diagnostic.level_capped != result.capped or stored_dimensions[diagnostic.pk] != set(rows))
        score_rows.extend(DimensionScore(diagnostic=diagnostic, **dict(zip(DIMENSION_FIELDS, row, strict=True)))
                          for row in rows)
        alignments += alignment_rows(diagnostic.pk, diagnostic.supplier_id,
                                     {d.code: d.score for d in result.dimensions}, context)
        if not changed and diagnostic.status != Diagnostic.Status.SUBMITTED:
            continue  # nothing to write: the row (and its version) stays as it is
        diagnostic.overall_score = result.overall_score
        diagnostic.maturity_level = result.level
        diagnostic.level_capped = result.capped
        diagnostic.score_details = details
        diagnostic.scores_by_dimension = {d.code: _str(d.score) for d in result.dimensions}
        if changed:
            diagnostic.scored_at = now
        diagnostic.version += 1
        diagnostic.updated_at = now
        to_update.append(diagnostic)
        if diagnostic.status == Diagnostic.Status.SUBMITTED or (
            changed and diagnostic.status == Diagnostic.Status.VALIDATED
        ):
            revalidate.append(diagnostic)

    DimensionScore.objects.filter(diagnostic_id__in=ids).delete()
    copy_insert(DimensionScore, score_rows)
    AreaAlignment.objects.filter(diagnostic_id__in=ids).delete()
    copy_insert(AreaAlignment, [AreaAlignment(**dict(zip(ALIGNMENT_FIELDS, row, strict=True))) for row in alignments])
    # submitted -> scored; validated with changed results -> scored
    events = transition_events([(d.pk, d.status) for d in revalidate], actor)
    newly_scored = [d.pk for d in revalidate if d.status == Diagnostic.Status.SUBMITTED]
    for diagnostic in revalidate:
        diagnostic.status = Diagnostic.Status.SCORED
        diagnostic.validated_at = diagnostic.validated_by = diagnostic.published_at = None
    copy_update(Diagnostic, to_update, SCORE_FIELDS)
    if revalidate:
        copy_update(Diagnostic, revalidate, ["status", "validated_at", "validated_by", "published_at"])
    copy_insert(AuditEvent, events)
    return ids, newly_scored


def diagnostic_score(*, diagnostic: Diagnostic, actor=None) -> Diagnostic:
    """Score one diagnostic (see ``diagnostics_score``) and return it fresh."""
    diagnostics_score(diagnostic_ids=[diagnostic.pk], actor=actor)
    return Diagnostic.objects.get(pk=diagnostic.pk)
