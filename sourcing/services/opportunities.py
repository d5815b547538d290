"""Opportunities: posted by an anchor's users (or staff on its behalf), edited, closed, moderated; files."""

from __future__ import annotations

from django.core.exceptions import ValidationError
from django.db import transaction
from django.forms.models import model_to_dict
from django.utils import timezone
from django.utils.translation import gettext as _

from core import audit, roles
from core.concurrency import save_versioned
from core.queued import enqueue_on_commit
from programs.models import AnchorCompany

from ..models import Attachment, AttachmentDownload, Match, Opportunity
from .common import refuse_unknown, require_anchor_side, store_upload

FIELDS = (
    "title",
    "description",
    "part_family",
    "process",
    "annual_volume",
    "annual_value",
    "currency",
    "minimum_maturity_level",
    "delivery_state",
    "delivery_plant",
    "start_date",
    "response_deadline",
    "visibility",
)


def _check(opportunity: Opportunity, areas, certifications) -> None:
    errors: dict[str, str] = {}
    if opportunity.response_deadline and opportunity.response_deadline < timezone.localdate():
        errors["response_deadline"] = _("The response deadline cannot be in the past.")
    if (
        opportunity.start_date
        and opportunity.response_deadline
        and opportunity.start_date < opportunity.response_deadline
    ):
        errors["start_date"] = _("Supply cannot start before the response deadline.")
    areas = list(areas)
    if not areas:
        errors["areas"] = _("Choose at least one supply area.")
    elif any(area.program_id != opportunity.anchor.program_id for area in areas):
        errors["areas"] = _("These supply areas belong to another program.")
    if errors:
        raise ValidationError(errors)


def _rank_later(opportunity: Opportunity) -> None:
    from ..tasks import rank_opportunity

    enqueue_on_commit(rank_opportunity, opportunity.pk)


def _snapshot(opportunity: Opportunity) -> dict:
    data = model_to_dict(opportunity, fields=FIELDS)
    return {k: (v if isinstance(v, int | str | bool) or v is None else str(v)) for k, v in data.items()}


@transaction.atomic
def opportunity_post(*, anchor: AnchorCompany, actor, data: dict, areas, required_certifications=()) -> Opportunity:
    """A new open opportunity of ``anchor``; its SMEs are ranked once it is saved."""
    require_anchor_side(actor, anchor.pk)
    refuse_unknown(data, FIELDS)
    opportunity = Opportunity(anchor=anchor, posted_by=actor if getattr(actor, "pk", None) else None, **data)
    opportunity.full_clean()
    _check(opportunity, areas, required_certifications)
    opportunity.save()
    opportunity.areas.set(areas)
    opportunity.required_certifications.set(required_certifications)
    audit.record(
        opportunity,
        action="opportunity_posted",
        actor=actor,
        changes={**_snapshot(opportunity), "on_behalf": roles.is_program_staff(actor)},
    )
    _rank_later(opportunity)
    return opportunity


@transaction.atomic
def opportunity_update(
    *,
    opportunity: Opportunity,
    actor,
    data: dict,
    areas=None,
    required_certifications=None,
    expected_version: int | None = None,
) -> Opportunity:
    """Change an opportunity (its anchor or staff); ranked again. Optimistic locking by ``expected_version``."""
    require_anchor_side(actor, opportunity.anchor_id)
    refuse_unknown(data, FIELDS)
    if opportunity.status == Opportunity.Status.WITHDRAWN and not roles.is_program_staff(actor):
        raise ValidationError(_("The program withdrew this opportunity; it cannot be changed."))
    before = _snapshot(opportunity)
    for name, value in data.items():
        setattr(opportunity, name, value)
    opportunity.full_clean()
    _check(
        opportunity,
        areas if areas is not None else opportunity.areas.all(),
        required_certifications if required_certifications is not None else (),
    )
    save_versioned(opportunity, expected_version=expected_version, fields=[f for f in FIELDS if f in data] or ["title"])
    if areas is not None:
        opportunity.areas.set(areas)
    if required_certifications is not None:
        opportunity.required_certifications.set(required_certifications)
    after = _snapshot(opportunity)
    audit.record(
        opportunity,
        action="opportunity_changed",
        actor=actor,
        changes={k: [before[k], after[k]] for k in after if before[k] != after[k]},
    )
    _rank_later(opportunity)
    return opportunity


@transaction.atomic
def opportunity_set_status(*, opportunity: Opportunity, actor, to: str, reason: str = "") -> Opportunity:
    """Close or reopen (the anchor or staff); withdraw or restore (staff only, moderation, with a reason)."""
    require_anchor_side(actor, opportunity.anchor_id)
    opportunity = Opportunity.objects.select_for_update().get(pk=opportunity.pk)
    reason = (reason or "").strip()
    staff = roles.is_program_staff(actor)
    if (to == Opportunity.Status.WITHDRAWN or opportunity.status == Opportunity.Status.WITHDRAWN) and not staff:
        raise ValidationError(_("Only program staff can withdraw or restore an opportunity."))
    if to == Opportunity.Status.WITHDRAWN:
        if not reason:
            raise ValidationError({"moderation_note": _("Say why the opportunity is withdrawn.")})
        opportunity.moderation_note = reason
    audit.transition(
        opportunity,
        to=to,
        allowed=Opportunity.TRANSITIONS,
        actor=actor,
        reason=reason,
        extra_fields=("moderation_note",),
    )
    if to == Opportunity.Status.OPEN:
        _rank_later(opportunity)
    return opportunity


@transaction.atomic
def match_shortlist(*, match: Match, actor, shortlisted: bool) -> Match:
    """Put a ranked SME on the anchor's shortlist, or take it off."""
    require_anchor_side(actor, match.opportunity.anchor_id)
    if match.shortlisted != shortlisted:
        Match.objects.filter(pk=match.pk).update(shortlisted=shortlisted)
        match.shortlisted = shortlisted
        audit.record(
            match.opportunity,
            action="match_shortlisted" if shortlisted else "match_unshortlisted",
            actor=actor,
            changes={"supplier": match.supplier_id},
        )
    return match


@transaction.atomic
def attachment_add(*, opportunity: Opportunity, actor, uploaded, is_confidential: bool = True) -> Attachment:
    """A file of the opportunity (PDF, PNG or JPEG by its content); drawings are confidential."""
    require_anchor_side(actor, opportunity.anchor_id)
    attachment = Attachment(
        opportunity=opportunity,
        is_confidential=is_confidential,
        uploaded_by=actor if getattr(actor, "pk", None) else None,
    )
    store_upload(attachment, uploaded)
    attachment.full_clean()
    attachment.save()
    audit.record(
        opportunity,
        action="attachment_added",
        actor=actor,
        changes={"attachment": attachment.pk, "name": attachment.original_name, "confidential": is_confidential},
    )
    return attachment


@transaction.atomic
def attachment_download_log(*, attachment: Attachment, actor, supplier=None) -> AttachmentDownload:
    """Log one download (the caller checked ``selectors.may_download``)."""
    return AttachmentDownload.objects.create(
        attachment=attachment, user=actor if getattr(actor, "pk", None) else None, supplier=supplier
    )
