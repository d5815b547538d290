"""The set-based ranking (``sourcing.services.ranking_sql``) gives exactly what the pure functions of
``sourcing.matching`` (the reference) give over the profiles read row by row (``profiles_for``): on random
SMEs (areas, certifications held, expired or planned, diagnostics with missing and incomplete dimensions,
sales, states, cohort selections, purchase orders won) and random opportunities, the same candidates in the
same order, with equal scores, parts, hard requirements and reasons. And the ranks kept up to date one SME at
a time (``supplier_rank``) stay what ranking the whole opportunity again stores."""

import datetime
import random
from decimal import Decimal

import pytest
from django.utils import timezone

from assessments.models import Diagnostic
from cohorts.models import Candidate
from programs.models import AreaRequirement, State
from sourcing import matching
from sourcing.models import AnchorVisibility, Invitation, Match, Opportunity
from sourcing.services.matching import opportunity_rank, supplier_rank
from sourcing.services.profiles import profiles_for, requirements_for
from sourcing.services.ranking_sql import ranked_rows
from sourcing.tasks import rank_for_supplier
from suppliers.models import Certification, Supplier
from support.models import DevelopmentPlan, PlanItem
from tests.assessments.factories import DiagnosticFactory
from tests.cohorts.factories import CandidateFactory, CohortFactory
from tests.programs.factories import (
    AnchorCompanyFactory,
    CertificationStandardFactory,
    CriticalSupplyAreaFactory,
    ProgramFactory,
    StateFactory,
)
from tests.suppliers.factories import SupplierFactory

pytestmark = [pytest.mark.django_db, pytest.mark.sql]

CODES = ("quality", "production", "supply_chain", "engineering")
# Minimums and scores that make the parts land on (or next to) half cents, and the odd ones.
MINIMUMS = [Decimal(x) for x in ("0", "40", "60", "66.67", "70", "75", "80", "85.5", "87.5", "90")]


def _cents(rng: random.Random, low: int, high: int) -> Decimal:
    return Decimal(rng.randint(low, high)) / 100


