from decimal import Decimal

import factory
from django.conf import settings
from django.contrib.auth.models import Group

from core import roles
from suppliers import models
from tests.programs.factories import ProgramFactory, StateFactory, UserFactory

# Valid 12-character RFCs (persona moral) generated from a sequence.
_LETTERS = "ABCDEFGHIJKLMNOPQRSTUVWXYZ"


def rfc_for(n: int) -> str:
    prefix = _LETTERS[n % 26] + _LETTERS[(n // 26) % 26] + _LETTERS[(n // 676) % 26]
    return f"{prefix}{900101 + (n % 28):06d}{n % 10}A{n % 9}"


class CompanyFactory(factory.django.DjangoModelFactory):
    """The company of an RFC (the one already stored, when there is one)."""

    class Meta:
        model = models.Company
        django_get_or_create = ("rfc",)

    legal_name = factory.Sequence(lambda n: f"Proveedora {n}, S.A. de C.V.")
    trade_name = factory.Sequence(lambda n: f"Proveedora {n}")
    rfc = factory.Sequence(rfc_for)
    person_type = models.Supplier.PersonType.MORAL
    state = factory.SubFactory(StateFactory)
    municipality = "León"
    scian_code = "336390"
    sector = "industria"


class SupplierFactory(factory.django.DjangoModelFactory):
    """A participation; its company is the one of its RFC (created with this row's company data if new)."""

    class Meta:
        model = models.Supplier

    program = factory.SubFactory(ProgramFactory)
    legal_name = factory.Sequence(lambda n: f"Proveedora {n}, S.A. de C.V.")
    trade_name = factory.Sequence(lambda n: f"Proveedora {n}")
    rfc = factory.Sequence(rfc_for)
    person_type = models.Supplier.PersonType.MORAL
    state = factory.SubFactory(StateFactory)
    municipality = "León"
    scian_code = "336390"
    sector = "industria"
    company = factory.SubFactory(
        CompanyFactory,
        rfc=factory.SelfAttribute("..rfc"),
        legal_name=factory.SelfAttribute("..legal_name"),
        trade_name=factory.SelfAttribute("..trade_name"),
        person_type=factory.SelfAttribute("..person_type"),
        state=factory.SelfAttribute("..state"),
        municipality=factory.SelfAttribute("..municipality"),
        scian_code=factory.SelfAttribute("..scian_code"),
        sector=factory.SelfAttribute("..sector"),
    )
    employees = 40
    annual_sales_mdp = Decimal("20")
    size = "pequena"
    status = models.Supplier.Status.VERIFIED
    privacy_notice_version = factory.LazyFunction(lambda: settings.SDP_PRIVACY_NOTICE_VERSION)

    class Params:
        draft = factory.Trait(status=models.Supplier.Status.DRAFT)
        submitted = factory.Trait(status=models.Supplier.Status.SUBMITTED)


class ContactFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = models.Contact
        skip_postgeneration_save = True

    supplier = factory.SubFactory(SupplierFactory)
    name = factory.Sequence(lambda n: f"Contacto {n}")
    email = factory.Sequence(lambda n: f"contacto{n}@pyme.mx")
    phone = "+524771234567"

    class Params:
        with_user = factory.Trait(
            user=factory.SubFactory(
                UserFactory, username=factory.SelfAttribute("..email"), email=factory.SelfAttribute("..email")
            ),
        )

    @factory.post_generation
    def sme_group(self, create, extracted, **kwargs):
        if create and self.user_id:
            self.user.groups.add(Group.objects.get_or_create(name=roles.SME_GROUP)[0])
