"""The catalogue of a program: phases, geography, anchors, supply areas and their requirements."""

from decimal import Decimal

from django.conf import settings
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import F, Q
from django.utils.translation import get_language
from django.utils.translation import gettext_lazy as _

from core.files import ServedFileField
from core.models import TimeStampedModel

from .validators import validate_logo

PERCENT = [MinValueValidator(Decimal("0")), MaxValueValidator(Decimal("100"))]


class BilingualNameMixin:
    """``name`` in the active language (``name_es`` / ``name_en``)."""

    @property
    def name(self) -> str:
        if (get_language() or "es").startswith("en") and self.name_en:
            return self.name_en
        return self.name_es

    def __str__(self) -> str:
        return self.name


class Region(BilingualNameMixin, models.Model):
    """A reporting region (Norte, Bajío, Centro, Resto): data, not code."""

    code = models.SlugField(_("code"), max_length=32, unique=True)
    name_es = models.CharField(_("name (Spanish)"), max_length=100)
    name_en = models.CharField(_("name (English)"), max_length=100, blank=True)
    order = models.PositiveSmallIntegerField(_("order"), default=0)

    class Meta:
        verbose_name = _("region")
        verbose_name_plural = _("regions")
        ordering = ["order", "code"]


class State(models.Model):
    """One of the 32 INEGI entidades federativas (codes 01-32)."""

    code = models.CharField(_("INEGI code"), max_length=2, unique=True)
    name = models.CharField(_("name"), max_length=100)
    abbreviation = models.CharField(_("abbreviation"), max_length=5)
    region = models.ForeignKey(Region, on_delete=models.PROTECT, related_name="states", verbose_name=_("region"))

    class Meta:
        verbose_name = _("state")
        verbose_name_plural = _("states")
        ordering = ["code"]
        constraints = [
            models.CheckConstraint(
                condition=Q(code__regex=r"^(0[1-9]|[12][0-9]|3[0-2])$"), name="state_inegi_code_01_32"
            ),
        ]

    def __str__(self) -> str:
        return self.name


class CertificationStandard(models.Model):
    """A certification scheme (ISO 9001, IATF 16949, ...)."""

    code = models.SlugField(_("code"), max_length=40, unique=True)
    name = models.CharField(_("name"), max_length=120)
    description_es = models.TextField(_("description (Spanish)"), blank=True)
    description_en = models.TextField(_("description (English)"), blank=True)

    class Meta:
        verbose_name = _("certification standard")
        verbose_name_plural = _("certification standards")
        ordering = ["name"]

    def __str__(self) -> str:
        return self.name


class Program(BilingualNameMixin, TimeStampedModel):
    PROGRAM_PATH = "pk"

    code = models.SlugField(_("code"), max_length=40, unique=True)
    name_es = models.CharField(_("name (Spanish)"), max_length=200)
    name_en = models.CharField(_("name (English)"), max_length=200, blank=True)
    description_es = models.TextField(_("description (Spanish)"), blank=True)
    description_en = models.TextField(_("description (English)"), blank=True)
    start_date = models.DateField(_("start date"), null=True, blank=True)
    end_date = models.DateField(_("end date"), null=True, blank=True)
    registration_open = models.BooleanField(_("registration open"), default=True)
    profile_editing_open = models.BooleanField(
        _("SMEs may edit their profile"),
        default=True,
        help_text=_("While on, registered SMEs may update their company profile."),
    )
    data_controller = models.CharField(
        _("data controller (legal entity)"),
        max_length=255,
        blank=True,
        help_text=_("The legal entity responsible for the personal data, as named in the privacy notice."),
    )
    data_controller_address = models.TextField(_("data controller's address"), blank=True)
    privacy_contact_email = models.EmailField(
        _("privacy contact email"), blank=True, help_text=_("Where data subjects exercise their ARCO rights.")
    )

    class Meta:
        verbose_name = _("program")
        verbose_name_plural = _("programs")
        ordering = ["-start_date", "code"]
        constraints = [
            models.CheckConstraint(
                condition=Q(end_date__isnull=True) | Q(start_date__isnull=True) | Q(end_date__gte=F("start_date")),
                name="program_dates_ordered",
            ),
        ]


