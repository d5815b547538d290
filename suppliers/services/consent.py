"""The privacy notice in force for a program, and the consents given under each of its versions.

The notice in force is the program's latest version published on or before today. The version
named by ``SDP_PRIVACY_NOTICE_VERSION`` is published (on the day it is first needed) when the
program does not hold it yet, so changing that setting publishes a new version. A supplier past
its draft whose accepted version is not the one in force is asked to accept it again.
"""

from django.conf import settings
from django.db import transaction
from django.utils import timezone

from core import audit
from programs.models import Program

from ..models import Contact, PrivacyConsent, PrivacyNotice, Supplier


def privacy_notice_current(*, program: Program) -> PrivacyNotice:
    """The program's notice in force (two queries)."""
    today = timezone.localdate()
    PrivacyNotice.objects.get_or_create(
        program=program, version=settings.SDP_PRIVACY_NOTICE_VERSION, defaults={"published_on": today}
    )
    notice = PrivacyNotice.objects.filter(program=program, published_on__lte=today).order_by("-published_on", "-id")
    return notice.first() or PrivacyNotice.objects.get(program=program, version=settings.SDP_PRIVACY_NOTICE_VERSION)


def privacy_consent_pending(*, supplier: Supplier) -> PrivacyNotice | None:
    """The notice ``supplier`` must accept before continuing, or None (a draft accepts it when it is sent)."""
    if supplier.status == Supplier.Status.DRAFT:
        return None
    notice = privacy_notice_current(program=supplier.program)
    return notice if supplier.privacy_notice_version != notice.version else None


@transaction.atomic
def privacy_consent_give(
    *, supplier: Supplier, actor, voluntary: bool, notice: PrivacyNotice | None = None
) -> PrivacyConsent:
    """Record that ``actor`` (a contact of ``supplier``) accepted the necessary purposes of ``notice``
    (the one in force by default) and accepted or refused the voluntary ones."""
    notice = notice or privacy_notice_current(program=supplier.program)
    now = timezone.now()
    contact = Contact.objects.filter(supplier=supplier, user=actor).first() if actor is not None else None
    consent = PrivacyConsent.objects.create(
        notice=notice,
        supplier=supplier,
        contact=contact,
        necessary_accepted=True,
        voluntary_accepted=voluntary,
        given_at=now,
    )
    supplier.privacy_notice_version = notice.version
    supplier.privacy_accepted_at = now
    supplier.save(update_fields=["privacy_notice_version", "privacy_accepted_at", "updated_at"])
    audit.record(
        supplier,
        action="privacy_accepted",
        actor=actor,
        changes={"version": notice.version, "voluntary": voluntary},
    )
    return consent
