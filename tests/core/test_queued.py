"""core.queued: work queued after a commit is kept until a worker has done it, and sent again when lost."""

import datetime
import time
from datetime import timedelta

import pytest
from django.db import transaction
from django.utils import timezone

from assessments import services as assessment_services
from assessments.models import Diagnostic
from core import queued, tasks
from core.models import QueuedTask
from reports import services as report_services
from reports.models import ReportExport
from reports.selectors.scope import ReportScope
from tests.assessments.conftest import FULL, levels_for
from tests.assessments.factories import build_framework
from tests.integration.faults import free_port, point_app_at, restore_app, saved_app_config
from tests.programs.factories import ProgramFactory, UserFactory
from tests.suppliers.factories import SupplierFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def refusing_broker():
    """The Celery app publishing to a port where no broker listens (and not in-process)."""
    saved = saved_app_config()
    point_app_at(f"redis://127.0.0.1:{free_port()}/0")
    yield
    restore_app(*saved)


def _submittable_diagnostic(staff):
    framework = build_framework()
    diagnostic = assessment_services.diagnostic_schedule(
        supplier=SupplierFactory(), framework=framework, actor=staff, scheduled_for=datetime.date(2025, 5, 1)
    )
    assessment_services.diagnostic_answers_save(
        diagnostic=diagnostic, answers=levels_for(framework, FULL), expected_version=diagnostic.version, actor=staff
    )
    diagnostic.refresh_from_db()
    return diagnostic


def test_queued_work_runs_after_commit_and_its_row_goes(django_capture_on_commit_callbacks):
    staff = UserFactory(staff=True)
    diagnostic = _submittable_diagnostic(staff)
    with django_capture_on_commit_callbacks(execute=False) as callbacks:
        assessment_services.diagnostic_submit(diagnostic=diagnostic, expected_version=diagnostic.version, actor=staff)
    row = QueuedTask.objects.get()
    assert (row.name, row.args, row.status) == ("assessments.tasks.score_diagnostic", [diagnostic.pk], "pending")
    assert row.next_attempt_at > timezone.now()  # not due for a resend while it waits in the queue
    for callback in callbacks:
        callback()  # the commit: published, run in-process (eager), done
    assert Diagnostic.objects.get(pk=diagnostic.pk).status == "scored"
    assert not QueuedTask.objects.exists()


def test_a_refusing_broker_fails_nothing_and_the_resend_does_the_work(
    refusing_broker, django_capture_on_commit_callbacks
):
    staff = UserFactory(staff=True)
    diagnostic = _submittable_diagnostic(staff)
    program = ProgramFactory()
    started = time.monotonic()
    with django_capture_on_commit_callbacks(execute=True):
        assessment_services.diagnostic_submit(diagnostic=diagnostic, expected_version=diagnostic.version, actor=staff)
        export = report_services.export_request(
            actor=staff, kind=ReportExport.Kind.DIAGNOSTICS, file_format="csv", scope=ReportScope(program=program)
        )
    assert time.monotonic() - started < 10  # one quick publish retry each, not the broker's long retry loop
    assert Diagnostic.objects.get(pk=diagnostic.pk).status == "submitted"  # kept, waiting
    rows = list(QueuedTask.objects.order_by("pk"))
    assert [r.name for r in rows] == ["assessments.tasks.score_diagnostic", "reports.tasks.build_export"]
    assert all(r.status == "pending" and r.last_error for r in rows)

    assert tasks.resend_queued_tasks() == 0  # not due yet: the broker may only be slow
    QueuedTask.objects.update(next_attempt_at=timezone.now() - timedelta(seconds=1))
    assert tasks.resend_queued_tasks() == 0  # still refused: sent again later, with backoff
    rows = list(QueuedTask.objects.order_by("pk"))
    assert [r.attempts for r in rows] == [1, 1] and all(r.next_attempt_at > timezone.now() for r in rows)

    from config.celery_app import app

    app.conf.task_always_eager = True  # the broker is back (in-process here; a real worker in tests/integration)
    QueuedTask.objects.update(next_attempt_at=timezone.now() - timedelta(seconds=1))
    assert tasks.resend_queued_tasks() == 2
    assert Diagnostic.objects.get(pk=diagnostic.pk).status == "scored"
    assert ReportExport.objects.get(pk=export.pk).status == "ready"
    assert not QueuedTask.objects.exists()


def test_resends_back_off_and_give_up_after_the_last_attempt(refusing_broker):
    row = QueuedTask.objects.create(
        task_id=f"{queued.TASK_ID_PREFIX}x",
        name="core.tasks.send_due_messages",
        attempts=queued.MAX_ATTEMPTS - 1,
        next_attempt_at=timezone.now(),
    )
    assert queued.resend_due() == 0
    row.refresh_from_db()
    assert row.status == "pending" and row.attempts == queued.MAX_ATTEMPTS
    QueuedTask.objects.update(next_attempt_at=timezone.now())
    assert queued.resend_due() == 0
    row.refresh_from_db()
    assert row.status == "gave_up" and row.attempts == queued.MAX_ATTEMPTS + 1
    QueuedTask.objects.update(next_attempt_at=timezone.now())
    assert queued.due_ids() == []  # given up: left for staff, never sent again


def test_backoff_grows_and_is_bounded():
    assert [queued.backoff(n).total_seconds() / 60 for n in (1, 2, 3, 4)] == [2, 4, 8, 16]
    assert queued.backoff(50) == timedelta(hours=6)


def test_a_running_task_is_not_sent_again_before_its_time_limit():
    row = QueuedTask.objects.create(
        task_id=f"{queued.TASK_ID_PREFIX}running",
        name="reports.tasks.build_export",
        args=[1],
        next_attempt_at=timezone.now(),
    )
    from reports.tasks import build_export

    queued._running(sender=build_export, task_id=row.task_id)
    row.refresh_from_db()
    assert row.next_attempt_at > timezone.now() + timedelta(minutes=9)
    assert queued.due_ids() == []


def test_framework_rescoring_and_cohort_proposals_are_queued_the_same_way(django_capture_on_commit_callbacks):
    from cohorts import services as cohort_services
    from tests.cohorts.world import World

    staff = UserFactory(staff=True)
    framework = build_framework()
    world = World(k=1)
    with django_capture_on_commit_callbacks(execute=False):
        with transaction.atomic():
            assessment_services.framework_rescore(framework=framework, actor=staff)
            cohort_services.cohort_request_proposal(cohort=world.cohort, actor=staff)
    assert sorted(QueuedTask.objects.values_list("name", "args")) == [
        ("assessments.tasks.rescore_framework", [framework.pk]),
        ("cohorts.tasks.propose_cohort", [world.cohort.pk, staff.pk]),
    ]


def test_beat_schedule_resends_queued_tasks(settings):
    assert "core.tasks.resend_queued_tasks" in {e["task"] for e in settings.CELERY_BEAT_SCHEDULE.values()}
