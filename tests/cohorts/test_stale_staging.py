"""A staged decision does not survive an objection, an exclusion, a rebuild or an optimizer re-run."""

from datetime import timedelta

import pytest
from django.core.exceptions import ValidationError
from django.utils import timezone

from cohorts import services
from cohorts.models import Candidate, Cohort
from core.concurrency import StaleObjectError
from tests.cohorts.world import World

pytestmark = pytest.mark.django_db


@pytest.fixture
def world(staff_user):
    w = World(k=2)
    w.a = w.sme(score=90, name="Alfa")
    w.b = w.sme(score=80, areas=("plastics",), name="Beta")
    w.c = w.sme(score=70, name="Gamma")
    return w


def _c(world, name):
    return Candidate.objects.get(cohort=world.cohort, supplier__trade_name=name)


def _cohort(world):
    return Cohort.objects.get(pk=world.cohort.pk)


def _staged(world, staff_user, *, review=True):
    services.cohort_build_candidates(cohort=world.cohort, actor=staff_user)
    services.cohort_propose(cohort=world.cohort, actor=staff_user, time_limit=10)
    if review:
        services.cohort_open_review(cohort=world.cohort, deadline=timezone.now() + timedelta(days=5), actor=staff_user)
    services.cohort_stage_from_proposal(cohort=world.cohort, actor=staff_user)
    assert _c(world, "Beta").staged_status == "selected"
    return _cohort(world)


def test_objection_clears_the_staged_decision_and_stales_the_commit(world, staff_user):
    seen = _staged(world, staff_user)
    beta = _c(world, "Beta")
    services.anchor_review_submit(candidate=beta, actor=world.reviewer_b, verdict="object", reason="Failed audit")
    after = _c(world, "Beta")
    assert after.status == "objected" and after.staged_status == "" and after.version > beta.version
    with pytest.raises(StaleObjectError):  # the page seen before the objection
        services.cohort_commit_decisions(cohort=seen, actor=staff_user, expected_version=seen.version)
    cohort = _cohort(world)
    with pytest.raises(ValidationError, match="Beta"):  # undecided: staff must decide knowing the objection
        services.cohort_commit_decisions(cohort=cohort, actor=staff_user, expected_version=cohort.version)
    services.cohort_stage_decision(
        candidate=after, actor=staff_user, status="selected", reason="Audit redone", expected_version=after.version
    )  # restaged after the objection: allowed
    cohort = _cohort(world)
    counts = services.cohort_commit_decisions(cohort=cohort, actor=staff_user, expected_version=cohort.version)
    assert _c(world, "Beta").status == "selected" and counts["selected"] == 2


def test_exclusion_clears_the_staged_decision_and_an_excluded_sme_cannot_be_selected(world, staff_user):
    _staged(world, staff_user)
    beta = _c(world, "Beta")
    services.candidate_set_pin(
        candidate=beta, actor=staff_user, excluded=True, reason="x", expected_version=beta.version
    )
    beta = _c(world, "Beta")
    assert beta.excluded and beta.staged_status == ""
    services.cohort_stage_decision(
        candidate=beta, actor=staff_user, status="selected", reason="r", expected_version=beta.version
    )
    cohort = _cohort(world)
    with pytest.raises(ValidationError, match="Beta"):
        services.cohort_commit_decisions(cohort=cohort, actor=staff_user, expected_version=cohort.version)
    assert not Candidate.objects.filter(status="selected").exists()


def test_rebuild_making_a_candidate_ineligible_clears_its_staging(world, staff_user):
    _staged(world, staff_user, review=False)  # staged while proposed
    before = _c(world, "Beta")
    cohort_version = _cohort(world).version
    world.b.status = "submitted"
    world.b.save()
    services.cohort_build_candidates(cohort=world.cohort, actor=staff_user)
    beta = _c(world, "Beta")
    assert not beta.is_eligible and beta.staged_status == "" and beta.staged_reason == ""
    assert beta.version == before.version + 1 and _c(world, "Alfa").staged_status == "selected"
    assert _cohort(world).version > cohort_version


def test_commit_refuses_a_selected_ineligible_candidate(world, staff_user):
    cohort = _staged(world, staff_user)
    Candidate.objects.filter(pk=_c(world, "Beta").pk).update(is_eligible=False)  # e.g. data from before the fix
    with pytest.raises(ValidationError, match="Beta"):
        services.cohort_commit_decisions(cohort=cohort, actor=staff_user, expected_version=cohort.version)
    assert _cohort(world).status == Cohort.Status.ANCHOR_REVIEW


