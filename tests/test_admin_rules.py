"""The admin never goes around the rules the services enforce (program staff, not a superuser).

``EXPECTED`` states, for every model registered in ``admin.site``, what program staff may do with it in the
admin: a model registered without an entry fails ``test_every_admin_model_has_an_expectation``.

- ``ABSENT``: staff do not hold the permission (no button, the URL is refused);
- ``PLAIN``: catalogue data that only the admin edits (no service governs it); deletes are guarded by
  ``core.admin.GuardedAdmin`` (a delete that would remove a kept record is refused with the reason);
- ``SERVICE``: the admin's save or delete calls the service, which enforces the rule and audits;
- ``REFUSED``: staff may open the delete page, which always refuses with the reason.
"""

import json

import pytest
from django.contrib import admin
from django.contrib.admin.models import LogEntry
from django.contrib.auth.models import Permission
from django.test import RequestFactory
from django.urls import reverse
from django.utils import translation

from assessments.models import Answer, Diagnostic, Question
from cohorts.models import AnchorReview, Candidate, Cohort, CohortAreaLimit
from core import roles
from core.admin import GuardedAdmin
from core.audit import record
from core.models import ApiToken, AuditEvent
from core.tokens import create_token, token_issue
from suppliers.models import Supplier
from tests.assessments.factories import DiagnosticFactory, QuestionFactory
from tests.cohorts.factories import CandidateFactory, CohortFactory
from tests.programs.factories import AnchorCompanyFactory, CriticalSupplyAreaFactory, UserFactory
from tests.suppliers.factories import ContactFactory

pytestmark = pytest.mark.django_db

ABSENT, PLAIN, SERVICE, REFUSED = "absent", "plain", "service", "refused"
# Models program staff do not even see in the admin, besides users and groups.
NOT_SHOWN = {"core.queuedtask"}

