"""Database constraints of the domain model: bad data cannot get in, whatever the code path."""

from decimal import Decimal

import pytest
from django.db import IntegrityError, transaction

from assessments.models import Answer, MaturityBand
from cohorts.models import AnchorReview, Candidate, CohortGeoCap
from programs.models import State
from suppliers.models import Supplier
from tests.assessments.factories import DiagnosticFactory, FrameworkFactory, QuestionFactory
from tests.cohorts.factories import CandidateFactory, CohortFactory
from tests.programs.factories import AnchorCompanyFactory, RegionFactory
from tests.suppliers.factories import SupplierFactory

pytestmark = pytest.mark.django_db


def violates(create) -> bool:
    try:
        with transaction.atomic():
            create()
    except IntegrityError:
        return True
    return False


def test_live_rfc_is_unique_but_a_duplicate_registration_is_kept():
    original = SupplierFactory(rfc="ABC680524P76", status=Supplier.Status.VERIFIED)
    assert violates(lambda: SupplierFactory(rfc="ABC680524P76", status=Supplier.Status.SUBMITTED))
    duplicate = SupplierFactory(rfc="ABC680524P76", status=Supplier.Status.DUPLICATE, duplicate_of=original)
    draft = SupplierFactory(rfc="ABC680524P76", status=Supplier.Status.DRAFT)
    assert Supplier.objects.filter(rfc="ABC680524P76").count() == 3
    assert {duplicate.status, draft.status} == {"duplicate", "draft"}


@pytest.mark.parametrize(
    "fields",
    [
        {"export_share": Decimal("100.01")},
        {"export_share": Decimal("-1")},
        {"annual_sales_mdp": Decimal("-0.001")},
        {"rfc": "abc680524p76"},  # lower case never reaches the database
        {"rfc": "ABC680524P76", "person_type": "fisica"},  # 12 characters is a persona moral
        {"status": "duplicate"},  # a duplicate must name its original
    ],
)
def test_supplier_check_constraints(fields):
    assert violates(lambda: SupplierFactory(**fields))


def test_state_codes_are_inegi_01_to_32():
    region = RegionFactory()
    assert violates(lambda: State.objects.create(code="33", name="X", abbreviation="X", region=region))
    assert violates(lambda: State.objects.create(code="00", name="X", abbreviation="X", region=region))
    assert not violates(lambda: State.objects.create(code="32", name="Zacatecas", abbreviation="ZAC", region=region))


@pytest.mark.parametrize(
    "fields, bad",
    [
        ({"level": 3}, False),
        ({"level": 0}, True),
        ({"level": 6}, True),
        ({"level": None}, True),  # neither rated nor N/A
        ({"level": None, "not_applicable": True, "na_reason": "No subcontracting"}, False),
        ({"level": None, "not_applicable": True, "na_reason": ""}, True),  # N/A needs a reason
        ({"level": 2, "not_applicable": True, "na_reason": "x"}, True),
    ],
)
def test_answer_is_a_level_or_na_with_reason(fields, bad):
    question = QuestionFactory()
    diagnostic = DiagnosticFactory(framework=question.dimension.framework)
    assert violates(lambda: Answer.objects.create(diagnostic=diagnostic, question=question, **fields)) is bad


def test_one_answer_per_question_and_diagnostic():
    question = QuestionFactory()
    diagnostic = DiagnosticFactory(framework=question.dimension.framework)
    Answer.objects.create(diagnostic=diagnostic, question=question, level=2)
    assert violates(lambda: Answer.objects.create(diagnostic=diagnostic, question=question, level=3))


def test_band_range_must_be_ordered():
    framework = FrameworkFactory()
    assert violates(
        lambda: MaturityBand.objects.create(framework=framework, level=1, name_es="x", min_score=50, max_score=40)
    )
    assert violates(
        lambda: MaturityBand.objects.create(framework=framework, level=1, name_es="x", min_score=0, max_score=101)
    )


def test_candidate_constraints():
    candidate = CandidateFactory()
    assert violates(lambda: CandidateFactory(cohort=candidate.cohort, supplier=candidate.supplier))
    assert violates(lambda: CandidateFactory(growth_index=Decimal("100.5")))
    assert violates(lambda: CandidateFactory(pinned=True, excluded=True))
    assert Candidate.objects.count() == 1


def test_objection_needs_a_reason_and_one_review_per_anchor():
    candidate = CandidateFactory()
    anchor = AnchorCompanyFactory()
    assert violates(lambda: AnchorReview.objects.create(candidate=candidate, anchor=anchor, verdict="object"))
    AnchorReview.objects.create(candidate=candidate, anchor=anchor, verdict="endorse")
    assert violates(
        lambda: AnchorReview.objects.create(
            candidate=candidate, anchor=anchor, verdict="object", reason="Quality incidents"
        )
    )


def test_geo_cap_names_a_state_or_a_region_not_both():
    cohort = CohortFactory()
    region = RegionFactory()
    state = State.objects.create(code="05", name="Coahuila", abbreviation="COA", region=region)
    assert violates(lambda: CohortGeoCap.objects.create(cohort=cohort, maximum=3))
    assert violates(lambda: CohortGeoCap.objects.create(cohort=cohort, state=state, region=region, maximum=3))
    assert not violates(lambda: CohortGeoCap.objects.create(cohort=cohort, region=region, maximum=3))
