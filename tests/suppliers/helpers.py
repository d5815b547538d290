"""Builders of registrations through the real services."""

from suppliers import services
from suppliers.models import Document
from tests.suppliers.conftest import PDF_BYTES, upload


def complete_draft(*, user, program, data, language="es-mx"):
    """A draft with everything the form asks for (CSF, phone, privacy notice), not yet sent."""
    supplier = services.supplier_register(actor=user, program=program, data=dict(data), language=language)
    services.supplier_save_draft(
        supplier=supplier,
        actor=user,
        contact_data={"phone": "+524771234567"},
        supply_areas=program.supply_areas.all()[:1],
    )
    services.supplier_document_add(
        supplier=supplier, actor=user, kind=Document.Kind.TAX_CERTIFICATE, uploaded=upload("csf.pdf", PDF_BYTES)
    )
    services.supplier_accept_privacy(supplier=supplier, actor=user)
    supplier.refresh_from_db()
    return supplier
