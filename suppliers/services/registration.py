"""The registration of an SME: draft, steps, documents, submission (with duplicate detection)."""

from collections.abc import Iterable
from datetime import date
from decimal import Decimal

from django.core.exceptions import ValidationError
from django.core.files.base import ContentFile
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.crypto import get_random_string
from django.utils.translation import gettext as _

from core import audit
from core.files import save_in_transaction
from core.notifications import notify
from core.text import strip_control_characters
from programs.models import AnchorCompany, CertificationStandard, CriticalSupplyArea, Program

from ..models import AnnualFigure, Certification, Contact, Document, Supplier
from ..validators import inspect_upload, validate_rfc, validate_scian, validate_sme_size
from .company import company_data_save
from .consent import privacy_consent_give

COMPANY_FIELDS = (
    "legal_name",
    "trade_name",
    "state",
    "municipality",
    "scian_code",
    "year_founded",
    "employees",
    "annual_sales_mdp",
    "export_share",
    "total_assets_mdp",
    "women_ownership_share",
    "woman_ceo_or_coo",
    "has_board",
    "women_board_share",
)


def apply_company_data(supplier: Supplier, data: dict) -> None:
    """Copy company fields onto ``supplier``; derive person type, sector and size; refuse large companies."""
    for name in COMPANY_FIELDS:
        if name in data:
            setattr(supplier, name, data[name])
    if "rfc" in data:
        check = validate_rfc(data["rfc"])
        if data.get("person_type") and data["person_type"] != check.person_type:
            raise ValidationError(
                {
                    "person_type": _("An RFC of %(n)s characters belongs to a %(kind)s.")
                    % {"n": len(check.rfc), "kind": Supplier.PersonType(check.person_type).label}
                }
            )
        supplier.rfc = check.rfc
        supplier.person_type = check.person_type
        supplier.rfc_checksum_valid = check.checksum_valid
    try:
        supplier.scian_code = validate_scian(supplier.scian_code)
    except ValidationError as exc:
        raise ValidationError({"scian_code": exc.messages}) from exc
    try:
        size = validate_sme_size(
            scian_code=supplier.scian_code, employees=supplier.employees, annual_sales_mdp=supplier.annual_sales_mdp
        )
    except ValidationError as exc:
        raise ValidationError({"employees": exc.messages}) from exc
    supplier.sector = size.sector
    supplier.size = size.size
    supplier.employee_range = size.employee_range


def primary_contact(supplier: Supplier) -> Contact | None:
    return supplier.contacts.filter(is_primary=True).first()


def _notify_contact(supplier: Supplier, template: str, **context) -> None:
    contact = primary_contact(supplier)
    if contact is None:
        return
    notify(
        template=template,
        recipient=contact.email,
        language=contact.language,
        context={"supplier_name": str(supplier), "contact_name": contact.name, **context},
    )


@transaction.atomic
def supplier_register(*, actor, program: Program, data: dict, language: str) -> Supplier:
    """Create the draft registration of the SME whose account is ``actor`` (one per account)."""
    from ..permissions import can_register_company
    from .accounts import email_verified_at

    if not can_register_company(actor)[0]:
        raise ValidationError(
            _("This account belongs to program staff or an anchor company; register the company with another account."),
            code="other_role",
        )
    if Contact.objects.filter(user=actor).exists():
        raise ValidationError(_("This account already has a registration."), code="exists")
    if not program.registration_open:
        raise ValidationError(_("Registration for this program is closed."), code="closed")
    supplier = Supplier(program=program, status=Supplier.Status.DRAFT)
    apply_company_data(supplier, data)
    supplier.full_clean(exclude=["company"])
    company_data_save(supplier=supplier, actor=actor)
    supplier.save()
    contact = Contact(
        supplier=supplier,
        user=actor,
        name=actor.first_name or actor.email,
        email=actor.email,
        language=language,
        is_primary=True,
        email_verified_at=email_verified_at(actor),
    )
    contact.full_clean()
    contact.save()
    audit.record(supplier, action="registered", actor=actor, to_state=supplier.status)
    return supplier


