"""Cohorts after the first, and decisions that hold: earlier-selected SMEs, re-entry, the size range,
withdrawal, the waitlist, reasons in each reader's language, the anchors' view and the review deadline."""

from datetime import timedelta
from decimal import Decimal

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from assessments.models import AreaAlignment
from cohorts import selectors, services
from cohorts.models import AnchorReview, Candidate, Cohort, CohortAreaLimit, CohortGeoCap, CohortReentry
from core.audit import history
from core.models import AuditEvent, OutboundMessage
from tests.assessments.factories import DiagnosticFactory
from tests.cohorts.factories import CohortFactory
from tests.cohorts.world import World
from tests.conftest import get_ok

pytestmark = pytest.mark.django_db


def _c(cohort, name) -> Candidate:
    return Candidate.objects.get(cohort=cohort, supplier__trade_name=name)


def _approve(cohort, staff, *, waitlist_size=10) -> Cohort:
    """Candidates, proposal, review, staged from the proposal, committed."""
    services.cohort_build_candidates(cohort=cohort, actor=staff)
    proposal = services.cohort_propose(cohort=cohort, actor=staff, time_limit=10)
    assert proposal["status"] == "optimal", proposal
    services.cohort_open_review(cohort=cohort, deadline=timezone.now() + timedelta(days=3), actor=staff)
    services.cohort_stage_from_proposal(cohort=cohort, actor=staff, waitlist_size=waitlist_size)
    cohort.refresh_from_db()
    services.cohort_commit_decisions(cohort=cohort, actor=staff, expected_version=cohort.version)
    cohort.refresh_from_db()
    return cohort


@pytest.fixture
def world(staff_user):
    w = World(k=2)
    w.a = w.sme(score=90, name="Alfa", language="es-mx")
    w.b = w.sme(score=80, name="Beta", language="en")
    w.c = w.sme(score=70, name="Gamma", language="en")
    w.d = w.sme(score=60, name="Delta", language="es-mx", state=w.nl)
    w.e = w.sme(score=50, name="Epsilon", language="en")
    w.cohort.name, w.cohort.year = "Cohorte 2025", 2025
    w.cohort.save()
    return w


@pytest.fixture
def later(world, staff_user):
    """2025 approved (Alfa and Beta selected); a 2026 cohort of 2 to 3 with a floor of 55."""
    _approve(world.cohort, staff_user)
    world.later = services.cohort_create(
        actor=staff_user,
        program=world.program,
        name="Cohorte 2026",
        year=2026,
        min_size=2,
        max_size=3,
        growth_floor=Decimal("55"),
    )
    return world


# -- SMEs selected in an earlier cohort ------------------------------------------------------------------


def test_smes_selected_earlier_are_not_eligible_with_the_reason(later, staff_user):
    assert {c.supplier.trade_name for c in Candidate.objects.filter(cohort=later.cohort, status="selected")} == {
        "Alfa",
        "Beta",
    }
    services.cohort_build_candidates(cohort=later.later, actor=staff_user)
    alfa = _c(later.later, "Alfa")
    assert not alfa.is_eligible
    assert alfa.ineligibility_reasons == [{"code": "selected_earlier", "params": {"cohort": "Cohorte 2025"}}]
    with translation.override("en"):
        assert alfa.ineligibility_texts == ["Selected in Cohorte 2025."]
    with translation.override("es-mx"):
        assert alfa.ineligibility_texts == ["Seleccionada en Cohorte 2025."]
    assert _c(later.later, "Gamma").is_eligible and _c(later.later, "Delta").is_eligible
    # The optimizer picks among the others only.
    services.cohort_propose(cohort=later.later, actor=staff_user, time_limit=10)
    proposed = set(
        Candidate.objects.filter(cohort=later.later, in_proposal=True).values_list("supplier__trade_name", flat=True)
    )
    assert proposed == {"Gamma", "Delta"}  # Epsilon (50) is below the floor of 55: the cohort stays at 2


