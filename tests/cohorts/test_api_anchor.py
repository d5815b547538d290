"""The cohort API as an anchor reviewer reads it: exactly its portal (``/anclas/``), read only.

The cohorts under its review; in them, the proposed candidates supplying an area its company demands,
with its own review only; nothing of other anchors, no decision internals, no SME finances.
"""

import json
from datetime import timedelta

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone
from rest_framework.test import APIClient

from cohorts import services
from cohorts.models import Candidate, Cohort
from tests.cohorts.factories import CohortFactory
from tests.cohorts.world import World

pytestmark = pytest.mark.django_db

ANCHOR_CANDIDATE_FIELDS = {
    "id",
    "cohort",
    "supplier_name",
    "state",
    "supply_areas",
    "growth_index",
    "maturity",
    "review",
}


def _world(staff_user, smes: int = 0) -> World:
    w = World(k=3 + smes)
    w.est = w.sme(score=90, areas=("stamping",), name="Estampados")
    w.pla = w.sme(score=80, areas=("plastics",), name="Plasticos")
    w.both = w.sme(score=70, areas=("stamping", "plastics"), name="Mixta")
    for i in range(smes):
        w.sme(score=60 + i, areas=("stamping",), name=f"Extra {i}")
    w.figures(w.est, [(2023, "10", 20), (2024, "14", 24)])
    w.out = w.sme(score=10, areas=("stamping",), name="Fuera")  # eligible, not proposed
    services.cohort_build_candidates(cohort=w.cohort, actor=staff_user)
    services.cohort_propose(cohort=w.cohort, actor=staff_user, time_limit=10)
    services.cohort_open_review(cohort=w.cohort, deadline=timezone.now() + timedelta(days=7), actor=staff_user)
    w.cohort.refresh_from_db()
    w.cand = {s.trade_name: Candidate.objects.get(cohort=w.cohort, supplier=s) for s in (w.est, w.pla, w.both, w.out)}
    w.draft = CohortFactory(program=w.program, name="Borrador")  # not under review: invisible to anchors
    return w


@pytest.fixture
def world(staff_user):
    return _world(staff_user)


def _as(user) -> APIClient:
    api = APIClient()
    api.force_authenticate(user)
    return api


def test_an_anchor_lists_the_cohorts_under_its_review_only(world):
    other_program = CohortFactory(program__code="otro", status=Cohort.Status.ANCHOR_REVIEW, name="Otro programa")
    response = _as(world.reviewer_a).get("/api/v1/cohorts/")
    assert response.status_code == 200
    body = response.json()
    assert [c["id"] for c in body["results"]] == [world.cohort.pk]
    assert set(body["results"][0]) == {"id", "program", "name", "year", "status", "review_deadline", "supply_areas"}
    assert body["results"][0]["supply_areas"] == ["EST"]
    assert "proposal" not in json.dumps(body)  # the optimizer's run names every proposed SME
    assert _as(world.reviewer_a).get(f"/api/v1/cohorts/{world.cohort.pk}/").status_code == 200
    for hidden in (world.draft, other_program):
        assert _as(world.reviewer_a).get(f"/api/v1/cohorts/{hidden.pk}/").status_code == 404


def test_an_anchor_lists_the_candidates_its_portal_shows(world):
    response = _as(world.reviewer_a).get("/api/v1/candidates/")
    assert response.status_code == 200
    rows = response.json()["results"]
    assert [r["supplier_name"] for r in rows] == ["Estampados", "Mixta"]  # not Plasticos (B's area), not Fuera
    for row in rows:
        assert set(row) == ANCHOR_CANDIDATE_FIELDS
        assert row["supply_areas"] == ["EST"]
        assert row["state"] == "Guanajuato"
        assert [a["area"] for a in row["maturity"]["areas"]] == ["EST"]  # the gaps in its areas only
    assert rows[0]["maturity"]["dimensions"] == [{"dimension": "Calidad", "score": "90.00"}]
    body = json.dumps(response.json())
    for internal in ("growth_parts", "sales", "export", "pinned", "staged", "decision_reason", "ineligibility"):
        assert internal not in body
    assert _as(world.reviewer_b).get("/api/v1/candidates/").json()["count"] == 2  # Plasticos, Mixta


