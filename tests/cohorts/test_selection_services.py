"""Eligibility, growth parts and the optimizer run on the ORM side."""

from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError
from django.utils import translation

from cohorts import services
from cohorts.models import AnchorReview, Candidate, Cohort, CohortAreaLimit, CohortGeoCap
from cohorts.services.reasons import render_all
from core.models import AuditEvent
from tests.cohorts.world import World

pytestmark = pytest.mark.django_db


@pytest.fixture
def world():
    return World(k=3)


def _candidate(world, supplier):
    return Candidate.objects.get(cohort=world.cohort, supplier=supplier)


def test_eligibility_reasons_are_stored_and_translatable(world, staff_user):
    ok = world.sme(score=80)
    big = world.sme(score=90, size="grande")
    unverified = world.sme(score=70, status="submitted")
    undiagnosed = world.sme(score=0, diagnosed=False)
    world.sme(score=50, status="draft")  # drafts are not candidates at all
    summary = services.cohort_build_candidates(cohort=world.cohort, actor=staff_user)
    assert summary == {"eligible": 1, "ineligible": 3, "created": 4}
    assert _candidate(world, ok).is_eligible and _candidate(world, ok).growth_index is not None
    assert [r["code"] for r in _candidate(world, big).ineligibility_reasons] == ["large_company"]
    assert _candidate(world, unverified).ineligibility_reasons == [
        {"code": "not_verified", "params": {"status": "submitted"}}
    ]
    assert [r["code"] for r in _candidate(world, undiagnosed).ineligibility_reasons] == ["no_diagnostic"]
    with translation.override("en"):
        text = render_all(_candidate(world, unverified).ineligibility_reasons)[0]
    assert "submitted" in text and "verified" in text
    with translation.override("es-mx"):
        assert "verificado" in render_all(_candidate(world, unverified).ineligibility_reasons)[0]
    assert AuditEvent.objects.filter(action="candidates_built").exists()


def test_growth_parts_are_stored_per_candidate(world, staff_user):
    supplier = world.sme(score=80, areas=("stamping",))
    world.figures(supplier, [(2022, "10", 100), (2024, "14.4", 121)])
    services.cohort_build_candidates(cohort=world.cohort, actor=staff_user)
    c = _candidate(world, supplier)
    assert c.growth_parts["maturity"]["score"] == "80.00"
    assert c.growth_parts["alignment"]["areas"] == {str(world.stamping.pk): "80.00"}  # only demanded areas it supplies
    assert c.growth_parts["growth"]["sales_cagr"] == "20.00"
    # 40*80 + 25*80 + 25*((0 + 100 + 66.67)/3 = 55.56) + 10*0 = 6589 -> 65.89
    assert c.growth_index == Decimal("65.89")
    assert c.growth_parts["diagnostic_id"]


def _propose(world, staff_user):
    services.cohort_build_candidates(cohort=world.cohort, actor=staff_user)
    return services.cohort_propose(cohort=world.cohort, actor=staff_user, time_limit=10)


def _selected(world):
    return set(
        Candidate.objects.filter(cohort=world.cohort, in_proposal=True).values_list("supplier__trade_name", flat=True)
    )


def test_proposal_respects_area_limits_and_geo_caps(world, staff_user):
    for i, score in enumerate([95, 90, 85, 80]):
        world.sme(score=score, areas=("stamping",), state=world.gto, name=f"est{i}")
    world.sme(score=40, areas=("plastics",), state=world.nl, name="pla0")
    world.sme(score=30, areas=("plastics",), state=world.qro, name="pla1")
    CohortAreaLimit.objects.create(cohort=world.cohort, area=world.plastics, minimum=1)
    CohortAreaLimit.objects.create(cohort=world.cohort, area=world.stamping, maximum=2)
    proposal = _propose(world, staff_user)
    assert proposal["status"] == "optimal"
    assert _selected(world) == {"est0", "est1", "pla0"}
    # Now a cap of 1 on the Bajío region (GTO and QRO): only one stamping SME from there.
    CohortGeoCap.objects.create(cohort=world.cohort, region=world.bajio, maximum=1)
    world.sme(score=60, areas=("plastics",), state=world.nl, name="pla2")
    proposal = _propose(world, staff_user)
    assert _selected(world) == {"est0", "pla2", "pla0"}
    world.cohort.refresh_from_db()
    assert world.cohort.status == Cohort.Status.PROPOSED
    assert Decimal(proposal["exact"]["objective"]) >= Decimal(proposal["greedy"]["objective"])


def test_pins_exclusions_and_objections(world, staff_user):
    for i, score in enumerate([95, 90, 85, 80, 20]):
        world.sme(score=score, name=f"s{i}")
    _propose(world, staff_user)
    assert _selected(world) == {"s0", "s1", "s2"}
    low = Candidate.objects.get(cohort=world.cohort, supplier__trade_name="s4")
    services.candidate_set_pin(candidate=low, actor=staff_user, pinned=True, reason="strategic")
    top = Candidate.objects.get(cohort=world.cohort, supplier__trade_name="s0")
    services.candidate_set_pin(candidate=top, actor=staff_user, excluded=True, reason="already in another program")
    AnchorReview.objects.create(
        candidate=Candidate.objects.get(cohort=world.cohort, supplier__trade_name="s1"),
        anchor=world.anchor_a,
        verdict="object",
        reason="quality escapes",
    )
    services.cohort_propose(cohort=world.cohort, actor=staff_user, time_limit=10)
    assert _selected(world) == {"s4", "s2", "s3"}
    assert AuditEvent.objects.filter(action="pin_changed").count() == 2


