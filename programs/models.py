"""The program: phases, geography, anchors, supply areas, cohorts and their candidates."""

from decimal import Decimal

from django.conf import settings
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import F, Q
from django.utils.translation import get_language
from django.utils.translation import gettext_lazy as _

from core.models import TimeStampedModel

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


class Phase(BilingualNameMixin, models.Model):
    class Kind(models.TextChoices):
        REGISTRATION = "registration", _("Registration")
        DIAGNOSIS = "diagnosis", _("Diagnosis")
        SELECTION = "selection", _("Selection")
        SUPPORT = "support", _("Support")
        FOLLOW_UP = "follow_up", _("Follow-up")

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
    """Links a user to the anchor company it reviews candidates for."""

    user = models.OneToOneField(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="anchor_reviewer", verbose_name=_("user")
    )
    anchor = models.ForeignKey(
        AnchorCompany, on_delete=models.CASCADE, related_name="reviewers", verbose_name=_("anchor")
    )
    is_active = models.BooleanField(_("active"), default=True)

    class Meta:
        verbose_name = _("anchor reviewer")
        verbose_name_plural = _("anchor reviewers")

    def __str__(self) -> str:
        return f"{self.user} @ {self.anchor}"


class CriticalSupplyArea(BilingualNameMixin, models.Model):
    """A commodity the anchors named as critical (stamping, harnesses, ...)."""

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


def default_growth_weights() -> dict:
    return {"maturity": 40, "alignment": 25, "growth": 25, "certifications": 10}


class Cohort(TimeStampedModel):
    class Status(models.TextChoices):
        DRAFT = "draft", _("Draft")
        PROPOSED = "proposed", _("Proposed")
        ANCHOR_REVIEW = "anchor_review", _("Anchor review")
        APPROVED = "approved", _("Approved")
        CLOSED = "closed", _("Closed")

    TRANSITIONS = {
        Status.DRAFT: {Status.PROPOSED},
        Status.PROPOSED: {Status.PROPOSED, Status.ANCHOR_REVIEW, Status.DRAFT},
        Status.ANCHOR_REVIEW: {Status.APPROVED, Status.PROPOSED},
        Status.APPROVED: {Status.CLOSED},
        Status.CLOSED: set(),
    }

    program = models.ForeignKey(Program, on_delete=models.CASCADE, related_name="cohorts", verbose_name=_("program"))
    phase = models.ForeignKey(Phase, null=True, blank=True, on_delete=models.SET_NULL, verbose_name=_("phase"))
    name = models.CharField(_("name"), max_length=200)
    year = models.PositiveSmallIntegerField(_("year"))
    target_size = models.PositiveIntegerField(_("cohort size (K)"), default=55)
    status = models.CharField(_("status"), max_length=20, choices=Status.choices, default=Status.DRAFT)
    growth_weights = models.JSONField(
        _("growth-potential weights"),
        default=default_growth_weights,
        help_text=_("Weights of the growth-potential index parts; stored with the cohort."),
    )
    review_deadline = models.DateTimeField(_("anchor review deadline"), null=True, blank=True)
    proposal = models.JSONField(_("last optimizer run"), default=dict, blank=True)
    version = models.PositiveIntegerField(_("version"), default=1)

    class Meta:
        verbose_name = _("cohort")
        verbose_name_plural = _("cohorts")
        ordering = ["-year", "name"]
        constraints = [
            models.UniqueConstraint(fields=["program", "name"], name="cohort_unique_name_per_program"),
            models.CheckConstraint(condition=Q(target_size__gte=1), name="cohort_target_size_positive"),
        ]

    def __str__(self) -> str:
        return self.name


class CohortAreaLimit(models.Model):
    """Minimum and maximum number of selected SMEs that supply an area."""

    cohort = models.ForeignKey(Cohort, on_delete=models.CASCADE, related_name="area_limits")
    area = models.ForeignKey(
        CriticalSupplyArea, on_delete=models.CASCADE, related_name="+", verbose_name=_("supply area")
    )
    minimum = models.PositiveIntegerField(_("minimum"), default=0)
    maximum = models.PositiveIntegerField(_("maximum"), null=True, blank=True)

    class Meta:
        verbose_name = _("supply-area limit")
        verbose_name_plural = _("supply-area limits")
        constraints = [
            models.UniqueConstraint(fields=["cohort", "area"], name="area_limit_unique"),
            models.CheckConstraint(
                condition=Q(maximum__isnull=True) | Q(maximum__gte=F("minimum")), name="area_limit_min_le_max"
            ),
        ]

    def __str__(self) -> str:
        upper = "∞" if self.maximum is None else self.maximum
        return f"{self.area_id}: {self.minimum}..{upper}"


