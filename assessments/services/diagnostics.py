"""Writes of the diagnostic lifecycle: schedule, answer, submit, validate, publish.

scheduled -> in_progress (first answer) -> submitted -> scored (task) -> validated, then
published to the SME. Every write names the ``version`` of the diagnostic it read
(optimistic locking, ``core.concurrency.save_versioned``): a stale write raises
``StaleObjectError`` and changes nothing.
"""

import datetime

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from core import audit
from core.concurrency import save_versioned
from core.notifications import notify
from core.queued import enqueue_on_commit
from core.text import refuse_control_characters_multiline
from suppliers.models import Supplier

from .. import scoring
from ..models import Answer, Diagnostic, Framework, Question
from .baselines import refresh_current_baselines
from .frameworks import framework_check_usable, framework_specs

EDITABLE = (Diagnostic.Status.SCHEDULED, Diagnostic.Status.IN_PROGRESS)
ANSWER_FIELDS = ("level", "not_applicable", "na_reason", "evidence")


class AnswerItemsInvalid(ValidationError):
    """Some answer items are invalid; ``items`` holds one field-error dict per item ({} = valid)."""

    def __init__(self, items: list[dict]):
        self.items = items
        bad = sum(1 for item in items if item)
        super().__init__({"answers": _("%(count)s answer(s) are invalid.") % {"count": bad}}, code="invalid_answers")


def _notify_contacts(diagnostic: Diagnostic, template: str) -> None:
    for contact in diagnostic.supplier.contacts.filter(is_primary=True):
        notify(
            template=template,
            recipient=contact.email,
            language=contact.language,
            context={
                "supplier_name": str(diagnostic.supplier),
                "diagnostic_id": diagnostic.pk,
                "scheduled_for": diagnostic.scheduled_for.isoformat(),
                "mode": diagnostic.mode,
            },
        )


def _refresh_current_baseline(diagnostic: Diagnostic) -> None:
    """Recompute the supplier's current baseline flag (``baselines``) and reload it on this instance."""
    refresh_current_baselines(supplier_ids=[diagnostic.supplier_id])
    diagnostic.refresh_from_db(fields=["is_current_baseline"])


def _check_baseline(supplier: Supplier, baseline: Diagnostic | None, scheduled_for: datetime.date) -> None:
    if baseline is None:
        return
    if baseline.supplier_id != supplier.pk:
        raise ValidationError({"baseline": _("The baseline must be a diagnostic of the same SME.")})
    if baseline.scheduled_for > scheduled_for:
        raise ValidationError({"baseline": _("The baseline must not be later than this diagnostic.")})


@transaction.atomic
def diagnostic_schedule(
    *,
    supplier: Supplier,
    framework: Framework,
    scheduled_for: datetime.date,
    mode: str = Diagnostic.Mode.SITE_VISIT,
    assessor=None,
    baseline: Diagnostic | None = None,
    notes: str = "",
    actor=None,
) -> Diagnostic:
    """Schedule a diagnostic of an SME. Without a baseline, the SME's latest validated diagnostic
    (if any) becomes the baseline this one is compared with."""
    framework_check_usable(framework)
    if baseline is None:
        baseline = (
            supplier.diagnostics.filter(status=Diagnostic.Status.VALIDATED, scheduled_for__lte=scheduled_for)
            .order_by("-scheduled_for", "-pk")
            .first()
        )
    _check_baseline(supplier, baseline, scheduled_for)
    diagnostic = Diagnostic(
        supplier=supplier,
        framework=framework,
        scheduled_for=scheduled_for,
        mode=mode,
        assessor=assessor,
        baseline=baseline,
        notes=notes,
    )
    diagnostic.full_clean()
    diagnostic.save()
    audit.record(
        diagnostic,
        action="scheduled",
        actor=actor,
        to_state=diagnostic.status,
        changes={"scheduled_for": scheduled_for.isoformat(), "mode": mode, "assessor": getattr(assessor, "pk", None)},
    )
    _notify_contacts(diagnostic, "diagnostic_scheduled")
    return diagnostic


