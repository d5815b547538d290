"""ARCO rights (LFPDPPP): an SME's access to all its data, and cancellation of its personal data.

``export_supplier_data`` gathers everything the program holds about a
supplier (access right). ``erase_supplier_personal_data`` (cancellation
right) anonymises the people (contacts, their user accounts, the messages
sent to them, free-text notes) and deletes uploaded documents, and removes
those values from the history (old values in audit events, names in the
admin's change history), while the supplier's aggregate program record
(state, sector, size, scores, decisions) stays for program statistics and
the audit trail.

The apps above ``suppliers`` add what they hold (diagnostics, cohort decisions)
through ``core.registry.register_personal_data``.
"""

from django.contrib.admin.models import LogEntry
from django.contrib.auth import get_user_model
from django.contrib.contenttypes.models import ContentType
from django.contrib.sessions.models import Session
from django.core.exceptions import ValidationError
from django.db import transaction
from django.forms.models import model_to_dict
from django.utils import timezone
from django.utils.translation import gettext as _

from core import registry
from core.audit import ERASED_VALUE, record, scrub_history, transition
from core.models import OutboundMessage

from .models import ERASED_RFC, Contact, RegistrationDraft, RegistrationInvitation, Supplier
from .rfc import normalize_rfc
from .services.company import company_data_save

EXPORT_FORMAT_VERSION = 1
ERASED_RFC_FISICA = ERASED_RFC


def plain(value):
    """``value`` as JSON-ready data (dates as ISO 8601, decimals and other values as text)."""
    if hasattr(value, "isoformat"):
        return value.isoformat()
    if isinstance(value, list | tuple):
        return [plain(v) for v in value]
    if isinstance(value, dict):
        return {k: plain(v) for k, v in value.items()}
    if value is None or isinstance(value, bool | int | float | str):
        return value
    return str(value)


def row(obj, exclude: tuple[str, ...] = ()) -> dict:
    """A model instance as JSON-ready data: every concrete field but ``exclude``."""
    data = model_to_dict(obj, exclude=[*exclude])
    for field in obj._meta.concrete_fields:  # model_to_dict skips non-editable fields
        if field.name not in exclude:
            data.setdefault(field.name, getattr(obj, field.attname))
    return {key: plain(value) for key, value in data.items()}


def export_supplier_data(*, supplier: Supplier, contacts: list[Contact] | None = None) -> dict:
    """Everything the program holds about ``supplier``, as JSON-ready data (``contacts``: its contacts, when
    the caller read them with it)."""
    if contacts is None:
        contacts = list(supplier.contacts.all())
    data = {
        "format_version": EXPORT_FORMAT_VERSION,
        "exported_at": timezone.now().isoformat(),
        "supplier": {
            **row(supplier, exclude=("supply_areas", "anchor_customers")),
            "state": supplier.state.name if supplier.state_id else None,
            "supply_areas": [str(area) for area in supplier.supply_areas.all()],
            "anchor_customers": [str(anchor) for anchor in supplier.anchor_customers.all()],
        },
        "contacts": [row(c, exclude=("user",)) | {"has_user_account": c.user_id is not None} for c in contacts],
        "certifications": [
            row(c) | {"standard": str(c.standard)} for c in supplier.certifications.select_related("standard")
        ],
        "annual_figures": [row(f) for f in supplier.annual_figures.all()],
        "documents": [row(d, exclude=("file", "uploaded_by")) for d in supplier.documents.all()],
        "privacy_consents": [
            row(c, exclude=("notice",)) | {"notice_version": c.notice.version}
            for c in supplier.privacy_consents.select_related("notice")
        ],
    }
    for section in registry.personal_data():  # only what the SME may already see
        data[section.key] = section.export(supplier)
    return data


