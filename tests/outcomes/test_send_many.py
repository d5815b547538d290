"""Sending many answers at once (``responses_send_many``) and reminding many SMEs at once (``round_open``) store
exactly what sending each answer by ``response_save`` stores: the same answers, versions, audit, company facts and
classes, and, once the round closes, the same estimates and indicator values. The seeded demo rounds, sent
together, equal the same rounds sent one by one."""

import datetime
import random
from decimal import Decimal as D

import pytest
from django.contrib.contenttypes.models import ContentType
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import connection, transaction
from django.test.utils import CaptureQueriesContext

from core.models import AuditEvent, OutboundMessage
from demo.builder import DemoBuilder
from demo.outcomes import seed_outcomes
from outcomes import services
from outcomes.models import CompanyClass, ImpactEstimate, IndicatorValue, OutcomeResponse, OutcomeRound
from suppliers.models import Supplier
from tests.bench.seeded import through_first_cohort

from .factories import OutcomesWorld

pytestmark = pytest.mark.django_db
TODAY = datetime.date(2026, 7, 1)


class Rollback(Exception):
    pass


def snapshot() -> dict:
    """What the rounds stored, keyed by what stays the same when the same steps run again (round names, SMEs)."""
    rounds = dict(OutcomeRound.objects.values_list("pk", "name"))
    response_keys = {
        pk: (rounds[r], s) for pk, r, s in OutcomeResponse.objects.values_list("pk", "round_id", "supplier_id")
    }
    skip = {"id", "round", "created_at", "updated_at", "submitted_at"}
    fields = [f.attname for f in OutcomeResponse._meta.concrete_fields if f.name not in skip]
    responses = sorted(
        (rounds[row.pop("round_id")], *row.values()) for row in OutcomeResponse.objects.values("round_id", *fields)
    )
    kinds = {ContentType.objects.get_for_model(m).pk: m for m in (OutcomeResponse, OutcomeRound, Supplier)}

    def subject(content_type_id, object_id):
        model = kinds.get(content_type_id)
        if model is OutcomeResponse:
            return ("response", response_keys[int(object_id)])
        if model is OutcomeRound:
            return ("round", rounds[int(object_id)])
        return (str(content_type_id), object_id)

    events = sorted(
        (subject(ct, oid), action, a, b, repr(sorted(changes.items())), reason, actor)
        for ct, oid, action, a, b, changes, reason, actor in AuditEvent.objects.values_list(
            "content_type_id", "object_id", "action", "from_state", "to_state", "changes", "reason", "actor_id"
        )
    )
    facts = list(
        Supplier.objects.order_by("pk").values_list("pk", "version", *OutcomeResponse.FACT_FIELDS, "women_board_share")
    )
    classes = sorted(
        CompanyClass.objects.values_list(
            "supplier_id", "dof_size", "ifc_size", "ifc_size_parts", "mxn_per_usd", "women_class", "women_class_on"
        )
    )
    messages = sorted(OutboundMessage.objects.values_list("template", "recipient", "language", "subject"))
    indicators = sorted(
        (rounds[r], *rest)
        for r, *rest in IndicatorValue.objects.values_list(
            "round_id", "indicator", "group", "breakdown", "level", "value", "n_smes", "suppressed", "position"
        )
    )
    estimates = sorted(
        (rounds[r], *rest)
        for r, *rest in ImpactEstimate.objects.values_list(
            "round_id", "outcome", "method", "estimate", "std_error", "ci_low", "ci_high", "n_selected", "n_comparison"
        )
    )
    return {
        "responses": responses,
        "events": events,
        "facts": facts,
        "classes": classes,
        "messages": messages,
        "indicators": indicators,
        "estimates": estimates,
    }


def both_ways(run_one_by_one, run_together) -> tuple[dict, dict]:
    """The snapshot after ``run_one_by_one`` (then rolled back) and after ``run_together`` on the same data."""
    try:
        with transaction.atomic():
            run_one_by_one()
            one_by_one = snapshot()
            raise Rollback
    except Rollback:
        pass
    run_together()
    return one_by_one, snapshot()


def answers_of(round_: OutcomeRound, t: int) -> dict[int, dict]:
    rng = random.Random(t)
    answers = {}
    for response in round_.responses.order_by("pk"):
        sales = D(rng.randint(5, 40)) + D(t) * (2 if response.group == "selected" else 0)
        women = rng.randint(1, 12)
        data = {
            "sales_mdp": sales,
            "export_sales_mdp": (sales / 4).quantize(D("0.001")),
            "employees_women": women,
            "employees_men": rng.randint(5, 30),
            "women_in_management": rng.randint(0, women),
            "new_customers": rng.randint(0, 3),
            "financing_obtained_mdp": D("0"),
            "certifications_obtained": rng.randint(0, 1),
        }
        if rng.random() < 0.6:  # company facts: some change the SME's record, some say what it already says
            data |= {
                "total_assets_mdp": D(rng.choice([3, 12, 40])),
                "women_ownership_share": D(rng.choice([0, 30, 60])),
                "woman_ceo_or_coo": rng.random() < 0.5,
                "has_board": rng.random() < 0.5,
            }
        answers[response.pk] = data
    return answers


