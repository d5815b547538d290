"""Plans from the diagnostic, their items' lifecycle and versions, visits, training and bad input."""

import datetime
from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError
from django.utils import timezone

from cohorts.models import Candidate
from core.concurrency import StaleObjectError
from support import selectors, services
from support.models import Attendance, Milestone, PlanItem, Visit
from tests.cohorts.factories import CandidateFactory

from .factories import SupportWorld

pytestmark = pytest.mark.django_db


@pytest.fixture
def world():
    return SupportWorld()


def test_the_diagnostic_proposes_an_item_per_gap_and_per_missing_certification(world):
    proposals = selectors.plan_proposals(world.candidate)
    kinds = [(p["kind"], p["reason"]) for p in proposals]
    assert kinds == [("improvement", "gap"), ("certification", "certification")]
    gap = proposals[0]
    assert gap["dimension_code"] == "quality" and gap["area"] == world.stamping
    assert gap["target"] == "Nivel 3: control"  # the next level's descriptor (the SME is at level 2)
    assert proposals[1]["standard"] == world.iatf


def test_a_weak_dimension_without_a_gap_is_proposed_too(world):
    supplier = world.sme(score=55, areas=())  # supplies no area: no gap, but quality at 55 is weak
    candidate = CandidateFactory(cohort=world.cohort, supplier=supplier, status="selected")
    proposals = selectors.plan_proposals(candidate)
    assert [(p["reason"], p["dimension_code"]) for p in proposals] == [("weak", "quality")]


def test_creating_a_plan_keeps_version_1_and_adds_the_certification_milestones(world):
    plan = world.plan()
    assert plan.items.count() == 2
    certification = plan.items.get(kind="certification")
    assert [m.step for m in certification.milestones.all()] == Milestone.ORDER
    version = plan.versions.get()
    assert version.number == 1 and len(version.snapshot["items"]) == 2
    services.plan_item_add(plan=plan, actor=world.staff, title="5S en la planta", dimension_code="production")
    assert services.plan_save_version(plan=plan, actor=world.staff).number == 2
    assert len(plan.versions.get(number=2).snapshot["items"]) == 3


def test_only_selected_smes_get_a_plan_and_only_one(world):
    world.plan()
    with pytest.raises(ValidationError) as error:
        world.plan()
    assert "candidate" in error.value.message_dict
    waitlisted = CandidateFactory(cohort=world.cohort, supplier=world.sme(score=40), status=Candidate.Status.WAITLISTED)
    with pytest.raises(ValidationError):
        services.plan_create(candidate=waitlisted, actor=world.staff, items=[])


def test_item_lifecycle_with_a_reason_to_drop_and_version_checks(world):
    item = world.plan().items.get(kind="improvement")
    services.plan_item_set_status(item=item, actor=world.sme_user, status="in_progress", expected_version=item.version)
    with pytest.raises(StaleObjectError):
        services.plan_item_set_status(item=item, actor=world.sme_user, status="done", expected_version=item.version - 1)
    item.refresh_from_db()
    with pytest.raises(ValidationError) as error:
        services.plan_item_set_status(item=item, actor=world.sme_user, status="dropped", expected_version=item.version)
    assert "drop_reason" in error.value.message_dict
    item.refresh_from_db()
    assert item.status == "in_progress"
    services.plan_item_set_status(item=item, actor=world.sme_user, status="done", expected_version=item.version)
    assert item.completed_on == timezone.localdate()
    with pytest.raises(ValidationError):
        services.plan_item_set_status(item=item, actor=world.staff, status="planned", expected_version=item.version)


def test_a_certification_item_needs_its_standard(world):
    plan = world.plan()
    with pytest.raises(ValidationError) as error:
        services.plan_item_add(plan=plan, actor=world.staff, kind="certification", title="ISO")
    assert "standard" in error.value.message_dict


def test_milestones_answer_which_step_each_sme_is_at(world):
    item = world.plan().items.get(kind="certification")
    for step in ("gap_assessment", "documentation"):
        services.milestone_reach(milestone=item.milestones.get(step=step), actor=world.staff, reached_on=world.today)
    rows = selectors.certification_progress(standard_code="iatf-16949")
    assert [(r["supplier"], r["step"]) for r in rows] == [(world.supplier, "documentation")]
    assert selectors.certification_steps(cohort=world.cohort) == {"IATF 16949": {"documentation": 1}}
    with pytest.raises(ValidationError):
        services.milestone_reach(
            milestone=item.milestones.get(step="certificate"),
            actor=world.staff,
            reached_on=world.today + datetime.timedelta(days=1),
        )


