"""Maturity frameworks as YAML files: read and check, export, and load by (code, version).

A file holds one framework version::

    code, version, name_es, name_en, description_es, description_en
    dimensions: [{code, name_es, name_en, description_es, description_en, weight,
                  questions: [{code, text_es, text_en, weight, is_critical, trigger_level, cap_level,
                               descriptors: [{text_es, text_en}] x 5 (level 1 to 5)}]}]
    bands: [{level, name_es, name_en, description_es, description_en, min_score, max_score}]

A critical question (``is_critical: true``) needs ``cap_level`` (the highest overall level it
allows) and may give ``trigger_level`` (1-4, default 1): rated at or below it, the question caps
the level. Weights and bands are checked by the scoring rules (``scoring.weight_findings`` and
``scoring.band_findings``), reported at their key path. ``framework_export`` writes the same
shape, so an exported file imports back unchanged.

Loading a version that is already stored: identical content leaves it alone; different content
updates it in place while no diagnostic uses it, and otherwise is stored as a new version
(numbered after the highest of that code), so a version in use never changes.
"""

from __future__ import annotations

from collections.abc import Hashable
from dataclasses import dataclass
from decimal import Decimal
from pathlib import Path

from django.db import transaction
from django.db.models import Max, Prefetch
from django.utils.translation import gettext as _

from core import audit
from programs.datafiles import (
    INVALID,
    Boolean,
    Checker,
    Code,
    DataFileError,
    Integer,
    ListOf,
    Number,
    Problem,
    Record,
    Text,
    dump_yaml,
    key_path,
    parse_yaml,
    read_yaml,
    shown_name,
    valid,
)

from .. import scoring
from ..models import Dimension, Framework, LevelDescriptor, MaturityBand, Question

FRAMEWORKS_FOLDER = Path(__file__).resolve().parent.parent / "data" / "frameworks"
HEADER_KEYS = ("code", "version", "name_es", "name_en", "description_es", "description_en")
OPTIONAL_TEXT = Text(required=False, blank=True)

DESCRIPTOR = Record({"text_es": Text(), "text_en": OPTIONAL_TEXT})
QUESTION = Record(
    {
        "code": Text(max_length=60),
        "text_es": Text(),
        "text_en": OPTIONAL_TEXT,
        "weight": Number(maximum=Decimal("999.99")),
        "is_critical": Boolean(),
        "cap_level": Integer(minimum=1, maximum=5, required=False),
        "trigger_level": Integer(minimum=scoring.MIN_LEVEL, maximum=scoring.MAX_LEVEL - 1, required=False),
        "descriptors": ListOf(DESCRIPTOR, length=scoring.MAX_LEVEL),
    }
)
DIMENSION = Record(
    {
        "code": Code(),
        "name_es": Text(max_length=200),
        "name_en": Text(max_length=200, required=False, blank=True),
        "description_es": OPTIONAL_TEXT,
        "description_en": OPTIONAL_TEXT,
        "weight": Number(),
        "questions": ListOf(QUESTION),
    }
)
BAND = Record(
    {
        "level": Integer(minimum=scoring.MIN_LEVEL, maximum=scoring.MAX_LEVEL),
        "name_es": Text(max_length=100),
        "name_en": Text(max_length=100, required=False, blank=True),
        "description_es": OPTIONAL_TEXT,
        "description_en": OPTIONAL_TEXT,
        "min_score": Number(),
        "max_score": Number(),
    }
)
FRAMEWORK = Record(
    {
        "code": Code(),
        "version": Integer(minimum=1),
        "name_es": Text(max_length=200),
        "name_en": Text(max_length=200, required=False, blank=True),
        "description_es": OPTIONAL_TEXT,
        "description_en": OPTIONAL_TEXT,
        "dimensions": ListOf(DIMENSION),
        "bands": ListOf(BAND),
    }
)


# -- reading and checking ---------------------------------------------------------------------


def framework_check(content, *, file: str) -> dict:
    """The checked, normalised content of one framework file (``DataFileError`` if anything is wrong)."""
    checker = Checker(file)
    data = checker.check(content, "", FRAMEWORK)
    if data is not INVALID:
        _check_rules(checker, data)
    checker.raise_if_any()
    for dimension in data["dimensions"]:
        for question in dimension["questions"]:
            # A critical question triggers at 1 unless its file says otherwise; others have no trigger.
            critical = question["is_critical"] is True
            question["trigger_level"] = (question["trigger_level"] or scoring.MIN_LEVEL) if critical else None
    return data


