"""RFC (Registro Federal de Contribuyentes) checks with python-stdnum.

A malformed RFC is rejected. A well-formed RFC whose check digit fails is
accepted with a warning for staff: about 1.5% of real RFCs fail it.
"""

from dataclasses import dataclass

from stdnum.exceptions import ValidationError
from stdnum.mx import rfc as stdnum_rfc

PERSONA_MORAL = "moral"
PERSONA_FISICA = "fisica"


@dataclass(frozen=True)
class RfcCheck:
    rfc: str
    person_type: str  # "moral" (12 chars) or "fisica" (13 chars)
    checksum_valid: bool


def check_rfc(value: str) -> RfcCheck:
    """Normalise and check an RFC; raises ``ValueError`` with a reason when malformed."""
    compact = stdnum_rfc.compact(value or "")
    if len(compact) not in (12, 13):
        raise ValueError("length")
    try:
        stdnum_rfc.validate(compact, validate_check_digits=False)
    except ValidationError as exc:
        raise ValueError("format") from exc
    try:
        # The homoclave alphabet and the check digit: failing them is only a warning.
        stdnum_rfc.validate(compact, validate_check_digits=True)
        checksum_valid = True
    except ValidationError:
        checksum_valid = False
    return RfcCheck(
        rfc=compact, person_type=PERSONA_MORAL if len(compact) == 12 else PERSONA_FISICA, checksum_valid=checksum_valid
    )
