"""An SME's answer to a round: saved as a draft as often as it likes, then sent (pending -> draft -> submitted)."""

from __future__ import annotations

from collections.abc import Mapping
from decimal import Decimal
from typing import Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.db.models import Sum
from django.utils import timezone
from django.utils.translation import gettext as _

from core import audit, roles
from core.bulk import copy_update_rows
from core.concurrency import save_versioned
from programs.models import AnchorCompany
from suppliers.models import Supplier

from ..models import AnchorSales, OutcomeResponse, OutcomeRound
from .classes import company_classes_compute

# A sales figure above this many times the previous one is asked to be confirmed (not refused).
SALES_JUMP = Decimal("10")
REQUIRED_TO_SEND = (
    "sales_mdp",
    "export_sales_mdp",
    "employees_women",
    "employees_men",
    "women_in_management",
    "new_customers",
    "financing_obtained_mdp",
    "certifications_obtained",
)
EDITABLE = (*OutcomeResponse.FIGURE_FIELDS, *OutcomeResponse.FACT_FIELDS, "sales_confirmed")


def check_may_answer(response: OutcomeResponse, actor) -> None:
    """The SME answers its own; program staff may type an answer given by phone."""
    if roles.is_program_staff(actor):
        return
    own = roles.supplier_of(actor)
    if own is None or own.pk != response.supplier_id:
        raise PermissionDenied(_("You can only answer for your own company."))


def previous_sales(response: OutcomeResponse) -> Decimal | None:
    """The sales the SME sent in the cohort's latest earlier round (``None`` if none)."""
    earlier = (
        OutcomeResponse.objects.filter(
            supplier_id=response.supplier_id,
            round__cohort_id=response.round.cohort_id,
            round__period_end__lt=response.round.period_start,
            status=OutcomeResponse.Status.SUBMITTED,
            sales_mdp__isnull=False,
        )
        .order_by("-round__period_end")
        .values_list("sales_mdp", flat=True)
        .first()
    )
    return earlier


def _check(response: OutcomeResponse, anchor_total: Decimal, *, sending: bool, before: Decimal | None = None) -> None:
    """Refuse what the answer cannot say; ``before``: the sales the SME sent in the cohort's latest earlier round
    (``previous_sales``), read by the caller when ``sending``."""
    errors: dict[str, list[str]] = {}

    def add(field: str, message: str) -> None:
        errors.setdefault(field, []).append(message)

    r = response
    if r.sales_mdp is not None and r.export_sales_mdp is not None and r.export_sales_mdp > r.sales_mdp:
        add("export_sales_mdp", _("Exports cannot be more than the sales of the period."))
    if r.sales_mdp is not None and anchor_total > r.sales_mdp:
        add("sales_mdp", _("The sales to the anchors add up to more than the sales of the period."))
    if r.women_in_management is not None and r.employees_women is not None:
        if r.women_in_management > r.employees_women:
            add("women_in_management", _("Women in management cannot be more than the women employed."))
    if r.has_board is False and r.women_board_share is not None:
        r.women_board_share = None
    if sending:
        for name in REQUIRED_TO_SEND:
            if getattr(r, name) is None:
                add(name, _("Answer this question before sending (write 0 if none)."))
        if anchor_total > 0 and r.national_content_share is None:
            add("national_content_share", _("Say what share of your sales to the anchors is national content."))
        if r.sales_mdp is not None and before and r.sales_mdp > before * SALES_JUMP and not r.sales_confirmed:
            add(
                "sales_confirmed",
                _(
                    "These sales are more than ten times the %(before)s million pesos you reported before. "
                    "If they are right, confirm them."
                )
                % {"before": before},
            )
    if errors:
        raise ValidationError(errors)


