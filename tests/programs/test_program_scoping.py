"""Staff see only their programs: in the staff pages, the API and the admin (a superuser sees all).

Two programs, each with an SME, a diagnostic, a cohort with a selected candidate and its plan, an export
and audit rows. Staff of program A get 404 (or an empty list) for every row of program B, and see their
own; staff of both see both; a superuser sees all; a staff account with no membership sees nothing.
"""

import pytest
from django.contrib.auth.models import Group
from django.urls import reverse

from core import audit, roles
from core.models import AuditEvent
from programs.models import ProgramStaff
from programs.selectors import program_ids_of, programs_of, scoped
from reports.models import ReportExport
from suppliers.models import InvitationImport, Supplier
from support.models import DevelopmentPlan
from tests.assessments.factories import DiagnosticFactory
from tests.cohorts.factories import CandidateFactory, CohortFactory
from tests.programs.factories import ProgramFactory, UserFactory, make_staff
from tests.suppliers.factories import SupplierFactory

pytestmark = pytest.mark.django_db


def _program_world(code: str) -> dict:
    program = ProgramFactory(code=code, name_es=f"Programa {code}")
    supplier = SupplierFactory(program=program, submitted=True)
    verified = SupplierFactory(program=program)
    diagnostic = DiagnosticFactory(supplier=verified)
    cohort = CohortFactory(program=program)
    candidate = CandidateFactory(cohort=cohort, supplier=verified, status="selected")
    plan = DevelopmentPlan.objects.create(candidate=candidate)
    export = ReportExport.objects.create(program=program, kind="candidates", file_format="csv", params={})
    invitation_import = InvitationImport.objects.create(program=program, file_name=f"socios-{code}.csv", rows=1)
    audit.record(supplier, action="registration.submitted", to_state="submitted")
    audit.record(cohort, action="cohort.created", to_state="draft")
    return {
        "program": program,
        "supplier": supplier,
        "verified": verified,
        "diagnostic": diagnostic,
        "cohort": cohort,
        "candidate": candidate,
        "plan": plan,
        "export": export,
        "invitation_import": invitation_import,
    }


@pytest.fixture
def world():
    a, b = _program_world("prog-a"), _program_world("prog-b")
    staff_a = make_staff(UserFactory(username="staff-a", is_staff=True), a["program"])
    for key in ("export",):
        a[key].requested_by = staff_a
        a[key].save()
    b["export"].requested_by = staff_a  # even an export of B in A's staff name stays out of reach
    b["export"].save()
    return {"a": a, "b": b, "staff_a": staff_a}


def _pages(w: dict) -> list[str]:
    return [
        reverse("suppliers:staff-detail", args=[w["supplier"].pk]),
        reverse("suppliers:staff-invitation-import", args=[w["invitation_import"].pk]),
        reverse("suppliers:staff-invitation-errors", args=[w["invitation_import"].pk]),
        reverse("assessments:staff-fill", args=[w["diagnostic"].pk]),
        reverse("assessments:staff-results", args=[w["diagnostic"].pk]),
        reverse("cohorts:staff_cohort", args=[w["cohort"].pk]),
        reverse("support:staff_plan", args=[w["plan"].pk]),
        reverse("support:staff_plan_new", args=[w["candidate"].pk]),
        reverse("reports:program", args=[w["program"].pk]),
        reverse("reports:cohort", args=[w["cohort"].pk]),
        reverse("reports:program-export", args=[w["program"].pk, "candidates", "csv"]),
        reverse("reports:cohort-export", args=[w["cohort"].pk, "candidates", "csv"]),
        reverse("reports:export-download", args=[w["export"].pk]),
    ]


def _api_details(w: dict) -> list[str]:
    return [
        f"/api/v1/suppliers/{w['supplier'].pk}/",
        f"/api/v1/diagnostics/{w['diagnostic'].pk}/",
        f"/api/v1/cohorts/{w['cohort'].pk}/",
        f"/api/v1/candidates/{w['candidate'].pk}/",
        f"/api/v1/development-plans/{w['plan'].pk}/",
        f"/api/v1/reports/cohorts/{w['cohort'].pk}/",
    ]


