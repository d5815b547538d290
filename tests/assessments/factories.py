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