@transaction.atomic
def erase_supplier_personal_data(*, supplier: Supplier, actor, reason: str = "") -> dict:
    """Cancel (anonymise) the personal data of ``supplier``; keep its aggregate program record.

    Idempotent: erasing twice changes nothing the second time.
    """
    supplier = Supplier.objects.select_for_update().get(pk=supplier.pk)
    contacts = list(Contact.objects.select_related("user").filter(supplier=supplier))
    emails = {c.email.lower() for c in contacts if c.email}
    # An invitation to register sent to the company in this program (perhaps to another address).
    invitations = RegistrationInvitation.objects.filter(program_id=supplier.program_id, rfc=supplier.rfc)
    invited = set(invitations.values_list("email", flat=True))
    emails |= {email.lower() for email in invited}
    invitations.update(email="erased@erased.invalid")
    user_model = get_user_model()
    user_ids = [c.user_id for c in contacts if c.user_id]
    for contact in contacts:
        contact.name = _("Erased contact %(id)s") % {"id": contact.pk}
        contact.position = ""
        contact.email = f"erased-contact-{contact.pk}@erased.invalid"
        contact.phone = ""
        contact.user = None
        contact.full_clean()
        contact.save(update_fields=["name", "position", "email", "phone", "user", "updated_at"])
    for user in user_model.objects.filter(pk__in=user_ids):
        user.username = f"erased-user-{user.pk}"
        user.email = ""
        user.first_name = user.last_name = ""
        user.is_active = False
        user.set_unusable_password()
        user.save()

    # What an account typed in registration steps it had not finished.
    RegistrationDraft.objects.filter(user_id__in=user_ids).delete()
    documents = list(supplier.documents.all())
    files = [(doc.file.storage, doc.file.name) for doc in documents if doc.file]
    supplier.documents.all().delete()
    # Files go only once the database change is committed (a rollback keeps them).
    transaction.on_commit(lambda: [storage.delete(name) for storage, name in files])

    scrubbed = sum(section.erase(supplier) for section in registry.personal_data() if section.erase)
    sessions = _delete_sessions(user_ids=user_ids, emails=emails)

    messages = OutboundMessage.objects.filter(recipient__in=[*emails, *(e.upper() for e in emails), *invited])
    messages.filter(status=OutboundMessage.Status.PENDING).update(
        status=OutboundMessage.Status.FAILED, last_error="recipient erased (ARCO)"
    )
    erased_messages = messages.update(recipient="erased@erased.invalid", subject="", body="", context={})

    if supplier.status in Supplier.RFC_UNIQUE_STATUSES:
        supplier.status_reason = reason or _("Personal data cancelled at the data subject's request (ARCO).")
        transition(
            supplier,
            to=Supplier.Status.REJECTED,
            allowed=Supplier.TRANSITIONS,
            actor=actor,
            reason=supplier.status_reason,
            extra_fields=("status_reason",),
        )
    individual = supplier.person_type == Supplier.PersonType.FISICA
    if individual:  # an individual's name and RFC are personal data
        supplier.legal_name = _("Individual supplier %(id)s (erased)") % {"id": supplier.pk}
        supplier.trade_name = ""
        supplier.rfc = ERASED_RFC_FISICA
    already = supplier.personal_data_erased_at is not None
    supplier.personal_data_erased_at = supplier.personal_data_erased_at or timezone.now()
    supplier.save(update_fields=["legal_name", "trade_name", "rfc", "personal_data_erased_at", "updated_at"])
    if individual:  # the company is the person: its name and RFC go from every program it takes part in
        company_data_save(supplier=supplier, actor=actor, trusted=True)
    scrubbed += _scrub_history(supplier, [c.pk for c in contacts], user_ids, individual=individual)
    summary = {
        "contacts": len(contacts),
        "users_deactivated": len(user_ids),
        "documents_deleted": len(documents),
        "messages_anonymised": erased_messages,
        "sessions_deleted": sessions,
        "history_entries_scrubbed": scrubbed,
    }
    if not already:
        record(supplier, action="arco_erasure", actor=actor, reason=reason, changes=summary)
    return summary


def _delete_sessions(*, user_ids: list[int], emails: set[str]) -> int:
    """Delete the stored sessions of the erased accounts, and any session holding one of their emails.

    Sessions live in the database (SESSION_ENGINE) and expire within a day in production, so the scan
    covers few rows; expired ones go through ``core.tasks.clear_expired_sessions``.
    """
    wanted_users = {str(pk) for pk in user_ids}
    doomed = []
    for session in Session.objects.filter(expire_date__gt=timezone.now()).iterator(chunk_size=500):
        data = session.get_decoded()
        if str(data.get("_auth_user_id", "")) in wanted_users or _mentions(data, emails):
            doomed.append(session.pk)
    return Session.objects.filter(pk__in=doomed).delete()[0] if doomed else 0


def _mentions(data, emails: set[str]) -> bool:
    if isinstance(data, str):
        return data.strip().lower() in emails
    if isinstance(data, dict):
        return any(_mentions(value, emails) for value in data.values())
    if isinstance(data, list | tuple):
        return any(_mentions(value, emails) for value in data)
    return False


# An individual's name and RFC are personal data; the audit trail keeps old values of them (profile edits).
_SUPPLIER_PERSONAL_FIELDS = ("legal_name", "trade_name", "rfc")


def _scrub_history(supplier: Supplier, contact_ids: list[int], user_ids: list[int], *, individual: bool) -> int:
    """Remove the erased personal data from the history kept about the supplier: the old values in its
    audit events (an individual's name and RFC) and the names shown in the admin's change history
    of its contacts and their accounts (and of the supplier, for an individual). Returns the entries changed."""
    participations = list(Supplier.objects.filter(company_id=supplier.company_id).values_list("pk", flat=True))
    changed = scrub_history(Supplier, participations, _SUPPLIER_PERSONAL_FIELDS) if individual else 0
    logged = [(Contact, [str(pk) for pk in contact_ids]), (get_user_model(), [str(pk) for pk in user_ids])]
    if individual:
        logged.append((Supplier, [str(supplier.pk)]))
    entries = 0
    for model, object_ids in logged:
        entries += (
            LogEntry.objects.filter(content_type=ContentType.objects.get_for_model(model), object_id__in=object_ids)
            .exclude(object_repr=ERASED_VALUE)
            .update(object_repr=ERASED_VALUE)
        )
    return changed + entries


def check_erasure_confirmation(*, supplier: Supplier, typed_rfc: str) -> None:
    """The SME confirms by typing its RFC; raises ValidationError otherwise."""
    if normalize_rfc(typed_rfc) != supplier.rfc:
        raise ValidationError({"confirm_rfc": _("Type your RFC exactly to confirm.")})
