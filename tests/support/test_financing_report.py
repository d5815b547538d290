"""The financing funnel of the cohort report equals a recomputation in plain Python from the rows (cases,
their disbursements and steps), through random moves; the cached report follows every change."""

import random
from decimal import Decimal

import pytest
from django.core.cache import cache

from cohorts.models import Candidate
from reports.selectors import ReportScope, report_figures, report_summary
from support import services
from support.models import Disbursement, FinancingCase, FinancingStep
from tests.cohorts.factories import CandidateFactory, CohortFactory

from .factories import SupportWorld, financing_case

pytestmark = pytest.mark.django_db

STEPS = ("referred", "applied", "approved", "disbursed", "rejected")


def recomputed(cohort) -> dict:
    """Per step: (cases, amount), from the rows alone. A case has applied when its steps history shows an
    application that no later step back to referral undid; disbursed money is the sum of its disbursements."""
    cases = list(
        FinancingCase.objects.filter(candidate__cohort=cohort).values(
            "id", "status", "amount_requested", "amount_approved"
        )
    )
    steps: dict[int, list] = {}
    for case_id, status in FinancingStep.objects.order_by("on", "id").values_list("case_id", "status"):
        steps.setdefault(case_id, []).append(status)
    paid: dict[int, Decimal] = {}
    for case_id, amount in Disbursement.objects.values_list("case_id", "amount"):
        paid[case_id] = paid.get(case_id, Decimal("0")) + amount
    out = {step: [0, Decimal("0")] for step in STEPS}
    for case in cases:
        history = steps[case["id"]]
        last_referral = max(i for i, s in enumerate(history) if s == "referral")
        applied = "application" in history[last_referral:]
        rows = [("referred", case["amount_requested"])]
        if applied:
            rows.append(("applied", case["amount_requested"]))
        if case["status"] in ("approved", "disbursed"):
            rows.append(("approved", case["amount_approved"]))
        if paid.get(case["id"]):
            rows.append(("disbursed", paid[case["id"]]))
        if case["status"] == "rejected":
            rows.append(("rejected", case["amount_requested"]))
        for step, amount in rows:
            out[step][0] += 1
            out[step][1] += amount
    return {step: (n, amount) for step, (n, amount) in out.items()}


def from_report(funnel: list[dict]) -> dict:
    return {row["step"]: (row["count"], row["amount_mxn"]) for row in funnel}


def _random_move(world, rng: random.Random, case: FinancingCase) -> None:
    case.refresh_from_db()
    options = {
        "referral": ["application", "rejected"],
        "application": ["approved", "rejected", "referral"],
        "approved": ["pay", "application"],
        "rejected": ["application", "referral"],
        "disbursed": ["pay"],
    }[case.status]
    choice = rng.choice(options)
    if choice == "pay":
        left = case.remaining
        if left > 0:
            amount = min(left, Decimal(rng.randint(1, 9) * 50000))
            services.financing_disbursement_add(case=case, actor=world.staff, amount=amount, expected_version=None)
        return
    services.financing_case_move(
        case=case,
        actor=world.staff,
        to=choice,
        expected_version=case.version,
        reason="Motivo" if choice in ("rejected", "referral") or case.status in ("approved", "rejected") else "",
        amount_approved=Decimal(rng.randint(1, 20) * 50000) if choice == "approved" else None,
    )


@pytest.mark.parametrize("seed", [3, 8])
def test_the_funnel_equals_an_independent_recomputation_through_random_moves(seed, django_assert_num_queries):
    cache.clear()
    rng = random.Random(seed)
    world = SupportWorld()
    others = [
        CandidateFactory(cohort=world.cohort, supplier=world.sme(score=40 + i), status=Candidate.Status.SELECTED)
        for i in range(3)
    ]
    elsewhere = CohortFactory(program=world.program, name="Otra", year=2027)
    outside = CandidateFactory(cohort=elsewhere, supplier=world.sme(score=41), status=Candidate.Status.SELECTED)
    financing_case(world, candidate=outside, amount_requested=Decimal("999"))  # another cohort: not counted
    candidates = [world.candidate, *others]
    cases = [
        financing_case(
            world,
            candidate=rng.choice(candidates),
            amount_requested=Decimal(rng.randint(1, 40) * 25000),
            institution=rng.choice(["nafin", "bancomext"]),
        )
        for _ in range(8)
    ]
    scope = ReportScope.for_cohort(world.cohort)
    for step in range(25):
        _random_move(world, rng, rng.choice(cases))
        if step % 5 == 4:
            report_summary(scope)
            with django_assert_num_queries(1):  # cached: only the data version is read
                cached = report_summary(scope)
            assert cached == report_figures(scope)
            assert from_report(cached["financing_funnel"]) == recomputed(world.cohort), step
    funnel = from_report(report_figures(scope)["financing_funnel"])
    assert funnel["referred"][0] == 8
    assert funnel["referred"][0] >= funnel["applied"][0] >= funnel["approved"][0] >= funnel["disbursed"][0]


def test_the_cohort_report_page_shows_the_funnel(client):
    world = SupportWorld()
    case = financing_case(world)
    services.financing_case_move(case=case, actor=world.staff, to="application", expected_version=case.version)
    client.force_login(world.staff)
    page = client.get(f"/staff/reports/cohorts/{world.cohort.pk}/").content.decode()
    assert "Embudo de financiamiento" in page
    assert 'data-step="applied"' in page and "$1,000,000 MXN" in page