def test_evidence_needs_a_note_or_a_file(world):
    item = world.plan().items.first()
    with pytest.raises(ValidationError):
        services.evidence_add(item=item, actor=world.sme_user, note="  ")
    assert services.evidence_add(item=item, actor=world.sme_user, note="Gráficas de control").pk


def test_visits_count_only_when_confirmed(world):
    plan = world.plan()
    confirmed = world.visit(hours="3", items=list(plan.items.all()[:1]))
    disputed = world.visit(hours="2")
    world.visit(hours="1.5")
    services.visit_answer(visit=confirmed, actor=world.sme_user, confirm=True, expected_version=confirmed.version)
    services.visit_answer(
        visit=disputed, actor=world.sme_user, confirm=False, reason="No vino", expected_version=disputed.version
    )
    hours = selectors.hours_by_status(Visit.objects.filter(candidate=world.candidate))
    assert hours == {"confirmed": Decimal("3.0"), "unconfirmed": Decimal("1.5"), "disputed": Decimal("2.0")}
    services.visit_resolve(visit=disputed, actor=world.staff, confirm=False, resolution="El consultor lo reconoce")
    assert selectors.hours_by_status(Visit.objects.filter(candidate=world.candidate))["disputed"] == 0


def test_a_dispute_needs_a_reason_and_only_a_logged_visit_is_answered(world):
    visit = world.visit()
    with pytest.raises(ValidationError) as error:
        services.visit_answer(visit=visit, actor=world.sme_user, confirm=False, reason="")
    assert "dispute_reason" in error.value.message_dict
    services.visit_answer(visit=visit, actor=world.sme_user, confirm=True)
    with pytest.raises(ValidationError):
        services.visit_answer(visit=visit, actor=world.sme_user, confirm=False, reason="x")


@pytest.mark.parametrize(
    "data, field",
    [
        ({"hours": Decimal("-1")}, "hours"),
        ({"hours": Decimal("0")}, "hours"),
        ({"date_offset": -1}, "date"),  # tomorrow
        ({"date_offset": 60}, "candidate"),  # before the assignment started
    ],
)
def test_bad_visits_are_refused_with_a_field_error_and_nothing_saved(world, data, field):
    offset = data.pop("date_offset", 2)
    with pytest.raises(ValidationError) as error:
        services.visit_log(
            provider=world.provider,
            candidate=world.candidate,
            actor=world.provider.user,
            date=world.today - datetime.timedelta(days=offset),
            hours=data.get("hours", Decimal("2")),
        )
    assert field in error.value.message_dict
    assert not Visit.objects.exists()


def test_a_visit_to_an_sme_not_assigned_is_refused(world):
    other = world.make_provider(name="Otra Mentora", kind="mentor")
    with pytest.raises(ValidationError) as error:
        services.visit_log(
            provider=other, candidate=world.candidate, actor=other.user, date=world.today, hours=Decimal("1")
        )
    assert "candidate" in error.value.message_dict


def test_an_ended_assignment_stops_the_provider_seeing_the_sme(world):
    assert list(selectors.provider_candidates(world.provider)) == [world.candidate]
    assignment = world.provider.assignments.get()
    services.assignment_end(assignment=assignment, actor=world.staff, ends_on=world.today - datetime.timedelta(days=1))
    assert not selectors.provider_candidates(world.provider).exists()


def test_a_scheduled_visit_is_logged_later(world):
    visit = services.visit_schedule(
        provider=world.provider, candidate=world.candidate, actor=world.staff, scheduled_for=world.today
    )
    services.visit_log(
        provider=world.provider,
        candidate=world.candidate,
        actor=world.provider.user,
        visit=visit,
        expected_version=visit.version,
        date=world.today,
        hours=Decimal("2"),
        topics="Auditoría",
    )
    visit.refresh_from_db()
    assert visit.status == "logged" and visit.hours == Decimal("2")