class RandomProgram:
    """A program with areas, certification standards, states, an anchor and SMEs with random facts."""

    def __init__(self, rng: random.Random, n: int = 45):
        self.rng = rng
        self.today = timezone.localdate()
        self.program = ProgramFactory()
        self.areas = [CriticalSupplyAreaFactory(program=self.program) for _ in range(4)]
        for area in self.areas:
            for code in rng.sample(CODES, rng.randint(0, 3)):
                AreaRequirement.objects.create(area=area, dimension_code=code, minimum_score=rng.choice(MINIMUMS))
        self.standards = [CertificationStandardFactory(code=c, name=c) for c in ("iso-9001", "iatf-16949", "iso-14001")]
        self.states = list(State.objects.order_by("code")[:6])
        while len(self.states) < 4:
            self.states.append(StateFactory())
        self.anchor = AnchorCompanyFactory(program=self.program, state=rng.choice(self.states))
        self.cohort = CohortFactory(program=self.program)
        self.earlier = CohortFactory(program=self.program, name="Anterior", year=2024)
        self.other_opportunity = self.opportunity()  # where purchase orders are won
        self.suppliers = [self.supplier() for _ in range(n)]
        SupplierFactory(program=ProgramFactory(), state=self.states[0])  # another program: never ranked

    def opportunity(self, **overrides) -> Opportunity:
        rng = self.rng
        fields = dict(
            anchor=self.anchor,
            title="Piezas",
            description="Piezas",
            part_family="Piezas",
            process="Estampado",
            annual_volume=1000,
            annual_value=rng.choice([Decimal("0"), _cents(rng, 1, 10**9), Decimal(rng.randint(1, 60) * 250000)]),
            currency=rng.choice(["MXN", "MXN", "USD"]),
            minimum_maturity_level=rng.choice([None, 1, 2, 3, 4]),
            delivery_state=rng.choice(self.states),
            delivery_plant="Planta",
            start_date=self.today + datetime.timedelta(days=90),
            response_deadline=self.today + datetime.timedelta(days=30),
            visibility="open",
        )
        opportunity = Opportunity.objects.create(**{**fields, **overrides})
        opportunity.areas.set(rng.sample(self.areas, rng.randint(1, 3)))
        opportunity.required_certifications.set(rng.sample(self.standards, rng.randint(0, 3)))
        return opportunity

    def supplier(self) -> Supplier:
        rng = self.rng
        supplier = SupplierFactory(
            program=self.program,
            state=rng.choice(self.states),
            status=rng.choice(["verified"] * 6 + ["submitted", "rejected"]),
            annual_sales_mdp=rng.choice([Decimal("0"), _cents(rng, 1, 30000), Decimal(rng.randint(1, 90))]),
        )
        supplier.supply_areas.set(rng.sample(self.areas, rng.randint(0, 3)))
        if rng.random() < 0.85:
            AnchorVisibility.objects.create(supplier=supplier, visible=rng.random() < 0.9, changed_at=timezone.now())
        self.shuffle_facts(supplier)
        return supplier

    def shuffle_facts(self, supplier: Supplier) -> None:
        """Give ``supplier`` new random certifications, plan items, diagnostic, selection and orders won."""
        rng = self.rng
        Certification.objects.filter(supplier=supplier).delete()
        for standard in rng.sample(self.standards, rng.randint(0, 3)):
            expires = rng.choice([None, self.today, self.today - datetime.timedelta(days=1), self.today.replace(2031)])
            Certification.objects.create(supplier=supplier, standard=standard, expires_on=expires)
        Candidate.objects.filter(supplier=supplier).delete()
        if rng.random() < 0.5:
            candidate = CandidateFactory(
                cohort=rng.choice([self.cohort, self.earlier]),
                supplier=supplier,
                status=rng.choice(["selected", "selected", "not_selected", "waitlisted"]),
            )
            plan = DevelopmentPlan.objects.create(candidate=candidate)
            for standard in rng.sample(self.standards, rng.randint(0, 3)):
                status = rng.choice(["planned", "in_progress", "done", "dropped"])
                PlanItem.objects.create(
                    plan=plan,
                    kind=rng.choice(["certification", "certification", "improvement"]),
                    title="Certificación",
                    standard=standard,
                    status=status,
                    drop_reason="Sin presupuesto" if status == "dropped" else "",
                    completed_on=self.today if status == "done" else None,
                )
        Diagnostic.objects.filter(supplier=supplier).delete()
        if rng.random() < 0.85:
            scores = {}
            for code in rng.sample(CODES, rng.randint(0, 4)):
                scores[code] = rng.choice([None, f"{_cents(rng, 0, 10000):.2f}", f"{rng.choice(MINIMUMS):.2f}"])
            DiagnosticFactory(
                supplier=supplier,
                status="scored",
                maturity_level=rng.choice([None, 1, 2, 3, 4, 5]),
                is_current_baseline=rng.random() < 0.9,
                scores_by_dimension=scores,
            )
        Invitation.objects.filter(supplier=supplier, opportunity=self.other_opportunity).delete()
        if rng.random() < 0.3:
            Invitation.objects.create(
                opportunity=self.other_opportunity,
                supplier=supplier,
                status=rng.choice(["purchase_order", "supplying", "quoted", "lost"]),
            )

    def change(self, supplier: Supplier) -> None:
        """One random change of the data the ranking reads."""
        rng = self.rng
        what = rng.choice(["facts", "areas", "sales", "state", "visible", "status"])
        if what == "facts":
            self.shuffle_facts(supplier)
        elif what == "areas":
            supplier.supply_areas.set(rng.sample(self.areas, rng.randint(0, 3)))
        elif what == "sales":
            Supplier.objects.filter(pk=supplier.pk).update(annual_sales_mdp=_cents(rng, 0, 30000))
        elif what == "state":
            Supplier.objects.filter(pk=supplier.pk).update(state=rng.choice(self.states))
        elif what == "visible":
            AnchorVisibility.objects.update_or_create(
                supplier=supplier, defaults={"visible": rng.random() < 0.7, "changed_at": timezone.now()}
            )
        else:
            Supplier.objects.filter(pk=supplier.pk).update(status=rng.choice(["verified", "verified", "rejected"]))


def reference(opportunity: Opportunity) -> list[matching.Fit]:
    req = requirements_for(opportunity)
    return matching.rank(req, profiles_for(opportunity, req))


def as_rows(fits) -> list[tuple]:
    return [(f.supplier_id, f.score, f.meets_requirements, f.parts, f.reasons) for f in fits]


@pytest.mark.parametrize("seed", [1, 2, 3, 4])
def test_the_sql_ranking_equals_the_pure_functions(seed, settings):
    settings.SDP_MXN_PER_USD = Decimal("17.3")
    rng = random.Random(seed)
    world = RandomProgram(rng)
    seen = set()
    for _ in range(6):
        opportunity = world.opportunity()
        req = requirements_for(opportunity)
        expected = reference(opportunity)
        seen |= {f.meets_requirements for f in expected}
        assert as_rows(ranked_rows(opportunity, req, limit=10**6)) == as_rows(expected)
        # The first ``limit`` plus the kept ones, in ranking order.
        limit = rng.randint(0, 8)
        keep = {rng.choice(world.suppliers).pk for _ in range(4)}
        kept = [f for i, f in enumerate(expected) if i < limit or f.supplier_id in keep]
        assert as_rows(ranked_rows(opportunity, req, limit=limit, keep=keep)) == as_rows(kept)
        # One SME.
        sme = rng.choice(world.suppliers)
        assert as_rows(ranked_rows(opportunity, req, limit=1, supplier_id=sme.pk)) == as_rows(
            [f for f in expected if f.supplier_id == sme.pk]
        )
    assert seen == {True, False}  # the data reaches both sides of the hard requirements


def stored(opportunity: Opportunity) -> list[tuple]:
    return list(
        Match.objects.filter(opportunity=opportunity)
        .order_by("rank")
        .values_list("rank", "supplier_id", "score", "meets_requirements", "parts", "reasons", "shortlisted")
    )