@transaction.atomic
def supplier_save_draft(
    *,
    supplier: Supplier,
    actor,
    data: dict | None = None,
    annual_figures: Iterable[tuple[int, Decimal, int | None]] | None = None,
    supply_areas: Iterable[CriticalSupplyArea] | None = None,
    anchor_customers: Iterable[AnchorCompany] | None = None,
    certifications: Iterable[tuple[CertificationStandard, date | None]] | None = None,
    contact_data: dict | None = None,
) -> Supplier:
    """Save one step of a draft registration; parts left as None are not touched."""
    supplier = Supplier.objects.select_for_update().get(pk=supplier.pk)
    if supplier.status != Supplier.Status.DRAFT:
        raise ValidationError(_("This registration was already sent; edit it from your account."), code="not_draft")
    if data:
        apply_company_data(supplier, data)
        supplier.full_clean(exclude=["company"])
        company_data_save(supplier=supplier, actor=actor)
        supplier.save()
    _save_related(
        supplier,
        annual_figures=annual_figures,
        supply_areas=supply_areas,
        anchor_customers=anchor_customers,
        certifications=certifications,
    )
    if contact_data:
        contact = primary_contact(supplier)
        assert contact is not None, "supplier_register creates every draft with its primary contact"
        for name, value in contact_data.items():
            setattr(contact, name, value)
        contact.full_clean()
        contact.save()
    audit.record(
        supplier, action="draft_saved", actor=actor, changes={"fields": sorted([*(data or {}), *(contact_data or {})])}
    )
    return supplier


def _save_related(supplier, *, annual_figures=None, supply_areas=None, anchor_customers=None, certifications=None):
    if annual_figures is not None:
        supplier.annual_figures.all().delete()
        for year, sales, employees in annual_figures:
            figure = AnnualFigure(supplier=supplier, year=year, sales_mdp=sales, employees=employees)
            figure.full_clean(exclude=["supplier"])
            figure.save()
    if supply_areas is not None:
        supply_areas = list(supply_areas)
        if any(area.program_id != supplier.program_id for area in supply_areas):
            raise ValidationError({"supply_areas": _("Choose supply areas of this program.")})
        supplier.supply_areas.set(supply_areas)
    if anchor_customers is not None:
        anchor_customers = list(anchor_customers)
        if any(anchor.program_id != supplier.program_id for anchor in anchor_customers):
            raise ValidationError({"anchor_customers": _("Choose anchor companies of this program.")})
        supplier.anchor_customers.set(anchor_customers)
    if certifications is not None:
        wanted = {standard.pk: expires for standard, expires in certifications}
        supplier.certifications.exclude(standard_id__in=wanted).delete()
        for standard_id, expires in wanted.items():
            Certification.objects.update_or_create(
                supplier=supplier, standard_id=standard_id, defaults={"expires_on": expires}
            )


@transaction.atomic
def supplier_document_add(*, supplier: Supplier, actor, kind: str, uploaded, replace: bool = False) -> Document:
    """Store an uploaded document after checking its real type (content) and size.

    With ``replace`` (a draft's tax certificate chosen again), the documents of that kind the draft
    already has are deleted, files included, once the new one is stored.
    """
    check = inspect_upload(uploaded)
    replaced: list[Document] = []
    if replace and supplier.status == Supplier.Status.DRAFT:
        replaced = list(supplier.documents.filter(kind=kind))
    document = Document(
        supplier=supplier,
        kind=kind,
        original_name=(strip_control_characters(uploaded.name or "", keep=frozenset()) or "document")[:255],
        content_type=check.content_type,
        size_bytes=check.size_bytes,
        sha256=check.sha256,
        uploaded_by=actor if getattr(actor, "pk", None) else None,
    )
    # The stored name is random (never the uploader's) and its extension follows the detected type.
    stored_name = f"{get_random_string(20)}.{check.extension}"
    save_in_transaction(document.file, stored_name, ContentFile(uploaded.read()))
    document.full_clean()
    document.save()
    files = [(old.file.storage, str(old.file.name)) for old in replaced if old.file]
    for old in replaced:
        old.delete()

    def delete_files() -> None:
        for storage, name in files:
            storage.delete(name)

    # Files go only once the database change is committed (a rollback keeps them).
    transaction.on_commit(delete_files)
    audit.record(
        supplier,
        action="document_added",
        actor=actor,
        changes={
            "document": document.pk,
            "kind": kind,
            "sha256": check.sha256,
            **({"replaced": [old.sha256 for old in replaced]} if replaced else {}),
        },
    )
    return document


