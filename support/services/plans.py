"""Development plans: proposed from the diagnostic, accepted and edited by staff, versioned."""

from __future__ import annotations

import datetime

from django.core.exceptions import ValidationError
from django.core.files.base import ContentFile
from django.db import transaction
from django.forms.models import model_to_dict
from django.utils import timezone
from django.utils.crypto import get_random_string
from django.utils.translation import gettext as _

from cohorts.models import Candidate
from core import audit
from core.concurrency import save_versioned
from core.files import save_in_transaction
from programs.models import CertificationStandard
from suppliers.validators import inspect_upload

from ..models import DevelopmentPlan, Evidence, Milestone, PlanItem, PlanVersion
from .common import jsonable, refuse_unknown, require_selected

ITEM_FIELDS = (
    "kind",
    "title",
    "target",
    "dimension_code",
    "area",
    "standard",
    "owner_name",
    "provider",
    "due_date",
    "order",
)
# What the SME may change on its own items: progress only, never the plan's content.
SME_ITEM_FIELDS = ("status", "drop_reason", "owner_name")


def _item_snapshot(item: PlanItem) -> dict:
    data = jsonable(model_to_dict(item, fields=[*ITEM_FIELDS, "status", "drop_reason", "completed_on"]))
    data["id"] = item.pk
    data["milestones"] = {m.step: m.reached_on.isoformat() if m.reached_on else None for m in item.milestones.all()}
    return data


def _check_provider(item: PlanItem) -> None:
    program_id = item.plan.candidate.cohort.program_id
    if item.provider is not None and item.provider.program_id != program_id:
        raise ValidationError({"provider": _("This provider works for another program.")})
    if item.area is not None and item.area.program_id != program_id:
        raise ValidationError({"area": _("This supply area belongs to another program.")})


def _add_milestones(item: PlanItem) -> None:
    if item.kind == PlanItem.Kind.CERTIFICATION and not item.milestones.exists():
        Milestone.objects.bulk_create(
            Milestone(item=item, step=step, order=i) for i, step in enumerate(Milestone.ORDER)
        )


def _new_item(plan: DevelopmentPlan, data: dict) -> PlanItem:
    refuse_unknown(data, ITEM_FIELDS)
    item = PlanItem(plan=plan, **data)
    if item.kind == PlanItem.Kind.CERTIFICATION and item.standard_id is None:
        raise ValidationError({"standard": _("Name the certification this item aims at.")})
    item.full_clean()
    _check_provider(item)
    item.save()
    _add_milestones(item)
    return item


@transaction.atomic
def plan_create(
    *, candidate: Candidate, actor, items: list[dict], diagnostic=None, summary: str = ""
) -> DevelopmentPlan:
    """The SME's plan with the items staff accepted (``selectors.plan_proposals``) or wrote; version 1 is kept."""
    require_selected(candidate)
    if DevelopmentPlan.objects.filter(candidate=candidate).exists():
        raise ValidationError({"candidate": _("This SME already has a development plan.")})
    plan = DevelopmentPlan(candidate=candidate, diagnostic=diagnostic, summary=summary)
    plan.full_clean()
    plan.save()
    for order, data in enumerate(items):
        _new_item(plan, {"order": order, **data})
    audit.record(plan, action="plan_created", actor=actor, changes={"items": len(items)})
    plan_save_version(plan=plan, actor=actor, note=_("First version"))
    return plan


@transaction.atomic
def plan_save_version(*, plan: DevelopmentPlan, actor, note: str = "") -> PlanVersion:
    """Keep a copy of the plan and its items as they are now."""
    items = plan.items.prefetch_related("milestones").order_by("order", "id")
    number = (plan.versions.order_by("-number").values_list("number", flat=True).first() or 0) + 1
    version = PlanVersion(
        plan=plan,
        number=number,
        note=note[:200],
        created_by=actor if getattr(actor, "pk", None) else None,
        snapshot={"summary": plan.summary, "items": [_item_snapshot(i) for i in items]},
    )
    version.full_clean()
    version.save()
    audit.record(plan, action="plan_version_saved", actor=actor, changes={"number": number})
    return version


@transaction.atomic
def plan_item_add(*, plan: DevelopmentPlan, actor, **data) -> PlanItem:
    data.setdefault("order", (plan.items.order_by("-order").values_list("order", flat=True).first() or 0) + 1)
    item = _new_item(plan, data)
    audit.record(item, action="plan_item_added", actor=actor, changes=jsonable(model_to_dict(item, fields=ITEM_FIELDS)))
    return item


