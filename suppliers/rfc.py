"""RFC (Registro Federal de Contribuyentes) checks with python-stdnum.

``normalize_rfc`` is the one normalisation of a typed RFC (registration, staff search,
API filters, the diagnostic schedule form): spaces, dashes and underscores are dropped
and letters upper-cased, so ``mab-930714 8t4`` is ``MAB9307148T4``.

A malformed RFC is rejected. A well-formed RFC whose check digit fails is
accepted with a warning for staff: about 1.5% of real RFCs fail it. The generic
RFCs of the SAT (``XAXX010101000`` público en general, ``XEXX010101000``
extranjeros) name no company and are refused.
"""

from dataclasses import dataclass

from stdnum.exceptions import ValidationError
from stdnum.mx import rfc as stdnum_rfc

PERSONA_MORAL = "moral"
PERSONA_FISICA = "fisica"

# The SAT's generic RFCs, used on invoices to the general public and to foreign customers.
GENERIC_RFCS = frozenset({"XAXX010101000", "XEXX010101000"})

# The longest text a form accepts for an RFC: 13 characters with separators between its parts.
TYPED_RFC_MAX_LENGTH = 20


@dataclass(frozen=True)
class RfcCheck:
    rfc: str
    person_type: str  # "moral" (12 chars) or "fisica" (13 chars)
    checksum_valid: bool


def normalize_rfc(value: str | None) -> str:
    """The RFC as stored: no spaces, dashes or underscores, upper case (not checked)."""
    try:
        return "".join(stdnum_rfc.compact("".join((value or "").split())))
    except ValidationError:
        return "".join((value or "").split()).upper()


def check_rfc(value: str) -> RfcCheck:
    """Normalise and check an RFC; raises ``ValueError`` ("length", "format" or "generic") when refused."""
    compact = normalize_rfc(value)
    if compact in GENERIC_RFCS:
        raise ValueError("generic")
    if len(compact) not in (12, 13):
        raise ValueError("length")
    try:
        # Most RFCs have a valid check digit (one call); failing only the homoclave alphabet or the check
        # digit is a warning.
        stdnum_rfc.validate(compact, validate_check_digits=True)
        checksum_valid = True
    except ValidationError:
        try:
            stdnum_rfc.validate(compact, validate_check_digits=False)
        except ValidationError as exc:
            raise ValueError("format") from exc
        checksum_valid = False
    return RfcCheck(
        rfc=compact, person_type=PERSONA_MORAL if len(compact) == 12 else PERSONA_FISICA, checksum_valid=checksum_valid
    )
