import factory

from cohorts import models
from tests.programs.factories import ProgramFactory


class CohortFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = models.Cohort

    program = factory.SubFactory(ProgramFactory)
    name = factory.Sequence(lambda n: f"Cohorte {n}")
    year = 2025
    min_size = 55
    max_size = factory.SelfAttribute("min_size")


class CandidateFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = models.Candidate

    cohort = factory.SubFactory(CohortFactory)
    supplier = factory.SubFactory("tests.suppliers.factories.SupplierFactory")
    growth_index = 50
