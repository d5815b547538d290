"""Forms of the registration steps, the SME profile and the staff decisions (short, phone-friendly)."""

from django import forms
from django.contrib.auth import password_validation
from django.contrib.auth.forms import AuthenticationForm
from django.core.exceptions import ValidationError
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from phonenumber_field.formfields import PhoneNumberField

from core.templatetags.sdp import money, number
from core.text import refuse_control_characters, refuse_control_characters_multiline
from programs.models import AnchorCompany, CertificationStandard, CriticalSupplyArea, State
from programs.selectors import scoped

from .models import Supplier
from .rfc import TYPED_RFC_MAX_LENGTH
from .stratification import ONE_MILLION, SalesDoubt, sales_doubt
from .validators import inspect_upload, validate_rfc, validate_scian, validate_sme_size

# Django's stock messages for numbers ("Asegúrese de que este valor...") read badly: the program's own.
SALES_ERRORS = {
    "min_value": _("Sales cannot be negative."),
    "invalid": _("Write the sales in millions of pesos, e.g. 12.5."),
    "max_decimal_places": _("Write at most three decimals."),
    "max_digits": _("Write the sales in millions of pesos, e.g. 12.5."),
    "required": _("Write the sales of the last year."),
}
EMPLOYEES_ERRORS = {
    "min_value": _("Write a whole number, 0 or more."),
    "invalid": _("Write a whole number, e.g. 40."),
    "required": _("Write how many people work in the company."),
}
NUMERIC = {"inputmode": "numeric"}
DECIMAL = {"inputmode": "decimal"}


class LoginForm(AuthenticationForm):
    """Django's login form with the program's words (an email, not a "user name")."""

    error_messages = {
        "invalid_login": _(
            "The email or the password is not right. Check both; capital letters count in the password."
        ),
        "inactive": _("This account is not active yet: follow the link we sent to your email."),
    }

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["username"].label = _("Email")
        self.fields["username"].error_messages["required"] = _("Write your email.")
        self.fields["password"].error_messages["required"] = _("Write your password.")


class SignupForm(forms.Form):
    name = forms.CharField(
        label=_("Your full name"),
        max_length=150,
        widget=forms.TextInput(attrs={"autocomplete": "name"}),
        validators=[refuse_control_characters],
    )
    email = forms.EmailField(
        label=_("Email"),
        help_text=_("It will be your user name. We will send you a link."),
        widget=forms.EmailInput(attrs={"autocomplete": "email"}),
        error_messages={"invalid": _("Write an email address like nombre@empresa.mx.")},
    )
    password1 = forms.CharField(
        label=_("Password"),
        strip=False,
        help_text=_("At least 10 characters, not only numbers."),
        widget=forms.PasswordInput(attrs={"autocomplete": "new-password"}),
    )
    password2 = forms.CharField(
        label=_("Repeat the password"), strip=False, widget=forms.PasswordInput(attrs={"autocomplete": "new-password"})
    )

    def clean_email(self):
        return self.cleaned_data["email"].strip().lower()

    def clean(self):
        data = super().clean()
        p1, p2 = data.get("password1"), data.get("password2")
        if p1 and p2 and p1 != p2:
            self.add_error("password2", _("The two passwords are different."))
        elif p1:
            try:
                password_validation.validate_password(p1)
            except ValidationError as exc:
                self.add_error("password1", exc)
        return data


class CompanyFieldsMixin:
    def clean_scian_code(self):
        return validate_scian(self.cleaned_data["scian_code"])

    def check_size(self, data):
        if data.get("scian_code") and data.get("employees") is not None and data.get("annual_sales_mdp") is not None:
            try:
                validate_sme_size(
                    scian_code=data["scian_code"],
                    employees=data["employees"],
                    annual_sales_mdp=data["annual_sales_mdp"],
                )
            except ValidationError as exc:
                self.add_error(None, exc)


def _millions(amount) -> str:
    decimals = 0 if amount == amount.to_integral_value() else len(str(amount.normalize()).split(".")[-1])
    return number(amount, min(decimals, 3))


