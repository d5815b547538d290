"""The SME (supplier), its contacts, certifications, documents and yearly figures."""

from decimal import Decimal

from django.conf import settings
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import F, Q
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy
from phonenumber_field.modelfields import PhoneNumberField

from core.files import ServedFileField
from core.models import TimeStampedModel
from core.text import refuse_control_characters, refuse_control_characters_multiline
from programs.models import AnchorCompany, CertificationStandard, CriticalSupplyArea, Program, State

from .stratification import EmployeeRange, Sector, Size

# The placeholder an erased individual's RFC becomes (ARCO): not an RFC, so not unique.
ERASED_RFC = "XXXX000000XXX"


class Supplier(TimeStampedModel):
    """A Mexican SME's participation in one program (its registration); the company is ``company``."""

    PROGRAM_PATH = "program"

    class Status(models.TextChoices):
        # The status of a registration ("registro", masculine in Spanish: registro enviado, verificado).
        DRAFT = "draft", _("Draft")
        SUBMITTED = "submitted", pgettext_lazy("registration status", "Submitted")
        VERIFIED = "verified", pgettext_lazy("registration status", "Verified")
        REJECTED = "rejected", pgettext_lazy("registration status", "Rejected")
        DUPLICATE = "duplicate", pgettext_lazy("registration status", "Duplicate")

    TRANSITIONS = {
        Status.DRAFT: {Status.SUBMITTED, Status.DUPLICATE},
        Status.SUBMITTED: {Status.VERIFIED, Status.REJECTED, Status.DUPLICATE},
        Status.VERIFIED: {Status.REJECTED, Status.DUPLICATE},
        Status.REJECTED: {Status.SUBMITTED, Status.VERIFIED},
        Status.DUPLICATE: {Status.SUBMITTED, Status.VERIFIED},
    }
    # States in which the RFC must be unique in a program: a company (one RFC) takes part in several
    # programs, but a second live registration of the same RFC in one program is kept as a duplicate.
    RFC_UNIQUE_STATUSES = (Status.SUBMITTED, Status.VERIFIED)

    class PersonType(models.TextChoices):
        MORAL = "moral", _("Legal entity (persona moral)")
        FISICA = "fisica", _("Individual (persona física)")

    # Indexed by (program, status) and (program, legal_name, id): no index of its own (see Meta.indexes).
    program = models.ForeignKey(
        Program, on_delete=models.PROTECT, related_name="suppliers", verbose_name=_("program"), db_index=False
    )
    # The company taking part; its shared data (``COMPANY_SHARED_FIELDS``) is copied on this row.
    company = models.ForeignKey(
        "Company", on_delete=models.PROTECT, related_name="participations", verbose_name=_("company")
    )
    legal_name = models.CharField(
        _("legal name (razón social)"), max_length=255, validators=[refuse_control_characters]
    )
    trade_name = models.CharField(_("trade name"), max_length=255, blank=True, validators=[refuse_control_characters])
    rfc = models.CharField(_("RFC"), max_length=13)
    rfc_checksum_valid = models.BooleanField(
        _("RFC check digit valid"),
        default=True,
        help_text=_("A failed check digit is a warning for staff, not a rejection."),
    )
    person_type = models.CharField(_("person type"), max_length=6, choices=PersonType.choices)
    state = models.ForeignKey(
        State, on_delete=models.PROTECT, related_name="suppliers", verbose_name=_("state"), db_index=False
    )
    municipality = models.CharField(_("municipality"), max_length=120, validators=[refuse_control_characters])
    scian_code = models.CharField(_("SCIAN sector code"), max_length=6)
    sector = models.CharField(_("sector"), max_length=10, choices=[(s.value, s.value.title()) for s in Sector])
    year_founded = models.PositiveSmallIntegerField(
        _("year founded"), null=True, blank=True, validators=[MinValueValidator(1850), MaxValueValidator(2100)]
    )
    employees = models.PositiveIntegerField(_("employees"))
    annual_sales_mdp = models.DecimalField(
        _("annual sales (millions of MXN)"),
        max_digits=12,
        decimal_places=3,
        validators=[MinValueValidator(Decimal("0"))],
    )
    export_share = models.DecimalField(
        _("export share (%)"),
        max_digits=5,
        decimal_places=2,
        default=Decimal("0"),
        validators=[MinValueValidator(Decimal("0")), MaxValueValidator(Decimal("100"))],
    )
    size = models.CharField(_("size (DOF 2009)"), max_length=8, choices=[(s.value, s.value.title()) for s in Size])
    employee_range = models.CharField(
        _("employees against the range of its size"),
        max_length=6,
        choices=[
            (EmployeeRange.WITHIN.value, _("Within the range of its size")),
            (EmployeeRange.ABOVE.value, _("Above the range of its size")),
            (EmployeeRange.BELOW.value, _("Below the range of its size")),
        ],
        default=EmployeeRange.WITHIN.value,
        help_text=_(
            "The combined score decides the size; the DOF 2009 table also gives each size a range of employees. "
            "Outside it, staff see a flag."
        ),
    )
    # The company's own facts behind the IFC classes (size by total assets; women-owned or women-led):
    # asked at registration, updated by each follow-up answer. Empty means "not told yet".
    total_assets_mdp = models.DecimalField(
        _("total assets (millions of MXN)"),
        max_digits=12,
        decimal_places=3,
        null=True,
        blank=True,
        validators=[MinValueValidator(Decimal("0"))],
    )
    women_ownership_share = models.DecimalField(
        _("share of the company owned by women (%)"),
        max_digits=5,
        decimal_places=2,
        null=True,
        blank=True,
        validators=[MinValueValidator(Decimal("0")), MaxValueValidator(Decimal("100"))],
    )
    woman_ceo_or_coo = models.BooleanField(_("a woman is CEO or COO"), null=True, blank=True)
    has_board = models.BooleanField(_("has a board of directors"), null=True, blank=True)
    women_board_share = models.DecimalField(
        _("share of the board who are women (%)"),
        max_digits=5,
        decimal_places=2,
        null=True,
        blank=True,
        validators=[MinValueValidator(Decimal("0")), MaxValueValidator(Decimal("100"))],
    )
    supply_areas = models.ManyToManyField(
        CriticalSupplyArea, related_name="suppliers", blank=True, verbose_name=_("supply areas it can serve")
    )
    anchor_customers = models.ManyToManyField(
        AnchorCompany, related_name="current_suppliers", blank=True, verbose_name=_("current customers among anchors")
    )
    status = models.CharField(_("status"), max_length=10, choices=Status.choices, default=Status.DRAFT)
    status_reason = models.TextField(
        _("reason for the status"), blank=True, validators=[refuse_control_characters_multiline]
    )
    duplicate_of = models.ForeignKey(
        "self",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="duplicates",
        verbose_name=_("duplicate of"),
    )
    privacy_notice_version = models.CharField(_("privacy notice version accepted"), max_length=20, blank=True)
    privacy_accepted_at = models.DateTimeField(_("privacy notice accepted at"), null=True, blank=True)
    submitted_at = models.DateTimeField(_("submitted at"), null=True, blank=True)
    verified_at = models.DateTimeField(_("verified at"), null=True, blank=True)
    version = models.PositiveIntegerField(_("version"), default=1)
    personal_data_erased_at = models.DateTimeField(_("personal data erased at (ARCO)"), null=True, blank=True)

    class Meta:
        verbose_name = _("supplier")
        verbose_name_plural = _("suppliers")
        ordering = ["legal_name", "id"]
        constraints = [
            # An erased individual's RFC is a placeholder shared by every erased individual, not an RFC.
            models.UniqueConstraint(
                fields=["program", "rfc"],
                condition=Q(status__in=["submitted", "verified"]) & ~Q(rfc=ERASED_RFC),
                name="supplier_unique_live_rfc_per_program",
            ),
            models.CheckConstraint(
                condition=Q(export_share__gte=0, export_share__lte=100), name="supplier_export_share_0_100"
            ),
            models.CheckConstraint(condition=Q(annual_sales_mdp__gte=0), name="supplier_sales_non_negative"),
            models.CheckConstraint(
                condition=Q(total_assets_mdp__isnull=True) | Q(total_assets_mdp__gte=0),
                name="supplier_assets_non_negative",
            ),
            models.CheckConstraint(
                condition=Q(women_ownership_share__isnull=True)
                | Q(women_ownership_share__gte=0, women_ownership_share__lte=100),
                name="supplier_women_ownership_0_100",
            ),
            models.CheckConstraint(
                condition=Q(women_board_share__isnull=True) | Q(women_board_share__gte=0, women_board_share__lte=100),
                name="supplier_women_board_0_100",
            ),
            models.CheckConstraint(
                condition=Q(rfc__regex=r"^[A-ZÑ&]{3,4}[0-9]{6}[A-Z0-9]{3}$"), name="supplier_rfc_shape"
            ),
            models.CheckConstraint(
                condition=(Q(person_type="moral") & Q(rfc__regex=r"^.{12}$"))
                | (Q(person_type="fisica") & Q(rfc__regex=r"^.{13}$")),
                name="supplier_rfc_length_matches_person_type",
            ),
            models.CheckConstraint(
                condition=~Q(status="duplicate") | Q(duplicate_of__isnull=False),
                name="supplier_duplicate_names_original",
            ),
        ]
        # Each index is one more for the planner to weigh on every query of suppliers (the staff list's page
        # among them) and one more to write: a column leading a composite index has no index of its own
        # (program, state, status), and the equality filters (RFC, size, employee range) have a plain B-tree
        # each, without the pattern-matching twin Django adds to an indexed text field (no query matches them
        # by prefix).
        indexes = [
            models.Index(fields=["program", "status"]),
            models.Index(fields=["state", "status"]),
            models.Index(fields=["rfc"], name="supplier_rfc"),
            models.Index(fields=["size"], name="supplier_size"),
            models.Index(fields=["employee_range"], name="supplier_employee_range"),
            # The staff list filters by status and orders by one of these (either direction: a B-tree
            # scans backwards): the first page is read in index order instead of sorting every match.
            models.Index(fields=["status", "employees", "id"], name="supplier_status_employees"),
            models.Index(fields=["status", "annual_sales_mdp", "id"], name="supplier_status_sales"),
            models.Index(fields=["status", "legal_name", "id"], name="supplier_status_legal_name"),
            models.Index(fields=["status", "created_at", "id"], name="supplier_status_created"),
            # The registrations list's order (newest sent first): its first page is read in index order.
            models.Index(fields=["-submitted_at", "-created_at", "-id"], name="supplier_submitted_order"),
            # The admin's list of a program's participations, by name: its first page in index order.
            models.Index(fields=["program", "legal_name", "id"], name="supplier_program_legal_name"),
        ]

    def __str__(self) -> str:
        return self.trade_name or self.legal_name

    @property
    def employee_range_flag(self) -> str:
        """The staff flag when the employees fall outside the range of the size ("" when within)."""
        return employee_range_flag(self.size, self.employee_range)


