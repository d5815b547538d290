"""Forms of the outcomes pages (thin: the services do the checks)."""

from decimal import Decimal

from django import forms
from django.utils.formats import number_format
from django.utils.translation import gettext_lazy as _

from cohorts.models import Cohort
from core.text import refuse_control_characters
from programs.models import AnchorCompany
from programs.selectors import scoped

from .models import OutcomeRound

NUMERIC = {"inputmode": "numeric"}
DECIMAL = {"inputmode": "decimal"}
MONEY = {**DECIMAL, "step": "0.001"}
YES_NO = [("yes", _("Yes")), ("no", _("No"))]
NOT_NEGATIVE = _("Figures cannot be negative.")
PERCENT_ERRORS = {
    "min_value": _("Write a percentage between 0 and 100."),
    "max_value": _("Write a percentage between 0 and 100."),
    "invalid": _("Write a number, e.g. 12.5."),
}


class DateInput(forms.DateInput):
    input_type = "date"

    def __init__(self, attrs=None):
        super().__init__(attrs, format="%Y-%m-%d")


class RoundForm(forms.Form):
    cohort = forms.ModelChoiceField(label=_("Cohort"), queryset=Cohort.objects.none())
    kind = forms.ChoiceField(label=_("Kind of round"), choices=OutcomeRound.Kind.choices, widget=forms.RadioSelect)
    name = forms.CharField(label=_("Name"), max_length=200, validators=[refuse_control_characters])
    period_start = forms.DateField(label=_("Figures of the period from"), widget=DateInput)
    period_end = forms.DateField(label=_("to"), widget=DateInput)
    opens_on = forms.DateField(label=_("Opens to the SMEs on"), widget=DateInput)
    closes_on = forms.DateField(label=_("Closes on"), widget=DateInput)

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, **kwargs)
        cohorts = Cohort.objects.filter(status__in=[Cohort.Status.APPROVED, Cohort.Status.CLOSED])
        self.fields["cohort"].queryset = scoped(cohorts, user).order_by("-year", "name")  # type: ignore[attr-defined]

    def clean(self):
        data = super().clean() or {}
        if data.get("period_start") and data.get("period_end") and data["period_end"] < data["period_start"]:
            self.add_error("period_end", _("The period must end after it starts."))
        if data.get("opens_on") and data.get("closes_on") and data["closes_on"] < data["opens_on"]:
            self.add_error("closes_on", _("The round must close after it opens."))
        return data


def _money(label, help_text=""):
    return forms.DecimalField(
        label=label,
        help_text=help_text,
        min_value=0,
        decimal_places=3,
        max_digits=12,
        required=False,
        widget=forms.NumberInput(attrs=MONEY),
        error_messages={"min_value": NOT_NEGATIVE, "invalid": _("Write a number, e.g. 8.5.")},
    )


def _count(label, help_text=""):
    return forms.IntegerField(
        label=label,
        help_text=help_text,
        min_value=0,
        required=False,
        widget=forms.NumberInput(attrs=NUMERIC),
        error_messages={"min_value": NOT_NEGATIVE, "invalid": _("Write a whole number, e.g. 12.")},
    )


def _percent(label, help_text=""):
    return forms.DecimalField(
        label=label,
        help_text=help_text,
        min_value=0,
        max_value=100,
        decimal_places=2,
        required=False,
        widget=forms.NumberInput(attrs=DECIMAL),
        error_messages=PERCENT_ERRORS,
    )


def _yes_no(label):
    return forms.TypedChoiceField(
        label=label,
        choices=YES_NO,
        coerce=lambda v: v == "yes",
        empty_value=None,
        required=False,
        widget=forms.RadioSelect,
    )


