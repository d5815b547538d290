"""Helpers shared by the services of the support app."""

from __future__ import annotations

from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _

from cohorts.models import Candidate


def jsonable(data: dict) -> dict:
    return {k: (str(v) if v is not None and not isinstance(v, int | str | bool | list) else v) for k, v in data.items()}


def refuse_unknown(data: dict, allowed) -> None:
    unknown = set(data) - set(allowed)
    if unknown:
        raise ValidationError(_("Unknown fields: %(f)s.") % {"f": ", ".join(sorted(unknown))})


def require_selected(candidate: Candidate) -> None:
    if candidate.status != Candidate.Status.SELECTED:
        raise ValidationError({"candidate": _("Only selected SMEs receive support.")})