def supplier_missing(supplier: Supplier) -> list[str]:
    """What the registrant still has to provide before the registration can be sent."""
    missing = []
    if supplier.program.supply_areas.exists() and not supplier.supply_areas.exists():
        missing.append(_("at least one critical supply area you can supply"))
    if not supplier.documents.filter(kind=Document.Kind.TAX_CERTIFICATE).exists():
        missing.append(_("the Constancia de Situación Fiscal"))
    contact = primary_contact(supplier)
    if contact is None or not contact.phone:
        missing.append(_("the contact's phone"))
    if not supplier.privacy_accepted_at:
        missing.append(_("acceptance of the privacy notice"))
    return missing


def supplier_is_complete(supplier: Supplier) -> bool:
    return not supplier_missing(supplier)


def supplier_accept_privacy(*, supplier: Supplier, actor, voluntary: bool = False) -> Supplier:
    """The registrant accepts the notice in force (necessary purposes) and accepts or refuses the voluntary ones."""
    privacy_consent_give(supplier=supplier, actor=actor, voluntary=voluntary)
    return supplier


def live_original(supplier: Supplier) -> Supplier | None:
    """Another submitted or verified registration with the same RFC in the same program, if any (a company
    takes part in several programs: one live participation per RFC per program)."""
    return (
        Supplier.objects.filter(
            program_id=supplier.program_id, rfc=supplier.rfc, status__in=Supplier.RFC_UNIQUE_STATUSES
        )
        .exclude(pk=supplier.pk)
        .order_by("submitted_at", "pk")
        .first()
    )


@transaction.atomic
def supplier_submit(*, supplier: Supplier, actor) -> str:
    """Send a complete registration: ``"submitted"``, ``"duplicate"`` or ``"awaiting_verification"``.

    Draft -> submitted only once the contact's email is verified. A second
    registration of an RFC that is already submitted or verified is kept with
    status duplicate (and ``duplicate_of``) for staff; the registrant is only
    told that staff will contact them.
    """
    supplier = Supplier.objects.select_for_update().get(pk=supplier.pk)
    if supplier.status != Supplier.Status.DRAFT:
        return supplier.status
    missing = supplier_missing(supplier)
    if missing:
        raise ValidationError(
            _("To send the registration we still need: %(missing)s.") % {"missing": ", ".join(missing)},
            code="incomplete",
        )
    contact = primary_contact(supplier)
    assert contact is not None, "supplier_missing reports a registration without a primary contact"
    if contact.email_verified_at is None:
        return "awaiting_verification"
    supplier.submitted_at = timezone.now()
    original = live_original(supplier)
    if original is None:
        try:
            with transaction.atomic():
                audit.transition(
                    supplier,
                    to=Supplier.Status.SUBMITTED,
                    allowed=Supplier.TRANSITIONS,
                    actor=actor,
                    extra_fields=("submitted_at",),
                )
        except IntegrityError:  # a registration of the same RFC was submitted at the same moment
            supplier.status = Supplier.Status.DRAFT
            original = live_original(supplier)
    if original is not None:
        supplier.duplicate_of = original
        audit.transition(
            supplier,
            to=Supplier.Status.DUPLICATE,
            allowed=Supplier.TRANSITIONS,
            actor=actor,
            reason=_("Same RFC as another registration."),
            extra_fields=("submitted_at", "duplicate_of"),
        )
        _notify_contact(supplier, "registration_duplicate")
        return Supplier.Status.DUPLICATE
    _notify_contact(supplier, "registration_received")
    return Supplier.Status.SUBMITTED
