import datetime
from decimal import Decimal

import pytest

from assessments import services
from assessments.models import Diagnostic, Question
from programs.models import AreaRequirement
from tests.assessments.factories import build_framework
from tests.programs.factories import CertificationStandardFactory, CriticalSupplyAreaFactory
from tests.suppliers.factories import ContactFactory, SupplierFactory


@pytest.fixture
def framework(db):
    return build_framework()


@pytest.fixture
def area(db):
    area = CriticalSupplyAreaFactory(code="STAMP", name_es="Estampado", name_en="Stamping")
    AreaRequirement.objects.create(area=area, dimension_code="quality", minimum_score=Decimal("75"))
    AreaRequirement.objects.create(area=area, dimension_code="production", minimum_score=Decimal("50"))
    area.required_certifications.add(CertificationStandardFactory(code="iatf-16949", name="IATF 16949"))
    return area


@pytest.fixture
def supplier(db, area):
    supplier = SupplierFactory(program=area.program)
    supplier.supply_areas.add(area)
    return supplier


@pytest.fixture
def sme_user(supplier):
    return ContactFactory(supplier=supplier, with_user=True, language="en").user


def levels_for(framework, levels: dict[str, int]) -> list[dict]:
    """Answer items: {question code: level}; level 0 means N/A."""
    questions = {q.code: q.pk for q in Question.objects.filter(dimension__framework=framework)}
    return [
        {"question": questions[code], "level": None, "not_applicable": True, "na_reason": "No aplica"}
        if level == 0
        else {"question": questions[code], "level": level, "evidence": f"evidencia {code}"}
        for code, level in levels.items()
    ]


FULL = {  # quality 4,4,4 -> 75; production 3,3,N/A -> 50; finance 2,2,2 -> 25
    "quality-1": 4,
    "quality-2": 4,
    "quality-3": 4,
    "production-1": 3,
    "production-2": 3,
    "production-3": 0,
    "finance-1": 2,
    "finance-2": 2,
    "finance-3": 2,
}


@pytest.fixture
def make_diagnostic(framework, supplier, staff_user):
    def make(levels=None, *, submit=False, supplier_=None, **kwargs) -> Diagnostic:
        diagnostic = services.diagnostic_schedule(
            supplier=supplier_ or supplier,
            framework=kwargs.pop("framework", framework),
            scheduled_for=kwargs.pop("scheduled_for", datetime.date(2025, 3, 1)),
            assessor=staff_user,
            actor=staff_user,
            **kwargs,
        )
        if levels:
            services.diagnostic_answers_save(
                diagnostic=diagnostic,
                answers=levels_for(diagnostic.framework, levels),
                expected_version=diagnostic.version,
                actor=staff_user,
            )
            diagnostic.refresh_from_db()
        if submit:
            services.diagnostic_submit(diagnostic=diagnostic, expected_version=diagnostic.version, actor=staff_user)
            diagnostic.refresh_from_db()
        return diagnostic

    return make
