"""Private files have no storage address (``MEDIA_URL`` is unset outside the tests): each file field links the
permission-checked view that serves it, so the admin's change pages, its file inputs and the templates never ask
the storage for an address."""

import pytest
from django.apps import apps
from django.core.files.base import ContentFile
from django.urls import reverse

from core.files import ServedFileField
from reports.models import ReportExport
from tests.programs.factories import PartnerFactory, ProgramFactory, UserFactory
from tests.suppliers.factories import SupplierFactory

pytestmark = pytest.mark.django_db

PDF = b"%PDF-1.4\n%%EOF\n"


def test_every_file_field_is_served_by_a_view():
    fields = [
        field
        for model in apps.get_models()
        for field in model._meta.get_fields()
        if getattr(field, "get_internal_type", lambda: "")() == "FileField"
    ]
    assert len(fields) >= 7
    assert all(isinstance(field, ServedFileField) and field.view for field in fields), [
        f"{field.model._meta.label}.{field.name}" for field in fields if not isinstance(field, ServedFileField)
    ]


def test_admin_change_pages_link_each_file_to_its_view(client, settings):
    from suppliers.models import Document

    settings.MEDIA_URL = None
    program = ProgramFactory()
    partner = PartnerFactory(program=program, name="Industria Nacional de Autopartes", short_name="INA", with_logo=True)
    supplier = SupplierFactory(program=program)
    document = Document(supplier=supplier, kind="csf", original_name="csf.pdf", content_type="application/pdf")
    document.size_bytes, document.sha256 = len(PDF), "0" * 64
    document.file.save("csf.pdf", ContentFile(PDF))
    export = ReportExport(program=program, kind="candidates", file_format="csv", params={"program": program.pk})
    export.status = ReportExport.Status.READY
    export.file.save("export.csv", ContentFile(b"a,b\n"))
    client.force_login(UserFactory(username="root", is_staff=True, is_superuser=True))
    for page, view in (
        (
            reverse("admin:programs_partner_change", args=[partner.pk]),
            reverse("programs:partner-logo", args=[partner.pk]),
        ),
        (
            reverse("admin:programs_program_change", args=[program.pk]),
            reverse("programs:partner-logo", args=[partner.pk]),
        ),
        (
            reverse("admin:suppliers_document_change", args=[document.pk]),
            reverse("suppliers:document", args=[document.pk]),
        ),
        (
            reverse("admin:reports_reportexport_change", args=[export.pk]),
            reverse("reports:export-download", args=[export.pk]),
        ),
    ):
        response = client.get(page)
        assert response.status_code == 200, page
        assert f'href="{view}"' in response.content.decode(), page
    assert client.get(reverse("admin:suppliers_supplier_change", args=[supplier.pk])).status_code == 200  # inline
    assert partner.logo.url == reverse("programs:partner-logo", args=[partner.pk])