# (add, change, delete) for program staff.
EXPECTED = {
    # Users, groups and their permissions are a superuser's.
    "auth.user": (ABSENT, ABSENT, ABSENT),
    "auth.group": (ABSENT, ABSENT, ABSENT),
    # The audit trail is append-only; outbox rows are shown, with their actions (the messages to the people of
    # the staff member's programs); queued tasks only to a superuser (``NOT_SHOWN``).
    "core.auditevent": (ABSENT, ABSENT, ABSENT),
    "core.outboundmessage": (ABSENT, ABSENT, ABSENT),
    "core.queuedtask": (ABSENT, ABSENT, ABSENT),
    # Tokens: issued by the API's audited service, revoked by an admin action calling it.
    "core.apitoken": (ABSENT, ABSENT, ABSENT),
    # The catalogue (no service writes it; the reference API is read-only).
    "programs.program": (PLAIN, PLAIN, PLAIN),
    # Who is staff of which program is a superuser's.
    "programs.programstaff": (ABSENT, ABSENT, ABSENT),
    "programs.region": (PLAIN, PLAIN, PLAIN),
    "programs.state": (PLAIN, PLAIN, PLAIN),
    "programs.certificationstandard": (PLAIN, PLAIN, PLAIN),
    "programs.anchorcompany": (PLAIN, PLAIN, PLAIN),
    "programs.criticalsupplyarea": (PLAIN, PLAIN, PLAIN),
    "programs.partner": (PLAIN, PLAIN, PLAIN),
    # The SME's data: registration, profile and reviews go through suppliers.services (actions here).
    "suppliers.supplier": (ABSENT, ABSENT, REFUSED),
    "suppliers.contact": (ABSENT, ABSENT, ABSENT),
    "suppliers.certification": (ABSENT, ABSENT, ABSENT),
    "suppliers.document": (ABSENT, ABSENT, ABSENT),
    # Privacy notices are published by staff; a version SMEs accepted is kept, and consents are evidence.
    "suppliers.privacynotice": (PLAIN, PLAIN, PLAIN),
    "suppliers.privacyconsent": (ABSENT, ABSENT, ABSENT),
    # Lists of SMEs to invite are imported on the staff page; each invitation is sent once.
    "suppliers.invitationimport": (ABSENT, ABSENT, ABSENT),
    "suppliers.registrationinvitation": (ABSENT, ABSENT, ABSENT),
    # Frameworks are catalogue data, read-only once a diagnostic uses the version.
    "assessments.framework": (PLAIN, PLAIN, PLAIN),
    "assessments.dimension": (PLAIN, PLAIN, PLAIN),
    "assessments.question": (PLAIN, PLAIN, PLAIN),
    "assessments.diagnostic": (ABSENT, ABSENT, ABSENT),
    "assessments.answer": (ABSENT, ABSENT, ABSENT),
    "assessments.areaalignment": (ABSENT, ABSENT, ABSENT),
    "cohorts.cohort": (SERVICE, SERVICE, SERVICE),
    "cohorts.candidate": (ABSENT, ABSENT, ABSENT),
    "cohorts.anchorreview": (ABSENT, ABSENT, ABSENT),
    # Providers are saved through support.services and never deleted (visits name them); plans, items,
    # visits and courses are written by the services behind the pages and the API.
    "support.provider": (SERVICE, SERVICE, ABSENT),
    "support.developmentplan": (ABSENT, ABSENT, ABSENT),
    "support.planitem": (ABSENT, ABSENT, ABSENT),
    "support.visit": (ABSENT, ABSENT, ABSENT),
    "support.financingcase": (ABSENT, ABSENT, ABSENT),
    "support.course": (ABSENT, ABSENT, ABSENT),
    # Sourcing: every record is written by the services behind the anchor, SME and staff pages and the API.
    "sourcing.opportunity": (ABSENT, ABSENT, ABSENT),
    "sourcing.match": (ABSENT, ABSENT, ABSENT),
    "sourcing.invitation": (ABSENT, ABSENT, ABSENT),
    "sourcing.response": (ABSENT, ABSENT, ABSENT),
    "sourcing.attachmentdownload": (ABSENT, ABSENT, ABSENT),
    "sourcing.anchorvisibility": (ABSENT, ABSENT, ABSENT),
    # Outcomes: rounds and answers are written by the services behind the staff and SME pages; classes and
    # estimates are computed.
    "outcomes.outcomeround": (ABSENT, ABSENT, ABSENT),
    "outcomes.outcomeresponse": (ABSENT, ABSENT, ABSENT),
    "outcomes.impactestimate": (ABSENT, ABSENT, ABSENT),
    "outcomes.indicatorvalue": (ABSENT, ABSENT, ABSENT),
    "outcomes.companyclass": (ABSENT, ABSENT, ABSENT),
    # Built by a task; every field read-only, so a save changes nothing; deleting a finished file breaks no rule.
    "reports.reportexport": (ABSENT, PLAIN, PLAIN),
}


def _es(message: str) -> str:
    """``message`` as a Spanish-speaking user reads it (the default language)."""
    with translation.override("es-mx"):
        return translation.gettext(message)


def _registered() -> dict[str, admin.ModelAdmin]:
    return {model._meta.label_lower: model_admin for model, model_admin in admin.site._registry.items()}


def _request(user):
    request = RequestFactory().get("/admin/")
    request.user = user
    return request


def test_every_admin_model_has_an_expectation():
    assert set(_registered()) == set(EXPECTED)


@pytest.mark.parametrize("label", sorted(EXPECTED))
def test_staff_hold_only_the_expected_admin_permissions(staff_user, label):
    model_admin = _registered()[label]
    request = _request(staff_user)
    add, change, delete = EXPECTED[label]
    shown = not label.startswith("auth.") and label not in NOT_SHOWN
    assert model_admin.has_view_permission(request) == shown, label
    assert model_admin.has_add_permission(request) == (add != ABSENT), label
    assert model_admin.has_change_permission(request) == (change != ABSENT), label
    assert model_admin.has_delete_permission(request) == (delete != ABSENT), label
    if label.startswith(("auth.", "core.")):
        return
    # Every project admin guards its deletes; those that delete or save through a service say so.
    assert isinstance(model_admin, GuardedAdmin), label
    assert model_admin.delete_service == (delete == SERVICE), label
    if SERVICE in (add, change):
        assert type(model_admin).save_model is not admin.ModelAdmin.save_model, label
    if delete == SERVICE:
        assert type(model_admin).delete_model is not admin.ModelAdmin.delete_model, label
        assert type(model_admin).delete_queryset is not admin.ModelAdmin.delete_queryset, label


