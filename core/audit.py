"""Audit trail and explicit state machines.

Every lifecycle (supplier registration, diagnostic, cohort, candidate) is a
``{from_state: {allowed to_states}}`` table; ``transition`` is the one place
that checks it, changes the state and writes the AuditEvent row.
"""

import json
from collections.abc import Collection, Iterable, Mapping
from typing import Any

from django.apps import apps
from django.contrib.contenttypes.models import ContentType
from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import Case, CharField, OuterRef, Q, Subquery, When
from django.db.models.functions import Cast
from django.db.models.lookups import Exact, IsNull
from django.utils import timezone
from django.utils.translation import gettext as _

from . import registry
from .bulk import copy_insert_rows
from .models import AuditEvent


def record(
    obj: models.Model,
    *,
    action: str,
    actor=None,
    from_state: str = "",
    to_state: str = "",
    reason: str = "",
    changes: Mapping | None = None,
) -> AuditEvent:
    return AuditEvent.objects.create(
        content_type=ContentType.objects.get_for_model(obj, for_concrete_model=True),
        object_id=str(obj.pk),
        action=action,
        from_state=from_state,
        to_state=to_state,
        reason=reason,
        changes=dict(changes or {}),
        actor=actor if getattr(actor, "pk", None) else None,
    )


def record_many(
    model: type[models.Model],
    rows: Iterable[tuple[Any, str, str, Mapping | None]],
    *,
    action: str,
    actor=None,
) -> int:
    """``record`` for many objects of ``model`` at once, by ``COPY``: ``rows`` are ``(pk, from_state, to_state,
    changes)``, each written as ``record`` writes it (in the order given). Returns how many."""
    content_type_id = ContentType.objects.get_for_model(model, for_concrete_model=True).pk
    actor_id = actor.pk if getattr(actor, "pk", None) else None
    now = timezone.now()
    return copy_insert_rows(
        AuditEvent,
        [
            "content_type_id",
            "object_id",
            "action",
            "from_state",
            "to_state",
            "changes",
            "reason",
            "actor_id",
            "created_at",
        ],
        [
            (content_type_id, str(pk), action, before, after, json.dumps(dict(changes or {})), "", actor_id, now)
            for pk, before, after, changes in rows
        ],
    )


def transition(
    obj: models.Model,
    *,
    to: str,
    # Keys are Any: Mapping is invariant in its key, and callers pass {TextChoices: set[TextChoices]}.
    allowed: Mapping[Any, Collection[str]],
    actor=None,
    reason: str = "",
    field: str = "status",
    extra_fields: tuple[str, ...] = (),
) -> AuditEvent:
    """Move ``obj.<field>`` to ``to`` if the state machine allows it, save and log it."""
    current = getattr(obj, field)
    if to not in allowed.get(current, ()):
        raise ValidationError(
            {field: _("Cannot change from “%(from)s” to “%(to)s”.") % {"from": current, "to": to}},
            code="invalid_transition",
        )
    setattr(obj, field, to)
    update_fields = [field, *extra_fields]
    if any(f.name == "updated_at" for f in obj._meta.concrete_fields):
        update_fields.append("updated_at")
    obj.save(update_fields=update_fields)
    return record(obj, action="transition", actor=actor, from_state=current, to_state=to, reason=reason)


def history(obj: models.Model):
    return AuditEvent.objects.filter(
        content_type=ContentType.objects.get_for_model(obj, for_concrete_model=True), object_id=str(obj.pk)
    ).select_related("actor")


ERASED_VALUE = "[erased]"


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


def scrub_history(model: type[models.Model], object_ids, fields: tuple[str, ...]) -> int:
    """Replace the values of ``fields`` kept in the audit events of ``model`` objects ``object_ids`` by
    ``ERASED_VALUE`` (personal data cancelled at the data subject's request). Returns the events changed."""
    events = AuditEvent.objects.filter(
        content_type=ContentType.objects.get_for_model(model), object_id__in=[str(pk) for pk in object_ids]
    )
    changed = []
    for event in events.only("pk", "changes"):
        event.changes, touched = _scrub(event.changes, fields)
        if touched:
            changed.append(event)
    AuditEvent.objects.bulk_update(changed, ["changes"])
    return len(changed)


def visible_to(user, queryset=None):
    """The audit events ``user`` may read: those of the records of the programs it sees (all for a
    superuser). An event of a model that belongs to no program (accounts, tokens) is a superuser's.

    Each event's record is looked up by its key, one index probe an event, among the records of those programs (a
    scalar subquery: an ``IN`` over every record of the program would be planned as one hash of 100,000 ids,
    built for every page and count)."""
    queryset = AuditEvent.objects.all() if queryset is None else queryset
    if getattr(user, "is_superuser", False) and user.is_active:
        return queryset
    scope = registry.program_scope.function
    visible = Q(pk__in=[])
    for label in registry.audited_models():
        model = apps.get_model(label)
        content_type = ContentType.objects.get_for_model(model)
        # The event's object id read as the record's key only for an event of this model (another model's ids need
        # not be numbers).
        key = Case(
            When(Exact(OuterRef("content_type_id"), content_type.pk), then=Cast(OuterRef("object_id"), _key(model))),
            default=None,
        )
        found = scope(model._default_manager.filter(pk=key), user).order_by().values("pk")[:1]
        visible |= Q(content_type=content_type) & Q(IsNull(Subquery(found), False))
    return queryset.filter(visible)


def _key(model) -> models.Field:
    """The type the object ids of ``model``'s events are read as: its key's (integers, unless it says otherwise)."""
    if isinstance(model._meta.pk, models.AutoField | models.BigAutoField | models.IntegerField):
        return models.BigIntegerField()
    return CharField()