class ProgramStaff(models.Model):
    """A staff member of a program: sees and works on that program's data (``programs.selectors.scoped``).

    A program staff account with no active membership sees no program's data; a superuser sees every
    program. Memberships are managed by a superuser in the admin.
    """

    PROGRAM_PATH = "program"

    program = models.ForeignKey(
        Program, on_delete=models.CASCADE, related_name="staff_memberships", verbose_name=_("program")
    )
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.CASCADE,
        related_name="program_memberships",
        verbose_name=_("staff member"),
    )
    is_active = models.BooleanField(_("active"), default=True)
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)

    class Meta:
        verbose_name = _("program staff member")
        verbose_name_plural = _("program staff")
        ordering = ["program", "user"]
        constraints = [models.UniqueConstraint(fields=["program", "user"], name="program_staff_unique_member")]
        indexes = [models.Index(fields=["user", "is_active"], name="program_staff_user_active")]

    def __str__(self) -> str:
        return f"{self.user} · {self.program.code}"


def partner_logo_upload_to(instance: "Partner", filename: str) -> str:
    return f"programs/{instance.program_id}/partners/{filename}"


class Partner(models.Model):
    """An organization behind a program (INA, IFC, Secretaría de Economía ...): named with its logo on the
    pages, the privacy notice and the emails of the program (``programs.partners``)."""

    class Kind(models.TextChoices):
        ORGANIZER = "organizer", _("Organizer")
        FUNDER = "funder", _("Funder")
        GOVERNMENT = "government", _("Government")
        OTHER = "other", _("Other")

    PROGRAM_PATH = "program"

    program = models.ForeignKey(Program, on_delete=models.CASCADE, related_name="partners", verbose_name=_("program"))
    name = models.CharField(
        _("name"), max_length=200, help_text=_("The full name, e.g. Industria Nacional de Autopartes, A.C.")
    )
    short_name = models.CharField(
        _("short name"), max_length=40, blank=True, help_text=_("The acronym or short name, e.g. INA.")
    )
    kind = models.CharField(_("role in the program"), max_length=12, choices=Kind.choices, default=Kind.ORGANIZER)
    website = models.URLField(_("website"), blank=True)
    logo = ServedFileField(
        _("logo"),
        upload_to=partner_logo_upload_to,
        blank=True,
        validators=[validate_logo],
        help_text=_("A PNG or JPEG image; shown about 40 pixels high."),
        view="programs:partner-logo",
    )
    order = models.PositiveSmallIntegerField(_("order"), default=0)
    is_active = models.BooleanField(_("active"), default=True)
    updated_at = models.DateTimeField(_("updated at"), auto_now=True)

    class Meta:
        verbose_name = _("partner")
        verbose_name_plural = _("partners")
        ordering = ["program", "order", "pk"]
        constraints = [models.UniqueConstraint(fields=["program", "name"], name="partner_unique_name_per_program")]
        indexes = [models.Index(fields=["program", "is_active", "order"], name="partner_program_active")]

    def __str__(self) -> str:
        return self.label

    @property
    def label(self) -> str:
        """How pages and emails name the partner: its short name, else its name."""
        return self.short_name or self.name

    @property
    def full_label(self) -> str:
        """Its name with its short name: "Industria Nacional de Autopartes (INA)"."""
        if self.short_name and self.short_name != self.name:
            return f"{self.name} ({self.short_name})"
        return self.name