@transaction.atomic
def diagnostic_update(*, diagnostic: Diagnostic, expected_version: int | None, actor=None, **changes) -> Diagnostic:
    """Reschedule or reassign: ``scheduled_for``, ``mode``, ``assessor``, ``baseline``, ``notes``."""
    allowed = {"scheduled_for", "mode", "assessor", "baseline", "notes"}
    unknown = set(changes) - allowed
    if unknown:
        raise ValidationError({name: _("This field cannot be changed here.") for name in unknown})
    for name, value in changes.items():
        setattr(diagnostic, name, value)
    _check_baseline(diagnostic.supplier, diagnostic.baseline, diagnostic.scheduled_for)
    diagnostic.full_clean()
    save_versioned(diagnostic, expected_version=expected_version, fields=list(changes) or ["notes"])
    audit.record(
        diagnostic, action="updated", actor=actor, changes={k: str(getattr(v, "pk", v)) for k, v in changes.items()}
    )
    if {"scheduled_for", "baseline"} & set(changes):
        _refresh_current_baseline(diagnostic)
    return diagnostic


@transaction.atomic
def diagnostic_delete(*, diagnostic: Diagnostic, actor=None) -> None:
    if diagnostic.status != Diagnostic.Status.SCHEDULED:
        raise ValidationError(_("Only a diagnostic that has not started can be deleted."))
    audit.record(diagnostic, action="deleted", actor=actor, from_state=diagnostic.status)
    supplier_id = diagnostic.supplier_id
    diagnostic.delete()
    refresh_current_baselines(supplier_ids=[supplier_id])


def _clean_item(item: dict, questions: dict) -> tuple[dict, dict]:
    """Validate one answer item; return (cleaned values, field errors)."""
    errors = {}
    question_id = item.get("question")
    try:
        question = None if question_id is None else questions.get(int(question_id))
    except (TypeError, ValueError):
        question = None
    if question is None:
        errors["question"] = [_("Unknown question for this framework.")]
    not_applicable = bool(item.get("not_applicable", False))
    level = item.get("level")
    if level in ("", None):
        level = None
    else:
        try:
            level = int(level)
        except (TypeError, ValueError):
            level = 0
        if not 1 <= level <= 5 or str(item.get("level")).strip() not in {str(level)}:
            errors["level"] = [_("Choose a level from 1 to 5.")]
    na_reason = (item.get("na_reason") or "").strip()
    evidence = (item.get("evidence") or "").strip()
    for name, text in (("na_reason", na_reason), ("evidence", evidence)):
        try:
            refuse_control_characters_multiline(text)
        except ValidationError as exc:
            errors[name] = exc.messages
    if not_applicable:
        if level is not None:
            errors["level"] = [_("A question marked N/A has no level.")]
        if not na_reason:
            errors["na_reason"] = [_("Say why the question does not apply.")]
    elif level is None and "level" not in errors:
        errors["level"] = [_("Choose a level or mark the question N/A with a reason.")]
    cleaned = {
        "question": question,
        "level": None if not_applicable else level,
        "not_applicable": not_applicable,
        "na_reason": na_reason if not_applicable else "",
        "evidence": evidence,
    }
    return cleaned, errors


@transaction.atomic
def diagnostic_answers_save(
    *,
    diagnostic: Diagnostic,
    answers: list[dict],
    expected_version: int | None,
    actor=None,
) -> Diagnostic:
    """Create or update answers (``question`` id, ``level`` 1-5 or ``not_applicable`` with
    ``na_reason``, ``evidence``). All or nothing: invalid items raise one ValidationError with a
    list of per-item field errors (``{}`` for valid items); a stale version raises StaleObjectError.
    The first answer moves a scheduled diagnostic to in_progress."""
    if diagnostic.status not in EDITABLE:
        raise ValidationError(_("Answers can only change before the diagnostic is submitted."), code="not_editable")
    if not isinstance(answers, list) or not answers:
        raise ValidationError({"answers": _("Send a list of answers.")})
    questions = {q.pk: q for q in Question.objects.filter(dimension__framework_id=diagnostic.framework_id)}
    cleaned, errors, seen = [], [], set()
    for item in answers:
        values, item_errors = _clean_item(item if isinstance(item, dict) else {}, questions)
        if values["question"] is not None and values["question"].pk in seen:
            item_errors["question"] = [_("This question appears twice.")]
        if values["question"] is not None:
            seen.add(values["question"].pk)
        cleaned.append(values)
        errors.append(item_errors)
    if any(errors):
        raise AnswerItemsInvalid(errors)
    save_versioned(diagnostic, expected_version=expected_version, fields=["updated_at"])
    existing = {a.question_id: a for a in diagnostic.answers.filter(question_id__in=seen)}
    to_create, to_update = [], []
    for values in cleaned:
        answer = existing.get(values["question"].pk)
        if answer is None:
            to_create.append(
                Answer(diagnostic=diagnostic, answered_by=actor if getattr(actor, "pk", None) else None, **values)
            )
            continue
        for name in ANSWER_FIELDS:
            setattr(answer, name, values[name])
        answer.answered_by = actor if getattr(actor, "pk", None) else None
        answer.updated_at = timezone.now()
        to_update.append(answer)
    Answer.objects.bulk_create(to_create)
    Answer.objects.bulk_update(to_update, [*ANSWER_FIELDS, "answered_by", "updated_at"])
    if diagnostic.status == Diagnostic.Status.SCHEDULED:
        audit.transition(
            diagnostic,
            to=Diagnostic.Status.IN_PROGRESS,
            allowed=Diagnostic.TRANSITIONS,
            actor=actor,
            reason="first answer",
        )
    return diagnostic


