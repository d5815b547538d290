"""Registration services: sign-up, verification, draft, submission, duplicates, staff decisions, profile."""

from decimal import Decimal

import pytest
from django.contrib.auth import get_user_model
from django.core import mail
from django.core.exceptions import PermissionDenied, ValidationError
from django.utils import timezone

from core import audit
from core.concurrency import StaleObjectError
from core.models import OutboundMessage
from suppliers import services
from suppliers.models import Supplier
from suppliers.services import accounts
from tests.programs.factories import UserFactory
from tests.suppliers.factories import ContactFactory, SupplierFactory
from tests.suppliers.helpers import complete_draft

pytestmark = pytest.mark.django_db

User = get_user_model()


def test_signup_creates_inactive_account_and_sends_link(django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        services.account_signup(email="Nueva@Pyme.MX", password="una-clave-larga-9", name="Ana", language="es-mx")
    user = User.objects.get(username="nueva@pyme.mx")
    assert not user.is_active and user.check_password("una-clave-larga-9")
    message = OutboundMessage.objects.get(recipient="nueva@pyme.mx")
    assert message.template == "email_verification" and "/registro/verificar/" in message.body
    assert "Confirme" in message.subject  # Spanish by default
    assert len(mail.outbox) == 1


def test_signup_with_existing_email_creates_nothing_and_tells_the_owner():
    UserFactory(username="ya@pyme.mx", email="ya@pyme.mx")
    services.account_signup(email="ya@pyme.mx", password="otra-clave-larga-9", name="X", language="en")
    assert User.objects.filter(email__iexact="ya@pyme.mx").count() == 1
    message = OutboundMessage.objects.get(recipient="ya@pyme.mx")
    assert message.template == "account_exists" and message.language == "en"
    assert "already" in message.subject


def test_signup_again_before_verifying_resends_the_link():
    services.account_signup(email="r@pyme.mx", password="una-clave-larga-9", name="R", language="es-mx")
    services.account_signup(email="r@pyme.mx", password="otra-clave-distinta-9", name="X", language="es-mx")
    user = User.objects.get(username="r@pyme.mx")
    assert user.check_password("una-clave-larga-9") and user.first_name == "R"
    assert list(OutboundMessage.objects.values_list("template", flat=True)) == ["email_verification"] * 2


def test_verify_email_activates_and_records():
    services.account_signup(email="v@pyme.mx", password="una-clave-larga-9", name="V", language="es-mx")
    user = User.objects.get(username="v@pyme.mx")
    assert services.contact_verify_email(token=accounts.verification_token(user)) == (user, True)
    assert services.contact_verify_email(token=accounts.verification_token(user)) == (user, False)
    user.refresh_from_db()
    assert user.is_active and services.email_verified_at(user) is not None


def test_old_link_does_not_reactivate_an_account_staff_deactivated():
    services.account_signup(email="d@pyme.mx", password="una-clave-larga-9", name="D", language="es-mx")
    user = User.objects.get(username="d@pyme.mx")
    token = accounts.verification_token(user)
    services.contact_verify_email(token=token)
    User.objects.filter(pk=user.pk).update(is_active=False)  # staff deactivate it
    with pytest.raises(ValidationError) as exc:
        services.contact_verify_email(token=token)
    assert exc.value.code == "invalid"
    user.refresh_from_db()
    assert not user.is_active


def test_old_link_does_not_reactivate_a_deactivated_account_that_logged_in():
    user = UserFactory(username="l@pyme.mx", email="l@pyme.mx", is_active=False, last_login=timezone.now())
    with pytest.raises(ValidationError):
        services.contact_verify_email(token=accounts.verification_token(user))
    user.refresh_from_db()
    assert not user.is_active


@pytest.mark.parametrize("token", ["nonsense", "eyJ1IjoxfQ:1abc:def"])
def test_verify_email_refuses_bad_tokens(token):
    with pytest.raises(ValidationError):
        services.contact_verify_email(token=token)


def test_verify_email_refuses_expired_link(monkeypatch):
    user = UserFactory(username="e@pyme.mx", email="e@pyme.mx", is_active=False)
    token = accounts.verification_token(user)
    monkeypatch.setattr(accounts, "VERIFY_MAX_AGE", -1)
    with pytest.raises(ValidationError) as exc:
        services.contact_verify_email(token=token)
    assert exc.value.code == "expired"


def test_register_creates_draft_with_derived_fields(sme_user, program, company_data):
    supplier = services.supplier_register(actor=sme_user, program=program, data=company_data, language="en")
    assert supplier.status == Supplier.Status.DRAFT
    assert (supplier.person_type, supplier.sector, supplier.size, supplier.rfc_checksum_valid) == (
        "moral",
        "industria",
        "pequena",
        True,
    )
    contact = supplier.contacts.get()
    assert contact.user == sme_user and contact.language == "en" and contact.email_verified_at is not None


def test_register_large_company_is_refused_and_nothing_saved(sme_user, program, company_data):
    with pytest.raises(ValidationError) as exc:
        services.supplier_register(
            actor=sme_user,
            program=program,
            data={**company_data, "employees": 300, "annual_sales_mdp": Decimal("260")},
            language="es-mx",
        )
    assert "employees" in exc.value.message_dict
    assert not Supplier.objects.exists()


def test_register_failed_check_digit_is_kept_with_warning(sme_user, program, company_data):
    supplier = services.supplier_register(
        actor=sme_user, program=program, data={**company_data, "rfc": "MAB9307148T5"}, language="es-mx"
    )
    assert supplier.rfc_checksum_valid is False


@pytest.mark.parametrize("rfc, person_type", [("MAB9307148T4", "fisica"), ("GODE561231GR8", "moral")])
def test_register_person_type_must_match_rfc(sme_user, program, company_data, rfc, person_type):
    with pytest.raises(ValidationError) as exc:
        services.supplier_register(
            actor=sme_user,
            program=program,
            data={**company_data, "rfc": rfc, "person_type": person_type},
            language="es-mx",
        )
    assert "person_type" in exc.value.message_dict


def test_submit_incomplete_draft_is_refused(sme_user, program, company_data):
    supplier = services.supplier_register(actor=sme_user, program=program, data=company_data, language="es-mx")
    with pytest.raises(ValidationError) as exc:
        services.supplier_submit(supplier=supplier, actor=sme_user)
    assert exc.value.code == "incomplete"
    supplier.refresh_from_db()
    assert supplier.status == Supplier.Status.DRAFT


def test_submit_complete_verified_draft(sme_user, program, company_data):
    supplier = complete_draft(user=sme_user, program=program, data=company_data)
    assert services.supplier_submit(supplier=supplier, actor=sme_user) == Supplier.Status.SUBMITTED
    supplier.refresh_from_db()
    assert supplier.status == Supplier.Status.SUBMITTED and supplier.submitted_at
    assert supplier.privacy_notice_version and supplier.privacy_accepted_at
    event = audit.history(supplier).filter(action="transition").get()
    assert (event.from_state, event.to_state, event.actor) == ("draft", "submitted", sme_user)
    assert OutboundMessage.objects.filter(template="registration_received", recipient=sme_user.email).exists()


def test_unverified_email_waits_then_verification_submits(program, company_data):
    services.account_signup(email="w@pyme.mx", password="una-clave-larga-9", name="W", language="es-mx")
    user = User.objects.get(username="w@pyme.mx")
    supplier = complete_draft(user=user, program=program, data=company_data)
    assert services.supplier_submit(supplier=supplier, actor=user) == "awaiting_verification"
    supplier.refresh_from_db()
    assert supplier.status == Supplier.Status.DRAFT
    services.contact_verify_email(token=accounts.verification_token(user))
    supplier.refresh_from_db()
    assert supplier.status == Supplier.Status.SUBMITTED


def test_duplicate_rfc_is_kept_as_duplicate_for_staff(sme_user, program, company_data):
    original = SupplierFactory(
        program=program, rfc="MAB9307148T4", legal_name="Empresa Original SA", status=Supplier.Status.VERIFIED
    )
    supplier = complete_draft(user=sme_user, program=program, data=company_data)
    assert services.supplier_submit(supplier=supplier, actor=sme_user) == Supplier.Status.DUPLICATE
    supplier.refresh_from_db()
    assert supplier.status == Supplier.Status.DUPLICATE and supplier.duplicate_of == original
    assert Supplier.objects.filter(rfc="MAB9307148T4").count() == 2
    message = OutboundMessage.objects.get(template="registration_duplicate")
    assert "Empresa Original" not in message.body and "Empresa Original" not in message.subject


@pytest.fixture
def submitted(sme_user, program, company_data):
    supplier = complete_draft(user=sme_user, program=program, data=company_data)
    services.supplier_submit(supplier=supplier, actor=sme_user)
    supplier.refresh_from_db()
    return supplier


def test_verify_reject_and_notify_in_contacts_language(submitted, staff_user):
    contact = submitted.contacts.get()
    contact.language = "en"
    contact.save()
    services.supplier_verify(supplier=submitted, actor=staff_user)
    submitted.refresh_from_db()
    assert submitted.status == Supplier.Status.VERIFIED and submitted.verified_at
    message = OutboundMessage.objects.get(template="registration_verified")
    assert message.language == "en" and "verified" in message.subject
    services.supplier_reject(supplier=submitted, actor=staff_user, reason="RFC belongs to another company")
    submitted.refresh_from_db()
    assert submitted.status == Supplier.Status.REJECTED
    rejected = OutboundMessage.objects.get(template="registration_rejected")
    assert "RFC belongs to another company" in rejected.body
    assert [e.to_state for e in audit.history(submitted).filter(action="transition").order_by("id")] == [
        "submitted",
        "verified",
        "rejected",
    ]


@pytest.mark.parametrize("reason", ["", "   "])
def test_reject_needs_a_reason(submitted, staff_user, reason):
    with pytest.raises(ValidationError):
        services.supplier_reject(supplier=submitted, actor=staff_user, reason=reason)


def test_illegal_transition_refused(sme_user, program, company_data, staff_user):
    draft = services.supplier_register(actor=sme_user, program=program, data=company_data, language="es-mx")
    with pytest.raises(ValidationError):
        services.supplier_verify(supplier=draft, actor=staff_user)


def test_mark_duplicate(submitted, staff_user, program):
    other = SupplierFactory(program=program, status=Supplier.Status.SUBMITTED)
    ContactFactory(supplier=other)
    services.supplier_mark_duplicate(supplier=other, actor=staff_user, original=submitted, reason="same plant")
    other.refresh_from_db()
    assert other.status == Supplier.Status.DUPLICATE and other.duplicate_of == submitted
    with pytest.raises(ValidationError):
        services.supplier_mark_duplicate(supplier=submitted, actor=staff_user, original=submitted)


def test_verify_refuses_when_rfc_is_live_elsewhere(submitted, staff_user, program):
    dup = SupplierFactory(program=program, rfc=submitted.rfc, status=Supplier.Status.DUPLICATE, duplicate_of=submitted)
    with pytest.raises(ValidationError) as exc:
        services.supplier_verify(supplier=dup, actor=staff_user)
    assert exc.value.code == "rfc_clash"


def test_update_profile_with_optimistic_locking(submitted, sme_user):
    version = submitted.version
    services.supplier_update_profile(
        supplier=submitted, actor=sme_user, expected_version=version, changes={"employees": 60, "municipality": "Silao"}
    )
    submitted.refresh_from_db()
    assert submitted.employees == 60 and submitted.version == version + 1
    event = audit.history(submitted).filter(action="profile_updated").get()
    assert event.changes["employees"] == [40, 60]
    stale = Supplier.objects.get(pk=submitted.pk)
    with pytest.raises(StaleObjectError):
        services.supplier_update_profile(
            supplier=stale, actor=sme_user, expected_version=version, changes={"employees": 70}
        )


def test_update_profile_only_while_program_allows(submitted, sme_user, staff_user, program):
    program.profile_editing_open = False
    program.save()
    submitted.refresh_from_db()
    with pytest.raises(PermissionDenied):
        services.supplier_update_profile(
            supplier=submitted, actor=sme_user, expected_version=submitted.version, changes={"employees": 60}
        )
    services.supplier_update_profile(
        supplier=submitted, actor=staff_user, expected_version=submitted.version, changes={"employees": 60}
    )
    assert Supplier.objects.get(pk=submitted.pk).employees == 60


@pytest.mark.parametrize("status", [Supplier.Status.REJECTED, Supplier.Status.DUPLICATE])
def test_update_profile_refused_to_sme_when_rejected_or_duplicate(submitted, sme_user, staff_user, status):
    Supplier.objects.filter(pk=submitted.pk).update(status=status, duplicate_of=SupplierFactory())
    submitted.refresh_from_db()
    with pytest.raises(PermissionDenied):
        services.supplier_update_profile(
            supplier=submitted, actor=sme_user, expected_version=submitted.version, changes={"employees": 60}
        )
    assert Supplier.objects.get(pk=submitted.pk).employees == 40
    services.supplier_update_profile(
        supplier=submitted, actor=staff_user, expected_version=submitted.version, changes={"employees": 60}
    )
    assert Supplier.objects.get(pk=submitted.pk).employees == 60


def test_update_profile_refuses_becoming_large(submitted, sme_user):
    with pytest.raises(ValidationError):
        services.supplier_update_profile(
            supplier=submitted,
            actor=sme_user,
            expected_version=submitted.version,
            changes={"employees": 3000, "annual_sales_mdp": Decimal("500")},
        )
    submitted.refresh_from_db()
    assert submitted.employees == 40


def test_submit_race_on_same_rfc_ends_as_duplicate(sme_user, program, company_data, monkeypatch):
    """Two submissions of one RFC at the same moment: the database constraint decides, nothing is lost."""
    from suppliers.services import registration

    original = SupplierFactory(program=program, rfc="MAB9307148T4", status=Supplier.Status.SUBMITTED)
    supplier = complete_draft(user=sme_user, program=program, data=company_data)
    real = registration.live_original
    calls = []

    def first_misses(s):  # the first check runs before the other submission commits
        calls.append(s.pk)
        return None if len(calls) == 1 else real(s)

    monkeypatch.setattr(registration, "live_original", first_misses)
    assert services.supplier_submit(supplier=supplier, actor=sme_user) == Supplier.Status.DUPLICATE
    supplier.refresh_from_db()
    assert supplier.status == Supplier.Status.DUPLICATE and supplier.duplicate_of == original
    assert len(calls) == 2


@pytest.mark.parametrize(
    "decide",
    [
        lambda s, actor, v: services.supplier_verify(supplier=s, actor=actor, expected_version=v),
        lambda s, actor, v: services.supplier_reject(supplier=s, actor=actor, reason="No", expected_version=v),
        lambda s, actor, v: services.supplier_mark_duplicate(
            supplier=s,
            actor=actor,
            original=SupplierFactory(rfc=s.rfc, status=Supplier.Status.REJECTED),
            expected_version=v,
        ),
    ],
)
def test_decisions_use_optimistic_locking(submitted, staff_user, decide):
    version = submitted.version
    stale = Supplier.objects.get(pk=submitted.pk)
    Supplier.objects.filter(pk=submitted.pk).update(version=version + 1)  # someone else saved meanwhile
    with pytest.raises(StaleObjectError):
        decide(stale, staff_user, version)
    submitted.refresh_from_db()
    assert submitted.status == Supplier.Status.SUBMITTED
    decided = decide(submitted, staff_user, version + 1)
    assert decided.version == version + 2
    assert Supplier.objects.get(pk=submitted.pk).version == version + 2


def test_one_live_registration_per_rfc_per_program(sme_user, program, company_data, staff_user):
    """A company (one RFC) takes part in several programs: live in another program is no duplicate; a
    second live registration in the same program is, and a duplicate names an original of its own program."""
    from django.db import IntegrityError, transaction

    from tests.programs.factories import ProgramFactory

    other_program = ProgramFactory(code="sdp-otro")
    elsewhere = SupplierFactory(program=other_program, rfc=company_data["rfc"], status=Supplier.Status.VERIFIED)
    supplier = complete_draft(user=sme_user, program=program, data=company_data)
    assert services.supplier_submit(supplier=supplier, actor=sme_user) == Supplier.Status.SUBMITTED
    services.supplier_verify(supplier=supplier, actor=staff_user)
    assert Supplier.objects.filter(rfc=company_data["rfc"], status=Supplier.Status.VERIFIED).count() == 2
    with pytest.raises(ValidationError):
        services.supplier_mark_duplicate(supplier=supplier, actor=staff_user, original=elsewhere, reason="x")
    with pytest.raises(IntegrityError), transaction.atomic():
        SupplierFactory(program=program, rfc=company_data["rfc"], status=Supplier.Status.SUBMITTED)