def test_the_staff_group_holds_no_withheld_or_foreign_permission(staff_user):
    perms = {f"{p.content_type.app_label}.{p.codename}" for p in roles.staff_permissions()}
    assert not perms & roles.STAFF_WITHHELD
    assert not {p.split(".")[0] for p in perms} & {"auth", "admin", "sessions", "contenttypes", "authtoken"}
    held = staff_user.get_all_permissions()
    assert "core.view_auditevent" in held and "core.delete_auditevent" not in held
    assert "auth.change_user" not in held and "core.add_apitoken" not in held


def test_ensure_role_groups_takes_back_a_withheld_permission(staff_user):
    group = staff_user.groups.get()
    group.permissions.add(Permission.objects.get(codename="delete_auditevent"))
    group.permissions.add(Permission.objects.get(codename="change_user"))
    roles.ensure_role_groups()
    assert not group.permissions.filter(codename__in=["delete_auditevent", "change_user"]).exists()


@pytest.fixture
def selected_supplier():
    """A supplier selected in an approved cohort, with a scored diagnostic, an answer and a review."""
    question = QuestionFactory()
    candidate = CandidateFactory(cohort=CohortFactory(status=Cohort.Status.APPROVED), status=Candidate.Status.SELECTED)
    diagnostic = DiagnosticFactory(supplier=candidate.supplier, framework=question.dimension.framework)
    Answer.objects.create(diagnostic=diagnostic, question=question, level=3)
    AnchorReview.objects.create(
        candidate=candidate, anchor=AnchorCompanyFactory(), verdict=AnchorReview.Verdict.ENDORSE
    )
    return candidate


def _counts():
    return [m.objects.count() for m in (Supplier, Candidate, Diagnostic, Answer, AnchorReview, Cohort)]


def test_a_supplier_selected_in_a_cohort_is_not_deleted_in_the_admin(staff_client, selected_supplier):
    supplier = selected_supplier.supplier
    before = _counts()
    url = reverse("admin:suppliers_supplier_delete", args=[supplier.pk])
    page = staff_client.post(url, {"post": "yes"})
    assert page.status_code == 200 and "ARCO" in page.content.decode()  # the way to erase its personal data
    bulk = staff_client.post(
        reverse("admin:suppliers_supplier_changelist"),
        {"action": "delete_selected", "_selected_action": [supplier.pk], "post": "yes"},
    )
    assert bulk.status_code == 200
    assert _counts() == before


def test_catalogue_deletes_that_would_cascade_into_kept_records_are_refused(staff_client, selected_supplier):
    before = _counts()
    cohort = selected_supplier.cohort
    for name, pk in (
        ("programs_program", cohort.program_id),
        ("programs_anchorcompany", AnchorReview.objects.get().anchor_id),
    ):
        page = staff_client.post(reverse(f"admin:{name}_delete", args=[pk]), {"post": "yes"})
        assert page.status_code == 200, name
    assert _counts() == before


def test_cohort_deletes_follow_the_service_rule(staff_client):
    reviewed = CandidateFactory(cohort=CohortFactory(status=Cohort.Status.ANCHOR_REVIEW)).cohort
    AnchorReview.objects.create(
        candidate=reviewed.candidates.get(),
        anchor=AnchorCompanyFactory(),
        verdict=AnchorReview.Verdict.OBJECT,
        reason="Capacidad insuficiente",
    )
    page = staff_client.post(reverse("admin:cohorts_cohort_delete", args=[reviewed.pk]), {"post": "yes"})
    assert (
        page.status_code == 200
        and _es("Only a draft cohort without candidates can be deleted.") in page.content.decode()
    )
    assert Candidate.objects.filter(cohort=reviewed).exists() and AnchorReview.objects.exists()
    draft = CohortFactory()
    done = staff_client.post(reverse("admin:cohorts_cohort_delete", args=[draft.pk]), {"post": "yes"})
    assert done.status_code == 302 and not Cohort.objects.filter(pk=draft.pk).exists()
    assert AuditEvent.objects.filter(action="cohort_deleted", object_id=str(draft.pk)).exists()


