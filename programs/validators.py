"""A partner's logo: a PNG or JPEG image of a bounded size, recognised by its bytes (never its name).

Logos are shown on public pages, so only raster images are accepted: an SVG can carry script, and is
refused like any other type. ``programs.views.partner_logo`` checks the bytes again before serving one.
"""

import filetype
from django.conf import settings
from django.core.exceptions import ValidationError
from django.template.defaultfilters import filesizeformat
from django.utils.translation import gettext as _

LOGO_TYPES = {"image/png": {"png"}, "image/jpeg": {"jpg", "jpeg", "jpe"}}


def logo_content_type(head: bytes) -> str | None:
    """``image/png`` or ``image/jpeg`` when ``head`` (a file's first bytes) is one, else None."""
    kind = filetype.guess(head)
    return kind.mime if kind is not None and kind.mime in LOGO_TYPES else None


def validate_logo(file) -> None:
    limit = settings.SDP_MAX_LOGO_BYTES
    if file.size > limit:
        raise ValidationError(
            _("The logo is too large (%(size)s). The limit is %(limit)s.")
            % {"size": filesizeformat(file.size), "limit": filesizeformat(limit)},
            code="logo_too_large",
        )
    file.seek(0)
    content_type = logo_content_type(file.read(512))
    file.seek(0)
    if content_type is None:
        raise ValidationError(
            _("The logo must be a PNG or JPEG image; this file's content is not one of them."), code="logo_type"
        )
    name = getattr(file, "name", "") or ""
    extension = name.rsplit(".", 1)[-1].lower() if "." in name else ""
    if extension and extension not in LOGO_TYPES[content_type]:
        raise ValidationError(
            _("The file's content does not match its name (%(name)s). Upload the original image.") % {"name": name},
            code="logo_type_mismatch",
        )
