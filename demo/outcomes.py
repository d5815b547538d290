"""Demo follow-up of the 2025 cohort: a baseline and two past follow-up rounds for its selected SMEs and its
comparison group, answered with a known simulated effect, so the impact page shows something checkable.

The effect: a selected SME's half-year sales grow by ``SALES_EFFECT`` million pesos per round more than they would
have (both groups share a 4 % trend), and it adds ``JOBS_EFFECT`` jobs per round (one of them held by a woman).
About 85 % of the SMEs answer each round.
"""

from __future__ import annotations

import datetime
import random
from decimal import Decimal

from django.contrib.auth import get_user_model
from django.db import transaction

from cohorts.models import Candidate, Cohort
from outcomes import services
from outcomes.models import OutcomeRound

SALES_EFFECT = Decimal("1.5")
JOBS_EFFECT = 2
ANSWER_RATE = 0.85
ROUNDS = (
    ("baseline", "Línea base 2025", datetime.date(2025, 1, 1), datetime.date(2025, 6, 30)),
    ("follow_up", "Seguimiento 2025-2", datetime.date(2025, 7, 1), datetime.date(2025, 12, 31)),
    ("follow_up", "Seguimiento 2026-1", datetime.date(2026, 1, 1), datetime.date(2026, 6, 30)),
)


def seed_outcomes(*, program, staff_username: str, seed: int = 2025, one_by_one: bool = False) -> int:
    """The three rounds of the 2025 cohort, once (nothing when it has no selected SMEs or already has rounds).
    The answers are sent together by ``responses_send_many``; ``one_by_one`` sends each by ``response_save``
    instead, as an SME would (the same rows: tests/outcomes/test_demo.py compares them)."""
    cohort = Cohort.objects.filter(program=program, name="Cohorte 2025").first()
    if cohort is None or OutcomeRound.objects.filter(cohort=cohort).exists():
        return 0
    if not cohort.candidates.filter(status=Candidate.Status.SELECTED).exists():
        return 0
    staff = get_user_model().objects.get(username=staff_username)
    rng = random.Random(seed)
    with transaction.atomic():
        for t, (kind, name, start, end) in enumerate(ROUNDS):
            round_ = services.round_schedule(
                actor=staff,
                cohort=cohort,
                kind=kind,
                name=name,
                period_start=start,
                period_end=end,
                opens_on=end + datetime.timedelta(days=1),
                closes_on=end + datetime.timedelta(days=31),
            )
            services.round_open(actor=staff, round_=round_, today=round_.opens_on)
            _send_answers(round_, t, rng, seed, staff, one_by_one=one_by_one)
            round_.refresh_from_db()
            services.round_close(actor=staff, round_=round_)
    return len(ROUNDS)


def _send_answers(round_, t: int, rng: random.Random, seed: int, staff, *, one_by_one: bool = False) -> int:
    """About 85 % of the round's SMEs send their answers (``_answers``); returns how many."""
    answered = []
    for response in round_.responses.select_related("supplier").order_by("pk").iterator(chunk_size=2000):
        if rng.random() > ANSWER_RATE:
            continue
        answered.append((response, _answers(response, t, random.Random(f"{seed}:{response.supplier_id}:{t}"))))
    if one_by_one:
        for response, data in answered:
            services.response_save(actor=staff, response=response, data=data, expected_version=None, send=True)
    else:
        services.responses_send_many(actor=staff, round_=round_, answers={r.pk: data for r, data in answered})
    return len(answered)


def _answers(response, t: int, rng: random.Random) -> dict:
    supplier = response.supplier
    selected = response.group == "selected"
    half_year = supplier.annual_sales_mdp / 2
    sales = half_year * Decimal(1 + 0.04 * t) + (SALES_EFFECT * t if selected else 0)
    sales = max(Decimal("0.1"), sales + Decimal(str(round(rng.gauss(0, float(half_year) * 0.05), 3))))
    jobs = supplier.employees + (JOBS_EFFECT * t if selected else 0)
    women = round(jobs * 0.3) + (t if selected else 0)
    return {
        "sales_mdp": sales.quantize(Decimal("0.001")),
        "export_sales_mdp": (sales * supplier.export_share / 100).quantize(Decimal("0.001")),
        "employees_women": women,
        "employees_men": max(jobs - women, 0),
        "women_in_management": min(women, 1 + rng.randint(0, 2)),
        "new_customers": rng.randint(0, 3) + (1 if selected and t else 0),
        "financing_obtained_mdp": Decimal("0"),
        "certifications_obtained": 0,
        "total_assets_mdp": (supplier.annual_sales_mdp * Decimal("0.6")).quantize(Decimal("0.001")),
        "women_ownership_share": Decimal(rng.choice([0, 0, 10, 25, 50, 60])),
        "woman_ceo_or_coo": rng.random() < 0.25,
        "has_board": False,
    }


def seed_more_follow_ups(*, program, staff_username: str, follow_ups: int, seed: int = 2025) -> int:
    """Bring the 2025 cohort to ``follow_ups`` closed follow-up rounds (every six months after the last one), each
    answered by about 85 % of its selected SMEs and comparison group with the same simulated effect: the data set
    ``bench/run.py survey`` measures the outcomes pages on. Every step goes through the services (the answers
    sent together by ``responses_send_many``), so each round's answers, audit, figures from other modules,
    estimates and indicator values are stored as in real use. Returns the rounds added."""
    cohort = Cohort.objects.filter(program=program, name="Cohorte 2025").first()
    if cohort is None or not OutcomeRound.objects.filter(cohort=cohort, kind=OutcomeRound.Kind.BASELINE).exists():
        return 0
    staff = get_user_model().objects.get(username=staff_username)
    rounds = OutcomeRound.objects.filter(cohort=cohort)
    have = rounds.filter(kind=OutcomeRound.Kind.FOLLOW_UP).count()
    rng = random.Random(f"{seed}:more")
    added = 0
    for t in range(have + 1, follow_ups + 1):
        last = rounds.order_by("-period_end").first()
        start = last.period_end + datetime.timedelta(days=1)
        end = (start + datetime.timedelta(days=200)).replace(day=1) - datetime.timedelta(days=1)
        with transaction.atomic():
            round_ = services.round_schedule(
                actor=staff,
                cohort=cohort,
                kind=OutcomeRound.Kind.FOLLOW_UP,
                name=f"Seguimiento {end.year}-{1 if end.month <= 6 else 2}",
                period_start=start,
                period_end=end,
                opens_on=end + datetime.timedelta(days=1),
                closes_on=end + datetime.timedelta(days=31),
            )
            services.round_open(actor=staff, round_=round_, today=round_.opens_on)
            _send_answers(round_, t, rng, seed, staff)
            round_.refresh_from_db()
            services.round_close(actor=staff, round_=round_)
        added += 1
    return added