class CohortGeoCap(models.Model):
    """At most ``maximum`` selected SMEs from a state or from a region."""

    cohort = models.ForeignKey(Cohort, on_delete=models.CASCADE, related_name="geo_caps")
    state = models.ForeignKey(State, null=True, blank=True, on_delete=models.CASCADE, related_name="+")
    region = models.ForeignKey(Region, null=True, blank=True, on_delete=models.CASCADE, related_name="+")
    maximum = models.PositiveIntegerField(_("maximum"))

    class Meta:
        verbose_name = _("state or region cap")
        verbose_name_plural = _("state and region caps")
        constraints = [
            models.CheckConstraint(
                condition=(Q(state__isnull=False) & Q(region__isnull=True))
                | (Q(state__isnull=True) & Q(region__isnull=False)),
                name="geo_cap_state_xor_region",
            ),
            models.UniqueConstraint(fields=["cohort", "state"], name="geo_cap_unique_state"),
            models.UniqueConstraint(fields=["cohort", "region"], name="geo_cap_unique_region"),
        ]

    def __str__(self) -> str:
        return f"≤ {self.maximum} ({self.state_id or self.region_id})"


class Candidate(TimeStampedModel):
    """An SME considered for a cohort, with its explainable growth-potential index."""

    class Status(models.TextChoices):
        PROPOSED = "proposed", _("Proposed")
        ENDORSED = "endorsed", _("Endorsed")
        OBJECTED = "objected", _("Objected")
        SELECTED = "selected", _("Selected")
        WAITLISTED = "waitlisted", _("Waitlisted")
        NOT_SELECTED = "not_selected", _("Not selected")
        WITHDRAWN = "withdrawn", _("Withdrawn")

    TRANSITIONS = {
        Status.PROPOSED: {
            Status.ENDORSED,
            Status.OBJECTED,
            Status.SELECTED,
            Status.WAITLISTED,
            Status.NOT_SELECTED,
            Status.WITHDRAWN,
        },
        Status.ENDORSED: {Status.OBJECTED, Status.SELECTED, Status.WAITLISTED, Status.NOT_SELECTED, Status.WITHDRAWN},
        Status.OBJECTED: {Status.ENDORSED, Status.SELECTED, Status.WAITLISTED, Status.NOT_SELECTED, Status.WITHDRAWN},
        Status.WAITLISTED: {Status.SELECTED, Status.NOT_SELECTED, Status.WITHDRAWN},
        Status.SELECTED: {Status.WITHDRAWN},
        Status.NOT_SELECTED: set(),
        Status.WITHDRAWN: set(),
    }

    cohort = models.ForeignKey(Cohort, on_delete=models.CASCADE, related_name="candidates", verbose_name=_("cohort"))
    supplier = models.ForeignKey(
        "suppliers.Supplier", on_delete=models.CASCADE, related_name="candidacies", verbose_name=_("supplier")
    )
    status = models.CharField(_("status"), max_length=20, choices=Status.choices, default=Status.PROPOSED)
    is_eligible = models.BooleanField(_("eligible"), default=True)
    ineligibility_reasons = models.JSONField(_("why not eligible"), default=list, blank=True)
    growth_index = models.DecimalField(
        _("growth potential"), max_digits=6, decimal_places=2, null=True, blank=True, validators=PERCENT
    )
    growth_parts = models.JSONField(_("growth potential parts"), default=dict, blank=True)
    in_proposal = models.BooleanField(_("in optimizer proposal"), default=False)
    proposal_reason = models.JSONField(
        _("optimizer's reason"), default=dict, blank=True,
        help_text=_("Why the last optimizer run put this candidate in the proposal or left it out."),
    )
    pinned = models.BooleanField(_("pinned by staff"), default=False)
    excluded = models.BooleanField(_("excluded by staff"), default=False)
    staged_status = models.CharField(_("staged decision"), max_length=20, choices=Status.choices, blank=True)
    staged_reason = models.TextField(_("staged reason"), blank=True)
    decision_reason = models.TextField(_("decision reason"), blank=True)
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    decided_at = models.DateTimeField(_("decided at"), null=True, blank=True)
    waitlist_rank = models.PositiveIntegerField(_("waitlist rank"), null=True, blank=True)
    version = models.PositiveIntegerField(_("version"), default=1)

    class Meta:
        verbose_name = _("candidate")
        verbose_name_plural = _("candidates")
        ordering = ["cohort", "-growth_index", "id"]
        constraints = [
            models.UniqueConstraint(fields=["cohort", "supplier"], name="candidate_unique_supplier_per_cohort"),
            models.CheckConstraint(
                condition=Q(growth_index__isnull=True) | Q(growth_index__gte=0, growth_index__lte=100),
                name="candidate_growth_index_0_100",
            ),
            models.CheckConstraint(condition=~Q(pinned=True, excluded=True), name="candidate_not_pinned_and_excluded"),
        ]
        indexes = [
            models.Index(fields=["cohort", "status"]),
            # The staff cohort page's order: a page of 100 of 94,000 candidates read from the index.
            models.Index(fields=["cohort", "-is_eligible", "-in_proposal", "-growth_index", "id"],
                         name="candidate_staff_page_order"),
        ]

    def __str__(self) -> str:
        return f"{self.supplier} · {self.cohort}"


