"""The program's catalogue as data files: read and check them, then upsert them by natural key.

Files (``programs/data/`` by default; another folder holds the same names):

* ``program.yaml``: the program the anchors and supply areas belong to (by its ``code``);
* ``regions.yaml``, ``states.yaml``: reporting regions and the 32 INEGI states;
* ``certification_standards.yaml``;
* ``anchors.yaml``: anchor companies, recognised by their name within the program;
* ``supply_areas.yaml``: critical supply areas (by code within the program) with the anchors that
  demand them (anchor names), required certifications (codes) and minimum scores per maturity
  dimension (dimension codes, checked against the frameworks the caller passes in);
* ``scian_classes.yaml``: the SCIAN classes a supply area may name (not stored).

Loading never deletes: rows missing from the files stay as they are. What the files hold wins:
a changed value is updated; a supply area's anchors, certifications and requirements become
exactly the file's. Nothing is saved when nothing differs, so a second run writes nothing.
"""

from __future__ import annotations

from collections.abc import Collection
from dataclasses import dataclass, field
from decimal import Decimal
from pathlib import Path

from django.db import transaction
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from ..datafiles import (
    INVALID,
    Checker,
    Choice,
    Code,
    DataFileError,
    ListOf,
    MapOf,
    Number,
    Record,
    Text,
    check_reference,
    check_unique,
    key_path,
    read_yaml,
    shown_name,
    valid,
)
from ..models import (
    AnchorCompany,
    AreaRequirement,
    CertificationStandard,
    CriticalSupplyArea,
    Program,
    Region,
    State,
)

DATA_FOLDER = Path(__file__).resolve().parent.parent / "data"
CREATED, UPDATED, UNCHANGED = "created", "updated", "unchanged"

INEGI_CODE = Text(pattern=r"0[1-9]|[12][0-9]|3[0-2]", pattern_help=gettext_lazy("an INEGI state code from 01 to 32"))
SCIAN_CODE = Text(pattern=r"[0-9]{6}", pattern_help=gettext_lazy("a six-digit SCIAN code"))
SOURCE = Text(required=False)
OPTIONAL_TEXT = Text(required=False, blank=True)

PROGRAM_KEYS = (
    "name_es",
    "name_en",
    "description_es",
    "description_en",
    "data_controller",
    "data_controller_address",
    "privacy_contact_email",
)
PROGRAM_FILE = Record(
    {
        "source": SOURCE,
        "program": Record(
            {
                "code": Code(),
                "name_es": Text(max_length=200),
                "name_en": Text(max_length=200, required=False, blank=True),
                "description_es": OPTIONAL_TEXT,
                "description_en": OPTIONAL_TEXT,
                "data_controller": Text(max_length=255, required=False, blank=True),
                "data_controller_address": OPTIONAL_TEXT,
                "privacy_contact_email": OPTIONAL_TEXT,
            }
        ),
    }
)
REGIONS_FILE = Record(
    {
        "source": SOURCE,
        "regions": ListOf(
            Record(
                {
                    "code": Code(max_length=32),
                    "name_es": Text(max_length=100),
                    "name_en": Text(max_length=100),
                }
            )
        ),
    }
)
STATES_FILE = Record(
    {
        "source": SOURCE,
        "states": ListOf(
            Record(
                {
                    "code": INEGI_CODE,
                    "name": Text(max_length=100),
                    "abbreviation": Text(max_length=5),
                    "region": Code(max_length=32),
                }
            )
        ),
    }
)
CERTIFICATIONS_FILE = Record(
    {
        "source": SOURCE,
        "standards": ListOf(
            Record(
                {
                    "code": Code(),
                    "name": Text(max_length=120),
                    "description_es": OPTIONAL_TEXT,
                    "description_en": OPTIONAL_TEXT,
                }
            )
        ),
    }
)
ANCHORS_FILE = Record(
    {
        "source": SOURCE,
        "anchors": ListOf(
            Record(
                {
                    "name": Text(max_length=200),
                    "kind": Choice(choices=tuple(AnchorCompany.Kind.values)),
                    "state": INEGI_CODE,
                    "description_es": OPTIONAL_TEXT,
                    "description_en": OPTIONAL_TEXT,
                }
            )
        ),
    }
)
SUPPLY_AREAS_FILE = Record(
    {
        "source": SOURCE,
        "areas": ListOf(
            Record(
                {
                    "code": Text(max_length=10),
                    "name_es": Text(max_length=200),
                    "name_en": Text(max_length=200),
                    "scian_code": SCIAN_CODE,
                    "description_es": OPTIONAL_TEXT,
                    "description_en": OPTIONAL_TEXT,
                    "anchors": ListOf(Text(), unique=True),
                    "required_certifications": ListOf(Code(), unique=True, allow_empty=True, required=False),
                    "requirements": MapOf(key=Code(), value=Number(minimum=Decimal(0), maximum=Decimal(100))),
                }
            )
        ),
    }
)
SCIAN_FILE = Record(
    {
        "source": SOURCE,
        "classes": ListOf(
            Record(
                {
                    "code": SCIAN_CODE,
                    "name_es": Text(),
                    "name_en": Text(),
                }
            )
        ),
    }
)

