"""Work queued after a commit survives a broker outage (a real Redis of our own, a real worker, PostgreSQL).

Redis is stopped; staff submit diagnostics and request an export: each request succeeds at once and the
work stays queued. Redis comes back (empty) with a worker: the resend task queues the work again, and
every diagnostic is scored and the export built exactly once.
"""

import datetime
import time
from datetime import timedelta

import pytest
from django.contrib.contenttypes.models import ContentType
from django.db import transaction
from django.utils import timezone

from assessments import services as assessment_services
from assessments.models import Diagnostic
from core import tasks
from core.models import AuditEvent, QueuedTask
from reports import services as report_services
from reports.models import ReportExport
from reports.selectors.scope import ReportScope
from tests.assessments.conftest import FULL, levels_for
from tests.assessments.factories import build_framework
from tests.conftest import wait_for
from tests.programs.factories import ProgramFactory, UserFactory
from tests.suppliers.factories import SupplierFactory

from .faults import RedisServer, Worker, free_port, point_app_at, restore_app, saved_app_config

pytestmark = [pytest.mark.integration, pytest.mark.django_db(transaction=True)]


@pytest.fixture
def redis_server():
    server = RedisServer(free_port())
    server.start()
    saved = saved_app_config()
    point_app_at(server.url)
    yield server
    server.stop()
    restore_app(*saved)


def test_broker_outage_loses_no_queued_work_and_runs_it_once(redis_server, tmp_path):
    staff = UserFactory(staff=True)
    framework = build_framework()
    program = ProgramFactory()
    diagnostics = []
    for n in range(3):
        diagnostic = assessment_services.diagnostic_schedule(
            supplier=SupplierFactory(program=program),
            framework=framework,
            actor=staff,
            scheduled_for=datetime.date(2025, 5, 1 + n),
        )
        assessment_services.diagnostic_answers_save(
            diagnostic=diagnostic, answers=levels_for(framework, FULL), expected_version=diagnostic.version, actor=staff
        )
        diagnostic.refresh_from_db()
        diagnostics.append(diagnostic)

    redis_server.stop()  # the broker goes away
    started = time.monotonic()
    for diagnostic in diagnostics:
        with transaction.atomic():
            assessment_services.diagnostic_submit(
                diagnostic=diagnostic, expected_version=diagnostic.version, actor=staff
            )
    with transaction.atomic():
        export = report_services.export_request(
            actor=staff, kind=ReportExport.Kind.DIAGNOSTICS, file_format="csv", scope=ReportScope(program=program)
        )
    assert time.monotonic() - started < 20  # four requests, none hanging on the broker
    ids = [d.pk for d in diagnostics]
    assert set(Diagnostic.objects.filter(pk__in=ids).values_list("status", flat=True)) == {"submitted"}
    assert ReportExport.objects.get(pk=export.pk).status == "pending"
    assert QueuedTask.objects.filter(status="pending").count() == 4

    redis_server.start()  # an empty Redis on the same port
    worker = Worker(broker_url=redis_server.url, mail_dir=tmp_path / "mail", log_path=tmp_path / "worker.log")
    worker.start()
    try:
        QueuedTask.objects.update(next_attempt_at=timezone.now() - timedelta(seconds=1))  # their time has come
        # The beat task, twice at once on a 2-process worker: each piece of work is sent once per sweep.
        tasks.resend_queued_tasks.delay()
        tasks.resend_queued_tasks.delay()
        assert wait_for(lambda: not QueuedTask.objects.exists(), timeout=60), list(QueuedTask.objects.values())
        time.sleep(1)  # let any (wrong) second run land before counting
    finally:
        worker.stop()
    assert set(Diagnostic.objects.filter(pk__in=ids).values_list("status", flat=True)) == {"scored"}
    scored = AuditEvent.objects.filter(
        content_type=ContentType.objects.get_for_model(Diagnostic),
        object_id__in=[str(pk) for pk in ids],
        to_state="scored",
    )
    assert sorted(scored.values_list("object_id", flat=True)) == sorted(str(pk) for pk in ids)  # once each
    export.refresh_from_db()
    assert export.status == "ready" and export.file and export.row_count == 3
