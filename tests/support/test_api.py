"""The support API by role: staff run everything; an SME only its own; a provider only its current SMEs;
version checks on updates; bad input is a 400 with field messages and nothing saved."""

import datetime

import pytest
from rest_framework.test import APIClient

from support import services
from support.models import Attendance, PlanItem, Visit
from tests.cohorts.factories import CandidateFactory

from .factories import SupportWorld

pytestmark = pytest.mark.django_db


@pytest.fixture
def world():
    return SupportWorld()


def client_for(user):
    client = APIClient()
    client.force_authenticate(user)
    return client


def test_staff_create_a_plan_from_the_proposals_and_edit_an_item_with_its_version(world):
    staff = client_for(world.staff)
    proposals = staff.get("/api/v1/development-plans/proposals/", {"candidate": world.candidate.pk})
    assert proposals.status_code == 200 and [p["reason"] for p in proposals.json()] == ["gap", "certification"]
    response = staff.post(
        "/api/v1/development-plans/", {"candidate": world.candidate.pk, "accept_proposals": True}, format="json"
    )
    assert response.status_code == 201, response.json()
    plan_id = response.json()["id"]
    items = staff.get("/api/v1/plan-items/", {"plan": plan_id}).json()["results"]
    assert [i["kind"] for i in items] == ["improvement", "certification"]
    item = items[0]
    missing = staff.patch(f"/api/v1/plan-items/{item['id']}/", {"owner_name": "Rosa"}, format="json")
    assert missing.status_code == 400 and "version" in missing.json()
    ok = staff.patch(
        f"/api/v1/plan-items/{item['id']}/", {"owner_name": "Rosa", "version": item["version"]}, format="json"
    )
    assert ok.status_code == 200 and ok.json()["owner_name"] == "Rosa"
    stale = staff.patch(
        f"/api/v1/plan-items/{item['id']}/", {"owner_name": "Luis", "version": item["version"]}, format="json"
    )
    assert stale.status_code == 409
    assert staff.post(f"/api/v1/development-plans/{plan_id}/save_version/").json() == {"number": 2}


def test_an_sme_sees_only_its_own_plan_and_moves_its_items(world):
    plan = world.plan()
    other = CandidateFactory(cohort=world.cohort, supplier=world.sme(score=45), status="selected")
    services.plan_create(candidate=other, actor=world.staff, items=[{"title": "Otra"}])
    sme = client_for(world.sme_user)
    assert [p["id"] for p in sme.get("/api/v1/development-plans/").json()["results"]] == [plan.pk]
    item = plan.items.get(kind="improvement")
    foreign = PlanItem.objects.get(plan__candidate=other)
    assert sme.get(f"/api/v1/plan-items/{foreign.pk}/").status_code == 404
    moved = sme.post(
        f"/api/v1/plan-items/{item.pk}/set_status/", {"status": "in_progress", "version": item.version}, format="json"
    )
    assert moved.status_code == 200 and moved.json()["status"] == "in_progress"
    assert sme.post(f"/api/v1/plan-items/{item.pk}/evidence/", {"note": "Fotos"}, format="json").status_code == 201
    assert sme.patch(f"/api/v1/plan-items/{item.pk}/", {"title": "x", "version": 2}, format="json").status_code == 403
    assert sme.post("/api/v1/plan-items/", {"plan": plan.pk, "title": "x"}, format="json").status_code == 403
    dropped = sme.post(f"/api/v1/plan-items/{item.pk}/set_status/", {"status": "dropped", "version": 2}, format="json")
    assert dropped.status_code == 400 and "drop_reason" in dropped.json()


def test_a_provider_sees_only_its_current_smes_and_logs_visits(world):
    plan = world.plan()
    provider = client_for(world.provider.user)
    assert [p["id"] for p in provider.get("/api/v1/development-plans/").json()["results"]] == [plan.pk]
    item = plan.items.first()
    response = provider.post(
        "/api/v1/visits/",
        {
            "candidate": world.candidate.pk,
            "date": str(world.today),
            "hours": "2.5",
            "topics": "SPC",
            "items": [item.pk],
            "kind": "mentoring",
        },
        format="json",
    )
    assert response.status_code == 201, response.json()
    assert response.json()["status"] == "logged" and response.json()["provider"] == world.provider.pk
    services.assignment_end(
        assignment=world.provider.assignments.get(), actor=world.staff, ends_on=world.today - datetime.timedelta(days=1)
    )
    assert provider.get("/api/v1/development-plans/").json()["results"] == []
    assert provider.get("/api/v1/visits/").json()["results"] == []
    refused = provider.post(
        "/api/v1/visits/", {"candidate": world.candidate.pk, "date": str(world.today), "hours": "1"}, format="json"
    )
    assert refused.status_code == 400 and "candidate" in refused.json()
    assert provider.get("/api/v1/providers/").json()["results"][0]["id"] == world.provider.pk
    assert (
        provider.post("/api/v1/development-plans/", {"candidate": world.candidate.pk}, format="json").status_code == 403
    )


