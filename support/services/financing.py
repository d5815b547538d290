"""Financing cases: opened by staff or by the SME, moved through their steps by staff, money recorded as
disbursements. Every move is checked against the case's state machine and audited; a refused move says why
and changes nothing."""

from __future__ import annotations

import datetime
from decimal import Decimal

from django.core.exceptions import ValidationError
from django.core.files.base import ContentFile
from django.db import transaction
from django.forms.models import model_to_dict
from django.utils import timezone
from django.utils.crypto import get_random_string
from django.utils.formats import number_format
from django.utils.translation import gettext as _

from cohorts.models import Candidate
from core import audit
from core.concurrency import StaleObjectError, save_versioned
from core.files import save_in_transaction
from suppliers.validators import inspect_upload

from ..financing.models import Disbursement, FinancingCase, FinancingDocument, FinancingStep
from .common import jsonable, refuse_unknown, require_selected

Status = FinancingCase.Status
CASE_FIELDS = ("institution", "institution_name", "product", "bank", "anchor", "purpose", "amount_requested")
# Once the institution has decided, the terms of the case are its record: they no longer change.
EDITABLE_STATUSES = (Status.REFERRAL, Status.APPLICATION)


def _money(amount: Decimal) -> str:
    return f"${number_format(amount, decimal_pos=2, use_l10n=True, force_grouping=True)} MXN"


def _check_date(case: FinancingCase, on: datetime.date, field: str = "on") -> None:
    if on > timezone.localdate():
        raise ValidationError({field: _("A step is recorded once it has happened: the date cannot be in the future.")})
    if on < case.step_since:
        raise ValidationError(
            {field: _("The date cannot come before the case's current step (%(date)s).") % {"date": case.step_since}}
        )


def _check_terms(case: FinancingCase) -> None:
    program_id = case.candidate.cohort.program_id
    if case.product == FinancingCase.Product.FACTORING and case.anchor_id is None:
        raise ValidationError({"anchor": _("Factoring discounts an anchor's payables: name the anchor.")})
    if case.anchor is not None and case.anchor.program_id != program_id:
        raise ValidationError({"anchor": _("This anchor belongs to another program.")})
    if case.institution == FinancingCase.Institution.OTHER and not case.institution_name.strip():
        raise ValidationError({"institution_name": _("Name the institution.")})
    if case.institution != FinancingCase.Institution.OTHER:
        case.institution_name = ""
    if case.amount_requested is None or case.amount_requested <= 0:
        raise ValidationError({"amount_requested": _("The amount requested must be more than zero.")})


def _step(case: FinancingCase, *, actor, status: str, on, reason: str = "", backwards=False, amount=None) -> None:
    FinancingStep.objects.create(
        case=case,
        status=status,
        on=on,
        reason=reason,
        backwards=backwards,
        amount=amount,
        recorded_by=actor if getattr(actor, "pk", None) else None,
    )


def _locked(case: FinancingCase, expected_version: int | None) -> FinancingCase:
    """The case's row, locked for this transaction; a stale version is refused before anything is checked."""
    fresh = (
        FinancingCase.objects.select_for_update(of=("self",))
        .select_related("candidate__cohort", "anchor")
        .get(pk=case.pk)
    )
    if expected_version is not None and fresh.version != expected_version:
        raise StaleObjectError(fresh, fresh.version)
    return fresh