def sales_question(doubt: SalesDoubt) -> str:
    """What the registrant is asked about an implausible sales figure (millions of pesos)."""
    pesos = money(doubt.typed_mdp * ONE_MILLION)
    if doubt.in_millions is not None:
        return _(
            "Did you mean %(meant)s million pesos? Sales are written in millions: %(typed)s million would be "
            "%(pesos)s. Correct the figure or choose what you meant below."
        ) % {"meant": _millions(doubt.in_millions), "typed": _millions(doubt.typed_mdp), "pesos": pesos}
    return _(
        "%(typed)s million pesos is %(pesos)s, far more than an SME sells. Correct the figure or confirm it below."
    ) % {"typed": _millions(doubt.typed_mdp), "pesos": pesos}


def sales_check_choices(doubt: SalesDoubt) -> list[tuple[str, str]]:
    """The answers to ``sales_question``; each names the figure it is about, so it cannot apply to another."""
    keep = (
        f"millions:{doubt.typed_mdp}",
        _("It is right: %(typed)s million pesos") % {"typed": _millions(doubt.typed_mdp)},
    )
    if doubt.in_millions is None:
        return [keep]
    meant = (
        f"pesos:{doubt.typed_mdp}",
        _("I wrote it in pesos: use %(meant)s million pesos") % {"meant": _millions(doubt.in_millions)},
    )
    return [meant, keep]


def typed_sales_doubt(form: forms.BaseForm, sales_field: str) -> SalesDoubt | None:
    """The doubt about the sales figure typed in a bound form, before it is cleaned (so that the question's
    choices exist when the form validates)."""
    if not form.is_bound:
        return None
    try:
        typed = form.fields[sales_field].to_python(form.data.get(form.add_prefix(sales_field)))
    except ValidationError:
        return None
    return sales_doubt(typed) if typed is not None and typed >= 0 else None


def sales_check_field() -> forms.ChoiceField:
    field = forms.ChoiceField(label=_("What did you mean?"), choices=[], required=False, widget=forms.RadioSelect)
    # Asked only when needed, and then required: never labelled optional (components/field.html).
    field.required_when_asked = True  # type: ignore[attr-defined]
    return field


def resolve_sales_doubt(form: forms.BaseForm, data: dict, sales_field: str, check_field: str) -> None:
    """Apply the registrant's answer about an implausible sales figure, or ask the question as the field's error.
    Nothing is converted without the registrant choosing it; each answer names the figure it is about."""
    sales = data.get(sales_field)
    doubt = sales_doubt(sales) if sales is not None else None
    if not doubt:
        return
    answer = data.get(check_field)
    if doubt.in_millions is not None and answer == f"pesos:{doubt.typed_mdp}":
        data[sales_field] = doubt.in_millions
    elif answer != f"millions:{doubt.typed_mdp}":
        form.add_error(sales_field, sales_question(doubt))


