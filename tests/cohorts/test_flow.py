"""The full flow: candidates -> proposal -> anchor review -> staged decisions -> commit -> notifications."""

from datetime import timedelta

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.translation import gettext

from cohorts import services
from cohorts.models import Candidate, Cohort
from core.audit import history
from core.concurrency import StaleObjectError
from core.models import OutboundMessage
from tests.cohorts.world import World
from tests.conftest import get_ok

pytestmark = pytest.mark.django_db


@pytest.fixture
def world(staff_user):
    w = World(k=2)
    w.a = w.sme(score=90, name="Alfa", language="es-mx")
    w.b = w.sme(score=80, areas=("plastics",), name="Beta", language="en")
    w.c = w.sme(score=70, name="Gamma", language="en")
    w.d = w.sme(score=60, name="Delta", language="es-mx")
    w.big = w.sme(score=99, size="grande", name="Grande", language="en")
    return w


def _c(world, name):
    return Candidate.objects.get(cohort=world.cohort, supplier__trade_name=name)


def test_full_flow(world, staff_user, django_capture_on_commit_callbacks):
    services.cohort_build_candidates(cohort=world.cohort, actor=staff_user)
    services.cohort_propose(cohort=world.cohort, actor=staff_user, time_limit=10)
    assert {c.supplier.trade_name for c in Candidate.objects.filter(in_proposal=True)} == {"Alfa", "Beta"}
    services.cohort_open_review(cohort=world.cohort, deadline=timezone.now() + timedelta(days=5), actor=staff_user)
    requested = OutboundMessage.objects.filter(template="anchor_review_requested")
    assert {m.recipient for m in requested} == {world.reviewer_a.email, world.reviewer_b.email}

    services.anchor_review_submit(candidate=_c(world, "Alfa"), actor=world.reviewer_a, verdict="endorse")
    services.anchor_review_submit(
        candidate=_c(world, "Beta"), actor=world.reviewer_b, verdict="object", reason="Failed our audit"
    )
    assert _c(world, "Alfa").status == "endorsed" and _c(world, "Beta").status == "objected"

    # Staff stage: the proposal as default, then override Beta (objected) to waitlisted.
    services.cohort_stage_from_proposal(cohort=world.cohort, actor=staff_user, waitlist_size=2)
    beta = _c(world, "Beta")
    services.cohort_stage_decision(
        candidate=beta,
        actor=staff_user,
        status="not_selected",
        reason="An anchor objected after an audit.",
        expected_version=beta.version,
    )
    gamma = _c(world, "Gamma")
    services.cohort_stage_decision(
        candidate=gamma,
        actor=staff_user,
        status="selected",
        reason="Replaces an objected candidate.",
        expected_version=gamma.version,
    )
    assert _c(world, "Delta").staged_status == "waitlisted"

    cohort = Cohort.objects.get(pk=world.cohort.pk)
    with django_capture_on_commit_callbacks(execute=False):
        counts = services.cohort_commit_decisions(cohort=cohort, actor=staff_user, expected_version=cohort.version)
    assert counts == {"selected": 2, "waitlisted": 1, "not_selected": 2}
    cohort.refresh_from_db()
    assert cohort.status == Cohort.Status.APPROVED
    alfa, beta, delta, big = (_c(world, n) for n in ("Alfa", "Beta", "Delta", "Grande"))
    assert alfa.status == "selected" and alfa.decided_by == staff_user and alfa.decided_at
    assert beta.status == "not_selected" and beta.decision_reason == "An anchor objected after an audit."
    assert delta.status == "waitlisted" and delta.waitlist_rank == 1
    assert big.status == "not_selected" and big.decision_reason_code == {"code": "ineligible", "params": {}}
    assert any("Grande" in text for text in big.ineligibility_texts)
    assert not Candidate.objects.exclude(staged_status="").exists()

    results = {m.recipient: m for m in OutboundMessage.objects.filter(template="selection_result")}
    assert len(results) == 5  # every SME, eligible or not
    by_name = {c.supplier.trade_name: c.supplier.contacts.get().email for c in Candidate.objects.all()}
    assert results[by_name["Beta"]].language == "en" and "Not selected" in results[by_name["Beta"]].body
    assert results[by_name["Alfa"]].language == "es-mx"
    assert results[by_name["Grande"]].body.count("large company") == 1  # the reason told once
    assert any(e.to_state == "selected" and e.actor == staff_user for e in history(alfa))

    # After selection: withdraw Alfa, promote Delta.
    services.candidate_withdraw(candidate=alfa, actor=staff_user, reason="The SME closed its plant.")
    promoted = services.waitlist_promote(cohort=cohort, actor=staff_user)
    assert promoted.supplier.trade_name == "Delta" and promoted.status == "selected"
    assert promoted.waitlist_rank is None
    with pytest.raises(ValidationError):
        services.waitlist_promote(cohort=cohort, actor=staff_user)


def _ready(world, staff_user):
    services.cohort_build_candidates(cohort=world.cohort, actor=staff_user)
    services.cohort_propose(cohort=world.cohort, actor=staff_user, time_limit=10)
    services.cohort_open_review(cohort=world.cohort, deadline=timezone.now() + timedelta(days=5), actor=staff_user)
    return Cohort.objects.get(pk=world.cohort.pk)


