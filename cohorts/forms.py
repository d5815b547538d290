"""Forms of the staff and anchor pages (thin: services do the checks)."""

from django import forms
from django.utils.translation import gettext_lazy as _

from core.text import refuse_control_characters, refuse_control_characters_multiline

from .models import AnchorReview, Candidate


class ReviewForm(forms.Form):
    """An anchor's review of one candidate. Nothing is chosen until the reviewer chooses (or has saved)."""

    verdict = forms.ChoiceField(
        label=_("Your decision"),
        choices=AnchorReview.Verdict.choices,
        widget=forms.RadioSelect,
        error_messages={"required": _("Choose endorse, object or conflict of interest.")},
    )
    reason = forms.CharField(
        label=_("Reason"),
        help_text=_("Required to object or declare a conflict of interest; the program staff read it."),
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
        validators=[refuse_control_characters_multiline],
    )

    def clean(self):
        data = super().clean()
        if (
            data.get("verdict") in (AnchorReview.Verdict.OBJECT, AnchorReview.Verdict.CONFLICT)
            and not (data.get("reason") or "").strip()
        ):
            self.add_error("reason", _("Give a reason for an objection or a conflict of interest."))
        return data


class OpenReviewForm(forms.Form):
    deadline = forms.DateTimeField(
        label=_("Review deadline"), widget=forms.DateTimeInput(attrs={"type": "datetime-local"})
    )
    version = forms.IntegerField(widget=forms.HiddenInput)


class ExtendReviewForm(forms.Form):
    deadline = forms.DateTimeField(
        label=_("New review deadline"), widget=forms.DateTimeInput(attrs={"type": "datetime-local"})
    )
    reason = forms.CharField(label=_("Reason"), required=False, validators=[refuse_control_characters])
    version = forms.IntegerField(widget=forms.HiddenInput)


class ReentryForm(forms.Form):
    supplier = forms.IntegerField(widget=forms.HiddenInput)
    reason = forms.CharField(label=_("Reason"), required=False, validators=[refuse_control_characters])


class StageForm(forms.Form):
    status = forms.ChoiceField(
        label=_("Decision"),
        required=False,
        choices=[("", "—"), *[(s, Candidate.Status(s).label) for s in ("selected", "waitlisted", "not_selected")]],
    )
    reason = forms.CharField(
        label=_("Reason the SME will be told"), required=False, validators=[refuse_control_characters]
    )
    version = forms.IntegerField(widget=forms.HiddenInput)


class BulkStageForm(forms.Form):
    """One decision for every marked candidate (``candidates``: "<id>:<version>" as the page showed them)."""

    status = forms.ChoiceField(
        label=_("Decision for the marked candidates"),
        choices=[(s, Candidate.Status(s).label) for s in ("selected", "waitlisted", "not_selected")],
        widget=forms.RadioSelect,
        error_messages={"required": _("Choose the decision for the marked candidates.")},
    )
    reason = forms.CharField(
        label=_("Reason the SMEs will be told"),
        validators=[refuse_control_characters],
        error_messages={"required": _("Write the reason the SMEs will be told.")},
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.marked = self.data.getlist("candidates") if hasattr(self.data, "getlist") else []

    def clean(self):
        data = super().clean()
        versions = {}
        for item in self.marked:
            pk, _sep, version = str(item).partition(":")
            if not (pk.isdigit() and version.isdigit()):
                raise forms.ValidationError(_("Reload the page and try again."))
            versions[int(pk)] = int(version)
        if not versions:
            raise forms.ValidationError(_("Mark at least one candidate."))
        data["candidates"] = versions
        return data


class CommitForm(forms.Form):
    version = forms.IntegerField(widget=forms.HiddenInput)


class ReasonForm(forms.Form):
    reason = forms.CharField(label=_("Reason"), required=False, validators=[refuse_control_characters])
    version = forms.IntegerField(widget=forms.HiddenInput, required=False)


class CandidateFilterForm(forms.Form):
    """Filters of the candidates on the staff cohort page (GET)."""

    SHOW = [
        ("", _("All candidates")),
        ("proposal", _("In the proposal")),
        ("eligible", _("Eligible")),
        ("ineligible", _("Not eligible")),
        ("staged", _("With a staged decision")),
        ("pinned", _("Pinned or excluded")),
    ]
    show = forms.ChoiceField(label=_("Show"), choices=SHOW, required=False)
    status = forms.ChoiceField(
        label=_("Status"), choices=[("", _("Any status")), *Candidate.Status.choices], required=False
    )
    q = forms.CharField(label=_("SME name or RFC"), max_length=100, required=False)