def expected_store(opportunity: Opportunity, limit: int) -> list[tuple]:
    """What ranking the whole opportunity would store now (computed without writing)."""
    shortlisted = set(
        Match.objects.filter(opportunity=opportunity, shortlisted=True).values_list("supplier_id", flat=True)
    )
    fits = reference(opportunity)
    kept = [f for i, f in enumerate(fits) if i < limit or f.supplier_id in shortlisted]
    return [
        (position, f.supplier_id, f.score, f.meets_requirements, f.parts, f.reasons, f.supplier_id in shortlisted)
        for position, f in enumerate(kept, start=1)
    ]


@pytest.mark.parametrize("seed", [5, 6, 7])
def test_ranks_kept_up_to_date_one_sme_at_a_time_equal_a_full_ranking(seed, settings):
    rng = random.Random(seed)
    settings.SDP_SOURCING_MATCH_LIMIT = limit = rng.choice([3, 5, 8])
    world = RandomProgram(rng, n=30)
    opportunities = [world.opportunity() for _ in range(3)]
    for opportunity in opportunities:
        opportunity_rank(opportunity_id=opportunity.pk)
        for match in Match.objects.filter(opportunity=opportunity).order_by("?")[:2]:
            Match.objects.filter(pk=match.pk).update(shortlisted=True)
    outcomes = set()
    for step in range(40):
        sme = rng.choice(world.suppliers)
        world.change(sme)
        rank_for_supplier(sme.pk)
        for opportunity in opportunities:
            assert stored(opportunity) == expected_store(opportunity, limit), (step, opportunity.pk, sme.pk)
        outcomes.add(supplier_rank(opportunity_id=opportunities[0].pk, supplier_id=sme.pk))
    assert "updated" in outcomes


def test_an_sme_that_leaves_a_full_list_brings_the_next_one_in(settings):
    settings.SDP_SOURCING_MATCH_LIMIT = 2
    world = RandomProgram(random.Random(11), n=0)
    area = world.areas[0]
    smes = []
    for sales in ("10", "15", "30"):  # capacity 57.14, 85.71, 100: the bigger the sales, the better the fit
        supplier = SupplierFactory(program=world.program, state=world.states[0], annual_sales_mdp=Decimal(sales))
        supplier.supply_areas.set([area])
        AnchorVisibility.objects.create(supplier=supplier, visible=True, changed_at=timezone.now())
        smes.append(supplier)
    opportunity = world.opportunity(annual_value=Decimal("6000000"), currency="MXN")
    opportunity.areas.set([area])
    opportunity.required_certifications.set([])
    opportunity_rank(opportunity_id=opportunity.pk)
    assert [row[1] for row in stored(opportunity)] == [smes[2].pk, smes[1].pk]
    AnchorVisibility.objects.filter(supplier=smes[2]).update(visible=False)
    assert supplier_rank(opportunity_id=opportunity.pk, supplier_id=smes[2].pk) == "ranked"
    assert [row[1] for row in stored(opportunity)] == [smes[1].pk, smes[0].pk]
    AnchorVisibility.objects.filter(supplier=smes[2]).update(visible=True)
    assert supplier_rank(opportunity_id=opportunity.pk, supplier_id=smes[2].pk) == "updated"
    assert [row[1] for row in stored(opportunity)] == [smes[2].pk, smes[1].pk]


def test_the_sql_rounding_equals_round2_at_half_cents_and_elsewhere():
    """``ranking_sql._round2`` (the nearest cent of ``x * 100`` away from a half cent, the shortest decimal near
    one) gives the double ``float(matching.round2(x))`` gives: exact binary half cents (0.125), decimals stored
    just below or above one (2.675, 1.005), results of the parts' arithmetic and random doubles."""
    from django.db import connection

    from sourcing.services.ranking_sql import _round2

    rng = random.Random(3)
    values = [0.0, 100.0, 0.125, 0.375, 12.625, 99.995, 2.675, 1.005, 62.505, 33.335, 0.005, 0.015, 49.995]
    values += [100.0 * n / d for d in (3, 6, 7, 9, 11, 12, 14) for n in range(d + 1)]
    values += [100.0 * (1.0 - s) / (1.0 - 0.3) for s in (0.31, 0.345, 0.4, 0.65, 0.999)]
    values += [round(rng.uniform(0, 100), rng.randint(2, 4)) for _ in range(300)] + [
        rng.uniform(0, 100) for _ in range(300)
    ]
    values += [n / 200 for n in range(0, 20001, 7)]  # every kind of half cent as decimal text
    with connection.cursor() as cursor:
        cursor.execute("SET LOCAL extra_float_digits = 1")
        cursor.execute(f"SELECT x, {_round2('x')} FROM unnest(%s::float8[]) AS t(x)", [values])
        rows = cursor.fetchall()
    assert len(rows) == len(values)
    assert [(x, y) for x, y in rows if y != float(matching.round2(x))] == []
