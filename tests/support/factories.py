"""A selected SME with a plan, a provider assigned to it, and the world around them."""

import datetime
from decimal import Decimal

from django.utils import timezone

from assessments.models import Answer, AreaAlignment
from cohorts.models import Candidate
from programs.models import CertificationStandard
from support import services
from support.models import Provider
from tests.assessments.factories import LevelDescriptorFactory, QuestionFactory
from tests.cohorts.factories import CandidateFactory
from tests.cohorts.world import World
from tests.programs.factories import UserFactory
from tests.suppliers.factories import ContactFactory


class SupportWorld(World):
    """``World`` plus a selected SME (gap in quality for stamping, IATF missing), a consultant assigned to it
    and staff."""

    def __init__(self):
        super().__init__(k=3)
        self.staff = UserFactory(username="coordinadora", staff=True)
        self.iatf = CertificationStandard.objects.get_or_create(code="iatf-16949", defaults={"name": "IATF 16949"})[0]
        self.stamping.required_certifications.add(self.iatf)
        question = QuestionFactory(dimension=self.dimension, code="q-calidad")
        for level in range(1, 6):
            LevelDescriptorFactory(
                question=question, level=level, text_es=f"Nivel {level}: control", text_en=f"Level {level}: control"
            )
        self.supplier = self.sme(score=50)
        AreaAlignment.objects.filter(diagnostic__supplier=self.supplier, area=self.stamping).update(
            missing_certifications=[self.iatf.code]
        )
        self.candidate = CandidateFactory(cohort=self.cohort, supplier=self.supplier, status=Candidate.Status.SELECTED)
        Answer.objects.create(diagnostic=self.supplier.diagnostics.get(), question=question, level=2)
        self.sme_user = ContactFactory(supplier=self.supplier, is_primary=False, with_user=True).user
        self.provider = self.make_provider(name="Consultora Uno")
        self.today = timezone.localdate()
        services.assignment_create(
            provider=self.provider,
            candidate=self.candidate,
            actor=self.staff,
            starts_on=self.today - datetime.timedelta(days=30),
        )

    def make_provider(self, *, name="Mentor", kind=Provider.Kind.CONSULTANT, with_user=True):
        user = UserFactory(username=name.lower().replace(" ", "-")) if with_user else None
        provider = services.provider_create(
            actor=None,
            program=self.program,
            user=user,
            kind=kind,
            name=name,
            organization="Despacho",
            email=f"{name.split()[0].lower()}@consultores.mx",
            specialties=["quality"],
        )
        if user is not None:
            from django.contrib.auth.models import Group

            from core import roles

            if hasattr(roles, "PROVIDER_GROUP"):
                user.groups.add(Group.objects.get_or_create(name=roles.PROVIDER_GROUP)[0])
        return provider

    def plan(self, **overrides):
        items = [
            {
                "title": "Calidad: control estadístico",
                "dimension_code": "quality",
                "area": self.stamping,
                "due_date": self.today + datetime.timedelta(days=5),
                "provider": self.provider,
            },
            services.certification_item(
                standard=self.iatf, area=self.stamping, due_date=self.today + datetime.timedelta(days=200)
            ),
        ]
        return services.plan_create(candidate=self.candidate, actor=self.staff, items=items, **overrides)

    def visit(self, *, hours="3", days_ago=2, **data):
        return services.visit_log(
            provider=self.provider,
            candidate=self.candidate,
            actor=self.provider.user,
            date=self.today - datetime.timedelta(days=days_ago),
            hours=Decimal(hours),
            topics=data.pop("topics", "Control estadístico"),
            **data,
        )


def financing_case(world, *, candidate=None, days_ago: int = 40, **terms):
    """A NAFIN credit through a bank, referred ``days_ago`` days ago (old enough to move it on any date since)."""
    data = {
        "institution": "nafin",
        "product": "credit",
        "bank": "Banorte",
        "amount_requested": Decimal("1000000"),
        "purpose": "Capital de trabajo para un nuevo contrato",
        **terms,
    }
    return services.financing_case_open(
        candidate=candidate or world.candidate,
        actor=world.staff,
        referred_on=world.today - datetime.timedelta(days=days_ago),
        **data,
    )


def financing_to(world, case, status: str, *, approved="800000", paid=("500000",)):
    """Move ``case`` forward (through application and approval) to ``status``; disbursed pays ``paid``."""
    path = {
        "application": ["application"],
        "approved": ["application", "approved"],
        "rejected": ["application", "rejected"],
        "disbursed": ["application", "approved"],
    }[status]
    for step in path:
        case = services.financing_case_move(
            case=case,
            actor=world.staff,
            to=step,
            expected_version=case.version,
            amount_approved=Decimal(approved) if step == "approved" else None,
            reason="La institución no aceptó las garantías" if step == "rejected" else "",
        )
    if status == "disbursed":
        for amount in paid:
            services.financing_disbursement_add(
                case=case, actor=world.staff, amount=Decimal(amount), expected_version=None
            )
        case.refresh_from_db()
    return case
