import datetime
from decimal import Decimal

import factory

from assessments import models
from tests.suppliers.factories import SupplierFactory


class FrameworkFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = models.Framework

    code = factory.Sequence(lambda n: f"fw-{n}")
    version = 1
    name_es = "Marco de prueba"
    is_published = True


class DimensionFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = models.Dimension

    framework = factory.SubFactory(FrameworkFactory)
    code = factory.Sequence(lambda n: f"dim{n}")
    name_es = factory.Sequence(lambda n: f"Dimensión {n}")
    weight = Decimal("100")


class QuestionFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = models.Question

    dimension = factory.SubFactory(DimensionFactory)
    code = factory.Sequence(lambda n: f"q{n}")
    text_es = factory.Sequence(lambda n: f"Pregunta {n}")
    weight = Decimal("1")


class DiagnosticFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = models.Diagnostic

    supplier = factory.SubFactory(SupplierFactory)
    framework = factory.SubFactory(FrameworkFactory)
    scheduled_for = factory.LazyFunction(lambda: datetime.date(2025, 3, 1))


class LevelDescriptorFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = models.LevelDescriptor

    question = factory.SubFactory(QuestionFactory)
    level = 1
    text_es = factory.LazyAttribute(lambda d: f"Nivel {d.level} de {d.question.code}")
    text_en = factory.LazyAttribute(lambda d: f"Level {d.level} of {d.question.code}")


class MaturityBandFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = models.MaturityBand

    framework = factory.SubFactory(FrameworkFactory)
    level = 1
    name_es = factory.LazyAttribute(lambda b: f"Nivel {b.level}")
    name_en = factory.LazyAttribute(lambda b: f"Level {b.level}")
    min_score = Decimal("0")
    max_score = Decimal("100")


def build_framework(
    *, dimensions=(("quality", 40, 3), ("production", 35, 3), ("finance", 25, 3)), critical: str | None = None, **kwargs
) -> models.Framework:
    """A complete framework: dimensions ``(code, weight, question count)`` with five descriptors per
    question and five equal bands (0-20-40-60-80-100). ``critical``: a question code made critical (cap 2)."""
    framework = FrameworkFactory(**kwargs)
    for order, (code, weight, count) in enumerate(dimensions, start=1):
        dimension = DimensionFactory(
            framework=framework,
            code=code,
            weight=Decimal(weight),
            order=order,
            name_es=code.title(),
            name_en=code.title(),
        )
        for n in range(1, count + 1):
            q_code = f"{code}-{n}"
            question = QuestionFactory(
                dimension=dimension,
                code=q_code,
                order=n,
                text_es=f"¿{q_code}?",
                text_en=f"{q_code}?",
                is_critical=q_code == critical,
                cap_level=2 if q_code == critical else None,
            )
            for level in range(1, 6):
                LevelDescriptorFactory(question=question, level=level)
    for level in range(1, 6):
        MaturityBandFactory(
            framework=framework, level=level, min_score=Decimal(20 * (level - 1)), max_score=Decimal(20 * level)
        )
    return framework
