from django import forms
from django.contrib.auth import get_user_model
from django.utils.translation import gettext_lazy as _

from core.roles import STAFF_GROUP
from core.text import refuse_control_characters_multiline
from programs.models import Program
from programs.selectors import programs_of, scoped
from suppliers.models import Supplier
from suppliers.rfc import TYPED_RFC_MAX_LENGTH, normalize_rfc

from . import services
from .models import Diagnostic, Framework


class SupplierRFCField(forms.ModelChoiceField):
    """A verified SME named by its RFC (any case, spaces and dashes ignored): a text box, not a list of 100,000."""

    def __init__(self, **kwargs):
        super().__init__(
            queryset=Supplier.objects.filter(status=Supplier.Status.VERIFIED),
            to_field_name="rfc",
            widget=forms.TextInput(
                attrs={"autocomplete": "off", "maxlength": TYPED_RFC_MAX_LENGTH, "placeholder": "ABC123456XYZ"}
            ),
            error_messages={"invalid_choice": _("No verified SME has this RFC.")},
            **kwargs,
        )

    def to_python(self, value):
        try:
            return super().to_python(normalize_rfc(value))
        except Supplier.MultipleObjectsReturned:
            # One company (RFC) takes part in several of the staff member's programs.
            raise forms.ValidationError(
                _("This SME takes part in more than one of your programs: choose the program."), code="several"
            ) from None


class ScheduleForm(forms.Form):
    """Schedule a diagnostic of an SME of the programs the staff member works on (the program is asked
    only of staff of more than one program)."""

    program = forms.ModelChoiceField(queryset=Program.objects.none(), required=False, label=_("Program"))
    supplier = SupplierRFCField(label=_("SME (RFC)"))
    framework = forms.ModelChoiceField(queryset=Framework.objects.filter(is_published=True), label=_("Framework"))
    assessor = forms.ModelChoiceField(
        queryset=get_user_model().objects.filter(groups__name=STAFF_GROUP, is_active=True),
        required=False,
        label=_("Assessor"),
    )
    scheduled_for = forms.DateField(label=_("Date"), widget=forms.DateInput(attrs={"type": "date"}))
    mode = forms.ChoiceField(choices=Diagnostic.Mode.choices, label=_("Mode"))
    baseline = forms.ModelChoiceField(
        queryset=Diagnostic.objects.filter(status=Diagnostic.Status.VALIDATED),
        required=False,
        widget=forms.NumberInput(attrs={"min": 1}),
        label=_("Baseline diagnostic (number)"),
        error_messages={"invalid_choice": _("No validated diagnostic has this number.")},
        help_text=_("Leave empty to use the SME's latest validated diagnostic."),
    )
    notes = forms.CharField(
        widget=forms.Textarea(attrs={"rows": 3}),
        required=False,
        label=_("Notes"),
        validators=[refuse_control_characters_multiline],
    )

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, **kwargs)
        for name in ("supplier", "baseline"):
            self.fields[name].queryset = scoped(self.fields[name].queryset, user)
        programs = programs_of(user)
        if programs.count() < 2:
            del self.fields["program"]
            return
        self.fields["program"].queryset = programs
        chosen = self["program"].data if self.is_bound else None
        if chosen and str(chosen).isdigit() and programs.filter(pk=chosen).exists():
            self.fields["supplier"].queryset = self.fields["supplier"].queryset.filter(program_id=chosen)

    def clean(self):
        data = super().clean()
        data.pop("program", None)  # it only narrows the SME; the service takes the SME
        return data


def answer_items_from_post(data, questions) -> tuple[list[dict], dict]:
    """Answer items of a plain (no-JS) form post for these questions: fields ``q<id>-level``,
    ``q<id>-na``, ``q<id>-na_reason``, ``q<id>-evidence``. Questions left blank are skipped.
    Also returns the posted values per question id, to show them again on errors."""
    items, posted = [], {}
    for question in questions:
        prefix = f"q{question.pk}-"
        values = {
            "question": question.pk,
            "level": data.get(prefix + "level") or None,
            "not_applicable": data.get(prefix + "na") in {"on", "1", "true"},
            "na_reason": data.get(prefix + "na_reason", ""),
            "evidence": data.get(prefix + "evidence", ""),
        }
        posted[question.pk] = values
        if values["level"] or values["not_applicable"] or values["na_reason"].strip() or values["evidence"].strip():
            items.append(values)
    return items, posted


class FrameworkImportForm(forms.Form):
    """An uploaded framework file, checked in full; ``data`` holds its content once valid."""

    MAX_BYTES = 2 * 1024 * 1024

    file = forms.FileField(
        label=_("Framework file (YAML)"),
        help_text=_("A file downloaded from this admin, or written in the same format."),
    )

    def clean_file(self):
        upload = self.cleaned_data["file"]
        if upload.size > self.MAX_BYTES:
            raise forms.ValidationError(_("The file is larger than 2 MB; a framework file is much smaller."))
        try:
            self.content = services.framework_parse(upload.read(), file=upload.name)
        except services.DataFileError as error:
            raise forms.ValidationError([str(problem) for problem in error.problems]) from None
        return upload


class DiagnosticFilterForm(forms.Form):
    """Search and filter of the staff diagnostics list (GET)."""

    q = forms.CharField(label=_("SME name or RFC"), max_length=100, required=False)
    status = forms.ChoiceField(label=_("Status"), choices=[("", _("All")), *Diagnostic.Status.choices], required=False)