# What a company is in every program it takes part in; its participations keep a copy of each
# (``suppliers.services.company_data_save`` writes them together), the rest of a Supplier is per program.
COMPANY_SHARED_FIELDS = (
    "rfc",
    "rfc_checksum_valid",
    "person_type",
    "legal_name",
    "trade_name",
    "state",
    "municipality",
    "scian_code",
    "sector",
    "year_founded",
)


class Company(TimeStampedModel):
    """A company (one RFC), the same in every program it takes part in (each participation is a Supplier)."""

    PROGRAM_PATH = "participations__program"

    rfc = models.CharField(_("RFC"), max_length=13)
    rfc_checksum_valid = models.BooleanField(_("RFC check digit valid"), default=True)
    person_type = models.CharField(_("person type"), max_length=6, choices=Supplier.PersonType.choices)
    legal_name = models.CharField(
        _("legal name (razón social)"), max_length=255, validators=[refuse_control_characters]
    )
    trade_name = models.CharField(_("trade name"), max_length=255, blank=True, validators=[refuse_control_characters])
    state = models.ForeignKey(State, on_delete=models.PROTECT, related_name="companies", verbose_name=_("state"))
    municipality = models.CharField(_("municipality"), max_length=120, validators=[refuse_control_characters])
    scian_code = models.CharField(_("SCIAN sector code"), max_length=6)
    sector = models.CharField(_("sector"), max_length=10, choices=[(s.value, s.value.title()) for s in Sector])
    year_founded = models.PositiveSmallIntegerField(
        _("year founded"), null=True, blank=True, validators=[MinValueValidator(1850), MaxValueValidator(2100)]
    )

    class Meta:
        verbose_name = _("company")
        verbose_name_plural = _("companies")
        ordering = ["legal_name", "id"]
        constraints = [
            models.UniqueConstraint(fields=["rfc"], condition=~Q(rfc=ERASED_RFC), name="company_unique_rfc"),
            models.CheckConstraint(
                condition=Q(rfc__regex=r"^[A-ZÑ&]{3,4}[0-9]{6}[A-Z0-9]{3}$") | Q(rfc=ERASED_RFC),
                name="company_rfc_shape",
            ),
        ]

    def __str__(self) -> str:
        return self.trade_name or self.legal_name


