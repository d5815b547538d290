"""Results of the program: company classes, follow-up rounds and answers, impact estimates."""

from decimal import Decimal

from django.conf import settings
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from cohorts.models import Cohort
from core.models import TimeStampedModel
from core.text import refuse_control_characters
from programs.models import AnchorCompany, Program
from suppliers.models import Supplier

from .classification import IfcSize, WomenClass

NON_NEGATIVE = [MinValueValidator(Decimal("0"))]
PERCENT = [MinValueValidator(Decimal("0")), MaxValueValidator(Decimal("100"))]


class CompanyClass(models.Model):
    """The classes of a company, each with the date it was computed: DOF 2009 size (from suppliers), IFC size
    class and IFC women-owned / women-led."""

    PROGRAM_PATH = "supplier__program"

    supplier = models.OneToOneField(
        Supplier, on_delete=models.CASCADE, related_name="company_class", verbose_name=_("supplier")
    )
    dof_size = models.CharField(_("size (DOF 2009)"), max_length=8, blank=True)
    dof_size_on = models.DateField(_("DOF size computed on"), null=True, blank=True)
    ifc_size = models.CharField(
        _("IFC size class"),
        max_length=8,
        blank=True,
        choices=[
            (IfcSize.MICRO.value, _("Micro")),
            (IfcSize.SMALL.value, _("Small")),
            (IfcSize.MEDIUM.value, _("Medium")),
            (IfcSize.LARGE.value, _("Large")),
        ],
        db_index=True,
    )
    ifc_size_on = models.DateField(_("IFC size computed on"), null=True, blank=True)
    ifc_size_parts = models.JSONField(_("IFC size by criterion"), default=dict, blank=True)
    mxn_per_usd = models.DecimalField(_("pesos per dollar used"), max_digits=8, decimal_places=4, null=True)
    women_class = models.CharField(
        _("women-owned or women-led (IFC)"),
        max_length=8,
        blank=True,
        choices=[
            (WomenClass.OWNED.value, _("Women-owned (51% or more)")),
            (WomenClass.LED.value, _("Women-led")),
            (WomenClass.NEITHER.value, _("Neither")),
        ],
        db_index=True,
    )
    women_class_on = models.DateField(_("women class computed on"), null=True, blank=True)

    class Meta:
        verbose_name = _("company class")
        verbose_name_plural = _("company classes")

    def __str__(self) -> str:
        return f"{self.supplier_id}: {self.ifc_size or '-'} / {self.women_class or '-'}"

    @property
    def women_owned_or_led(self) -> bool | None:
        return None if not self.women_class else self.women_class != WomenClass.NEITHER


class OutcomeRound(TimeStampedModel):
    """A baseline or follow-up survey of a cohort's selected SMEs and its comparison group."""

    PROGRAM_PATH = "program"

    class Kind(models.TextChoices):
        BASELINE = "baseline", pgettext_lazy("follow-up round", "Baseline")
        FOLLOW_UP = "follow_up", pgettext_lazy("follow-up round", "Follow-up")

    class Status(models.TextChoices):
        SCHEDULED = "scheduled", _("Scheduled")
        OPEN = "open", _("Open")
        CLOSED = "closed", _("Closed")

    TRANSITIONS = {Status.SCHEDULED: {Status.OPEN}, Status.OPEN: {Status.CLOSED}, Status.CLOSED: set()}

    program = models.ForeignKey(Program, on_delete=models.CASCADE, related_name="outcome_rounds")
    cohort = models.ForeignKey(Cohort, on_delete=models.PROTECT, related_name="outcome_rounds")
    kind = models.CharField(_("kind"), max_length=10, choices=Kind.choices)
    name = models.CharField(_("name"), max_length=200, validators=[refuse_control_characters])
    period_start = models.DateField(_("period from"))
    period_end = models.DateField(_("period to"))
    opens_on = models.DateField(_("opens on"))
    closes_on = models.DateField(_("closes on"))
    status = models.CharField(_("status"), max_length=10, choices=Status.choices, default=Status.SCHEDULED)
    closed_at = models.DateTimeField(_("closed at"), null=True, blank=True)
    version = models.PositiveIntegerField(_("version"), default=1)

    class Meta:
        verbose_name = _("follow-up round")
        verbose_name_plural = _("follow-up rounds")
        ordering = ["cohort", "period_end", "id"]
        constraints = [
            models.CheckConstraint(condition=Q(period_end__gte=models.F("period_start")), name="round_period_order"),
            models.CheckConstraint(condition=Q(closes_on__gte=models.F("opens_on")), name="round_open_close_order"),
            models.UniqueConstraint(
                fields=["cohort"], condition=Q(kind="baseline"), name="round_one_baseline_per_cohort"
            ),
        ]

    def __str__(self) -> str:
        return self.name


