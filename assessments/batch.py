"""Set-based scoring of many diagnostics at once (seeding, rescoring after a band change).

``diagnostics_score_batch`` costs a fixed number of queries whatever the number of diagnostics:
the diagnostics (locked), their answers, the framework specs (per framework version), the
certifications held, the supply areas each SME wants to supply and those areas' requirements are
read once; DimensionScore and AreaAlignment rows are replaced with bulk deletes and inserts, the
diagnostics are updated with one bulk update, and the submitted -> scored transitions are written
to the audit log with one bulk insert (checked against ``Diagnostic.TRANSITIONS``).

It writes the same rows as ``assessments.services.diagnostic_score`` except that alignments are
computed only for the supply areas the SME wants to supply (``Supplier.supply_areas``): an SME is
only ever a candidate in those areas, so alignments with the other areas are never read, and
computing them would write 35 rows per diagnostic (3.5 million at 100,000 SMEs) instead of 1-3.
"""

from collections import defaultdict
from collections.abc import Iterable

from django.contrib.contenttypes.models import ContentType
from django.db import transaction
from django.utils import timezone

from core.bulk import copy_insert, copy_update
from core.models import AuditEvent
from programs.models import AreaRequirement, CriticalSupplyArea
from suppliers.models import Certification, Supplier

from . import scoring
from .models import Answer, AreaAlignment, Diagnostic, Dimension, DimensionScore, MaturityBand, Question

SCORABLE = (Diagnostic.Status.SUBMITTED, Diagnostic.Status.SCORED, Diagnostic.Status.VALIDATED)
SCORE_FIELDS = [
    "overall_score",
    "maturity_level",
    "level_capped",
    "score_details",
    "scored_at",
    "updated_at",
    "version",
    "status",
]


def _str(value) -> str | None:
    return None if value is None else str(value)


def explanation(result: scoring.DiagnosticResult) -> dict:
    return {
        "complete": result.complete,
        "incomplete_dimensions": list(result.incomplete_dimensions),
        "band_level": result.band_level,
        "cap_reasons": list(result.cap_reasons),
        "dimensions": {
            d.code: {
                "score": _str(d.score),
                "weight": str(d.weight),
                "rated": d.rated_count,
                "na": d.na_count,
                "total": d.total_count,
                "complete": d.complete,
            }
            for d in result.dimensions
        },
    }


def framework_specs_many(framework_ids: set[int]) -> dict[int, tuple]:
    """framework id -> (dimension specs, question specs, bands, {dimension code: id}) in 3 queries."""
    dimensions = defaultdict(list)
    codes = {}
    ids = defaultdict(dict)
    for pk, framework_id, code, weight in (
        Dimension.objects.filter(framework_id__in=framework_ids)
        .order_by("order", "code")
        .values_list("pk", "framework_id", "code", "weight")
    ):
        dimensions[framework_id].append(scoring.DimensionSpec(code=code, weight=weight))
        codes[pk] = code
        ids[framework_id][code] = pk
    questions = defaultdict(list)
    for row in (
        Question.objects.filter(dimension__framework_id__in=framework_ids)
        .order_by("dimension__order", "order", "code")
        .values_list("pk", "dimension_id", "dimension__framework_id", "code", "weight", "is_critical", "cap_level")
    ):
        pk, dimension_id, framework_id, code, weight, critical, cap = row
        questions[framework_id].append(
            scoring.QuestionSpec(pk, codes[dimension_id], code, weight, is_critical=critical, cap_level=cap)
        )
    bands = defaultdict(list)
    for framework_id, level, low, high in MaturityBand.objects.filter(framework_id__in=framework_ids).values_list(
        "framework_id", "level", "min_score", "max_score"
    ):
        bands[framework_id].append(scoring.Band(level, low, high))
    return {f: (dimensions[f], questions[f], bands[f], ids[f]) for f in framework_ids}


def _area_requirements(area_ids: set[int]) -> dict[int, tuple[dict, set]]:
    minimums = defaultdict(dict)
    for area_id, code, minimum in AreaRequirement.objects.filter(area_id__in=area_ids).values_list(
        "area_id", "dimension_code", "minimum_score"
    ):
        minimums[area_id][code] = minimum
    certifications = defaultdict(set)
    through = CriticalSupplyArea.required_certifications.through
    for area_id, code in through.objects.filter(criticalsupplyarea_id__in=area_ids).values_list(
        "criticalsupplyarea_id", "certificationstandard__code"
    ):
        certifications[area_id].add(code)
    return {a: (minimums[a], certifications[a]) for a in area_ids}


