"""A framework rescoring in a real browser, at phone and desktop size: the page that starts it says it is working,
updates by itself, and says when it finished; the page fits and passes axe-core in both states."""

import uuid

import pytest
from django.urls import reverse

from assessments import tasks
from core import audit
from core.models import QueuedTask
from tests.browser.a11y import assert_page_ok
from tests.browser.conftest import log_in
from tests.cohorts.world import World
from tests.programs.factories import UserFactory

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_the_results_page_follows_a_rescoring_until_it_finishes(sized_page, live_server):
    UserFactory(username="staff", staff=True)
    w = World(k=1)
    diagnostic = w.sme(score=80, areas=("stamping",), name="Estampados del Bajío").diagnostics.get()
    framework = diagnostic.framework
    # A rescoring a worker has not finished yet: its record and the queued part, as the broker holds them.
    audit.record(framework, action="rescore_started", changes={"diagnostics": 1, "parts": 1})
    part = QueuedTask.objects.create(
        task_id=f"sdp-q-{uuid.uuid4()}", name="assessments.tasks.rescore_chunk", args=[framework.pk, [diagnostic.pk]]
    )
    page = sized_page
    log_in(page, live_server, "staff", "correct-horse-battery")
    page.goto(live_server.url + reverse("assessments:staff-results", args=[diagnostic.pk]))
    status = page.locator("#rescoring-status")
    assert status.get_attribute("data-state") == "running"
    assert "Recalculando los puntajes de 1 diagnósticos" in status.inner_text()
    assert page.get_by_role("button", name="Recalcular los puntajes de esta versión del marco").is_disabled()
    assert_page_ok(page, "diagnostic results, rescoring")

    assert tasks.rescore_chunk.apply(args=part.args, task_id=part.task_id).get() == 1  # the worker finishes it
    page.locator("#rescoring-status[data-state=finished]").wait_for(timeout=15_000)
    assert "recalculados por última vez el" in page.locator("#rescoring-status").inner_text()
    assert_page_ok(page, "diagnostic results, rescored")
