"""Rows the API tests read: a program with reference data and suppliers with every nested part."""

import hashlib
from datetime import date
from decimal import Decimal

from django.core.files.base import ContentFile

from programs.models import AreaRequirement
from suppliers import models
from tests.programs.factories import (
    AnchorCompanyFactory,
    CertificationStandardFactory,
    CriticalSupplyAreaFactory,
    PhaseFactory,
    ProgramFactory,
    RegionFactory,
    StateFactory,
)
from tests.suppliers.factories import ContactFactory, SupplierFactory


def seed_program():
    program = ProgramFactory()
    PhaseFactory(program=program)
    norte = RegionFactory(code="norte", name_es="Norte", name_en="North")
    StateFactory(code="19", name="Nuevo León", abbreviation="NL", region=norte)
    iso = CertificationStandardFactory()
    iatf = CertificationStandardFactory(code="iatf-16949", name="IATF 16949")
    anchor = AnchorCompanyFactory(program=program)
    area = CriticalSupplyAreaFactory(program=program)
    area.anchors.add(anchor)
    area.required_certifications.add(iso, iatf)
    AreaRequirement.objects.create(area=area, dimension_code="quality", minimum_score=Decimal("60"))
    return program, area, anchor, iso


def supplier_with_parts(*, program, area, anchor, standard, **kwargs) -> models.Supplier:
    """A verified supplier with a contact, a stored document, a certification and two annual figures."""
    supplier = SupplierFactory(program=program, **kwargs)
    supplier.supply_areas.add(area)
    supplier.anchor_customers.add(anchor)
    ContactFactory(supplier=supplier)
    content = b"%PDF-1.4 constancia de situacion fiscal"
    document = models.Document(
        supplier=supplier,
        kind=models.Document.Kind.TAX_CERTIFICATE,
        original_name="csf.pdf",
        content_type="application/pdf",
        size_bytes=len(content),
        sha256=hashlib.sha256(content).hexdigest(),
    )
    document.file.save("csf.pdf", ContentFile(content), save=True)
    models.Certification.objects.create(
        supplier=supplier,
        standard=standard,
        certificate_number="C-1",
        issued_on=date(2023, 1, 1),
        expires_on=date(2026, 1, 1),
        document=document,
    )
    for year, sales in ((2023, "18.5"), (2024, "20")):
        models.AnnualFigure.objects.create(supplier=supplier, year=year, sales_mdp=Decimal(sales), employees=38)
    return supplier


def seed_suppliers(count: int):
    program, area, anchor, standard = seed_program()
    suppliers = [
        supplier_with_parts(program=program, area=area, anchor=anchor, standard=standard) for _ in range(count)
    ]
    return program, area, anchor, suppliers