FILES = {
    "program": ("program.yaml", PROGRAM_FILE),
    "regions": ("regions.yaml", REGIONS_FILE),
    "states": ("states.yaml", STATES_FILE),
    "certifications": ("certification_standards.yaml", CERTIFICATIONS_FILE),
    "anchors": ("anchors.yaml", ANCHORS_FILE),
    "areas": ("supply_areas.yaml", SUPPLY_AREAS_FILE),
    "scian": ("scian_classes.yaml", SCIAN_FILE),
}


@dataclass(frozen=True)
class Catalogue:
    """The checked content of a catalogue folder (plain dicts, in file order)."""

    folder: Path
    program: dict
    regions: list[dict]
    states: list[dict]
    certifications: list[dict]
    anchors: list[dict]
    areas: list[dict]
    scian_classes: list[dict]


@dataclass
class LoadReport:
    """What a load created, updated or left unchanged, per kind of row, plus notes for the reader."""

    counts: dict[str, dict[str, int]] = field(default_factory=dict)
    notes: list[str] = field(default_factory=list)

    def count(self, kind: str, status: str) -> None:
        row = self.counts.setdefault(kind, {CREATED: 0, UPDATED: 0, UNCHANGED: 0})
        row[status] += 1

    def total(self, status: str) -> int:
        return sum(row[status] for row in self.counts.values())

    @property
    def changed(self) -> bool:
        return bool(self.total(CREATED) or self.total(UPDATED))

    def merge(self, other: LoadReport) -> None:
        for kind, row in other.counts.items():
            for status, n in row.items():
                self.counts.setdefault(kind, {CREATED: 0, UPDATED: 0, UNCHANGED: 0})[status] += n
        self.notes.extend(other.notes)


def _read(folder: Path, name: str, checker_files: list[Checker]) -> dict | None:
    filename, shape = FILES[name]
    path = folder / filename
    checker = Checker(shown_name(path))
    checker_files.append(checker)
    try:
        content = read_yaml(path, file=checker.file)
    except DataFileError as error:
        checker.problems.extend(error.problems)
        return None
    result = checker.check(content, "", shape)
    return result if result is not INVALID else None


def _rows(content: dict | None, key: str) -> list[dict]:
    """The well-formed records of a list in a file (malformed ones were reported already)."""
    if not content or not valid(content.get(key)):
        return []
    return [row for row in content[key] if row is not INVALID]