def _admin_changes(w: dict) -> list[str]:
    return [
        reverse("admin:suppliers_supplier_change", args=[w["supplier"].pk]),
        reverse("admin:assessments_diagnostic_change", args=[w["diagnostic"].pk]),
        reverse("admin:cohorts_cohort_change", args=[w["cohort"].pk]),
        reverse("admin:cohorts_candidate_change", args=[w["candidate"].pk]),
        reverse("admin:programs_program_change", args=[w["program"].pk]),
        reverse("admin:reports_reportexport_change", args=[w["export"].pk]),
        reverse("admin:suppliers_invitationimport_change", args=[w["invitation_import"].pk]),
    ]


def test_staff_of_one_program_get_404_for_the_other_programs_pages(client, world):
    client.force_login(world["staff_a"])
    for url in _pages(world["b"]):
        assert client.get(url).status_code == 404, url
    # The same pages of its own program open (the diagnostic's framework here has no questions to fill,
    # and no export file was built: those two are left out).
    own = [url for url in _pages(world["a"]) if "/diagnostics/" not in url or "/results/" in url]
    for url in own[:-1]:
        assert client.get(url).status_code in (200, 302), url  # a candidate with a plan goes to its plan


def test_staff_of_one_program_cannot_act_on_the_other_programs_rows(client, world):
    client.force_login(world["staff_a"])
    b = world["b"]
    posts = [
        reverse("suppliers:staff-detail", args=[b["supplier"].pk]),
        reverse("assessments:staff-action", args=[b["diagnostic"].pk, "submit"]),
        reverse("assessments:staff-answers-json", args=[b["diagnostic"].pk]),
        reverse("cohorts:staff_cohort_action", args=[b["cohort"].pk, "run"]),
        reverse("cohorts:staff_candidate_action", args=[b["candidate"].pk, "withdraw"]),
    ]
    for url in posts:
        assert client.post(url, {"action": "verify", "version": 1}).status_code == 404, url
    b["supplier"].refresh_from_db()
    assert b["supplier"].status == Supplier.Status.SUBMITTED


def test_staff_lists_show_only_their_programs(client, world):
    client.force_login(world["staff_a"])
    a, b = world["a"], world["b"]
    body = client.get(reverse("suppliers:staff-list")).content.decode()
    assert a["supplier"].legal_name in body and b["supplier"].legal_name not in body
    body = client.get(reverse("suppliers:staff-invitations")).content.decode()
    assert "socios-prog-a.csv" in body and "socios-prog-b.csv" not in body
    body = client.get(reverse("assessments:staff-list")).content.decode()
    assert str(a["verified"]) in body and str(b["verified"]) not in body
    body = client.get(reverse("cohorts:staff_cohorts")).content.decode()
    assert a["cohort"].name in body and b["cohort"].name not in body
    body = client.get(reverse("support:staff_home")).content.decode()
    assert str(a["verified"]) in body and str(b["verified"]) not in body
    body = client.get(reverse("reports:index")).content.decode()
    assert "Programa prog-a" in body and "Programa prog-b" not in body
    assert [e.pk for e in client.get(reverse("reports:exports")).context["exports"]] == [a["export"].pk]
    events = client.get(reverse("staff-audit")).context["events"]
    ids = {(e.content_type.model, e.object_id) for e in events}
    assert ("supplier", str(a["supplier"].pk)) in ids and ("supplier", str(b["supplier"].pk)) not in ids
    assert ("cohort", str(b["cohort"].pk)) not in ids


