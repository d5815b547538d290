"""A program with two anchors, scored SMEs that agreed to be visible to anchors, and an opportunity."""

import datetime
from decimal import Decimal

from django.utils import timezone

from assessments.models import Diagnostic
from programs.models import AreaRequirement, CertificationStandard
from sourcing import services
from sourcing.models import AnchorVisibility
from suppliers.models import Certification
from tests.cohorts.world import World
from tests.programs.factories import AnchorReviewerFactory, UserFactory
from tests.suppliers.factories import ContactFactory


class SourcingWorld(World):
    def __init__(self):
        super().__init__(k=3)
        self.staff = UserFactory(username="coordinacion", staff=True)
        self.admin_a = AnchorReviewerFactory(anchor=self.anchor_a, is_administrator=True, language="en").user
        self.iso = CertificationStandard.objects.get_or_create(code="iso-9001", defaults={"name": "ISO 9001"})[0]
        AreaRequirement.objects.create(area=self.stamping, dimension_code="quality", minimum_score=Decimal("60"))
        self.today = timezone.localdate()
        # A strong SME in Guanajuato with ISO 9001, a weaker one far away, one that is not visible.
        self.strong = self.visible_sme(score=80, name="Troqueles del Bajío")
        Certification.objects.create(supplier=self.strong, standard=self.iso)
        self.weak = self.visible_sme(score=40, state=self.nl, name="Metales del Norte")
        self.hidden = self.sme(score=90, name="Oculta")
        self.sme_user = ContactFactory(supplier=self.strong, is_primary=False, with_user=True, language="es-mx").user
        self.weak_user = ContactFactory(supplier=self.weak, is_primary=False, with_user=True).user

    def visible_sme(self, **kwargs):
        supplier = self.sme(**kwargs)
        Diagnostic.objects.filter(supplier=supplier).update(is_current_baseline=True)
        AnchorVisibility.objects.create(supplier=supplier, visible=True, changed_at=timezone.now())
        return supplier

    def data(self, **overrides):
        return {
            "title": "Soportes estampados",
            "description": "Soportes de acero estampado para asientos",
            "part_family": "Soportes",
            "process": "Estampado",
            "annual_volume": 120000,
            "annual_value": Decimal("3000000"),
            "currency": "MXN",
            "minimum_maturity_level": 2,
            "delivery_state": self.gto,
            "delivery_plant": "Planta Silao",
            "start_date": self.today + datetime.timedelta(days=60),
            "response_deadline": self.today + datetime.timedelta(days=20),
            "visibility": "open",
            **overrides,
        }

    def post(self, actor=None, areas=None, certifications=None, rank=True, **overrides):
        opportunity = services.opportunity_post(
            anchor=self.anchor_a,
            actor=actor or self.reviewer_a,
            data=self.data(**overrides),
            areas=areas or [self.stamping],
            required_certifications=[self.iso] if certifications is None else certifications,
        )
        if rank:
            services.opportunity_rank(opportunity_id=opportunity.pk)
        return opportunity
