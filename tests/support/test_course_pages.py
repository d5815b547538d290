"""Course pages: staff create courses, sessions and enrolments; staff and the session's trainer record attendance;
hours per SME and per participant follow; bad input is refused with the field's error and nothing saved."""

import datetime
import re

import pytest
from django.utils import timezone

from cohorts.models import Candidate
from support import services
from support.models import Attendance, Course, Enrolment, Participant, TrainingSession
from tests.cohorts.factories import CandidateFactory
from tests.conftest import get_ok

from .factories import SupportWorld

pytestmark = pytest.mark.django_db


@pytest.fixture
def world():
    world = SupportWorld()
    world.trainer = world.make_provider(name="Capacitadora Tres", kind="trainer")
    return world


def _course(world, *, trainer=None, sessions=1, title="Core tools"):
    course = services.course_create(actor=world.staff, cohort=world.cohort, title=title, trainer=trainer)
    start = timezone.now().replace(microsecond=0) - datetime.timedelta(days=3)
    for n in range(sessions):
        services.session_create(
            course=course,
            actor=world.staff,
            starts_at=start + datetime.timedelta(days=n),
            ends_at=start + datetime.timedelta(days=n, hours=3),
            place="León",
        )
    return course


def test_staff_create_a_course_its_sessions_and_enrolments(client, world):
    client.force_login(world.staff)
    assert "Todavía no hay cursos" in get_ok(client, "/staff/support/courses/").content.decode()
    bad = client.post("/staff/support/courses/", {"cohort": world.cohort.pk, "title": "", "topic": "APQP"})
    assert bad.status_code == 400 and not Course.objects.exists()
    assert "APQP</textarea>" in bad.content.decode()  # nothing typed is lost
    created = client.post(
        "/staff/support/courses/", {"cohort": world.cohort.pk, "title": "Core tools", "trainer": world.trainer.pk}
    )
    course = Course.objects.get()
    assert created.status_code == 302 and created["Location"] == f"/staff/support/courses/{course.pk}/"
    url = f"/staff/support/courses/{course.pk}/"
    session = {
        "action": "add_session",
        "session-topic": "APQP",
        "session-starts_at": "2026-12-10T09:00",
        "session-ends_at": "2026-12-10T08:00",
        "session-place": "León",
    }
    bad = client.post(url, session)
    assert bad.status_code == 400 and not TrainingSession.objects.exists()
    assert "La sesión debe terminar después de empezar" in bad.content.decode()
    no_place = client.post(url, {**session, "session-ends_at": "2026-12-10T13:00", "session-place": ""})
    assert no_place.status_code == 400 and "Escriba el lugar" in no_place.content.decode()
    assert client.post(url, {**session, "session-ends_at": "2026-12-10T13:00"}).status_code == 302
    assert course.sessions.get().trainer == world.trainer  # the course's trainer by default
    empty = client.post(url, {"action": "enrol", "enrol-candidate": world.candidate.pk, "enrol-participants": " \n"})
    assert empty.status_code == 400 and not Enrolment.objects.exists()
    not_selected = CandidateFactory(cohort=world.cohort, supplier=world.sme(score=30), status="not_selected")
    refused = client.post(url, {"action": "enrol", "enrol-candidate": not_selected.pk, "enrol-participants": "Ana"})
    assert refused.status_code == 400 and not Enrolment.objects.exists()
    enrolled = client.post(
        url, {"action": "enrol", "enrol-candidate": world.candidate.pk, "enrol-participants": "Ana Ruiz\nLuis Pérez\n"}
    )
    assert enrolled.status_code == 302
    enrolment = Enrolment.objects.get()
    assert sorted(enrolment.participants.values_list("name", flat=True)) == ["Ana Ruiz", "Luis Pérez"]
    added = client.post(
        url, {"action": "add_participant", "participant-enrolment": enrolment.pk, "participant-name": "Eva Gil"}
    )
    assert added.status_code == 302 and enrolment.participants.count() == 3
    page = get_ok(client, url).content.decode()
    assert "Eva Gil" in page and str(world.supplier) in page and "Registrar asistencia" in page
    assert client.post(url, {"action": "other"}).status_code == 404