@transaction.atomic
def financing_case_open(
    *,
    candidate: Candidate,
    actor,
    institution: str,
    product: str,
    amount_requested: Decimal,
    bank: str = "",
    anchor=None,
    purpose: str = "",
    institution_name: str = "",
    referred_on: datetime.date | None = None,
) -> FinancingCase:
    """A selected SME referred to financing (by staff, or by the SME itself from its account)."""
    require_selected(candidate)
    referred_on = referred_on or timezone.localdate()
    if referred_on > timezone.localdate():
        raise ValidationError({"referred_on": _("The referral date cannot be in the future.")})
    case = FinancingCase(
        candidate=candidate,
        institution=institution,
        institution_name=institution_name.strip(),
        product=product,
        bank=bank.strip(),
        anchor=anchor,
        purpose=purpose.strip(),
        amount_requested=amount_requested,
        referred_on=referred_on,
        step_since=referred_on,
        created_by=actor if getattr(actor, "pk", None) else None,
    )
    _check_terms(case)
    case.full_clean()
    case.save()
    _step(case, actor=actor, status=Status.REFERRAL, on=referred_on, amount=amount_requested)
    audit.record(
        case,
        action="financing_case_opened",
        actor=actor,
        to_state=Status.REFERRAL,
        changes=jsonable(model_to_dict(case, fields=CASE_FIELDS)),
    )
    return case


@transaction.atomic
def financing_case_update(*, case: FinancingCase, actor, expected_version: int | None, **data) -> FinancingCase:
    """Staff correct the terms of a case before the institution decides."""
    refuse_unknown(data, CASE_FIELDS)
    case = _locked(case, expected_version)
    if case.status not in EDITABLE_STATUSES:
        raise ValidationError(_("The institution has decided on this case: its terms no longer change."))
    before = jsonable(model_to_dict(case, fields=list(data)))
    for name, value in data.items():
        setattr(case, name, value.strip() if isinstance(value, str) else value)
    _check_terms(case)
    case.full_clean()
    save_versioned(case, expected_version=None, fields=list(data) + ["institution_name"])
    after = jsonable(model_to_dict(case, fields=list(data)))
    audit.record(
        case,
        action="financing_case_updated",
        actor=actor,
        changes={name: [before[name], after[name]] for name in data if before[name] != after[name]},
    )
    return case


def _illegal(case: FinancingCase, to: str) -> ValidationError:
    target = Status(to).label if to in Status.values else to
    if to == Status.DISBURSED:
        if case.status in (Status.APPROVED, Status.DISBURSED):
            return ValidationError({"status": _("A case becomes disbursed by recording a disbursement.")})
        return ValidationError(
            {
                "status": _("Nothing can be disbursed before the case is approved (it is “%(from)s”).")
                % {"from": case.get_status_display()}
            }
        )
    if case.status == Status.DISBURSED:
        return ValidationError({"status": _("Money was paid out on this case: its steps no longer change.")})
    return ValidationError(
        {
            "status": _("A case that is “%(from)s” cannot become “%(to)s”.")
            % {"from": case.get_status_display(), "to": target}
        }
    )


@transaction.atomic
def financing_case_move(
    *,
    case: FinancingCase,
    actor,
    to: str,
    expected_version: int | None,
    reason: str = "",
    amount_approved: Decimal | None = None,
    on: datetime.date | None = None,
) -> FinancingCase:
    """Move a case one step: referral -> application -> approved (with the amount) | rejected (with a reason);
    back a step only with a reason. Disbursed is reached by ``financing_disbursement_add``."""
    case = _locked(case, expected_version)
    current = Status(case.status)
    reason = (reason or "").strip()
    backwards = to in FinancingCase.BACKWARD[current]
    if to not in FinancingCase.FORWARD[current] and not backwards:
        raise _illegal(case, to)
    if backwards and not reason:
        raise ValidationError({"reason": _("Going back a step needs a reason.")})
    if to == Status.REJECTED and not reason:
        raise ValidationError({"reason": _("Say why the case was rejected.")})
    on = on or timezone.localdate()
    _check_date(case, on)
    fields = ["status", "step_since", "applied_on", "decided_on", "amount_approved", "rejection_reason"]
    if to == Status.APPROVED:
        if amount_approved is None or amount_approved <= 0:
            raise ValidationError({"amount_approved": _("Give the amount approved, more than zero.")})
        case.amount_approved = amount_approved
        case.decided_on = on
    elif to == Status.REJECTED:
        case.rejection_reason = reason
        case.decided_on = on
    elif to == Status.APPLICATION:
        case.applied_on = on
    if backwards:
        case.decided_on = None
        case.amount_approved = None
        case.rejection_reason = ""
        if to == Status.REFERRAL:
            case.applied_on = None
    case.status = to
    case.step_since = on
    case.full_clean()
    save_versioned(case, expected_version=None, fields=fields)
    _step(
        case,
        actor=actor,
        status=to,
        on=on,
        reason=reason,
        backwards=backwards,
        amount=amount_approved if to == Status.APPROVED else None,
    )
    audit.record(
        case,
        action="transition",
        actor=actor,
        from_state=current,
        to_state=to,
        reason=reason,
        changes={"on": on.isoformat(), "amount_approved": jsonable({"a": case.amount_approved})["a"]},
    )
    return case


