"""A round end to end at the service level: scheduled for the selected SMEs and the comparison group, opened,
answered (draft, then sent), validated, reminded, chased and closed with its estimates stored."""

import datetime
from decimal import Decimal as D

import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from core.concurrency import StaleObjectError
from core.models import AuditEvent, NotificationPreference, OutboundMessage
from outcomes import services
from outcomes.models import CompanyClass, ImpactEstimate, OutcomeResponse, OutcomeRound

from .factories import OutcomesWorld

pytestmark = pytest.mark.django_db
TODAY = datetime.date(2026, 7, 1)

COMPLETE = {
    "sales_mdp": D("12"),
    "export_sales_mdp": D("2"),
    "employees_women": 10,
    "employees_men": 20,
    "women_in_management": 2,
    "new_customers": 3,
    "financing_obtained_mdp": D("0"),
    "certifications_obtained": 0,
}


def schedule(world, kind=OutcomeRound.Kind.BASELINE, start=datetime.date(2025, 1, 1)):
    return services.round_schedule(
        actor=world.staff,
        cohort=world.cohort,
        kind=kind,
        name=f"{kind} {start}",
        period_start=start,
        period_end=start + datetime.timedelta(days=180),
        opens_on=TODAY,
        closes_on=TODAY + datetime.timedelta(days=30),
    )


def test_members_are_selected_and_comparison_group():
    world = OutcomesWorld()
    round_ = schedule(world)
    groups = {r.supplier_id: r.group for r in round_.responses.all()}
    assert {s.pk for s in world.suppliers("selected")} == {k for k, g in groups.items() if g == "selected"}
    comparison = {s.pk for s in world.suppliers("waitlisted") + world.suppliers("near")}
    assert comparison == {k for k, g in groups.items() if g == "comparison"}
    assert not set(groups) & {s.pk for s in world.suppliers("far")}
    assert round_.responses.filter(status="pending").count() == len(groups) == 7
    assert AuditEvent.objects.filter(action="round_scheduled").count() == 1


def test_follow_up_needs_a_baseline_and_asks_the_same_smes():
    world = OutcomesWorld()
    with pytest.raises(ValidationError):
        schedule(world, kind=OutcomeRound.Kind.FOLLOW_UP)
    baseline = schedule(world)
    with pytest.raises(ValidationError):
        schedule(world)
    follow = schedule(world, kind=OutcomeRound.Kind.FOLLOW_UP, start=datetime.date(2025, 7, 1))
    assert set(follow.responses.values_list("supplier_id", "group")) == set(
        baseline.responses.values_list("supplier_id", "group")
    )


def test_answer_draft_then_send_and_company_facts_follow():
    world = OutcomesWorld()
    round_ = services.round_open(actor=world.staff, round_=schedule(world))
    response = round_.responses.get(supplier=world.sme)
    services.response_save(
        actor=world.sme_user, response=response, data={"sales_mdp": D("12")}, expected_version=response.version
    )
    response.refresh_from_db()
    assert response.status == "draft" and response.sales_mdp == D("12")
    with pytest.raises(ValidationError) as missing:
        services.response_save(actor=world.sme_user, response=response, data={}, expected_version=None, send=True)
    assert "employees_women" in missing.value.message_dict
    data = {**COMPLETE, "women_ownership_share": D("60"), "total_assets_mdp": D("5"), "national_content_share": D("40")}
    services.response_save(
        actor=world.sme_user,
        response=response,
        data=data,
        anchor_sales={world.anchor.pk: D("4")},
        expected_version=response.version,
        send=True,
    )
    response.refresh_from_db()
    assert response.status == "submitted" and response.submitted_by == world.sme_user
    assert response.anchor_sales.get().sales_mdp == D("4")
    world.sme.refresh_from_db()
    assert (world.sme.women_ownership_share, world.sme.total_assets_mdp) == (D("60"), D("5"))
    assert CompanyClass.objects.get(supplier=world.sme).women_class == "owned"
    with pytest.raises(ValidationError):
        services.response_save(actor=world.sme_user, response=response, data={}, expected_version=None)


def test_validation_and_permissions():
    world = OutcomesWorld()
    round_ = services.round_open(actor=world.staff, round_=schedule(world))
    response = round_.responses.get(supplier=world.sme)
    other = round_.responses.exclude(supplier=world.sme).first()
    with pytest.raises(PermissionDenied):
        services.response_save(actor=world.sme_user, response=other, data={}, expected_version=None)
    for bad in ({"sales_mdp": D("-1")}, {"export_sales_mdp": D("-0.5")}):
        with pytest.raises(ValidationError):
            services.response_save(actor=world.sme_user, response=response, data=bad, expected_version=None)
    with pytest.raises(ValidationError) as more:
        services.response_save(
            actor=world.sme_user,
            response=response,
            data={**COMPLETE, "export_sales_mdp": D("13")},
            expected_version=None,
            send=True,
        )
    assert "export_sales_mdp" in more.value.message_dict
    response.refresh_from_db()
    assert response.status == "pending" and response.sales_mdp is None  # nothing saved
    with pytest.raises(ValidationError):
        services.response_save(
            actor=world.sme_user,
            response=response,
            data={},
            anchor_sales={world.anchor.pk: D("-3")},
            expected_version=None,
        )
    services.response_save(actor=world.staff, response=response, data={"new_customers": 1}, expected_version=None)
    with pytest.raises(StaleObjectError):
        services.response_save(actor=world.sme_user, response=response, data={}, expected_version=1)