def test_staff_api_lists_and_details_are_scoped(client, world):
    client.force_login(world["staff_a"])
    a, b = world["a"], world["b"]
    for url in _api_details(b):
        assert client.get(url).status_code == 404, url
    for url in _api_details(a):
        assert client.get(url).status_code == 200, url
    lists = {
        "/api/v1/suppliers/": {a["supplier"].pk, a["verified"].pk},
        "/api/v1/diagnostics/": {a["diagnostic"].pk},
        "/api/v1/cohorts/": {a["cohort"].pk},
        "/api/v1/candidates/": {a["candidate"].pk},
        "/api/v1/development-plans/": {a["plan"].pk},
    }
    for url, expected in lists.items():
        rows = client.get(url).json()["results"]
        assert {row["id"] for row in rows} == expected, url
    summary = client.get("/api/v1/reports/summary/").json()
    assert summary["total"] == 2


def test_staff_api_writes_refuse_the_other_programs_rows(client, world):
    client.force_login(world["staff_a"])
    b = world["b"]
    response = client.post(
        "/api/v1/diagnostics/",
        {"supplier": b["verified"].pk, "framework": b["diagnostic"].framework_id, "scheduled_for": "2026-12-10"},
        content_type="application/json",
    )
    assert response.status_code == 400 and "supplier" in response.json()
    response = client.post(
        "/api/v1/cohorts/",
        {"program": b["program"].pk, "name": "Intrusa", "year": 2026, "min_size": 1, "max_size": 2},
        content_type="application/json",
    )
    assert response.status_code == 400 and "program" in response.json()


def test_staff_admin_changelists_and_change_pages_are_scoped(client, world):
    client.force_login(world["staff_a"])
    a, b = world["a"], world["b"]
    for url in _admin_changes(b):
        response = client.get(url)
        # Django's admin answers a row outside the queryset with a redirect to the index and a message.
        assert response.status_code == 302 and response.url == reverse("admin:index"), url
    for url in _admin_changes(a):
        assert client.get(url).status_code == 200, url
    changelists = {
        "admin:suppliers_supplier_changelist": {a["supplier"].pk, a["verified"].pk},
        "admin:cohorts_cohort_changelist": {a["cohort"].pk},
        "admin:cohorts_candidate_changelist": {a["candidate"].pk},
        "admin:assessments_diagnostic_changelist": {a["diagnostic"].pk},
        "admin:programs_program_changelist": {a["program"].pk},
    }
    for name, expected in changelists.items():
        shown = {obj.pk for obj in client.get(reverse(name)).context["cl"].result_list}
        assert shown == expected, name
    events = client.get(reverse("admin:core_auditevent_changelist")).context["cl"].result_list
    assert {e.object_id for e in events} == {str(a["supplier"].pk), str(a["cohort"].pk)}
    # The add form offers only its own programs.
    form = client.get(reverse("admin:cohorts_cohort_add")).context["adminform"].form
    assert set(form.fields["program"].queryset) == {a["program"]}


def test_membership_rules(world):
    a, b = world["a"]["program"], world["b"]["program"]
    both = make_staff(UserFactory(username="staff-ab", is_staff=True), a)
    ProgramStaff.objects.create(user=both, program=b)
    assert set(programs_of(both)) == {a, b}
    nobody = UserFactory(username="staff-none", is_staff=True)
    nobody.groups.add(Group.objects.get_or_create(name=roles.STAFF_GROUP)[0])
    assert not programs_of(nobody).exists()
    assert not scoped(Supplier.objects.all(), nobody).exists()
    inactive = make_staff(UserFactory(username="staff-off", is_staff=True), a)
    ProgramStaff.objects.filter(user=inactive).update(is_active=False)
    assert not programs_of(inactive).exists()
    root = UserFactory(username="root", is_superuser=True, is_staff=True)
    assert scoped(Supplier.objects.all(), root).count() == Supplier.objects.count() == 4
    assert audit.visible_to(root).count() == AuditEvent.objects.count()
    # A member who is no longer in the staff group sees nothing either.
    world["staff_a"].groups.clear()
    world["staff_a"].__dict__.pop("_sdp_groups", None)
    assert not programs_of(world["staff_a"]).exists()


