"""Financing cases through the services: the whole path from referral to two disbursements, every move
audited; illegal moves refused with a clear error and nothing changed."""

import datetime
from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.utils import translation

from cohorts.models import Candidate
from core.audit import history
from core.concurrency import StaleObjectError
from support import services
from support.models import Disbursement, FinancingCase
from tests.cohorts.factories import CandidateFactory
from tests.programs.factories import AnchorCompanyFactory, ProgramFactory

from .factories import SupportWorld, financing_case, financing_to

pytestmark = pytest.mark.django_db


@pytest.fixture
def world():
    return SupportWorld()


@pytest.fixture(autouse=True)
def in_english():
    with translation.override("en"):
        yield


def _messages(exc) -> str:
    return " ".join(exc.value.messages)


def test_a_case_runs_from_referral_to_two_disbursements_and_every_move_is_audited(world):
    case = financing_case(world)
    assert case.status == "referral" and case.step_since == case.referred_on
    day = world.today - datetime.timedelta(days=30)
    case = services.financing_case_move(case=case, actor=world.staff, to="application", expected_version=1, on=day)
    case = services.financing_case_move(
        case=case,
        actor=world.staff,
        to="approved",
        expected_version=case.version,
        amount_approved=Decimal("800000"),
        on=day + datetime.timedelta(days=10),
    )
    services.financing_disbursement_add(
        case=case, actor=world.staff, amount=Decimal("500000"), expected_version=case.version, reference="SPEI 1"
    )
    case.refresh_from_db()
    assert case.status == "disbursed" and case.amount_disbursed == Decimal("500000")
    services.financing_disbursement_add(case=case, actor=world.staff, amount=Decimal("300000"), expected_version=None)
    case.refresh_from_db()
    assert case.status == "disbursed" and case.amount_disbursed == case.amount_approved == Decimal("800000")
    assert case.applied_on == day and case.decided_on == day + datetime.timedelta(days=10)
    assert case.disbursed_on == world.today
    assert list(case.steps.values_list("status", flat=True)) == ["referral", "application", "approved", "disbursed"]
    assert Disbursement.objects.filter(case=case).count() == 2
    actions = [(e.action, e.from_state, e.to_state) for e in history(case).order_by("pk")]
    assert actions == [
        ("financing_case_opened", "", "referral"),
        ("transition", "referral", "application"),
        ("transition", "application", "approved"),
        ("financing_disbursed", "approved", "disbursed"),
        ("financing_disbursed", "disbursed", "disbursed"),
    ]
    assert all(e.actor_id == world.staff.pk for e in history(case))


def _state(case: FinancingCase) -> dict:
    case.refresh_from_db()
    return {
        "status": case.status,
        "version": case.version,
        "amount_approved": case.amount_approved,
        "amount_disbursed": case.amount_disbursed,
        "steps": case.steps.count(),
        "disbursements": case.disbursements.count(),
        "events": history(case).count(),
    }


@pytest.mark.parametrize("status", ["referral", "application", "rejected"])
def test_nothing_is_disbursed_before_the_case_is_approved(world, status):
    case = financing_case(world)
    if status != "referral":
        case = financing_to(world, case, status)
    before = _state(case)
    with pytest.raises(ValidationError) as exc:
        services.financing_disbursement_add(case=case, actor=world.staff, amount=Decimal("1000"), expected_version=None)
    assert "before the case is approved" in _messages(exc)
    with pytest.raises(ValidationError) as exc:
        services.financing_case_move(case=case, actor=world.staff, to="disbursed", expected_version=None)
    assert "before the case is approved" in _messages(exc)
    assert _state(case) == before


def test_no_more_is_disbursed_than_approved(world):
    case = financing_to(world, financing_case(world), "disbursed", approved="800000", paid=("500000",))
    before = _state(case)
    with pytest.raises(ValidationError) as exc:
        services.financing_disbursement_add(
            case=case, actor=world.staff, amount=Decimal("300000.01"), expected_version=None
        )
    assert "more than approved" in _messages(exc) and "$300,000.00 MXN left" in _messages(exc)
    assert _state(case) == before
    with pytest.raises(ValidationError):
        services.financing_disbursement_add(case=case, actor=world.staff, amount=Decimal("0"), expected_version=None)
    assert _state(case) == before
    # The database refuses it too, whatever writes the row.
    with pytest.raises(IntegrityError), transaction.atomic():
        FinancingCase.objects.filter(pk=case.pk).update(amount_disbursed=Decimal("900000"))


