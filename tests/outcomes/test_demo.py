"""seed_demo's follow-up of the 2025 cohort: three rounds, answered with a known effect that the stored estimate
recovers within its interval, and the same figure recomputed from the answers by hand."""

from io import StringIO

import pytest
from django.core.management import call_command

from demo.outcomes import ROUNDS, SALES_EFFECT
from outcomes.models import ImpactEstimate, OutcomeResponse, OutcomeRound

pytestmark = pytest.mark.django_db


def test_demo_rounds_show_the_known_effect():
    call_command("seed_demo", size=160, stdout=StringIO())
    rounds = list(OutcomeRound.objects.order_by("period_end"))
    assert [r.name for r in rounds] == [name for _k, name, _s, _e in ROUNDS]
    assert all(r.status == "closed" for r in rounds)
    baseline, last = rounds[0], rounds[-1]
    groups = set(baseline.responses.values_list("group", flat=True))
    assert groups == {"selected", "comparison"}
    estimate = ImpactEstimate.objects.get(round=last, outcome="sales_mdp", method="did")
    assert estimate.ci_low <= float(SALES_EFFECT * 2) <= estimate.ci_high

    def mean(round_, group):
        values = [
            float(v)
            for v in OutcomeResponse.objects.filter(round=round_, group=group, status="submitted").values_list(
                "sales_mdp", flat=True
            )
        ]
        return sum(values) / len(values)

    by_hand = (mean(last, "selected") - mean(baseline, "selected")) - (
        mean(last, "comparison") - mean(baseline, "comparison")
    )
    assert estimate.estimate == pytest.approx(by_hand, rel=1e-9)
    # seeding again adds nothing
    call_command("seed_demo", size=160, stdout=StringIO())
    assert OutcomeRound.objects.count() == 3