class CompanyForm(CompanyFieldsMixin, forms.ModelForm):
    """Step 2: who the company is and how big (the size decides eligibility)."""

    # Longer than the stored 13 characters: a typed RFC may carry spaces or dashes (normalised in clean_rfc).
    rfc = forms.CharField(
        label=_("RFC"),
        max_length=TYPED_RFC_MAX_LENGTH,
        help_text=_("As on your Constancia de Situación Fiscal."),
        widget=forms.TextInput(attrs={"autocapitalize": "characters", "maxlength": TYPED_RFC_MAX_LENGTH}),
    )

    # Asked only when the sales figure is implausible (``sales_doubt``): what the registrant meant.
    sales_check = sales_check_field()

    class Meta:
        model = Supplier
        fields = [
            "legal_name",
            "trade_name",
            "rfc",
            "state",
            "municipality",
            "scian_code",
            "year_founded",
            "employees",
            "annual_sales_mdp",
        ]
        labels = {
            "annual_sales_mdp": _("Annual sales of the last year (millions of pesos)"),
            "scian_code": _("SCIAN code of your main activity"),
            "employees": _("Employees (total headcount)"),
        }
        help_texts = {
            "scian_code": _("Six digits, e.g. 336390 (other auto parts) or 326192 (plastic auto parts)."),
            "annual_sales_mdp": _("For example 12.5 for 12,500,000 pesos."),
        }
        error_messages = {
            "annual_sales_mdp": SALES_ERRORS,
            "employees": EMPLOYEES_ERRORS,
            "year_founded": {"invalid": _("Write a year, e.g. 1998.")},
        }
        widgets = {
            "year_founded": forms.NumberInput(attrs=NUMERIC),
            "employees": forms.NumberInput(attrs=NUMERIC),
            "annual_sales_mdp": forms.NumberInput(attrs={**DECIMAL, "step": "0.001"}),
            "scian_code": forms.TextInput(attrs={**NUMERIC, "maxlength": 6}),
        }

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["state"].queryset = State.objects.order_by("name")
        self.fields["state"].empty_label = _("Choose a state")
        self.fields["rfc"].help_text = _(
            "As on your Constancia de Situación Fiscal: 12 characters for a persona moral, 13 for a persona física."
        )
        self.sales_doubt = typed_sales_doubt(self, "annual_sales_mdp")
        if self.sales_doubt:
            self.fields["sales_check"].choices = sales_check_choices(self.sales_doubt)

    def clean_year_founded(self):
        year = self.cleaned_data.get("year_founded")
        if year is not None and not 1850 <= year <= timezone.localdate().year:
            raise ValidationError(_("Write a year between 1850 and this year."))
        return year

    def clean_annual_sales_mdp(self):
        sales = self.cleaned_data.get("annual_sales_mdp")
        if sales is not None and sales < 0:
            raise ValidationError(_("Sales cannot be negative."))
        return sales

    def clean_rfc(self):
        check = validate_rfc(self.cleaned_data["rfc"])
        self.rfc_check = check
        return check.rfc

    def clean(self):
        data = super().clean()
        resolve_sales_doubt(self, data, "annual_sales_mdp", "sales_check")
        self.check_size(data)
        return data

    def _post_clean(self):
        # Model validation (constraints) runs in the service, after size and RFC are derived.
        pass


PERCENT_ERRORS = {
    "min_value": _("Write a percentage between 0 and 100."),
    "max_value": _("Write a percentage between 0 and 100."),
    "invalid": _("Write a number, e.g. 12.5."),
    "max_decimal_places": _("Write at most two decimals."),
}
YES_NO = [("yes", _("Yes")), ("no", _("No"))]


def yes_no(value: str) -> bool:
    return value == "yes"


def yes_no_initial(value: bool | None) -> str | None:
    return None if value is None else ("yes" if value else "no")


