"""Sourcing emails that go out on a schedule (Celery beat, daily), through the outbox, in each person's
language, once per event (``dedupe_key``) and only to people who did not turn the reminder off
(``core.NotificationPreference``):

- ``sourcing_new_opportunities``: to each SME, at most one digest a day of the open opportunities posted in the
  last day that it meets the requirements of (the invitations themselves are emailed when they are made);
- ``sourcing_deadline``: to each invited SME that has not answered yet, three days before the deadline.
"""

from __future__ import annotations

import datetime
from collections import defaultdict

from django.db import transaction
from django.db.models import Exists, OuterRef
from django.utils import timezone

from core.notifications import notify, wants_email
from suppliers.models import Contact

from ..models import Invitation, Match, Opportunity

NEW_OPPORTUNITIES = "sourcing_new_opportunities"
DEADLINE = "sourcing_deadline"
DEADLINE_DAYS = 3


def _people(supplier_id: int) -> list[tuple[str, str, object]]:
    """(email, language, user) of the SME's contacts with an account, or its primary contact."""
    contacts = list(
        Contact.objects.filter(supplier_id=supplier_id).select_related("user").order_by("-is_primary", "pk")
    )
    with_account = [c for c in contacts if c.user is not None and c.user.is_active]
    chosen = with_account or [c for c in contacts if c.is_primary][:1]
    return [(c.email, c.language, c.user) for c in chosen if c.email]


@transaction.atomic
def send_new_opportunity_digests(*, now: datetime.datetime | None = None) -> int:
    """One email per SME person and day listing the open opportunities of the last day it is eligible for."""
    now = now or timezone.now()
    today = timezone.localdate(now)
    matches = (
        Match.objects.filter(
            meets_requirements=True,
            opportunity__status=Opportunity.Status.OPEN,
            opportunity__visibility=Opportunity.Visibility.OPEN,
            opportunity__response_deadline__gte=today,
            opportunity__created_at__gte=now - datetime.timedelta(days=1),
        )
        .exclude(
            Exists(
                Invitation.objects.filter(
                    opportunity_id=OuterRef("opportunity_id"), supplier_id=OuterRef("supplier_id")
                )
            )
        )
        .select_related("opportunity__anchor")
        .order_by("supplier_id", "opportunity__response_deadline", "opportunity_id")
    )
    by_supplier: dict[int, list[Opportunity]] = defaultdict(list)
    for match in matches:
        by_supplier[match.supplier_id].append(match.opportunity)
    sent = 0
    for supplier_id, opportunities in by_supplier.items():
        lines = [
            {"anchor": o.anchor.name, "title": o.title, "deadline": o.response_deadline.isoformat(), "pk": o.pk}
            for o in opportunities
        ]
        for email, language, user in _people(supplier_id):
            if not wants_email(user, NEW_OPPORTUNITIES):
                continue
            notify(
                template="sourcing_new_opportunities",
                recipient=email,
                language=language,
                context={"opportunities": lines, "path": "/mi-cuenta/oportunidades/"},
                dedupe_key=f"sourcing_new_opportunities:{supplier_id}:{today.isoformat()}:{email}",
            )
            sent += 1
    return sent


@transaction.atomic
def send_deadline_reminders(*, today: datetime.date | None = None) -> int:
    """Invited SMEs that have not answered (invited or interested) three days before the deadline."""
    today = today or timezone.localdate()
    invitations = Invitation.objects.filter(
        status__in=[Invitation.Status.INVITED, Invitation.Status.INTERESTED],
        opportunity__status=Opportunity.Status.OPEN,
        opportunity__response_deadline=today + datetime.timedelta(days=DEADLINE_DAYS),
    ).select_related("opportunity__anchor")
    sent = 0
    for invitation in invitations.order_by("pk"):
        opportunity = invitation.opportunity
        for email, language, user in _people(invitation.supplier_id):
            if not wants_email(user, DEADLINE):
                continue
            notify(
                template="sourcing_deadline",
                recipient=email,
                language=language,
                context={
                    "anchor": opportunity.anchor.name,
                    "title": opportunity.title,
                    "deadline": opportunity.response_deadline.isoformat(),
                    "path": f"/mi-cuenta/oportunidades/{opportunity.pk}/",
                },
                dedupe_key=f"sourcing_deadline:{invitation.pk}:{opportunity.response_deadline.isoformat()}:{email}",
            )
            sent += 1
    return sent