def test_the_ids_read_in_a_request_scope_as_the_memberships_do(world):
    """Once a request has read the staff member's program ids (``program_ids_of``), ``scoped`` filters by them:
    the same rows as the memberships' subquery, for staff of one program, of two and of none."""
    a, b = world["a"]["program"], world["b"]["program"]
    both = make_staff(UserFactory(username="staff-ab", is_staff=True), a)
    ProgramStaff.objects.create(user=both, program=b)
    nobody = UserFactory(username="staff-none", is_staff=True)
    nobody.groups.add(Group.objects.get_or_create(name=roles.STAFF_GROUP)[0])
    for user, expected in ((world["staff_a"], {a.pk}), (both, {a.pk, b.pk}), (nobody, set())):
        by_memberships = set(scoped(Supplier.objects.all(), user).values_list("pk", flat=True))
        assert program_ids_of(user) == expected
        by_ids = scoped(Supplier.objects.all(), user)
        assert set(by_ids.values_list("pk", flat=True)) == by_memberships
        assert set(by_ids.values_list("program_id", flat=True)) == expected
        if expected:
            assert "programs_programstaff" not in str(by_ids.query)


def test_the_audit_scope_looks_each_event_up_by_its_records_key(world):
    """Each event's record is found by its key, one index probe an event: never a hash of every record of the
    program (100,000 SMEs) built for every page and count; an event of another kind, whose object id is not a
    number, is read without error and shown to no staff member."""
    from django.contrib.contenttypes.models import ContentType
    from django.db import connection

    staff_a = world["staff_a"]
    AuditEvent.objects.create(
        content_type=ContentType.objects.get_for_model(Group), object_id="no-es-un-número", action="renamed"
    )
    own = set(audit.visible_to(staff_a).values_list("object_id", "action"))
    assert (str(world["a"]["supplier"].pk), "registration.submitted") in own
    assert (str(world["b"]["supplier"].pk), "registration.submitted") not in own
    assert not any(action == "renamed" for _, action in own)
    sql, params = audit.visible_to(staff_a).order_by("-created_at", "-id")[:50].query.sql_with_params()
    with connection.cursor() as cursor:
        cursor.execute("EXPLAIN " + sql, params)
        plan = "\n".join(row[0] for row in cursor.fetchall())
    scope = next(line for line in plan.splitlines() if "Filter:" in line and "SubPlan" in line)
    assert "hashed" not in scope and scope.count("SubPlan") >= 5


def test_superuser_sees_every_program(client, world):
    root = UserFactory(username="root", is_superuser=True, is_staff=True)
    client.force_login(root)
    for url in _api_details(world["b"]):
        assert client.get(url).status_code == 200, url
    shown = {obj.pk for obj in client.get(reverse("admin:cohorts_cohort_changelist")).context["cl"].result_list}
    assert shown == {world["a"]["cohort"].pk, world["b"]["cohort"].pk}


def test_staff_never_manage_memberships(client, world):
    client.force_login(world["staff_a"])
    assert client.get(reverse("admin:programs_programstaff_add")).status_code == 403
    assert not world["staff_a"].has_perm("programs.add_programstaff")


def test_staff_of_two_programs_choose_the_program_of_a_shared_sme(client, world):
    """One company (RFC) in both programs: staff of both are asked the program when scheduling by RFC."""
    from assessments.forms import ScheduleForm
    from tests.assessments.factories import FrameworkFactory

    a, b = world["a"], world["b"]
    both = make_staff(UserFactory(username="staff-ab", is_staff=True), a["program"])
    ProgramStaff.objects.create(user=both, program=b["program"])
    shared = SupplierFactory(program=b["program"], rfc=a["verified"].rfc)
    framework = FrameworkFactory(is_published=True)
    data = {"supplier": shared.rfc, "framework": framework.pk, "scheduled_for": "2026-12-10", "mode": "remote"}
    form = ScheduleForm(data, user=both)
    assert not form.is_valid() and "supplier" in form.errors
    form = ScheduleForm({**data, "program": b["program"].pk}, user=both)
    assert form.is_valid(), form.errors
    assert form.cleaned_data["supplier"] == shared and "program" not in form.cleaned_data
    # Staff of one program are not asked, and find only their own participation.
    form = ScheduleForm(data, user=world["staff_a"])
    assert "program" not in form.fields and form.is_valid(), form.errors
    assert form.cleaned_data["supplier"] == a["verified"]


