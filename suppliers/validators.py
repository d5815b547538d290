"""Field validation for the registration flow: RFC, SCIAN code, company size and uploads.

Every function raises ``django.core.exceptions.ValidationError`` with a message
the registrant can act on; forms show it next to the field.
"""

import hashlib
from dataclasses import dataclass
from decimal import Decimal

import filetype
from django.conf import settings
from django.core.exceptions import ValidationError
from django.template.defaultfilters import filesizeformat
from django.utils.translation import gettext as _

from .rfc import RfcCheck, check_rfc
from .stratification import Size, sector_for_scian, stratify

# Content types accepted for documents, detected from the file's bytes (never its name).
ALLOWED_UPLOAD_TYPES = {
    "application/pdf": "pdf",
    "image/png": "png",
    "image/jpeg": "jpg",
}
# File-name extensions that may carry each type; a name that claims another type is refused.
EXTENSIONS = {"application/pdf": {"pdf"}, "image/png": {"png"}, "image/jpeg": {"jpg", "jpeg", "jpe"}}


def validate_rfc(value: str) -> RfcCheck:
    """A well-formed RFC (check digit failures pass: they are a warning for staff)."""
    try:
        return check_rfc(value)
    except ValueError as exc:
        if str(exc) == "generic":
            raise ValidationError(
                _(
                    "XAXX010101000 (general public) and XEXX010101000 (foreign customers) are generic RFCs of the "
                    "SAT, not a company's RFC. Write the RFC on your Constancia de Situación Fiscal."
                ),
                code="rfc_generic",
            ) from exc
        if str(exc) == "length":
            raise ValidationError(
                _(
                    "The RFC has 12 characters for a legal entity (persona moral) or 13 for an individual "
                    "(persona física)."
                ),
                code="rfc_length",
            ) from exc
        raise ValidationError(
            _("This RFC is not valid. Write it as on your Constancia de Situación Fiscal, e.g. MAB9307148T4."),
            code="rfc_format",
        ) from exc


def validate_scian(value: str) -> str:
    value = (value or "").strip()
    if len(value) != 6 or not value.isdigit():
        raise ValidationError(_("Write the six-digit SCIAN code of your main activity, e.g. 336390."), code="scian")
    try:
        sector_for_scian(value)
    except ValueError as exc:
        raise ValidationError(
            _(
                "This code is not in a SCIAN sector of industry (21-23, 31-33), commerce (43, 46) or services "
                "(48-93). Check the code of your main activity."
            ),
            code="scian_sector",
        ) from exc
    return value


@dataclass(frozen=True)
class SizeCheck:
    sector: str
    size: str
    employee_range: str


def validate_sme_size(*, scian_code: str, employees: int, annual_sales_mdp: Decimal) -> SizeCheck:
    """The DOF 2009 size of the company and its employee range flag; a large company is not eligible."""
    sector = sector_for_scian(validate_scian(scian_code))
    try:
        stratum = stratify(sector, employees, Decimal(annual_sales_mdp))
    except ValueError as exc:
        raise ValidationError(_("Employees and sales cannot be negative."), code="negative") from exc
    if stratum.size == Size.LARGE:
        raise ValidationError(
            _(
                "With %(employees)s employees and annual sales of %(sales)s million pesos your company is large "
                "under the Secretaría de Economía stratification (DOF 30 June 2009). The program is only for "
                "micro, small and medium companies, so it cannot register."
            )
            % {"employees": employees, "sales": annual_sales_mdp},
            code="not_sme",
        )
    return SizeCheck(sector=sector.value, size=stratum.size.value, employee_range=stratum.employee_range.value)


@dataclass(frozen=True)
class UploadCheck:
    content_type: str
    extension: str
    size_bytes: int
    sha256: str


def inspect_upload(uploaded) -> UploadCheck:
    """Check an uploaded file's size and real type (from its content): PDF, PNG or JPEG only.

    The type is detected from the bytes with ``filetype``; when the name has an
    extension it must agree with the content (a PNG named ``.pdf`` is refused).
    """
    limit = settings.SDP_MAX_UPLOAD_BYTES
    if uploaded.size > limit:
        raise ValidationError(
            _("The file is too large (%(size)s). The limit is %(limit)s.")
            % {"size": filesizeformat(uploaded.size), "limit": filesizeformat(limit)},
            code="file_too_large",
        )
    if uploaded.size == 0:
        raise ValidationError(_("The file is empty."), code="file_empty")
    uploaded.seek(0)
    head = uploaded.read(8192)
    kind = filetype.guess(head)
    if kind is None or kind.mime not in ALLOWED_UPLOAD_TYPES:
        raise ValidationError(
            _("Only PDF, PNG or JPEG files are accepted; this file's content is not one of them."),
            code="file_type",
        )
    name = getattr(uploaded, "name", "") or ""
    extension = name.rsplit(".", 1)[-1].lower() if "." in name else ""
    if extension and extension not in EXTENSIONS[kind.mime]:
        raise ValidationError(
            _("The file's content (%(kind)s) does not match its name (%(name)s). Upload the original file.")
            % {"kind": ALLOWED_UPLOAD_TYPES[kind.mime].upper(), "name": name},
            code="file_type_mismatch",
        )
    digest = hashlib.sha256(head)
    for chunk in iter(lambda: uploaded.read(65536), b""):
        digest.update(chunk)
    uploaded.seek(0)
    return UploadCheck(
        content_type=kind.mime,
        extension=ALLOWED_UPLOAD_TYPES[kind.mime],
        size_bytes=uploaded.size,
        sha256=digest.hexdigest(),
    )
