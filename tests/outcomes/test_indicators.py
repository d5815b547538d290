"""Indicator values per round by SQL, checked against a plain recomputation, with small cells suppressed."""

import datetime
from decimal import Decimal as D

import pytest

from outcomes import services
from outcomes.indicators import BY_CODE, CATALOGUE, indicator_rows
from outcomes.models import OutcomeRound
from support.models import DevelopmentPlan, Milestone, PlanItem

from .factories import OutcomesWorld
from .test_rounds import COMPLETE, schedule

pytestmark = pytest.mark.django_db


def answered_world():
    world = OutcomesWorld(selected=6, waitlisted=3)  # 6 selected; 3 waitlisted + 2 near = 5 comparison
    round_ = services.round_open(actor=world.staff, round_=schedule(world))
    for i, response in enumerate(round_.responses.order_by("pk")):
        data = {
            **COMPLETE,
            "sales_mdp": D(10 + i),
            "employees_women": i,
            "employees_men": 10,
            "women_in_management": min(i, 1),
        }
        if i % 2:
            data["national_content_share"] = D(40 + i)
        anchors = {world.anchor.pk: D("1")} if i % 2 else None
        services.response_save(
            actor=world.staff, response=response, data=data, anchor_sales=anchors, expected_version=None, send=True
        )
    return world, round_


def test_values_match_a_plain_recomputation_and_small_cells_are_hidden():
    world, round_ = answered_world()
    candidate = world.candidates["selected"][0]
    plan = DevelopmentPlan.objects.create(candidate=candidate)
    item = PlanItem.objects.create(
        plan=plan, kind=PlanItem.Kind.CERTIFICATION, title="IATF", standard=_standard(), status=PlanItem.Status.DONE
    )
    Milestone.objects.create(
        item=item, step=Milestone.Step.CERTIFICATE, reached_on=round_.period_start + datetime.timedelta(days=10)
    )
    services.responses_record_sources(round_=round_)
    rows = indicator_rows([round_])
    get = {(r["indicator"], r["group"], r["breakdown"], r["level"]): r for r in rows}
    responses = list(round_.responses.all())
    for group in ("selected", "comparison"):
        mine = [r for r in responses if r.group == group]
        sales = get[("sales_mdp", group, "all", "all")]
        assert sales["value"] == pytest.approx(float(sum(r.sales_mdp for r in mine)))
        assert sales["n_smes"] == len(mine)
        women = get[("employees", group, "sex", "women")]
        assert women["value"] == sum(r.employees_women for r in mine)
        assert get[("employees", group, "all", "all")]["value"] == sum(r.employees for r in mine)
        shares = [r.national_content_share for r in mine if r.national_content_share is not None]
        content = get[("national_content_share", group, "all", "all")]
        if len(mine) >= 5:
            assert content["value"] == pytest.approx(float(sum(shares) / len(shares)))
    certs = get[("certifications_obtained", "selected", "all", "all")]
    assert certs["value"] == 1  # answered 0 each, plus one recorded in a plan
    # Sales to the anchor: 3 selected and 2 comparison SMEs sold to it: fewer than 5 each, hidden.
    anchor = get[("anchor_sales_mdp", "selected", "anchor", world.anchor.name)]
    assert anchor["suppressed"] and anchor["value"] is None and anchor["n_smes"] is None
    # Every indicator of the catalogue is there for both groups.
    assert {r["indicator"] for r in rows} == set(BY_CODE)
    assert all(r["n_smes"] is None or r["n_smes"] >= 5 for r in rows)


def _standard():
    from programs.models import CertificationStandard

    return CertificationStandard.objects.get_or_create(code="iatf-16949", defaults={"name": "IATF 16949"})[0]


def test_catalogue_names_in_both_languages():
    for indicator in CATALOGUE:
        names = indicator.names()
        assert names["es"] and names["en"]
    assert BY_CODE["employees"].names() == {"es": "Empleos", "en": "Jobs"}


def test_a_hidden_state_cannot_be_worked_out_from_the_total():
    world, round_ = answered_world()
    from programs.models import State

    other = State.objects.exclude(pk=world.sme.state_id).first() or State.objects.create(
        code="19", name="Nuevo León", abbreviation="NL", region=world.sme.state.region
    )
    selected = round_.responses.filter(group="selected").order_by("pk")
    moved = selected.first().supplier
    moved.state = other
    moved.save()
    rows = [r for r in indicator_rows([round_]) if r["indicator"] == "sales_mdp" and r["group"] == "selected"]
    by_state = [r for r in rows if r["breakdown"] == "state"]
    hidden = [r for r in by_state if r["suppressed"]]
    assert len(hidden) != 1
    assert not [r for r in by_state if r["level"] == other.name and not r["suppressed"]]
    assert OutcomeRound.objects.count() == 1