def _check_rules(checker: Checker, data: dict) -> None:
    """Weights, bands and critical questions, by the scoring rules, at their key paths."""
    dimensions = data["dimensions"] if valid(data["dimensions"]) else []
    dimension_specs: list[scoring.DimensionSpec] = []
    question_specs: list[scoring.QuestionSpec] = []
    paths: dict[tuple[str, Hashable], list[str]] = {}  # (kind, key) -> key paths, as in Finding.subject
    for i, dimension in enumerate(dimensions):
        if dimension is INVALID or not valid(dimension["code"], dimension["weight"]):
            continue
        dimension_path = key_path("dimensions", i)
        dimension_specs.append(scoring.DimensionSpec(code=dimension["code"], weight=dimension["weight"]))
        paths.setdefault(("dimension", dimension["code"]), []).append(dimension_path)
        for j, question in enumerate(dimension["questions"] if valid(dimension["questions"]) else []):
            if question is INVALID or not valid(
                question["code"], question["weight"], question["cap_level"], question["trigger_level"]
            ):
                continue
            question_path = key_path(key_path(dimension_path, "questions"), j)
            if question["trigger_level"] is not None and question["is_critical"] is not True:
                checker.error(
                    key_path(question_path, "trigger_level"),
                    _("only a critical question has a trigger level (set is_critical: true or remove it)"),
                )
                continue
            try:
                spec = scoring.QuestionSpec(
                    id=(i, j),
                    dimension_code=dimension["code"],
                    code=question["code"],
                    weight=question["weight"],
                    is_critical=question["is_critical"] is True,
                    cap_level=question["cap_level"],
                    trigger_level=question["trigger_level"] or scoring.MIN_LEVEL,
                )
            except ValueError:
                checker.error(
                    key_path(question_path, "cap_level"),
                    _("a critical question needs cap_level: the highest overall level it allows when triggered"),
                )
                continue
            question_specs.append(spec)
            paths[("question", (i, j))] = [question_path]
    if dimension_specs:
        for finding in scoring.weight_findings(dimension_specs, question_specs):
            _report(checker, finding, paths, "dimensions")
    bands = data["bands"] if valid(data["bands"]) else []
    band_specs = []
    for k, band in enumerate(bands):
        if band is INVALID or not valid(band["level"], band["min_score"], band["max_score"]):
            return  # the band table is checked once each band is well formed
        band_specs.append(scoring.Band(band["level"], band["min_score"], band["max_score"]))
        paths.setdefault(("band", band["level"]), []).append(key_path("bands", k))
    for finding in scoring.band_findings(band_specs):
        _report(checker, finding, paths, "bands")


def _report(
    checker: Checker, finding: scoring.Finding, paths: dict[tuple[str, Hashable], list[str]], table: str
) -> None:
    path = table
    if finding.subject:
        kind, key, field_name = finding.subject
        candidates = paths.get((kind, key), [table])
        base = candidates[-1] if field_name == "code" else candidates[0]
        path = key_path(base, field_name) if field_name else base
    checker.error(path, _(finding.message) % finding.params)


def framework_read(path: Path) -> dict:
    """Read and check one framework file."""
    file = shown_name(path)
    return framework_check(read_yaml(path, file=file), file=file)


def framework_parse(text: str | bytes, *, file: str) -> dict:
    """Check the text of an uploaded framework file."""
    return framework_check(parse_yaml(text, file=file), file=file)


def frameworks_read(folder: Path = FRAMEWORKS_FOLDER) -> list[dict]:
    """Every framework file (``*.yaml``) of a folder, checked; one (code, version) per file."""
    if not folder.is_dir():
        raise DataFileError([_problem(folder, _("folder not found"))])
    problems: list[Problem] = []
    frameworks: list[dict] = []
    seen: dict[tuple[str, int], str] = {}  # (code, version) -> file name
    for path in sorted(folder.glob("*.yaml")):
        try:
            data = framework_read(path)
        except DataFileError as error:
            problems.extend(error.problems)
            continue
        key = (data["code"], data["version"])
        if key in seen:
            problems.append(
                _problem(
                    path,
                    _("version %(version)s of %(code)s is also in %(other)s")
                    % {"version": key[1], "code": key[0], "other": seen[key]},
                )
            )
            continue
        seen[key] = path.name
        frameworks.append(data)
    if problems:
        raise DataFileError(problems)
    return frameworks