def test_the_sme_confirms_or_disputes_and_staff_resolve(world):
    visit = world.visit()
    sme = client_for(world.sme_user)
    no_reason = sme.post(f"/api/v1/visits/{visit.pk}/dispute/", {"version": visit.version}, format="json")
    assert no_reason.status_code == 400 and "dispute_reason" in no_reason.json()
    disputed = sme.post(
        f"/api/v1/visits/{visit.pk}/dispute/", {"version": visit.version, "reason": "Fueron 2 horas"}, format="json"
    )
    assert disputed.status_code == 200 and disputed.json()["status"] == "disputed"
    assert sme.post(f"/api/v1/visits/{visit.pk}/resolve/", {}, format="json").status_code == 403
    resolved = client_for(world.staff).post(
        f"/api/v1/visits/{visit.pk}/resolve/",
        {"confirm": True, "resolution": "Se confirman", "version": disputed.json()["version"]},
        format="json",
    )
    assert resolved.status_code == 200 and resolved.json()["status"] == "confirmed"


@pytest.mark.parametrize(
    "body, field",
    [
        ({"hours": "-1"}, "hours"),
        ({"date": "2099-01-01"}, "date"),
    ],
)
def test_bad_visits_are_a_400_with_the_field_and_nothing_saved(world, body, field):
    response = client_for(world.provider.user).post(
        "/api/v1/visits/",
        {"candidate": world.candidate.pk, "date": str(world.today), "hours": "2", **body},
        format="json",
    )
    assert response.status_code == 400 and field in response.json()
    assert not Visit.objects.exists()


def test_courses_sessions_and_attendance(world):
    staff = client_for(world.staff)
    trainer = world.make_provider(name="Instructora Tres", kind="trainer")
    course = staff.post(
        "/api/v1/courses/", {"cohort": world.cohort.pk, "title": "Core tools", "trainer": trainer.pk}, format="json"
    ).json()
    start = datetime.datetime(2026, 12, 10, 9, tzinfo=datetime.UTC)
    bad = staff.post(
        "/api/v1/sessions/",
        {"course": course["id"], "starts_at": start.isoformat(), "ends_at": start.isoformat(), "online": True},
        format="json",
    )
    assert bad.status_code == 400 and "ends_at" in bad.json()
    session = staff.post(
        "/api/v1/sessions/",
        {
            "course": course["id"],
            "starts_at": start.isoformat(),
            "ends_at": (start + datetime.timedelta(hours=3)).isoformat(),
            "place": "León",
        },
        format="json",
    ).json()
    enrolled = staff.post(
        f"/api/v1/courses/{course['id']}/enrol/",
        {"candidate": world.candidate.pk, "participants": [{"name": "Ana"}]},
        format="json",
    )
    assert enrolled.status_code == 201
    ana = enrolled.json()["participants"][0]["id"]
    trainer_client = client_for(trainer.user)
    stranger = trainer_client.post(
        f"/api/v1/sessions/{session['id']}/attendance/",
        {"marks": [{"participant": ana + 999, "status": "present"}]},
        format="json",
    )
    assert stranger.status_code == 400 and "participant" in stranger.json()
    marked = trainer_client.post(
        f"/api/v1/sessions/{session['id']}/attendance/",
        {"marks": [{"participant": ana, "status": "present"}]},
        format="json",
    )
    assert marked.status_code == 200 and marked.json()[0]["status"] == "present"
    assert Attendance.objects.count() == 1
    sme = client_for(world.sme_user)
    assert [c["id"] for c in sme.get("/api/v1/courses/").json()["results"]] == [course["id"]]
    assert sme.get(f"/api/v1/sessions/{session['id']}/attendance/").status_code == 403
    assert client_for(world.provider.user).get("/api/v1/courses/").json()["results"] == []


def test_users_without_a_role_and_anchors_are_refused(world, anchor_reviewer):
    from tests.programs.factories import UserFactory

    for user in (UserFactory(username="nadie"), anchor_reviewer.user):
        client = client_for(user)
        for path in ("development-plans", "plan-items", "providers", "visits", "courses", "sessions"):
            assert client.get(f"/api/v1/{path}/").status_code == 403


def test_list_queries_do_not_grow_with_rows(world, django_assert_max_num_queries):
    plan = world.plan()
    staff = client_for(world.staff)
    for n in range(6):
        services.plan_item_add(plan=plan, actor=world.staff, title=f"Item {n}")
        world.visit(hours="1")
    for path in ("plan-items", "visits", "development-plans"):
        with django_assert_max_num_queries(10):
            assert staff.get(f"/api/v1/{path}/").status_code == 200