# Shared reference data (no program) and rows that belong to a person rather than a program.
NOT_OF_A_PROGRAM = {
    "programs.region",
    "programs.state",
    "programs.certificationstandard",
    "assessments.framework",
    "assessments.dimension",
    "assessments.question",
    "assessments.leveldescriptor",
    "assessments.maturityband",
    "suppliers.registrationdraft",  # an SME account's unfinished registration, never shown to staff
}


def test_every_model_says_how_it_reaches_its_program():
    """A new model is scoped for staff as soon as it names its ``PROGRAM_PATH`` (or is listed above as
    not belonging to a program); the path must resolve."""
    from django.apps import apps

    from programs.selectors import program_path

    project = {"programs", "suppliers", "assessments", "cohorts", "support", "sourcing", "outcomes", "reports"}
    for model in apps.get_models():
        label = model._meta.label_lower
        if model._meta.app_label not in project or label in NOT_OF_A_PROGRAM:
            continue
        path = program_path(model)
        assert path, f"{label} has no PROGRAM_PATH"
        str(model.objects.filter(**{f"{path}__in": [1]}).query)  # raises FieldError on a wrong path


def test_the_reference_api_shows_each_reader_only_its_programs_rows(client, world):
    from tests.programs.factories import AnchorCompanyFactory, CriticalSupplyAreaFactory, PhaseFactory
    from tests.suppliers.factories import ContactFactory

    a, b = world["a"]["program"], world["b"]["program"]
    rows = {
        program.pk: {
            "anchors": AnchorCompanyFactory(program=program).pk,
            "supply-areas": CriticalSupplyAreaFactory(program=program).pk,
            "phases": PhaseFactory(program=program).pk,
            "programs": program.pk,
        }
        for program in (a, b)
    }
    type(b).objects.filter(pk=b.pk).update(registration_open=False)
    type(a).objects.filter(pk=a.pk).update(registration_open=False)

    def seen(user) -> dict[str, set[int]]:
        client.force_login(user)
        return {kind: {row["id"] for row in client.get(f"/api/v1/{kind}/").json()["results"]} for kind in rows[a.pk]}

    from programs.models import AnchorCompany, CriticalSupplyArea, Phase, Program

    def of(*programs) -> dict[str, set[int]]:
        ids = [p.pk for p in programs]
        models = {"anchors": AnchorCompany, "supply-areas": CriticalSupplyArea, "phases": Phase}
        found = {
            kind: set(model.objects.filter(program__in=ids).values_list("pk", flat=True))
            for kind, model in models.items()
        }
        return {**found, "programs": set(Program.objects.filter(pk__in=ids).values_list("pk", flat=True))}

    assert seen(world["staff_a"]) == of(a)
    for kind, pk in rows[b.pk].items():
        assert client.get(f"/api/v1/{kind}/{pk}/").status_code == 404, kind
    assert seen(UserFactory(username="root-ref", is_superuser=True, is_staff=True)) == of(a, b)
    sme = ContactFactory(supplier=world["a"]["verified"], with_user=True).user
    assert seen(sme) == of(a)
    # A program taking registrations is public (its registration page shows it): SMEs and anchors read it,
    # staff of other programs do not.
    type(b).objects.filter(pk=b.pk).update(registration_open=True)
    assert seen(sme) == of(a, b)
    assert seen(world["staff_a"]) == of(a)