def _problem(path: Path, message: str) -> Problem:
    return Problem(shown_name(path), "", message)


# -- export ---------------------------------------------------------------------------------------


def _number(value: Decimal) -> Decimal:
    """A stored decimal as the file writes it: 18.00 -> 18, 33.50 -> 33.5."""
    normal = value.normalize()
    return normal.quantize(Decimal(1)) if normal == normal.to_integral_value() else normal


def framework_data(framework: Framework) -> dict:
    """A stored framework version in the file's shape (four queries)."""
    descriptors = Prefetch("descriptors", queryset=LevelDescriptor.objects.order_by("level"))
    questions = Prefetch("questions", queryset=Question.objects.order_by("order", "code").prefetch_related(descriptors))
    dimensions = framework.dimensions.order_by("order", "code").prefetch_related(questions)
    data = {key: getattr(framework, key) for key in HEADER_KEYS}
    data["dimensions"] = [
        {
            "code": d.code,
            "name_es": d.name_es,
            "name_en": d.name_en,
            "description_es": d.description_es,
            "description_en": d.description_en,
            "weight": _number(d.weight),
            "questions": [
                {
                    "code": q.code,
                    "text_es": q.text_es,
                    "text_en": q.text_en,
                    "weight": _number(q.weight),
                    "is_critical": q.is_critical,
                    "cap_level": q.cap_level,
                    "trigger_level": q.trigger_level if q.is_critical else None,
                    "descriptors": [{"text_es": x.text_es, "text_en": x.text_en} for x in q.descriptors.all()],
                }
                for q in d.questions.all()
            ],
        }
        for d in dimensions
    ]
    data["bands"] = [
        {
            "level": b.level,
            "name_es": b.name_es,
            "name_en": b.name_en,
            "description_es": b.description_es,
            "description_en": b.description_en,
            "min_score": _number(b.min_score),
            "max_score": _number(b.max_score),
        }
        for b in framework.bands.order_by("level")
    ]
    return data


def framework_export(framework: Framework) -> str:
    """The YAML file of a stored framework version (defaults are left out: no empty English
    text, no ``is_critical: false``)."""
    data = framework_data(framework)

    def compact(item: dict) -> dict:
        return {
            key: value
            for key, value in item.items()
            if not (
                value in ("", None)
                or (key == "is_critical" and value is False)
                or (key == "trigger_level" and value == scoring.MIN_LEVEL)
            )
        }

    out = compact({key: data[key] for key in HEADER_KEYS})
    out["dimensions"] = [
        {
            **compact({k: v for k, v in d.items() if k != "questions"}),
            "questions": [
                {
                    **compact({k: v for k, v in q.items() if k != "descriptors"}),
                    "descriptors": [compact(x) for x in q["descriptors"]],
                }
                for q in d["questions"]
            ],
        }
        for d in data["dimensions"]
    ]
    out["bands"] = [compact(b) for b in data["bands"]]
    return dump_yaml(out)


def framework_filename(framework: Framework) -> str:
    return f"{framework.code}-{framework.version}.yaml"


# -- load -------------------------------------------------------------------------------------------


CREATED, UPDATED, UNCHANGED, NEW_VERSION = "created", "updated", "unchanged", "new version"


@dataclass(frozen=True)
class FrameworkLoad:
    """What loading one framework file did (or would do, in a dry run)."""

    status: str  # CREATED, UPDATED, UNCHANGED or NEW_VERSION
    code: str
    version: int  # the version the file's content is stored as
    file_version: int
    framework: Framework | None  # None in a dry run that would create it
    diagnostics: int = 0  # diagnostics using the file's version, when a new version was made

    @property
    def message(self) -> str:
        params = {
            "code": self.code,
            "version": self.version,
            "file_version": self.file_version,
            "diagnostics": self.diagnostics,
        }
        if self.status == CREATED:
            return _("%(code)s version %(version)s: created.") % params
        if self.status == UPDATED:
            return _("%(code)s version %(version)s: updated (no diagnostic uses it yet).") % params
        if self.status == UNCHANGED and self.version != self.file_version:
            return (
                _("%(code)s version %(file_version)s of the file is stored as version %(version)s: unchanged.") % params
            )
        if self.status == UNCHANGED:
            return _("%(code)s version %(version)s: unchanged.") % params
        return (
            _(
                "%(code)s version %(file_version)s is used by %(diagnostics)s diagnostics and cannot change: "
                "the file's content was stored as version %(version)s."
            )
            % params
        )


