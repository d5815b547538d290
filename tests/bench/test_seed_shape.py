"""The set-based seeder (demo/loading.py) writes the data set's shape: every row consistent with its
neighbours and the shares of the demo's draws (the same data on every run: test_seed_repeatable.py).

The data set is seeded once for the module, in a transaction rolled back after its last test; each test reads
it inside its own savepoint."""

from collections import Counter

import pytest
from django.core.management import call_command
from django.db import transaction
from django.db.models import Count, Q

from assessments.models import Answer, Diagnostic, Question
from cohorts.models import Candidate, Cohort
from suppliers.models import AnnualFigure, Contact, Supplier
from suppliers.rfc import check_rfc

pytestmark = pytest.mark.django_db

SIZE = 600


@pytest.fixture(scope="module")
def seeded(django_db_setup, django_db_blocker):
    with django_db_blocker.unblock(), transaction.atomic():
        call_command("seed_demo", size=SIZE, stdout=None)
        yield
        transaction.set_rollback(True)


def test_suppliers_contacts_and_relations(seeded):
    # The auto-parts program's SMEs (the demo's second program adds a dozen of its own).
    generated = Supplier.objects.filter(program__code="ina-ifc-sdp").exclude(status=Supplier.Status.DUPLICATE)
    assert generated.count() == SIZE
    shares = Counter(generated.values_list("status", flat=True))
    assert 0.72 < shares["verified"] / SIZE < 0.88 and shares["submitted"] and shares["draft"] and shares["rejected"]
    # One primary contact per supplier, its email numbering the SME; phones in E.164.
    assert Contact.objects.filter(is_primary=True).count() == Supplier.objects.count()
    emails = set(Contact.objects.filter(email__startswith="contacto").values_list("email", flat=True))
    assert emails == {f"contacto{i}@demo.sdp.mx" for i in range(SIZE)}
    assert all(str(phone).startswith("+52") for phone in Contact.objects.values_list("phone", flat=True))
    # The check digit the seeder wrote is the one check_rfc computes.
    for rfc, valid in Supplier.objects.values_list("rfc", "rfc_checksum_valid"):
        assert check_rfc(rfc).checksum_valid == valid
    # Registrations keep their real dates, every supplier has 1-3 supply areas and three annual figures.
    assert not generated.filter(created_at__year__gt=2025).exists()
    areas = generated.annotate(n=Count("supply_areas")).values_list("n", flat=True)
    assert set(areas) <= {1, 2, 3} and min(areas) == 1
    assert AnnualFigure.objects.count() == 3 * SIZE
    assert generated.filter(certifications__isnull=False).distinct().count() > 0.3 * SIZE
    # Duplicates copy a verified original and its primary contact.
    duplicates = Supplier.objects.filter(status=Supplier.Status.DUPLICATE).select_related("duplicate_of")
    assert duplicates.count() == SIZE // 60
    for duplicate in duplicates:
        assert duplicate.duplicate_of.status == Supplier.Status.VERIFIED
        assert duplicate.rfc == duplicate.duplicate_of.rfc and duplicate.verified_at is None
        assert duplicate.contacts.get().email == f"duplicado{duplicate.duplicate_of_id}@demo.sdp.mx"


def test_diagnostics_answers_and_scores(seeded):
    questions = Question.objects.filter(dimension__framework__code="sdp-auto-parts").count()
    diagnostics = Diagnostic.objects.annotate(n=Count("answers"))
    verified = Supplier.objects.filter(status=Supplier.Status.VERIFIED)
    assert 0.55 * verified.count() < diagnostics.count() < 0.85 * verified.count()
    assert not diagnostics.exclude(supplier__status=Supplier.Status.VERIFIED).exists()
    finished = diagnostics.exclude(status=Diagnostic.Status.IN_PROGRESS)
    # A finished diagnostic answers every question; one in progress about half of them.
    assert set(finished.values_list("n", flat=True)) == {questions}
    in_progress = list(diagnostics.filter(status=Diagnostic.Status.IN_PROGRESS).values_list("n", flat=True))
    assert in_progress and 0.3 * questions < sum(in_progress) / len(in_progress) < 0.7 * questions
    # Levels 1-5 around each diagnostic's maturity, a few not applicable with a reason, evidence three in ten.
    answers = Answer.objects.all()
    total = answers.count()
    assert 0.02 < answers.filter(not_applicable=True).count() / total < 0.06
    assert not answers.filter(not_applicable=True, na_reason="").exists()
    assert set(answers.filter(not_applicable=False).values_list("level", flat=True)) == {1, 2, 3, 4, 5}
    assert 0.25 < answers.exclude(evidence="").count() / total < 0.35
    assert not answers.filter(~Q(answered_by__username="staff")).exists()
    # Every finished diagnostic is scored, 70 % of them validated and published.
    assert not finished.filter(Q(overall_score__isnull=True) | Q(maturity_level__isnull=True)).exists()
    validated = finished.filter(status=Diagnostic.Status.VALIDATED)
    assert 0.55 < validated.count() / finished.count() < 0.85
    assert not validated.filter(published_at__isnull=True).exists()
    assert finished.exclude(status=Diagnostic.Status.VALIDATED).filter(status=Diagnostic.Status.SCORED).exists()


def test_the_cohort_has_candidates_and_a_proposal(seeded):
    cohort = Cohort.objects.get(name="Cohorte 2025", program__code="ina-ifc-sdp")
    candidates = Candidate.objects.filter(cohort=cohort)
    live = Supplier.objects.filter(program=cohort.program).exclude(
        status__in=[Supplier.Status.DRAFT, Supplier.Status.DUPLICATE]
    )
    assert candidates.count() == live.count()
    assert candidates.filter(is_eligible=True, growth_index__isnull=False).count() >= cohort.min_size
    assert candidates.filter(in_proposal=True).count() == cohort.min_size
