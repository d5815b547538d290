"""The employee range flag and the typed RFC, end to end: registration, profile, staff list, admin, API."""

import pytest
from django.urls import reverse
from django.utils import translation

from suppliers import services
from suppliers.models import Supplier
from tests.suppliers.factories import SupplierFactory
from tests.suppliers.helpers import complete_draft
from tests.suppliers.test_views import company_post

pytestmark = pytest.mark.django_db


@pytest.fixture
def sme_client(client, sme_user):
    client.force_login(sme_user)
    return client


def test_registration_accepts_a_spaced_lower_case_rfc(sme_client, catalog):
    response = sme_client.post(reverse("suppliers:company"), company_post(catalog, rfc="mab-930714 8t4"))
    assert response.status_code == 302
    assert Supplier.objects.get().rfc == "MAB9307148T4"


def test_the_rfc_box_lets_a_spaced_rfc_fit(sme_client, catalog):
    page = sme_client.get(reverse("suppliers:company")).content.decode()
    assert 'maxlength="20"' in page and 'maxlength="13"' not in page


@pytest.mark.parametrize("rfc", ["XAXX010101000", "xexx-010101-000"])
def test_registration_refuses_the_generic_rfcs(sme_client, catalog, rfc):
    response = sme_client.post(reverse("suppliers:company"), company_post(catalog, rfc=rfc, person_type="fisica"))
    assert response.status_code == 200
    assert "XAXX010101000" in " ".join(response.context["form"].errors["rfc"])
    assert not Supplier.objects.exists()


def test_registration_refuses_a_scian_code_outside_the_dof_sectors(sme_client, catalog):
    response = sme_client.post(reverse("suppliers:company"), company_post(catalog, scian_code="111110"))
    assert response.status_code == 200 and "scian_code" in response.context["form"].errors
    assert not Supplier.objects.exists()


def test_registration_stores_the_flag_and_the_profile_update_keeps_it_right(sme_user, program, company_data):
    supplier = complete_draft(
        user=sme_user, program=program, data={**company_data, "employees": 1000, "annual_sales_mdp": "100"}
    )
    assert (supplier.size, supplier.employee_range) == ("mediana", "above")
    with translation.override("es-mx"):
        assert supplier.employee_range_flag == "Empleados por encima del rango de mediana empresa"
    services.supplier_update_profile(
        supplier=supplier, actor=sme_user, expected_version=supplier.version, changes={"employees": 200}
    )
    supplier.refresh_from_db()
    assert (supplier.size, supplier.employee_range, supplier.employee_range_flag) == ("mediana", "within", "")


def test_staff_list_shows_and_filters_the_flag(staff_client):
    flagged = SupplierFactory(employees=45, sector="comercio", size="pequena", employee_range="above")
    plain = SupplierFactory()
    url = reverse("suppliers:staff-list")
    page = staff_client.get(url).content.decode()
    assert "Empleados por encima del rango de pequeña empresa" in page
    listed = staff_client.get(url, {"employee_range": "above"}).context["page"].object_list
    assert list(listed) == [flagged]
    assert plain not in staff_client.get(url, {"employee_range": "above"}).context["page"].object_list
    detail = staff_client.get(reverse("suppliers:staff-detail", args=[flagged.pk])).content.decode()
    assert 'id="employee-range-flag"' in detail


def test_staff_search_finds_a_typed_rfc(staff_client):
    supplier = SupplierFactory(rfc="MAB9307148T4")
    SupplierFactory()
    listed = staff_client.get(reverse("suppliers:staff-list"), {"q": "mab-930714-8t4"}).context["page"].object_list
    assert list(listed) == [supplier]


def test_admin_filters_the_flag_and_finds_a_typed_rfc(admin_client):
    flagged = SupplierFactory(employee_range="below", rfc="MAB9307148T4")
    SupplierFactory()
    url = reverse("admin:suppliers_supplier_changelist")
    assert list(admin_client.get(url, {"employee_range__exact": "below"}).context["cl"].result_list) == [flagged]
    assert list(admin_client.get(url, {"q": "mab-930714-8t4"}).context["cl"].result_list) == [flagged]


def test_api_filters_by_the_flag_and_by_a_typed_rfc(staff_user):
    from rest_framework.test import APIClient

    api = APIClient()
    api.force_authenticate(staff_user)
    flagged = SupplierFactory(employee_range="above", rfc="MAB9307148T4")
    SupplierFactory()
    url = "/api/v1/suppliers/"
    rows = api.get(url, {"employee_range": "above"}).json()["results"]
    assert [(r["id"], r["employee_range"]) for r in rows] == [(flagged.pk, "above")]
    rows = api.get(url, {"rfc": "mab 930714-8t4"}).json()["results"]
    assert [r["id"] for r in rows] == [flagged.pk]
