"""Invitations and their track: invited -> interested | declined -> quoted -> ppap -> purchase_order ->
supplying | lost. The SME takes its steps (interest, decline, response); the anchor records the others."""

from __future__ import annotations

from decimal import Decimal

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from core import audit, roles
from core.concurrency import save_versioned
from core.notifications import notify
from programs.models import AnchorReviewer
from suppliers.models import Contact, Supplier

from ..models import Invitation, Opportunity, Response, ResponseDocument
from .common import require_anchor_side, require_sme_side, store_upload

S = Invitation.Status


def sme_recipients(supplier_id: int) -> list[Contact]:
    """The SME's people who hear about its invitations: its contacts with an account, else its primary one."""
    contacts = list(Contact.objects.filter(supplier_id=supplier_id).exclude(email="").order_by("-is_primary", "pk"))
    with_account = [c for c in contacts if c.user_id]
    return with_account or [c for c in contacts if c.is_primary][:1]


def anchor_recipients(anchor_id: int) -> list[AnchorReviewer]:
    return list(
        AnchorReviewer.objects.filter(anchor_id=anchor_id, is_active=True, user__is_active=True)
        .exclude(user__email="")
        .select_related("user")
    )


@transaction.atomic
def invitation_create(*, opportunity: Opportunity, supplier: Supplier, actor) -> Invitation:
    """Invite an SME of the anchor's program to an open opportunity (the anchor's users or staff)."""
    require_anchor_side(actor, opportunity.anchor_id)
    opportunity = Opportunity.objects.select_related("anchor").get(pk=opportunity.pk)
    if opportunity.status != Opportunity.Status.OPEN:
        raise ValidationError(_("Only an open opportunity takes invitations."))
    if opportunity.response_deadline < timezone.localdate():
        raise ValidationError(_("The response deadline has passed."))
    if supplier.program_id != opportunity.anchor.program_id:
        raise ValidationError({"supplier": _("This SME belongs to another program.")})
    if supplier.status != Supplier.Status.VERIFIED or supplier.personal_data_erased_at is not None:
        raise ValidationError({"supplier": _("Only verified SMEs of the program can be invited.")})
    if Invitation.objects.filter(opportunity=opportunity, supplier=supplier).exists():
        raise ValidationError({"supplier": _("This SME is already invited.")})
    invitation = Invitation(
        opportunity=opportunity,
        supplier=supplier,
        invited_by=actor if getattr(actor, "pk", None) else None,
        reached={S.INVITED: timezone.localdate().isoformat()},
    )
    invitation.full_clean()
    invitation.save()
    audit.record(invitation, action="invitation_created", actor=actor, to_state=S.INVITED)
    for contact in sme_recipients(supplier.pk):
        notify(
            template="sourcing_invited",
            recipient=contact.email,
            language=contact.language,
            context={
                "anchor": opportunity.anchor.name,
                "title": opportunity.title,
                "deadline": opportunity.response_deadline.isoformat(),
                "path": f"/mi-cuenta/oportunidades/{opportunity.pk}/",
            },
            dedupe_key=f"sourcing_invited:{invitation.pk}:{contact.pk}",
        )
    return invitation


@transaction.atomic
def invitation_accept_terms(*, invitation: Invitation, actor) -> Invitation:
    """The SME accepts the confidentiality terms: from then on it downloads the confidential drawings."""
    require_sme_side(actor, invitation.supplier_id)
    invitation = Invitation.objects.select_for_update().get(pk=invitation.pk)
    if invitation.terms_accepted_at is None:
        invitation.terms_accepted_at = timezone.now()
        invitation.terms_accepted_by = actor
        invitation.save(update_fields=["terms_accepted_at", "terms_accepted_by", "updated_at"])
        audit.record(invitation, action="confidentiality_accepted", actor=actor)
    return invitation


def _may_take(actor, invitation: Invitation, to: str) -> bool:
    if roles.is_program_staff(actor):
        return True
    if to in Invitation.SME_STEPS:
        return (
            to != S.QUOTED
            and roles.supplier_of(actor) is not None
            and roles.supplier_of(actor).pk == invitation.supplier_id
        )
    anchor = roles.anchor_of(actor)
    return anchor is not None and anchor.pk == invitation.opportunity.anchor_id


