"""The support after selection for the demo: the first selected SMEs of the 2025 cohort get a development plan
from their diagnostic, a consultant, a mentor and a trainer (each with a demo login), visits (most confirmed,
one waiting for the SME, one disputed, one scheduled), and two courses with named participants and attendance.
Everything is written through ``support.services``, as staff, the providers and the SMEs would."""

from __future__ import annotations

import datetime
from decimal import Decimal

from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group
from django.core.files.base import ContentFile
from django.db import transaction
from django.utils import timezone, translation

from cohorts.models import Candidate, Cohort
from core import roles
from programs.models import Program
from suppliers.models import Contact
from support import services
from support.models import Attendance, Evidence, FinancingCase, FinancingDocument, PlanItem, Provider
from support.selectors import plan_proposals

SUPPORTED = 6  # selected SMEs with support in the demo
PROVIDERS = (  # login key, kind, name, organization, specialties
    ("consultant", Provider.Kind.CONSULTANT, "Laura Méndez", "Calidad Automotriz Consultores", ["quality"]),
    ("mentor", Provider.Kind.MENTOR, "Jorge Treviño", "Red de Mentores del Bajío", ["management", "finance"]),
    ("trainer", Provider.Kind.TRAINER, "Patricia Ríos", "Instituto Tecnológico de Celaya", ["production"]),
)
COURSES = (
    ("Core tools: APQP, PPAP, FMEA y SPC", "quality", "León, Gto.", False),
    ("Manufactura esbelta (5S, SMED, kanban)", "production", "", True),
)
PEOPLE = (
    "Ana Lucía Herrera",
    "Carlos Villarreal",
    "María José Salinas",
    "Luis Fernando Ortega",
    "Gabriela Cantú",
    "Ricardo Zamora",
    "Sofía Guerrero",
    "Miguel Ángel Rocha",
    "Daniela Paredes",
    "Héctor Garza",
    "Valeria Núñez",
    "Alejandro Ibarra",
)


def supported_candidates(program: Program) -> list[Candidate]:
    cohort = Cohort.objects.filter(program=program, name="Cohorte 2025").first()
    if cohort is None:
        return []
    return list(
        Candidate.objects.filter(cohort=cohort, status=Candidate.Status.SELECTED)
        .select_related("supplier", "cohort")
        .order_by("pk")[:SUPPORTED]
    )


def _login(username: str, password: str, *, email: str, first_name: str, group: str):
    user_model = get_user_model()
    user = user_model.objects.filter(username=username).first()
    if user is None:
        user = user_model.objects.create_user(username=username, email=email, password=password, first_name=first_name)
    user.groups.add(Group.objects.get_or_create(name=group)[0])
    return user


@transaction.atomic
def build_support(program: Program, *, staff, logins: dict, log=print) -> bool:
    """Support for the first selected SMEs; does nothing when they already have it (or none was selected)."""
    candidates = supported_candidates(program)
    if not candidates or Provider.objects.filter(program=program).exists():
        return False
    with translation.override("es-mx"):
        _build(program, candidates, staff=staff, logins=logins)
    log(f"  support: {len(candidates)} SMEs with a plan, providers, visits and two courses")
    return True


def _build(program: Program, candidates: list[Candidate], *, staff, logins: dict) -> None:
    today = timezone.localdate()
    providers = {}
    for key, kind, name, organization, specialties in PROVIDERS:
        username, password = logins[key]
        user = _login(
            username,
            password,
            email=f"{username}@proveedores.demo.sdp.mx",
            first_name=name.split()[0],
            group=roles.PROVIDER_GROUP,
        )
        providers[key] = services.provider_create(
            actor=staff,
            program=program,
            user=user,
            kind=kind,
            name=name,
            organization=organization,
            email=user.email,
            specialties=specialties,
        )
    consultant, mentor, trainer = providers["consultant"], providers["mentor"], providers["trainer"]
    started = today - datetime.timedelta(days=90)
    sme_users = _sme_logins(candidates, logins)
    for n, candidate in enumerate(candidates):
        services.assignment_create(provider=consultant, candidate=candidate, actor=staff, starts_on=started)
        if n % 2 == 0:
            services.assignment_create(provider=mentor, candidate=candidate, actor=staff, starts_on=started)
        plan = _plan(candidate, consultant, staff=staff, today=today, n=n)
        answerer = sme_users.get(candidate.supplier_id) or staff
        _visits(candidate, plan, consultant, mentor if n % 2 == 0 else None, answerer, staff=staff, today=today, n=n)
    _courses(candidates, trainer, staff=staff, today=today)


