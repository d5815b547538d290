"""Writes of framework versions: validation, new version, rescoring after band changes.

Framework files (import, export, load by version) are in ``framework_files``."""

from django.core.exceptions import ValidationError
from django.db import connection, transaction
from django.db.models import Max

from core import audit
from core.models import QueuedTask
from core.queued import enqueue_many_on_commit, enqueue_on_commit

from .. import scoring
from ..models import Diagnostic, Dimension, Framework, LevelDescriptor, MaturityBand, Question
from ..selectors import rescore_tasks


def framework_specs(framework: Framework):
    """The pure-scoring inputs of a framework: (dimensions, questions, bands). Three queries."""
    dimensions = [
        scoring.DimensionSpec(code=d.code, weight=d.weight)
        for d in framework.dimensions.all().order_by("order", "code")
    ]
    questions = [
        scoring.QuestionSpec(
            id=q.pk,
            dimension_code=q.dimension.code,
            code=q.code,
            weight=q.weight,
            is_critical=q.is_critical,
            cap_level=q.cap_level,
            trigger_level=q.trigger_level,
        )
        for q in Question.objects.filter(dimension__framework=framework)
        .select_related("dimension")
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
        code=framework.code,
        version=latest + 1,
        name_es=framework.name_es,
        name_en=framework.name_en,
        description_es=framework.description_es,
        description_en=framework.description_en,
        is_published=False,
    )
    source_dimensions = list(framework.dimensions.all())
    new_dimensions = Dimension.objects.bulk_create(
        Dimension(
            framework=copy,
            code=d.code,
            name_es=d.name_es,
            name_en=d.name_en,
            description_es=d.description_es,
            description_en=d.description_en,
            weight=d.weight,
            order=d.order,
        )
        for d in source_dimensions
    )
    dimension_map = {old.pk: new for old, new in zip(source_dimensions, new_dimensions, strict=True)}
    source_questions = list(Question.objects.filter(dimension__framework=framework))
    new_questions = Question.objects.bulk_create(
        Question(
            dimension=dimension_map[q.dimension_id],
            code=q.code,
            text_es=q.text_es,
            text_en=q.text_en,
            weight=q.weight,
            is_critical=q.is_critical,
            cap_level=q.cap_level,
            trigger_level=q.trigger_level,
            order=q.order,
        )
        for q in source_questions
    )
    question_map = {old.pk: new for old, new in zip(source_questions, new_questions, strict=True)}
    LevelDescriptor.objects.bulk_create(
        LevelDescriptor(question=question_map[d.question_id], level=d.level, text_es=d.text_es, text_en=d.text_en)
        for d in LevelDescriptor.objects.filter(question__dimension__framework=framework)
    )
    MaturityBand.objects.bulk_create(
        MaturityBand(
            framework=copy,
            level=b.level,
            name_es=b.name_es,
            name_en=b.name_en,
            description_es=b.description_es,
            description_en=b.description_en,
            min_score=b.min_score,
            max_score=b.max_score,
        )
        for b in framework.bands.all()
    )
    audit.record(
        copy, action="new_version", actor=actor, changes={"copied_from": framework.pk, "version": copy.version}
    )
    return copy


@transaction.atomic
def framework_rescore(*, framework: Framework, actor=None, reason: str = "") -> None:
    """Queue the rescoring of every submitted, scored or validated diagnostic of a framework version
    (after its bands changed, or on a staff request, e.g. when supply-area requirements changed)."""
    from ..tasks import rescore_framework

    audit.record(framework, action="rescore_requested", actor=actor, reason=reason)
    enqueue_on_commit(rescore_framework, framework.pk)


RESCORE_LOCK = 0x5344  # advisory lock class: one framework's parts record their end one at a time


def framework_rescore_start(*, framework: Framework, parts: list[list[int]], actor=None) -> None:
    """Queue one ``rescore_chunk`` task per part (a list of diagnostic ids) and record the start."""
    from ..tasks import rescore_chunk

    with transaction.atomic():
        audit.record(
            framework,
            action="rescore_started",
            actor=actor,
            changes={"diagnostics": sum(len(part) for part in parts), "parts": len(parts)},
        )
        enqueue_many_on_commit(rescore_chunk, [[framework.pk, part] for part in parts])


def framework_rescore_part_done(*, framework_id: int, task_id: str | None, actor=None) -> bool:
    """One task of a framework rescoring has done its work: drop its queued row, and when no other task of
    this framework's rescorings is pending, record that the rescoring finished. Returns whether it did.
    Parts finishing at the same moment take turns (an advisory lock), so exactly the last one records it."""
    with transaction.atomic():
        with connection.cursor() as cursor:
            cursor.execute("SELECT pg_advisory_xact_lock(%s, %s)", [RESCORE_LOCK, framework_id])
        if task_id:
            QueuedTask.objects.filter(task_id=task_id).delete()
        if rescore_tasks(framework_id).filter(status=QueuedTask.Status.PENDING).exists():
            return False
        framework = Framework.objects.filter(pk=framework_id).first()
        if framework is None:
            return False
        audit.record(framework, action="rescore_finished", actor=actor)
        return True


RESCORABLE = (Diagnostic.Status.SUBMITTED, Diagnostic.Status.SCORED, Diagnostic.Status.VALIDATED)