def _comparable(data: dict) -> dict:
    """Content without the version number, for comparing a file with a stored version."""
    return {key: value for key, value in data.items() if key != "version"}


@transaction.atomic
def framework_load(*, data: dict, dry_run: bool = False, actor=None, publish: bool = True) -> FrameworkLoad:
    """Store a checked framework (``framework_check``): create, update an unused version in place,
    leave an identical one alone, or store it as a new version when its version is in use."""
    code, version = data["code"], data["version"]
    wanted = _comparable(data)
    stored = list(Framework.objects.filter(code=code).order_by("version"))
    same = next((f for f in stored if f.version == version), None)
    if same is None:
        framework = None if dry_run else _create(data, version=version, publish=publish, actor=actor)
        return FrameworkLoad(CREATED, code, version, version, framework)
    if _comparable(framework_data(same)) == wanted:
        return FrameworkLoad(UNCHANGED, code, version, version, same)
    in_use = same.diagnostics.count()
    if not in_use:
        if not dry_run:
            _replace(same, data, actor=actor)
        return FrameworkLoad(UPDATED, code, version, version, same)
    for later in (f for f in stored if f.version > version):
        if _comparable(framework_data(later)) == wanted:
            return FrameworkLoad(UNCHANGED, code, later.version, version, later)
    next_version = (Framework.objects.filter(code=code).aggregate(v=Max("version"))["v"] or version) + 1
    framework = None if dry_run else _create(data, version=next_version, publish=publish, actor=actor)
    return FrameworkLoad(NEW_VERSION, code, next_version, version, framework, diagnostics=in_use)


def _header(data: dict) -> dict:
    return {key: data[key] for key in ("name_es", "name_en", "description_es", "description_en")}


def _create(data: dict, *, version: int, publish: bool, actor) -> Framework:
    framework = Framework.objects.create(code=data["code"], version=version, is_published=publish, **_header(data))
    _write_parts(framework, data)
    audit.record(
        framework, action="loaded_from_file", actor=actor, changes={"version": version, "file_version": data["version"]}
    )
    return framework


def _replace(framework: Framework, data: dict, *, actor) -> None:
    """Rewrite an unused version's header and parts with the file's content."""
    for key, value in _header(data).items():
        setattr(framework, key, value)
    framework.save()
    framework.dimensions.all().delete()  # with their questions and descriptors
    framework.bands.all().delete()
    _write_parts(framework, data)
    audit.record(framework, action="updated_from_file", actor=actor, changes={"version": framework.version})


def _write_parts(framework: Framework, data: dict) -> None:
    dimensions = Dimension.objects.bulk_create(
        Dimension(
            framework=framework,
            order=order,
            weight=d["weight"],
            code=d["code"],
            name_es=d["name_es"],
            name_en=d["name_en"],
            description_es=d["description_es"],
            description_en=d["description_en"],
        )
        for order, d in enumerate(data["dimensions"], start=1)
    )
    question_rows = [
        (
            q,
            Question(
                dimension=dimension,
                order=order,
                code=q["code"],
                text_es=q["text_es"],
                text_en=q["text_en"],
                weight=q["weight"],
                is_critical=q["is_critical"],
                cap_level=q["cap_level"],
                trigger_level=q["trigger_level"] or scoring.MIN_LEVEL,
            ),
        )
        for dimension, d in zip(dimensions, data["dimensions"], strict=True)
        for order, q in enumerate(d["questions"], start=1)
    ]
    questions = Question.objects.bulk_create(row for _data, row in question_rows)
    LevelDescriptor.objects.bulk_create(
        LevelDescriptor(question=question, level=level, text_es=x["text_es"], text_en=x["text_en"])
        for (q, _row), question in zip(question_rows, questions, strict=True)
        for level, x in enumerate(q["descriptors"], start=1)
    )
    MaturityBand.objects.bulk_create(
        MaturityBand(
            framework=framework,
            level=b["level"],
            name_es=b["name_es"],
            name_en=b["name_en"],
            description_es=b["description_es"],
            description_en=b["description_en"],
            min_score=b["min_score"],
            max_score=b["max_score"],
        )
        for b in data["bands"]
    )
