"""A second program of the demo, in another sector, that shares one SME with the first.

The home-appliances program has its own phases, anchors, supply areas, a 2026 cohort, ten SMEs and its own
staff login, which sees only this program. The demo SME's company takes part in both: the same company
(RFC) with a participation in each program. Idempotent: a second run adds nothing.
"""

import datetime
import random
from decimal import Decimal

from django.conf import settings
from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group
from django.db import transaction
from django.utils import timezone

from cohorts.models import Cohort
from core import roles
from programs.models import AnchorCompany, CriticalSupplyArea, Phase, Program, ProgramStaff, State
from suppliers.models import COMPANY_SHARED_FIELDS, Company, Contact, Supplier
from suppliers.rfc import check_rfc
from suppliers.stratification import sector_for_scian, stratify

from .partners import SECOND_PROGRAM, seed_partners

CODE = "sdp-electrodomesticos"
LOGIN = ("staff-electro", "sdp-demo-electro")
START = datetime.date(2026, 3, 1)
PHASES = (
    (1, Phase.Kind.REGISTRATION, "Registro y diagnóstico", "Registration and diagnostic", START),
    (
        2,
        Phase.Kind.SELECTION,
        "Selección de la cohorte 2026",
        "Selection of the 2026 cohort",
        datetime.date(2026, 9, 1),
    ),
)
ANCHORS = (
    ("Ensambladora de Línea Blanca del Norte", "19"),
    ("Refrigeración y Climas del Bajío", "11"),
)
AREAS = (
    ("LB-01", "Inyección de plástico para gabinetes", "Plastic injection for cabinets", "326199"),
    ("LB-02", "Motores y compresores pequeños", "Small motors and compressors", "335312"),
    ("LB-03", "Arneses y tarjetas de control", "Harnesses and control boards", "335930"),
)
COMPANIES = (
    ("Plásticos Técnicos Regio", "19", "Monterrey", "326199"),
    ("Troquelados del Bajío", "11", "Celaya", "332119"),
    ("Bobinados Queretanos", "22", "Querétaro", "335312"),
    ("Arneses Electro de Jalisco", "14", "Zapopan", "335930"),
    ("Pinturas en Polvo Industriales", "15", "Tlalnepantla", "325510"),
    ("Componentes Térmicos del Norte", "05", "Ramos Arizpe", "333415"),
    ("Empaques y Espumas de Nuevo León", "19", "Apodaca", "326150"),
    ("Tornillería Fina de Puebla", "21", "Puebla", "332720"),
    ("Control Electrónico Aguascalientes", "01", "Aguascalientes", "334410"),
    ("Vidrios Templados de San Luis", "24", "San Luis Potosí", "327215"),
)


def _participation(company: Supplier, program: Program, when) -> Supplier:
    """``company``'s participation in ``program``: the same company (and its data), its own registration status;
    the demo SME login is its contact too, and switches between the two."""
    supplier = Supplier.objects.create(
        program=program,
        company_id=company.company_id,
        **{
            Supplier._meta.get_field(name).attname: getattr(company, Supplier._meta.get_field(name).attname)
            for name in COMPANY_SHARED_FIELDS
        },
        employees=company.employees,
        annual_sales_mdp=company.annual_sales_mdp,
        export_share=company.export_share,
        size=company.size,
        employee_range=company.employee_range,
        status=Supplier.Status.VERIFIED,
        privacy_notice_version=settings.SDP_PRIVACY_NOTICE_VERSION,
        privacy_accepted_at=when,
        submitted_at=when,
        verified_at=when,
    )
    primary = company.contacts.filter(is_primary=True).first()
    if primary is not None:
        Contact.objects.create(
            supplier=supplier,
            user_id=primary.user_id,
            name=primary.name,
            position=primary.position,
            email=primary.email,
            phone=primary.phone,
            language=primary.language,
            is_primary=True,
            email_verified_at=primary.email_verified_at,
        )
    return supplier


