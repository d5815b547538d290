"""The set-based candidate build stores what the per-row definition gives: eligibility, reasons, growth index and
its parts from model instances (``growth_inputs`` and ``growth.growth_index``), on random SMEs; a rebuild keeps
pins, drops what no longer holds, and versions every row."""

import random
from datetime import timedelta
from decimal import Decimal

import pytest
from django.db.models import Prefetch
from django.utils import timezone

from assessments.models import AreaAlignment
from assessments.selectors import current_diagnostics
from cohorts import growth
from cohorts.models import Candidate
from cohorts.services import cohort_build_candidates
from cohorts.services.candidates import demanded_areas, eligibility_reasons, growth_inputs, selected_earlier
from suppliers.models import Certification, Supplier
from tests.assessments.factories import DiagnosticFactory
from tests.cohorts.world import World
from tests.programs.factories import CertificationStandardFactory, CriticalSupplyAreaFactory

pytestmark = pytest.mark.django_db


def _random_world(rng: random.Random, n: int) -> World:
    w = World(k=1)
    w.third = CriticalSupplyAreaFactory(program=w.program, code="MAQ", name_en="Machining")  # demanded by no anchor
    w.stamping.required_certifications.add(CertificationStandardFactory(code="iatf-16949", name="IATF 16949"))
    _add_smes(w, rng, n)
    return w


def _add_smes(w: World, rng: random.Random, n: int) -> None:
    iso = CertificationStandardFactory(code="iso-9001", name="ISO 9001")
    iatf = CertificationStandardFactory(code="iatf-16949", name="IATF 16949")
    today = timezone.localdate()
    for _ in range(n):
        areas = rng.sample(["stamping", "plastics", "third"], rng.randint(0, 3))
        supplier = w.sme(
            score=rng.randint(0, 100),
            areas=areas,
            size=rng.choice(["micro", "pequena", "mediana", "grande"]),
            status=rng.choice(["verified", "verified", "verified", "submitted"]),
            diagnosed=rng.random() < 0.85,
        )
        supplier.export_share = Decimal(rng.randint(0, 10000)) / 100
        supplier.save(update_fields=["export_share"])
        if rng.random() < 0.3:  # a newer diagnostic: the current one
            DiagnosticFactory(
                supplier=supplier,
                framework=w.framework,
                status=rng.choice(["scored", "validated", "in_progress"]),
                overall_score=Decimal(rng.randint(0, 10000)) / 100,
                scheduled_for=today + timedelta(days=rng.randint(1, 30)),
            )
        for standard in rng.sample([iso, iatf], rng.randint(0, 2)):
            expires = rng.choice([None, today - timedelta(days=1), today, today + timedelta(days=90)])
            Certification.objects.create(supplier=supplier, standard=standard, expires_on=expires)
        years = rng.sample(range(2019, 2026), rng.randint(0, 4))
        w.figures(
            supplier,
            [(y, rng.choice([0, rng.randint(1, 900)]), rng.choice([None, 0, rng.randint(1, 500)])) for y in years],
        )


def _reference(cohort) -> dict[int, tuple]:
    """Each candidate as the per-row definition builds it from model instances."""
    suppliers = (
        Supplier.objects.filter(program_id=cohort.program_id)
        .exclude(status__in=["draft", "duplicate"])
        .prefetch_related("supply_areas", "certifications__standard", "annual_figures")
    )
    diagnostics = {
        d.supplier_id: d
        for d in current_diagnostics(supplier_ids=[s.pk for s in suppliers]).prefetch_related(
            Prefetch("alignments", queryset=AreaAlignment.objects.all())
        )
    }
    demanded = demanded_areas(cohort.program_id)
    earlier = selected_earlier(cohort)
    out = {}
    for supplier in suppliers:
        diagnostic = diagnostics.get(supplier.pk)
        reasons = eligibility_reasons(supplier, diagnostic, selected_in=earlier.get(supplier.pk, ""))
        if reasons:
            out[supplier.pk] = (False, reasons, None, {})
        else:
            result = growth.growth_index(growth_inputs(supplier, diagnostic, demanded), cohort.growth_weights)
            out[supplier.pk] = (True, reasons, result.index, {**result.parts, "diagnostic_id": diagnostic.pk})
    return out


def _stored(cohort) -> dict[int, tuple]:
    return {
        c.supplier_id: (c.is_eligible, c.ineligibility_reasons, c.growth_index, c.growth_parts)
        for c in Candidate.objects.filter(cohort=cohort)
    }


@pytest.mark.parametrize("seed", [1, 2, 3])
def test_the_build_stores_what_the_per_row_definition_gives(seed):
    w = _random_world(random.Random(seed), 40)
    summary = cohort_build_candidates(cohort=w.cohort)
    reference = _reference(w.cohort)
    assert _stored(w.cohort) == reference
    assert summary == {
        "eligible": sum(r[0] for r in reference.values()),
        "ineligible": sum(not r[0] for r in reference.values()),
        "created": len(reference),
    }


def test_a_rebuild_updates_in_place_keeps_pins_and_drops_what_no_longer_holds():
    rng = random.Random(7)
    w = _random_world(rng, 30)
    cohort_build_candidates(cohort=w.cohort)
    eligible = list(Candidate.objects.filter(cohort=w.cohort, is_eligible=True).order_by("pk"))
    staying, leaving = eligible[0], eligible[1]
    Candidate.objects.filter(pk__in=[staying.pk, leaving.pk]).update(
        in_proposal=True, pinned=True, staged_status="selected", staged_reason="Buen perfil"
    )
    Supplier.objects.filter(pk=leaving.supplier_id).update(size="grande")
    versions = dict(Candidate.objects.filter(cohort=w.cohort).values_list("pk", "version"))
    w.cohort.growth_weights = {"maturity": 1, "alignment": 0, "growth": 2, "certifications": 1}
    w.cohort.save(update_fields=["growth_weights"])

    summary = cohort_build_candidates(cohort=w.cohort)
    assert summary["created"] == 0
    assert _stored(w.cohort) == _reference(w.cohort)
    staying.refresh_from_db()
    leaving.refresh_from_db()
    assert (staying.in_proposal, staying.pinned, staying.staged_status, staying.staged_reason) == (
        True,
        True,
        "selected",
        "Buen perfil",
    )
    assert (leaving.is_eligible, leaving.in_proposal, leaving.pinned, leaving.staged_status, leaving.staged_reason) == (
        False,
        False,
        True,
        "",
        "",
    )
    assert {pk: v + 1 for pk, v in versions.items()} == dict(
        Candidate.objects.filter(cohort=w.cohort).values_list("pk", "version")
    )


def test_the_build_reads_in_a_fixed_number_of_queries(django_assert_max_num_queries):
    rng = random.Random(11)
    w = _random_world(rng, 5)
    with django_assert_max_num_queries(20) as few:
        cohort_build_candidates(cohort=w.cohort)
    Candidate.objects.all().delete()
    _add_smes(w, rng, 40)
    with django_assert_max_num_queries(len(few)):
        cohort_build_candidates(cohort=w.cohort)
    assert Candidate.objects.count() == 45
