"""Forms of the staff, provider and SME pages (thin: the services do the checks)."""

import datetime

from django import forms
from django.conf import settings
from django.template.defaultfilters import filesizeformat
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from cohorts.models import Candidate, Cohort
from core.text import refuse_control_characters, refuse_control_characters_multiline

from .models import Attendance, Enrolment, PlanItem, Provider, Visit


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


class DateTimeInput(forms.DateTimeInput):
    """The browser's date and time picker (local time, ISO)."""

    input_type = "datetime-local"

    def __init__(self, attrs=None):
        super().__init__(attrs, format="%Y-%m-%dT%H:%M")


def _dimension_choices():
    from django.db.models import Max, Min
    from django.utils.translation import get_language

    from assessments.models import Dimension

    english = (get_language() or "es").startswith("en")
    rows = Dimension.objects.values("code").annotate(order=Min("order"), es=Max("name_es"), en=Max("name_en"))
    return [("", "—")] + [
        (r["code"], (r["en"] if english and r["en"] else r["es"]) or r["code"])
        for r in sorted(rows, key=lambda r: (r["order"], r["code"]))
    ]


class CourseForm(forms.Form):
    cohort = forms.ModelChoiceField(label=_("Cohort"), queryset=Cohort.objects.none())
    title = forms.CharField(label=_("Title"), max_length=200, validators=[refuse_control_characters])
    topic = forms.CharField(
        label=_("Topic"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 2}),
        validators=[refuse_control_characters_multiline],
    )
    dimension_code = forms.ChoiceField(label=_("Dimension"), required=False, choices=())
    trainer = forms.ModelChoiceField(label=_("Trainer"), queryset=Provider.objects.none(), required=False)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["cohort"].queryset = (
            Cohort.objects.filter(  # type: ignore[attr-defined]
                candidates__status=Candidate.Status.SELECTED
            )
            .distinct()
            .order_by("-year", "name")
        )
        self.fields["trainer"].queryset = Provider.objects.filter(  # type: ignore[attr-defined]
            is_active=True
        ).order_by("name")
        self.fields["dimension_code"].choices = _dimension_choices()  # type: ignore[attr-defined]


class SessionForm(forms.Form):
    topic = forms.CharField(label=_("Topic"), required=False, max_length=200, validators=[refuse_control_characters])
    starts_at = forms.DateTimeField(label=_("Starts at"), widget=DateTimeInput)
    ends_at = forms.DateTimeField(label=_("Ends at"), widget=DateTimeInput)
    online = forms.BooleanField(label=_("Online"), required=False)
    place = forms.CharField(
        label=_("Place"),
        required=False,
        max_length=200,
        validators=[refuse_control_characters],
        help_text=_("Leave empty for an online session."),
    )
    capacity = forms.IntegerField(label=_("Seats"), required=False, min_value=1, max_value=1000)
    trainer = forms.ModelChoiceField(
        label=_("Trainer"),
        queryset=Provider.objects.none(),
        required=False,
        help_text=_("Leave empty for the course's trainer."),
    )

    def __init__(self, *args, course=None, **kwargs):
        super().__init__(*args, **kwargs)
        program_id = course.cohort.program_id if course is not None else None
        self.fields["trainer"].queryset = Provider.objects.filter(  # type: ignore[attr-defined]
            program_id=program_id, is_active=True
        ).order_by("name")

    def clean(self):
        data = super().clean() or {}
        if data.get("starts_at") and data.get("ends_at") and data["ends_at"] <= data["starts_at"]:
            self.add_error("ends_at", _("The session must end after it starts."))
        if not data.get("online") and not (data.get("place") or "").strip() and "place" not in self.errors:
            self.add_error("place", _("Give the place, or mark the session as online."))
        return data


class EnrolForm(forms.Form):
    candidate = forms.ModelChoiceField(label=_("Selected SME"), queryset=Candidate.objects.none())
    participants = forms.CharField(
        label=_("Participants"),
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_("One name per line: the people of the SME who take the course."),
        validators=[refuse_control_characters_multiline],
    )

    def __init__(self, *args, course=None, **kwargs):
        super().__init__(*args, **kwargs)
        candidates = Candidate.objects.none()
        if course is not None:
            candidates = (
                Candidate.objects.filter(cohort_id=course.cohort_id, status=Candidate.Status.SELECTED)
                .exclude(enrolments__course=course)
                .select_related("supplier")
                .order_by("supplier__trade_name", "supplier__legal_name", "pk")
            )
        self.fields["candidate"].queryset = candidates  # type: ignore[attr-defined]
        self.fields["candidate"].label_from_instance = lambda c: str(c.supplier)  # type: ignore[attr-defined]

    def clean_participants(self):
        names = [line.strip() for line in self.cleaned_data["participants"].splitlines() if line.strip()]
        if not names:
            raise forms.ValidationError(_("Name at least one participant."))
        too_long = [n for n in names if len(n) > 200]
        if too_long:
            raise forms.ValidationError(_("A name can have at most 200 characters."))
        return names


class ParticipantForm(forms.Form):
    enrolment = forms.ModelChoiceField(label=_("SME"), queryset=Enrolment.objects.none())
    name = forms.CharField(label=_("Name"), max_length=200, validators=[refuse_control_characters])
    email = forms.EmailField(
        label=_("Email"), required=False, help_text=_("For the reminder the day before a session.")
    )

    def __init__(self, *args, course=None, **kwargs):
        super().__init__(*args, **kwargs)
        enrolments = Enrolment.objects.none()
        if course is not None:
            enrolments = course.enrolments.select_related("candidate__supplier").order_by("pk")
        self.fields["enrolment"].queryset = enrolments  # type: ignore[attr-defined]
        self.fields["enrolment"].label_from_instance = lambda e: str(e.candidate.supplier)  # type: ignore[attr-defined]


class AttendanceForm(forms.Form):
    """One choice per participant of the course (``p-<id>``); a mark for anyone else is refused by the service."""

    def __init__(self, *args, participants=(), **kwargs):
        super().__init__(*args, **kwargs)
        for participant, current in participants:
            self.fields[f"p-{participant.pk}"] = forms.ChoiceField(
                label=participant.name,
                choices=Attendance.Status.choices,
                required=False,
                initial=current,
                widget=forms.RadioSelect,
            )

    def marks(self) -> dict[int, str]:
        """Every mark sent, the fields of the form's participants and any other ``p-<id>`` in the request."""
        marks = {int(name[2:]): value for name, value in self.cleaned_data.items() if value}
        for name, value in self.data.items():
            if name.startswith("p-") and name not in self.fields:
                if not name[2:].isdigit():
                    raise forms.ValidationError(_("Only participants enrolled in this course can attend its sessions."))
                marks[int(name[2:])] = value
        return marks


class EvidenceForm(forms.Form):
    """A note and/or a file showing progress on a plan item (the service checks the file's real type)."""

    note = forms.CharField(
        label=_("Note"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 2}),
        validators=[refuse_control_characters_multiline],
    )
    file = forms.FileField(
        label=_("File"),
        required=False,
        widget=forms.FileInput(attrs={"accept": ".pdf,.png,.jpg,.jpeg,application/pdf,image/png,image/jpeg"}),
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["file"].help_text = _("PDF, PNG or JPEG, up to %(limit)s.") % {
            "limit": filesizeformat(settings.SDP_MAX_UPLOAD_BYTES)
        }

    def clean(self):
        data = super().clean() or {}
        if not (data.get("note") or "").strip() and not data.get("file") and not self.errors:
            raise forms.ValidationError(_("Write a note or attach a file."))
        return data
