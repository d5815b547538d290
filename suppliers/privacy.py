"""ARCO rights (LFPDPPP): an SME's access to all its data, and cancellation of its personal data.

``export_supplier_data`` gathers everything the program holds about a
supplier (access right). ``erase_supplier_personal_data`` (cancellation
right) anonymises the people (contacts, their user accounts, the messages
sent to them, free-text notes) and deletes uploaded documents, and removes
those values from the history (old values in audit events, names in the
admin's change history), while the supplier's aggregate program record
(state, sector, size, scores, decisions) stays for program statistics and
the audit trail.
"""
from django.apps import apps
from django.contrib.auth import get_user_model
from django.core.exceptions import ValidationError
from django.db import transaction
from django.forms.models import model_to_dict
from django.utils import timezone
from django.utils.translation import gettext as _

from core.audit import record, transition
from core.models import OutboundMessage

from .models import Contact, Supplier
from .selectors import DECIDED_CANDIDATE_STATUSES

EXPORT_FORMAT_VERSION = 1
ERASED_RFC_FISICA = "XXXX000000XXX"


def _plain(value):
    if hasattr(value, "isoformat"):
        return value.isoformat()
    if isinstance(value, list | tuple):
        return [_plain(v) for v in value]
    if isinstance(value, dict):
        return {k: _plain(v) for k, v in value.items()}
    if value is None or isinstance(value, bool | int | float | str):
        return value
    return str(value)


def _row(obj, exclude: tuple[str, ...] = ()) -> dict:
    data = model_to_dict(obj, exclude=[*exclude])
    for field in obj._meta.concrete_fields:  # model_to_dict skips non-editable fields
        if field.name not in exclude:
            data.setdefault(field.name, getattr(obj, field.attname))
    return {key: _plain(value) for key, value in data.items()}


def export_supplier_data(*, supplier: Supplier) -> dict:
    """Everything the program holds about ``supplier``, as JSON-ready data."""
    diagnostic_model = apps.get_model("assessments", "Diagnostic")
    candidate_model = apps.get_model("programs", "Candidate")
    # Only what the SME may already see: published diagnostics (no internal staff notes) and final
    # cohort decisions (never staged decisions, pins, proposals or anchor verdicts before the decision).
    diagnostics = (
        diagnostic_model.objects.filter(supplier=supplier, published_at__isnull=False)
        .select_related("framework")
        .prefetch_related("dimension_scores__dimension", "answers__question")
    )
    candidacies = candidate_model.objects.filter(
        supplier=supplier, status__in=[*DECIDED_CANDIDATE_STATUSES, candidate_model.Status.WITHDRAWN]
    ).select_related("cohort")
    return {
        "format_version": EXPORT_FORMAT_VERSION,
        "exported_at": timezone.now().isoformat(),
        "supplier": {
            **_row(supplier, exclude=("supply_areas", "anchor_customers")),
            "state": supplier.state.name if supplier.state_id else None,
            "supply_areas": [str(area) for area in supplier.supply_areas.all()],
            "anchor_customers": [str(anchor) for anchor in supplier.anchor_customers.all()],
        },
        "contacts": [_row(c, exclude=("user",)) | {"has_user_account": c.user_id is not None}
                     for c in supplier.contacts.all()],
        "certifications": [
            _row(c) | {"standard": str(c.standard)} for c in supplier.certifications.select_related("standard")
        ],
        "annual_figures": [_row(f) for f in supplier.annual_figures.all()],
        "documents": [_row(d, exclude=("file", "uploaded_by")) for d in supplier.documents.all()],
        "diagnostics": [
            _row(d, exclude=("assessor", "validated_by", "baseline", "notes"))
            | {
                "framework": str(d.framework),
                "dimension_scores": [_row(s) | {"dimension": str(s.dimension)} for s in d.dimension_scores.all()],
                "answers": [_row(a, exclude=("answered_by",)) | {"question": str(a.question)} for a in d.answers.all()],
            }
            for d in diagnostics
        ],
        "decisions": [
            {"cohort": str(c.cohort), "status": c.status, "decision_reason": c.decision_reason,
             "decided_at": _plain(c.decided_at)}
            for c in candidacies
        ],
    }


