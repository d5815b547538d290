"""Writes of framework versions: import, validation, new version, rescoring after band changes."""
from decimal import Decimal

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Max

from core import audit
from core.queued import enqueue_on_commit

from .. import scoring
from ..models import Diagnostic, Dimension, Framework, LevelDescriptor, MaturityBand, Question


@transaction.atomic
def framework_import(*, data: dict, publish: bool = True) -> Framework:
    """Create a framework version from a data structure (see ``assessments.default_framework``).

    Idempotent: an existing (code, version) is returned unchanged, since a
    framework version never changes once it exists in a program.
    """
    existing = Framework.objects.filter(code=data["code"], version=data["version"]).first()
    if existing:
        return existing
    dimensions = [
        scoring.DimensionSpec(code=d["code"], weight=Decimal(str(d["weight"]))) for d in data["dimensions"]
    ]
    questions = [
        scoring.QuestionSpec(id=q["code"], dimension_code=d["code"], code=q["code"], weight=Decimal(str(q["weight"])),
                             is_critical=q.get("is_critical", False), cap_level=q.get("cap_level"))
        for d in data["dimensions"] for q in d["questions"]
    ]
    errors = scoring.validate_weights(dimensions, questions)
    bands = [scoring.Band(b["level"], Decimal(str(b["min_score"])), Decimal(str(b["max_score"])))
             for b in data["bands"]]
    errors += scoring.validate_bands(bands)
    if errors:
        raise ValueError("; ".join(errors))
    framework = Framework.objects.create(
        code=data["code"], version=data["version"], name_es=data["name_es"], name_en=data.get("name_en", ""),
        description_es=data.get("description_es", ""), description_en=data.get("description_en", ""),
        is_published=publish,
    )
    descriptors = []
    for d_order, d in enumerate(data["dimensions"], start=1):
        dimension = Dimension.objects.create(
            framework=framework, code=d["code"], name_es=d["name_es"], name_en=d.get("name_en", ""),
            description_es=d.get("description_es", ""), description_en=d.get("description_en", ""),
            weight=Decimal(str(d["weight"])), order=d_order,
        )
        for q_order, q in enumerate(d["questions"], start=1):
            question = Question.objects.create(
                dimension=dimension, code=q["code"], text_es=q["text_es"], text_en=q.get("text_en", ""),
                weight=Decimal(str(q["weight"])), is_critical=q.get("is_critical", False),
                cap_level=q.get("cap_level"), order=q_order,
            )
            for level, (text_es, text_en) in enumerate(q["descriptors"], start=1):
                descriptors.append(LevelDescriptor(question=question, level=level, text_es=text_es, text_en=text_en))
    LevelDescriptor.objects.bulk_create(descriptors)
    MaturityBand.objects.bulk_create(
        MaturityBand(framework=framework, level=b["level"], name_es=b["name_es"], name_en=b.get("name_en", ""),
                     min_score=Decimal(str(b["min_score"])), max_score=Decimal(str(b["max_score"])))
        for b in data["bands"]
    )
    return framework


def framework_specs(framework: Framework):
    """The pure-scoring inputs of a framework: (dimensions, questions, bands). Three queries."""
    dimensions = [
        scoring.DimensionSpec(code=d.code, weight=d.weight)
        for d in framework.dimensions.all().order_by("order", "code")
    ]
    questions = [
        scoring.QuestionSpec(id=q.pk, dimension_code=q.dimension.code, code=q.code, weight=q.weight,
                             is_critical=q.is_critical, cap_level=q.cap_level)
        for q in Question.objects.filter(dimension__framework=framework).select_related("dimension")
        .order_by("dimension__order", "dimension__code", "order", "code")
    ]
    bands = [scoring.Band(b.level, b.min_score, b.max_score) for b in framework.bands.all()]
    return dimensions, questions, bands


def framework_errors(framework: Framework) -> list[str]:
    """Everything wrong with a framework version's weights and bands (empty = usable)."""
    dimensions, questions, bands = framework_specs(framework)
    return scoring.validate_weights(dimensions, questions) + scoring.validate_bands(bands)


def framework_check_usable(framework: Framework) -> None:
    """Raise ValidationError unless diagnostics may use this framework version."""
    if not framework.is_published:
        raise ValidationError({"framework": "Only a published framework version can be used."})
    errors = framework_errors(framework)
    if errors:
        raise ValidationError({"framework": errors})


@transaction.atomic
def framework_new_version(*, framework: Framework, actor=None) -> Framework:
    """Copy a framework version (dimensions, questions, descriptors, bands) into a new, unpublished,
    editable version numbered after the highest existing version of the same code."""
    latest = Framework.objects.filter(code=framework.code).aggregate(v=Max("version"))["v"] or framework.version
    copy = Framework.objects.create(
        code=framework.code, version=latest + 1, name_es=framework.name_es, name_en=framework.name_en,
        description_es=framework.description_es, description_en=framework.description_en, is_published=False,
    )
    source_dimensions = list(framework.dimensions.all())
    new_dimensions = Dimension.objects.bulk_create(
        Dimension(framework=copy, code=d.code, name_es=d.name_es, name_en=d.name_en, description_es=d.description_es,
                  description_en=d.description_en, weight=d.weight, order=d.order)
        for d in source_dimensions
    )
    dimension_map = {old.pk: new for old, new in zip(source_dimensions, new_dimensions, strict=True)}
    source_questions = list(Question.objects.filter(dimension__framework=framework))
    new_questions = Question.objects.bulk_create(
        Question(dimension=dimension_map[q.dimension_id], code=q.code, text_es=q.text_es, text_en=q.text_en,
                 weight=q.weight, is_critical=q.is_critical, cap_level=q.cap_level, order=q.order)
        for q in source_questions
    )
    question_map = {old.pk: new for old, new in zip(source_questions, new_questions, strict=True)}
    LevelDescriptor.objects.bulk_create(
        LevelDescriptor(question=question_map[d.question_id], level=d.level, text_es=d.text_es, text_en=d.text_en)
        for d in LevelDescriptor.objects.filter(question__dimension__framework=framework)
    )
    MaturityBand.objects.bulk_create(
        MaturityBand(framework=copy, level=b.level, name_es=b.name_es, name_en=b.name_en, min_score=b.min_score,
                     max_score=b.max_score)
        for b in framework.bands.all()
    )
    audit.record(copy, action="new_version", actor=actor, changes={"copied_from": framework.pk,
                                                                   "version": copy.version})
    return copy


@transaction.atomic
def framework_rescore(*, framework: Framework, actor=None, reason: str = "") -> None:
    """Queue the rescoring of every submitted, scored or validated diagnostic of a framework version
    (after its bands changed, or on a staff request, e.g. when supply-area requirements changed)."""
    from ..tasks import rescore_framework

    audit.record(framework, action="rescore_requested", actor=actor, reason=reason)
    enqueue_on_commit(rescore_framework, framework.pk)


RESCORABLE = (Diagnostic.Status.SUBMITTED, Diagnostic.Status.SCORED, Diagnostic.Status.VALIDATED)
