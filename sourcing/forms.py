"""Forms of the sourcing pages; the services validate again and own every write."""

from django import forms
from django.conf import settings
from django.utils.translation import gettext_lazy as _

from programs.models import AnchorCompany, CertificationStandard, CriticalSupplyArea, State

from .models import Currency, Invitation, Opportunity

DATE = forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")


class ColleagueForm(forms.Form):
    name = forms.CharField(label=_("Name"), max_length=150)
    email = forms.EmailField(label=_("Email"))
    language = forms.ChoiceField(label=_("Language of the emails"), choices=settings.LANGUAGES, initial="es-mx")


class AreaChoiceField(forms.ModelMultipleChoiceField):
    def label_from_instance(self, obj):
        return f"{obj.code} · {obj.name}"


class OpportunityForm(forms.Form):
    title = forms.CharField(label=_("Title"), max_length=200)
    areas = AreaChoiceField(
        label=_("Supply areas"), queryset=CriticalSupplyArea.objects.none(), widget=forms.CheckboxSelectMultiple
    )
    description = forms.CharField(label=_("What is to be made"), widget=forms.Textarea(attrs={"rows": 4}))
    part_family = forms.CharField(label=_("Part family"), max_length=120)
    process = forms.CharField(
        label=_("Process"), max_length=120, help_text=_("For example stamping, injection, machining.")
    )
    annual_volume = forms.IntegerField(label=_("Estimated annual volume (pieces)"), min_value=0)
    annual_value = forms.DecimalField(label=_("Estimated annual value"), min_value=0, max_digits=14, decimal_places=2)
    currency = forms.ChoiceField(label=_("Currency"), choices=Currency.choices, initial=Currency.MXN)
    required_certifications = forms.ModelMultipleChoiceField(
        label=_("Required certifications"),
        queryset=CertificationStandard.objects.order_by("name"),
        widget=forms.CheckboxSelectMultiple,
        required=False,
    )
    minimum_maturity_level = forms.TypedChoiceField(
        label=_("Minimum maturity level"),
        choices=[("", _("No minimum"))] + [(str(i), str(i)) for i in range(1, 6)],
        coerce=int,
        empty_value=None,
        required=False,
    )
    delivery_state = forms.ModelChoiceField(label=_("Delivery state"), queryset=State.objects.order_by("name"))
    delivery_plant = forms.CharField(label=_("Delivery plant"), max_length=200)
    start_date = forms.DateField(label=_("Start of supply"), widget=DATE)
    response_deadline = forms.DateField(label=_("Response deadline"), widget=DATE)
    visibility = forms.ChoiceField(
        label=_("Who may see it"),
        choices=Opportunity.Visibility.choices,
        initial=Opportunity.Visibility.INVITED,
        widget=forms.RadioSelect,
    )

    def __init__(self, *args, program_id: int | None = None, staff=None, **kwargs):
        from programs.selectors import scoped

        super().__init__(*args, **kwargs)
        areas = CriticalSupplyArea.objects.order_by("code")
        self.fields["areas"].queryset = areas.filter(program_id=program_id) if program_id else scoped(areas, staff)
        if staff is not None:
            anchors = scoped(AnchorCompany.objects.filter(is_active=True), staff).order_by("name")
            self.fields = {
                "anchor": forms.ModelChoiceField(label=_("Anchor company"), queryset=anchors),
                **self.fields,
            }

    def service_data(self) -> dict:
        data = dict(self.cleaned_data)
        for name in ("anchor", "areas", "required_certifications"):
            data.pop(name, None)
        return data


class AttachmentForm(forms.Form):
    file = forms.FileField(label=_("File (PDF, PNG or JPEG)"))
    is_confidential = forms.BooleanField(
        label=_("Confidential (drawings): only invited SMEs that accepted the terms download it"),
        required=False,
        initial=True,
    )


class StepForm(forms.Form):
    to = forms.ChoiceField(
        label=_("Step"),
        choices=[(s.value, s.label) for s in Invitation.Status if s in Invitation.ANCHOR_STEPS],
    )
    reason = forms.CharField(label=_("Reason (when lost)"), required=False, widget=forms.Textarea(attrs={"rows": 2}))
    purchase_order_value_mxn = forms.DecimalField(
        label=_("Purchase order value (MXN)"), min_value=0, max_digits=14, decimal_places=2, required=False
    )
    purchase_order_date = forms.DateField(label=_("Purchase order date"), required=False, widget=DATE)


class DeclineForm(forms.Form):
    reason = forms.CharField(label=_("Why do you decline?"), widget=forms.Textarea(attrs={"rows": 2}))


class MultipleFileInput(forms.ClearableFileInput):
    allow_multiple_selected = True


class MultipleFileField(forms.FileField):
    def __init__(self, *args, **kwargs):
        kwargs.setdefault("widget", MultipleFileInput())
        super().__init__(*args, **kwargs)

    def clean(self, data, initial=None):
        single = super().clean
        if isinstance(data, list | tuple):
            return [single(d, initial) for d in data]
        return [single(data, initial)] if data else []


class ResponseForm(forms.Form):
    summary = forms.CharField(label=_("Quote summary"), widget=forms.Textarea(attrs={"rows": 4}))
    quoted_value = forms.DecimalField(
        label=_("Quoted annual value"), min_value=0, max_digits=14, decimal_places=2, required=False
    )
    currency = forms.ChoiceField(label=_("Currency"), choices=Currency.choices, initial=Currency.MXN)
    lead_time_weeks = forms.IntegerField(label=_("Lead time (weeks)"), min_value=0, max_value=520, required=False)
    documents = MultipleFileField(label=_("Documents (PDF, PNG or JPEG)"), required=False)


class ModerationForm(forms.Form):
    reason = forms.CharField(label=_("Reason"), required=False, widget=forms.Textarea(attrs={"rows": 2}))
