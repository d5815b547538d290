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


# --- Purchase orders (sourcing) and certifications (development plans) ------------------------------------------

START, END = datetime.date(2025, 1, 1), datetime.date(2025, 6, 30)


def _order(supplier, anchor, *, value, on, status="purchase_order"):
    from programs.models import State
    from sourcing.models import Invitation, Opportunity

    opportunity = Opportunity.objects.create(
        anchor=anchor,
        title=f"Pieza {Opportunity.objects.count()}",
        description="Soportes",
        part_family="Soportes",
        process="Estampado",
        annual_volume=1000,
        annual_value=Decimal("1000000"),
        delivery_state=State.objects.order_by("pk").first() or supplier.state,
        delivery_plant="Planta",
        start_date=on,
        response_deadline=on,
    )
    return Invitation.objects.create(
        opportunity=opportunity,
        supplier=supplier,
        status=status,
        purchase_order_value_mxn=Decimal(value),
        purchase_order_date=on,
    )


def _certificate(candidate, *, reached_on, step="certificate", code="iatf-16949"):
    from programs.models import CertificationStandard
    from support.models import DevelopmentPlan, Milestone, PlanItem

    standard = CertificationStandard.objects.get_or_create(code=code, defaults={"name": code.upper()})[0]
    plan = DevelopmentPlan.objects.get_or_create(candidate=candidate)[0]
    item = PlanItem.objects.create(plan=plan, kind=PlanItem.Kind.CERTIFICATION, title=code, standard=standard)
    for i, name in enumerate(Milestone.ORDER):
        Milestone.objects.create(item=item, step=name, order=i, reached_on=reached_on if name == step else None)
    return item


def test_purchase_orders_of_the_period_count_as_sales_to_each_anchor_and_first_orders_as_new_customers():
    from tests.outcomes.factories import OutcomesWorld
    from tests.programs.factories import AnchorCompanyFactory

    world = OutcomesWorld(selected=2, waitlisted=1)
    sme, other, none = world.suppliers("selected") + world.suppliers("waitlisted")
    a, b = world.anchor, AnchorCompanyFactory(program=world.program, name="Ancla B")
    _order(sme, a, value="500000", on=START - datetime.timedelta(days=1))  # before: not counted, A is not new
    _order(sme, a, value="1000000", on=START)  # first day counts
    _order(sme, a, value="250000", on=END)  # last day counts
    _order(sme, a, value="9000000", on=END + datetime.timedelta(days=1))  # after: not counted
    _order(sme, b, value="2000000", on=datetime.date(2025, 3, 1))  # B's first order: a new customer
    _order(sme, b, value="7000000", on=datetime.date(2025, 3, 2), status="lost")  # lost: not counted
    _order(other, b, value="300000", on=datetime.date(2025, 6, 1))
    ids = [sme.pk, other.pk, none.pk]
    assert sources.recorded(sources.PURCHASE_ORDERS, ids, START, END) == {
        sme.pk: Decimal("3.25"),
        other.pk: Decimal("0.3"),
    }
    assert sources.purchase_orders_by_anchor(ids, START, END) == {
        (sme.pk, a.pk): Decimal("1.25"),
        (sme.pk, b.pk): Decimal("2"),
        (other.pk, b.pk): Decimal("0.3"),
    }
    assert sources.recorded(sources.NEW_CUSTOMERS, ids, START, END) == {sme.pk: 1, other.pk: 1}
    # The next period: A's and B's first orders were earlier, nothing new; the order after END counts there.
    later = (END + datetime.timedelta(days=1), datetime.date(2025, 12, 31))
    assert sources.recorded(sources.NEW_CUSTOMERS, ids, *later) == {}
    assert sources.recorded(sources.PURCHASE_ORDERS, ids, *later) == {sme.pk: Decimal("9")}
    assert sources.recorded(sources.PURCHASE_ORDERS, [none.pk], START, END) == {}


def test_certificates_reached_in_the_period_count_once_per_standard():
    from tests.outcomes.factories import OutcomesWorld

    world = OutcomesWorld(selected=2, waitlisted=1)
    first, second = world.candidates["selected"]
    _certificate(first, reached_on=START)
    _certificate(first, reached_on=END, code="iso-9001")
    _certificate(first, reached_on=END + datetime.timedelta(days=1), code="iso-14001")  # after the period
    _certificate(second, reached_on=datetime.date(2025, 3, 1), step="stage_2")  # audited, no certificate yet
    ids = [first.supplier_id, second.supplier_id, world.suppliers("waitlisted")[0].pk]
    assert sources.recorded(sources.CERTIFICATIONS, ids, START, END) == {first.supplier_id: 2}
    assert sources.recorded(sources.CERTIFICATIONS, [second.supplier_id], START, END) == {}


def test_a_round_keeps_what_the_modules_record_and_its_indicators_add_it_to_the_answers():
    from outcomes import services
    from outcomes.models import IndicatorValue, OutcomeRound
    from tests.outcomes.factories import OutcomesWorld
    from tests.outcomes.test_rounds import COMPLETE

    world = OutcomesWorld(selected=5, waitlisted=3)
    staff = world.staff
    round_ = services.round_schedule(
        actor=staff,
        cohort=world.cohort,
        kind=OutcomeRound.Kind.BASELINE,
        name="Línea base",
        period_start=START,
        period_end=END,
        opens_on=datetime.date(2025, 7, 1),
        closes_on=datetime.date(2025, 7, 31),
    )
    services.round_open(actor=staff, round_=round_)
    selected = world.suppliers("selected")
    for supplier in selected:
        _order(supplier, world.anchor, value="1000000", on=datetime.date(2025, 2, 1))
    _certificate(world.candidates["selected"][0], reached_on=datetime.date(2025, 4, 1))
    none = round_.responses.get(supplier=world.suppliers("waitlisted")[0])
    for response in round_.responses.order_by("pk"):
        services.response_save(
            actor=staff, response=response, data=COMPLETE, anchor_sales=None, expected_version=None, send=True
        )
    first = round_.responses.get(supplier=selected[0])
    assert (first.purchase_orders_mdp, first.new_customers_recorded, first.certifications_recorded) == (1, 1, 1)
    assert first.recorded_on is not None
    none.refresh_from_db()
    assert (none.purchase_orders_mdp, none.new_customers_recorded, none.certifications_recorded) == (0, 0, 0)
    # An order recorded after the SME sent, still in the period, is kept when the round closes.
    _order(selected[1], world.anchor, value="500000", on=END)
    round_.refresh_from_db()
    services.round_close(actor=staff, round_=round_)
    stored = {(v.indicator, v.group, v.breakdown, v.level): v for v in IndicatorValue.objects.filter(round=round_)}
    n = len(selected)
    assert stored[("purchase_orders_mdp", "selected", "all", "all")].value == pytest.approx(n + 0.5)
    # Answered 3 new customers each, plus the anchor, new for every selected SME.
    assert stored[("new_customers", "selected", "all", "all")].value == 3 * n + n
    assert (
        stored[("new_customers", "comparison", "all", "all")].value
        == 3 * round_.responses.filter(group="comparison").count()
    )
    assert stored[("certifications_obtained", "selected", "all", "all")].value == 1
    # Sales to the anchor: no SME answered any, the orders count (5 SMEs behind it: shown).
    anchor = stored[("anchor_sales_mdp", "selected", "anchor", world.anchor.name)]
    assert (anchor.value, anchor.n_smes, anchor.suppressed) == (pytest.approx(n + 0.5), n, False)
    assert stored[("anchor_sales_mdp", "selected", "all", "all")].value == pytest.approx(n + 0.5)
