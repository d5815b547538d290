"""Forms of the staff and anchor pages (thin: services do the checks)."""

from django import forms
from django.utils.translation import gettext_lazy as _

from core.text import refuse_control_characters, refuse_control_characters_multiline

from .models import AnchorReview, Candidate, Intervention


class ReviewForm(forms.Form):
    verdict = forms.ChoiceField(label=_("Verdict"), choices=AnchorReview.Verdict.choices)
    reason = forms.CharField(
        label=_("Reason"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 2}),
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


class CommitForm(forms.Form):
    version = forms.IntegerField(widget=forms.HiddenInput)


class ReasonForm(forms.Form):
    reason = forms.CharField(label=_("Reason"), required=False, validators=[refuse_control_characters])
    version = forms.IntegerField(widget=forms.HiddenInput, required=False)


class InterventionForm(forms.ModelForm):
    class Meta:
        model = Intervention
        fields = [
            "kind",
            "title",
            "provider",
            "institution",
            "amount_mxn",
            "hours",
            "status",
            "start_date",
            "end_date",
            "notes",
        ]
        widgets = {
            "start_date": forms.DateInput(attrs={"type": "date"}),
            "end_date": forms.DateInput(attrs={"type": "date"}),
            "notes": forms.Textarea(attrs={"rows": 2}),
        }


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