class OutcomeResponse(TimeStampedModel):
    """What one SME answered in one round (pending until it starts, draft while it saves, then submitted)."""

    PROGRAM_PATH = "round__program"

    class Group(models.TextChoices):
        SELECTED = "selected", _("Selected")
        COMPARISON = "comparison", _("Comparison group")

    class Status(models.TextChoices):
        PENDING = "pending", _("Not started")
        DRAFT = "draft", _("Started")
        SUBMITTED = "submitted", _("Sent")

    TRANSITIONS = {Status.PENDING: {Status.DRAFT, Status.SUBMITTED}, Status.DRAFT: {Status.SUBMITTED}}
    # The figures an SME answers (the company facts behind the IFC classes are asked too, see FACT_FIELDS).
    FIGURE_FIELDS = (
        "sales_mdp",
        "export_sales_mdp",
        "employees_women",
        "employees_men",
        "women_in_management",
        "new_customers",
        "national_content_share",
        "financing_obtained_mdp",
        "certifications_obtained",
    )
    RECORDED_FIELDS = (
        "certifications_recorded",
        "financing_recorded_mdp",
        "purchase_orders_mdp",
        "new_customers_recorded",
    )
    FACT_FIELDS = ("total_assets_mdp", "women_ownership_share", "woman_ceo_or_coo", "has_board", "women_board_share")

    # Indexed by response_one_per_round and response_round_status (Meta), not on its own.
    round = models.ForeignKey(OutcomeRound, on_delete=models.CASCADE, related_name="responses", db_index=False)
    supplier = models.ForeignKey(Supplier, on_delete=models.CASCADE, related_name="outcome_responses")
    group = models.CharField(_("group"), max_length=10, choices=Group.choices)
    # Where the SME stood at selection: growth index and its distance to the selection line (fuzzy RD).
    growth_index = models.DecimalField(_("growth index"), max_digits=7, decimal_places=3, null=True, blank=True)
    status = models.CharField(_("status"), max_length=10, choices=Status.choices, default=Status.PENDING)
    sales_mdp = models.DecimalField(
        _("sales in the period (millions of pesos)"),
        max_digits=12,
        decimal_places=3,
        null=True,
        blank=True,
        validators=NON_NEGATIVE,
    )
    sales_confirmed = models.BooleanField(_("sales confirmed although far above the previous"), default=False)
    export_sales_mdp = models.DecimalField(
        _("exports in the period (millions of pesos)"),
        max_digits=12,
        decimal_places=3,
        null=True,
        blank=True,
        validators=NON_NEGATIVE,
    )
    employees_women = models.PositiveIntegerField(_("employees: women"), null=True, blank=True)
    employees_men = models.PositiveIntegerField(_("employees: men"), null=True, blank=True)
    women_in_management = models.PositiveIntegerField(_("women in management"), null=True, blank=True)
    new_customers = models.PositiveIntegerField(_("new customers in the period"), null=True, blank=True)
    national_content_share = models.DecimalField(
        _("national content of sales to anchors (%)"),
        max_digits=5,
        decimal_places=2,
        null=True,
        blank=True,
        validators=PERCENT,
    )
    financing_obtained_mdp = models.DecimalField(
        _("financing obtained in the period, not recorded in the program (millions of pesos)"),
        max_digits=12,
        decimal_places=3,
        null=True,
        blank=True,
        validators=NON_NEGATIVE,
    )
    certifications_obtained = models.PositiveIntegerField(
        _("certifications obtained in the period, not recorded in the program"), null=True, blank=True
    )
    total_assets_mdp = models.DecimalField(
        _("total assets (millions of pesos)"), max_digits=12, decimal_places=3, null=True, blank=True
    )
    women_ownership_share = models.DecimalField(
        _("share owned by women (%)"), max_digits=5, decimal_places=2, null=True, blank=True, validators=PERCENT
    )
    woman_ceo_or_coo = models.BooleanField(_("a woman is CEO or COO"), null=True, blank=True)
    has_board = models.BooleanField(_("has a board of directors"), null=True, blank=True)
    women_board_share = models.DecimalField(
        _("share of the board who are women (%)"),
        max_digits=5,
        decimal_places=2,
        null=True,
        blank=True,
        validators=PERCENT,
    )
    # Figures other modules record in the round's period (outcomes/sources.py), kept when the answer is sent and
    # when the round closes: never asked of the SME, added to what it answered.
    certifications_recorded = models.PositiveIntegerField(_("certifications obtained in development plans"), default=0)
    financing_recorded_mdp = models.DecimalField(
        _("financing disbursed through the program (millions of pesos)"),
        max_digits=12,
        decimal_places=3,
        default=Decimal("0"),
        validators=NON_NEGATIVE,
    )
    purchase_orders_mdp = models.DecimalField(
        _("purchase orders from anchors through the program (millions of pesos)"),
        max_digits=14,
        decimal_places=3,
        default=Decimal("0"),
        validators=NON_NEGATIVE,
    )
    new_customers_recorded = models.PositiveIntegerField(
        _("anchors that became customers through the program"), default=0
    )
    recorded_on = models.DateField(_("figures of the program read on"), null=True, blank=True)
    submitted_at = models.DateTimeField(_("sent at"), null=True, blank=True)
    submitted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    reminders_sent = models.PositiveSmallIntegerField(_("reminders sent"), default=0)
    last_reminded_on = models.DateField(_("last reminded on"), null=True, blank=True)
    version = models.PositiveIntegerField(_("version"), default=1)

    class Meta:
        verbose_name = _("follow-up answer")
        verbose_name_plural = _("follow-up answers")
        ordering = ["round", "supplier"]
        constraints = [
            models.UniqueConstraint(fields=["round", "supplier"], name="response_one_per_round"),
            models.CheckConstraint(
                condition=Q(sales_mdp__isnull=True) | Q(sales_mdp__gte=0), name="response_sales_non_negative"
            ),
            models.CheckConstraint(
                condition=Q(export_sales_mdp__isnull=True) | Q(export_sales_mdp__gte=0),
                name="response_exports_non_negative",
            ),
            models.CheckConstraint(
                condition=Q(financing_obtained_mdp__isnull=True) | Q(financing_obtained_mdp__gte=0),
                name="response_financing_non_negative",
            ),
            models.CheckConstraint(
                condition=Q(total_assets_mdp__isnull=True) | Q(total_assets_mdp__gte=0),
                name="response_assets_non_negative",
            ),
            models.CheckConstraint(
                condition=~Q(status="submitted") | Q(submitted_at__isnull=False), name="response_submitted_has_time"
            ),
        ]
        indexes = [models.Index(fields=["round", "status"], name="response_round_status")]

    def __str__(self) -> str:
        return f"{self.round} / {self.supplier_id}"

    @property
    def employees(self) -> int | None:
        if self.employees_women is None and self.employees_men is None:
            return None
        return (self.employees_women or 0) + (self.employees_men or 0)