class Phase(BilingualNameMixin, models.Model):
    class Kind(models.TextChoices):
        REGISTRATION = "registration", _("Registration")
        DIAGNOSIS = "diagnosis", _("Diagnosis")
        SELECTION = "selection", _("Selection")
        SUPPORT = "support", _("Support")
        FOLLOW_UP = "follow_up", _("Follow-up")

    PROGRAM_PATH = "program"

    program = models.ForeignKey(Program, on_delete=models.CASCADE, related_name="phases", verbose_name=_("program"))
    order = models.PositiveSmallIntegerField(_("order"))
    kind = models.CharField(_("kind"), max_length=20, choices=Kind.choices)
    name_es = models.CharField(_("name (Spanish)"), max_length=200)
    name_en = models.CharField(_("name (English)"), max_length=200, blank=True)
    start_date = models.DateField(_("start date"), null=True, blank=True)
    end_date = models.DateField(_("end date"), null=True, blank=True)

    class Meta:
        verbose_name = _("phase")
        verbose_name_plural = _("phases")
        ordering = ["program", "order"]
        constraints = [
            models.UniqueConstraint(fields=["program", "order"], name="phase_unique_order"),
            models.CheckConstraint(
                condition=Q(end_date__isnull=True) | Q(start_date__isnull=True) | Q(end_date__gte=F("start_date")),
                name="phase_dates_ordered",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.program.code} · {self.name}"


class AnchorCompany(TimeStampedModel):
    class Kind(models.TextChoices):
        OEM = "oem", _("Automaker (OEM)")
        TIER1 = "tier1", _("Tier 1 supplier")

    PROGRAM_PATH = "program"

    program = models.ForeignKey(Program, on_delete=models.CASCADE, related_name="anchors", verbose_name=_("program"))
    name = models.CharField(_("name"), max_length=200)
    kind = models.CharField(_("kind"), max_length=10, choices=Kind.choices)
    state = models.ForeignKey(
        State, null=True, blank=True, on_delete=models.SET_NULL, verbose_name=_("main plant state")
    )
    description_es = models.TextField(_("description (Spanish)"), blank=True)
    description_en = models.TextField(_("description (English)"), blank=True)
    is_active = models.BooleanField(_("active"), default=True)

    class Meta:
        verbose_name = _("anchor company")
        verbose_name_plural = _("anchor companies")
        ordering = ["name"]
        constraints = [models.UniqueConstraint(fields=["program", "name"], name="anchor_unique_name_per_program")]

    def __str__(self) -> str:
        return self.name


class AnchorReviewer(models.Model):
    """Links a user to the anchor company it works for: it reviews candidates and posts sourcing
    opportunities. One of an anchor's users is its administrator, who invites colleagues."""

    PROGRAM_PATH = "anchor__program"

    user = models.OneToOneField(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="anchor_reviewer", verbose_name=_("user")
    )
    anchor = models.ForeignKey(
        AnchorCompany, on_delete=models.CASCADE, related_name="reviewers", verbose_name=_("anchor")
    )
    is_active = models.BooleanField(_("active"), default=True)
    is_administrator = models.BooleanField(
        _("administrator"), default=False, help_text=_("Invites the company's colleagues to the program.")
    )
    language = models.CharField(_("language"), max_length=8, choices=settings.LANGUAGES, default="es-mx")

    class Meta:
        verbose_name = _("anchor reviewer")
        verbose_name_plural = _("anchor reviewers")
        constraints = [
            models.UniqueConstraint(
                fields=["anchor"], condition=models.Q(is_administrator=True), name="anchor_one_administrator"
            )
        ]

    def __str__(self) -> str:
        return f"{self.user} @ {self.anchor}"


class CriticalSupplyArea(BilingualNameMixin, models.Model):
    """A commodity the anchors named as critical (stamping, harnesses, ...)."""

    PROGRAM_PATH = "program"

    program = models.ForeignKey(
        Program, on_delete=models.CASCADE, related_name="supply_areas", verbose_name=_("program")
    )
    code = models.CharField(_("code"), max_length=10)
    name_es = models.CharField(_("name (Spanish)"), max_length=200)
    name_en = models.CharField(_("name (English)"), max_length=200, blank=True)
    description_es = models.TextField(_("description (Spanish)"), blank=True)
    description_en = models.TextField(_("description (English)"), blank=True)
    scian_code = models.CharField(_("SCIAN code"), max_length=6)
    anchors = models.ManyToManyField(
        AnchorCompany, related_name="supply_areas", blank=True, verbose_name=_("anchors that demand it")
    )
    required_certifications = models.ManyToManyField(
        CertificationStandard, related_name="+", blank=True, verbose_name=_("required certifications")
    )

    class Meta:
        verbose_name = _("critical supply area")
        verbose_name_plural = _("critical supply areas")
        ordering = ["program", "code"]
        constraints = [
            models.UniqueConstraint(fields=["program", "code"], name="area_unique_code_per_program"),
            models.CheckConstraint(condition=Q(scian_code__regex=r"^[0-9]{6}$"), name="area_scian_six_digits"),
        ]


class AreaRequirement(models.Model):
    """Minimum score (0-100) an SME needs in one maturity dimension to supply an area.

    Dimensions are named by their stable code (``quality``, ``production`` ...)
    so requirements survive new framework versions.
    """

    PROGRAM_PATH = "area__program"

    area = models.ForeignKey(
        CriticalSupplyArea, on_delete=models.CASCADE, related_name="requirements", verbose_name=_("supply area")
    )
    dimension_code = models.SlugField(_("dimension code"), max_length=40)
    minimum_score = models.DecimalField(_("minimum score"), max_digits=5, decimal_places=2, validators=PERCENT)

    class Meta:
        verbose_name = _("dimension requirement")
        verbose_name_plural = _("dimension requirements")
        ordering = ["area", "dimension_code"]
        constraints = [
            models.UniqueConstraint(fields=["area", "dimension_code"], name="requirement_unique_dimension"),
            models.CheckConstraint(
                condition=Q(minimum_score__gte=0, minimum_score__lte=100), name="requirement_score_0_100"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.area.code} {self.dimension_code} ≥ {self.minimum_score}"