def test_a_step_back_needs_a_reason_and_is_recorded_as_such(world):
    case = financing_to(world, financing_case(world), "approved")
    before = _state(case)
    with pytest.raises(ValidationError) as exc:
        services.financing_case_move(case=case, actor=world.staff, to="application", expected_version=case.version)
    assert "needs a reason" in _messages(exc)
    assert _state(case) == before
    case = services.financing_case_move(
        case=case,
        actor=world.staff,
        to="application",
        expected_version=case.version,
        reason="El banco pidió estados financieros dictaminados",
    )
    assert case.status == "application" and case.amount_approved is None and case.decided_on is None
    step = case.steps.order_by("-pk").first()
    assert step.backwards and step.reason.startswith("El banco")
    event = history(case).order_by("-pk").first()
    assert (event.from_state, event.to_state, event.reason) == ("approved", "application", step.reason)


def test_a_rejection_needs_its_reason(world):
    case = financing_to(world, financing_case(world), "application")
    with pytest.raises(ValidationError) as exc:
        services.financing_case_move(case=case, actor=world.staff, to="rejected", expected_version=case.version)
    assert "why the case was rejected" in _messages(exc)
    case = financing_to(world, financing_case(world), "rejected")
    assert case.status == "rejected" and case.rejection_reason and case.decided_on == world.today


@pytest.mark.parametrize(
    ("start", "to", "words"),
    [
        ("referral", "approved", "cannot become"),
        ("referral", "referral", "cannot become"),
        ("application", "application", "cannot become"),
        ("approved", "rejected", "cannot become"),
        ("disbursed", "approved", "paid out"),
        ("disbursed", "application", "paid out"),
    ],
)
def test_moves_outside_the_lifecycle_are_refused(world, start, to, words):
    case = financing_case(world)
    if start != "referral":
        case = financing_to(world, case, start)
    before = _state(case)
    with pytest.raises(ValidationError) as exc:
        services.financing_case_move(
            case=case, actor=world.staff, to=to, expected_version=None, reason="Corrección", amount_approved=Decimal(1)
        )
    assert words in _messages(exc)
    assert _state(case) == before


def test_approval_needs_the_amount_and_dates_stay_in_order(world):
    case = financing_to(world, financing_case(world, days_ago=10), "application")
    with pytest.raises(ValidationError) as exc:
        services.financing_case_move(case=case, actor=world.staff, to="approved", expected_version=None)
    assert "amount approved" in _messages(exc)
    with pytest.raises(ValidationError) as exc:
        services.financing_case_move(
            case=case,
            actor=world.staff,
            to="approved",
            expected_version=None,
            amount_approved=Decimal("5"),
            on=world.today + datetime.timedelta(days=1),
        )
    assert "future" in _messages(exc)
    with pytest.raises(ValidationError) as exc:
        services.financing_case_move(
            case=case,
            actor=world.staff,
            to="approved",
            expected_version=None,
            amount_approved=Decimal("5"),
            on=world.today - datetime.timedelta(days=11),
        )
    assert "cannot come before" in _messages(exc)


def test_terms_are_checked_and_change_only_before_the_decision(world):
    with pytest.raises(ValidationError) as exc:
        financing_case(world, product="factoring")
    assert "name the anchor" in _messages(exc)
    elsewhere = AnchorCompanyFactory(program=ProgramFactory(code="otro"))
    with pytest.raises(ValidationError) as exc:
        financing_case(world, product="factoring", anchor=elsewhere)
    assert "another program" in _messages(exc)
    with pytest.raises(ValidationError) as exc:
        financing_case(world, institution="other")
    assert "Name the institution" in _messages(exc)
    factoring = financing_case(world, product="factoring", anchor=world.anchor_a, bank="")
    assert factoring.anchor == world.anchor_a
    waitlisted = CandidateFactory(cohort=world.cohort, supplier=world.sme(score=40), status=Candidate.Status.WAITLISTED)
    with pytest.raises(ValidationError):
        financing_case(world, candidate=waitlisted)
    assert FinancingCase.objects.count() == 1

    case = financing_case(world)
    case = services.financing_case_update(case=case, actor=world.staff, expected_version=1, bank="BBVA México")
    assert case.bank == "BBVA México" and case.version == 2
    with pytest.raises(StaleObjectError):
        services.financing_case_update(case=case, actor=world.staff, expected_version=1, bank="Banamex")
    with pytest.raises(StaleObjectError):
        services.financing_case_move(case=case, actor=world.staff, to="application", expected_version=1)
    case = financing_to(world, case, "approved")
    with pytest.raises(ValidationError) as exc:
        services.financing_case_update(case=case, actor=world.staff, expected_version=case.version, bank="Banamex")
    assert "no longer change" in _messages(exc)
