"""Figures recorded by other modules count in a round's period without asking the SME twice."""

import datetime
from decimal import Decimal

import pytest

from outcomes import sources
from support import services as support_services
from tests.api.demo import seed_demo_api

pytestmark = pytest.mark.django_db


def test_financing_disbursed_in_the_period_counts_in_millions_of_pesos():
    from django.contrib.auth import get_user_model

    from cohorts.models import Candidate

    seed_demo_api()
    staff = get_user_model().objects.get(username="staff")
    candidate = Candidate.objects.filter(status="selected").order_by("pk").first()
    case = support_services.financing_case_open(
        candidate=candidate,
        actor=staff,
        institution="bancomext",
        product="credit",
        amount_requested=Decimal("3000000"),
        referred_on=datetime.date(2025, 1, 10),
    )
    day = datetime.date(2025, 1, 10)
    for step in ("application", "approved"):
        day += datetime.timedelta(days=5)
        kwargs = {"amount_approved": Decimal("2500000")} if step == "approved" else {}
        case = support_services.financing_case_move(
            case=case, actor=staff, to=step, on=day, expected_version=None, **kwargs
        )
    support_services.financing_disbursement_add(
        case=case, actor=staff, expected_version=None, amount=Decimal("1000000"), on=datetime.date(2025, 2, 1)
    )
    case.refresh_from_db()
    support_services.financing_disbursement_add(
        case=case, actor=staff, expected_version=None, amount=Decimal("500000"), on=datetime.date(2025, 8, 1)
    )
    got = sources.recorded(
        sources.FINANCING, [candidate.supplier_id], datetime.date(2025, 1, 1), datetime.date(2025, 6, 30)
    )
    assert got == {candidate.supplier_id: Decimal("1")}
    got = sources.recorded(
        sources.FINANCING, [candidate.supplier_id], datetime.date(2025, 1, 1), datetime.date(2025, 12, 31)
    )
    assert got == {candidate.supplier_id: Decimal("1.5")}
