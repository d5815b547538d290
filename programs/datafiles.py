"""Reading and checking reference data files (YAML).

Numbers are read as exact ``Decimal`` (never float), a key repeated in one mapping is an error,
and every problem names its file and key path, e.g.
``programs/data/supply_areas.yaml: areas[12].requirements.quality: unknown dimension code 'qualty'``.

A file's shape is declared with the field types below (``Text``, ``Number``, ``Record``, ...);
``check`` walks the parsed content against it, collecting every problem instead of stopping at
the first one. Messages are translated into the active language when the problem is found.
"""

from __future__ import annotations

import datetime
import re
from collections.abc import Callable, Collection, Iterable, Mapping
from dataclasses import dataclass, field
from decimal import Decimal, InvalidOperation
from pathlib import Path
from typing import Any, NamedTuple

import yaml
from django.utils.functional import Promise
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

INVALID = object()  # what a field check returns for a value it reported as wrong


class Problem(NamedTuple):
    file: str
    path: str  # key path inside the file, e.g. "areas[12].requirements.quality"; "" for the whole file
    message: str

    def __str__(self) -> str:
        return f"{self.file}: {self.path}: {self.message}" if self.path else f"{self.file}: {self.message}"


class DataFileError(Exception):
    """One or more problems in reference data files; nothing was written."""

    def __init__(self, problems: Iterable[Problem]):
        self.problems = list(problems)
        super().__init__("\n".join(str(problem) for problem in self.problems))


# -- YAML ----------------------------------------------------------------------------------------


class _Loader(yaml.SafeLoader):
    """Safe YAML with exact decimals and no repeated keys."""

    def construct_mapping(self, node, deep=False):
        seen = set()
        for key_node, _value_node in node.value:
            key = self.construct_object(key_node, deep=deep)
            if key in seen:
                raise yaml.constructor.ConstructorError(
                    None, None, _("the key %(key)r appears twice") % {"key": key}, key_node.start_mark
                )
            seen.add(key)
        return super().construct_mapping(node, deep=deep)


def _construct_decimal(loader, node):
    text = loader.construct_scalar(node).replace("_", "")
    try:
        value = Decimal(text)
    except InvalidOperation:
        return text  # .inf, .nan: reported as "must be a number"
    return value if value.is_finite() else text


_Loader.add_constructor("tag:yaml.org,2002:float", _construct_decimal)


class _Dumper(yaml.SafeDumper):
    """Block style, Unicode, keys in the order given, decimals written as plain numbers."""


def _represent_decimal(dumper, value: Decimal):
    if value == value.to_integral_value():
        return dumper.represent_int(int(value))
    return dumper.represent_scalar("tag:yaml.org,2002:float", format(value.normalize(), "f"))


_Dumper.add_representer(Decimal, _represent_decimal)


def parse_yaml(text: str | bytes, *, file: str) -> Any:
    """The content of a YAML document; a syntax error becomes a ``DataFileError`` with its line."""
    try:
        return yaml.load(text, Loader=_Loader)  # noqa: S506 (a SafeLoader subclass)
    except yaml.YAMLError as error:
        mark = getattr(error, "problem_mark", None)
        problem = getattr(error, "problem", None) or str(error)
        where = _("line %(line)s") % {"line": mark.line + 1} if mark else ""
        raise DataFileError([Problem(file, where, _("not valid YAML: %(problem)s") % {"problem": problem})]) from None


def read_yaml(path: Path, *, file: str | None = None) -> Any:
    """Parse a YAML file; ``file`` is the name shown in problems (the path by default)."""
    shown = file or str(path)
    try:
        text = path.read_text(encoding="utf-8")
    except FileNotFoundError:
        raise DataFileError([Problem(shown, "", _("file not found"))]) from None
    except UnicodeDecodeError:
        raise DataFileError([Problem(shown, "", _("not UTF-8 text"))]) from None
    return parse_yaml(text, file=shown)


def dump_yaml(data: Any) -> str:
    return yaml.dump(data, Dumper=_Dumper, allow_unicode=True, sort_keys=False, width=110)


def shown_name(path: Path) -> str:
    """A data file's name as problems show it: relative to the project when inside it."""
    root = Path(__file__).resolve().parent.parent
    try:
        return str(path.resolve().relative_to(root))
    except ValueError:
        return str(path)