@transaction.atomic
def erase_supplier_personal_data(*, supplier: Supplier, actor, reason: str = "") -> dict:
    """Cancel (anonymise) the personal data of ``supplier``; keep its aggregate program record.

    Idempotent: erasing twice changes nothing the second time.
    """
    supplier = Supplier.objects.select_for_update().get(pk=supplier.pk)
    contacts = list(Contact.objects.select_related("user").filter(supplier=supplier))
    emails = {c.email.lower() for c in contacts if c.email}
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

    documents = list(supplier.documents.all())
    files = [(doc.file.storage, doc.file.name) for doc in documents if doc.file]
    supplier.documents.all().delete()
    # Files go only once the database change is committed (a rollback keeps them).
    transaction.on_commit(lambda: [storage.delete(name) for storage, name in files])

    answer_model = apps.get_model("assessments", "Answer")
    diagnostic_model = apps.get_model("assessments", "Diagnostic")
    diagnostic_model.objects.filter(supplier=supplier).update(notes="")
    answer_model.objects.filter(diagnostic__supplier=supplier).update(evidence="")

    messages = OutboundMessage.objects.filter(recipient__in=[*emails, *(e.upper() for e in emails)])
    messages.filter(status=OutboundMessage.Status.PENDING).update(
        status=OutboundMessage.Status.FAILED, last_error="recipient erased (ARCO)"
    )
    erased_messages = messages.update(recipient="erased@erased.invalid", subject="", body="", context={})

    if supplier.status in Supplier.RFC_UNIQUE_STATUSES:
        supplier.status_reason = reason or _("Personal data cancelled at the data subject's request (ARCO).")
        transition(supplier, to=Supplier.Status.REJECTED, allowed=Supplier.TRANSITIONS, actor=actor,
                   reason=supplier.status_reason, extra_fields=("status_reason",))
    individual = supplier.person_type == Supplier.PersonType.FISICA
    if individual:  # an individual's name and RFC are personal data
        supplier.legal_name = _("Individual supplier %(id)s (erased)") % {"id": supplier.pk}
        supplier.trade_name = ""
        supplier.rfc = ERASED_RFC_FISICA
    already = supplier.personal_data_erased_at is not None
    supplier.personal_data_erased_at = supplier.personal_data_erased_at or timezone.now()
    supplier.save(update_fields=["legal_name", "trade_name", "rfc", "personal_data_erased_at", "updated_at"])
    scrubbed = _scrub_history(supplier, [c.pk for c in contacts], individual=individual)
    summary = {"contacts": len(contacts), "users_deactivated": len(user_ids), "documents_deleted": len(documents),
               "messages_anonymised": erased_messages, "history_entries_scrubbed": scrubbed}
    if not already:
        record(supplier, action="arco_erasure", actor=actor, reason=reason, changes=summary)
    return summary


ERASED_VALUE = "[erased]"
# Old values the audit trail keeps that the erasure cancels: an individual's name and RFC (profile
# edits of a persona física) and the free-text diagnostic notes.
_SUPPLIER_PERSONAL_FIELDS = ("legal_name", "trade_name", "rfc")
_DIAGNOSTIC_PERSONAL_FIELDS = ("notes",)


def _scrub(changes, fields) -> tuple[dict, bool]:
    """``changes`` with the values of ``fields`` replaced (a [before, after] pair, or one value)."""
    if not isinstance(changes, dict):
        return changes, False
    out, touched = dict(changes), False
    for name in fields:
        if name in out and out[name] not in (ERASED_VALUE, [ERASED_VALUE, ERASED_VALUE]):
            out[name] = [ERASED_VALUE, ERASED_VALUE] if isinstance(out[name], list) else ERASED_VALUE
            touched = True
    return out, touched


def _scrub_history(supplier: Supplier, contact_ids: list[int], *, individual: bool) -> int:
    """Remove the erased personal data from the history kept about the supplier: the old values in its
    audit events (an individual's name and RFC; diagnostic notes) and the names shown in the admin's
    change history of its contacts (and of the supplier, for an individual). Returns the entries changed."""
    from django.contrib.admin.models import LogEntry
    from django.contrib.contenttypes.models import ContentType

    from core.models import AuditEvent

    diagnostic_model = apps.get_model("assessments", "Diagnostic")
    scopes = [(diagnostic_model, [str(pk) for pk in diagnostic_model.objects.filter(supplier=supplier)
                                  .values_list("pk", flat=True)], _DIAGNOSTIC_PERSONAL_FIELDS)]
    if individual:
        scopes.append((Supplier, [str(supplier.pk)], _SUPPLIER_PERSONAL_FIELDS))
    changed = []
    for model, object_ids, fields in scopes:
        events = AuditEvent.objects.filter(content_type=ContentType.objects.get_for_model(model),
                                           object_id__in=object_ids)
        for event in events.only("pk", "changes"):
            event.changes, touched = _scrub(event.changes, fields)
            if touched:
                changed.append(event)
    AuditEvent.objects.bulk_update(changed, ["changes"])
    logged = [(Contact, [str(pk) for pk in contact_ids])]
    if individual:
        logged.append((Supplier, [str(supplier.pk)]))
    entries = 0
    for model, object_ids in logged:
        entries += LogEntry.objects.filter(content_type=ContentType.objects.get_for_model(model),
                                           object_id__in=object_ids).exclude(object_repr=ERASED_VALUE) \
            .update(object_repr=ERASED_VALUE)
    return len(changed) + entries


def check_erasure_confirmation(*, supplier: Supplier, typed_rfc: str) -> None:
    """The SME confirms by typing its RFC; raises ValidationError otherwise."""
    if (typed_rfc or "").strip().upper() != supplier.rfc:
        raise ValidationError({"confirm_rfc": _("Type your RFC exactly to confirm.")})
