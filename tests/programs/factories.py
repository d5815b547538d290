import factory
from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group

from core import roles
from programs import models


class UserFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = get_user_model()
        django_get_or_create = ("username",)
        skip_postgeneration_save = True

    username = factory.Sequence(lambda n: f"user{n}")
    email = factory.LazyAttribute(lambda u: f"{u.username}@example.mx")
    password = factory.django.Password("correct-horse-battery")

    class Params:
        # Program staff of the test program (``ProgramFactory()``); ``program=`` names another.
        staff = factory.Trait(
            is_staff=True,
            groups=factory.PostGeneration(lambda user, create, extracted, **kw: make_staff(user, kw.get("program"))),
        )


def make_staff(user, program=None):
    """``user`` in the program staff group and staff of ``program`` (the test program by default)."""
    user.groups.add(Group.objects.get_or_create(name=roles.STAFF_GROUP)[0])
    models.ProgramStaff.objects.get_or_create(user=user, program=program or ProgramFactory())
    return user


class RegionFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = models.Region
        django_get_or_create = ("code",)

    code = "bajio"
    name_es = "Bajío"
    name_en = "Bajio"


class StateFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = models.State
        django_get_or_create = ("code",)

    code = "11"
    name = "Guanajuato"
    abbreviation = "GTO"
    region = factory.SubFactory(RegionFactory)


class ProgramFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = models.Program
        django_get_or_create = ("code",)

    code = "sdp-test"
    name_es = "Programa de prueba"
    name_en = "Test program"


class PhaseFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = models.Phase

    program = factory.SubFactory(ProgramFactory)
    order = factory.Sequence(lambda n: n + 1)
    kind = models.Phase.Kind.REGISTRATION
    name_es = factory.Sequence(lambda n: f"Fase {n}")


class CertificationStandardFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = models.CertificationStandard
        django_get_or_create = ("code",)

    code = "iso-9001"
    name = "ISO 9001"


class AnchorCompanyFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = models.AnchorCompany

    program = factory.SubFactory(ProgramFactory)
    name = factory.Sequence(lambda n: f"Ancla {n}")
    kind = models.AnchorCompany.Kind.OEM


class AnchorReviewerFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = models.AnchorReviewer
        skip_postgeneration_save = True

    user = factory.SubFactory(UserFactory)
    anchor = factory.SubFactory(AnchorCompanyFactory)

    @factory.post_generation
    def group(self, create, extracted, **kwargs):
        if create:
            self.user.groups.add(Group.objects.get_or_create(name=roles.ANCHOR_GROUP)[0])


class CriticalSupplyAreaFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = models.CriticalSupplyArea

    program = factory.SubFactory(ProgramFactory)
    code = factory.Sequence(lambda n: f"SA{n:02d}")
    name_es = factory.Sequence(lambda n: f"Área {n}")
    name_en = factory.Sequence(lambda n: f"Area {n}")
    scian_code = "336390"


# A 1x1 PNG and the start of a JPEG: logos as their bytes say they are.
PNG_BYTES = (
    b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR\x00\x00\x00\x01\x00\x00\x00\x01\x08\x06\x00\x00\x00\x1f\x15\xc4\x89"
    b"\x00\x00\x00\rIDATx\x9cc\xf8\xcf\xc0\xf0\x1f\x00\x05\x00\x01\xff\x89\x99=\x1d\x00\x00\x00\x00IEND\xaeB`\x82"
)


class PartnerFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = models.Partner

    program = factory.SubFactory(ProgramFactory)
    name = factory.Sequence(lambda n: f"Organismo {n}")
    short_name = factory.Sequence(lambda n: f"ORG{n}")
    kind = models.Partner.Kind.ORGANIZER
    order = factory.Sequence(lambda n: n)

    class Params:
        with_logo = factory.Trait(logo=factory.django.FileField(filename="logo.png", data=PNG_BYTES))