def test_commit_refuses_undecided_and_stale(world, staff_user):
    cohort = _ready(world, staff_user)
    with pytest.raises(ValidationError):
        services.cohort_commit_decisions(cohort=cohort, actor=staff_user, expected_version=cohort.version)
    services.cohort_stage_from_proposal(cohort=cohort, actor=staff_user)
    stale_version = Cohort.objects.get(pk=cohort.pk).version
    gamma = _c(world, "Gamma")
    services.cohort_stage_decision(
        candidate=gamma, actor=staff_user, status="selected", reason="Late change", expected_version=gamma.version
    )  # someone stages after our view
    with pytest.raises(StaleObjectError):
        services.cohort_commit_decisions(cohort=cohort, actor=staff_user, expected_version=stale_version)
    assert Cohort.objects.get(pk=cohort.pk).status == Cohort.Status.ANCHOR_REVIEW
    assert not Candidate.objects.filter(status="selected").exists()
    with pytest.raises(StaleObjectError):  # a stale candidate version
        services.cohort_stage_decision(
            candidate=gamma, actor=staff_user, status="waitlisted", reason="x", expected_version=gamma.version
        )


def test_api_commit_conflict_is_409_and_flow_via_api(world, staff_user, staff_client):
    cohort = _ready(world, staff_user)
    assert staff_client.post(f"/api/v1/cohorts/{cohort.pk}/stage_from_proposal/").status_code == 200
    stale = staff_client.post(
        f"/api/v1/cohorts/{cohort.pk}/commit_decisions/", {"version": cohort.version}, content_type="application/json"
    )
    assert stale.status_code == 409
    current = Cohort.objects.get(pk=cohort.pk).version
    bad = staff_client.post(
        f"/api/v1/candidates/{_c(world, 'Gamma').pk}/stage/", {"status": "selected"}, content_type="application/json"
    )
    assert bad.status_code == 400 and "staged_reason" in bad.json()
    ok = staff_client.post(
        f"/api/v1/cohorts/{cohort.pk}/commit_decisions/", {"version": current}, content_type="application/json"
    )
    assert ok.status_code == 200, ok.content
    assert ok.json()["selected"] == 2


def test_staff_page_shows_growth_parts_and_proposal(world, staff_user, staff_client, django_assert_max_num_queries):
    cohort = _ready(world, staff_user)
    url = reverse("cohorts:staff_cohort", args=[cohort.pk])
    staff_client.get(url)
    with django_assert_max_num_queries(40) as small:
        page = get_ok(staff_client, url).content.decode()
    assert "optimal" not in page and "cp-sat" not in page.lower()  # the selection in words, not the solver's
    assert "la combinación con el mayor potencial de crecimiento total" in page
    assert "Madurez: 90 · peso 40%" in page  # Alfa's maturity part and its weight
    assert "large company" in page.lower() or "grande" in page.lower()
    assert page.count('class="proposal-reason"') == 4  # each eligible candidate's reason from the optimizer
    for i in range(5):
        world.sme(score=30 + i, name=f"more{i}")
    Cohort.objects.filter(pk=cohort.pk).update(status=Cohort.Status.PROPOSED)
    services.cohort_build_candidates(cohort=cohort, actor=staff_user)
    with django_assert_max_num_queries(len(small.captured_queries)):
        page = get_ok(staff_client, url).content.decode()
    assert page.count('id="candidate-') == 10


def test_reminders_once_a_day_for_pending_reviews(world, staff_user):
    _ready(world, staff_user)
    Cohort.objects.filter(pk=world.cohort.pk).update(review_deadline=timezone.now() + timedelta(days=1))
    services.anchor_review_submit(candidate=_c(world, "Alfa"), actor=world.reviewer_a, verdict="endorse")
    assert services.remind_pending_reviews() == 1  # anchor B still has Beta to review; anchor A is done
    assert OutboundMessage.objects.get(template="anchor_review_reminder").recipient == world.reviewer_b.email
    assert services.remind_pending_reviews() == 0


def test_staff_pages_run_the_optimizer_task_and_stage(
    world, staff_user, staff_client, django_capture_on_commit_callbacks
):
    services.cohort_build_candidates(cohort=world.cohort, actor=staff_user)
    with django_capture_on_commit_callbacks(execute=True):
        response = staff_client.post(reverse("cohorts:staff_cohort_action", args=[world.cohort.pk, "propose"]))
    assert response.status_code == 302
    cohort = Cohort.objects.get(pk=world.cohort.pk)
    assert cohort.status == Cohort.Status.PROPOSED and cohort.proposal["status"] == "optimal"
    gamma = _c(world, "Gamma")
    url = reverse("cohorts:staff_candidate_action", args=[gamma.pk, "stage"])
    response = staff_client.post(
        url, {f"s{gamma.pk}-status": "selected", f"s{gamma.pk}-version": gamma.version}, follow=True
    )
    with translation.override("es-mx"):  # the page speaks Spanish by default
        assert gettext("Give the reason the SME will be told.") in response.content.decode()
    assert _c(world, "Gamma").staged_status == ""
    staff_client.post(
        url,
        {
            f"s{gamma.pk}-status": "selected",
            f"s{gamma.pk}-reason": "Strong exporter",
            f"s{gamma.pk}-version": gamma.version,
        },
    )
    assert _c(world, "Gamma").staged_status == "selected"
    response = staff_client.post(
        reverse("cohorts:staff_candidate_action", args=[gamma.pk, "pin"]), {"version": _c(world, "Gamma").version}
    )
    assert _c(world, "Gamma").pinned


def test_api_refuses_bad_growth_weights(staff_client, world):
    url = f"/api/v1/cohorts/{world.cohort.pk}/"
    bad = staff_client.patch(url, {"growth_weights": {"maturity": -1}}, content_type="application/json")
    assert bad.status_code == 400 and "growth_weights" in bad.json()
    ok = staff_client.patch(
        url,
        {"growth_weights": {"maturity": 1, "growth": 1}, "version": world.cohort.version},
        content_type="application/json",
    )
    assert ok.status_code == 200
