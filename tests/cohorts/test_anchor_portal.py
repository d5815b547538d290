"""Anchor permissions: only proposed candidates in the anchor's areas, only its own reviews."""

from datetime import timedelta

import pytest
from django.core.exceptions import PermissionDenied
from django.urls import reverse
from django.utils import timezone

from cohorts import services
from cohorts.models import AnchorReview, Candidate
from tests.cohorts.world import World
from tests.conftest import get_ok
from tests.programs.factories import UserFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def world(staff_user):
    w = World(k=3)
    w.est = w.sme(score=90, areas=("stamping",), name="Estampados")
    w.pla = w.sme(score=80, areas=("plastics",), name="Plasticos")
    w.both = w.sme(score=70, areas=("stamping", "plastics"), name="Mixta")
    w.out = w.sme(score=10, areas=("stamping",), name="Fuera")  # eligible, not proposed
    services.cohort_build_candidates(cohort=w.cohort, actor=staff_user)
    services.cohort_propose(cohort=w.cohort, actor=staff_user, time_limit=10)
    services.cohort_open_review(cohort=w.cohort, deadline=timezone.now() + timedelta(days=7), actor=staff_user)
    w.cohort.refresh_from_db()
    w.cand = {s.trade_name: Candidate.objects.get(cohort=w.cohort, supplier=s) for s in (w.est, w.pla, w.both, w.out)}
    return w


def test_anchor_sees_only_proposed_candidates_in_its_areas(client, world):
    client.force_login(world.reviewer_a)
    response = client.get(reverse("cohorts:anchor_cohort", args=[world.cohort.pk]))
    assert response.status_code == 200
    body = response.content.decode()
    assert "Estampados" in body and "Mixta" in body
    assert "Plasticos" not in body and "Fuera" not in body
    assert world.cohort.review_deadline.strftime("%Y") in body


def test_anchor_cannot_review_outside_its_areas(client, world):
    client.force_login(world.reviewer_a)
    url = reverse("cohorts:anchor_review", args=[world.cand["Plasticos"].pk])
    assert client.post(url, {f"c{world.cand['Plasticos'].pk}-verdict": "endorse"}).status_code == 404
    with pytest.raises(PermissionDenied):
        services.anchor_review_submit(candidate=world.cand["Fuera"], actor=world.reviewer_a, verdict="endorse")
    assert not AnchorReview.objects.exists()


def test_objection_needs_a_reason_and_nothing_is_lost(client, world):
    client.force_login(world.reviewer_a)
    c = world.cand["Estampados"]
    response = client.post(reverse("cohorts:anchor_review", args=[c.pk]), {f"c{c.pk}-verdict": "object"})
    assert response.status_code == 400
    assert not AnchorReview.objects.exists()
    response = client.post(
        reverse("cohorts:anchor_review", args=[c.pk]),
        {f"c{c.pk}-verdict": "object", f"c{c.pk}-reason": "Late deliveries in 2024"},
    )
    assert response.status_code == 302
    c.refresh_from_db()
    assert c.status == Candidate.Status.OBJECTED


def test_anchor_does_not_see_other_anchors_reviews(client, world):
    both = world.cand["Mixta"]
    services.anchor_review_submit(candidate=both, actor=world.reviewer_b, verdict="object", reason="SECRET-B")
    services.anchor_review_submit(candidate=both, actor=world.reviewer_a, verdict="endorse")
    client.force_login(world.reviewer_a)
    page = client.get(reverse("cohorts:anchor_cohort", args=[world.cohort.pk])).content.decode()
    assert "SECRET-B" not in page
    api = client.get("/api/v1/anchor-reviews/").json()
    assert [r["anchor"] for r in api["results"]] == [world.anchor_a.pk]
    both.refresh_from_db()
    assert both.status == Candidate.Status.OBJECTED  # any objection wins


def test_staff_sees_all_reviews_via_api(staff_client, world):
    services.anchor_review_submit(
        candidate=world.cand["Mixta"], actor=world.reviewer_b, verdict="conflict", reason="Owner is a relative"
    )
    services.anchor_review_submit(candidate=world.cand["Mixta"], actor=world.reviewer_a, verdict="endorse")
    assert staff_client.get("/api/v1/anchor-reviews/").json()["count"] == 2


def test_anchor_review_api_create_respects_areas(client, world):
    client.force_login(world.reviewer_b)
    ok = client.post("/api/v1/anchor-reviews/", {"candidate": world.cand["Plasticos"].pk, "verdict": "endorse"})
    assert ok.status_code == 201
    denied = client.post("/api/v1/anchor-reviews/", {"candidate": world.cand["Estampados"].pk, "verdict": "endorse"})
    assert denied.status_code == 404
    assert client.post("/api/v1/cohorts/", {}).status_code == 403  # read only for anchors


def test_others_get_403(client, world, sme_contact):
    url = reverse("cohorts:anchor_cohort", args=[world.cohort.pk])
    client.force_login(sme_contact.user)
    assert client.get(url).status_code == 403
    assert client.get(reverse("cohorts:staff_cohort", args=[world.cohort.pk])).status_code == 403
    client.force_login(UserFactory())
    assert client.get(reverse("cohorts:anchor_home")).status_code == 403
    client.logout()
    assert client.get(url).status_code == 302  # to the login page


def test_review_after_deadline_is_refused(world):
    world.cohort.review_deadline = timezone.now() - timedelta(minutes=1)
    world.cohort.save()
    with pytest.raises(PermissionDenied):
        services.anchor_review_submit(candidate=world.cand["Estampados"], actor=world.reviewer_a, verdict="endorse")


def test_anchor_list_query_count_is_bounded(client, world, staff_user, django_assert_max_num_queries):
    client.force_login(world.reviewer_a)
    url = reverse("cohorts:anchor_cohort", args=[world.cohort.pk])
    client.get(url)
    with django_assert_max_num_queries(20) as small:
        get_ok(client, url)
    # Grow the proposal: 10 more proposed stamping SMEs.
    for i in range(10):
        supplier = world.sme(score=60 + i, areas=("stamping",), name=f"extra{i}")
        Candidate.objects.create(
            cohort=world.cohort,
            supplier=supplier,
            in_proposal=True,
            growth_index=60 + i,
            growth_parts={"diagnostic_id": supplier.diagnostics.get().pk},
        )
    with django_assert_max_num_queries(len(small.captured_queries)):
        response = client.get(url)
    assert response.status_code == 200
    assert response.content.decode().count('id="candidate-') == 12
