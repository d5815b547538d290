"""Writes of the assessments app: frameworks and diagnostic scoring."""

from decimal import Decimal

from django.db import transaction
from django.utils import timezone

from core import audit
from programs.models import CriticalSupplyArea

from . import scoring
from .models import (
    AreaAlignment,
    Diagnostic,
    Dimension,
    DimensionScore,
    Framework,
    LevelDescriptor,
    MaturityBand,
    Question,
)


@transaction.atomic
def framework_import(*, data: dict, publish: bool = True) -> Framework:
    """Create a framework version from a data structure (see ``assessments.default_framework``).

    Idempotent: an existing (code, version) is returned unchanged, since a
    framework version never changes once it exists in a program.
    """
    existing = Framework.objects.filter(code=data["code"], version=data["version"]).first()
    if existing:
        return existing
    dimensions = [scoring.DimensionSpec(code=d["code"], weight=Decimal(str(d["weight"]))) for d in data["dimensions"]]
    questions = [
        scoring.QuestionSpec(
            id=q["code"],
            dimension_code=d["code"],
            code=q["code"],
            weight=Decimal(str(q["weight"])),
            is_critical=q.get("is_critical", False),
            cap_level=q.get("cap_level"),
        )
        for d in data["dimensions"]
        for q in d["questions"]
    ]
    errors = scoring.validate_weights(dimensions, questions)
    bands = [
        scoring.Band(b["level"], Decimal(str(b["min_score"])), Decimal(str(b["max_score"]))) for b in data["bands"]
    ]
    errors += scoring.validate_bands(bands)
    if errors:
        raise ValueError("; ".join(errors))
    framework = Framework.objects.create(
        code=data["code"],
        version=data["version"],
        name_es=data["name_es"],
        name_en=data.get("name_en", ""),
        description_es=data.get("description_es", ""),
        description_en=data.get("description_en", ""),
        is_published=publish,
    )
    descriptors = []
    for d_order, d in enumerate(data["dimensions"], start=1):
        dimension = Dimension.objects.create(
            framework=framework,
            code=d["code"],
            name_es=d["name_es"],
            name_en=d.get("name_en", ""),
            description_es=d.get("description_es", ""),
            description_en=d.get("description_en", ""),
            weight=Decimal(str(d["weight"])),
            order=d_order,
        )
        for q_order, q in enumerate(d["questions"], start=1):
            question = Question.objects.create(
                dimension=dimension,
                code=q["code"],
                text_es=q["text_es"],
                text_en=q.get("text_en", ""),
                weight=Decimal(str(q["weight"])),
                is_critical=q.get("is_critical", False),
                cap_level=q.get("cap_level"),
                order=q_order,
            )
            for level, (text_es, text_en) in enumerate(q["descriptors"], start=1):
                descriptors.append(LevelDescriptor(question=question, level=level, text_es=text_es, text_en=text_en))
    LevelDescriptor.objects.bulk_create(descriptors)
    MaturityBand.objects.bulk_create(
        MaturityBand(
            framework=framework,
            level=b["level"],
            name_es=b["name_es"],
            name_en=b.get("name_en", ""),
            min_score=Decimal(str(b["min_score"])),
            max_score=Decimal(str(b["max_score"])),
        )
        for b in data["bands"]
    )
    return framework


def framework_specs(framework: Framework):
    """The pure-scoring inputs of a framework: (dimensions, questions, bands)."""
    dimensions = [
        scoring.DimensionSpec(code=d.code, weight=d.weight) for d in framework.dimensions.all().order_by("order")
    ]
    questions = [
        scoring.QuestionSpec(
            id=q.pk,
            dimension_code=q.dimension.code,
            code=q.code,
            weight=q.weight,
            is_critical=q.is_critical,
            cap_level=q.cap_level,
        )
        for q in Question.objects.filter(dimension__framework=framework).select_related("dimension")
    ]
    bands = [scoring.Band(b.level, b.min_score, b.max_score) for b in framework.bands.all()]
    return dimensions, questions, bands