def test_a_later_candidacy_uses_the_current_diagnostic_and_the_earlier_keeps_its_own(later, staff_user):
    gamma_2025 = _c(later.cohort, "Gamma")
    old = gamma_2025.growth_parts["diagnostic_id"]
    newer = DiagnosticFactory(
        supplier=later.c,
        framework=later.framework,
        status="scored",
        overall_score=Decimal("95"),
        maturity_level=4,
        scored_at=timezone.now() + timedelta(days=1),
    )
    AreaAlignment.objects.create(
        diagnostic=newer, area=later.stamping, fit_percent=Decimal(95), meets_requirements=True
    )
    services.cohort_build_candidates(cohort=later.later, actor=staff_user)
    gamma_2026 = _c(later.later, "Gamma")
    gamma_2025.refresh_from_db()
    assert gamma_2026.growth_parts["diagnostic_id"] == newer.pk
    assert gamma_2025.growth_parts["diagnostic_id"] == old and gamma_2025.status == "waitlisted"
    history_of = selectors.candidate_history([gamma_2026])
    assert [c.pk for c in history_of[later.c.pk]] == [gamma_2025.pk]


def test_staff_allow_reentry_with_a_reason_audited(later, staff_user):
    services.cohort_build_candidates(cohort=later.later, actor=staff_user)
    with pytest.raises(ValidationError):
        services.cohort_allow_reentry(cohort=later.later, supplier=later.a, actor=staff_user, reason=" ")
    services.cohort_allow_reentry(cohort=later.later, supplier=later.a, actor=staff_user, reason="Second plant")
    alfa = _c(later.later, "Alfa")
    assert alfa.is_eligible and alfa.growth_index is not None
    assert CohortReentry.objects.get(cohort=later.later, supplier=later.a).granted_by == staff_user
    assert history(later.later).filter(action="reentry_allowed", reason="Second plant").exists()
    services.cohort_build_candidates(cohort=later.later, actor=staff_user)  # a rebuild keeps it
    assert _c(later.later, "Alfa").is_eligible
    services.cohort_revoke_reentry(cohort=later.later, supplier=later.a, actor=staff_user, reason="Mistake")
    assert not _c(later.later, "Alfa").is_eligible
    assert history(later.later).filter(action="reentry_revoked").exists()


def test_reentry_page_and_api(later, staff_client, staff_user):
    services.cohort_build_candidates(cohort=later.later, actor=staff_user)
    url = reverse("cohorts:staff_cohort", args=[later.later.pk])
    with translation.override("es-mx"):
        body = get_ok(staff_client, url).content.decode()
    assert "Seleccionada en Cohorte 2025." in body and "allow_reentry" in body
    assert "Cohorte 2025" in body  # the earlier candidacies are shown
    api = f"/api/v1/cohorts/{later.later.pk}/reentry/"
    missing = staff_client.post(api, {"supplier": later.a.pk, "reason": ""}, content_type="application/json")
    assert missing.status_code == 400 and "reason" in missing.json()
    ok = staff_client.post(api, {"supplier": later.a.pk, "reason": "Second plant"}, content_type="application/json")
    assert ok.status_code == 201 and _c(later.later, "Alfa").is_eligible
    posted = staff_client.post(
        reverse("cohorts:staff_cohort_action", args=[later.later.pk, "allow_reentry"]),
        {"supplier": later.b.pk, "reason": "New product line"},
    )
    assert posted.status_code == 302 and _c(later.later, "Beta").is_eligible
    candidates = staff_client.get(f"/api/v1/candidates/?cohort={later.later.pk}&is_eligible=false").json()
    assert all(c["ineligibility_texts"] for c in candidates["results"])


# -- the size range ------------------------------------------------------------------------------------


def test_the_cohort_grows_beyond_its_minimum_only_above_the_floor(world, staff_user):
    cohort = CohortFactory(program=world.program, min_size=2, max_size=4, year=2026)
    services.cohort_build_candidates(cohort=cohort, actor=staff_user)
    floor = _c(cohort, "Gamma").growth_index
    assert _c(cohort, "Delta").growth_index < floor
    Cohort.objects.filter(pk=cohort.pk).update(growth_floor=floor)
    proposal = services.cohort_propose(cohort=cohort, actor=staff_user, time_limit=10)
    chosen = set(
        Candidate.objects.filter(cohort=cohort, in_proposal=True).values_list("supplier__trade_name", flat=True)
    )
    assert chosen == {"Alfa", "Beta", "Gamma"}  # Delta and Epsilon are below the floor
    assert (proposal["min_size"], proposal["max_size"], proposal["floor"]) == (2, 4, str(floor))
    with translation.override("en"):
        from cohorts.services.reasons import render

        assert render(proposal["size_note"]) == (
            f"3 selected: the minimum of 2 and 1 more at or above the floor of {floor} (maximum 4)."
        )
        assert f"below the floor of {floor}" in render(_c(cohort, "Delta").proposal_reason)