EMPLOYEE_RANGE_FLAGS = {
    (EmployeeRange.ABOVE, Size.MICRO): _("Employees above the range of a micro company"),
    (EmployeeRange.ABOVE, Size.SMALL): _("Employees above the range of a small company"),
    (EmployeeRange.ABOVE, Size.MEDIUM): _("Employees above the range of a medium company"),
    (EmployeeRange.BELOW, Size.SMALL): _("Employees below the range of a small company"),
    (EmployeeRange.BELOW, Size.MEDIUM): _("Employees below the range of a medium company"),
}


def employee_range_flag(size: str, employee_range: str) -> str:
    """The words staff read for a size and an employee range ("" when within the range)."""
    try:
        key = (EmployeeRange(employee_range), Size(size))
    except ValueError:
        return ""
    return str(EMPLOYEE_RANGE_FLAGS.get(key, ""))


class Contact(TimeStampedModel):
    PROGRAM_PATH = "supplier__program"

    supplier = models.ForeignKey(
        Supplier, on_delete=models.CASCADE, related_name="contacts", verbose_name=_("supplier")
    )
    # An account is a contact of each participation of its company it registered or joined.
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="sme_contacts",
        verbose_name=_("user account"),
        db_index=False,  # indexed by contact_unique_user_per_supplier (user, supplier)
    )
    name = models.CharField(_("name"), max_length=200, validators=[refuse_control_characters])
    position = models.CharField(_("position"), max_length=120, blank=True, validators=[refuse_control_characters])
    email = models.EmailField(_("email"))
    phone = PhoneNumberField(_("phone"), blank=True)
    language = models.CharField(_("language"), max_length=8, choices=settings.LANGUAGES, default="es-mx")
    is_primary = models.BooleanField(_("primary contact"), default=True)
    email_verified_at = models.DateTimeField(_("email verified at"), null=True, blank=True)

    class Meta:
        verbose_name = _("contact")
        verbose_name_plural = _("contacts")
        ordering = ["supplier", "-is_primary", "name"]
        constraints = [
            models.UniqueConstraint(
                fields=["supplier"], condition=Q(is_primary=True), name="contact_one_primary_per_supplier"
            ),
            models.UniqueConstraint(fields=["user", "supplier"], name="contact_unique_user_per_supplier"),
        ]
        indexes = [models.Index(fields=["email"])]

    def __str__(self) -> str:
        return f"{self.name} <{self.email}>"