# -- checking ------------------------------------------------------------------------------------


def key_path(path: str, key: str | int) -> str:
    if isinstance(key, int):
        return f"{path}[{key}]"
    return f"{path}.{key}" if path else str(key)


@dataclass
class Checker:
    """Collects the problems of one file."""

    file: str
    problems: list[Problem] = field(default_factory=list)

    def error(self, path: str, message: str) -> None:
        self.problems.append(Problem(self.file, path, message))

    def check(self, value: Any, path: str, kind: Field) -> Any:
        """``value`` checked and converted by ``kind``, or ``INVALID`` (problems recorded)."""
        return kind.check(self, value, path)

    def raise_if_any(self) -> None:
        if self.problems:
            raise DataFileError(self.problems)


class Field:
    required = True
    default: Any = None

    def check(self, checker: Checker, value: Any, path: str) -> Any:
        raise NotImplementedError


@dataclass
class Text(Field):
    required: bool = True
    blank: bool = False
    max_length: int | None = None
    pattern: str | None = None
    pattern_help: str | Promise = ""  # what the pattern means, in words

    @property
    def default(self) -> str:
        return ""

    def check(self, checker, value, path):
        if not isinstance(value, str):
            checker.error(path, _("must be text (put it in quotes if it looks like a number)"))
            return INVALID
        value = value.strip()
        if not value and not self.blank:
            checker.error(path, _("must not be empty"))
            return INVALID
        if self.max_length is not None and len(value) > self.max_length:
            checker.error(path, _("at most %(n)s characters") % {"n": self.max_length})
            return INVALID
        if self.pattern and not re.fullmatch(self.pattern, value):
            checker.error(path, _("%(value)r is not %(what)s") % {"value": value, "what": self.pattern_help})
            return INVALID
        return value


SLUG = r"[a-z0-9]+(?:[-_][a-z0-9]+)*"


def Code(max_length: int = 40) -> Text:  # noqa: N802 (reads as a field type)
    """A code: lowercase letters and digits, words joined by - or _."""
    return Text(
        max_length=max_length, pattern=SLUG, pattern_help=gettext_lazy("a code of lowercase letters, digits, - and _")
    )


def _within(checker: Checker, path: str, value, minimum, maximum) -> bool:
    params = {"min": minimum, "max": maximum}
    if minimum is not None and maximum is not None and not minimum <= value <= maximum:
        checker.error(path, _("must be between %(min)s and %(max)s") % params)
    elif minimum is not None and value < minimum:
        checker.error(path, _("must be at least %(min)s") % params)
    elif maximum is not None and value > maximum:
        checker.error(path, _("must be at most %(max)s") % params)
    else:
        return True
    return False


@dataclass
class Number(Field):
    """A decimal number, at most ``places`` decimal places, within [minimum, maximum]."""

    minimum: Decimal | None = None
    maximum: Decimal | None = None
    positive: bool = False
    places: int = 2
    required: bool = True

    def check(self, checker, value, path):
        if isinstance(value, bool) or not isinstance(value, int | Decimal):
            checker.error(path, _("must be a number"))
            return INVALID
        value = Decimal(value)
        if value.as_tuple().exponent < -self.places and value != value.quantize(Decimal(1).scaleb(-self.places)):
            checker.error(path, _("at most %(n)s decimal places") % {"n": self.places})
            return INVALID
        if self.positive and value <= 0:
            checker.error(path, _("must be greater than 0"))
            return INVALID
        if not _within(checker, path, value, self.minimum, self.maximum):
            return INVALID
        return value


@dataclass
class Integer(Field):
    minimum: int | None = None
    maximum: int | None = None
    required: bool = True

    def check(self, checker, value, path):
        if isinstance(value, bool) or not isinstance(value, int):
            checker.error(path, _("must be a whole number"))
            return INVALID
        if not _within(checker, path, value, self.minimum, self.maximum):
            return INVALID
        return value


@dataclass
class Boolean(Field):
    required: bool = False
    default: bool = False

    def check(self, checker, value, path):
        if not isinstance(value, bool):
            checker.error(path, _("must be true or false"))
            return INVALID
        return value


@dataclass
class Date(Field):
    required: bool = False

    def check(self, checker, value, path):
        if not isinstance(value, datetime.date) or isinstance(value, datetime.datetime):
            checker.error(path, _("must be a date written as YYYY-MM-DD"))
            return INVALID
        return value


