"""The staff, provider and SME pages of the support: each role sees its own, bad input keeps what was typed."""

import datetime

import pytest

from support import services
from support.models import DevelopmentPlan, Visit
from tests.cohorts.factories import CandidateFactory
from tests.conftest import get_ok

from .factories import SupportWorld

pytestmark = pytest.mark.django_db


@pytest.fixture
def world():
    return SupportWorld()


def test_staff_create_a_plan_from_the_proposals_and_assign_a_provider(client, world):
    client.force_login(world.staff)
    home = get_ok(client, "/staff/support/")
    assert "Crear plan" in home.content.decode()
    page = get_ok(client, f"/staff/support/candidates/{world.candidate.pk}/plan/")
    assert "Nivel 3: control" in page.content.decode()  # the next level's descriptor as the target
    response = client.post(f"/staff/support/candidates/{world.candidate.pk}/plan/", {"accept": ["0"]})
    plan = DevelopmentPlan.objects.get()
    assert response.status_code == 302 and plan.items.count() == 1
    mentor = world.make_provider(name="Mentora Dos", kind="mentor")
    bad = client.post(
        f"/staff/support/plans/{plan.pk}/",
        {
            "action": "assign",
            "assign-provider": mentor.pk,
            "assign-starts_on": "2026-12-01",
            "assign-ends_on": "2026-11-01",
        },
    )
    assert bad.status_code == 400 and "La fecha de término es anterior al inicio" in bad.content.decode()
    ok = client.post(
        f"/staff/support/plans/{plan.pk}/",
        {"action": "assign", "assign-provider": mentor.pk, "assign-starts_on": "2026-12-01"},
    )
    assert ok.status_code == 302 and mentor.assignments.count() == 1


def test_the_provider_logs_a_visit_only_for_its_current_smes(client, world):
    world.plan()
    client.force_login(world.provider.user)
    assert world.supplier.trade_name in get_ok(client, "/asesores/").content.decode()
    url = f"/asesores/pymes/{world.candidate.pk}/"
    bad = client.post(url, {"kind": "consulting", "date": str(world.today), "hours": "-2", "topics": "SPC"})
    assert bad.status_code == 400 and not Visit.objects.exists()
    assert "SPC</textarea>" in bad.content.decode()  # nothing typed is lost
    ok = client.post(url, {"kind": "consulting", "date": str(world.today), "hours": "2", "topics": "SPC"})
    assert ok.status_code == 302 and Visit.objects.get().status == "logged"
    other = CandidateFactory(cohort=world.cohort, supplier=world.sme(score=40), status="selected")
    assert client.get(f"/asesores/pymes/{other.pk}/").status_code == 404
    services.assignment_end(
        assignment=world.provider.assignments.get(), actor=world.staff, ends_on=world.today - datetime.timedelta(days=1)
    )
    assert client.get(url).status_code == 404


def test_the_sme_moves_its_items_and_confirms_or_disputes_visits(client, world):
    plan = world.plan()
    confirmed, disputed = world.visit(), world.visit(hours="1")
    client.force_login(world.sme_user)
    page = get_ok(client, "/mi-cuenta/plan/")
    assert "Visitas por confirmar" in page.content.decode()
    item = plan.items.get(kind="improvement")
    drop = client.post(
        "/mi-cuenta/plan/",
        {"action": f"item-{item.pk}", f"i{item.pk}-status": "dropped", f"i{item.pk}-version": item.version},
    )
    assert drop.status_code == 400 and "Diga por qué" in drop.content.decode()
    moved = client.post(
        "/mi-cuenta/plan/",
        {
            "action": f"item-{item.pk}",
            f"i{item.pk}-status": "in_progress",
            f"i{item.pk}-note": "Arrancamos",
            f"i{item.pk}-version": item.version,
        },
    )
    assert moved.status_code == 302
    item.refresh_from_db()
    assert item.status == "in_progress" and item.evidence.get().note == "Arrancamos"
    assert (
        client.post(
            "/mi-cuenta/plan/", {"action": f"confirm-{confirmed.pk}", f"v{confirmed.pk}-version": confirmed.version}
        ).status_code
        == 302
    )
    no_reason = client.post(
        "/mi-cuenta/plan/", {"action": f"dispute-{disputed.pk}", f"v{disputed.pk}-version": disputed.version}
    )
    assert no_reason.status_code == 400
    client.post(
        "/mi-cuenta/plan/",
        {
            "action": f"dispute-{disputed.pk}",
            f"v{disputed.pk}-reason": "Fue 1/2 h",
            f"v{disputed.pk}-version": disputed.version,
        },
    )
    assert {v.pk: v.status for v in Visit.objects.all()} == {confirmed.pk: "confirmed", disputed.pk: "disputed"}
    assert "Plan de desarrollo" in get_ok(client, "/mi-cuenta/").content.decode()


def test_staff_settle_a_dispute(client, world):
    world.plan()
    visit = world.visit()
    services.visit_answer(visit=visit, actor=world.sme_user, confirm=False, reason="No vino")
    visit.refresh_from_db()
    client.force_login(world.staff)
    plan = DevelopmentPlan.objects.get()
    response = client.post(
        f"/staff/support/plans/{plan.pk}/",
        {
            "action": f"resolve-{visit.pk}",
            f"v{visit.pk}-confirm": "0",
            f"v{visit.pk}-resolution": "Sin evidencia",
            f"v{visit.pk}-version": visit.version,
        },
    )
    assert response.status_code == 302
    visit.refresh_from_db()
    assert visit.status == "rejected"


def test_page_queries_do_not_grow_with_rows(client, world, django_assert_max_num_queries):
    plan = world.plan()
    for n in range(5):
        services.plan_item_add(plan=plan, actor=world.staff, title=f"Item {n}")
        world.visit(hours="1")
    client.force_login(world.staff)
    with django_assert_max_num_queries(30):
        assert client.get(f"/staff/support/plans/{plan.pk}/").status_code == 200
    with django_assert_max_num_queries(20):
        assert client.get("/staff/support/").status_code == 200
    client.force_login(world.sme_user)
    with django_assert_max_num_queries(30):
        assert client.get("/mi-cuenta/plan/").status_code == 200
