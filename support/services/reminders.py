"""Reminders of the support (Celery beat, daily): plan items due in 7 days and overdue, visits not logged a
week after they were scheduled, sessions tomorrow. Each through the outbox, in the person's language, once
per event (``dedupe_key``), and only to people who did not turn that reminder off. Financing cases that have
not moved for 30 days remind the program staff, once per case and step."""

from __future__ import annotations

import datetime

from django.conf import settings
from django.contrib.auth import get_user_model
from django.db import transaction
from django.utils import timezone

from core.notifications import notify, wants_email
from core.roles import STAFF_GROUP
from suppliers.models import Contact

from ..financing.selectors import STUCK_AFTER_DAYS, stuck_cases
from ..models import Participant, PlanItem, TrainingSession, Visit

DUE_SOON_DAYS = 7
UNLOGGED_AFTER_DAYS = 7
ITEM_DUE = "plan_item_due"
ITEM_OVERDUE = "plan_item_overdue"
VISIT_UNLOGGED = "visit_unlogged"
SESSION_TOMORROW = "session_tomorrow"
FINANCING_STUCK = "financing_stuck"


def _sme_people(supplier_id: int) -> list[tuple[str, str, object]]:
    """(email, language, user) of the SME's contacts with an account, or its primary contact."""
    contacts = list(
        Contact.objects.filter(supplier_id=supplier_id).select_related("user").order_by("-is_primary", "pk")
    )
    with_account = [c for c in contacts if c.user is not None and c.user.is_active]
    chosen = with_account or [c for c in contacts if c.is_primary][:1]
    return [(c.email, c.language, c.user) for c in chosen if c.email]


def _send(*, template: str, reminder: str, people, context: dict, key: str) -> int:
    sent = 0
    for email, language, user in people:
        if not wants_email(user, reminder):
            continue
        notify(template=template, recipient=email, language=language, context=context, dedupe_key=f"{key}:{email}")
        sent += 1
    return sent


def remind_plan_items(*, today: datetime.date | None = None) -> int:
    """Open items due in exactly 7 days, and open items past their due date (once per due date)."""
    today = today or timezone.localdate()
    items = PlanItem.objects.filter(status__in=PlanItem.OPEN_STATUSES, due_date__isnull=False).filter(
        due_date__in=[today + datetime.timedelta(days=DUE_SOON_DAYS)]
    ) | PlanItem.objects.filter(status__in=PlanItem.OPEN_STATUSES, due_date__lt=today)
    sent = 0
    for item in items.select_related("plan__candidate__supplier", "provider__user").order_by("pk"):
        due = item.due_date
        if due is None:
            continue
        overdue = due < today
        reminder = ITEM_OVERDUE if overdue else ITEM_DUE
        people = _sme_people(item.plan.candidate.supplier_id)
        if item.provider is not None and item.provider.email:
            people.append((item.provider.email, item.provider.language, item.provider.user))
        context = {
            "item": item.title,
            "supplier": str(item.plan.candidate.supplier),
            "due_date": due.isoformat(),
            "path": "/mi-cuenta/plan/",
        }
        with transaction.atomic():
            sent += _send(
                template=reminder,
                reminder=reminder,
                people=people,
                context=context,
                key=f"{reminder}:{item.pk}:{due}",
            )
    return sent


def remind_unlogged_visits(*, today: datetime.date | None = None) -> int:
    """Visits still only scheduled a week after their date: the provider is asked to log them."""
    today = today or timezone.localdate()
    visits = Visit.objects.filter(
        status=Visit.Status.SCHEDULED, scheduled_for__lte=today - datetime.timedelta(days=UNLOGGED_AFTER_DAYS)
    ).select_related("provider__user", "candidate__supplier")
    sent = 0
    for visit in visits.order_by("pk"):
        provider = visit.provider
        if not provider.email:
            continue
        context = {
            "supplier": str(visit.candidate.supplier),
            "scheduled_for": visit.scheduled_for.isoformat() if visit.scheduled_for else "",
            "path": f"/asesores/pymes/{visit.candidate_id}/",
        }
        with transaction.atomic():
            sent += _send(
                template=VISIT_UNLOGGED,
                reminder=VISIT_UNLOGGED,
                people=[(provider.email, provider.language, provider.user)],
                context=context,
                key=f"{VISIT_UNLOGGED}:{visit.pk}",
            )
    return sent


def remind_sessions_tomorrow(*, today: datetime.date | None = None) -> int:
    """Tomorrow's sessions: each enrolled participant with an email hears when and where."""
    today = today or timezone.localdate()
    tomorrow = today + datetime.timedelta(days=1)
    sessions = TrainingSession.objects.filter(starts_at__date=tomorrow).select_related("course")
    sent = 0
    for session in sessions.order_by("pk"):
        participants = Participant.objects.filter(enrolment__course_id=session.course_id).exclude(email="")
        context = {
            "course": session.course.title,
            "starts_at": timezone.localtime(session.starts_at).strftime("%Y-%m-%d %H:%M"),
            "place": session.place,
            "online": session.online,
        }
        with transaction.atomic():
            sent += _send(
                template=SESSION_TOMORROW,
                reminder=SESSION_TOMORROW,
                people=[(p.email, p.language, None) for p in participants],
                context=context,
                key=f"{SESSION_TOMORROW}:{session.pk}",
            )
    return sent


def _staff_people(program_id: int) -> list[tuple[str, str, object]]:
    """(email, language, user) of the active staff of the program with an email."""
    staff = (
        get_user_model()
        .objects.filter(
            groups__name=STAFF_GROUP,
            is_active=True,
            program_memberships__program_id=program_id,
            program_memberships__is_active=True,
        )
        .exclude(email="")
        .distinct()
        .order_by("pk")
    )
    return [(user.email, settings.LANGUAGE_CODE, user) for user in staff]


def remind_stuck_financing(*, today: datetime.date | None = None) -> int:
    """Open financing cases in the same step for 30 days or more: the staff of the case's program hear of each
    once per step."""
    today = today or timezone.localdate()
    cases = stuck_cases(today=today).select_related("candidate__supplier", "candidate__cohort").order_by("pk")
    people_of: dict[int, list] = {}
    sent = 0
    for case in cases:
        program_id = case.candidate.cohort.program_id
        if program_id not in people_of:
            people_of[program_id] = _staff_people(program_id)
        people = people_of[program_id]
        context = {
            "supplier": str(case.candidate.supplier),
            "institution": case.institution_label,
            "step": case.status,
            "since": case.step_since.isoformat(),
            "days": (today - case.step_since).days,
            "threshold": STUCK_AFTER_DAYS,
            "path": f"/staff/support/financing/{case.pk}/",
        }
        with transaction.atomic():
            sent += _send(
                template=FINANCING_STUCK,
                reminder=FINANCING_STUCK,
                people=people,
                context=context,
                key=f"{FINANCING_STUCK}:{case.pk}:{case.status}:{case.step_since}",
            )
    return sent


def send_reminders(*, today: datetime.date | None = None) -> dict[str, int]:
    return {
        "plan_items": remind_plan_items(today=today),
        "unlogged_visits": remind_unlogged_visits(today=today),
        "sessions_tomorrow": remind_sessions_tomorrow(today=today),
        "stuck_financing": remind_stuck_financing(today=today),
    }
