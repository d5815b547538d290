"""Helpers shared by the services of the sourcing app."""

from __future__ import annotations

from django.core.exceptions import ValidationError
from django.core.files.base import ContentFile
from django.utils.crypto import get_random_string
from django.utils.translation import gettext as _

from core.files import save_in_transaction
from core.text import strip_control_characters
from suppliers.validators import inspect_upload

from ..permissions import acts_for_anchor, acts_for_supplier


def refuse_unknown(data: dict, allowed) -> None:
    unknown = set(data) - set(allowed)
    if unknown:
        raise ValidationError(_("Unknown fields: %(f)s.") % {"f": ", ".join(sorted(unknown))})


def require_anchor_side(actor, anchor_id: int) -> None:
    if not acts_for_anchor(actor, anchor_id):
        raise ValidationError(_("Only this anchor's users or program staff can do this."), code="forbidden")


def require_sme_side(actor, supplier_id: int) -> None:
    if not acts_for_supplier(actor, supplier_id):
        raise ValidationError(_("Only the invited SME can do this."), code="forbidden")


def store_upload(row, uploaded, *, field: str = "file", error_field: str = "file") -> None:
    """Check an upload's real type and size (PDF, PNG or JPEG) and attach it to ``row`` under a random name."""
    try:
        check = inspect_upload(uploaded)
    except ValidationError as exc:
        raise ValidationError({error_field: exc.messages}) from exc
    row.original_name = (strip_control_characters(uploaded.name or "", keep=frozenset()) or "document")[:255]
    row.content_type = check.content_type
    row.size_bytes = check.size_bytes
    uploaded.seek(0)
    save_in_transaction(getattr(row, field), f"{get_random_string(20)}.{check.extension}", ContentFile(uploaded.read()))
