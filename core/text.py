"""Free text from people: refuse control characters where it comes in, neutralise it where it goes out.

``refuse_control_characters`` (one line: names, titles) and ``refuse_control_characters_multiline``
(notes and reasons, which may hold line breaks and tabs) are the validators of every free-text field
of the forms, the API and the models: a control character (Unicode category Cc, e.g. NUL, ESC, the
vertical tab) never reaches the database from them. Exports still treat stored text as untrusted
(``reports.exports.spreadsheet_cell``).
"""

import unicodedata

from django.core.exceptions import ValidationError
from django.utils.deconstruct import deconstructible
from django.utils.translation import gettext_lazy as _

LINE_BREAKS = frozenset("\n\r\t")


def control_characters(value: str, *, allowed: frozenset[str] = frozenset()) -> list[str]:
    """The control characters in ``value`` (each once, in order), except ``allowed``."""
    found: list[str] = []
    for char in value:
        if char not in allowed and unicodedata.category(char) == "Cc" and char not in found:
            found.append(char)
    return found


@deconstructible
class ControlCharacterValidator:
    """Refuse text with control characters; ``multiline`` allows line breaks and tabs."""

    message = _("Remove the invisible control characters (%(chars)s) from this text.")
    code = "control_characters"

    def __init__(self, multiline: bool = False):
        self.multiline = multiline

    def __call__(self, value) -> None:
        if not isinstance(value, str):
            return
        found = control_characters(value, allowed=LINE_BREAKS if self.multiline else frozenset())
        if found:
            chars = ", ".join(f"U+{ord(c):04X}" for c in found)
            raise ValidationError(self.message, code=self.code, params={"chars": chars})

    def __eq__(self, other) -> bool:
        return isinstance(other, ControlCharacterValidator) and other.multiline == self.multiline

    def __hash__(self) -> int:
        return hash((type(self), self.multiline))


refuse_control_characters = ControlCharacterValidator()
refuse_control_characters_multiline = ControlCharacterValidator(multiline=True)


def strip_control_characters(value: str, *, keep: frozenset[str] = LINE_BREAKS) -> str:
    """``value`` without control characters (but ``keep``): for text already stored or headers."""
    return "".join(c for c in value if c in keep or unicodedata.category(c) != "Cc")
