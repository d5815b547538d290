"""Admin pages at national scale: change pages, delete pages and editable lists read a fixed number of queries
whatever the rows they show (at most the survey's 30), and the change lists of the largest tables read a page
in an order an index serves, with filters that never read every distinct value or date of the table."""

import datetime
import re
from decimal import Decimal

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from assessments.models import AreaAlignment, Dimension, MaturityBand
from bench.survey_budgets import MAX_QUERIES
from cohorts.models import Cohort, CohortAreaLimit, CohortGeoCap
from core.audit import record
from core.models import OutboundMessage
from programs.models import Region, State
from support.models import Assignment, Provider
from tests.assessments.factories import (
    DiagnosticFactory,
    DimensionFactory,
    FrameworkFactory,
    LevelDescriptorFactory,
    MaturityBandFactory,
    QuestionFactory,
)
from tests.cohorts.factories import CandidateFactory, CohortFactory
from tests.programs.factories import CriticalSupplyAreaFactory, ProgramFactory
from tests.suppliers.factories import ContactFactory, SupplierFactory

pytestmark = pytest.mark.django_db


def _queries(client, url) -> list[str]:
    with CaptureQueriesContext(connection) as captured:
        response = client.get(url)
    assert response.status_code == 200, url
    return [query["sql"] for query in captured.captured_queries]


def assert_constant(client, url, add_rows) -> None:
    """The page reads as many queries with more rows as with few, and at most the survey's limit."""
    client.get(url)  # one-time reads (content types, permissions) out of the count
    few = len(_queries(client, url))
    add_rows()
    many = len(_queries(client, url))
    assert many == few, f"{url}: {few} queries, then {many} with more rows"
    assert many <= MAX_QUERIES


def _states(n: int, start: int = 0) -> list[State]:
    regions = [Region.objects.get_or_create(code=f"r{i}", defaults={"name_es": f"Región {i}"})[0] for i in range(3)]
    return [
        State.objects.get_or_create(
            code=f"{start + i + 1:02d}",
            defaults={"name": f"Estado {start + i}", "abbreviation": f"E{start + i}", "region": regions[i % 3]},
        )[0]
        for i in range(n)
    ]


@pytest.mark.parametrize("locked", [False, True])
def test_framework_change_page(staff_client, locked):
    framework = FrameworkFactory()
    DimensionFactory(framework=framework)
    MaturityBandFactory(framework=framework)
    if locked:
        DiagnosticFactory(framework=framework)

    def add_rows():  # bulk: a framework in use refuses new parts through save()
        Dimension.objects.bulk_create(
            DimensionFactory.build(framework=framework, weight=Decimal("10"), order=n) for n in range(2, 6)
        )
        MaturityBand.objects.bulk_create(MaturityBandFactory.build(framework=framework, level=n) for n in range(2, 6))

    assert_constant(staff_client, reverse("admin:assessments_framework_change", args=[framework.pk]), add_rows)


def test_dimension_and_question_change_pages(staff_client):
    question = QuestionFactory()
    LevelDescriptorFactory(question=question, level=1)
    dimension = question.dimension

    def add_questions():
        for _ in range(6):
            QuestionFactory(dimension=dimension)

    def add_descriptors():
        for level in range(2, 6):
            LevelDescriptorFactory(question=question, level=level)

    assert_constant(staff_client, reverse("admin:assessments_dimension_change", args=[dimension.pk]), add_questions)
    assert_constant(staff_client, reverse("admin:assessments_question_change", args=[question.pk]), add_descriptors)


@pytest.mark.parametrize("status", [Cohort.Status.DRAFT, Cohort.Status.APPROVED])
def test_cohort_change_page(staff_client, status):
    """Editable (selects in every row, their options read once) and read-only (each row's names read with it)."""
    cohort = CohortFactory(status=status)
    states = _states(6)
    CohortAreaLimit.objects.create(cohort=cohort, area=CriticalSupplyAreaFactory(), minimum=1)
    CohortGeoCap.objects.create(cohort=cohort, state=states[0], maximum=5)
    record(cohort, action="edit")

    def add_rows():
        for i in range(1, 6):
            CohortAreaLimit.objects.create(cohort=cohort, area=CriticalSupplyAreaFactory(), minimum=1)
            CohortGeoCap.objects.create(cohort=cohort, state=states[i], maximum=5)
            record(cohort, action="edit")
        CohortGeoCap.objects.create(cohort=cohort, region=Region.objects.get(code="r1"), maximum=9)

    assert_constant(staff_client, reverse("admin:cohorts_cohort_change", args=[cohort.pk]), add_rows)


def test_provider_change_page(staff_client):
    provider = Provider.objects.create(program=ProgramFactory(), kind=Provider.Kind.CONSULTANT, name="Consultora")
    Assignment.objects.create(provider=provider, candidate=CandidateFactory(), starts_on=datetime.date(2026, 1, 5))

    def add_rows():
        for _ in range(5):
            Assignment.objects.create(
                provider=provider, candidate=CandidateFactory(), starts_on=datetime.date(2026, 1, 5)
            )

    assert_constant(staff_client, reverse("admin:support_provider_change", args=[provider.pk]), add_rows)


def test_state_list_with_its_editable_region(staff_client):
    _states(3)
    assert_constant(staff_client, reverse("admin:programs_state_changelist"), lambda: _states(12, start=3))


