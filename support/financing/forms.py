"""Forms of the financing pages (thin: ``support.services.financing`` does the checks)."""

from decimal import Decimal

from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from cohorts.models import Candidate
from core.text import refuse_control_characters, refuse_control_characters_multiline
from programs.models import AnchorCompany
from programs.selectors import scoped

from ..forms import DateInput
from .models import FinancingCase

AMOUNT = {"min_value": Decimal("0.01"), "max_digits": 14, "decimal_places": 2}


class CaseForm(forms.Form):
    institution = forms.ChoiceField(label=_("Institution"), choices=FinancingCase.Institution.choices)
    institution_name = forms.CharField(
        label=_("Name of the other institution"),
        required=False,
        max_length=200,
        validators=[refuse_control_characters],
    )
    product = forms.ChoiceField(label=_("Product"), choices=FinancingCase.Product.choices)
    bank = forms.CharField(
        label=_("Intermediary bank (if any)"), required=False, max_length=120, validators=[refuse_control_characters]
    )
    anchor = forms.ModelChoiceField(
        label=_("Anchor whose invoices are discounted (factoring)"),
        queryset=AnchorCompany.objects.none(),
        required=False,
    )
    amount_requested = forms.DecimalField(label=_("Amount requested (MXN)"), **AMOUNT)
    purpose = forms.CharField(
        label=_("What the financing is for"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 2}),
        validators=[refuse_control_characters_multiline],
    )

    def __init__(self, *args, program=None, **kwargs):
        super().__init__(*args, **kwargs)
        anchors = AnchorCompany.objects.filter(program=program) if program is not None else AnchorCompany.objects.all()
        self.fields["anchor"].queryset = anchors.order_by("name")  # type: ignore[attr-defined]


class StaffCaseForm(CaseForm):
    candidate = forms.ModelChoiceField(label=_("Selected SME"), queryset=Candidate.objects.none())
    referred_on = forms.DateField(label=_("Referred on"), widget=DateInput, initial=timezone.localdate)

    field_order = ["candidate", "institution", "institution_name", "product", "bank", "anchor", "amount_requested"]

    def __init__(self, *args, user=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["candidate"].queryset = (  # type: ignore[attr-defined]
            scoped(Candidate.objects.filter(status=Candidate.Status.SELECTED), user)
            .select_related("supplier", "cohort")
            .order_by("supplier__trade_name", "supplier__legal_name", "pk")
        )
        self.fields["candidate"].label_from_instance = lambda c: f"{c.supplier} · {c.cohort.name}"  # type: ignore[attr-defined]


class MoveForm(forms.Form):
    to = forms.ChoiceField(label=_("New step"), choices=[])
    on = forms.DateField(label=_("Date of the step"), widget=DateInput, initial=timezone.localdate)
    amount_approved = forms.DecimalField(label=_("Amount approved (MXN)"), required=False, **AMOUNT)
    reason = forms.CharField(
        label=_("Reason (needed to reject or to go back a step)"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 2}),
        validators=[refuse_control_characters_multiline],
    )
    version = forms.IntegerField(widget=forms.HiddenInput)

    def __init__(self, *args, case: FinancingCase, **kwargs):
        super().__init__(*args, **kwargs)
        current = FinancingCase.Status(case.status)
        targets = [*FinancingCase.FORWARD[current], *FinancingCase.BACKWARD[current]]
        order = list(FinancingCase.Status.values)
        self.fields["to"].choices = [  # type: ignore[attr-defined]
            (s, FinancingCase.Status(s).label) for s in sorted(targets, key=order.index)
        ]


class DisbursementForm(forms.Form):
    amount = forms.DecimalField(label=_("Amount disbursed (MXN)"), **AMOUNT)
    on = forms.DateField(label=_("Date paid"), widget=DateInput, initial=timezone.localdate)
    reference = forms.CharField(
        label=_("Reference (optional)"), required=False, max_length=120, validators=[refuse_control_characters]
    )
    version = forms.IntegerField(widget=forms.HiddenInput)


class DocumentForm(forms.Form):
    title = forms.CharField(label=_("Document"), max_length=200, validators=[refuse_control_characters])
    file = forms.FileField(label=_("File"))
