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
    assert denied.status_code == 400  # as for an id that does not exist (test_invisible_candidate_...)
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
    assert response.content.decode().count("data-candidate=") == 12


@pytest.mark.parametrize("verdict", ["endorse", "maybe"])
def test_invisible_candidate_is_refused_like_one_that_does_not_exist(client, world, verdict):
    """An anchor cannot tell an id it may not see from an id that does not exist: same status, same body."""
    client.force_login(world.reviewer_b)
    hidden = world.cand["Estampados"].pk
    missing = Candidate.objects.order_by("-pk").first().pk + 1000
    answers = []
    for pk in (hidden, missing):
        response = client.post("/api/v1/anchor-reviews/", {"candidate": pk, "verdict": verdict})
        body = response.json()
        body["candidate"] = [message.replace(str(pk), "<id>") for message in body["candidate"]]
        answers.append((response.status_code, body))
    assert answers[0] == answers[1] and answers[0][0] == 400
    assert not AnchorReview.objects.exists()


def _radios(page: str, candidate_pk: int) -> dict[str, bool]:
    """Each verdict radio of the candidate's form: checked or not."""
    import re

    found = {}
    for tag in re.findall(rf'<input[^>]*name="c{candidate_pk}-verdict"[^>]*>', page):
        value = re.search(r'value="([^"]+)"', tag).group(1)
        found[value] = " checked" in tag
    return found


def test_no_decision_is_chosen_before_the_reviewer_chooses(client, world):
    client.force_login(world.reviewer_a)
    page = get_ok(client, reverse("cohorts:anchor_cohort", args=[world.cohort.pk])).content.decode()
    radios = _radios(page, world.cand["Estampados"].pk)
    assert set(radios) == {"endorse", "object", "conflict"}
    assert not any(radios.values())
    assert "0 de 2 revisados" in page or "0 of 2 reviewed" in page


def test_saved_objection_stays_chosen_and_saving_again_keeps_it(client, world):
    """The form after an objection shows the objection: saving it again does not endorse."""
    client.force_login(world.reviewer_a)
    c = world.cand["Estampados"]
    url = reverse("cohorts:anchor_review", args=[c.pk])
    response = client.post(url, {f"c{c.pk}-verdict": "object", f"c{c.pk}-reason": "Entregas tardías"})
    assert response.status_code == 302
    assert response["Location"].endswith(f"#cand-{c.pk}")
    page = get_ok(client, reverse("cohorts:anchor_cohort", args=[world.cohort.pk])).content.decode()
    assert _radios(page, c.pk) == {"endorse": False, "object": True, "conflict": False}
    assert "Entregas tardías" in page
    # Saving the form exactly as the page shows it keeps the objection.
    client.post(url, {f"c{c.pk}-verdict": "object", f"c{c.pk}-reason": "Entregas tardías"})
    assert AnchorReview.objects.get(candidate=c, anchor=world.anchor_a).verdict == "object"


def test_in_place_save_returns_the_card_with_what_was_saved(client, world):
    client.force_login(world.reviewer_a)
    c = world.cand["Estampados"]
    url = reverse("cohorts:anchor_review", args=[c.pk])
    response = client.post(
        url, {f"c{c.pk}-verdict": "conflict", f"c{c.pk}-reason": "Socio en común"}, HTTP_HX_REQUEST="true"
    )
    assert response.status_code == 200
    body = response.content.decode()
    assert body.lstrip().startswith(f'<article class="card sdp-candidate" id="cand-{c.pk}"')
    assert "Guardado: conflicto de interés" in body and "Socio en común" in body
    assert _radios(body, c.pk)["conflict"] is True
    assert 'id="review-progress"' in body and 'hx-swap-oob="true"' in body
    assert "1 de 2 revisados" in body
    assert "HX-Request" in response["Vary"]
    # An objection without a reason: the card comes back (200, so htmx swaps it) with the error and the choice kept.
    response = client.post(url, {f"c{c.pk}-verdict": "object"}, HTTP_HX_REQUEST="true")
    assert response.status_code == 200
    body = response.content.decode()
    assert "is-invalid" in body and _radios(body, c.pk)["object"] is True
    assert AnchorReview.objects.get(candidate=c).verdict == "conflict"


def test_anchor_review_without_a_choice_says_what_to_do(client, world):
    client.force_login(world.reviewer_a)
    c = world.cand["Estampados"]
    response = client.post(reverse("cohorts:anchor_review", args=[c.pk]), {})
    assert response.status_code == 400
    assert "Elija avalar, objetar o conflicto de interés" in response.content.decode() or "Choose endorse" in (
        response.content.decode()
    )
    assert not AnchorReview.objects.exists()


def test_in_place_save_after_the_deadline_says_why(client, world):
    client.force_login(world.reviewer_a)
    c = world.cand["Estampados"]
    world.cohort.review_deadline = timezone.now() - timedelta(minutes=1)
    world.cohort.save()
    response = client.post(
        reverse("cohorts:anchor_review", args=[c.pk]), {f"c{c.pk}-verdict": "endorse"}, HTTP_HX_REQUEST="true"
    )
    assert response.status_code == 200
    assert "La fecha límite de revisión ya pasó." in response.content.decode()
    assert not AnchorReview.objects.exists()
