"""The staff registration pages and the audit log in the staff's words: only the decisions that apply,
filters that say "Todos", a history without codes."""

import pytest
from django.urls import reverse

from core.audit import record, transition
from suppliers import services
from suppliers.models import Supplier
from tests.conftest import get_ok
from tests.suppliers.factories import SupplierFactory

pytestmark = pytest.mark.django_db


def _status_change() -> str:
    from django.utils import translation

    with translation.override("es-mx"):
        return f"Cambio de estado: {Supplier.Status.SUBMITTED.label} → {Supplier.Status.VERIFIED.label}"


def test_list_filters_say_all(staff_client):
    page = get_ok(staff_client, reverse("suppliers:staff-list")).content.decode()
    assert "---------" not in page and "Desconocido" not in page
    assert page.count('<option value="" selected>Todos</option>') >= 4


def test_detail_offers_only_the_decisions_that_apply(staff_client, staff_user):
    supplier = SupplierFactory(submitted=True)
    url = reverse("suppliers:staff-detail", args=[supplier.pk])
    page = get_ok(staff_client, url).content.decode()
    assert 'data-action="verify"' in page and 'data-action="reject"' in page
    assert "Rechazar el registro" in page  # the reason box sits in the reject fieldset
    services.supplier_verify(supplier=supplier, actor=staff_user, expected_version=supplier.version)
    page = get_ok(staff_client, url).content.decode()
    assert 'data-action="verify"' not in page and 'data-action="reject"' in page
    assert _status_change() in page  # the history in Spanish, no state codes
    assert "submitted" not in page.split('class="list-unstyled small timeline"')[1]


def test_audit_log_is_in_words(staff_client, staff_user):
    supplier = SupplierFactory(submitted=True)
    transition(supplier, to=Supplier.Status.VERIFIED, allowed=Supplier.TRANSITIONS, actor=staff_user, reason="ok")
    record(supplier, action="edit", actor=staff_user, changes={"trade_name": ["Viejo", "Nuevo"]})
    page = get_ok(staff_client, reverse("staff-audit")).content.decode()
    assert _status_change() + ". ok" in page
    assert "trade name: Viejo → Nuevo" in page
    assert "{'" not in page and ">transition<" not in page
    assert 'href="/staff/audit/"' in page  # in the navigation