def test_attendance_gives_hours_per_sme_and_participant_and_refuses_strangers(client, world):
    course = _course(world, trainer=world.trainer, sessions=2)
    first, second = course.sessions.order_by("starts_at")
    enrolment = services.enrol(
        course=course, candidate=world.candidate, actor=world.staff, participants=[{"name": "Ana"}, {"name": "Luis"}]
    )
    ana, luis = enrolment.participants.order_by("name")
    other_course = _course(world, title="Lean")
    other_sme = CandidateFactory(cohort=world.cohort, supplier=world.sme(score=40), status=Candidate.Status.SELECTED)
    stranger = services.enrol(
        course=other_course, candidate=other_sme, actor=world.staff, participants=[{"name": "Extraña"}]
    ).participants.get()
    client.force_login(world.staff)
    url = f"/staff/support/sessions/{first.pk}/"
    page = get_ok(client, url).content.decode()
    assert "Ana" in page and "Extraña" not in page
    refused = client.post(url, {f"p-{ana.pk}": "present", f"p-{stranger.pk}": "present"})
    assert refused.status_code == 400 and not Attendance.objects.exists()
    assert "Solo los participantes inscritos en este curso" in refused.content.decode()
    bad_status = client.post(url, {f"p-{ana.pk}": "late"})
    assert bad_status.status_code == 400 and not Attendance.objects.exists()
    assert client.post(url, {}).status_code == 400
    assert client.post(url, {f"p-{ana.pk}": "present", f"p-{luis.pk}": "excused"}).status_code == 302
    assert client.post(f"/staff/support/sessions/{second.pk}/", {f"p-{ana.pk}": "present"}).status_code == 302
    assert dict(Attendance.objects.filter(session=first).values_list("participant__name", "status")) == {
        "Ana": "present",
        "Luis": "excused",
    }
    page = get_ok(client, f"/staff/support/courses/{course.pk}/").content.decode()
    # Ana: two sessions of 3 hours; Luis: none; the SME: 6 hours.
    assert ">2 / 2<" in page and ">0 / 1<" in page and page.count(">6.0<") >= 2
    marked = get_ok(client, url).content.decode()
    assert re.search(rf'<input[^>]*name="p-{luis.pk}"[^>]*value="excused"[^>]*checked', marked)
    assert not re.search(rf'<input[^>]*name="p-{luis.pk}"[^>]*value="present"[^>]*checked', marked)


def test_the_trainer_sees_only_its_courses_and_records_only_its_sessions(client, world):
    mine = _course(world, trainer=world.trainer, title="Core tools")
    theirs = _course(world, title="Lean")
    enrolment = services.enrol(
        course=mine, candidate=world.candidate, actor=world.staff, participants=[{"name": "Ana"}]
    )
    ana = enrolment.participants.get()
    client.force_login(world.trainer.user)
    listing = get_ok(client, "/asesores/cursos/").content.decode()
    assert "Core tools" in listing and "Lean" not in listing
    assert "Ana" in get_ok(client, f"/asesores/cursos/{mine.pk}/").content.decode()
    assert client.get(f"/asesores/cursos/{theirs.pk}/").status_code == 404
    assert client.get(f"/asesores/sesiones/{theirs.sessions.get().pk}/").status_code == 404
    session = mine.sessions.get()
    assert client.post(f"/asesores/sesiones/{session.pk}/", {f"p-{ana.pk}": "absent"}).status_code == 302
    assert Attendance.objects.get().status == "absent"
    # The course page of a trainer offers no staff forms.
    assert 'name="action"' not in get_ok(client, f"/asesores/cursos/{mine.pk}/").content.decode()
    # A consultant who trains nothing sees an empty list; the SME and the anchor are refused.
    client.force_login(world.provider.user)
    assert "Core tools" not in get_ok(client, "/asesores/cursos/").content.decode()
    assert client.get(f"/asesores/cursos/{mine.pk}/").status_code == 404
    client.force_login(world.sme_user)
    for url in ("/asesores/cursos/", f"/staff/support/courses/{mine.pk}/", f"/staff/support/sessions/{session.pk}/"):
        assert client.get(url).status_code in (302, 403, 404)


def test_course_pages_queries_do_not_grow_with_rows(client, world, django_assert_max_num_queries):
    def grow(n):
        course = _course(world, trainer=world.trainer, sessions=n, title=f"Curso {n}")
        for i in range(n):
            candidate = CandidateFactory(cohort=world.cohort, supplier=world.sme(score=40 + i), status="selected")
            services.enrol(
                course=course,
                candidate=candidate,
                actor=world.staff,
                participants=[{"name": f"P{i}a"}, {"name": f"P{i}b"}],
            )
        marks = {p.pk: "present" for p in Participant.objects.filter(enrolment__course=course)}
        for session in course.sessions.all():
            services.attendance_record(session=session, actor=world.staff, marks=marks)
        return course

    counts = {}
    for n in (1, 4):
        course = grow(n)
        session = course.sessions.first()
        client.force_login(world.staff)
        with django_assert_max_num_queries(25) as captured:
            assert client.get(f"/staff/support/courses/{course.pk}/").status_code == 200
        with django_assert_max_num_queries(20):
            assert client.get("/staff/support/courses/").status_code == 200
        with django_assert_max_num_queries(20):
            assert client.get(f"/staff/support/sessions/{session.pk}/").status_code == 200
        client.force_login(world.trainer.user)
        with django_assert_max_num_queries(25):
            assert client.get(f"/asesores/cursos/{course.pk}/").status_code == 200
        counts[n] = len(captured)
    assert counts[1] == counts[4]
