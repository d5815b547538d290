"""Staging from the proposal and committing the decisions take the same statements for any cohort size:
the rows are locked and read as values, written by COPY and one UPDATE ... FROM, the messages by notify_many."""

from datetime import timedelta

import pytest
from django.db import connection, transaction
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from cohorts import services
from cohorts.models import Candidate, Cohort
from core.models import AuditEvent, OutboundMessage
from tests.cohorts.world import World

pytestmark = pytest.mark.django_db


def _decide(n: int, staff_user) -> tuple[int, int, Cohort]:
    world = World(k=2)
    for i in range(n):
        world.sme(score=95 - i, name=f"PyME {i:02d}", language="en" if i % 3 == 0 else "es-mx")
    world.sme(score=99, size="grande", name="Grande")
    services.cohort_build_candidates(cohort=world.cohort, actor=staff_user)
    services.cohort_propose(cohort=world.cohort, actor=staff_user, time_limit=10)
    services.cohort_open_review(cohort=world.cohort, deadline=timezone.now() + timedelta(days=5), actor=staff_user)
    with CaptureQueriesContext(connection) as staging:
        services.cohort_stage_from_proposal(cohort=world.cohort, actor=staff_user, waitlist_size=3)
    cohort = Cohort.objects.get(pk=world.cohort.pk)
    with CaptureQueriesContext(connection) as committing:
        services.cohort_commit_decisions(cohort=cohort, actor=staff_user, expected_version=cohort.version)
    return len(staging), len(committing), cohort


class _Rollback(Exception):
    pass


def _counted(n: int, staff_user) -> tuple[int, int, Cohort]:
    """``_decide`` in a transaction rolled back afterwards, so that two worlds fit in one test."""
    try:
        with transaction.atomic():
            result = _decide(n, staff_user)
            raise _Rollback
    except _Rollback:
        return result


def test_queries_do_not_grow_with_the_cohort(staff_user):
    small = _counted(4, staff_user)
    large = _counted(24, staff_user)
    # (the second run may take one query fewer: the content types are cached by then)
    assert large[0] <= small[0]
    assert large[1] <= small[1]


def test_every_decision_is_applied_audited_and_told_once(staff_user):
    *_, cohort = _decide(12, staff_user)
    candidates = Candidate.objects.filter(cohort=cohort)
    assert candidates.count() == 13
    by_status = {s: candidates.filter(status=s).count() for s in ("selected", "waitlisted", "not_selected")}
    assert by_status == {"selected": 2, "waitlisted": 3, "not_selected": 8}
    assert list(
        candidates.filter(status="waitlisted").order_by("waitlist_rank").values_list("waitlist_rank", flat=True)
    ) == [1, 2, 3]
    assert not candidates.exclude(staged_status="").exists()
    assert all(c.version >= 2 and c.decided_at for c in candidates)
    events = AuditEvent.objects.filter(action="transition", content_type__model="candidate")
    assert events.count() == 13
    assert {(e.from_state, e.to_state) for e in events} <= {
        ("proposed", "selected"),
        ("proposed", "waitlisted"),
        ("proposed", "not_selected"),
    }
    assert all(e.reason for e in events)
    results = OutboundMessage.objects.filter(template="selection_result")
    assert results.count() == 13
    assert results.filter(language="en").count() == 4
    english = results.filter(language="en").first()
    assert "selected" in english.body.lower()
