"""An account has one role: staff, administrators and anchor reviewers cannot start an SME registration."""

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse

from suppliers import services
from suppliers.models import Contact, Supplier
from tests.programs.factories import UserFactory
from tests.suppliers.test_views import company_post

pytestmark = pytest.mark.django_db


@pytest.fixture(params=["staff", "anchor", "admin"])
def other_role_user(request, staff_user, anchor_reviewer):
    if request.param == "staff":
        return staff_user
    if request.param == "anchor":
        return anchor_reviewer.user
    return UserFactory(username="admin", is_staff=True)


@pytest.mark.parametrize("url_name", ["suppliers:company", "suppliers:growth", "suppliers:finish"])
def test_registration_pages_refuse_staff_and_anchor_accounts(client, program, catalog, other_role_user, url_name):
    client.force_login(other_role_user)
    page = client.get(reverse(url_name))
    assert page.status_code == 403
    assert "suppliers/register/other_role.html" in [t.name for t in page.templates]
    sent = client.post(reverse("suppliers:company"), company_post(catalog))
    assert sent.status_code == 403
    assert not Supplier.objects.exists() and not Contact.objects.filter(user=other_role_user).exists()


def test_the_service_refuses_them_too(program, company_data, other_role_user):
    with pytest.raises(ValidationError) as refused:
        services.supplier_register(actor=other_role_user, program=program, data=company_data, language="es-mx")
    assert refused.value.code == "other_role"


def test_an_sme_account_still_registers(client, program, catalog, sme_user):
    client.force_login(sme_user)
    assert client.get(reverse("suppliers:company")).status_code == 200
