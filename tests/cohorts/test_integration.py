"""The optimizer task through the real services: Redis carries it, a worker runs it, PostgreSQL holds the proposal."""

import pytest
from django.contrib.auth import get_user_model
from django.db import transaction

from cohorts import services
from cohorts.models import Candidate, Cohort
from tests.cohorts.world import World
from tests.conftest import wait_for

pytestmark = [pytest.mark.integration, pytest.mark.django_db(transaction=True)]


def test_propose_cohort_runs_in_the_worker(celery_worker):
    world = World(k=2)
    for i, score in enumerate([90, 80, 70]):
        world.sme(score=score, name=f"s{i}")
    staff = get_user_model().objects.create_user("staff-int", "staff-int@example.mx", "x")
    services.cohort_build_candidates(cohort=world.cohort, actor=staff)
    with transaction.atomic():
        services.cohort_request_proposal(cohort=world.cohort, actor=staff)
    done = wait_for(lambda: Cohort.objects.filter(pk=world.cohort.pk, status="proposed").exists(), timeout=60)
    assert done, Cohort.objects.get(pk=world.cohort.pk).proposal
    cohort = Cohort.objects.get(pk=world.cohort.pk)
    assert cohort.proposal["status"] == "optimal"
    chosen = Candidate.objects.filter(in_proposal=True).values_list("supplier__trade_name", flat=True)
    assert set(chosen) == {"s0", "s1"}
