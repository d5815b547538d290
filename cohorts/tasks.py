"""Celery tasks of the cohorts app: thin; they take ids and call a service."""

import logging

from celery import shared_task
from django.contrib.auth import get_user_model

from . import services
from .models import Cohort

logger = logging.getLogger(__name__)


@shared_task(
    name="cohorts.tasks.propose_cohort",
    bind=True,
    max_retries=3,
    retry_backoff=True,
    autoretry_for=(ConnectionError,),
    soft_time_limit=8 * 60,
)
def propose_cohort(self, cohort_id: int, actor_id: int | None = None) -> dict | None:
    """Run the optimizer for a cohort; the stored result is a proposal, not a decision.

    Idempotent: running it twice stores the same (deterministic) proposal.
    """
    cohort = Cohort.objects.filter(pk=cohort_id).first()
    if cohort is None:
        return None
    actor = get_user_model().objects.filter(pk=actor_id).first() if actor_id else None
    proposal = services.cohort_propose(cohort=cohort, actor=actor)
    return {"status": proposal["status"], "objective": proposal["objective"]}


@shared_task(
    name="cohorts.tasks.remind_pending_reviews", max_retries=3, retry_backoff=True, autoretry_for=(ConnectionError,)
)
def remind_pending_reviews() -> int:
    """Periodic: remind anchor reviewers of candidates still to review before the deadline."""
    return services.remind_pending_reviews()
