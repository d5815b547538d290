"""Optimistic locking: a write names the version it read; a stale write is refused, nothing is lost.

Models that can be edited concurrently (diagnostics, candidates, cohorts,
suppliers) carry an integer ``version``. A service that changes such an object
calls ``save_versioned(obj, expected_version=..., fields=[...])``: the UPDATE
only matches while the row still has that version, and bumps it. Otherwise
``StaleObjectError`` is raised, which the API turns into HTTP 409 and forms
into an error asking the user to reload.
"""

from collections.abc import Iterable
from typing import Any

from django.db import models
from django.db.models import F
from django.utils.translation import gettext_lazy as _


class StaleObjectError(Exception):
    """Somebody else saved the object after it was read."""

    message = _("Someone else changed this record after you opened it. Reload it to see their changes.")

    def __init__(self, obj: models.Model | None = None, current_version: int | None = None):
        self.obj = obj
        self.current_version = current_version
        super().__init__(str(self.message))


def save_versioned(obj: Any, *, expected_version: int | None, fields: Iterable[str]) -> Any:
    """Write ``fields`` of ``obj`` if its row still has ``expected_version``; bump the version.

    ``expected_version=None`` means the caller holds the current row (e.g. it
    just locked it with select_for_update) and skips the check.
    """
    fields = [f for f in fields if f != "version"]
    model = type(obj)
    concrete = {f.name: f for f in model._meta.concrete_fields}
    if "updated_at" in concrete:
        obj.updated_at = concrete["updated_at"].pre_save(obj, add=False)
        fields = [*dict.fromkeys([*fields, "updated_at"])]
    values = {name: getattr(obj, concrete[name].attname) for name in fields}
    queryset = model._default_manager.filter(pk=obj.pk)
    if expected_version is not None:
        queryset = queryset.filter(version=expected_version)
    updated = queryset.update(version=F("version") + 1, **values)
    if not updated:
        current = model._default_manager.filter(pk=obj.pk).values_list("version", flat=True).first()
        raise StaleObjectError(obj, current)
    obj.version = model._default_manager.filter(pk=obj.pk).values_list("version", flat=True).get()
    return obj