@transaction.atomic
def invitation_advance(
    *,
    invitation: Invitation,
    to: str,
    actor,
    reason: str = "",
    purchase_order_value_mxn: Decimal | None = None,
    purchase_order_date=None,
    expected_version: int | None = None,
) -> Invitation:
    """One step of the track. Declining and losing need a reason; a purchase order needs its value (MXN, not
    negative) and date. The SME marks interest or declines; the anchor records PPAP, purchase order,
    supplying and lost; a quote comes only with a response (``response_submit``)."""
    invitation = Invitation.objects.select_for_update().select_related("opportunity").get(pk=invitation.pk)
    if expected_version is not None and invitation.version != expected_version:
        from core.concurrency import StaleObjectError

        raise StaleObjectError(invitation, invitation.version)
    if not _may_take(actor, invitation, to):
        raise ValidationError(_("You cannot record this step."), code="forbidden")
    if to == S.QUOTED and not Response.objects.filter(invitation=invitation).exists():
        raise ValidationError(_("A quote is recorded with the SME's response."))
    reason = (reason or "").strip()
    if to in (S.DECLINED, S.LOST) and not reason:
        raise ValidationError({"reason": _("Say why.")})
    fields = ["reached"]
    if to in (S.DECLINED, S.LOST):
        invitation.reason = reason
        fields.append("reason")
    if to == S.PURCHASE_ORDER:
        errors = {}
        if purchase_order_value_mxn is None:
            errors["purchase_order_value_mxn"] = _("Write the value of the purchase order in pesos.")
        elif Decimal(purchase_order_value_mxn) < 0:
            errors["purchase_order_value_mxn"] = _("The value cannot be negative.")
        if purchase_order_date is None:
            errors["purchase_order_date"] = _("Write the date of the purchase order.")
        if errors:
            raise ValidationError(errors)
        invitation.purchase_order_value_mxn = Decimal(purchase_order_value_mxn)
        invitation.purchase_order_date = purchase_order_date
        fields += ["purchase_order_value_mxn", "purchase_order_date"]
    invitation.reached = {**invitation.reached, to: timezone.localdate().isoformat()}
    invitation.full_clean(exclude=["opportunity", "supplier"])
    audit.transition(
        invitation, to=to, allowed=Invitation.TRANSITIONS, actor=actor, reason=reason, extra_fields=tuple(fields)
    )
    save_versioned(invitation, expected_version=None, fields=[])
    return invitation


@transaction.atomic
def response_submit(
    *,
    invitation: Invitation,
    actor,
    summary: str,
    quoted_value: Decimal | None = None,
    currency: str = "MXN",
    lead_time_weeks: int | None = None,
    documents=(),
) -> Response:
    """The SME's quote (a summary and documents): the invitation moves to ``quoted`` and the anchor's users
    are told, each in its language. Program staff may send it on the SME's behalf (a quote it sent them)."""
    if not roles.is_program_staff(actor):
        require_sme_side(actor, invitation.supplier_id)
    invitation = Invitation.objects.select_for_update().select_related("opportunity__anchor").get(pk=invitation.pk)
    if invitation.status == S.INVITED:
        audit.transition(invitation, to=S.INTERESTED, allowed=Invitation.TRANSITIONS, actor=actor)
    if invitation.status != S.INTERESTED:
        raise ValidationError(_("This invitation no longer takes a response."))
    if invitation.opportunity.response_deadline < timezone.localdate():
        raise ValidationError(_("The response deadline has passed."))
    response = Response(
        invitation=invitation,
        summary=(summary or "").strip(),
        quoted_value=quoted_value,
        currency=currency,
        lead_time_weeks=lead_time_weeks,
        submitted_by=actor,
    )
    response.full_clean()
    response.save()
    for uploaded in documents:
        document = ResponseDocument(response=response)
        store_upload(document, uploaded, error_field="documents")
        document.full_clean()
        document.save()
    invitation.reached = {
        **invitation.reached,
        S.INTERESTED: invitation.reached.get(S.INTERESTED) or timezone.localdate().isoformat(),
        S.QUOTED: timezone.localdate().isoformat(),
    }
    audit.transition(invitation, to=S.QUOTED, allowed=Invitation.TRANSITIONS, actor=actor, extra_fields=("reached",))
    save_versioned(invitation, expected_version=None, fields=[])
    opportunity = invitation.opportunity
    for link in anchor_recipients(opportunity.anchor_id):
        notify(
            template="sourcing_response_received",
            recipient=link.user.email,
            language=link.language,
            context={
                "supplier": invitation.supplier.trade_name or invitation.supplier.legal_name,
                "title": opportunity.title,
                "path": f"/anclas/oportunidades/{opportunity.pk}/",
            },
            dedupe_key=f"sourcing_response_received:{response.pk}:{link.pk}",
        )
    return response


@transaction.atomic
def opportunity_express_interest(*, opportunity: Opportunity, supplier: Supplier, actor) -> Invitation:
    """An eligible SME says it is interested in an open opportunity it was not invited to: its invitation
    starts at ``interested`` (no one invited it) and the anchor sees it with the others."""
    from ..selectors import sme_opportunities

    require_sme_side(actor, supplier.pk)
    if (
        opportunity.visibility != Opportunity.Visibility.OPEN
        or not sme_opportunities(supplier).filter(pk=opportunity.pk).exists()
    ):
        raise ValidationError(_("This opportunity is not open to your company."))
    if Invitation.objects.filter(opportunity=opportunity, supplier=supplier).exists():
        raise ValidationError(_("Your company is already taking part in this opportunity."))
    today = timezone.localdate().isoformat()
    invitation = Invitation(opportunity=opportunity, supplier=supplier, reached={S.INVITED: today})
    invitation.full_clean()
    invitation.save()
    audit.record(invitation, action="interest_expressed", actor=actor, to_state=S.INVITED)
    invitation.reached = {**invitation.reached, S.INTERESTED: today}
    audit.transition(
        invitation, to=S.INTERESTED, allowed=Invitation.TRANSITIONS, actor=actor, extra_fields=("reached",)
    )
    return invitation