class AnchorSales(models.Model):
    """Sales of a responding SME to one anchor in the round's period."""

    PROGRAM_PATH = "response__round__program"

    response = models.ForeignKey(OutcomeResponse, on_delete=models.CASCADE, related_name="anchor_sales")
    anchor = models.ForeignKey(AnchorCompany, on_delete=models.PROTECT, related_name="+", verbose_name=_("anchor"))
    sales_mdp = models.DecimalField(
        _("sales to this anchor (millions of pesos)"), max_digits=12, decimal_places=3, validators=NON_NEGATIVE
    )

    class Meta:
        verbose_name = _("sales to an anchor")
        verbose_name_plural = _("sales to anchors")
        ordering = ["response", "anchor"]
        constraints = [
            models.UniqueConstraint(fields=["response", "anchor"], name="anchor_sales_one_per_anchor"),
            models.CheckConstraint(condition=Q(sales_mdp__gte=0), name="anchor_sales_non_negative"),
        ]

    def __str__(self) -> str:
        return f"{self.response_id} {self.anchor_id}"


class ImpactEstimate(TimeStampedModel):
    """An estimate computed when a round closes and stored (the impact page only reads these)."""

    PROGRAM_PATH = "round__program"

    class Method(models.TextChoices):
        DID = "did", _("Difference in differences")
        FUZZY_RD = "fuzzy_rd", _("Regression discontinuity (exploratory)")

    round = models.ForeignKey(OutcomeRound, on_delete=models.CASCADE, related_name="estimates")
    outcome = models.CharField(_("outcome"), max_length=40)
    method = models.CharField(_("method"), max_length=10, choices=Method.choices)
    estimate = models.FloatField(_("estimate"), null=True)
    std_error = models.FloatField(_("standard error"), null=True)
    ci_low = models.FloatField(_("interval from (95%)"), null=True)
    ci_high = models.FloatField(_("interval to (95%)"), null=True)
    n_selected = models.PositiveIntegerField(_("selected SMEs"), default=0)
    n_comparison = models.PositiveIntegerField(_("comparison SMEs"), default=0)
    means = models.JSONField(_("means before and after"), default=dict, blank=True)
    cautions = models.JSONField(_("cautions"), default=list, blank=True)

    class Meta:
        verbose_name = _("impact estimate")
        verbose_name_plural = _("impact estimates")
        ordering = ["round", "method", "outcome"]
        constraints = [
            models.UniqueConstraint(fields=["round", "outcome", "method"], name="estimate_one_per_outcome_method")
        ]

    def __str__(self) -> str:
        return f"{self.round_id} {self.outcome} {self.method}"


