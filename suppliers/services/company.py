"""The company shared by its participations, and a company joining another program from its account.

A company (one RFC) takes part in several programs; each participation is a ``Supplier`` row that keeps a
copy of the company's data (``COMPANY_SHARED_FIELDS``). ``company_data_save`` is the one write of that data:
it updates the ``Company`` and every participation of it in the caller's transaction.
"""

from collections.abc import Iterable
from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import F, Field
from django.utils import timezone
from django.utils.translation import gettext as _

from core import audit, roles
from programs.models import CriticalSupplyArea, Program

from ..models import (
    COMPANY_SHARED_FIELDS,
    ERASED_RFC,
    AnnualFigure,
    Certification,
    Company,
    Contact,
    PrivacyNotice,
    Supplier,
)
from ..stratification import stratify

# The figures a new participation starts from (the company's latest, as its current participation has them);
# each program then keeps and updates its own.
FIGURE_FIELDS = (
    "employees",
    "annual_sales_mdp",
    "export_share",
    "size",
    "employee_range",
    "total_assets_mdp",
    "women_ownership_share",
    "woman_ceo_or_coo",
    "has_board",
    "women_board_share",
)


def _attname(name: str) -> str:
    """The column attribute of a shared field (``state_id`` for ``state``), the same on Company and Supplier."""
    field = Company._meta.get_field(name)
    assert isinstance(field, Field)
    return field.attname


def _value(obj: Any, name: str) -> Any:
    return getattr(obj, _attname(name))


def _speaks_for_company(supplier: Supplier, actor) -> bool:
    """Whether the data of ``supplier`` may become the company's: the participation is verified, the company has
    no other verified participation, or the writer is program staff (or the system) or a contact of a verified
    participation of the company. Otherwise (a registration of an RFC that another program already verified,
    typed by someone else), the registration keeps what was typed until staff verify it."""
    if supplier.status == Supplier.Status.VERIFIED or actor is None or roles.is_program_staff(actor):
        return True
    verified = Supplier.objects.filter(company_id=supplier.company_id, status=Supplier.Status.VERIFIED).exclude(
        pk=supplier.pk
    )
    if not verified.exists():
        return True
    return bool(getattr(actor, "pk", None)) and Contact.objects.filter(user=actor, supplier__in=verified).exists()


def _link_company(supplier: Supplier) -> Company:
    """The company of the supplier's RFC, linked (created when the RFC is new; moved when a draft's RFC changed)."""
    current = (
        Company.objects.select_for_update().filter(pk=supplier.company_id).first() if supplier.company_id else None
    )
    if current is not None and (current.rfc == supplier.rfc or supplier.rfc == ERASED_RFC):
        return current
    found = Company.objects.select_for_update().filter(rfc=supplier.rfc).first()
    alone = current is not None and not current.participations.exclude(pk=supplier.pk).exists()
    if found is not None:
        company = found
    elif current is not None and alone:
        company = current  # a draft's RFC corrected: its own company follows it
    else:
        company = Company(**{name: getattr(supplier, name) for name in COMPANY_SHARED_FIELDS})
        company.full_clean(validate_constraints=False)
        company.save()
    supplier.company = company
    if supplier.pk is not None and current is not None and current.pk != company.pk:
        Supplier.objects.filter(pk=supplier.pk).update(company=company)
        if alone:
            current.delete()
    return company


@transaction.atomic
def company_data_save(*, supplier: Supplier, actor, trusted: bool = False) -> Company:
    """Make the company data of ``supplier`` (set on it, saved by the caller) the data of its company and of
    every participation of that company, in the caller's transaction; link the company of its RFC first.

    The other participations take the new values (a new sector recomputes their size from their own
    figures), a new version (an edit form opened before refuses to overwrite) and an audit entry.
    """
    company = _link_company(supplier)
    if not trusted and not _speaks_for_company(supplier, actor):
        return company
    before = {name: _value(company, name) for name in COMPANY_SHARED_FIELDS}
    for name in COMPANY_SHARED_FIELDS:
        setattr(company, _attname(name), _value(supplier, name))
    if any(before[name] != _value(company, name) for name in COMPANY_SHARED_FIELDS):
        company.full_clean(validate_constraints=False)
        company.save()
    others = company.participations.select_for_update().order_by("pk")
    if supplier.pk is not None:
        others = others.exclude(pk=supplier.pk)
    for other in others:  # a company takes part in a handful of programs
        diff = {
            name: [str(_value(other, name)), str(_value(company, name))]
            for name in COMPANY_SHARED_FIELDS
            if _value(other, name) != _value(company, name)
        }
        if not diff:
            continue
        for name in COMPANY_SHARED_FIELDS:
            setattr(other, _attname(name), _value(company, name))
        fields = [*COMPANY_SHARED_FIELDS, "updated_at", "version"]
        if "sector" in diff:
            stratum = stratify(other.sector, other.employees, other.annual_sales_mdp)
            other.size, other.employee_range = stratum.size.value, stratum.employee_range.value
            fields += ["size", "employee_range"]
        other.version = F("version") + 1
        other.save(update_fields=fields)
        audit.record(other, action="company_updated", actor=actor, changes={**diff, "from_participation": supplier.pk})
    return company


