"""Group training: courses, sessions, enrolment of selected SMEs and their participants, attendance."""

from __future__ import annotations

from django.core.exceptions import ValidationError
from django.db import transaction
from django.forms.models import model_to_dict
from django.utils.translation import gettext as _

from cohorts.models import Candidate
from core import audit

from ..models import Attendance, Course, Enrolment, Participant, Provider, TrainingSession
from .common import jsonable, refuse_unknown, require_selected

COURSE_FIELDS = ("cohort", "title", "topic", "dimension_code", "trainer")
SESSION_FIELDS = ("topic", "trainer", "starts_at", "ends_at", "place", "online", "capacity")


def _check_trainer(trainer: Provider | None, program_id: int) -> None:
    if trainer is not None and trainer.program_id != program_id:
        raise ValidationError({"trainer": _("This trainer works for another program.")})


@transaction.atomic
def course_create(*, actor, **data) -> Course:
    refuse_unknown(data, COURSE_FIELDS)
    course = Course(**data)
    course.full_clean()
    _check_trainer(course.trainer, course.cohort.program_id)
    course.save()
    audit.record(
        course, action="course_created", actor=actor, changes=jsonable(model_to_dict(course, fields=COURSE_FIELDS))
    )
    return course


@transaction.atomic
def course_update(*, course: Course, actor, **data) -> Course:
    refuse_unknown(data, COURSE_FIELDS)
    if "cohort" in data and data["cohort"].pk != course.cohort_id:
        raise ValidationError({"cohort": _("A course stays in its cohort.")})
    for name, value in data.items():
        setattr(course, name, value)
    course.full_clean()
    _check_trainer(course.trainer, course.cohort.program_id)
    course.save()
    audit.record(
        course, action="course_updated", actor=actor, changes=jsonable(model_to_dict(course, fields=list(data)))
    )
    return course


def _check_session(session: TrainingSession) -> None:
    if session.starts_at and session.ends_at and session.ends_at <= session.starts_at:
        raise ValidationError({"ends_at": _("The session must end after it starts.")})
    if not session.online and not (session.place or "").strip():
        raise ValidationError({"place": _("Give the place, or mark the session as online.")})
    _check_trainer(session.trainer, session.course.cohort.program_id)


@transaction.atomic
def session_create(*, course: Course, actor, **data) -> TrainingSession:
    refuse_unknown(data, SESSION_FIELDS)
    session = TrainingSession(course=course, **data)
    if session.trainer_id is None:
        session.trainer = course.trainer
    _check_session(session)
    session.full_clean()
    session.save()
    audit.record(
        course,
        action="session_created",
        actor=actor,
        changes=jsonable({"session": session.pk, **model_to_dict(session, fields=SESSION_FIELDS)}),
    )
    return session


@transaction.atomic
def session_update(*, session: TrainingSession, actor, **data) -> TrainingSession:
    refuse_unknown(data, SESSION_FIELDS)
    for name, value in data.items():
        setattr(session, name, value)
    _check_session(session)
    session.full_clean()
    session.save()
    audit.record(
        session.course,
        action="session_updated",
        actor=actor,
        changes=jsonable({"session": session.pk, **model_to_dict(session, fields=list(data))}),
    )
    return session


@transaction.atomic
def enrol(*, course: Course, candidate: Candidate, actor, participants: list[dict] | None = None) -> Enrolment:
    """Enrol a selected SME of the course's cohort, with its named participants (name, email, language)."""
    require_selected(candidate)
    if candidate.cohort_id != course.cohort_id:
        raise ValidationError({"candidate": _("This SME is not in the course's cohort.")})
    if Enrolment.objects.filter(course=course, candidate=candidate).exists():
        raise ValidationError({"candidate": _("This SME is already enrolled.")})
    enrolment = Enrolment(course=course, candidate=candidate)
    enrolment.full_clean()
    enrolment.save()
    for person in participants or ():
        participant_add(enrolment=enrolment, actor=actor, **person)
    audit.record(course, action="sme_enrolled", actor=actor, changes={"candidate": candidate.pk})
    return enrolment


@transaction.atomic
def participant_add(*, enrolment: Enrolment, actor, name: str, email: str = "", language: str = "es-mx") -> Participant:
    capacity = (
        TrainingSession.objects.filter(course_id=enrolment.course_id, capacity__isnull=False)
        .order_by("capacity")
        .values_list("capacity", flat=True)
        .first()
    )
    taken = Participant.objects.filter(enrolment__course_id=enrolment.course_id).count()
    if capacity is not None and taken >= capacity:
        raise ValidationError({"name": _("The course is full: its sessions have %(n)s seats.") % {"n": capacity}})
    participant = Participant(enrolment=enrolment, name=name.strip(), email=email.strip(), language=language)
    participant.full_clean()
    participant.save()
    audit.record(enrolment.course, action="participant_added", actor=actor, changes={"participant": participant.pk})
    return participant


@transaction.atomic
def attendance_record(*, session: TrainingSession, actor, marks: dict[int, str]) -> list[Attendance]:
    """Mark each participant (id -> present | absent | excused). Everyone marked must be enrolled in the course."""
    ids = set(marks)
    enrolled = set(
        Participant.objects.filter(pk__in=ids, enrolment__course_id=session.course_id).values_list("pk", flat=True)
    )
    strangers = ids - enrolled
    if strangers:
        raise ValidationError({"participant": _("Only participants enrolled in this course can attend its sessions.")})
    bad = {status for status in marks.values() if status not in Attendance.Status.values}
    if bad:
        raise ValidationError({"status": _("Mark each person present, absent or excused.")})
    rows = []
    for participant_id, status in marks.items():
        row, _created = Attendance.objects.update_or_create(
            session=session,
            participant_id=participant_id,
            defaults={"status": status, "recorded_by": actor if getattr(actor, "pk", None) else None},
        )
        rows.append(row)
    audit.record(
        session.course,
        action="attendance_recorded",
        actor=actor,
        changes={"session": session.pk, "marks": {str(k): v for k, v in marks.items()}},
    )
    return rows
