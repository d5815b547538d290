"""A framework rescoring shows where it stands: queued, running with its share done, finished (when), or failed;
the page that starts it polls the status while it runs, and the last part to finish records the end once."""

import pytest
from django.contrib.auth import get_user_model
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from assessments import selectors, services, tasks
from core.models import AuditEvent, QueuedTask
from tests.assessments.conftest import FULL

pytestmark = pytest.mark.django_db


def _run(row: QueuedTask):
    """What a worker does with a queued row: the task under the row's id (the row's own id lets the task drop it)."""
    return tasks.rescore_chunk.apply(args=row.args, task_id=row.task_id).get()


def _finished_events(framework):
    return AuditEvent.objects.filter(object_id=str(framework.pk), action="rescore_finished")


def test_rescoring_goes_from_queued_to_running_to_finished(
    make_diagnostic, framework, staff_user, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        ids = [make_diagnostic(FULL, submit=True).pk for _ in range(5)]
    assert selectors.rescoring_status(framework)["state"] is None

    with django_capture_on_commit_callbacks(execute=False):
        services.framework_rescore(framework=framework, actor=staff_user, reason="test")
    parent = QueuedTask.objects.get(name="assessments.tasks.rescore_framework")
    status = selectors.rescoring_status(framework)
    assert status["state"] == "queued" and status["active"]

    with django_capture_on_commit_callbacks(execute=False):
        assert (
            tasks.rescore_framework.apply(args=[framework.pk], kwargs={"chunk": 2}, task_id=parent.task_id).get() == 5
        )
    assert not QueuedTask.objects.filter(pk=parent.pk).exists()
    parts = list(QueuedTask.objects.filter(name="assessments.tasks.rescore_chunk").order_by("pk"))
    assert [row.args for row in parts] == [[framework.pk, ids[0:2]], [framework.pk, ids[2:4]], [framework.pk, ids[4:5]]]
    status = selectors.rescoring_status(framework)
    assert (status["state"], status["percent"], status["diagnostics"], status["active"]) == ("running", 0, 5, True)

    assert _run(parts[0]) == 2
    assert selectors.rescoring_status(framework)["percent"] == 33
    assert _run(parts[1]) == 2
    assert selectors.rescoring_status(framework)["percent"] == 66
    assert not _finished_events(framework).exists()
    assert _run(parts[2]) == 1
    status = selectors.rescoring_status(framework)
    assert status["state"] == "finished" and not status["active"]
    assert status["finished_at"] == _finished_events(framework).get().created_at
    assert not QueuedTask.objects.exists()


def test_a_rescoring_still_queued_keeps_another_from_being_reported_finished(
    make_diagnostic, framework, staff_user, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        make_diagnostic(FULL, submit=True)
    with django_capture_on_commit_callbacks(execute=False):
        services.framework_rescore(framework=framework, actor=staff_user)
        services.framework_rescore(framework=framework, actor=staff_user)
    first, second = QueuedTask.objects.order_by("pk")
    with django_capture_on_commit_callbacks(execute=True):
        tasks.rescore_framework.apply(args=[framework.pk], task_id=first.task_id).get()
    assert not _finished_events(framework).exists()
    assert selectors.rescoring_status(framework)["state"] == "queued"
    with django_capture_on_commit_callbacks(execute=True):
        tasks.rescore_framework.apply(args=[framework.pk], task_id=second.task_id).get()
    assert _finished_events(framework).count() == 1
    assert selectors.rescoring_status(framework)["state"] == "finished"


def test_a_part_that_gave_up_shows_the_rescoring_failed(framework):
    QueuedTask.objects.create(
        task_id="sdp-q-x", name="assessments.tasks.rescore_chunk", args=[framework.pk, [1]], status="gave_up"
    )
    QueuedTask.objects.create(task_id="sdp-q-y", name="assessments.tasks.rescore_chunk", args=[framework.pk + 1, [1]])
    status = selectors.rescoring_status(framework)
    assert (status["state"], status["failed"], status["active"]) == ("failed", 1, False)


def test_the_results_page_polls_while_rescoring_and_stops_when_done(
    make_diagnostic, framework, staff_user, client, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        diagnostic = make_diagnostic(FULL, submit=True)
    client.force_login(staff_user)
    with django_capture_on_commit_callbacks(execute=False):
        response = client.post(reverse("assessments:staff-action", args=[diagnostic.pk, "rescore"]), follow=True)
    fragment = reverse("assessments:staff-framework-rescoring", args=[framework.pk])
    html = response.content.decode()
    assert f'hx-get="{fragment}"' in html and 'data-state="queued"' in html
    response = client.get(fragment)
    assert response.status_code == 200 and 'data-state="queued"' in response.content.decode()

    row = QueuedTask.objects.get()
    with django_capture_on_commit_callbacks(execute=True):
        tasks.rescore_framework.apply(args=row.args, task_id=row.task_id).get()
    html = client.get(fragment).content.decode()
    assert 'data-state="finished"' in html and "hx-get" not in html
    html = client.get(reverse("assessments:staff-results", args=[diagnostic.pk])).content.decode()
    assert 'data-state="finished"' in html and f'hx-get="{fragment}"' not in html


def test_the_status_costs_the_same_queries_however_many_parts(framework, staff_client):
    url = reverse("assessments:staff-framework-rescoring", args=[framework.pk])
    counts = []
    for parts in (2, 40):
        QueuedTask.objects.all().delete()
        services.framework_rescore_start(framework=framework, parts=[[i] for i in range(parts)])
        with CaptureQueriesContext(connection) as queries:
            response = staff_client.get(url)
        assert response.status_code == 200 and 'data-state="running"' in response.content.decode()
        counts.append(len(queries))
    assert counts[0] == counts[1] and counts[0] <= 8


def test_the_framework_admin_page_shows_the_rescoring(framework, client):
    client.force_login(get_user_model().objects.create_superuser("root", "root@example.mx", "correct-horse-9"))
    services.framework_rescore_start(framework=framework, parts=[[1], [2]])
    html = client.get(reverse("admin:assessments_framework_change", args=[framework.pk])).content.decode()
    assert 'id="rescoring-status"' in html and 'data-state="running"' in html and "htmx.min.js" in html
