"""Admin: every list page loads for program staff with a bounded number of queries; others are refused."""

import pytest
from django.contrib import admin
from django.urls import reverse

from tests.assessments.factories import DiagnosticFactory, QuestionFactory
from tests.cohorts.factories import CandidateFactory
from tests.conftest import get_ok
from tests.programs.factories import AnchorReviewerFactory, UserFactory
from tests.suppliers.factories import ContactFactory

pytestmark = pytest.mark.django_db

PROGRAM_APPS = {"core", "programs", "suppliers", "assessments", "cohorts", "sourcing", "reports"}
# Queued tasks are a superuser's alone (tests/security/test_outbox_admin_scoping.py).
ADMIN_MODELS = sorted(
    (model._meta.app_label, model._meta.model_name)
    for model in admin.site._registry
    if model._meta.app_label in PROGRAM_APPS and model._meta.label_lower != "core.queuedtask"
)


def make_rows(n: int) -> None:
    for _ in range(n):
        candidate = CandidateFactory()
        ContactFactory(supplier=candidate.supplier)
        question = QuestionFactory()
        DiagnosticFactory(supplier=candidate.supplier, framework=question.dimension.framework)


@pytest.mark.parametrize("app_label, model_name", ADMIN_MODELS)
def test_changelist_queries_do_not_grow_with_rows(staff_client, django_assert_max_num_queries, app_label, model_name):
    url = reverse(f"admin:{app_label}_{model_name}_changelist")
    make_rows(2)
    response = staff_client.get(url)
    assert response.status_code == 200
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    with CaptureQueriesContext(connection) as few:
        get_ok(staff_client, url)
    make_rows(6)
    with django_assert_max_num_queries(len(few.captured_queries)):
        response = staff_client.get(url)
    assert response.status_code == 200


def test_anonymous_is_sent_to_login(client):
    response = client.get(reverse("admin:suppliers_supplier_changelist"))
    assert response.status_code == 302
    assert reverse("admin:login") in response["Location"]


@pytest.mark.parametrize("who", ["sme", "anchor", "plain"])
def test_non_staff_roles_cannot_use_the_admin(client, who):
    user = {
        "sme": lambda: ContactFactory(with_user=True).user,
        "anchor": lambda: AnchorReviewerFactory().user,
        "plain": lambda: UserFactory(),
    }[who]()
    client.force_login(user)
    response = client.get(reverse("admin:suppliers_supplier_changelist"))
    assert response.status_code == 302


def test_staff_group_has_the_program_permissions(staff_user):
    assert staff_user.has_perm("suppliers.change_supplier")
    assert staff_user.has_perm("programs.change_anchorcompany")
    assert staff_user.has_perm("cohorts.change_cohort")
    assert staff_user.has_perm("reports.view_reportexport")
    assert staff_user.has_perm("assessments.view_diagnostic")