def _sme_logins(candidates: list[Candidate], logins: dict) -> dict:
    """The SME logins of the supported SMEs; the selected-SME demo login goes to the first one without a login."""
    users = {
        c.supplier_id: c.user
        for c in Contact.objects.filter(supplier__in=[c.supplier for c in candidates], user__isnull=False)
        .select_related("user")
        .order_by("-is_primary", "pk")
    }
    username, password = logins["selected SME"]
    for candidate in candidates:
        if candidate.supplier_id in users:
            continue
        contact = Contact.objects.filter(supplier=candidate.supplier, is_primary=True).first()
        if contact is None:
            continue
        user = _login(
            username,
            password,
            email=contact.email or f"{username}@demo.sdp.mx",
            first_name=contact.name.split()[0],
            group=roles.SME_GROUP,
        )
        contact.user = user
        contact.save(update_fields=["user"])
        users[candidate.supplier_id] = user
        break
    return users


def _plan(candidate: Candidate, consultant: Provider, *, staff, today: datetime.date, n: int):
    contact = Contact.objects.filter(supplier=candidate.supplier, is_primary=True).first()
    owner = contact.name if contact else ""
    items = []
    for i, proposal in enumerate(plan_proposals(candidate)[:5]):
        item = {k: v for k, v in proposal.items() if k != "reason"}
        item.update(owner_name=owner, provider=consultant, due_date=today + datetime.timedelta(days=30 * (i + 1) - 45))
        items.append(item)
    if not items:
        items = [
            {
                "title": "Calidad: implantar 5S y control visual en planta",
                "dimension_code": "quality",
                "owner_name": owner,
                "provider": consultant,
                "due_date": today + datetime.timedelta(days=60),
            }
        ]
    plan = services.plan_create(
        candidate=candidate,
        actor=staff,
        items=items,
        summary="Plan de desarrollo acordado con la dirección a partir del diagnóstico.",
    )
    plan_items = list(plan.items.order_by("order", "id"))
    first = plan_items[0]
    services.plan_item_set_status(item=first, actor=staff, status=PlanItem.Status.IN_PROGRESS, expected_version=None)
    services.evidence_add(item=first, actor=staff, note="Diagnóstico de 5S en la línea de estampado; fotos en sitio.")
    if n % 3 == 0 and len(plan_items) > 1:
        services.plan_item_set_status(
            item=plan_items[1], actor=staff, status=PlanItem.Status.DONE, expected_version=None
        )
    for item in plan_items:
        if item.kind == PlanItem.Kind.CERTIFICATION:
            for milestone in item.milestones.order_by("order")[: 1 + n % 3]:
                services.milestone_reach(
                    milestone=milestone, actor=staff, reached_on=today - datetime.timedelta(days=20)
                )
    return plan


def _visits(candidate, plan, consultant, mentor, answerer, *, staff, today, n: int) -> None:
    items = list(plan.items.order_by("order", "id")[:2])
    logged = []
    for days, hours, topics in (
        (60, "4", "Recorrido de planta y mapa de la cadena de valor"),
        (35, "3", "Plan de control y hojas de verificación"),
        (12, "2.5", "Seguimiento de acciones correctivas"),
    ):
        logged.append(
            services.visit_log(
                provider=consultant,
                candidate=candidate,
                actor=consultant.user,
                items=items,
                date=today - datetime.timedelta(days=days),
                hours=Decimal(hours),
                topics=topics,
                agreements="Responsables y fechas acordados con la dirección.",
                next_steps="Revisar avances en la próxima visita.",
            )
        )
    services.visit_answer(visit=logged[0], actor=answerer, confirm=True)
    if n == 0:  # the first SME disputes one visit, and leaves the latest waiting
        services.visit_answer(
            visit=logged[1], actor=answerer, confirm=False, reason="La visita duró dos horas, no tres."
        )
    else:
        services.visit_answer(visit=logged[1], actor=answerer, confirm=True)
        if n % 2:
            services.visit_answer(visit=logged[2], actor=answerer, confirm=True)
    services.visit_schedule(
        provider=consultant,
        candidate=candidate,
        actor=consultant.user,
        scheduled_for=today + datetime.timedelta(days=7),
    )
    if mentor is not None:
        session = services.visit_log(
            provider=mentor,
            candidate=candidate,
            actor=mentor.user,
            kind="mentoring",
            date=today - datetime.timedelta(days=20),
            hours=Decimal("1.5"),
            topics="Tablero de indicadores y flujo de efectivo",
        )
        services.visit_answer(visit=session, actor=answerer, confirm=True)