@transaction.atomic
def response_save(
    *,
    actor,
    response: OutcomeResponse,
    data: dict[str, Any],
    anchor_sales: dict[int, Decimal] | None = None,
    expected_version: int | None,
    send: bool = False,
) -> OutcomeResponse:
    """Keep the answer (a draft needs nothing complete); with ``send``, check it is complete and send it.

    Figures cannot be negative; a sales figure ten times the previous one must be confirmed. Sending updates the
    company's facts (assets, ownership, leadership) and recomputes its classes. Versioned and audited.
    """
    check_may_answer(response, actor)
    round_ = OutcomeRound.objects.get(pk=response.round_id)
    if round_.status != OutcomeRound.Status.OPEN:
        raise ValidationError(_("This questionnaire is closed."))
    if response.status == OutcomeResponse.Status.SUBMITTED:
        raise ValidationError(_("This questionnaire was already sent."))
    unknown = set(data) - set(EDITABLE)
    if unknown:
        raise ValidationError({f: _("This field cannot be changed here.") for f in sorted(unknown)})
    for name, value in data.items():
        setattr(response, name, value)
    anchors = {}
    if anchor_sales is not None:
        allowed = set(
            AnchorCompany.objects.filter(program_id=round_.program_id, pk__in=list(anchor_sales)).values_list(
                "pk", flat=True
            )
        )
        if set(anchor_sales) - allowed:
            raise ValidationError({"anchor_sales": _("Choose anchors of the program.")})
        for anchor_id, amount in anchor_sales.items():
            if amount is not None and amount < 0:
                raise ValidationError({f"anchor_{anchor_id}": _("Figures cannot be negative.")})
        anchors = {k: v for k, v in anchor_sales.items() if v is not None}
        anchor_total = sum(anchors.values(), Decimal("0"))
    else:
        anchor_total = sum(response.anchor_sales.values_list("sales_mdp", flat=True), Decimal("0"))
    response.full_clean(exclude=["round", "supplier", "submitted_by"])
    _check(response, anchor_total, sending=send, before=previous_sales(response) if send else None)
    before = response.status
    if send:
        response.status = OutcomeResponse.Status.SUBMITTED
        response.submitted_at = timezone.now()
        response.submitted_by = actor if getattr(actor, "pk", None) else None
    elif response.status == OutcomeResponse.Status.PENDING:
        response.status = OutcomeResponse.Status.DRAFT
    fields = [*EDITABLE, "status", "submitted_at", "submitted_by"]
    save_versioned(response, expected_version=expected_version, fields=fields)
    if anchor_sales is not None:
        response.anchor_sales.exclude(anchor_id__in=list(anchors)).delete()
        for anchor_id, amount in anchors.items():
            AnchorSales.objects.update_or_create(response=response, anchor_id=anchor_id, defaults={"sales_mdp": amount})
    if before != response.status:
        audit.record(
            response, action="response_" + response.status, actor=actor, from_state=before, to_state=response.status
        )
    if send:
        from .results import responses_record_sources

        responses_record_sources(round_=round_, responses=OutcomeResponse.objects.filter(pk=response.pk))
        _update_company_facts(response, actor=actor)
    return response


def _fact_changes(response: OutcomeResponse, supplier: Supplier) -> dict[str, list[str | None]]:
    """Set on ``supplier`` the company facts ``response`` gives that differ; returns the audited changes."""
    changes: dict[str, list[str | None]] = {}
    for name in OutcomeResponse.FACT_FIELDS:
        value = getattr(response, name)
        if value is not None and value != getattr(supplier, name):
            changes[name] = [str(getattr(supplier, name)), str(value)]
            setattr(supplier, name, value)
    if response.has_board is False and supplier.women_board_share is not None:
        changes["women_board_share"] = [str(supplier.women_board_share), None]
        supplier.women_board_share = None
    return changes


def _update_company_facts(response: OutcomeResponse, *, actor) -> None:
    supplier = response.supplier
    changes = _fact_changes(response, supplier)
    if changes:
        save_versioned(supplier, expected_version=None, fields=list(changes))
        audit.record(supplier, action="company_facts_updated", actor=actor, changes=changes)
    company_classes_compute(actor=actor, supplier_ids=[supplier.pk])


