"""A small program world for cohort-selection tests: areas, anchors, regions, scored SMEs."""

from decimal import Decimal

from django.utils import timezone

from assessments.models import AreaAlignment, DimensionScore
from programs.models import Region, State
from suppliers.models import AnnualFigure
from tests.assessments.factories import DiagnosticFactory, DimensionFactory, FrameworkFactory
from tests.cohorts.factories import CohortFactory
from tests.programs.factories import (
    AnchorCompanyFactory,
    AnchorReviewerFactory,
    CriticalSupplyAreaFactory,
    ProgramFactory,
)
from tests.suppliers.factories import ContactFactory, SupplierFactory


class World:
    def __init__(self, k: int = 3):
        self.program = ProgramFactory()
        self.bajio = Region.objects.get_or_create(code="bajio", defaults={"name_es": "Bajío"})[0]
        self.norte = Region.objects.get_or_create(code="norte", defaults={"name_es": "Norte"})[0]
        self.gto = State.objects.get_or_create(
            code="11", defaults={"name": "Guanajuato", "abbreviation": "GTO", "region": self.bajio}
        )[0]
        self.qro = State.objects.get_or_create(
            code="22", defaults={"name": "Querétaro", "abbreviation": "QRO", "region": self.bajio}
        )[0]
        self.nl = State.objects.get_or_create(
            code="19", defaults={"name": "Nuevo León", "abbreviation": "NL", "region": self.norte}
        )[0]
        self.stamping = CriticalSupplyAreaFactory(program=self.program, code="EST", name_en="Stamping")
        self.plastics = CriticalSupplyAreaFactory(program=self.program, code="PLA", name_en="Plastics")
        self.anchor_a = AnchorCompanyFactory(program=self.program, name="Ancla A")
        self.anchor_b = AnchorCompanyFactory(program=self.program, name="Ancla B")
        self.stamping.anchors.add(self.anchor_a)
        self.plastics.anchors.add(self.anchor_b)
        self.reviewer_a = AnchorReviewerFactory(anchor=self.anchor_a).user
        self.reviewer_b = AnchorReviewerFactory(anchor=self.anchor_b).user
        self.framework = FrameworkFactory()
        self.dimension = DimensionFactory(
            framework=self.framework, code="quality", name_es="Calidad", name_en="Quality"
        )
        self.cohort = CohortFactory(program=self.program, min_size=k)

    def sme(
        self,
        *,
        score,
        areas=("stamping",),
        state=None,
        size="pequena",
        status="verified",
        diagnosed=True,
        language="es-mx",
        name=None,
    ):
        supplier = SupplierFactory(
            program=self.program,
            state=state or self.gto,
            size=size,
            status=status,
            **({"trade_name": name} if name else {}),
        )
        supplier.supply_areas.set([getattr(self, a) for a in areas])
        ContactFactory(supplier=supplier, language=language, is_primary=True)
        if diagnosed:
            diagnostic = DiagnosticFactory(
                supplier=supplier,
                framework=self.framework,
                status="scored",
                overall_score=Decimal(score),
                maturity_level=3,
                scored_at=timezone.now(),
                scores_by_dimension={self.dimension.code: f"{Decimal(score):.2f}"},
            )
            DimensionScore.objects.create(
                diagnostic=diagnostic,
                dimension=self.dimension,
                score=Decimal(score),
                rated_count=3,
                total_count=3,
                is_complete=True,
            )
            for area in (self.stamping, self.plastics):
                AreaAlignment.objects.create(
                    diagnostic=diagnostic,
                    area=area,
                    fit_percent=Decimal(score),
                    meets_requirements=score >= 70,
                    gaps=[]
                    if score >= 70
                    else [
                        {"dimension": "quality", "required": "70", "actual": str(score), "shortfall": str(70 - score)}
                    ],
                )
        return supplier

    def figures(self, supplier, rows):
        for year, sales, employees in rows:
            AnnualFigure.objects.create(supplier=supplier, year=year, sales_mdp=Decimal(sales), employees=employees)
