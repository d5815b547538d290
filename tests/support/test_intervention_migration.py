"""The flat support rows of the cohorts app become visits, courses and plan items, then their table goes."""

import datetime
from decimal import Decimal

import pytest
from django.db import connection
from django.db.migrations.executor import MigrationExecutor

from cohorts.models import Candidate
from support.models import Attendance, Course, DevelopmentPlan, Provider, Visit
from tests.cohorts.factories import CandidateFactory
from tests.cohorts.world import World

BEFORE = [("cohorts", "0004_cohort_floor_reasons_reentry"), ("support", "0001_initial")]
pytestmark = pytest.mark.django_db(transaction=True)


def _migrate(targets):
    executor = MigrationExecutor(connection)
    executor.loader.build_graph()
    executor.migrate(targets)
    return executor.loader.project_state(targets).apps


def test_interventions_become_support_records():
    world = World(k=2)
    one = CandidateFactory(cohort=world.cohort, supplier=world.sme(score=40), status=Candidate.Status.SELECTED)
    two = CandidateFactory(cohort=world.cohort, supplier=world.sme(score=60), status=Candidate.Status.SELECTED)
    apps = _migrate(BEFORE)
    Intervention = apps.get_model("cohorts", "Intervention")
    day = datetime.date(2026, 3, 2)

    def row(candidate, **data):
        data.setdefault("start_date", day)
        return Intervention.objects.create(candidate_id=candidate.pk, **data)

    row(
        one,
        kind="consulting",
        title="5S en planta",
        provider="Lean MX",
        hours=Decimal("6"),
        status="completed",
        end_date=day + datetime.timedelta(days=2),
        notes="Acordaron auditoría mensual",
    )
    row(two, kind="consulting", title="Kaizen", provider=" lean mx ", hours=Decimal("4"), status="in_progress")
    row(one, kind="mentoring", title="Dirección", provider="", hours=Decimal("2"), status="planned")
    row(two, kind="mentoring", title="Finanzas", provider="Mentora", hours=Decimal("3"), status="cancelled")
    row(one, kind="training", title="Core tools", provider="Instituto", hours=Decimal("8"), status="completed")
    row(two, kind="training", title="Core tools", provider="Instituto", hours=Decimal("0"), status="planned")
    row(
        one,
        kind="financing",
        title="Crédito de equipo",
        institution="nafin",
        amount_mxn=Decimal("250000"),
        status="completed",
        notes="Aprobado",
    )
    row(two, kind="financing", title="Capital de trabajo", institution="bancomext", status="cancelled")

    executor = MigrationExecutor(connection)
    executor.migrate(executor.loader.graph.leaf_nodes())

    assert "cohorts_intervention" not in connection.introspection.table_names()
    # One provider per distinct name and kind; a blank name becomes one unnamed provider.
    providers = {(p.kind, p.name) for p in Provider.objects.filter(program=world.program)}
    assert providers == {
        ("consultant", "Lean MX"),
        ("mentor", "Proveedor sin nombre"),
        ("mentor", "Mentora"),
        ("trainer", "Instituto"),
    }
    visits = {v.topics: v for v in Visit.objects.all()}
    assert set(visits) == {"5S en planta", "Kaizen", "Dirección", "Finanzas"}
    delivered = visits["5S en planta"]
    assert (delivered.status, delivered.hours, delivered.kind) == ("confirmed", Decimal("6.0"), "consulting")
    assert delivered.date == day + datetime.timedelta(days=2) and delivered.agreements == "Acordaron auditoría mensual"
    assert visits["Kaizen"].status == "confirmed" and visits["Kaizen"].provider == delivered.provider
    assert visits["Dirección"].status == "scheduled" and visits["Dirección"].scheduled_for == day
    assert visits["Finanzas"].status == "rejected" and visits["Finanzas"].resolution
    # Only delivered hours count as confirmed.
    assert sum(v.hours for v in Visit.objects.filter(status="confirmed")) == Decimal("10")

    course = Course.objects.get()
    assert (course.title, course.cohort_id, course.trainer.name) == ("Core tools", world.cohort.pk, "Instituto")
    sessions = list(course.sessions.order_by("id"))
    assert [s.hours for s in sessions] == [Decimal("8.0"), Decimal("0.1")]
    assert set(course.enrolments.values_list("candidate_id", flat=True)) == {one.pk, two.pk}
    present = Attendance.objects.get(status="present")
    assert present.session == sessions[0] and present.participant.enrolment.candidate_id == one.pk
    assert not sessions[1].attendance.exists()

    plan_one = DevelopmentPlan.objects.get(candidate=one)
    credit = plan_one.items.get()
    assert credit.status == "done" and "NAFIN" in credit.target and "250,000.00" in credit.target
    assert credit.evidence.get().note == "Aprobado"
    capital = DevelopmentPlan.objects.get(candidate=two).items.get()
    assert capital.status == "dropped" and capital.drop_reason and "BANCOMEXT" in capital.target
