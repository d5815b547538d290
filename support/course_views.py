"""Pages of group training: staff run courses, their sessions and enrolments; staff and each session's trainer
record attendance; hours per SME and per participant follow from it."""

from django import forms as django_forms
from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods

from core import roles
from core.access import requires
from programs.selectors import scoped

from . import selectors, services
from .forms import AttendanceForm, CourseForm, EnrolForm, ParticipantForm, SessionForm
from .models import Course, TrainingSession
from .permissions import can_manage_support, is_provider
from .views import _errors_into


def _run(form, action) -> bool:
    """Call the service with the valid form's data; its field errors go back onto the form."""
    if not form.is_valid():
        return False
    try:
        action(form.cleaned_data)
    except ValidationError as exc:
        _errors_into(form, exc)
        return False
    return True


# --- Staff ---------------------------------------------------------------------------------------


@requires(can_manage_support)
@require_http_methods(["GET", "POST"])
def staff_courses(request):
    """Every course, and the form to create one."""
    form = CourseForm()
    status = 200
    if request.method == "POST":
        form = CourseForm(request.POST)
        created = {}

        def create(data):
            created["course"] = services.course_create(actor=request.user, **data)

        if _run(form, create):
            messages.success(request, _("The course was created. Add its sessions and enrol the SMEs."))
            return redirect("support:staff_course", created["course"].pk)
        status = 400
    courses = selectors.course_rows(scoped(Course.objects.all(), request.user))
    return render(request, "support/courses.html", {"courses": courses, "form": form, "staff": True}, status=status)


@requires(can_manage_support)
@require_http_methods(["GET", "POST"])
def staff_course(request, pk: int):
    """A course: its sessions, the enrolled SMEs and their participants with their hours; add to each."""
    course = get_object_or_404(scoped(Course.objects.select_related("cohort", "trainer"), request.user), pk=pk)
    session_form = SessionForm(course=course, prefix="session")
    enrol_form = EnrolForm(course=course, prefix="enrol")
    participant_form = ParticipantForm(course=course, prefix="participant")
    status = 200
    if request.method == "POST":
        action = request.POST.get("action", "")
        if action == "add_session":
            session_form = SessionForm(request.POST, course=course, prefix="session")
            done = _run(session_form, lambda data: services.session_create(course=course, actor=request.user, **data))
            message = _("The session was added.")
        elif action == "enrol":
            enrol_form = EnrolForm(request.POST, course=course, prefix="enrol")
            done = _run(
                enrol_form,
                lambda data: services.enrol(
                    course=course,
                    candidate=data["candidate"],
                    actor=request.user,
                    participants=[{"name": name} for name in data["participants"]],
                ),
            )
            message = _("The SME was enrolled with its participants.")
        elif action == "add_participant":
            participant_form = ParticipantForm(request.POST, course=course, prefix="participant")
            done = _run(
                participant_form,
                lambda data: services.participant_add(
                    enrolment=data["enrolment"], actor=request.user, name=data["name"], email=data["email"]
                ),
            )
            message = _("The participant was added.")
        else:
            raise Http404
        if done:
            messages.success(request, message)
            return redirect("support:staff_course", course.pk)
        status = 400
    return render(
        request,
        "support/course.html",
        {
            "course": course,
            "sessions": selectors.course_sessions(course),
            "attendance": selectors.course_attendance(course),
            "session_form": session_form,
            "enrol_form": enrol_form,
            "participant_form": participant_form,
            "staff": True,
            "session_url": "support:staff_session",
            "crumbs": [(reverse("support:staff_courses"), _("Training courses"))],
        },
        status=status,
    )


def _attendance_page(request, session: TrainingSession, *, back: str, staff: bool):
    crumbs = [
        (
            reverse("support:staff_courses" if staff else "support:provider_courses"),
            _("Training courses") if staff else _("My courses"),
        ),
        (back, session.course.title),
    ]
    participants = list(
        selectors.course_participants(session.course).order_by(
            "enrolment__candidate__supplier__trade_name", "enrolment__candidate__supplier__legal_name", "name", "pk"
        )
    )
    current = dict(session.attendance.values_list("participant_id", "status"))
    pairs = [(p, current.get(p.pk, "")) for p in participants]
    form = AttendanceForm(participants=pairs)
    status = 200
    if request.method == "POST":
        form = AttendanceForm(request.POST, participants=pairs)
        if form.is_valid():
            try:
                marks = form.marks()
                if not marks:
                    raise ValidationError(_("Mark at least one participant."))
                services.attendance_record(session=session, actor=request.user, marks=marks)
            except (ValidationError, django_forms.ValidationError) as exc:
                _errors_into(form, exc if isinstance(exc, ValidationError) else ValidationError(exc.messages))
            else:
                messages.success(request, _("The attendance was saved."))
                return redirect(request.path)
        status = 400
    rows = [(p, form[f"p-{p.pk}"]) for p in participants]
    return render(
        request,
        "support/session.html",
        {
            "session": session,
            "course": session.course,
            "form": form,
            "rows": rows,
            "back": back,
            "staff": staff,
            "crumbs": crumbs,
        },
        status=status,
    )


@requires(can_manage_support)
@require_http_methods(["GET", "POST"])
def staff_session(request, pk: int):
    """Attendance of one session: present, absent or excused for each participant of the course."""
    session = get_object_or_404(
        scoped(TrainingSession.objects.select_related("course__cohort", "trainer"), request.user), pk=pk
    )
    return _attendance_page(
        request, session, back=reverse("support:staff_course", args=[session.course_id]), staff=True
    )


# --- Trainers ------------------------------------------------------------------------------------


@requires(is_provider)
def provider_courses(request):
    """The courses the provider trains (as the course's trainer or a session's)."""
    provider = roles.provider_of(request.user)
    courses = selectors.course_rows(Course.objects.filter(pk__in=selectors.courses_for_trainer(provider).values("pk")))
    return render(request, "support/courses.html", {"courses": courses, "staff": False})


@requires(is_provider)
def provider_course(request, pk: int):
    provider = roles.provider_of(request.user)
    course = get_object_or_404(
        Course.objects.select_related("cohort", "trainer"), pk=pk, pk__in=selectors.courses_for_trainer(provider)
    )
    sessions = list(selectors.course_sessions(course))
    for session in sessions:
        session.mine = selectors.is_session_trainer(provider, session)  # type: ignore[attr-defined]
    return render(
        request,
        "support/course.html",
        {
            "course": course,
            "sessions": sessions,
            "attendance": selectors.course_attendance(course),
            "staff": False,
            "session_url": "support:provider_session",
            "crumbs": [(reverse("support:provider_courses"), _("My courses"))],
        },
    )


@requires(is_provider)
@require_http_methods(["GET", "POST"])
def provider_session(request, pk: int):
    """Attendance of a session the provider trains."""
    provider = roles.provider_of(request.user)
    session = get_object_or_404(TrainingSession.objects.select_related("course__cohort", "course", "trainer"), pk=pk)
    if not selectors.is_session_trainer(provider, session):
        raise Http404
    return _attendance_page(
        request, session, back=reverse("support:provider_course", args=[session.course_id]), staff=False
    )