def _own_smes(program: Program, rng: random.Random, when) -> None:
    from .builder import make_rfc

    states = {s.code: s for s in State.objects.all()}
    for n, (name, state_code, municipality, scian) in enumerate(COMPANIES):
        employees = rng.randint(12, 140)
        sales = Decimal(str(round(employees * rng.uniform(0.4, 1.4), 3)))
        sector = sector_for_scian(scian)
        stratum = stratify(sector, employees, sales)
        rfc = make_rfc(rng, name, 1990 + n)
        status = Supplier.Status.VERIFIED if n % 4 else Supplier.Status.SUBMITTED
        company, _ = Company.objects.update_or_create(
            rfc=rfc,
            defaults={
                "legal_name": f"{name}, S.A. de C.V.",
                "trade_name": name,
                "rfc_checksum_valid": check_rfc(rfc).checksum_valid,
                "person_type": Supplier.PersonType.MORAL,
                "state": states[state_code],
                "municipality": municipality,
                "scian_code": scian,
                "sector": sector.value,
                "year_founded": 1990 + n,
            },
        )
        supplier = Supplier.objects.create(
            program=program,
            company=company,
            legal_name=f"{name}, S.A. de C.V.",
            trade_name=name,
            rfc=rfc,
            rfc_checksum_valid=check_rfc(rfc).checksum_valid,
            person_type=Supplier.PersonType.MORAL,
            state=states[state_code],
            municipality=municipality,
            scian_code=scian,
            sector=sector.value,
            year_founded=1990 + n,
            employees=employees,
            annual_sales_mdp=sales,
            size=stratum.size.value,
            employee_range=stratum.employee_range.value,
            status=status,
            privacy_notice_version=settings.SDP_PRIVACY_NOTICE_VERSION,
            privacy_accepted_at=when,
            submitted_at=when,
            verified_at=when if status == Supplier.Status.VERIFIED else None,
        )
        Contact.objects.create(
            supplier=supplier,
            name=f"Contacto {name}",
            position="Director General",
            email=f"electro{n}@demo.sdp.mx",
            phone=f"+5281{8100000 + n:07d}",  # E.164, as stored
            is_primary=True,
            email_verified_at=when,
        )


@transaction.atomic
def build_second_program(first: Program, *, shared: Supplier | None) -> Program:
    """The second program; ``shared`` (the demo SME's company, of ``first``) takes part in it too."""
    program, _ = Program.objects.get_or_create(
        code=CODE,
        defaults={
            "name_es": "Desarrollo de Proveedores · Electrodomésticos",
            "name_en": "Supplier Development · Home Appliances",
            "description_es": "Programa para PyMEs proveedoras de la industria de electrodomésticos.",
            "description_en": "A program for SMEs that supply the home-appliance industry.",
            "start_date": START,
            "registration_open": False,
            "data_controller": first.data_controller,
            "data_controller_address": first.data_controller_address,
            "privacy_contact_email": first.privacy_contact_email,
        },
    )
    seed_partners(program, SECOND_PROGRAM)
    for order, kind, name_es, name_en, start in PHASES:
        Phase.objects.get_or_create(
            program=program,
            order=order,
            defaults={"kind": kind, "name_es": name_es, "name_en": name_en, "start_date": start},
        )
    states = {s.code: s for s in State.objects.all()}
    anchors = [
        AnchorCompany.objects.get_or_create(
            program=program, name=name, defaults={"kind": AnchorCompany.Kind.OEM, "state": states.get(state)}
        )[0]
        for name, state in ANCHORS
    ]
    for code, name_es, name_en, scian in AREAS:
        area, created = CriticalSupplyArea.objects.get_or_create(
            program=program, code=code, defaults={"name_es": name_es, "name_en": name_en, "scian_code": scian}
        )
        if created:
            area.anchors.set(anchors)
    Cohort.objects.get_or_create(
        program=program,
        name="Cohorte 2026",
        defaults={
            "year": 2026,
            "min_size": 4,
            "max_size": 6,
            "phase": Phase.objects.get(program=program, order=2),
        },
    )
    when = timezone.make_aware(datetime.datetime(2026, 4, 15, 10, 0))
    if not Supplier.objects.filter(program=program).exists():
        _own_smes(program, random.Random(2026), when)
        if shared is not None:
            _participation(shared, program, when)
    username, password = LOGIN
    staff, created = get_user_model().objects.get_or_create(
        username=username,
        defaults={
            "email": "staff@electro.demo.sdp.mx",
            "first_name": "Personal",
            "last_name": "Electrodomésticos",
            "is_staff": True,
        },
    )
    if created:
        staff.set_password(password)
        staff.save()
    staff.groups.add(Group.objects.get_or_create(name=roles.STAFF_GROUP)[0])
    ProgramStaff.objects.get_or_create(user=staff, program=program)
    return program