def test_range_infeasibility_names_minimum_maximum_and_floor(world, staff_user):
    cohort = CohortFactory(program=world.program, min_size=9, max_size=12, growth_floor=Decimal("40"), year=2026)
    services.cohort_build_candidates(cohort=cohort, actor=staff_user)
    proposal = services.cohort_propose(cohort=cohort, actor=staff_user, time_limit=10)
    assert proposal["status"] == "infeasible"
    assert proposal["explanation"][0]["params"] == {"min": 9, "max": 12, "floor": "40.00"}


def test_size_range_in_the_api_and_page(world, staff_client):
    created = staff_client.post(
        "/api/v1/cohorts/",
        {
            "program": world.program.pk,
            "name": "C26",
            "year": 2026,
            "min_size": 40,
            "max_size": 50,
            "growth_floor": "60",
        },
        content_type="application/json",
    )
    assert created.status_code == 201, created.content
    assert (created.json()["min_size"], created.json()["max_size"], created.json()["growth_floor"]) == (40, 50, "60.00")
    bad = staff_client.post(
        "/api/v1/cohorts/",
        {"program": world.program.pk, "name": "C27", "year": 2027, "min_size": 40, "max_size": 30},
        content_type="application/json",
    )
    assert bad.status_code == 400 and "max_size" in bad.json()
    one = staff_client.post(
        "/api/v1/cohorts/",
        {"program": world.program.pk, "name": "C28", "year": 2028, "min_size": 12},
        content_type="application/json",
    )
    assert one.json()["max_size"] == 12  # a single size: exactly that many
    body = get_ok(staff_client, reverse("cohorts:staff_cohort", args=[created.json()["id"]])).content.decode()
    assert "al menos 40, como máximo 50" in body and "60.00 o más" in body


# -- withdrawal only after selection ---------------------------------------------------------------------


def test_a_candidate_never_selected_cannot_be_withdrawn(world, staff_user, staff_client):
    services.cohort_build_candidates(cohort=world.cohort, actor=staff_user)
    proposed = _c(world.cohort, "Gamma")
    with pytest.raises(ValidationError):
        services.candidate_withdraw(candidate=proposed, actor=staff_user, reason="Changed its mind")
    response = staff_client.post(
        f"/api/v1/candidates/{proposed.pk}/withdraw/", {"reason": "x"}, content_type="application/json"
    )
    assert response.status_code == 400
    assert _c(world.cohort, "Gamma").status == "proposed"
    assert not OutboundMessage.objects.filter(template="selection_result").exists()


def test_withdrawal_after_selection_tells_the_sme_once_and_shows_on_its_account(world, staff_user, client):
    _approve(world.cohort, staff_user)
    alfa = _c(world.cohort, "Alfa")
    waitlisted = _c(world.cohort, "Gamma")
    with pytest.raises(ValidationError):
        services.candidate_withdraw(candidate=waitlisted, actor=staff_user, reason="No")
    services.candidate_withdraw(
        candidate=alfa, actor=staff_user, reason="Cerró su planta", expected_version=alfa.version
    )
    with pytest.raises(ValidationError):
        services.candidate_withdraw(candidate=_c(world.cohort, "Alfa"), actor=staff_user, reason="again")
    sent = OutboundMessage.objects.filter(template="selection_result", recipient=world.a.contacts.get().email)
    assert sorted(m.context["status"] for m in sent) == ["selected", "withdrawn"]
    withdrawn = sent.get(context__status="withdrawn")
    assert "Retirada de la cohorte." in withdrawn.body and "Cerró su planta" in withdrawn.body
    from cohorts.selectors import cohort_decisions

    assert [c.status for c in cohort_decisions(world.a)] == ["withdrawn"]


# -- the waitlist and promotion --------------------------------------------------------------------------