def test_sales_ten_times_the_previous_are_confirmed_not_refused():
    world = OutcomesWorld()
    baseline = services.round_open(actor=world.staff, round_=schedule(world))
    first = baseline.responses.get(supplier=world.sme)
    services.response_save(actor=world.sme_user, response=first, data=COMPLETE, expected_version=None, send=True)
    services.round_close(actor=world.staff, round_=baseline)
    follow = services.round_open(
        actor=world.staff, round_=schedule(world, kind=OutcomeRound.Kind.FOLLOW_UP, start=datetime.date(2025, 7, 1))
    )
    response = follow.responses.get(supplier=world.sme)
    jump = {**COMPLETE, "sales_mdp": D("121")}
    with pytest.raises(ValidationError) as confirm:
        services.response_save(actor=world.sme_user, response=response, data=jump, expected_version=None, send=True)
    assert "sales_confirmed" in confirm.value.message_dict
    services.response_save(
        actor=world.sme_user,
        response=response,
        data={**jump, "sales_confirmed": True},
        expected_version=None,
        send=True,
    )
    assert OutcomeResponse.objects.get(pk=response.pk).status == "submitted"


def test_reminders_weekly_until_sent_or_closed_and_respect_preferences():
    world = OutcomesWorld()
    round_ = schedule(world)
    assert services.send_reminders(today=TODAY) == {"opened": 1, "reminded": 0}
    assert OutboundMessage.objects.filter(template="outcome_round_open").count() == 7
    response = round_.responses.get(supplier=world.sme)
    services.response_save(actor=world.sme_user, response=response, data=COMPLETE, expected_version=None, send=True)
    quiet = round_.responses.exclude(supplier=world.sme).first()
    NotificationPreference.objects.create(
        user=quiet.supplier.contacts.get().user, reminder="outcome_survey", by_email=False
    )
    week = TODAY + datetime.timedelta(days=7)
    assert services.send_reminders(today=week)["reminded"] == 5  # not the one that answered nor the quiet one
    assert services.send_reminders(today=week)["reminded"] == 0  # once a week
    assert services.send_reminders(today=week + datetime.timedelta(days=3))["reminded"] == 0
    assert services.send_reminders(today=week + datetime.timedelta(days=7))["reminded"] == 5
    round_.refresh_from_db()
    assert services.round_chase(actor=world.staff, round_=round_) == 5  # now, whatever the week
    services.round_close(actor=world.staff, round_=round_)
    assert services.send_reminders(today=week + datetime.timedelta(days=14))["reminded"] == 0
    with pytest.raises(ValidationError):
        services.round_chase(actor=world.staff, round_=round_)


def test_closing_a_follow_up_stores_estimates():
    world = OutcomesWorld(selected=4, waitlisted=3)
    baseline = services.round_open(actor=world.staff, round_=schedule(world))
    follow = schedule(world, kind=OutcomeRound.Kind.FOLLOW_UP, start=datetime.date(2025, 7, 1))
    for response in baseline.responses.all():
        services.response_save(actor=world.staff, response=response, data=COMPLETE, expected_version=None, send=True)
    services.round_close(actor=world.staff, round_=baseline)
    assert not ImpactEstimate.objects.filter(round=baseline).exists()
    services.round_open(actor=world.staff, round_=follow)
    for response in follow.responses.all():
        extra = D("3") if response.group == "selected" else D("1")
        data = {**COMPLETE, "sales_mdp": COMPLETE["sales_mdp"] + extra + D(response.pk % 3) / 10}
        services.response_save(actor=world.staff, response=response, data=data, expected_version=None, send=True)
    follow.refresh_from_db()
    services.round_close(actor=world.staff, round_=follow)
    sales = ImpactEstimate.objects.get(round=follow, outcome="sales_mdp", method="did")
    selected = [r.sales_mdp for r in follow.responses.filter(group="selected")]
    comparison = [r.sales_mdp for r in follow.responses.filter(group="comparison")]
    expected = float(sum(selected) / len(selected) - sum(comparison) / len(comparison))
    assert sales.estimate == pytest.approx(expected)
    assert (sales.n_selected, sales.n_comparison) == (4, 5)
    assert "few_smes" in sales.cautions
    assert sales.means["selected"]["n_after"] == 4
    assert not ImpactEstimate.objects.filter(method="fuzzy_rd").exists()  # fewer than 20 each side