def _courses(candidates: list[Candidate], trainer: Provider, *, staff, today: datetime.date) -> None:
    cohort = candidates[0].cohort
    now = timezone.now().replace(minute=0, second=0, microsecond=0)
    marks_cycle = (
        Attendance.Status.PRESENT,
        Attendance.Status.PRESENT,
        Attendance.Status.ABSENT,
        Attendance.Status.EXCUSED,
    )
    for c, (title, dimension, place, online) in enumerate(COURSES):
        course = services.course_create(
            actor=staff, cohort=cohort, title=title, topic=title, dimension_code=dimension, trainer=trainer
        )
        sessions = []
        for s, days in enumerate((-21, -7, 1)):  # two past sessions and one tomorrow
            start = now.replace(hour=9) + datetime.timedelta(days=days + c)
            sessions.append(
                services.session_create(
                    course=course,
                    actor=staff,
                    topic=f"Módulo {s + 1}",
                    starts_at=start,
                    ends_at=start + datetime.timedelta(hours=4),
                    place=place,
                    online=online,
                    capacity=30,
                )
            )
        participants = []
        for n, candidate in enumerate(candidates if c == 0 else candidates[::2]):
            names = (PEOPLE[(2 * n) % len(PEOPLE)], PEOPLE[(2 * n + 1) % len(PEOPLE)])
            enrolment = services.enrol(
                course=course, candidate=candidate, actor=staff, participants=[{"name": name} for name in names]
            )
            participants.extend(enrolment.participants.order_by("pk"))
        for s, session in enumerate(sessions[:2]):
            marks = {p.pk: marks_cycle[(i + s) % len(marks_cycle)] for i, p in enumerate(participants)}
            services.attendance_record(session=session, actor=trainer.user, marks=marks)


def demo_pdf(text: str) -> bytes:
    """A one-page PDF showing ``text`` (ASCII), small and valid, for the demo's uploaded files."""
    stream = f"BT /F1 18 Tf 72 720 Td ({text}) Tj ET".encode("ascii")
    objects = [
        b"<< /Type /Catalog /Pages 2 0 R >>",
        b"<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
        b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 612 792] /Contents 4 0 R "
        b"/Resources << /Font << /F1 5 0 R >> >> >>",
        b"<< /Length %d >>\nstream\n%s\nendstream" % (len(stream), stream),
        b"<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica >>",
    ]
    body, offsets = b"%PDF-1.4\n", []
    for number, content in enumerate(objects, start=1):
        offsets.append(len(body))
        body += b"%d 0 obj\n%s\nendobj\n" % (number, content)
    xref = len(body)
    body += b"xref\n0 %d\n0000000000 65535 f \n" % (len(objects) + 1)
    body += b"".join(b"%010d 00000 n \n" % offset for offset in offsets)
    body += b"trailer\n<< /Size %d /Root 1 0 R >>\nstartxref\n%d\n%%%%EOF\n" % (len(objects) + 1, xref)
    return body


@transaction.atomic
def add_demo_files(program: Program, *, logins: dict, log=print) -> bool:
    """The selected-SME login uploads an evidence file on its plan's first item and its financial statements
    on its financing case, as it would from its account; nothing when they exist or the SME has no plan or case."""
    username = logins["selected SME"][0]
    contact = Contact.objects.filter(user__username=username).select_related("user", "supplier").order_by("pk").first()
    if contact is None:
        return False
    in_program = {"candidate__cohort__program": program, "candidate__supplier": contact.supplier}
    case = FinancingCase.objects.filter(**in_program).order_by("pk").first()
    item = (
        PlanItem.objects.filter(plan__candidate__cohort__program=program, plan__candidate__supplier=contact.supplier)
        .order_by("plan_id", "order", "pk")
        .first()
    )
    added = False
    if item is not None and not Evidence.objects.filter(item__plan=item.plan).exclude(file="").exists():
        services.evidence_add(
            item=item,
            actor=contact.user,
            note="Fotografías del tablero de control visual instalado en la línea.",
            file=ContentFile(demo_pdf("Evidencia: control visual en linea"), name="evidencia.pdf"),
        )
        added = True
    if case is not None and not FinancingDocument.objects.filter(case=case).exists():
        services.financing_document_add(
            case=case,
            actor=contact.user,
            title="Estados financieros 2025",
            file=ContentFile(demo_pdf("Estados financieros 2025"), name="estados-financieros.pdf"),
        )
        added = True
    if added:
        log("  support: the selected SME's evidence file and financing document")
    return added