def _cohort_form(cohort, **changes):
    data = {
        "program": cohort.program_id,
        "name": cohort.name,
        "year": cohort.year,
        "min_size": cohort.min_size,
        "max_size": cohort.max_size,
        "growth_weights": json.dumps(cohort.growth_weights or {"maturity": 1}),
        "area_limits-TOTAL_FORMS": "0",
        "area_limits-INITIAL_FORMS": "0",
        "geo_caps-TOTAL_FORMS": "0",
        "geo_caps-INITIAL_FORMS": "0",
        "core-auditevent-content_type-object_id-TOTAL_FORMS": "0",
        "core-auditevent-content_type-object_id-INITIAL_FORMS": "0",
    }
    data.update(changes)
    return data


def test_an_approved_cohort_is_read_only_and_a_draft_is_edited_through_the_service(staff_client):
    approved = CohortFactory(status=Cohort.Status.APPROVED)
    url = reverse("admin:cohorts_cohort_change", args=[approved.pk])
    assert staff_client.get(url).status_code == 200
    area = CriticalSupplyAreaFactory(program=approved.program)
    refused = staff_client.post(
        url,
        _cohort_form(
            approved,
            min_size=99,
            **{"area_limits-TOTAL_FORMS": "1", "area_limits-0-area": area.pk, "area_limits-0-minimum": "5"},
        ),
    )
    assert refused.status_code == 403
    approved.refresh_from_db()
    assert (approved.min_size, approved.version) == (55, 1) and not CohortAreaLimit.objects.exists()

    draft = CohortFactory(program=approved.program)
    saved = staff_client.post(
        reverse("admin:cohorts_cohort_change", args=[draft.pk]),
        _cohort_form(
            draft,
            min_size=60,
            max_size=60,
            **{"area_limits-TOTAL_FORMS": "1", "area_limits-0-area": area.pk, "area_limits-0-minimum": "5"},
        ),
    )
    assert saved.status_code == 302, saved.context["adminform"].form.errors
    draft.refresh_from_db()
    assert draft.min_size == 60 and draft.version == 3  # the settings, then the limits
    actions = set(AuditEvent.objects.filter(object_id=str(draft.pk)).values_list("action", flat=True))
    assert {"cohort_updated", "cohort_limits_changed"} <= actions


def test_staff_cannot_delete_an_audit_event_and_a_superuser_can(staff_client, client):
    event = record(UserFactory(username="someone"), action="api_token_issued")
    url = reverse("admin:core_auditevent_delete", args=[event.pk])
    assert staff_client.post(url, {"post": "yes"}).status_code == 403
    bulk = staff_client.post(
        reverse("admin:core_auditevent_changelist"),
        {"action": "delete_selected", "_selected_action": [event.pk], "post": "yes"},
    )
    assert bulk.status_code in (200, 302)
    assert AuditEvent.objects.filter(pk=event.pk).exists()
    client.force_login(UserFactory(username="root", is_superuser=True, is_staff=True))
    assert client.post(url, {"post": "yes"}).status_code == 302
    assert not AuditEvent.objects.filter(pk=event.pk).exists()


def test_adding_a_question_to_a_framework_in_use_is_a_form_error(staff_client):
    question = QuestionFactory()
    DiagnosticFactory(framework=question.dimension.framework)
    response = staff_client.post(
        reverse("admin:assessments_question_add"),
        {
            "dimension": question.dimension_id,
            "code": "Q-NEW",
            "text_es": "¿Nueva?",
            "text_en": "New?",
            "weight": "1",
            "order": "9",
            "descriptors-TOTAL_FORMS": "0",
            "descriptors-INITIAL_FORMS": "0",
        },
    )
    assert response.status_code == 200
    assert _es("This framework version is used by a diagnostic and cannot change; make a new version.") in str(
        response.context["errors"]
    )
    assert Question.objects.count() == 1