def test_promotion_fills_only_freed_places_within_every_limit(world, staff_user):
    # Norte (Delta's state NL) may have at most 0 more selected: cap 0 for Nuevo León.
    CohortGeoCap.objects.create(cohort=world.cohort, state=world.nl, maximum=0)
    cohort = _approve(world.cohort, staff_user)
    assert cohort.places == 2
    state = selectors.waitlist(cohort=cohort)
    assert state.free_places == 0 and state.blocked["code"] == "waitlist_no_place"
    with pytest.raises(ValidationError):
        services.waitlist_promote(cohort=cohort, actor=staff_user)
    alfa = _c(cohort, "Alfa")
    services.candidate_withdraw(candidate=alfa, actor=staff_user, reason="Left", expected_version=alfa.version)
    state = selectors.waitlist(cohort=cohort)
    assert state.free_places == 1 and state.next.supplier.trade_name == "Gamma"
    # Make Gamma break the cap: move it to Nuevo León; Delta (also NL) too; Epsilon is next.
    type(world.c).objects.filter(pk=world.c.pk).update(state=world.nl)
    state = selectors.waitlist(cohort=cohort)
    by_name = {e.candidate.supplier.trade_name: e.why for e in state.entries}
    assert by_name["Gamma"]["code"] == "waitlist_state_cap" and by_name["Delta"]["code"] == "waitlist_state_cap"
    assert state.next.supplier.trade_name == "Epsilon" and state.next_reason["code"] == "waitlist_next"
    promoted = services.waitlist_promote(cohort=cohort, actor=staff_user)
    assert promoted.supplier.trade_name == "Epsilon" and promoted.status == "selected"
    assert promoted.decision_reason_code == {"code": "promoted", "params": {"rank": 3}}
    assert Candidate.objects.filter(cohort=cohort, status="selected").count() == 2
    with pytest.raises(ValidationError):
        services.waitlist_promote(cohort=cohort, actor=staff_user)  # no place is free any more
    assert Candidate.objects.filter(cohort=cohort, status="selected").count() == 2
    assert OutboundMessage.objects.filter(template="selection_result", context__status="selected").count() == 3


def test_waitlist_page_and_api_say_who_is_next_and_why(world, staff_user, staff_client, anchor_reviewer, client):
    cohort = _approve(world.cohort, staff_user)
    beta = _c(cohort, "Beta")
    services.candidate_withdraw(candidate=beta, actor=staff_user, reason="Left", expected_version=beta.version)
    body = get_ok(staff_client, reverse("cohorts:staff_cohort", args=[cohort.pk])).content.decode()
    assert "Lugares libres: 1 (1 seleccionadas de 2 lugares)." in body
    assert "Siguiente: posición 1, la primera de la lista de espera que respeta todos los límites" in body
    data = staff_client.get(f"/api/v1/cohorts/{cohort.pk}/waitlist/", HTTP_ACCEPT_LANGUAGE="en").json()
    assert data["next_reason"].startswith("Next: position 1")
    assert data["free_places"] == 1 and data["next"] == _c(cohort, "Gamma").pk
    assert [e["promotable"] for e in data["entries"]] == [True, False, False]
    cohort.refresh_from_db()
    response = staff_client.post(
        reverse("cohorts:staff_cohort_action", args=[cohort.pk, "promote"]), {"version": cohort.version}
    )
    assert response.status_code == 302 and _c(cohort, "Gamma").status == "selected"
    client.force_login(world.reviewer_a)
    assert client.get(f"/api/v1/cohorts/{cohort.pk}/waitlist/").status_code in (403, 404)


# -- reasons in each reader's language -----------------------------------------------------------------


def test_reasons_are_told_in_each_readers_language(world, staff_user, client, sme_contact):
    with translation.override("es-mx"):  # staff work in Spanish
        _approve(world.cohort, staff_user)
    beta = OutboundMessage.objects.get(template="selection_result", recipient=world.b.contacts.get().email)
    assert beta.language == "en"
    assert "Reason: Selected by the optimizer for the highest total growth potential." in beta.body
    alfa = OutboundMessage.objects.get(template="selection_result", recipient=world.a.contacts.get().email)
    assert "Seleccionada por el optimizador" in alfa.body
    gamma = _c(world.cohort, "Gamma")
    with translation.override("en"):
        assert gamma.decision_reason_text == "Waitlisted: eligible, but the cohort is full."
    with translation.override("es-mx"):
        assert gamma.decision_reason_text.startswith("En lista de espera")


