"""A list of SMEs to invite, read from a CSV or XLSX file and checked row by row in one pass.

Columns (in any order, named in Spanish or English, accents and case ignored): RFC, company name, contact
email, state, and optionally the language of the invitation email (``idioma``: es or en; Spanish when the
column or the cell is empty). Each row is checked as registration checks it: the RFC
(``suppliers.rfc.check_rfc``: a failed check digit passes), a company name, an email address, a state of the
catalogue (INEGI code, name or abbreviation), a known language, and no RFC that an earlier valid row of the
file already has. Problems are codes (``PROBLEMS``), turned into words in the reader's language when shown.
"""

import csv
import io
import re
import unicodedata
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field

import filetype
from django.core.exceptions import ValidationError
from django.core.validators import EmailValidator
from django.utils.translation import gettext_lazy as _

from core.text import strip_control_characters

from .rfc import check_rfc

COLUMNS = {
    "rfc": _("RFC"),
    "legal_name": _("Company name"),
    "email": _("Contact email"),
    "state": _("State"),
}
# Header names accepted for each column, compared without accents, case or punctuation.
HEADERS = {
    "rfc": {"rfc", "rfc de la empresa"},
    "legal_name": {
        "company name",
        "company",
        "legal name",
        "name",
        "razon social",
        "empresa",
        "nombre de la empresa",
        "nombre",
        "denominacion",
    },
    "email": {
        "contact email",
        "email",
        "e mail",
        "mail",
        "correo",
        "correo electronico",
        "correo de contacto",
        "email de contacto",
    },
    "state": {"state", "estado", "entidad", "entidad federativa"},
    "language": {"language", "idioma", "lengua", "lang"},
}
# What the optional language column may say (normalised by ``_key``), and the language it means.
LANGUAGE_VALUES = {
    "": "es-mx",
    "es": "es-mx",
    "es mx": "es-mx",
    "esp": "es-mx",
    "espanol": "es-mx",
    "spanish": "es-mx",
    "en": "en",
    "eng": "en",
    "ingles": "en",
    "english": "en",
}
# Names of states as lists write them, besides the catalogue's own (normalised by ``_key``).
STATE_ALIASES = {
    "cdmx": "09",
    "df": "09",
    "distrito federal": "09",
    "mexico": "15",
    "edomex": "15",
    "edo mex": "15",
    "estado de mexico": "15",
    "coahuila de zaragoza": "05",
    "michoacan de ocampo": "16",
    "veracruz de ignacio de la llave": "30",
}

PROBLEMS = {
    "rfc_missing": _("The RFC is missing."),
    "rfc_generic": _("A generic RFC of the SAT (general public or foreign customers), not a company's."),
    "rfc_length": _("The RFC has 12 characters (persona moral) or 13 (persona física)."),
    "rfc_format": _("The RFC is not valid."),
    "name_missing": _("The company name is missing."),
    "name_too_long": _("The company name is longer than 255 characters."),
    "email_missing": _("The contact email is missing."),
    "email_invalid": _("The contact email is not a valid address."),
    "state_missing": _("The state is missing."),
    "state_unknown": _("The state is not one of the 32 states of Mexico."),
    "duplicate": _("The same RFC as row %(row)s of the file."),
    "language_unknown": _("The language is not es (Spanish) or en (English)."),
}

EXTENSIONS = {"csv", "txt", "xlsx"}
XLSX_SIGNATURE = b"PK\x03\x04"


@dataclass(frozen=True)
class ValidRow:
    row: int
    rfc: str
    legal_name: str
    email: str
    state_id: int
    language: str = "es-mx"


@dataclass(frozen=True)
class Problem:
    row: int
    rfc: str  # as written in the file
    codes: tuple[str, ...]
    first_row: int | None = None  # for "duplicate": the earlier row with the same RFC

    def as_json(self) -> list:
        return [self.row, self.rfc, list(self.codes), self.first_row]

    @classmethod
    def from_json(cls, value: list) -> "Problem":
        row, rfc, codes, first_row = value
        return cls(row=row, rfc=rfc, codes=tuple(codes), first_row=first_row)

    def messages(self) -> list[str]:
        return [str(PROBLEMS[code]) % {"row": self.first_row} for code in self.codes]


@dataclass
class CheckedFile:
    rows: int = 0
    valid: list[ValidRow] = field(default_factory=list)
    problems: list[Problem] = field(default_factory=list)


def _key(text: str) -> str:
    """Lower case, no accents, punctuation or extra spaces: ``"Correo electrónico:"`` is ``"correo electronico"``."""
    decomposed = unicodedata.normalize("NFKD", text)
    plain = "".join(c for c in decomposed if not unicodedata.combining(c)).lower()
    return " ".join(re.sub(r"[^a-z0-9ñ]+", " ", plain).split())


def state_lookup(states: Iterable[tuple[int, str, str, str]]) -> dict[str, int]:
    """``{written form: state id}`` from ``(id, INEGI code, name, abbreviation)`` of the catalogue."""
    by_code: dict[str, int] = {}
    lookup: dict[str, int] = {}
    for pk, code, name, abbreviation in states:
        by_code[code] = pk
        lookup[code] = pk
        lookup[str(int(code))] = pk
        lookup[_key(name)] = pk
        lookup[_key(abbreviation)] = pk
    for alias, code in STATE_ALIASES.items():
        if code in by_code:
            lookup.setdefault(alias, by_code[code])
    return lookup