@transaction.atomic
def diagnostic_score(*, diagnostic: Diagnostic, actor=None, specs=None) -> scoring.DiagnosticResult:
    """Compute and store the scores of a submitted (or already scored) diagnostic.

    Idempotent: scoring twice gives the same rows. Stores DimensionScore rows,
    the overall score and level, the explanation, and the alignment with
    every supply area of the SME's program.
    """
    diagnostic = Diagnostic.objects.select_for_update().get(pk=diagnostic.pk)
    dimensions, questions, bands = specs or framework_specs(diagnostic.framework)
    answers = [
        scoring.AnswerInput(question_id=a.question_id, level=a.level, not_applicable=a.not_applicable)
        for a in diagnostic.answers.all()
    ]
    result = scoring.score_diagnostic(dimensions, questions, answers, bands)
    dimension_ids = dict(diagnostic.framework.dimensions.values_list("code", "pk"))
    DimensionScore.objects.filter(diagnostic=diagnostic).delete()
    DimensionScore.objects.bulk_create(
        DimensionScore(
            diagnostic=diagnostic,
            dimension_id=dimension_ids[d.code],
            score=d.score,
            rated_count=d.rated_count,
            na_count=d.na_count,
            total_count=d.total_count,
            is_complete=d.complete,
        )
        for d in result.dimensions
    )
    diagnostic.overall_score = result.overall_score
    diagnostic.maturity_level = result.level
    diagnostic.level_capped = result.capped
    diagnostic.score_details = {
        "complete": result.complete,
        "incomplete_dimensions": list(result.incomplete_dimensions),
        "band_level": result.band_level,
        "cap_reasons": list(result.cap_reasons),
        "dimensions": {
            d.code: {
                "score": str(d.score) if d.score is not None else None,
                "weight": str(d.weight),
                "rated": d.rated_count,
                "na": d.na_count,
                "total": d.total_count,
                "complete": d.complete,
            }
            for d in result.dimensions
        },
    }
    diagnostic.scored_at = timezone.now()
    _store_alignments(diagnostic, {d.code: d.score for d in result.dimensions})
    previous = diagnostic.status
    diagnostic.status = Diagnostic.Status.SCORED if previous == Diagnostic.Status.SUBMITTED else previous
    diagnostic.save()
    if previous != diagnostic.status:
        audit.record(
            diagnostic,
            action="transition",
            actor=actor,
            from_state=previous,
            to_state=diagnostic.status,
            changes={"overall_score": str(result.overall_score), "level": result.level},
        )
    return result


def _store_alignments(diagnostic: Diagnostic, dimension_scores: dict) -> None:
    held = set(diagnostic.supplier.certifications.values_list("standard__code", flat=True))
    areas = CriticalSupplyArea.objects.filter(program_id=diagnostic.supplier.program_id).prefetch_related(
        "requirements", "required_certifications"
    )
    rows = []
    for area in areas:
        outcome = scoring.alignment(
            dimension_scores,
            {r.dimension_code: r.minimum_score for r in area.requirements.all()},
            held,
            {c.code for c in area.required_certifications.all()},
        )
        rows.append(
            AreaAlignment(
                diagnostic=diagnostic,
                area=area,
                meets_requirements=outcome.meets,
                fit_percent=outcome.fit_percent,
                gaps=[
                    {
                        "dimension": g.dimension_code,
                        "required": str(g.required),
                        "actual": str(g.actual) if g.actual is not None else None,
                        "shortfall": str(g.shortfall),
                    }
                    for g in outcome.gaps
                ],
                missing_certifications=list(outcome.missing_certifications),
            )
        )
    AreaAlignment.objects.filter(diagnostic=diagnostic).delete()
    AreaAlignment.objects.bulk_create(rows)