@transaction.atomic
def financing_disbursement_add(
    *,
    case: FinancingCase,
    actor,
    amount: Decimal,
    expected_version: int | None,
    on: datetime.date | None = None,
    reference: str = "",
) -> Disbursement:
    """Money paid out on an approved case; the first makes it disbursed. The total never exceeds the
    amount approved."""
    case = _locked(case, expected_version)
    if case.status not in (Status.APPROVED, Status.DISBURSED):
        raise _illegal(case, Status.DISBURSED)
    if amount is None or amount <= 0:
        raise ValidationError({"amount": _("The amount disbursed must be more than zero.")})
    if case.amount_disbursed + amount > case.amount_approved:
        raise ValidationError(
            {
                "amount": _(
                    "This would disburse more than approved: %(approved)s approved, %(paid)s already disbursed, "
                    "%(left)s left."
                )
                % {
                    "approved": _money(case.amount_approved),
                    "paid": _money(case.amount_disbursed),
                    "left": _money(case.remaining),
                }
            }
        )
    on = on or timezone.localdate()
    if on > timezone.localdate():
        raise ValidationError(
            {"on": _("A disbursement is recorded once it is paid: the date cannot be in the future.")}
        )
    if on < (case.decided_on or case.step_since):
        raise ValidationError({"on": _("Money cannot be paid out before the case was approved.")})
    disbursement = Disbursement(
        case=case,
        on=on,
        amount=amount,
        reference=reference.strip(),
        recorded_by=actor if getattr(actor, "pk", None) else None,
    )
    disbursement.full_clean()
    disbursement.save()
    current = case.status
    case.amount_disbursed += amount
    fields = ["amount_disbursed"]
    if current == Status.APPROVED:
        case.status = Status.DISBURSED
        case.disbursed_on = on
        case.step_since = on
        fields += ["status", "disbursed_on", "step_since"]
        _step(case, actor=actor, status=Status.DISBURSED, on=on, amount=amount)
    save_versioned(case, expected_version=None, fields=fields)
    audit.record(
        case,
        action="financing_disbursed",
        actor=actor,
        from_state=current,
        to_state=Status.DISBURSED,
        changes={"amount": str(amount), "on": on.isoformat(), "total": str(case.amount_disbursed)},
    )
    return disbursement


@transaction.atomic
def financing_document_add(*, case: FinancingCase, actor, title: str, file) -> FinancingDocument:
    """A PDF, PNG or JPEG of the case (its real type checked from the content), added by staff or the SME. The
    file is stored under a random name (never the uploader's) and served only by the permission-checked view."""
    if not title.strip():
        raise ValidationError({"title": _("Give the document a title.")})
    if not file:
        raise ValidationError({"file": _("Attach the file.")})
    try:
        check = inspect_upload(file)
    except ValidationError as exc:
        raise ValidationError({"file": exc.messages}) from exc
    document = FinancingDocument(
        case=case,
        title=title.strip(),
        content_type=check.content_type,
        added_by=actor if getattr(actor, "pk", None) else None,
    )
    document.full_clean(exclude=["file"])  # a refused title stores no file
    file.seek(0)
    save_in_transaction(document.file, f"{get_random_string(20)}.{check.extension}", ContentFile(file.read()))
    document.save()
    audit.record(
        case, action="financing_document_added", actor=actor, changes={"document": document.pk, "title": document.title}
    )
    return document