def catalogue_read(folder: Path = DATA_FOLDER, *, dimension_codes: Collection[str] | None = None) -> Catalogue:
    """Read and check every catalogue file of ``folder``; raise ``DataFileError`` listing every
    problem. ``dimension_codes``: the maturity dimensions supply-area requirements may name (not
    checked when None)."""
    checkers: list[Checker] = []
    files = {name: _read(folder, name, checkers) for name in FILES}
    by_name = dict(zip(FILES, checkers, strict=True))

    def known(name: str, codes: set) -> set | None:
        """What a reference may name in file ``name``; None (not checked) if that file has problems."""
        return None if by_name[name].problems else codes

    regions = _rows(files["regions"], "regions")
    check_unique(by_name["regions"], regions, "regions", "code")
    region_codes: set | None = {r["code"] for r in regions if valid(r["code"])}

    states = _rows(files["states"], "states")
    check_unique(by_name["states"], states, "states", "code")
    region_codes = known("regions", region_codes or set())
    for index, state in enumerate(states):
        check_reference(
            by_name["states"],
            state["region"],
            key_path(key_path("states", index), "region"),
            region_codes,
            lambda code: _("unknown region %(code)r") % {"code": code},
        )
    state_codes = known("states", {s["code"] for s in states if valid(s["code"])})

    certifications = _rows(files["certifications"], "standards")
    check_unique(by_name["certifications"], certifications, "standards", "code")
    certification_codes = known("certifications", {c["code"] for c in certifications if valid(c["code"])})

    anchors = _rows(files["anchors"], "anchors")
    check_unique(by_name["anchors"], anchors, "anchors", "name")
    for index, anchor in enumerate(anchors):
        check_reference(
            by_name["anchors"],
            anchor["state"],
            key_path(key_path("anchors", index), "state"),
            state_codes,
            lambda code: _("unknown state %(code)r") % {"code": code},
        )
    anchor_names = known("anchors", {a["name"] for a in anchors if valid(a["name"])})

    scian_classes = _rows(files["scian"], "classes")
    check_unique(by_name["scian"], scian_classes, "classes", "code")
    scian_codes = known("scian", {c["code"] for c in scian_classes if valid(c["code"])})

    areas = _rows(files["areas"], "areas")
    checker = by_name["areas"]
    check_unique(checker, areas, "areas", "code")
    for index, area in enumerate(areas):
        path = key_path("areas", index)
        check_reference(
            checker,
            area["scian_code"],
            key_path(path, "scian_code"),
            scian_codes,
            lambda code: _("SCIAN code %(code)r is not in scian_classes.yaml") % {"code": code},
        )
        for position, name in enumerate(area["anchors"] if valid(area["anchors"]) else []):
            check_reference(
                checker,
                name,
                key_path(key_path(path, "anchors"), position),
                anchor_names,
                lambda name: _("unknown anchor %(name)r") % {"name": name},
            )
        certs = area["required_certifications"]
        for position, code in enumerate(certs if valid(certs) else []):
            check_reference(
                checker,
                code,
                key_path(key_path(path, "required_certifications"), position),
                certification_codes,
                lambda code: _("unknown certification %(code)r") % {"code": code},
            )
        if dimension_codes is not None and valid(area["requirements"]):
            for code in area["requirements"]:
                check_reference(
                    checker,
                    code,
                    key_path(key_path(path, "requirements"), code),
                    dimension_codes,
                    lambda code: _("unknown dimension code %(code)r") % {"code": code},
                )

    problems = [problem for checker in checkers for problem in checker.problems]
    if problems:
        raise DataFileError(problems)
    program_file = files["program"]
    assert program_file is not None  # a file that could not be read is a problem, raised above
    return Catalogue(
        folder=folder,
        program=program_file["program"],
        regions=regions,
        states=states,
        certifications=certifications,
        anchors=anchors,
        areas=areas,
        scian_classes=scian_classes,
    )


def _upsert(model, existing, lookup: dict, values: dict, *, dry_run: bool):
    """(row or None in a dry run, status): create, update the fields that differ, or leave it."""
    if existing is None:
        if dry_run:
            return None, CREATED
        row = model(**lookup, **values)
        row.full_clean()
        row.save()
        return row, CREATED
    changed = [name for name, value in values.items() if getattr(existing, name) != value]
    if not changed:
        return existing, UNCHANGED
    if not dry_run:
        for name in changed:
            setattr(existing, name, values[name])
        existing.full_clean()
        existing.save(update_fields=[*changed, *(["updated_at"] if hasattr(existing, "updated_at") else [])])
    return existing, UPDATED