def test_an_anchor_reads_one_candidate_it_reviews_and_no_other(world):
    api = _as(world.reviewer_a)
    response = api.get(f"/api/v1/candidates/{world.cand['Estampados'].pk}/")
    assert response.status_code == 200 and set(response.json()) == ANCHOR_CANDIDATE_FIELDS
    for hidden in ("Plasticos", "Fuera"):
        assert api.get(f"/api/v1/candidates/{world.cand[hidden].pk}/").status_code == 404
    assert api.get(f"/api/v1/candidates/?cohort={world.draft.pk}").json()["count"] == 0


def test_an_anchor_sees_its_own_review_and_never_another_anchors(world):
    mixta = world.cand["Mixta"]
    services.anchor_review_submit(candidate=mixta, actor=world.reviewer_b, verdict="object", reason="SECRET-B")
    services.anchor_review_submit(candidate=mixta, actor=world.reviewer_a, verdict="endorse", reason="Buen proveedor")
    row = _as(world.reviewer_a).get(f"/api/v1/candidates/{mixta.pk}/").json()
    assert row["review"]["verdict"] == "endorse" and row["review"]["reason"] == "Buen proveedor"
    listing = _as(world.reviewer_a).get("/api/v1/candidates/").content.decode()
    assert "SECRET-B" not in listing and '"objected"' not in listing


def test_an_anchor_filters_by_cohort_only_and_writes_nothing(world):
    api = _as(world.reviewer_a)
    # Staff filters are not the anchor's: they cannot narrow by a decision internal.
    assert api.get("/api/v1/candidates/?pinned=true").json()["count"] == 2
    assert api.get(f"/api/v1/candidates/?cohort={world.cohort.pk}").json()["count"] == 2
    estampados = world.cand["Estampados"].pk
    for url in (
        f"/api/v1/candidates/{estampados}/withdraw/",
        f"/api/v1/candidates/{estampados}/stage/",
        f"/api/v1/cohorts/{world.cohort.pk}/propose/",
        "/api/v1/cohorts/",
    ):
        assert api.post(url, {}, format="json").status_code == 403, url
    assert api.patch(f"/api/v1/cohorts/{world.cohort.pk}/", {"name": "x"}, format="json").status_code == 403


def test_staff_still_read_every_candidate_and_cohort(world, staff_user):
    api = _as(staff_user)
    assert api.get("/api/v1/candidates/").json()["count"] == Candidate.objects.count()
    row = api.get(f"/api/v1/candidates/{world.cand['Fuera'].pk}/").json()
    assert "growth_parts" in row and "staged_status" in row
    assert {c["id"] for c in api.get("/api/v1/cohorts/").json()["results"]} == {world.cohort.pk, world.draft.pk}


def test_sme_users_reach_no_cohort_nor_candidate(world, sme_contact):
    for url in ("/api/v1/cohorts/", "/api/v1/candidates/", f"/api/v1/candidates/{world.cand['Fuera'].pk}/"):
        assert _as(sme_contact.user).get(url).status_code == 403


def _count_queries(api, url) -> int:
    with CaptureQueriesContext(connection) as queries:
        response = api.get(url)
    assert response.status_code == 200, response.content
    return len(queries)


@pytest.mark.parametrize("role", ["anchor", "staff"])
@pytest.mark.parametrize("url", ["/api/v1/candidates/", "/api/v1/cohorts/"])
def test_the_cohort_lists_take_as_many_queries_for_more_rows(staff_user, url, role):
    w = _world(staff_user)
    api = _as(w.reviewer_a if role == "anchor" else staff_user)
    api.get(url)  # the first request of a process caches what every later one reuses
    few = _count_queries(api, url)
    for i in range(3):  # more candidates in its areas, with reviews, and more cohorts under review
        CohortFactory(program=w.program, status=Cohort.Status.ANCHOR_REVIEW, name=f"Otra {i}")
        extra = w.sme(score=75, areas=("stamping",), name=f"Nueva {i}")
        candidate = Candidate.objects.create(cohort=w.cohort, supplier=extra, in_proposal=True, growth_index=75)
        services.anchor_review_submit(candidate=candidate, actor=w.reviewer_a, verdict="endorse")
    many = _count_queries(api, url)
    assert many == few
