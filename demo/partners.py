"""The demo programs' partners, with logos drawn for the demo (``demo/data/logos``: simple original images,
not the organizations' own logos)."""

from pathlib import Path

from django.core.files import File

from programs.models import Partner, Program

LOGOS = Path(__file__).resolve().parent / "data" / "logos"
FIRST_PROGRAM = (
    ("Industria Nacional de Autopartes", "INA", Partner.Kind.ORGANIZER, "https://www.ina.com.mx/", "ina.png"),
    ("International Finance Corporation", "IFC", Partner.Kind.FUNDER, "https://www.ifc.org/", "ifc.png"),
    ("Secretaría de Economía", "", Partner.Kind.GOVERNMENT, "https://www.gob.mx/se", "economia.png"),
)
SECOND_PROGRAM = (
    ("Clúster de Electrodomésticos del Bajío", "Clúster Electro", Partner.Kind.ORGANIZER, "", "cluster-electro.png"),
    ("International Finance Corporation", "IFC", Partner.Kind.FUNDER, "https://www.ifc.org/", "ifc.png"),
    ("Secretaría de Economía", "", Partner.Kind.GOVERNMENT, "https://www.gob.mx/se", "economia.png"),
)


def seed_partners(program: Program, partners=FIRST_PROGRAM) -> int:
    """Add ``partners`` to ``program`` with their logos, once; returns how many were added."""
    added = 0
    for order, (name, short_name, kind, website, logo) in enumerate(partners, start=1):
        if Partner.objects.filter(program=program, name=name).exists():
            continue
        partner = Partner(program=program, name=name, short_name=short_name, kind=kind, website=website, order=order)
        with (LOGOS / logo).open("rb") as handle:
            partner.logo.save(logo, File(handle), save=False)
        partner.full_clean()
        partner.save()
        added += 1
    return added