@transaction.atomic
def responses_send_many(*, actor, round_: OutcomeRound, answers: Mapping[int, Mapping[str, Any]]) -> int:
    """Send the answers of many SMEs of one open round at once (``response id -> data``): program staff typing
    in answers given by phone, a data load. Each answer is checked and written exactly as ``response_save(...,
    send=True)`` would (figures, status, version, audit, the figures other modules record, the company facts and
    classes), in a number of statements that does not grow with the answers. One answer that does not pass
    refuses them all (``ValidationError`` keyed by response id). Returns how many were sent."""
    if not roles.is_program_staff(actor):
        raise PermissionDenied(_("Only program staff can send many answers at once."))
    round_ = OutcomeRound.objects.get(pk=round_.pk)
    if round_.status != OutcomeRound.Status.OPEN:
        raise ValidationError(_("This questionnaire is closed."))
    responses = list(
        OutcomeResponse.objects.select_for_update(of=("self",))
        .filter(round=round_, pk__in=list(answers))
        .order_by("pk")
    )
    if len(responses) != len(answers):
        raise ValidationError(_("Choose answers of this round."))
    ids = [r.pk for r in responses]
    supplier_ids = [r.supplier_id for r in responses]
    anchor_totals = dict(
        AnchorSales.objects.filter(response_id__in=ids)
        .values("response_id")
        .annotate(total=Sum("sales_mdp"))
        .values_list("response_id", "total")
    )
    earlier = dict(
        OutcomeResponse.objects.filter(
            supplier_id__in=supplier_ids,
            round__cohort_id=round_.cohort_id,
            round__period_end__lt=round_.period_start,
            status=OutcomeResponse.Status.SUBMITTED,
            sales_mdp__isnull=False,
        )
        .order_by("supplier_id", "-round__period_end")
        .distinct("supplier_id")
        .values_list("supplier_id", "sales_mdp")
    )
    errors: dict[str, list[str]] = {}
    now = timezone.now()
    by = actor if getattr(actor, "pk", None) else None
    for response in responses:
        data = answers[response.pk]
        try:
            if response.status == OutcomeResponse.Status.SUBMITTED:
                raise ValidationError(_("This questionnaire was already sent."))
            unknown = set(data) - set(EDITABLE)
            if unknown:
                raise ValidationError({f: _("This field cannot be changed here.") for f in sorted(unknown)})
            for name, value in data.items():
                setattr(response, name, value)
            # The check constraints repeat the fields' validators: the database holds them without a query each.
            response.full_clean(
                exclude=["round", "supplier", "submitted_by"], validate_unique=False, validate_constraints=False
            )
            total = anchor_totals.get(response.pk) or Decimal("0")
            _check(response, total, sending=True, before=earlier.get(response.supplier_id))
        except ValidationError as error:
            errors[str(response.pk)] = error.messages
    if errors:
        raise ValidationError(errors)
    fields = [*EDITABLE, "status", "submitted_at", "submitted_by_id", "updated_at", "version"]
    statuses = [r.status for r in responses]
    for response in responses:
        response.status = OutcomeResponse.Status.SUBMITTED
        response.submitted_at = now
        response.submitted_by = by
        response.updated_at = now
        response.version += 1
    copy_update_rows(OutcomeResponse, fields, [(r.pk, *(getattr(r, f) for f in fields)) for r in responses])
    audit.record_many(
        OutcomeResponse,
        [(r.pk, before, r.status, None) for r, before in zip(responses, statuses, strict=True) if before != r.status],
        action="response_" + OutcomeResponse.Status.SUBMITTED,
        actor=actor,
    )
    from .results import responses_record_sources

    responses_record_sources(round_=round_, responses=OutcomeResponse.objects.filter(pk__in=ids))
    _update_many_company_facts(responses, actor=actor, now=now)
    return len(responses)


def _update_many_company_facts(responses: list[OutcomeResponse], *, actor, now) -> None:
    """``_update_company_facts`` for many answers: changed facts written and audited at once, classes recomputed."""
    suppliers = Supplier.objects.only("pk", "version", *OutcomeResponse.FACT_FIELDS).in_bulk(
        [r.supplier_id for r in responses]
    )
    changed, events = {}, []
    for response in responses:
        supplier = suppliers[response.supplier_id]
        changes = _fact_changes(response, supplier)
        if changes:
            supplier.version += 1
            changed[supplier.pk] = supplier
            events.append((supplier.pk, "", "", changes))
    fields = [*OutcomeResponse.FACT_FIELDS, "version", "updated_at"]
    copy_update_rows(
        Supplier,
        fields,
        [(s.pk, *(getattr(s, f) for f in OutcomeResponse.FACT_FIELDS), s.version, now) for s in changed.values()],
    )
    audit.record_many(Supplier, events, action="company_facts_updated", actor=actor)
    company_classes_compute(actor=actor, supplier_ids=list(suppliers))