def incomplete_dimensions(diagnostic: Diagnostic) -> list[str]:
    """Codes of the dimensions short of the 2/3 rule (scoring.py rule 3)."""
    dimensions, questions, bands = framework_specs(diagnostic.framework)
    answers = [
        scoring.AnswerInput(q, level, na)
        for q, level, na in diagnostic.answers.values_list("question_id", "level", "not_applicable")
    ]
    by_dimension: dict[str, list[scoring.QuestionSpec]] = {d.code: [] for d in dimensions}
    for question in questions:
        by_dimension[question.dimension_code].append(question)
    by_question = {a.question_id: a for a in answers}
    return [d.code for d in dimensions if not scoring.score_dimension(d, by_dimension[d.code], by_question).complete]


@transaction.atomic
def diagnostic_submit(*, diagnostic: Diagnostic, expected_version: int | None, actor=None) -> Diagnostic:
    """Submit a diagnostic whose every dimension is complete; the scoring task runs after commit."""
    from ..tasks import score_diagnostic

    if diagnostic.status != Diagnostic.Status.IN_PROGRESS:
        raise ValidationError(_("Only a diagnostic in progress can be submitted."), code="invalid_transition")
    missing = incomplete_dimensions(diagnostic)
    if missing:
        names = dict(diagnostic.framework.dimensions.values_list("code", "name_es"))
        raise ValidationError(
            _("These dimensions need at least 2/3 of their questions answered (and one rated): %(dims)s.")
            % {"dims": ", ".join(names.get(code, code) for code in missing)},
            code="incomplete",
        )
    diagnostic.submitted_at = timezone.now()
    save_versioned(diagnostic, expected_version=expected_version, fields=["submitted_at"])
    audit.transition(diagnostic, to=Diagnostic.Status.SUBMITTED, allowed=Diagnostic.TRANSITIONS, actor=actor)
    enqueue_on_commit(score_diagnostic, diagnostic.pk)
    return diagnostic


@transaction.atomic
def diagnostic_reopen(
    *,
    diagnostic: Diagnostic,
    expected_version: int | None,
    actor=None,
    reason: str = "",
) -> Diagnostic:
    """Send a submitted or scored (not validated) diagnostic back to the assessor."""
    save_versioned(diagnostic, expected_version=expected_version, fields=["updated_at"])
    audit.transition(
        diagnostic, to=Diagnostic.Status.IN_PROGRESS, allowed=Diagnostic.TRANSITIONS, actor=actor, reason=reason
    )
    _refresh_current_baseline(diagnostic)
    return diagnostic


@transaction.atomic
def diagnostic_validate(*, diagnostic: Diagnostic, expected_version: int | None, actor=None) -> Diagnostic:
    if diagnostic.status != Diagnostic.Status.SCORED:
        raise ValidationError(_("Only a scored diagnostic can be validated."), code="invalid_transition")
    diagnostic.validated_at = timezone.now()
    diagnostic.validated_by = actor if getattr(actor, "pk", None) else None
    save_versioned(diagnostic, expected_version=expected_version, fields=["validated_at", "validated_by"])
    audit.transition(diagnostic, to=Diagnostic.Status.VALIDATED, allowed=Diagnostic.TRANSITIONS, actor=actor)
    return diagnostic


@transaction.atomic
def diagnostic_publish(*, diagnostic: Diagnostic, expected_version: int | None, actor=None) -> Diagnostic:
    """Show a validated diagnostic's results to the SME and tell its primary contact."""
    if diagnostic.status != Diagnostic.Status.VALIDATED:
        raise ValidationError(_("Only a validated diagnostic can be published."), code="not_validated")
    if diagnostic.published_at is not None:
        return diagnostic
    diagnostic.published_at = timezone.now()
    save_versioned(diagnostic, expected_version=expected_version, fields=["published_at"])
    audit.record(diagnostic, action="published", actor=actor)
    _notify_contacts(diagnostic, "diagnostic_published")
    return diagnostic