class GrowthForm(forms.Form):
    """Step 3: export share and the sales and headcount of the two years before the last (the last year's are
    asked with the company)."""

    export_share = forms.DecimalField(
        label=_("Share of sales exported (%)"),
        help_text=_("Write 0 if you do not export."),
        min_value=0,
        max_value=100,
        decimal_places=2,
        initial=0,
        widget=forms.NumberInput(attrs=DECIMAL),
        error_messages={
            "min_value": _("Write a percentage between 0 and 100."),
            "max_value": _("Write a percentage between 0 and 100."),
            "invalid": _("Write a number, e.g. 12.5."),
            "max_decimal_places": _("Write at most two decimals."),
        },
    )

    # The company's facts behind the IFC classes (size by assets; women-owned or women-led). Optional here.
    total_assets_mdp = forms.DecimalField(
        label=_("Total assets (millions of pesos)"),
        help_text=_("As in your last balance sheet; for example 8.5 for 8,500,000 pesos."),
        min_value=0,
        decimal_places=3,
        required=False,
        widget=forms.NumberInput(attrs={**DECIMAL, "step": "0.001"}),
        error_messages={
            "min_value": _("The assets cannot be negative."),
            "invalid": _("Write a number, e.g. 8.5."),
            "max_decimal_places": _("Write at most three decimals."),
        },
    )
    women_ownership_share = forms.DecimalField(
        label=_("Share of the company owned by women (%)"),
        help_text=_("Write 0 if no woman is a partner or owner."),
        min_value=0,
        max_value=100,
        decimal_places=2,
        required=False,
        widget=forms.NumberInput(attrs=DECIMAL),
        error_messages=PERCENT_ERRORS,
    )
    woman_ceo_or_coo = forms.TypedChoiceField(
        label=_("Is a woman the chief executive (CEO) or chief operating officer (COO)?"),
        choices=YES_NO,
        coerce=yes_no,
        empty_value=None,
        required=False,
        widget=forms.RadioSelect,
    )
    has_board = forms.TypedChoiceField(
        label=_("Does the company have a board of directors?"),
        choices=YES_NO,
        coerce=yes_no,
        empty_value=None,
        required=False,
        widget=forms.RadioSelect,
    )
    women_board_share = forms.DecimalField(
        label=_("Share of the board who are women (%)"),
        help_text=_("Only if the company has a board."),
        min_value=0,
        max_value=100,
        decimal_places=2,
        required=False,
        widget=forms.NumberInput(attrs=DECIMAL),
        error_messages=PERCENT_ERRORS,
    )

    FACT_FIELDS = ("total_assets_mdp", "women_ownership_share", "woman_ceo_or_coo", "has_board", "women_board_share")

    def __init__(self, *args, years: list[int], **kwargs):
        super().__init__(*args, **kwargs)
        self.years = years
        for year in years:
            self.fields[f"sales_{year}"] = forms.DecimalField(
                label=_("Sales %(year)s (millions of pesos)") % {"year": year},
                min_value=0,
                decimal_places=3,
                required=False,
                widget=forms.NumberInput(attrs={**DECIMAL, "step": "0.001"}),
                error_messages=SALES_ERRORS,
            )
            self.fields[f"sales_check_{year}"] = sales_check_field()
            doubt = typed_sales_doubt(self, f"sales_{year}")
            if doubt:
                self.fields[f"sales_check_{year}"].choices = sales_check_choices(doubt)
            self.fields[f"employees_{year}"] = forms.IntegerField(
                label=_("Employees %(year)s") % {"year": year},
                min_value=0,
                required=False,
                widget=forms.NumberInput(attrs=NUMERIC),
                error_messages=EMPLOYEES_ERRORS,
            )

    def clean(self):
        data = super().clean()
        if data.get("has_board") is False:
            data["women_board_share"] = None
        for year in self.years:
            resolve_sales_doubt(self, data, f"sales_{year}", f"sales_check_{year}")
            if data.get(f"employees_{year}") is not None and data.get(f"sales_{year}") is None:
                self.add_error(f"sales_{year}", _("Add the sales of %(year)s too.") % {"year": year})
        return data

    def figures(self) -> list[tuple]:
        data = self.cleaned_data
        return [
            (y, data[f"sales_{y}"], data.get(f"employees_{y}"))
            for y in self.years
            if data.get(f"sales_{y}") is not None
        ]