def test_staff_free_text_is_kept_as_typed_and_labelled(world, staff_user):
    services.cohort_build_candidates(cohort=world.cohort, actor=staff_user)
    services.cohort_propose(cohort=world.cohort, actor=staff_user, time_limit=10)
    services.cohort_open_review(cohort=world.cohort, deadline=timezone.now() + timedelta(days=3), actor=staff_user)
    services.cohort_stage_from_proposal(cohort=world.cohort, actor=staff_user)
    beta = _c(world.cohort, "Beta")
    services.cohort_stage_decision(
        candidate=beta,
        actor=staff_user,
        status="not_selected",
        reason="Falló la auditoría",
        expected_version=beta.version,
    )
    world.cohort.refresh_from_db()
    services.cohort_commit_decisions(cohort=world.cohort, actor=staff_user, expected_version=world.cohort.version)
    body = OutboundMessage.objects.get(template="selection_result", recipient=world.b.contacts.get().email).body
    assert "Reason: Decided by program staff." in body
    assert "Note from program staff (as typed): Falló la auditoría" in body


# -- anchors ----------------------------------------------------------------------------------------------


@pytest.fixture
def review(world, staff_user):
    services.cohort_build_candidates(cohort=world.cohort, actor=staff_user)
    services.cohort_propose(cohort=world.cohort, actor=staff_user, time_limit=10)
    services.cohort_open_review(cohort=world.cohort, deadline=timezone.now() + timedelta(days=3), actor=staff_user)
    world.cohort.refresh_from_db()
    return world


def test_an_anchor_keeps_seeing_and_changing_its_objection_after_a_rerun(review, staff_user, client):
    alfa = _c(review.cohort, "Alfa")
    services.anchor_review_submit(candidate=alfa, actor=review.reviewer_a, verdict="object", reason="Late deliveries")
    services.cohort_propose(cohort=review.cohort, actor=staff_user, time_limit=10)
    alfa.refresh_from_db()
    assert not alfa.in_proposal
    client.force_login(review.reviewer_a)
    body = get_ok(client, reverse("cohorts:anchor_cohort", args=[review.cohort.pk])).content.decode()
    assert "Alfa" in body and "Late deliveries" in body
    assert client.get(f"/api/v1/candidates/{alfa.pk}/").status_code == 200
    services.anchor_review_submit(candidate=alfa, actor=review.reviewer_a, verdict="endorse")
    assert AnchorReview.objects.get(candidate=alfa).verdict == "endorse"
    assert _c(review.cohort, "Alfa").status == "endorsed"


def test_a_withdrawn_or_decided_candidate_is_not_reviewable(world, staff_user, client):
    cohort = _approve(world.cohort, staff_user)
    alfa = _c(cohort, "Alfa")
    services.candidate_withdraw(candidate=alfa, actor=staff_user, reason="Left", expected_version=alfa.version)
    assert not selectors.anchor_candidate_list(anchor=world.anchor_a).filter(pk=alfa.pk).exists()
    client.force_login(world.reviewer_a)
    body = get_ok(client, reverse("cohorts:anchor_cohort", args=[cohort.pk])).content.decode()
    assert "Alfa" not in body
    with pytest.raises(PermissionDenied):
        services.anchor_review_submit(candidate=_c(cohort, "Alfa"), actor=world.reviewer_a, verdict="endorse")


def test_the_review_deadline_can_be_extended_audited_and_anchors_told(review, staff_user, staff_client):
    cohort = review.cohort
    earlier = cohort.review_deadline
    with pytest.raises(ValidationError):
        services.cohort_extend_review_deadline(cohort=cohort, deadline=earlier - timedelta(hours=1), actor=staff_user)
    # Past the deadline the review is closed to anchors; an extension reopens it.
    Cohort.objects.filter(pk=cohort.pk).update(review_deadline=timezone.now() - timedelta(minutes=1))
    with pytest.raises(PermissionDenied):
        services.anchor_review_submit(candidate=_c(cohort, "Alfa"), actor=review.reviewer_a, verdict="endorse")
    new = timezone.now() + timedelta(days=10)
    services.cohort_extend_review_deadline(cohort=cohort, deadline=new, actor=staff_user, reason="Holidays")
    cohort.refresh_from_db()
    assert cohort.review_deadline == new
    assert history(cohort).filter(action="review_deadline_extended", reason="Holidays").exists()
    told = OutboundMessage.objects.filter(template="anchor_review_extended")
    assert {m.recipient for m in told} == {review.reviewer_a.email, review.reviewer_b.email}
    services.anchor_review_submit(candidate=_c(cohort, "Alfa"), actor=review.reviewer_a, verdict="endorse")
    later = (new + timedelta(days=1)).isoformat()
    response = staff_client.post(
        f"/api/v1/cohorts/{cohort.pk}/extend_review/", {"review_deadline": later}, content_type="application/json"
    )
    assert response.status_code == 200
    page = staff_client.post(
        reverse("cohorts:staff_cohort_action", args=[cohort.pk, "extend_review"]),
        {"deadline": (new + timedelta(days=2)).strftime("%Y-%m-%dT%H:%M"), "version": response.json()["version"]},
    )
    assert page.status_code == 302
    assert AuditEvent.objects.filter(action="review_deadline_extended").count() == 3