def test_supplier_delete_page_is_refused_without_reading_what_depends_on_it(staff_client):
    supplier = SupplierFactory()
    ContactFactory(supplier=supplier)

    def add_rows():
        for _ in range(4):
            ContactFactory(supplier=supplier, is_primary=False)
            DiagnosticFactory(supplier=supplier)
            CandidateFactory(supplier=supplier, cohort=CohortFactory())
            record(supplier, action="edit")

    url = reverse("admin:suppliers_supplier_delete", args=[supplier.pk])
    assert_constant(staff_client, url, add_rows)
    page = staff_client.get(url).content.decode()
    assert "ARCO" in page  # the refusal names the erasure action
    assert staff_client.post(url, {"post": "yes"}).status_code == 200
    assert supplier.__class__.objects.filter(pk=supplier.pk).exists()


def test_a_delete_that_would_remove_kept_records_lists_none_of_them(staff_client):
    """A supply area with alignments (kept): refused with their count, without reading each one's name."""
    area = CriticalSupplyAreaFactory()
    area.suppliers.add(SupplierFactory())
    AreaAlignment.objects.create(diagnostic=DiagnosticFactory(), area=area)

    def add_rows():
        for _ in range(4):
            supplier = SupplierFactory()
            area.suppliers.add(supplier)
            AreaAlignment.objects.create(diagnostic=DiagnosticFactory(supplier=supplier), area=area)

    url = reverse("admin:programs_criticalsupplyarea_delete", args=[area.pk])
    assert_constant(staff_client, url, add_rows)
    assert staff_client.post(url, {"post": "yes"}).status_code == 200
    assert area.__class__.objects.filter(pk=area.pk).exists()


def test_sme_data_export_reads_contacts_once(client):
    contact = ContactFactory(with_user=True)
    client.force_login(contact.user)
    supplier = contact.supplier
    question = QuestionFactory()
    url = reverse("privacy:my-data-export")

    def publish_a_diagnostic():
        DiagnosticFactory(
            supplier=supplier, framework=question.dimension.framework, published_at=datetime.datetime.now(datetime.UTC)
        )

    def add_rows():
        for _ in range(3):
            ContactFactory(supplier=supplier, is_primary=False)
            publish_a_diagnostic()

    publish_a_diagnostic()
    assert_constant(client, url, add_rows)
    queries = _queries(client, url)
    assert sum('FROM "suppliers_contact"' in sql for sql in queries) == 1
    data = client.get(url).json()
    assert len(data["contacts"]) == 4 and {c["email"] for c in data["contacts"]} >= {contact.email}


# The change lists of the largest tables (millions of audit events and answers, 94,000 candidates a cohort).
BIG_LISTS = {
    "core_auditevent": "core_auditevent",
    "core_outboundmessage": "core_outboundmessage",
    "assessments_answer": "assessments_answer",
    "assessments_diagnostic": "assessments_diagnostic",
    "cohorts_candidate": "cohorts_candidate",
}


def _page_query(queries: list[str], table: str) -> str:
    """The query reading the list's rows in the list's order (a page of them on a list longer than a page)."""
    found = [sql for sql in queries if sql.startswith(f'SELECT "{table}"."id", ') and "ORDER BY" in sql]
    assert len(found) == 1, queries
    return found[0]


@pytest.mark.parametrize("name", sorted(BIG_LISTS))
def test_big_lists_read_their_page_from_an_index_and_no_distinct_values(staff_client, name):
    supplier = SupplierFactory()
    question = QuestionFactory()
    diagnostic = DiagnosticFactory(supplier=supplier, framework=question.dimension.framework)
    diagnostic.answers.create(question=question, level=3)
    CandidateFactory(supplier=supplier)
    record(supplier, action="edit", to_state="verified")
    OutboundMessage.objects.create(template="registration_received", recipient="a@pyme.mx", subject="s", body="b")
    queries = _queries(staff_client, reverse(f"admin:{name}_changelist"))
    for sql in queries:
        assert "SELECT DISTINCT" not in sql, sql  # a filter offering every value the table holds
        assert "DATE_TRUNC" not in sql, sql  # a date hierarchy reading every date
    with connection.cursor() as cursor:
        cursor.execute("SET LOCAL enable_seqscan = off")
        cursor.execute("SET LOCAL enable_sort = off")
        cursor.execute("EXPLAIN " + _page_query(queries, BIG_LISTS[name]))
        plan = [row[0] for row in cursor.fetchall()]
        cursor.execute("RESET enable_seqscan")
        cursor.execute("RESET enable_sort")
    assert not [line for line in plan if re.match(r"\s*(->\s*)?Sort\s+\(", line)], "\n".join(plan)


def test_fixed_value_filters_filter(staff_client):
    question = QuestionFactory()
    other = QuestionFactory(dimension=question.dimension)
    diagnostic = DiagnosticFactory(framework=question.dimension.framework)
    diagnostic.answers.create(question=question, level=3)
    diagnostic.answers.create(question=other, level=5)
    url = reverse("admin:assessments_answer_changelist")
    page = staff_client.get(url, {"level__exact": "3"})
    assert [answer.level for answer in page.context["cl"].result_list] == [3]
    supplier = SupplierFactory()
    record(supplier, action="transition", from_state="submitted", to_state="verified")
    record(supplier, action="edit")
    events = staff_client.get(reverse("admin:core_auditevent_changelist"), {"to_state__exact": "verified"})
    assert [event.action for event in events.context["cl"].result_list] == ["transition"]
    text = events.content.decode()
    assert "to_state__exact=rejected" in text  # a state no event holds yet is offered too