@transaction.atomic
def catalogue_load(*, catalogue: Catalogue, dry_run: bool = False) -> tuple[Program | None, LoadReport]:
    """Upsert a checked catalogue by natural key: region and state and certification by code, the
    program by code, anchors by (program, name), supply areas by (program, code). Returns the
    program (None in a dry run that would create it) and what changed. Writes nothing when
    ``dry_run``."""
    report = LoadReport()

    regions: dict[str, Region | None] = {r.code: r for r in Region.objects.all()}
    for order, data in enumerate(catalogue.regions):
        row, status = _upsert(
            Region,
            regions.get(data["code"]),
            {"code": data["code"]},
            {"name_es": data["name_es"], "name_en": data["name_en"], "order": order},
            dry_run=dry_run,
        )
        regions[data["code"]] = row or regions.get(data["code"])
        report.count("regions", status)

    states: dict[str, State | None] = {s.code: s for s in State.objects.all()}
    for data in catalogue.states:
        region = regions.get(data["region"])
        row, status = _upsert(
            State,
            states.get(data["code"]),
            {"code": data["code"]},
            {"name": data["name"], "abbreviation": data["abbreviation"], "region_id": region.pk if region else None},
            dry_run=dry_run,
        )
        states[data["code"]] = row or states.get(data["code"])
        report.count("states", status)

    certifications: dict[str, CertificationStandard | None] = {c.code: c for c in CertificationStandard.objects.all()}
    for data in catalogue.certifications:
        row, status = _upsert(
            CertificationStandard,
            certifications.get(data["code"]),
            {"code": data["code"]},
            {"name": data["name"], "description_es": data["description_es"], "description_en": data["description_en"]},
            dry_run=dry_run,
        )
        certifications[data["code"]] = row or certifications.get(data["code"])
        report.count("certification standards", status)

    program_data = catalogue.program
    program, status = _upsert(
        Program,
        Program.objects.filter(code=program_data["code"]).first(),
        {"code": program_data["code"]},
        {key: program_data[key] for key in PROGRAM_KEYS},
        dry_run=dry_run,
    )
    report.count("programs", status)

    anchors: dict[str, AnchorCompany | None] = (
        {a.name: a for a in AnchorCompany.objects.filter(program=program)} if program else {}
    )
    for data in catalogue.anchors:
        state = states.get(data["state"])
        row, status = _upsert(
            AnchorCompany,
            anchors.get(data["name"]),
            {"program": program, "name": data["name"]},
            {
                "kind": data["kind"],
                "state_id": state.pk if state else None,
                "description_es": data["description_es"],
                "description_en": data["description_en"],
            },
            dry_run=dry_run,
        )
        anchors[data["name"]] = row or anchors.get(data["name"])
        report.count("anchor companies", status)

    areas = {}
    if program is not None:
        areas = {
            a.code: a
            for a in CriticalSupplyArea.objects.filter(program=program).prefetch_related(
                "anchors", "required_certifications", "requirements"
            )
        }
    for data in catalogue.areas:
        existing = areas.get(data["code"])
        row, status = _upsert(
            CriticalSupplyArea,
            existing,
            {"program": program, "code": data["code"]},
            {key: data[key] for key in ("name_es", "name_en", "scian_code", "description_es", "description_en")},
            dry_run=dry_run,
        )
        links_changed = _area_links(row, data, anchors, certifications, dry_run=dry_run)
        if status == UNCHANGED and links_changed:
            status = UPDATED
        report.count("supply areas", status)
    return program, report


def _area_links(area, data: dict, anchors: dict, certifications: dict, *, dry_run: bool) -> bool:
    """Make a supply area's anchors, certifications and requirements the file's; True if any differed."""
    if area is None or area.pk is None:  # a dry run of a new area
        return True
    wanted_anchors = {anchors[name].pk for name in data["anchors"] if anchors.get(name) is not None}
    wanted_certs = {
        certifications[code].pk for code in data["required_certifications"] if certifications.get(code) is not None
    }
    wanted_requirements = dict(data["requirements"])
    current_anchors = {a.pk for a in area.anchors.all()}
    current_certs = {c.pk for c in area.required_certifications.all()}
    current_requirements = {r.dimension_code: r.minimum_score for r in area.requirements.all()}
    changed = False
    if current_anchors != wanted_anchors or len(wanted_anchors) != len(data["anchors"]):
        changed = True
        if not dry_run:
            area.anchors.set(wanted_anchors)
    if current_certs != wanted_certs or len(wanted_certs) != len(data["required_certifications"]):
        changed = True
        if not dry_run:
            area.required_certifications.set(wanted_certs)
    if current_requirements != wanted_requirements:
        changed = True
        if not dry_run:
            area.requirements.exclude(dimension_code__in=wanted_requirements).delete()
            for code, minimum in wanted_requirements.items():
                if current_requirements.get(code) != minimum:
                    AreaRequirement.objects.update_or_create(
                        area=area, dimension_code=code, defaults={"minimum_score": minimum}
                    )
    return changed