class SurveyForm(forms.Form):
    """The follow-up questionnaire. Every field may stay empty in a draft; the service says what sending needs."""

    version = forms.IntegerField(widget=forms.HiddenInput)
    sales_mdp = _money(_("Sales in the period (millions of pesos)"), _("For example 6.5 for 6,500,000 pesos."))
    sales_confirmed = forms.BooleanField(label=_("Yes, these sales are right"), required=False)
    export_sales_mdp = _money(_("Of those, exports (millions of pesos)"), _("Write 0 if you did not export."))
    employees_women = _count(_("Employees today: women"))
    employees_men = _count(_("Employees today: men"))
    women_in_management = _count(_("Women in management positions"))
    new_customers = _count(
        _("New customers in the period"),
        _("Not counting the anchors that gave you a first purchase order through the program. Write 0 if none."),
    )
    national_content_share = _percent(
        _("National content of what you sell to the anchors (%)"),
        _("The share of the value of those parts made or sourced in Mexico."),
    )
    financing_obtained_mdp = _money(
        _("Other financing obtained in the period (millions of pesos)"),
        _("Loans or credit lines not already recorded with the program. Write 0 if none."),
    )
    certifications_obtained = _count(
        _("Other certifications obtained in the period"),
        _("Not counting those already recorded in your development plan. Write 0 if none."),
    )
    total_assets_mdp = _money(_("Total assets (millions of pesos)"))
    women_ownership_share = _percent(_("Share of the company owned by women (%)"))
    woman_ceo_or_coo = _yes_no(_("Is a woman the chief executive (CEO) or chief operating officer (COO)?"))
    has_board = _yes_no(_("Does the company have a board of directors?"))
    women_board_share = _percent(_("Share of the board who are women (%)"), _("Only if the company has a board."))

    FIGURES = (
        "sales_mdp",
        "sales_confirmed",
        "export_sales_mdp",
        "employees_women",
        "employees_men",
        "women_in_management",
        "new_customers",
        "national_content_share",
        "financing_obtained_mdp",
        "certifications_obtained",
    )
    FACTS = ("total_assets_mdp", "women_ownership_share", "woman_ceo_or_coo", "has_board", "women_board_share")

    def __init__(self, *args, anchors: list[AnchorCompany], orders: dict[int, Decimal] | None = None, **kwargs):
        """``orders``: anchor id -> purchase orders of the period already recorded through the program (millions
        of pesos); they count as sales to that anchor, so the field asks only for the other sales."""
        super().__init__(*args, **kwargs)
        self.anchors = anchors
        orders = orders or {}
        for anchor in anchors:
            if orders.get(anchor.pk):
                self.fields[f"anchor_{anchor.pk}"] = _money(
                    _("Other sales to %(anchor)s (millions of pesos)") % {"anchor": anchor.name},
                    _(
                        "Its purchase orders of %(value)s million pesos in this period are already recorded in the "
                        "program and count as sales to it; write only the rest (0 if none)."
                    )
                    % {"value": number_format(orders[anchor.pk], 3)},
                )
            else:
                self.fields[f"anchor_{anchor.pk}"] = _money(
                    _("Sales to %(anchor)s (millions of pesos)") % {"anchor": anchor.name}
                )

    def anchor_fields(self):
        return [self[f"anchor_{a.pk}"] for a in self.anchors]

    def data_for_service(self) -> tuple[dict, dict]:
        data = {name: self.cleaned_data[name] for name in (*self.FIGURES, *self.FACTS)}
        anchors = {a.pk: self.cleaned_data[f"anchor_{a.pk}"] for a in self.anchors}
        return data, anchors


def initial_for(response) -> dict:
    initial = {"version": response.version}
    for name in (*SurveyForm.FIGURES, *SurveyForm.FACTS):
        value = getattr(response, name)
        if name in ("woman_ceo_or_coo", "has_board") and value is not None:
            value = "yes" if value else "no"
        initial[name] = value
    # Facts not answered yet start from what the company told before.
    for name in SurveyForm.FACTS:
        if initial[name] is None:
            value = getattr(response.supplier, name)
            initial[name] = ("yes" if value else "no") if isinstance(value, bool) else value
    for row in response.anchor_sales.all():
        initial[f"anchor_{row.anchor_id}"] = row.sales_mdp
    return initial