class AnchorReview(TimeStampedModel):
    class Verdict(models.TextChoices):
        ENDORSE = "endorse", _("Endorse")
        OBJECT = "object", _("Object")
        CONFLICT = "conflict", _("Conflict of interest")

    candidate = models.ForeignKey(
        Candidate, on_delete=models.CASCADE, related_name="reviews", verbose_name=_("candidate")
    )
    anchor = models.ForeignKey(
        AnchorCompany, on_delete=models.CASCADE, related_name="reviews", verbose_name=_("anchor")
    )
    reviewer = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+", verbose_name=_("reviewer")
    )
    verdict = models.CharField(_("verdict"), max_length=10, choices=Verdict.choices)
    reason = models.TextField(_("reason"), blank=True)

    class Meta:
        verbose_name = _("anchor review")
        verbose_name_plural = _("anchor reviews")
        ordering = ["-created_at"]
        constraints = [
            models.UniqueConstraint(fields=["candidate", "anchor"], name="review_one_per_anchor"),
            models.CheckConstraint(
                condition=Q(verdict="endorse") | ~Q(reason=""), name="review_objection_needs_reason"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.anchor}: {self.get_verdict_display()} {self.candidate.supplier}"


class Intervention(TimeStampedModel):
    """Support delivered to a selected SME after selection."""

    class Kind(models.TextChoices):
        TRAINING = "training", _("Training")
        MENTORING = "mentoring", _("Mentoring")
        CONSULTING = "consulting", _("Consulting")
        FINANCING = "financing", _("Financing referral")

    class Institution(models.TextChoices):
        NAFIN = "nafin", "NAFIN"
        BANCOMEXT = "bancomext", "BANCOMEXT"
        OTHER = "other", _("Other")

    class Status(models.TextChoices):
        PLANNED = "planned", _("Planned")
        IN_PROGRESS = "in_progress", _("In progress")
        COMPLETED = "completed", _("Completed")
        CANCELLED = "cancelled", _("Cancelled")

    candidate = models.ForeignKey(
        Candidate, on_delete=models.CASCADE, related_name="interventions", verbose_name=_("candidate")
    )
    kind = models.CharField(_("kind"), max_length=12, choices=Kind.choices)
    title = models.CharField(_("title"), max_length=200)
    provider = models.CharField(_("provider"), max_length=200, blank=True)
    institution = models.CharField(_("financing institution"), max_length=12, choices=Institution.choices, blank=True)
    amount_mxn = models.DecimalField(
        _("amount referred (MXN)"),
        max_digits=14,
        decimal_places=2,
        null=True,
        blank=True,
        validators=[MinValueValidator(Decimal("0"))],
    )
    hours = models.DecimalField(
        _("hours"), max_digits=7, decimal_places=1, default=Decimal("0"), validators=[MinValueValidator(Decimal("0"))]
    )
    status = models.CharField(_("status"), max_length=12, choices=Status.choices, default=Status.PLANNED)
    start_date = models.DateField(_("start date"), null=True, blank=True)
    end_date = models.DateField(_("end date"), null=True, blank=True)
    notes = models.TextField(_("notes"), blank=True)

    class Meta:
        verbose_name = _("intervention")
        verbose_name_plural = _("interventions")
        ordering = ["candidate", "start_date", "id"]
        constraints = [
            models.CheckConstraint(condition=Q(hours__gte=0), name="intervention_hours_non_negative"),
            models.CheckConstraint(
                condition=Q(amount_mxn__isnull=True) | Q(amount_mxn__gte=0), name="intervention_amount_non_negative"
            ),
            models.CheckConstraint(
                condition=~Q(kind="financing") | ~Q(institution=""), name="intervention_financing_names_institution"
            ),
            models.CheckConstraint(
                condition=Q(end_date__isnull=True) | Q(start_date__isnull=True) | Q(end_date__gte=F("start_date")),
                name="intervention_dates_ordered",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.get_kind_display()}: {self.title}"
