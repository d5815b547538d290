"""The cohort report's support section: plan progress by dimension, confirmed hours apart from the rest,
attendance per course and certification steps."""

import datetime
from decimal import Decimal

import pytest
from django.utils import timezone

from reports.selectors import ReportScope
from reports.selectors.support import support_progress
from support import services
from tests.conftest import get_ok

from .factories import SupportWorld

pytestmark = pytest.mark.django_db


def test_the_cohort_report_shows_the_support_section(client):
    world = SupportWorld()
    plan = world.plan()
    item = plan.items.get(kind="improvement")
    services.plan_item_update(
        item=item, actor=world.staff, expected_version=item.version, due_date=world.today - datetime.timedelta(days=1)
    )
    certification = plan.items.get(kind="certification")
    services.milestone_reach(
        milestone=certification.milestones.get(step="gap_assessment"), actor=world.staff, reached_on=world.today
    )
    confirmed, disputed = world.visit(hours="3"), world.visit(hours="2")
    world.visit(hours="1")
    services.visit_answer(visit=confirmed, actor=world.sme_user, confirm=True)
    services.visit_answer(visit=disputed, actor=world.sme_user, confirm=False, reason="No")
    course = services.course_create(actor=world.staff, cohort=world.cohort, title="Core tools")
    start = timezone.now() - datetime.timedelta(days=1)
    session = services.session_create(
        course=course, actor=world.staff, starts_at=start, ends_at=start + datetime.timedelta(hours=2), online=True
    )
    enrolment = services.enrol(
        course=course, candidate=world.candidate, actor=world.staff, participants=[{"name": "Ana"}, {"name": "Luis"}]
    )
    ana, luis = enrolment.participants.order_by("name")
    services.attendance_record(session=session, actor=world.staff, marks={ana.pk: "present", luis.pk: "absent"})

    figures = support_progress(ReportScope.for_cohort(world.cohort))
    assert figures["by_dimension"][-1] == {"code": "quality", "name": "Calidad", "done": 0, "due": 0, "overdue": 1}
    assert figures["hours_by_kind"] == [{"name": "Consultoría", "hours": Decimal("3.0")}]
    assert figures["hours_by_provider"] == [{"name": "Consultora Uno", "hours": Decimal("3.0")}]
    assert (figures["unconfirmed_hours"], figures["disputed_hours"]) == (Decimal("1.0"), Decimal("2.0"))
    assert figures["attendance"] == [{"course": "Core tools", "rate": 50.0, "total": 2}]
    assert figures["certifications"] == [
        {"standard": "IATF 16949", "steps": [{"name": "Diagnóstico de brechas", "count": 1}]}
    ]
    client.force_login(world.staff)
    page = get_ok(client, f"/staff/reports/cohorts/{world.cohort.pk}/").content.decode()
    assert "Apoyo después de la selección" in page and "Consultora Uno" in page