def test_infeasible_settings_are_explained_and_the_cohort_stays(world, staff_user):
    for i in range(4):
        world.sme(score=80 - i, areas=("stamping",), name=f"s{i}")
    first = _propose(world, staff_user)
    assert first["status"] == "optimal"
    before = _selected(world)
    CohortAreaLimit.objects.create(cohort=world.cohort, area=world.plastics, minimum=2)  # nobody supplies plastics
    proposal = services.cohort_propose(cohort=world.cohort, actor=staff_user, time_limit=10)
    assert proposal["status"] == "infeasible"
    text = " ".join(render_all(proposal["explanation"]))
    assert "PLA" in text
    world.cohort.refresh_from_db()
    assert world.cohort.status == Cohort.Status.PROPOSED and world.cohort.proposal["status"] == "infeasible"
    assert _selected(world) == before
    assert AuditEvent.objects.filter(action="proposal_infeasible").exists()


def test_propose_task_runs_the_service(world, staff_user):
    from cohorts.tasks import propose_cohort

    world.sme(score=80)
    world.cohort.min_size = 1
    world.cohort.save()
    services.cohort_build_candidates(cohort=world.cohort, actor=staff_user)
    assert propose_cohort.delay(world.cohort.pk, staff_user.pk).get()["status"] == "optimal"
    world.cohort.refresh_from_db()
    assert world.cohort.status == Cohort.Status.PROPOSED


def test_ineligible_cannot_be_pinned(world, staff_user):
    big = world.sme(score=90, size="grande")
    services.cohort_build_candidates(cohort=world.cohort, actor=staff_user)
    with pytest.raises(ValidationError):
        services.candidate_set_pin(candidate=_candidate(world, big), actor=staff_user, pinned=True)


def _reasons(world) -> dict[str, dict]:
    return dict(Candidate.objects.filter(cohort=world.cohort).values_list("supplier__trade_name", "proposal_reason"))


def test_each_candidate_keeps_its_reason_from_the_last_run_and_the_cohort_stays_small(world, staff_user):
    for i, score in enumerate([95, 90, 85, 80, 20]):
        world.sme(score=score, name=f"s{i}")
    world.sme(score=99, name="big", size="grande")  # ineligible: not in the optimizer's problem
    proposal = _propose(world, staff_user)
    world.cohort.refresh_from_db()
    assert "reasons" not in proposal and "reasons" not in world.cohort.proposal  # per candidate, not per cohort
    reasons = _reasons(world)
    assert reasons["big"] == {}
    assert {name for name, r in reasons.items() if r.get("template", "").startswith("Selected")} == {"s0", "s1", "s2"}
    assert reasons["s4"]["template"].startswith("Not selected: growth potential")
    assert (
        reasons["s4"]["params"]["cut"]
        == reasons["s3"]["params"]["cut"]
        == str(_candidate(world, Candidate.objects.get(supplier__trade_name="s2").supplier).growth_index)
    )

    # A re-run with another outcome replaces them; staging tells each left-out SME its own reason.
    low = Candidate.objects.get(cohort=world.cohort, supplier__trade_name="s4")
    services.candidate_set_pin(candidate=low, actor=staff_user, pinned=True, reason="strategic")
    _propose(world, staff_user)
    reasons = _reasons(world)
    assert reasons["s4"]["template"] == "Selected: pinned by program staff."
    assert reasons["s2"]["template"].startswith("Not selected")
    services.cohort_stage_from_proposal(cohort=world.cohort, actor=staff_user, waitlist_size=0)
    s2 = Candidate.objects.get(cohort=world.cohort, supplier__trade_name="s2")
    # Stored as the optimizer's reason (a template and its values), told in each reader's language.
    assert s2.staged_status == "not_selected" and s2.staged_reason_code == reasons["s2"] and s2.staged_reason == ""
    assert s2.staged_reason_text == render_all([reasons["s2"]])[0]  # Spanish, the active language
    assert reasons["s2"]["params"]["score"] in s2.staged_reason_text

    # The API shows each candidate's reason, rendered.
    from rest_framework.test import APIClient

    api = APIClient()
    api.force_authenticate(staff_user)
    rows = api.get(
        "/api/v1/candidates/", {"cohort": world.cohort.pk, "page_size": 50}, HTTP_ACCEPT_LANGUAGE="en"
    ).json()["results"]
    by_id = {row["id"]: row for row in rows}
    assert by_id[s2.pk]["proposal_reason"] == reasons["s2"]
    assert by_id[s2.pk]["proposal_reason_text"].startswith("Not selected")


def test_an_infeasible_run_leaves_no_reasons_behind(world, staff_user):
    for i in range(4):
        world.sme(score=80 - i, areas=("stamping",), name=f"s{i}")
    _propose(world, staff_user)
    assert all(_reasons(world).values())
    CohortAreaLimit.objects.create(cohort=world.cohort, area=world.plastics, minimum=2)  # nobody supplies plastics
    assert services.cohort_propose(cohort=world.cohort, actor=staff_user, time_limit=10)["status"] == "infeasible"
    assert not any(_reasons(world).values())