def document_upload_to(instance: "Document", filename: str) -> str:
    return f"suppliers/{instance.supplier_id}/{instance.kind}/{filename}"


class Document(TimeStampedModel):
    PROGRAM_PATH = "supplier__program"

    class Kind(models.TextChoices):
        TAX_CERTIFICATE = "csf", _("Tax status certificate (Constancia de Situación Fiscal)")
        CERTIFICATE = "certificate", _("Quality or other certificate")
        OTHER = "other", _("Other")

    supplier = models.ForeignKey(
        Supplier, on_delete=models.CASCADE, related_name="documents", verbose_name=_("supplier")
    )
    kind = models.CharField(_("kind"), max_length=12, choices=Kind.choices)
    file = ServedFileField(_("file"), upload_to=document_upload_to, max_length=255, view="suppliers:document")
    original_name = models.CharField(_("original file name"), max_length=255, validators=[refuse_control_characters])
    content_type = models.CharField(_("content type"), max_length=100)
    size_bytes = models.PositiveIntegerField(_("size (bytes)"))
    sha256 = models.CharField(_("SHA-256"), max_length=64)
    uploaded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )

    class Meta:
        verbose_name = _("document")
        verbose_name_plural = _("documents")
        ordering = ["supplier", "-created_at"]

    def __str__(self) -> str:
        return self.original_name