class IndicatorValue(models.Model):
    """One value of the indicator catalogue for a closed round, stored when the round closes (``outcomes.indicators``
    computes it; pages, exports and reports read it). Suppressed cells keep neither value nor count."""

    PROGRAM_PATH = "round__program"

    round = models.ForeignKey(OutcomeRound, on_delete=models.CASCADE, related_name="indicator_values")
    indicator = models.CharField(_("indicator"), max_length=40)
    group = models.CharField(_("group"), max_length=10, choices=OutcomeResponse.Group.choices)
    breakdown = models.CharField(_("breakdown"), max_length=10)
    level = models.CharField(_("level"), max_length=200, blank=True)
    value = models.FloatField(_("value"), null=True, blank=True)
    n_smes = models.PositiveIntegerField(_("SMEs behind the value"), null=True, blank=True)
    suppressed = models.BooleanField(_("hidden (fewer than 5 SMEs)"), default=False)
    position = models.PositiveIntegerField(_("order"), default=0)

    class Meta:
        verbose_name = _("indicator value")
        verbose_name_plural = _("indicator values")
        ordering = ["round", "position"]
        constraints = [
            models.UniqueConstraint(
                fields=["round", "indicator", "group", "breakdown", "level"], name="indicator_value_one_per_cell"
            ),
            models.CheckConstraint(
                condition=Q(suppressed=False) | Q(value__isnull=True, n_smes__isnull=True),
                name="indicator_value_suppressed_is_empty",
            ),
        ]
        indexes = [models.Index(fields=["round", "breakdown"], name="indicator_round_breakdown")]

    def __str__(self) -> str:
        return f"{self.round_id} {self.indicator} {self.group} {self.breakdown}={self.level}"