class MarketForm(forms.Form):
    """Step 4: supply areas, anchor customers and certifications with expiry dates."""

    supply_areas = forms.ModelMultipleChoiceField(
        label=_("Critical supply areas you can supply"),
        queryset=CriticalSupplyArea.objects.none(),
        widget=forms.CheckboxSelectMultiple,
        required=False,
        error_messages={"required": _("Choose at least one supply area you can supply.")},
    )
    anchor_customers = forms.ModelMultipleChoiceField(
        label=_("Anchor companies that are already your customers"),
        queryset=AnchorCompany.objects.none(),
        widget=forms.CheckboxSelectMultiple,
        required=False,
    )

    def __init__(self, *args, program, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["supply_areas"].queryset = CriticalSupplyArea.objects.filter(program=program).order_by("code")
        # Required whenever the program lists areas (the cohort selection matches SMEs to them).
        self.fields["supply_areas"].required = self.fields["supply_areas"].queryset.exists()
        self.fields["anchor_customers"].queryset = AnchorCompany.objects.filter(program=program, is_active=True)
        self.standards = list(CertificationStandard.objects.order_by("name"))
        for standard in self.standards:
            self.fields[f"cert_{standard.pk}"] = forms.BooleanField(
                label=standard.name,
                required=False,
                widget=forms.CheckboxInput(attrs={"data-reveals": f"field-cert_{standard.pk}_expires"}),
            )
            self.fields[f"cert_{standard.pk}_expires"] = forms.DateField(
                label=_("Expiry date of %(name)s") % {"name": standard.name},
                required=False,
                widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
                error_messages={"invalid": _("Write a date, e.g. 31/03/2027.")},
            )
            # Shown and required once its certification is ticked: never labelled optional.
            self.fields[f"cert_{standard.pk}_expires"].required_when_asked = True

    def certification_fields(self):
        """(ticked box, expiry date, whether it is ticked) of each standard: the date shows only when ticked."""
        rows = []
        for standard in self.standards:
            held = self[f"cert_{standard.pk}"]
            rows.append((held, self[f"cert_{standard.pk}_expires"], held.field.widget.check_test(held.value())))
        return rows

    def clean(self):
        data = super().clean()
        today = timezone.localdate()
        for standard in self.standards:
            expires = data.get(f"cert_{standard.pk}_expires")
            if not data.get(f"cert_{standard.pk}"):
                self.errors.pop(f"cert_{standard.pk}_expires", None)  # a date left behind an unticked box
            else:
                if expires is None and f"cert_{standard.pk}_expires" not in self.errors:
                    self.add_error(f"cert_{standard.pk}_expires", _("Write when the certificate expires."))
                elif expires is not None and expires < today:
                    self.add_error(f"cert_{standard.pk}_expires", _("This certificate has expired."))
        return data

    def certifications(self) -> list[tuple]:
        return [
            (s, self.cleaned_data.get(f"cert_{s.pk}_expires"))
            for s in self.standards
            if self.cleaned_data.get(f"cert_{s.pk}")
        ]


class UploadField(forms.FileField):
    def clean(self, data, initial=None):
        uploaded = super().clean(data, initial)
        if uploaded and hasattr(uploaded, "read"):
            inspect_upload(uploaded)
        return uploaded


UPLOAD_HELP = _("A PDF, or a photo in PNG or JPEG.")


class FinishForm(forms.Form):
    """Step 5: contact phone, documents and the privacy notice.

    A document is stored as soon as it arrives, even when another field has an error (a file input
    cannot be filled again): ``has_csf`` / ``has_certificate`` say one is already received, and then
    choosing a file replaces it.
    """

    position = forms.CharField(
        label=_("Your position in the company"), max_length=120, required=False, validators=[refuse_control_characters]
    )
    phone = PhoneNumberField(
        label=_("Contact phone"),
        region="MX",
        help_text=_("10 digits, e.g. 477 123 4567."),
        widget=forms.TextInput(attrs={"inputmode": "tel", "autocomplete": "tel"}),
        error_messages={
            "invalid": _("Write a phone number of 10 digits, e.g. 477 123 4567."),
            "required": _("Write a phone number where we can reach you."),
        },
    )
    csf = UploadField(
        label=_("Constancia de Situación Fiscal"),
        help_text=UPLOAD_HELP,
        widget=forms.FileInput(attrs={"accept": ".pdf,.png,.jpg,.jpeg"}),
        error_messages={"required": _("Upload your Constancia de Situación Fiscal.")},
    )
    certificate = UploadField(
        label=_("A quality certificate"),
        required=False,
        help_text=UPLOAD_HELP,
        widget=forms.FileInput(attrs={"accept": ".pdf,.png,.jpg,.jpeg"}),
    )
    accept_privacy = forms.BooleanField(
        label=_("I have read the privacy notice and accept the use of my data for the necessary purposes."),
        required=True,
        error_messages={"required": _("You must accept the privacy notice.")},
    )
    accept_voluntary = forms.BooleanField(
        label=_(
            "I also accept the voluntary purposes: follow-up surveys after the program, invitations to events and "
            "other programs, and success stories naming my company (optional)."
        ),
        required=False,
        initial=False,
    )

    def __init__(self, *args, has_csf: bool, **kwargs):
        super().__init__(*args, **kwargs)
        self.has_csf = has_csf
        # Once received, the constancia is only replaced: choosing a file is then optional.
        self.fields["csf"].required = not has_csf

    def received_uploads(self) -> dict[str, object]:
        """The files of this post that passed their checks, whatever the other fields say."""
        if not self.is_bound:
            return {}
        self.is_valid()
        return {
            name: self.cleaned_data[name]
            for name in ("csf", "certificate")
            if name not in self.errors and self.cleaned_data.get(name)
        }


class PrivacyConsentForm(forms.Form):
    """A new version of the privacy notice: the necessary purposes (required) and the voluntary ones (separate)."""

    accept_privacy = FinishForm.base_fields["accept_privacy"]
    accept_voluntary = FinishForm.base_fields["accept_voluntary"]


class ProfileForm(CompanyFieldsMixin, forms.ModelForm):
    version = forms.IntegerField(widget=forms.HiddenInput)
    supply_areas = MarketForm.base_fields["supply_areas"]
    anchor_customers = MarketForm.base_fields["anchor_customers"]

    class Meta:
        model = Supplier
        fields = [
            "legal_name",
            "trade_name",
            "state",
            "municipality",
            "scian_code",
            "year_founded",
            "employees",
            "annual_sales_mdp",
            "export_share",
        ]
        labels = CompanyForm.Meta.labels
        widgets = CompanyForm.Meta.widgets

    def __init__(self, *args, program, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["supply_areas"].queryset = CriticalSupplyArea.objects.filter(program=program).order_by("code")
        self.fields["anchor_customers"].queryset = AnchorCompany.objects.filter(program=program, is_active=True)
        if self.instance.pk:
            self.initial.setdefault("version", self.instance.version)
            self.initial.setdefault("supply_areas", list(self.instance.supply_areas.all()))
            self.initial.setdefault("anchor_customers", list(self.instance.anchor_customers.all()))

    clean_year_founded = CompanyForm.clean_year_founded
    clean_annual_sales_mdp = CompanyForm.clean_annual_sales_mdp

    def clean(self):
        data = super().clean()
        self.check_size(data)
        return data

    def _post_clean(self):
        pass


class RejectForm(forms.Form):
    reason = forms.CharField(
        label=_("Reason (the SME will read it)"),
        widget=forms.Textarea(attrs={"rows": 3}),
        validators=[refuse_control_characters_multiline],
    )


class DuplicateForm(forms.Form):
    original = forms.ModelChoiceField(label=_("Original registration"), queryset=Supplier.objects.none())
    reason = forms.CharField(
        label=_("Note"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 2}),
        validators=[refuse_control_characters_multiline],
    )

    def __init__(self, *args, supplier, user, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["original"].queryset = (
            scoped(Supplier.objects.all(), user)
            .exclude(pk=supplier.pk)
            .filter(program_id=supplier.program_id, rfc=supplier.rfc)
        )


class JoinProgramForm(forms.Form):
    """Join another program: the supply areas of that program the company can supply, and its privacy notice."""

    supply_areas = forms.ModelMultipleChoiceField(
        label=_("Critical supply areas of this program you can supply"),
        queryset=CriticalSupplyArea.objects.none(),
        widget=forms.CheckboxSelectMultiple,
        required=False,
        error_messages={"required": _("Choose at least one supply area you can supply.")},
    )
    accept_privacy = FinishForm.base_fields["accept_privacy"]
    accept_voluntary = FinishForm.base_fields["accept_voluntary"]

    def __init__(self, *args, program, **kwargs):
        super().__init__(*args, **kwargs)
        areas = CriticalSupplyArea.objects.filter(program=program).order_by("code")
        self.fields["supply_areas"].queryset = areas
        self.fields["supply_areas"].required = areas.exists()