def test_optimizer_rerun_dropping_a_candidate_clears_its_staging(world, staff_user):
    _staged(world, staff_user)
    before = _c(world, "Beta")
    Cohort.objects.filter(pk=world.cohort.pk).update(min_size=1, max_size=1)
    services.cohort_propose(cohort=_cohort(world), actor=staff_user, time_limit=10)
    beta = _c(world, "Beta")
    assert not beta.in_proposal and beta.staged_status == "" and beta.version == before.version + 1
    alfa = _c(world, "Alfa")
    assert alfa.in_proposal and alfa.staged_status == "selected"


def test_staff_pin_exclude_and_withdraw_refuse_a_stale_page(world, staff_user, staff_client):
    from django.contrib.messages import get_messages
    from django.urls import reverse

    from core.concurrency import StaleObjectError as Stale

    _staged(world, staff_user)
    beta = _c(world, "Beta")
    page = staff_client.get(reverse("cohorts:staff_cohort", args=[world.cohort.pk])).content.decode()
    assert f'name="version" value="{beta.version}"' in page
    stale = beta.version
    services.cohort_stage_decision(
        candidate=beta, actor=staff_user, status="waitlisted", reason="r", expected_version=beta.version
    )  # someone else changes it meanwhile
    for action in ("pin", "exclude"):
        response = staff_client.post(
            reverse("cohorts:staff_candidate_action", args=[beta.pk, action]), {"version": stale, "reason": "x"}
        )
        assert str(Stale.message) in [str(m) for m in get_messages(response.wsgi_request)]
    beta = _c(world, "Beta")
    assert not beta.pinned and not beta.excluded and beta.staged_status == "waitlisted"
    response = staff_client.post(
        reverse("cohorts:staff_candidate_action", args=[beta.pk, "exclude"]), {"version": beta.version, "reason": "x"}
    )
    assert _c(world, "Beta").excluded
    cohort = _cohort(world)
    for name in ("Beta", "Gamma"):
        c = _c(world, name)
        services.cohort_stage_decision(
            candidate=c, actor=staff_user, status="not_selected", reason="r", expected_version=c.version
        )
    cohort = _cohort(world)
    services.cohort_commit_decisions(cohort=cohort, actor=staff_user, expected_version=cohort.version)
    alfa = _c(world, "Alfa")
    url = reverse("cohorts:staff_candidate_action", args=[alfa.pk, "withdraw"])
    response = staff_client.post(url, {"version": alfa.version - 1, "reason": "closed"})
    assert str(Stale.message) in [str(m) for m in get_messages(response.wsgi_request)]
    assert _c(world, "Alfa").status == "selected"
    staff_client.post(url, {"version": alfa.version, "reason": "closed"})
    assert _c(world, "Alfa").status == "withdrawn"


def test_cohort_api_writes_go_through_services(world, staff_user, staff_client):
    from core.models import AuditEvent

    url = f"/api/v1/cohorts/{world.cohort.pk}/"
    version = _cohort(world).version
    ok = staff_client.patch(url, {"min_size": 5, "version": version}, content_type="application/json")
    assert ok.status_code == 200, ok.content
    assert ok.json()["version"] == version + 1 and _cohort(world).min_size == 5
    assert AuditEvent.objects.filter(action="cohort_updated").exists()
    stale = staff_client.patch(url, {"min_size": 6, "version": version}, content_type="application/json")
    assert stale.status_code == 409 and _cohort(world).min_size == 5
    missing = staff_client.patch(url, {"min_size": 6}, content_type="application/json")
    assert missing.status_code == 400 and "version" in missing.json()

    services.cohort_build_candidates(cohort=world.cohort, actor=staff_user)
    deleted = staff_client.delete(url)  # a draft with candidates keeps its history
    assert deleted.status_code == 400 and Cohort.objects.filter(pk=world.cohort.pk).exists()
    Cohort.objects.filter(pk=world.cohort.pk).update(status=Cohort.Status.APPROVED)
    cohort = _cohort(world)
    frozen = staff_client.put(
        url,
        {
            "program": world.program.pk,
            "name": cohort.name,
            "year": cohort.year,
            "min_size": 9,
            "growth_weights": cohort.growth_weights,
            "version": cohort.version,
        },
        content_type="application/json",
    )
    assert frozen.status_code == 400 and _cohort(world).min_size == 5
    assert staff_client.delete(url).status_code == 400

    created = staff_client.post(
        "/api/v1/cohorts/",
        {"program": world.program.pk, "name": "Nueva", "year": 2026, "min_size": 3},
        content_type="application/json",
    )
    assert created.status_code == 201, created.content
    assert created.json()["status"] == "draft" and AuditEvent.objects.filter(action="cohort_created").exists()
    new_url = f"/api/v1/cohorts/{created.json()['id']}/"
    assert staff_client.delete(new_url).status_code == 204
    assert not Cohort.objects.filter(name="Nueva").exists()
    assert AuditEvent.objects.filter(action="cohort_deleted").exists()