def test_the_sme_account_shows_a_withdrawn_decision_in_its_language(world, staff_user, client):
    from tests.programs.factories import UserFactory

    cohort = _approve(world.cohort, staff_user)
    contact = world.a.contacts.get()
    contact.user = UserFactory(email=contact.email)
    contact.save()
    from django.contrib.auth.models import Group

    from core import roles

    contact.user.groups.add(Group.objects.get_or_create(name=roles.SME_GROUP)[0])
    alfa = _c(cohort, "Alfa")
    services.candidate_withdraw(
        candidate=alfa, actor=staff_user, reason="Cerró su planta", expected_version=alfa.version
    )
    client.force_login(contact.user)
    page = client.get(reverse("suppliers:account"), HTTP_ACCEPT_LANGUAGE="es-mx")
    assert page.status_code == 200
    body = page.content.decode()
    assert 'id="decisions"' in body and "Retirada de la cohorte." in body and "Cerró su planta" in body


def test_anchors_are_told_once_when_a_rerun_adds_candidates_to_review(review, staff_user):
    cohort = review.cohort
    proposed = set(
        Candidate.objects.filter(cohort=cohort, in_proposal=True).values_list("supplier__trade_name", flat=True)
    )
    assert proposed == {"Alfa", "Beta"}
    services.anchor_review_submit(candidate=_c(cohort, "Alfa"), actor=review.reviewer_a, verdict="object", reason="No")
    services.cohort_propose(cohort=cohort, actor=staff_user, time_limit=10)
    gamma = _c(cohort, "Gamma")
    assert gamma.in_proposal and not _c(cohort, "Alfa").in_proposal
    areas = set(gamma.supplier.supply_areas.values_list("pk", flat=True))
    expected = {
        reviewer.email
        for reviewer, anchor in ((review.reviewer_a, review.anchor_a), (review.reviewer_b, review.anchor_b))
        if areas & set(anchor.supply_areas.values_list("pk", flat=True))
    }
    told = OutboundMessage.objects.filter(template="anchor_review_updated")
    assert expected and {m.recipient for m in told} == expected
    with translation.override(told.first().language):
        assert str(_("New candidates to review: %(cohort)s") % {"cohort": cohort.name}) == told.first().subject
    assert f"/anclas/cohortes/{cohort.pk}/" in told.first().body
    # The same proposal again adds no one: nobody is told twice.
    services.cohort_propose(cohort=cohort, actor=staff_user, time_limit=10)
    assert OutboundMessage.objects.filter(template="anchor_review_updated").count() == len(expected)


def test_an_area_left_below_its_minimum_by_a_withdrawal_is_filled_first(staff_user):
    w = World(k=2)
    w.sme(score=90, name="Alfa")
    w.sme(score=80, name="Beta")
    w.sme(score=60, name="Delta", areas=("plastics",))
    w.sme(score=40, name="Zeta", areas=("plastics",))
    CohortAreaLimit.objects.create(cohort=w.cohort, area=w.plastics, minimum=1)
    cohort = _approve(w.cohort, staff_user)
    selected = set(
        Candidate.objects.filter(cohort=cohort, status="selected").values_list("supplier__trade_name", flat=True)
    )
    assert selected == {"Alfa", "Delta"}
    delta = _c(cohort, "Delta")
    services.candidate_withdraw(candidate=delta, actor=staff_user, reason="Left", expected_version=delta.version)
    state = selectors.waitlist(cohort=cohort)
    by_name = {e.candidate.supplier.trade_name: e.why for e in state.entries}
    assert by_name["Beta"]["code"] == "waitlist_area_min_first"  # first in line, but supplies no plastics
    assert state.next.supplier.trade_name == "Zeta"
    promoted = services.waitlist_promote(cohort=cohort, actor=staff_user)
    assert promoted.supplier.trade_name == "Zeta"
    assert selectors.waitlist(cohort=cohort).blocked["code"] == "waitlist_no_place"