def _course(world, capacity=None, trainer="Instructora Tres"):
    trainer = world.make_provider(name=trainer, kind="trainer")
    course = services.course_create(actor=world.staff, cohort=world.cohort, title="Core tools", trainer=trainer)
    start = timezone.now() + datetime.timedelta(days=1)
    session = services.session_create(
        course=course,
        actor=world.staff,
        starts_at=start,
        ends_at=start + datetime.timedelta(hours=4),
        place="León",
        capacity=capacity,
    )
    return course, session


def test_attendance_gives_hours_per_sme(world):
    course, session = _course(world)
    enrolment = services.enrol(
        course=course, candidate=world.candidate, actor=world.staff, participants=[{"name": "Ana"}, {"name": "Luis"}]
    )
    ana, luis = enrolment.participants.order_by("name")
    services.attendance_record(session=session, actor=world.staff, marks={ana.pk: "present", luis.pk: "excused"})
    assert selectors.training_hours([world.candidate.pk]) == {world.candidate.pk: Decimal("4.0")}
    assert selectors.attendance_rates(cohort=world.cohort) == [
        {"course": "Core tools", "present": 1, "total": 2, "rate": Decimal("50.0")}
    ]


def test_attendance_for_someone_not_enrolled_is_refused(world):
    course, session = _course(world)
    other_course, _other_session = _course(world, trainer="Instructor Cuatro")
    stranger = services.enrol(
        course=other_course, candidate=world.candidate, actor=world.staff, participants=[{"name": "Eva"}]
    ).participants.get()
    with pytest.raises(ValidationError) as error:
        services.attendance_record(session=session, actor=world.staff, marks={stranger.pk: "present"})
    assert "participant" in error.value.message_dict
    assert not Attendance.objects.exists()


def test_session_dates_out_of_order_and_a_full_course_are_refused(world):
    course, session = _course(world, capacity=1)
    with pytest.raises(ValidationError) as error:
        services.session_create(
            course=course, actor=world.staff, starts_at=session.starts_at, ends_at=session.starts_at, online=True
        )
    assert "ends_at" in error.value.message_dict
    enrolment = services.enrol(
        course=course, candidate=world.candidate, actor=world.staff, participants=[{"name": "Ana"}]
    )
    with pytest.raises(ValidationError):
        services.participant_add(enrolment=enrolment, actor=world.staff, name="Luis")
    assert enrolment.participants.count() == 1


def test_item_update_refuses_a_provider_of_another_program(world):
    from support.models import Provider
    from tests.programs.factories import ProgramFactory

    item = world.plan().items.first()
    stranger = Provider.objects.create(program=ProgramFactory(code="otro"), kind="mentor", name="Ajena")
    with pytest.raises(ValidationError) as error:
        services.plan_item_update(item=item, actor=world.staff, expected_version=item.version, provider=stranger)
    assert "provider" in error.value.message_dict
    item.refresh_from_db()
    assert item.provider == world.provider and isinstance(item, PlanItem)


def test_arco_export_and_erasure_cover_plans_visits_and_participants(world):
    from suppliers.privacy import erase_supplier_personal_data, export_supplier_data

    item = world.plan().items.get(kind="improvement")
    services.plan_item_update(item=item, actor=world.staff, expected_version=item.version, owner_name="Rosa Pérez")
    visit = world.visit(topics="Plan de control con Rosa")
    services.visit_answer(visit=visit, actor=world.sme_user, confirm=False, reason="Rosa no estuvo")
    course, _session = _course(world)
    services.enrol(
        course=course,
        candidate=world.candidate,
        actor=world.staff,
        participants=[{"name": "Ana Ruiz", "email": "ana@pyme.mx"}],
    )
    exported = export_supplier_data(supplier=world.supplier)["support"]
    assert exported["plans"][0]["items"][0]["owner_name"] == "Rosa Pérez"
    assert exported["visits"][0]["dispute_reason"] == "Rosa no estuvo"
    assert exported["participants"][0]["email"] == "ana@pyme.mx"
    erase_supplier_personal_data(supplier=world.supplier, actor=world.staff)
    again = export_supplier_data(supplier=world.supplier)["support"]
    text = str(again) + str(
        list(__import__("core.models", fromlist=["AuditEvent"]).AuditEvent.objects.values("changes", "reason"))
    )
    for personal in ("Rosa", "Ana Ruiz", "ana@pyme.mx"):
        assert personal not in text
