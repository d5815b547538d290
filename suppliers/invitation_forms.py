"""The form staff upload a list of SMEs to invite with."""

from django import forms
from django.conf import settings
from django.core.exceptions import ValidationError
from django.template.defaultfilters import filesizeformat
from django.utils.translation import gettext_lazy as _

from programs.selectors import programs_of


class InvitationImportForm(forms.Form):
    program = forms.ModelChoiceField(
        label=_("Program"),
        queryset=None,
        empty_label=None,
        error_messages={"invalid_choice": _("Choose one of your programs.")},
    )
    file = forms.FileField(
        label=_("List of SMEs (CSV or XLSX)"),
        help_text=_(
            "The first row names the columns: RFC, company name, contact email and state (name, abbreviation or "
            "INEGI code). Rows already invited or registered in the program are left as they are."
        ),
        error_messages={"required": _("Choose the file with the list."), "empty": _("The file is empty.")},
        widget=forms.ClearableFileInput(
            attrs={"accept": ".csv,.xlsx,text/csv,application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"}
        ),
    )

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, **kwargs)
        field = self.fields["program"]
        field.queryset = programs_of(user).order_by("-start_date", "code")  # type: ignore[attr-defined]
        field.label_from_instance = lambda program: program.name  # type: ignore[attr-defined]

    def clean_file(self):
        uploaded = self.cleaned_data["file"]
        limit = settings.SDP_INVITATION_IMPORT_MAX_BYTES
        if uploaded.size > limit:
            raise ValidationError(
                _("The file is too large (%(size)s). The limit is %(limit)s.")
                % {"size": filesizeformat(uploaded.size), "limit": filesizeformat(limit)},
                code="file_too_large",
            )
        return uploaded