class Certification(TimeStampedModel):
    PROGRAM_PATH = "supplier__program"

    supplier = models.ForeignKey(  # indexed by certification_unique_standard (supplier, standard)
        Supplier, on_delete=models.CASCADE, related_name="certifications", verbose_name=_("supplier"), db_index=False
    )
    standard = models.ForeignKey(
        CertificationStandard, on_delete=models.PROTECT, related_name="certifications", verbose_name=_("standard")
    )
    certificate_number = models.CharField(
        _("certificate number"), max_length=100, blank=True, validators=[refuse_control_characters]
    )
    issuer = models.CharField(
        _("certification body"), max_length=200, blank=True, validators=[refuse_control_characters]
    )
    issued_on = models.DateField(_("issued on"), null=True, blank=True)
    expires_on = models.DateField(_("expires on"), null=True, blank=True)
    document = models.ForeignKey(
        Document, null=True, blank=True, on_delete=models.SET_NULL, related_name="+", verbose_name=_("certificate file")
    )

    class Meta:
        verbose_name = _("certification")
        verbose_name_plural = _("certifications")
        ordering = ["supplier", "standard"]
        constraints = [
            models.UniqueConstraint(fields=["supplier", "standard"], name="certification_unique_standard"),
            models.CheckConstraint(
                condition=Q(expires_on__isnull=True) | Q(issued_on__isnull=True) | Q(expires_on__gt=F("issued_on")),
                name="certification_expires_after_issue",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.standard} ({self.supplier})"


class AnnualFigure(models.Model):
    """Sales and headcount of past years, for growth indicators."""

    PROGRAM_PATH = "supplier__program"

    supplier = models.ForeignKey(  # indexed by annual_figure_unique_year (supplier, year)
        Supplier, on_delete=models.CASCADE, related_name="annual_figures", verbose_name=_("supplier"), db_index=False
    )
    year = models.PositiveSmallIntegerField(_("year"), validators=[MinValueValidator(1990), MaxValueValidator(2100)])
    sales_mdp = models.DecimalField(
        _("sales (millions of MXN)"), max_digits=12, decimal_places=3, validators=[MinValueValidator(Decimal("0"))]
    )
    employees = models.PositiveIntegerField(_("employees"), null=True, blank=True)

    class Meta:
        verbose_name = _("annual figure")
        verbose_name_plural = _("annual figures")
        ordering = ["supplier", "year"]
        constraints = [
            models.UniqueConstraint(fields=["supplier", "year"], name="annual_figure_unique_year"),
            models.CheckConstraint(condition=Q(sales_mdp__gte=0), name="annual_figure_sales_non_negative"),
        ]

    def __str__(self) -> str:
        return f"{self.supplier} {self.year}"


class PrivacyNotice(TimeStampedModel):
    """One published version of a program's privacy notice (LFPDPPP); consents point at the version given."""

    PROGRAM_PATH = "program"

    DEFAULT_TEMPLATE = "suppliers/privacy/notice.html"

    program = models.ForeignKey(
        Program, on_delete=models.PROTECT, related_name="privacy_notices", verbose_name=_("program")
    )
    version = models.CharField(_("version"), max_length=20, validators=[refuse_control_characters])
    template = models.CharField(
        _("template"),
        max_length=200,
        blank=True,
        default=DEFAULT_TEMPLATE,
        validators=[refuse_control_characters],
        help_text=_("The page that holds the notice's text; used when the text below is empty."),
    )
    text_es = models.TextField(_("text (Spanish)"), blank=True, validators=[refuse_control_characters_multiline])
    text_en = models.TextField(_("text (English)"), blank=True, validators=[refuse_control_characters_multiline])
    published_on = models.DateField(_("published on"))

    class Meta:
        verbose_name = _("privacy notice")
        verbose_name_plural = _("privacy notices")
        ordering = ["program", "-published_on", "-id"]
        constraints = [
            models.UniqueConstraint(fields=["program", "version"], name="privacy_notice_unique_version"),
            models.CheckConstraint(
                condition=~Q(template="") | ~Q(text_es=""), name="privacy_notice_has_template_or_text"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.program} {self.version}"


class PrivacyConsent(models.Model):
    """What a contact of a supplier accepted under one notice version, and when."""

    PROGRAM_PATH = "supplier__program"

    notice = models.ForeignKey(
        PrivacyNotice, on_delete=models.PROTECT, related_name="consents", verbose_name=_("privacy notice")
    )
    supplier = models.ForeignKey(  # indexed by privacy_consent_latest (supplier, -given_at)
        Supplier, on_delete=models.CASCADE, related_name="privacy_consents", verbose_name=_("supplier"), db_index=False
    )
    contact = models.ForeignKey(
        Contact,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="privacy_consents",
        verbose_name=_("contact"),
    )
    necessary_accepted = models.BooleanField(_("necessary purposes accepted"))
    voluntary_accepted = models.BooleanField(_("voluntary purposes accepted"), default=False)
    given_at = models.DateTimeField(_("given at"))

    class Meta:
        verbose_name = _("privacy consent")
        verbose_name_plural = _("privacy consents")
        ordering = ["supplier", "-given_at", "-id"]
        indexes = [models.Index(fields=["supplier", "-given_at"], name="privacy_consent_latest")]

    def __str__(self) -> str:
        return f"{self.supplier} {self.notice.version}"


class RegistrationDraft(TimeStampedModel):
    """Where an SME account left its registration, and what it typed in steps it has not finished.

    *Save and finish later* keeps the answers of a step as typed, even incomplete or invalid (they are
    checked when the step is saved for real); logging in takes the account back to ``step``.
    """

    class Step(models.TextChoices):
        COMPANY = "company", _("Company")
        GROWTH = "growth", _("Growth")
        MARKET = "market", _("Customers")
        FINISH = "finish", _("Documents")
        REVIEW = "review", _("Check and send")

    user = models.OneToOneField(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="registration_draft", verbose_name=_("user")
    )
    step = models.CharField(_("step"), max_length=10, choices=Step.choices, default=Step.COMPANY)
    answers = models.JSONField(_("answers not yet saved"), default=dict, blank=True)

    class Meta:
        verbose_name = _("registration draft")
        verbose_name_plural = _("registration drafts")

    def __str__(self) -> str:
        return f"{self.user} {self.step}"


class InvitationImport(models.Model):
    """One list of SMEs to invite (an association's member list) uploaded by program staff, with what became
    of its rows. The rows' problems are kept as codes (``suppliers.invitation_file``), so the error report
    is written in the language of whoever downloads it."""

    PROGRAM_PATH = "program"

    program = models.ForeignKey(
        Program, on_delete=models.PROTECT, related_name="invitation_imports", verbose_name=_("program")
    )
    uploaded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        verbose_name=_("uploaded by"),
    )
    file_name = models.CharField(_("file name"), max_length=255, validators=[refuse_control_characters])
    created_at = models.DateTimeField(_("imported at"), auto_now_add=True, db_index=True)
    rows = models.PositiveIntegerField(_("rows read"), default=0)
    invited = models.PositiveIntegerField(_("invitations sent"), default=0)
    invalid = models.PositiveIntegerField(_("rows with problems"), default=0)
    already_invited = models.PositiveIntegerField(_("already invited"), default=0)
    already_registered = models.PositiveIntegerField(_("already registered"), default=0)
    problems = models.JSONField(
        _("problems by row"),
        default=list,
        blank=True,
        help_text=_("One entry per row with problems: row number, RFC as written, problem codes, first row."),
    )

    class Meta:
        verbose_name = _("invitation import")
        verbose_name_plural = _("invitation imports")
        ordering = ["-created_at", "-id"]
        indexes = [models.Index(fields=["program", "-created_at"], name="invitation_import_recent")]

    def __str__(self) -> str:
        return f"{self.file_name} ({self.program.code})"


class RegistrationInvitation(models.Model):
    """An invitation to register, sent once to a company (one RFC) per program: importing the same list again
    invites no one twice."""

    PROGRAM_PATH = "program"

    program = models.ForeignKey(
        Program, on_delete=models.PROTECT, related_name="registration_invitations", verbose_name=_("program")
    )
    rfc = models.CharField(_("RFC"), max_length=13)
    legal_name = models.CharField(_("company name"), max_length=255, validators=[refuse_control_characters])
    email = models.EmailField(_("contact email"))
    state = models.ForeignKey(State, on_delete=models.PROTECT, related_name="+", verbose_name=_("state"))
    invitation_import = models.ForeignKey(
        InvitationImport,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="invitations",
        verbose_name=_("import"),
    )
    created_at = models.DateTimeField(_("invited at"), auto_now_add=True)

    class Meta:
        verbose_name = _("registration invitation")
        verbose_name_plural = _("registration invitations")
        ordering = ["program", "rfc"]
        constraints = [
            models.UniqueConstraint(fields=["program", "rfc"], name="registration_invitation_unique_rfc"),
            models.CheckConstraint(
                condition=Q(rfc__regex=r"^[A-ZÑ&]{3,4}[0-9]{6}[A-Z0-9]{3}$"), name="registration_invitation_rfc_shape"
            ),
        ]
        # The outbox a staff member sees finds the invited companies' messages by address.
        indexes = [models.Index(fields=["email"], name="registration_invitation_email")]

    def __str__(self) -> str:
        return f"{self.rfc} · {self.program.code}"