def open_round(world, kind=OutcomeRound.Kind.BASELINE, start=datetime.date(2025, 1, 1)) -> OutcomeRound:
    round_ = services.round_schedule(
        actor=world.staff,
        cohort=world.cohort,
        kind=kind,
        name=f"{kind} {start}",
        period_start=start,
        period_end=start + datetime.timedelta(days=180),
        opens_on=TODAY,
        closes_on=TODAY + datetime.timedelta(days=30),
    )
    return services.round_open(actor=world.staff, round_=round_, today=TODAY)


def test_sending_together_stores_what_sending_one_by_one_stores():
    world = OutcomesWorld(selected=4, waitlisted=3)
    baseline = open_round(world)
    for response in baseline.responses.all():
        services.response_save(
            actor=world.staff,
            response=response,
            data=answers_of(baseline, 0)[response.pk],
            expected_version=None,
            send=True,
        )
    services.round_close(actor=world.staff, round_=OutcomeRound.objects.get(pk=baseline.pk))
    follow = open_round(world, kind=OutcomeRound.Kind.FOLLOW_UP, start=datetime.date(2025, 7, 1))
    # One SME saved a draft first; one does not answer.
    first, *rest = list(follow.responses.order_by("pk"))
    services.response_save(actor=world.staff, response=first, data={"new_customers": 1}, expected_version=None)
    answers = answers_of(follow, 1)
    del answers[rest[-1].pk]

    def one_by_one():
        for response in OutcomeResponse.objects.filter(pk__in=list(answers)).order_by("pk"):
            services.response_save(
                actor=world.staff, response=response, data=answers[response.pk], expected_version=None, send=True
            )
        services.round_close(actor=world.staff, round_=OutcomeRound.objects.get(pk=follow.pk))

    def together():
        assert services.responses_send_many(actor=world.staff, round_=follow, answers=answers) == len(answers)
        services.round_close(actor=world.staff, round_=OutcomeRound.objects.get(pk=follow.pk))

    expected, got = both_ways(one_by_one, together)
    assert got == expected
    assert got["estimates"] and got["indicators"] and any(e[1] == "company_facts_updated" for e in got["events"])


def test_one_answer_that_does_not_pass_refuses_them_all():
    world = OutcomesWorld()
    round_ = open_round(world)
    answers = answers_of(round_, 0)
    bad = min(answers)
    answers[bad] = {**answers[bad], "export_sales_mdp": answers[bad]["sales_mdp"] + 1}
    with pytest.raises(ValidationError) as refused:
        services.responses_send_many(actor=world.staff, round_=round_, answers=answers)
    assert str(bad) in refused.value.message_dict
    assert not round_.responses.filter(status="submitted").exists()
    with pytest.raises(PermissionDenied):  # only program staff send for others
        services.responses_send_many(actor=world.sme_user, round_=round_, answers={bad: answers[bad]})


def test_sending_together_takes_the_same_statements_for_more_answers():
    def statements(selected):
        world = OutcomesWorld(selected=selected, waitlisted=2)
        round_ = open_round(world)
        # Each count from the same content type cache: a test before this one on the worker may have emptied it.
        ContentType.objects.clear_cache()
        with CaptureQueriesContext(connection) as queries:
            services.responses_send_many(actor=world.staff, round_=round_, answers=answers_of(round_, 0))
        return len(queries)

    assert statements(2) == statements(9)


def test_opening_a_round_reminds_every_sme_at_once():
    world = OutcomesWorld(selected=3)
    round_ = services.round_schedule(
        actor=world.staff,
        cohort=world.cohort,
        kind=OutcomeRound.Kind.BASELINE,
        name="Línea base",
        period_start=datetime.date(2025, 1, 1),
        period_end=datetime.date(2025, 6, 30),
        opens_on=TODAY,
        closes_on=TODAY + datetime.timedelta(days=30),
    )
    before = OutboundMessage.objects.count()
    services.round_open(actor=world.staff, round_=round_, today=TODAY)
    n = round_.responses.count()
    assert OutboundMessage.objects.count() - before == n
    assert set(round_.responses.values_list("reminders_sent", "last_reminded_on")) == {(1, TODAY)}
    assert services.round_chase(actor=world.staff, round_=round_) == n
    assert services.round_chase(actor=world.staff, round_=round_) == n  # same day: counted, not written twice
    assert OutboundMessage.objects.filter(template="outcome_round_reminder").count() == n


def test_the_seeded_rounds_sent_together_equal_them_sent_one_by_one():
    _builder, program = through_first_cohort(160)
    staff = DemoBuilder.LOGINS["program staff"][0]
    expected, got = both_ways(
        lambda: seed_outcomes(program=program, staff_username=staff, one_by_one=True),
        lambda: seed_outcomes(program=program, staff_username=staff),
    )
    assert got == expected
    assert len({r[0] for r in got["responses"]}) == 3 and got["estimates"]
