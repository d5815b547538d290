"""The staff workspace: what needs staff today, counted in a fixed number of queries; where each role lands."""

import pytest
from django.urls import reverse

from reports import workspace
from tests.assessments.factories import DiagnosticFactory
from tests.cohorts.factories import CohortFactory
from tests.conftest import get_ok
from tests.programs.factories import ProgramFactory
from tests.suppliers.factories import SupplierFactory

pytestmark = pytest.mark.django_db


def _counts(page: str) -> dict[str, str]:
    import re

    return dict(re.findall(r'data-task="(\w+)".*?data-count>([^<]+)<', page, re.S))


def test_workspace_counts_what_needs_staff(staff_client):
    program = ProgramFactory()
    for _ in range(3):
        SupplierFactory(program=program, status="submitted")
    verified = [SupplierFactory(program=program, status="verified") for _ in range(4)]
    DiagnosticFactory(supplier=verified[0], status="scored")
    DiagnosticFactory(supplier=verified[1], status="validated")
    CohortFactory(program=program, name="Cohorte 2026")
    page = get_ok(staff_client, reverse("staff-home")).content.decode()
    assert _counts(page) == {"to_verify": "3", "to_schedule": "2", "to_validate": "1", "to_publish": "1"}
    assert "Cohorte 2026" in page
    assert "?status=submitted" in page


def test_a_count_beyond_the_cap_says_more_than(staff_client, monkeypatch):
    monkeypatch.setattr(workspace, "CAP", 2)
    program = ProgramFactory()
    for _ in range(3):
        SupplierFactory(program=program, status="submitted")
    page = get_ok(staff_client, reverse("staff-home")).content.decode()
    assert _counts(page)["to_verify"] in ("más de 2", "more than 2")


def test_workspace_queries_do_not_grow_with_rows(staff_client, django_assert_max_num_queries):
    url = reverse("staff-home")
    staff_client.get(url)
    with django_assert_max_num_queries(12) as empty:
        get_ok(staff_client, url)
    program = ProgramFactory()
    for _ in range(5):
        DiagnosticFactory(supplier=SupplierFactory(program=program, status="verified"), status="scored")
        SupplierFactory(program=program, status="submitted")
    CohortFactory(program=program)
    CohortFactory(program=program)
    with django_assert_max_num_queries(len(empty.captured_queries)):
        get_ok(staff_client, url)


def test_each_role_lands_on_its_own_page(client, staff_user, anchor_reviewer, sme_contact, provider):
    start = reverse("after-login")
    client.force_login(staff_user)
    assert client.get(start)["Location"] == reverse("staff-home")
    client.force_login(anchor_reviewer.user)
    assert client.get(start)["Location"] == reverse("cohorts:anchor_home")
    client.force_login(provider.user)
    assert client.get(start)["Location"] == reverse("support:provider_home")
    client.force_login(sme_contact.user)
    assert client.get(start)["Location"] == reverse("home")


def test_staff_log_in_to_their_workspace(client, staff_user):
    response = client.post(reverse("login"), {"username": "staff", "password": "correct-horse-battery"})
    assert response.status_code == 302
    assert client.get(response["Location"])["Location"] == reverse("staff-home")
