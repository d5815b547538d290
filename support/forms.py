"""Forms of the staff, provider and SME pages (thin: the services do the checks)."""

import datetime

from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from core.text import refuse_control_characters, refuse_control_characters_multiline

from .models import PlanItem, Provider, Visit


class DateInput(forms.DateInput):
    """The browser's date picker, which reads and writes ISO dates."""

    input_type = "date"

    def __init__(self, attrs=None):
        super().__init__(attrs, format="%Y-%m-%d")


class ItemForm(forms.Form):
    title = forms.CharField(
        label=_("What the SME will improve"), max_length=200, validators=[refuse_control_characters]
    )
    target = forms.CharField(
        label=_("Target"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 2}),
        validators=[refuse_control_characters_multiline],
    )
    owner_name = forms.CharField(
        label=_("Owner at the SME"), required=False, max_length=200, validators=[refuse_control_characters]
    )
    provider = forms.ModelChoiceField(label=_("Provider"), queryset=Provider.objects.none(), required=False)
    due_date = forms.DateField(label=_("Due date"), required=False, widget=DateInput)

    def __init__(self, *args, program=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["provider"].queryset = Provider.objects.filter(program=program, is_active=True).order_by("name")  # type: ignore[attr-defined]


class AssignForm(forms.Form):
    provider = forms.ModelChoiceField(label=_("Provider"), queryset=Provider.objects.none())
    starts_on = forms.DateField(label=_("Starts on"), widget=DateInput, initial=timezone.localdate)
    ends_on = forms.DateField(label=_("Ends on"), required=False, widget=DateInput)

    def __init__(self, *args, program=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["provider"].queryset = Provider.objects.filter(program=program, is_active=True).order_by("name")  # type: ignore[attr-defined]

    def clean(self):
        data = super().clean() or {}
        if data.get("ends_on") and data.get("starts_on") and data["ends_on"] < data["starts_on"]:
            self.add_error("ends_on", _("The end comes before the start."))
        return data


class VisitForm(forms.Form):
    kind = forms.ChoiceField(label=_("Kind"), choices=Visit.Kind.choices)
    date = forms.DateField(label=_("Date"), widget=DateInput, initial=timezone.localdate)
    hours = forms.DecimalField(label=_("Hours"), min_value=0, max_value=24, decimal_places=1, max_digits=4)
    topics = forms.CharField(
        label=_("Topics"), widget=forms.Textarea(attrs={"rows": 2}), validators=[refuse_control_characters_multiline]
    )
    items = forms.ModelMultipleChoiceField(
        label=_("Plan items worked on"),
        queryset=PlanItem.objects.none(),
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )
    agreements = forms.CharField(
        label=_("Agreements"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 2}),
        validators=[refuse_control_characters_multiline],
    )
    next_steps = forms.CharField(
        label=_("Next steps"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 2}),
        validators=[refuse_control_characters_multiline],
    )

    def __init__(self, *args, plan=None, **kwargs):
        super().__init__(*args, **kwargs)
        if plan is not None:
            self.fields["items"].queryset = plan.items.order_by("order", "id")  # type: ignore[attr-defined]

    def clean_date(self):
        date = self.cleaned_data["date"]
        if date > timezone.localdate():
            raise forms.ValidationError(_("A visit is logged once it has happened: the date cannot be in the future."))
        if date < timezone.localdate() - datetime.timedelta(days=366):
            raise forms.ValidationError(_("Give a date within the last year."))
        return date


class ItemStatusForm(forms.Form):
    status = forms.ChoiceField(label=_("Progress"), choices=PlanItem.Status.choices)
    reason = forms.CharField(
        label=_("Why dropped"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 2}),
        validators=[refuse_control_characters_multiline],
    )
    note = forms.CharField(
        label=_("Evidence or note"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 2}),
        validators=[refuse_control_characters_multiline],
    )
    version = forms.IntegerField(widget=forms.HiddenInput)


class DisputeForm(forms.Form):
    reason = forms.CharField(
        label=_("What is wrong with this record?"),
        widget=forms.Textarea(attrs={"rows": 2}),
        validators=[refuse_control_characters_multiline],
    )
    version = forms.IntegerField(widget=forms.HiddenInput)


class ResolveForm(forms.Form):
    confirm = forms.TypedChoiceField(
        label=_("Decision"),
        choices=[("1", _("Confirm the hours")), ("0", _("Reject the record"))],
        coerce=lambda v: v == "1",
    )
    resolution = forms.CharField(
        label=_("How was it settled?"),
        widget=forms.Textarea(attrs={"rows": 2}),
        validators=[refuse_control_characters_multiline],
    )
    version = forms.IntegerField(widget=forms.HiddenInput)