def programs_to_join(supplier: Supplier | None) -> list[Program]:
    """The programs taking registrations in which the company of ``supplier`` has no live participation."""
    if supplier is None:
        return []
    live = Supplier.objects.filter(company_id=supplier.company_id, status__in=Supplier.RFC_UNIQUE_STATUSES)
    return list(
        Program.objects.filter(registration_open=True)
        .exclude(pk__in=live.values("program_id"))
        .order_by("-start_date", "-pk")
    )


@transaction.atomic
def participation_join(
    *,
    actor,
    supplier: Supplier,
    program: Program,
    notice: PrivacyNotice,
    voluntary: bool,
    supply_areas: Iterable[CriticalSupplyArea] = (),
) -> Supplier:
    """The company of ``supplier`` (a participation whose contact is ``actor``) joins ``program``.

    The new participation copies the company and its latest figures, certifications and yearly figures;
    ``actor`` becomes its primary contact; it accepts ``notice`` (the program's privacy notice in force) and
    is sent for verification at once, as a registration is (draft -> submitted), audited and notified.
    One live participation per RFC per program: a company already live in ``program`` is refused.
    """
    from .consent import privacy_consent_give, privacy_notice_current
    from .registration import _notify_contact

    contact = Contact.objects.filter(user=actor, supplier=supplier).first() if getattr(actor, "pk", None) else None
    if contact is None or supplier.personal_data_erased_at is not None:
        raise ValidationError(_("Only a contact of the company can join another program."), code="not_contact")
    if supplier.status not in Supplier.RFC_UNIQUE_STATUSES:
        raise ValidationError(
            _("Your registration must be sent before your company joins another program."), code="not_live"
        )
    program = Program.objects.select_for_update().get(pk=program.pk)
    if not program.registration_open:
        raise ValidationError(_("Registration for this program is closed."), code="closed")
    if notice.program_id != program.pk or notice.pk != privacy_notice_current(program=program).pk:
        raise ValidationError(
            _("The privacy notice changed while you were reading it. Please read it again."), code="notice"
        )
    company = Company.objects.select_for_update().get(pk=supplier.company_id)
    if Supplier.objects.filter(program=program, rfc=company.rfc, status__in=Supplier.RFC_UNIQUE_STATUSES).exists():
        raise ValidationError(
            _("Your company (RFC %(rfc)s) already takes part in %(program)s.")
            % {"rfc": company.rfc, "program": program},
            code="exists",
        )
    areas = list(supply_areas)
    if any(area.program_id != program.pk for area in areas):
        raise ValidationError({"supply_areas": _("Choose supply areas of this program.")})
    if not areas and program.supply_areas.exists():
        raise ValidationError({"supply_areas": _("Choose at least one supply area of this program you can supply.")})
    joined = Supplier(program=program, company=company, status=Supplier.Status.DRAFT)
    for name in COMPANY_SHARED_FIELDS:
        setattr(joined, _attname(name), _value(company, name))
    for name in FIGURE_FIELDS:
        setattr(joined, name, getattr(supplier, name))
    joined.full_clean()
    joined.save()
    joined.supply_areas.set(areas)
    Certification.objects.bulk_create(
        Certification(
            supplier=joined,
            standard_id=c.standard_id,
            certificate_number=c.certificate_number,
            issuer=c.issuer,
            issued_on=c.issued_on,
            expires_on=c.expires_on,
        )
        for c in supplier.certifications.all()
    )
    AnnualFigure.objects.bulk_create(
        AnnualFigure(supplier=joined, year=f.year, sales_mdp=f.sales_mdp, employees=f.employees)
        for f in supplier.annual_figures.all()
    )
    Contact.objects.create(
        supplier=joined,
        user=actor,
        name=contact.name,
        position=contact.position,
        email=contact.email,
        phone=contact.phone,
        language=contact.language,
        is_primary=True,
        email_verified_at=contact.email_verified_at or timezone.now(),
    )
    audit.record(
        joined,
        action="registered",
        actor=actor,
        to_state=joined.status,
        changes={"joined_from": supplier.pk, "program": program.pk},
    )
    privacy_consent_give(supplier=joined, actor=actor, voluntary=voluntary, notice=notice)
    joined.submitted_at = timezone.now()
    audit.transition(
        joined, to=Supplier.Status.SUBMITTED, allowed=Supplier.TRANSITIONS, actor=actor, extra_fields=("submitted_at",)
    )
    _notify_contact(joined, "registration_received")
    return joined