def test_token_pages_never_show_a_key_and_do_not_issue_tokens(staff_client, staff_user):
    root = UserFactory(username="root", is_superuser=True, is_staff=True)
    sme = ContactFactory(with_user=True).user
    issued = token_issue(user=sme, actor=staff_user)
    _, root_key = create_token(root)
    key = issued.key
    assert staff_client.get("/admin/authtoken/tokenproxy/add/").status_code == 404  # DRF's admin is gone
    assert staff_client.get(reverse("admin:core_apitoken_add")).status_code == 403
    listing = staff_client.get(reverse("admin:core_apitoken_changelist")).content.decode()
    assert issued.prefix in listing and key not in listing and root_key not in listing
    assert "/api/v1/tokens/" in listing  # the pointer to the audited way
    detail = staff_client.get(reverse("admin:core_apitoken_change", args=[issued.pk])).content.decode()
    assert key not in detail
    assert key not in str(list(ApiToken.objects.values()))  # only the hash is stored
    revoke = staff_client.post(
        reverse("admin:core_apitoken_changelist"),
        {"action": "revoke_tokens", "_selected_action": [issued.pk, ApiToken.objects.get(user=root).pk]},
        follow=True,
    )
    assert revoke.status_code == 200
    assert not ApiToken.objects.filter(user=sme).exists()
    assert ApiToken.objects.filter(user=root).exists()  # a superuser's token: only a superuser revokes it
    assert AuditEvent.objects.filter(action="api_token_revoked", object_id=str(sme.pk)).exists()
    history = staff_client.get(reverse("admin:core_apitoken_changelist")).content.decode()
    assert key not in history and root_key not in history
    assert all(key not in e.object_repr and root_key not in e.object_repr for e in LogEntry.objects.all())


def test_a_delete_page_never_lists_more_than_its_limit(staff_client, monkeypatch, django_assert_max_num_queries):
    """A catalogue row with many rows pointing at it (a standard held by 100,000 SMEs) is refused with the
    relations' names, counted in SQL, instead of collecting and listing every dependent row."""
    from core.admin import GuardedAdmin
    from programs.models import CertificationStandard
    from suppliers.models import Certification
    from tests.suppliers.factories import SupplierFactory

    monkeypatch.setattr(GuardedAdmin, "DELETE_PAGE_LIMIT", 2)
    standard = CertificationStandard.objects.create(code="test-9000", name="Norma de prueba")
    for _ in range(3):
        Certification.objects.create(supplier=SupplierFactory(), standard=standard)
    url = reverse("admin:programs_certificationstandard_delete", args=[standard.pk])
    with django_assert_max_num_queries(20):
        page = staff_client.get(url)
    text = page.content.decode()
    assert page.status_code == 200 and "Norma de prueba" in text
    assert "more than 2" in text or "más de 2" in text
    assert staff_client.post(url, {"post": "yes"}).status_code == 200
    assert CertificationStandard.objects.filter(pk=standard.pk).exists()
    Certification.objects.filter(standard=standard).order_by("pk").first().delete()
    monkeypatch.setattr(GuardedAdmin, "DELETE_PAGE_LIMIT", 2)
    assert "more than 2" not in staff_client.get(url).content.decode()


def test_a_change_list_counts_at_most_its_cap_and_says_more_than(staff_client, monkeypatch):
    from core.audit import record
    from core.pagination import CappedPaginator
    from tests.suppliers.factories import SupplierFactory

    supplier = SupplierFactory()
    for n in range(4):
        record(supplier, action="note", reason=f"evento {n}")
    url = reverse("admin:core_auditevent_changelist")
    monkeypatch.setattr(CappedPaginator, "cap", 2)
    text = staff_client.get(url).content.decode()
    assert "Más de 2" in text or "More than 2" in text
    monkeypatch.setattr(CappedPaginator, "cap", 100)
    text = staff_client.get(url).content.decode()
    assert "Más de" not in text and "More than" not in text