@transaction.atomic
def plan_item_update(*, item: PlanItem, actor, expected_version: int | None, **data) -> PlanItem:
    """Staff edit an item's content (not its status: ``plan_item_set_status``)."""
    refuse_unknown(data, ITEM_FIELDS)
    if "kind" in data and data["kind"] != item.kind:
        raise ValidationError({"kind": _("The kind of an item cannot change; add a new item instead.")})
    before = jsonable(model_to_dict(item, fields=list(data)))
    for name, value in data.items():
        setattr(item, name, value)
    item.full_clean()
    _check_provider(item)
    save_versioned(item, expected_version=expected_version, fields=list(data))
    after = jsonable(model_to_dict(item, fields=list(data)))
    audit.record(
        item,
        action="plan_item_updated",
        actor=actor,
        changes={name: [before[name], after[name]] for name in data},
    )
    return item


@transaction.atomic
def plan_item_set_status(
    *, item: PlanItem, actor, status: str, expected_version: int | None, reason: str = "", today=None
) -> PlanItem:
    """planned -> in progress -> done | dropped (with a reason); the SME may do this on its own items."""
    current = item.status
    allowed: set = PlanItem.TRANSITIONS.get(PlanItem.Status(current), set())
    if status not in allowed:
        raise ValidationError(
            {
                "status": _("An item that is “%(from)s” cannot become “%(to)s”.")
                % {
                    "from": item.get_status_display(),
                    "to": PlanItem.Status(status).label if status in PlanItem.Status.values else status,
                }
            }
        )
    if status == PlanItem.Status.DROPPED and not reason.strip():
        raise ValidationError({"drop_reason": _("Say why the item is dropped.")})
    item.status = status
    item.drop_reason = reason.strip() if status == PlanItem.Status.DROPPED else ""
    item.completed_on = (today or timezone.localdate()) if status == PlanItem.Status.DONE else None
    item.full_clean()
    save_versioned(item, expected_version=expected_version, fields=["status", "drop_reason", "completed_on"])
    audit.record(item, action="transition", actor=actor, from_state=current, to_state=status, reason=item.drop_reason)
    return item


@transaction.atomic
def evidence_add(*, item: PlanItem, actor, note: str = "", file=None) -> Evidence:
    """A note and/or a file (PDF, PNG or JPEG, checked by its content) showing progress on the item. The file is
    stored under a random name outside the static files and served only by the permission-checked view."""
    evidence = Evidence(item=item, note=note.strip(), added_by=actor if getattr(actor, "pk", None) else None)
    if not evidence.note and file is None:
        raise ValidationError({"note": _("Write a note or attach a file.")})
    changes: dict = {}
    if file is not None:
        try:
            check = inspect_upload(file)
        except ValidationError as exc:
            raise ValidationError({"file": exc.messages}) from exc
        save_in_transaction(evidence.file, f"{get_random_string(20)}.{check.extension}", ContentFile(file.read()))
        changes = {"sha256": check.sha256, "content_type": check.content_type, "size_bytes": check.size_bytes}
    evidence.full_clean()
    evidence.save()
    audit.record(item, action="evidence_added", actor=actor, changes={"evidence": evidence.pk, **changes})
    return evidence


@transaction.atomic
def milestone_reach(*, milestone: Milestone, actor, reached_on: datetime.date | None) -> Milestone:
    """Record the date a certification step was reached (None clears it)."""
    if reached_on is not None and reached_on > timezone.localdate():
        raise ValidationError({"reached_on": _("A step cannot be reached in the future.")})
    milestone.reached_on = reached_on
    milestone.full_clean()
    milestone.save(update_fields=["reached_on"])
    audit.record(
        milestone.item,
        action="milestone_reached" if reached_on else "milestone_cleared",
        actor=actor,
        changes={"step": milestone.step, "reached_on": reached_on.isoformat() if reached_on else None},
    )
    return milestone


def certification_item(*, standard: CertificationStandard, area=None, due_date=None) -> dict:
    """The data of a certification item aiming at ``standard``."""
    return {
        "kind": PlanItem.Kind.CERTIFICATION,
        "title": _("Certification: %(standard)s") % {"standard": standard.name},
        "standard": standard,
        "area": area,
        "due_date": due_date,
    }


@transaction.atomic
def plan_update(*, plan: DevelopmentPlan, actor, expected_version: int | None, summary: str) -> DevelopmentPlan:
    before = plan.summary
    plan.summary = summary
    plan.full_clean()
    save_versioned(plan, expected_version=expected_version, fields=["summary"])
    audit.record(plan, action="plan_updated", actor=actor, changes={"summary": [before, summary]})
    return plan
