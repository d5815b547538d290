"""SME accounts: sign-up and password reset without account enumeration, email verification by signed link.

Neither the answer nor the work done tells whether an address has an account: sign-up hashes the
password once on every path (a new account keeps the hash, the other paths drop it), and a password
reset request always queues one task (``suppliers.tasks.send_password_reset``) that finds the accounts
and writes their messages to the outbox later.
"""

from django.contrib.auth import get_user_model
from django.contrib.auth.hashers import make_password
from django.contrib.auth.models import Group
from django.core import signing
from django.core.exceptions import ValidationError
from django.db import transaction
from django.urls import reverse
from django.utils import timezone
from django.utils.crypto import constant_time_compare, salted_hmac
from django.utils.translation import gettext as _

from core import audit, roles
from core.notifications import notify
from core.queued import enqueue_on_commit

from ..models import Contact

VERIFY_SALT = "suppliers.email-verification"
VERIFY_MAX_AGE = 7 * 24 * 3600
EMAIL_VERIFIED_ACTION = "email_verified"


def email_fingerprint(email: str) -> str:
    """A keyed digest of the address: a link stops working when the email changes, and shows no email."""
    return salted_hmac(VERIFY_SALT, (email or "").strip().lower()).hexdigest()[:20]


def verification_token(user) -> str:
    """A signed link token holding the account's id and a keyed digest of its email: no personal data
    is readable from it (it ends up in access logs and browser histories)."""
    return signing.dumps({"u": user.pk, "f": email_fingerprint(user.email)}, salt=VERIFY_SALT)


def verification_url(user) -> str:
    from django.conf import settings

    return settings.SITE_URL.rstrip("/") + reverse("suppliers:verify-email", args=[verification_token(user)])


@transaction.atomic
def account_signup(*, email: str, password: str, name: str, language: str, actor=None) -> None:
    """Create an inactive SME account and send the verification link.

    When the email already has an account, nothing is created and the owner is
    told by email instead: the caller shows the same page in both cases, so the
    form does not reveal which addresses are registered.
    """
    user_model = get_user_model()
    email = user_model.objects.normalize_email(email).strip().lower()
    # Hashed on every path, once: only a new account keeps it, but the answer takes as long either way.
    encoded_password = make_password(password)
    existing = (
        user_model.objects.filter(username__iexact=email).first()
        or user_model.objects.filter(email__iexact=email).first()
    )
    if existing is not None and not existing.is_active and email_verified_at(existing) is None:
        # Signed up but never followed the link: send a fresh one (the password stays as first set).
        notify(
            template="email_verification",
            recipient=existing.email,
            language=language,
            context={"name": existing.first_name, "verify_url": verification_url(existing)},
        )
        return
    if existing is not None:
        notify(
            template="account_exists",
            recipient=email,
            language=language,
            context={"login_path": reverse("login"), "reset_path": reverse("password_reset")},
        )
        return
    user = user_model(username=email, email=email, first_name=name[:150], is_active=False)
    user.password = encoded_password
    user.full_clean()
    user.save()
    user.groups.add(Group.objects.get_or_create(name=roles.SME_GROUP)[0])
    audit.record(user, action="sme_signup", actor=actor)
    notify(
        template="email_verification",
        recipient=email,
        language=language,
        context={"name": user.first_name, "verify_url": verification_url(user)},
    )


def email_verified_at(user):
    """When the user followed its verification link (from the audit log), or None."""
    event = audit.history(user).filter(action=EMAIL_VERIFIED_ACTION).order_by("created_at").first()
    return event.created_at if event else None


@transaction.atomic
def contact_verify_email(*, token: str, actor=None):
    """Check a verification link; activate the account, mark the contact verified and submit a finished form.

    Returns ``(user, first_time)``; only a first use should log the user in (a forwarded
    old link must not work as a password). Raises ``ValidationError`` when the link is
    invalid or expired.
    """
    from .registration import supplier_is_complete, supplier_submit

    try:
        payload = signing.loads(token, salt=VERIFY_SALT, max_age=VERIFY_MAX_AGE)
    except signing.SignatureExpired as exc:
        raise ValidationError(_("This link has expired. Sign up again to receive a new one."), code="expired") from exc
    except signing.BadSignature as exc:
        raise ValidationError(_("This link is not valid."), code="invalid") from exc
    user = get_user_model().objects.select_for_update().filter(pk=payload.get("u")).first()
    if user is None or not constant_time_compare(email_fingerprint(user.email), str(payload.get("f", ""))):
        raise ValidationError(_("This link is not valid."), code="invalid")
    now = timezone.now()
    first_time = email_verified_at(user) is None
    contact = Contact.objects.select_related("supplier").filter(user=user).order_by("pk").first()
    if not user.is_active:
        ever_active = (
            user.last_login is not None
            or not first_time
            or (contact is not None and contact.email_verified_at is not None)
        )
        if ever_active:
            # Deactivated by staff: an old link must not bring the account back.
            raise ValidationError(_("This link is not valid."), code="invalid")
    if first_time:
        audit.record(user, action=EMAIL_VERIFIED_ACTION, actor=user)
    if not user.is_active:
        user.is_active = True
        user.save(update_fields=["is_active"])
    if contact is not None and contact.email_verified_at is None:
        contact.email_verified_at = now
        contact.save(update_fields=["email_verified_at", "updated_at"])
        supplier = contact.supplier
        if supplier.status == supplier.Status.DRAFT and supplier_is_complete(supplier):
            supplier_submit(supplier=supplier, actor=user)
    return user, first_time


def password_reset_request(*, email: str, language: str) -> None:
    """Ask for password reset links for the active accounts of ``email`` (none is fine).

    Known and unknown addresses take the same path here: one lookup and one queued task (whose
    arguments hold ids, never the address); the task writes the messages to the outbox.
    """
    user_model = get_user_model()
    email = user_model.objects.normalize_email(email or "").strip()
    user_ids = [
        user.pk
        for user in user_model.objects.filter(email__iexact=email, is_active=True).only("pk", "password")
        if email and user.has_usable_password()
    ]
    from ..tasks import send_password_reset

    enqueue_on_commit(send_password_reset, user_ids, language)


@transaction.atomic
def password_reset_notify(*, user_ids: list[int], language: str) -> int:
    """Write a password reset message to each of these active accounts, in its contact's language."""
    from django.conf import settings
    from django.contrib.auth.tokens import default_token_generator
    from django.utils.encoding import force_bytes
    from django.utils.http import urlsafe_base64_encode

    sent = 0
    for user in get_user_model().objects.filter(pk__in=user_ids, is_active=True):
        if not user.email or not user.has_usable_password():
            continue
        contact = Contact.objects.filter(user=user).only("language").order_by("-pk").first()
        path = reverse(
            "password_reset_confirm",
            kwargs={
                "uidb64": urlsafe_base64_encode(force_bytes(user.pk)),
                "token": default_token_generator.make_token(user),
            },
        )
        notify(
            template="password_reset",
            recipient=user.email,
            language=contact.language if contact else language,
            context={"name": user.first_name, "reset_url": settings.SITE_URL.rstrip("/") + path},
        )
        sent += 1
    return sent
