"""Audit history visible to staff: the admin inline on audited objects and /staff/audit/ with filters."""

import pytest
from django.contrib import admin

from cohorts.models import Candidate, Cohort
from core import registry
from core.admin import AuditEventInline
from core.audit import record, transition
from suppliers.models import Supplier
from tests.cohorts.factories import CandidateFactory
from tests.conftest import get_ok
from tests.programs.factories import UserFactory
from tests.suppliers.factories import SupplierFactory

pytestmark = pytest.mark.django_db


def test_audited_models_show_the_history_inline():
    from assessments.models import Diagnostic

    for model in (Supplier, Diagnostic, Candidate, Cohort):
        assert AuditEventInline in admin.site._registry[model].inlines, model


def test_the_audit_page_offers_the_models_whose_admin_shows_the_history():
    with_inline = {
        model._meta.label
        for model, model_admin in admin.site._registry.items()
        if AuditEventInline in model_admin.inlines
    }
    assert set(registry.audited_models()) == with_inline
    assert with_inline == {
        "suppliers.Supplier",
        "assessments.Diagnostic",
        "cohorts.Candidate",
        "cohorts.Cohort",
        "support.DevelopmentPlan",
        "support.PlanItem",
        "support.Visit",
        "support.FinancingCase",
        "sourcing.Opportunity",
        "sourcing.Invitation",
        "outcomes.OutcomeRound",
        "outcomes.OutcomeResponse",
    }


def test_supplier_change_page_lists_who_changed_what(staff_client, staff_user):
    supplier = SupplierFactory(submitted=True)
    transition(supplier, to="verified", allowed=Supplier.TRANSITIONS, actor=staff_user, reason="RFC checked")
    response = staff_client.get(f"/admin/suppliers/supplier/{supplier.pk}/change/")
    assert response.status_code == 200
    html = response.content.decode()
    assert "RFC checked" in html and "verified" in html and staff_user.username in html


def test_staff_audit_page_filters(staff_client, staff_user):
    supplier = SupplierFactory(submitted=True)
    candidate = CandidateFactory()
    transition(supplier, to="verified", allowed=Supplier.TRANSITIONS, actor=staff_user, reason="papers ok")
    record(
        candidate,
        action="decision",
        actor=UserFactory(username="otra"),
        from_state="proposed",
        to_state="selected",
        changes={"growth_index": ["40", "50"]},
        reason="top growth",
    )
    everything = staff_client.get("/staff/audit/")
    assert everything.status_code == 200
    assert "papers ok" in everything.content.decode() and "top growth" in everything.content.decode()

    only_staff = staff_client.get("/staff/audit/", {"actor": staff_user.username})
    assert "papers ok" in only_staff.content.decode() and "top growth" not in only_staff.content.decode()
    selected = staff_client.get("/staff/audit/", {"to_state": "selected"})
    assert "top growth" in selected.content.decode() and "papers ok" not in selected.content.decode()


def test_staff_audit_page_query_count_does_not_grow(staff_client, staff_user, django_assert_max_num_queries):
    for _ in range(3):
        record(SupplierFactory(), action="edit", actor=staff_user)
    get_ok(staff_client, "/staff/audit/")  # the content types of the audited models are cached from then on
    with django_assert_max_num_queries(12) as small:
        get_ok(staff_client, "/staff/audit/")
    for _ in range(20):
        record(SupplierFactory(), action="edit", actor=staff_user)
    with django_assert_max_num_queries(len(small.captured_queries)):
        get_ok(staff_client, "/staff/audit/")


def test_sme_users_cannot_see_the_audit_page(client, sme_contact):
    client.force_login(sme_contact.user)
    assert client.get("/staff/audit/").status_code == 403


def test_erasure_timestamp_is_read_only_in_the_admin():
    assert "personal_data_erased_at" in admin.site._registry[Supplier].readonly_fields


def test_the_audit_page_counts_at_most_its_cap_and_says_more_than(staff_client, monkeypatch):
    """Counting every event of a trail of millions costs more than reading the page: past the cap the pager
    says "more than" and offers the pages up to it."""
    from core.pagination import CappedPaginator

    supplier = SupplierFactory()
    for n in range(7):
        record(supplier, action="note", reason=f"evento {n}")
    monkeypatch.setattr(CappedPaginator, "cap", 5)
    monkeypatch.setattr("core.views.AuditEventListView.paginate_by", 2)
    page = get_ok(staff_client, "/staff/audit/").content.decode()
    assert "más de 5" in page or "more than 5" in page
    assert get_ok(staff_client, "/staff/audit/?page=3").context["page_obj"].number == 3
    assert staff_client.get("/staff/audit/?page=4").status_code == 404  # past the pages offered
    monkeypatch.setattr(CappedPaginator, "cap", 100)
    page = get_ok(staff_client, "/staff/audit/").content.decode()
    assert "más de" not in page and "more than" not in page
    assert "de 4" in page or "of 4" in page