@transaction.atomic
def diagnostics_score_batch(*, diagnostic_ids: Iterable[int], actor=None) -> list[int]:
    """Score (or rescore) the submitted, scored or validated diagnostics among ``diagnostic_ids``.

    Returns the ids scored; submitted ones move to scored (audited). Idempotent.
    """
    rows = list(
        Diagnostic.objects.select_for_update()
        .filter(pk__in=list(diagnostic_ids), status__in=SCORABLE)
        .order_by("pk")
        .only("pk", "supplier_id", "framework_id", "status", "version")
    )
    if not rows:
        return []
    ids = [d.pk for d in rows]
    answers = defaultdict(list)
    for diagnostic_id, question_id, level, not_applicable in Answer.objects.filter(diagnostic_id__in=ids).values_list(
        "diagnostic_id", "question_id", "level", "not_applicable"
    ):
        answers[diagnostic_id].append(scoring.AnswerInput(question_id, level, not_applicable))
    specs = framework_specs_many({d.framework_id for d in rows})
    supplier_ids = {d.supplier_id for d in rows}
    held = defaultdict(set)
    for supplier_id, code in Certification.objects.filter(supplier_id__in=supplier_ids).values_list(
        "supplier_id", "standard__code"
    ):
        held[supplier_id].add(code)
    wanted = defaultdict(list)
    for supplier_id, area_id in Supplier.supply_areas.through.objects.filter(supplier_id__in=supplier_ids).values_list(
        "supplier_id", "criticalsupplyarea_id"
    ):
        wanted[supplier_id].append(area_id)
    requirements = _area_requirements({a for areas in wanted.values() for a in areas})

    now = timezone.now()
    score_rows, alignment_rows, transitions = [], [], []
    for diagnostic in rows:
        dimensions, questions, bands, dimension_ids = specs[diagnostic.framework_id]
        result = scoring.score_diagnostic(dimensions, questions, answers[diagnostic.pk], bands)
        score_rows.extend(
            DimensionScore(
                diagnostic_id=diagnostic.pk,
                dimension_id=dimension_ids[d.code],
                score=d.score,
                rated_count=d.rated_count,
                na_count=d.na_count,
                total_count=d.total_count,
                is_complete=d.complete,
            )
            for d in result.dimensions
        )
        scores = {d.code: d.score for d in result.dimensions}
        for area_id in wanted[diagnostic.supplier_id]:
            minimums, certifications = requirements[area_id]
            outcome = scoring.alignment(scores, minimums, held[diagnostic.supplier_id], certifications)
            alignment_rows.append(
                AreaAlignment(
                    diagnostic_id=diagnostic.pk,
                    area_id=area_id,
                    meets_requirements=outcome.meets,
                    fit_percent=outcome.fit_percent,
                    gaps=[
                        {
                            "dimension": g.dimension_code,
                            "required": str(g.required),
                            "actual": _str(g.actual),
                            "shortfall": str(g.shortfall),
                        }
                        for g in outcome.gaps
                    ],
                    missing_certifications=list(outcome.missing_certifications),
                )
            )
        diagnostic.overall_score = result.overall_score
        diagnostic.maturity_level = result.level
        diagnostic.level_capped = result.capped
        diagnostic.score_details = explanation(result)
        diagnostic.scored_at = now
        diagnostic.updated_at = now
        diagnostic.version += 1
        if diagnostic.status == Diagnostic.Status.SUBMITTED:
            assert Diagnostic.Status.SCORED in Diagnostic.TRANSITIONS[diagnostic.status]
            transitions.append(diagnostic)
            diagnostic.status = Diagnostic.Status.SCORED

    DimensionScore.objects.filter(diagnostic_id__in=ids).delete()
    copy_insert(DimensionScore, score_rows)
    AreaAlignment.objects.filter(diagnostic_id__in=ids).delete()
    copy_insert(AreaAlignment, alignment_rows)
    copy_update(Diagnostic, rows, SCORE_FIELDS)
    if transitions:
        content_type = ContentType.objects.get_for_model(Diagnostic)
        copy_insert(
            AuditEvent,
            [
                AuditEvent(
                    content_type=content_type,
                    object_id=str(d.pk),
                    action="transition",
                    from_state=Diagnostic.Status.SUBMITTED,
                    to_state=Diagnostic.Status.SCORED,
                    reason="scored",
                    changes={"overall_score": _str(d.overall_score), "level": d.maturity_level},
                    actor=actor if getattr(actor, "pk", None) else None,
                )
                for d in transitions
            ],
        )
    return ids
