"""How the optimizer run stores each candidate's reason (``cohorts.services.proposal._store_reasons``): one
statement whose rows must equal ``from_message`` of each reason, clear the candidates the run did not
consider, and leave rows already holding their reason unwritten."""

import random
from decimal import Decimal

import pytest
from django.db import connection

from cohorts import services
from cohorts.models import Candidate
from cohorts.selection import Message
from cohorts.services.proposal import _store_reasons
from cohorts.services.reasons import from_message
from tests.cohorts.world import World

pytestmark = pytest.mark.django_db

TEMPLATES = [
    "Not selected: growth potential %(score)s is below the lowest selected one (%(cut)s).",
    "Sí: el área '%(area)s' \\ tiene 100%% de %(n)d lugares, \"llena\".",
    "Selected: pinned by program staff.",
]
VALUES = [
    "81.25",
    "",
    "Bajío \\ \"norte\" 'x'",
    0,
    -7,
    2**40,
    1.5,
    True,
    Decimal("40.10"),
    None,
    ("a", 1),
    Message("%(x)s", x="inner"),
]


def _random_reason(rng: random.Random):
    if rng.random() < 0.1:
        return "A plain text reason, no template"
    params = {key: rng.choice(VALUES) for key in rng.sample(["score", "cut", "area", "n", "cap"], rng.randint(0, 3))}
    return _message(rng.choice(TEMPLATES), params)


def _message(template: str, params: dict) -> Message:
    message = Message("%(x)s", x="")  # the text does not matter here, the template and parameters do
    message.template, message.params = template, params
    return message


def _stored(cohort) -> dict[int, tuple]:
    with connection.cursor() as cursor:
        cursor.execute("SELECT id, ctid::text FROM cohorts_candidate WHERE cohort_id = %s", [cohort.pk])
        versions = dict(cursor.fetchall())
    return {
        pk: (reason, versions[pk])
        for pk, reason in Candidate.objects.filter(cohort=cohort).values_list("pk", "proposal_reason")
    }


@pytest.mark.parametrize("seed", range(5))
def test_stored_reasons_equal_from_message_and_unchanged_rows_are_not_written(staff_user, seed):
    rng = random.Random(seed)
    world = World(k=3)
    for i in range(12):
        world.sme(score=40 + i, name=f"s{i}")
    world.sme(score=90, size="grande", name="big")  # ineligible: never considered by the run
    services.cohort_build_candidates(cohort=world.cohort, actor=staff_user)
    cohort = world.cohort
    ids = sorted(Candidate.objects.filter(cohort=cohort, is_eligible=True).values_list("pk", flat=True))
    left_out = Candidate.objects.get(cohort=cohort, is_eligible=False)
    Candidate.objects.filter(pk=left_out.pk).update(proposal_reason={"template": "from an earlier run", "params": {}})

    considered = rng.sample(ids, len(ids) - 2)  # two eligible candidates are not in this run either
    reasons = {pk: _random_reason(rng) for pk in considered}
    _store_reasons(cohort, reasons)
    stored = _stored(cohort)
    for pk, message in reasons.items():
        assert stored[pk][0] == from_message(message), (pk, message.__dict__)
    assert all(stored[pk][0] == {} for pk in stored if pk not in reasons)

    # The same reasons again: nothing is written. One changed reason: only its row is.
    _store_reasons(cohort, reasons)
    assert _stored(cohort) == stored
    changed = considered[0]
    reasons[changed] = _message(TEMPLATES[0], {"score": "1.00", "cut": "2.00"})
    _store_reasons(cohort, reasons)
    again = _stored(cohort)
    assert again[changed][0] == {"template": TEMPLATES[0], "params": {"score": "1.00", "cut": "2.00"}}
    assert again[changed][1] != stored[changed][1]
    assert {pk: v for pk, v in again.items() if pk != changed} == {pk: v for pk, v in stored.items() if pk != changed}


def test_a_run_without_reasons_clears_the_cohort(staff_user):
    world = World(k=3)
    world.sme(score=80, name="s0")
    services.cohort_build_candidates(cohort=world.cohort, actor=staff_user)
    Candidate.objects.filter(cohort=world.cohort).update(proposal_reason={"template": "old", "params": {}})
    _store_reasons(world.cohort, {})
    assert list(Candidate.objects.filter(cohort=world.cohort).values_list("proposal_reason", flat=True)) == [{}]