@dataclass
class Choice(Field):
    choices: tuple[str, ...] = ()
    required: bool = True

    def check(self, checker, value, path):
        if value not in self.choices:
            checker.error(
                path, _("%(value)r is not one of: %(choices)s") % {"value": value, "choices": ", ".join(self.choices)}
            )
            return INVALID
        return value


@dataclass
class ListOf(Field):
    """A list of ``item``; ``unique`` refuses repeated items, ``length`` asks for exactly that many."""

    item: Field = field(default_factory=Text)
    required: bool = True
    allow_empty: bool = False
    unique: bool = False
    length: int | None = None

    @property
    def default(self) -> list:
        return []

    def check(self, checker, value, path):
        if not isinstance(value, list):
            checker.error(path, _("must be a list"))
            return INVALID
        if not value and not self.allow_empty:
            checker.error(path, _("must not be empty"))
            return INVALID
        if self.length is not None and len(value) != self.length:
            checker.error(
                path, _("must have exactly %(n)s items, not %(count)s") % {"n": self.length, "count": len(value)}
            )
            return INVALID
        items, seen = [], set()
        for index, raw in enumerate(value):
            item = checker.check(raw, key_path(path, index), self.item)
            if self.unique and item is not INVALID and isinstance(item, str):
                if item in seen:
                    checker.error(key_path(path, index), _("%(value)r appears twice") % {"value": item})
                seen.add(item)
            items.append(item)
        return items


@dataclass
class MapOf(Field):
    """A mapping from keys checked by ``key`` to values checked by ``value``."""

    key: Field = field(default_factory=Code)
    value: Field = field(default_factory=Text)
    required: bool = True
    allow_empty: bool = False

    @property
    def default(self) -> dict:
        return {}

    def check(self, checker, value, path):
        if not isinstance(value, dict):
            checker.error(path, _("must be a mapping of key: value"))
            return INVALID
        if not value and not self.allow_empty:
            checker.error(path, _("must not be empty"))
            return INVALID
        result = {}
        for raw_key, raw_value in value.items():
            item_path = key_path(path, str(raw_key))
            key = checker.check(raw_key, item_path, self.key)
            checked = checker.check(raw_value, item_path, self.value)
            if key is not INVALID:
                result[key] = checked
        return result


@dataclass
class Record(Field):
    """A mapping with known keys: missing required keys and unknown keys are problems.

    The result holds every declared key (optional ones absent from the file get their default;
    a value that failed its check is ``INVALID``)."""

    fields: Mapping[str, Field] = field(default_factory=dict)
    required: bool = True

    def check(self, checker, value, path):
        if not isinstance(value, dict):
            checker.error(path, _("must be a mapping of key: value"))
            return INVALID
        for key in value:
            if key not in self.fields:
                checker.error(
                    key_path(path, str(key)),
                    _("unknown key (expected one of: %(keys)s)") % {"keys": ", ".join(self.fields)},
                )
        result = {}
        for key, kind in self.fields.items():
            if value.get(key) is None:
                if kind.required:
                    checker.error(key_path(path, key), _("required"))
                    result[key] = INVALID
                else:
                    result[key] = kind.default
                continue
            result[key] = checker.check(value[key], key_path(path, key), kind)
        return result


def valid(*values: Any) -> bool:
    """None of the values failed its check."""
    return all(value is not INVALID for value in values)


def check_unique(checker: Checker, items: list, path: str, key: str) -> dict[Any, int]:
    """{item[key]: index} of a list of records, reporting repeated keys."""
    index_of: dict[Any, int] = {}
    for index, item in enumerate(items):
        if item is INVALID or not valid(item.get(key)):
            continue
        if item[key] in index_of:
            checker.error(key_path(key_path(path, index), key), _("%(value)r appears twice") % {"value": item[key]})
        else:
            index_of[item[key]] = index
    return index_of


def check_reference(
    checker: Checker, value: Any, path: str, known: Collection | None, message: Callable[[Any], str]
) -> bool:
    """Report ``message(value)`` unless ``value`` (already checked) is one of ``known`` (None: not
    checked, e.g. because the file it refers to could not be read)."""
    if value is INVALID or known is None or value in known:
        return value is not INVALID
    checker.error(path, message(value))
    return False