def _cell(value) -> str:
    if value is None:
        return ""
    if isinstance(value, float) and value.is_integer():
        value = int(value)
    return str(value).strip()


def _refuse(message, code: str) -> ValidationError:
    return ValidationError(message, code=code)


def read_table(name: str, data: bytes) -> Iterator[list[str]]:
    """The rows of a CSV (UTF-8 or Windows-1252, comma, semicolon or tab) or XLSX file (its first sheet), as
    text; raises ``ValidationError`` for an empty file or one that is neither."""
    if not data.strip():
        raise _refuse(_("The file is empty."), "file_empty")
    extension = name.rsplit(".", 1)[-1].lower() if "." in name else ""
    if extension and extension not in EXTENSIONS:
        raise _refuse(_("Upload the list as a CSV or XLSX file."), "file_type")
    if data.startswith(XLSX_SIGNATURE):
        return _read_xlsx(data)
    if extension == "xlsx" or b"\x00" in data[:4096] or filetype.guess(data[:8192]) is not None:
        raise _refuse(
            _("This file is not a CSV or XLSX file. Save the list as CSV or XLSX and upload it."), "file_type"
        )
    return _read_csv(data)


def _read_csv(data: bytes) -> Iterator[list[str]]:
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError:
        text = data.decode("cp1252", errors="replace")  # a CSV saved by Excel in Spanish
    first_line = text.split("\n", 1)[0]
    delimiter = max((",", ";", "\t"), key=first_line.count)
    return (list(row) for row in csv.reader(io.StringIO(text), delimiter=delimiter))


def _read_xlsx(data: bytes) -> Iterator[list[str]]:
    from openpyxl import load_workbook

    try:
        workbook = load_workbook(io.BytesIO(data), read_only=True, data_only=True)
        sheet = workbook.worksheets[0]
    except Exception as exc:  # a zip that is not a workbook, or a damaged one
        raise _refuse(
            _("This file is not a CSV or XLSX file. Save the list as CSV or XLSX and upload it."), "file_type"
        ) from exc

    def rows() -> Iterator[list[str]]:
        try:
            for values in sheet.iter_rows(values_only=True):
                yield [_cell(value) for value in values]
        finally:
            workbook.close()

    return rows()


def column_positions(header: list[str]) -> dict[str, int]:
    """Where each column is in the header row; raises ``ValidationError`` naming the missing columns."""
    keys = [_key(cell) for cell in header]
    positions = {}
    for column, names in HEADERS.items():
        for index, key in enumerate(keys):
            if key in names:
                positions[column] = index
                break
    missing = [str(COLUMNS[column]) for column in COLUMNS if column not in positions]
    if missing:
        raise _refuse(
            _("The first row must name the columns RFC, company name, contact email and state. Missing: %(missing)s.")
            % {"missing": ", ".join(missing)},
            "columns_missing",
        )
    return positions


def check_rows(table: Iterator[list[str]], states: dict[str, int]) -> CheckedFile:
    """Check every row after the header, in one pass; raises ``ValidationError`` without a header or rows."""
    header = next(table, None)
    while header is not None and not any(cell.strip() for cell in header):
        header = next(table, None)
    if header is None:
        raise _refuse(_("The file is empty."), "file_empty")
    positions = column_positions(header)
    i_rfc, i_name, i_email, i_state = (positions[c] for c in ("rfc", "legal_name", "email", "state"))
    i_language = positions.get("language")
    width = max(positions.values()) + 1
    validate_email = EmailValidator()
    first_valid: dict[str, int] = {}
    checked = CheckedFile()
    number = 1  # spreadsheet row numbers: the header is row 1
    for cells in table:
        number += 1
        if not any(cell.strip() for cell in cells):
            continue
        if len(cells) < width:
            cells = [*cells, *([""] * (width - len(cells)))]
        checked.rows += 1
        codes = []
        typed_rfc = cells[i_rfc].strip()
        rfc = ""
        if not typed_rfc:
            codes.append("rfc_missing")
        else:
            try:
                rfc = check_rfc(typed_rfc).rfc
            except ValueError as exc:
                codes.append(f"rfc_{exc}")
        name = " ".join(strip_control_characters(cells[i_name], keep=frozenset()).split())
        if not name:
            codes.append("name_missing")
        elif len(name) > 255:
            codes.append("name_too_long")
        email = cells[i_email].strip()
        if not email:
            codes.append("email_missing")
        else:
            try:
                validate_email(email)
            except ValidationError:
                codes.append("email_invalid")
        typed_state = cells[i_state].strip()
        state_id = states.get(typed_state) or states.get(_key(typed_state))
        if not typed_state:
            codes.append("state_missing")
        elif state_id is None:
            codes.append("state_unknown")
        language = LANGUAGE_VALUES.get(_key(cells[i_language])) if i_language is not None else "es-mx"
        if language is None:
            codes.append("language_unknown")
        first_row = first_valid.get(rfc) if rfc else None
        if first_row is not None:
            codes.append("duplicate")
        if codes:
            checked.problems.append(Problem(row=number, rfc=typed_rfc[:40], codes=tuple(codes), first_row=first_row))
            continue
        assert state_id is not None and language is not None
        first_valid[rfc] = number
        checked.valid.append(
            ValidRow(row=number, rfc=rfc, legal_name=name, email=email, state_id=state_id, language=language)
        )
    if not checked.rows:
        raise _refuse(_("The file has no rows to import under its column names."), "file_no_rows")
    return checked
