"""manage.py load_reference_data: loads the catalogue and the frameworks from the data files, checks
them first (every problem named by file and key path), writes only differences, creates no users,
and never changes a framework version a diagnostic uses."""

import shutil
from decimal import Decimal
from io import StringIO
from pathlib import Path

import pytest
from django.contrib.auth import get_user_model
from django.core.management import CommandError, call_command
from django.db import connection
from django.test.utils import CaptureQueriesContext

from assessments.models import Diagnostic, Dimension, Framework, LevelDescriptor, MaturityBand, Question
from assessments.services.framework_files import FRAMEWORKS_FOLDER
from demo import second_program
from programs.datafiles import dump_yaml, read_yaml
from programs.models import (
    AnchorCompany,
    AreaRequirement,
    CertificationStandard,
    CriticalSupplyArea,
    Program,
    Region,
    State,
)
from programs.services.reference_data import DATA_FOLDER
from tests.assessments.factories import DiagnosticFactory

pytestmark = pytest.mark.django_db
FRAMEWORK_FILE = "frameworks/sdp-auto-parts-1.yaml"
WRITES = ("INSERT", "UPDATE", "DELETE")


def load(*args) -> str:
    out = StringIO()
    call_command("load_reference_data", *args, stdout=out)
    return out.getvalue()


def writes(queries) -> list[str]:
    return [q["sql"] for q in queries if q["sql"].lstrip().upper().startswith(WRITES)]


@pytest.fixture
def folder(tmp_path) -> Path:
    """A copy of the default data: catalogue files plus a frameworks/ subfolder."""
    shutil.copytree(DATA_FOLDER, tmp_path / "data")
    shutil.copytree(FRAMEWORKS_FOLDER, tmp_path / "data" / "frameworks")
    return tmp_path / "data"


def edit(folder: Path, name: str, change) -> None:
    """Rewrite one file of ``folder`` with ``change(content)`` applied (comments are dropped)."""
    path = folder / name
    content = read_yaml(path)
    change(content)
    path.write_text(dump_yaml(content), encoding="utf-8")


def row_counts(without_program: str = "") -> tuple:
    """Rows of the reference data; ``without_program``: leave out a (demo) program's catalogue."""
    paths = {Program: "code", AnchorCompany: "program__code", CriticalSupplyArea: "program__code"}
    paths[AreaRequirement] = "area__program__code"
    return tuple(
        model.objects.exclude(**{paths[model]: without_program}).count()
        if without_program and model in paths
        else model.objects.count()
        for model in (
            Region,
            State,
            CertificationStandard,
            Program,
            AnchorCompany,
            CriticalSupplyArea,
            AreaRequirement,
            Framework,
            Dimension,
            Question,
            LevelDescriptor,
            MaturityBand,
        )
    )


def test_a_fresh_database_gets_the_whole_catalogue_and_framework_and_no_users():
    users = get_user_model().objects.count()
    output = load()
    assert row_counts()[:7] == (4, 32, 19, 1, 16, 35, 93)
    program = Program.objects.get(code="ina-ifc-sdp")
    assert AnchorCompany.objects.filter(program=program).count() == 16
    area = CriticalSupplyArea.objects.get(program=program, code="SA04")
    assert {a.name for a in area.anchors.all()} >= {"Automotriz del Pacífico Norte", "Transmisiones Norte"}
    assert {c.code for c in area.required_certifications.all()} == {"iatf-16949", "cqi-27"}
    assert {r.dimension_code: r.minimum_score for r in area.requirements.all()} == {
        "quality": 60,
        "production": 60,
        "engineering": 55,
        "sustainability": 45,
    }
    assert State.objects.get(code="05").region.code == "norte"
    framework = Framework.objects.get(code="sdp-auto-parts", version=1)
    assert framework.is_published
    assert framework.dimensions.count() == 9
    assert sum(d.weight for d in framework.dimensions.all()) == 100
    questions = Question.objects.filter(dimension__framework=framework)
    assert LevelDescriptor.objects.filter(question__dimension__framework=framework).count() == 5 * questions.count()
    assert questions.get(code="quality.q1").cap_level == 2
    assert list(framework.bands.values_list("level", "min_score", "max_score")) == [
        (1, 0, 20),
        (2, 20, 40),
        (3, 40, 60),
        (4, 60, 80),
        (5, 80, 100),
    ]
    assert framework.bands.get(level=5).description_es.startswith("Mejores prácticas")
    assert get_user_model().objects.count() == users
    assert "  supply areas: 35 created" in output
    assert "framework sdp-auto-parts version 1: created." in output
    assert "108 created, 0 updated, 0 unchanged." in output


def test_a_second_run_writes_nothing_and_says_so():
    load()
    stamps = (
        Program.objects.get().updated_at,
        sorted(AnchorCompany.objects.values_list("updated_at", flat=True)),
        Framework.objects.get().updated_at,
    )
    counts = row_counts()
    with CaptureQueriesContext(connection) as queries:
        output = load()
    assert writes(queries.captured_queries) == []
    assert row_counts() == counts
    assert (
        Program.objects.get().updated_at,
        sorted(AnchorCompany.objects.values_list("updated_at", flat=True)),
        Framework.objects.get().updated_at,
    ) == stamps
    assert "  supply areas: 35 unchanged" in output
    assert "framework sdp-auto-parts version 1: unchanged." in output
    assert "Nothing to change: the database already matches the files." in output


def test_a_dry_run_checks_and_reports_but_writes_nothing():
    with CaptureQueriesContext(connection) as queries:
        output = load("--dry-run")
    assert writes(queries.captured_queries) == []
    assert row_counts() == (0,) * 12
    assert "Dry run" in output and "  states: 32 created" in output
    assert "framework sdp-auto-parts version 1: created." in output


def test_a_dry_run_after_a_change_reports_the_update_and_keeps_the_old_value(folder):
    load("--path", str(folder))
    edit(folder, "anchors.yaml", lambda c: c["anchors"][0].update(description_en="Automaker in Silao."))
    with CaptureQueriesContext(connection) as queries:
        output = load("--path", str(folder), "--dry-run")
    assert writes(queries.captured_queries) == []
    assert "  anchor companies: 1 updated, 15 unchanged" in output
    assert AnchorCompany.objects.get(name="Automotriz del Bajío").description_en != "Automaker in Silao."


def test_changes_in_the_files_are_written_and_only_they(folder):
    load("--path", str(folder))
    area = CriticalSupplyArea.objects.get(code="SA01")
    untouched = CriticalSupplyArea.objects.get(code="SA02").pk

    def change_area(content):
        sa01 = content["areas"][0]
        sa01["requirements"] = {"quality": 70, "digital": 40}  # production and engineering dropped
        sa01["anchors"] = sa01["anchors"][:2]
        sa01["name_en"] = "Sheet-metal stamping"

    edit(folder, "supply_areas.yaml", change_area)
    edit(folder, "regions.yaml", lambda c: c["regions"][3].update(name_en="Rest of Mexico"))
    output = load("--path", str(folder))
    area.refresh_from_db()
    assert area.name_en == "Sheet-metal stamping"
    assert {r.dimension_code: r.minimum_score for r in area.requirements.all()} == {"quality": 70, "digital": 40}
    assert area.anchors.count() == 2
    assert CriticalSupplyArea.objects.get(code="SA02").pk == untouched
    assert Region.objects.get(code="resto").name_en == "Rest of Mexico"
    assert "  supply areas: 1 updated, 34 unchanged" in output
    assert "  regions: 1 updated, 3 unchanged" in output
    assert "0 created, 2 updated," in output


def test_rows_missing_from_the_files_are_left_alone(folder):
    load("--path", str(folder))
    edit(folder, "supply_areas.yaml", lambda c: c["areas"].pop())
    load("--path", str(folder))
    assert CriticalSupplyArea.objects.filter(code="SA35").exists()


# -- problems in the files: named by file and key path, nothing written -----------------------------


def _set(path: tuple, value):
    def change(content):
        target = content
        for key in path[:-1]:
            target = target[key]
        target[path[-1]] = value

    return change


def _delete(path: tuple):
    def change(content):
        target = content
        for key in path[:-1]:
            target = target[key]
        del target[path[-1]]

    return change


def _question(i, j, **values):
    return lambda c: c["dimensions"][i]["questions"][j].update(values)


BAD_FILES = [
    (
        "supply_areas.yaml",
        _set(("areas", 12, "requirements"), {"qualty": 60}),
        "supply_areas.yaml: areas[12].requirements.qualty: unknown dimension code 'qualty'",
    ),
    (
        "supply_areas.yaml",
        _set(("areas", 1, "anchors"), ["Automotriz del Bajio"]),
        "supply_areas.yaml: areas[1].anchors[0]: unknown anchor 'Automotriz del Bajio'",
    ),
    (
        "supply_areas.yaml",
        _set(("areas", 2, "required_certifications"), ["iso-9999"]),
        "supply_areas.yaml: areas[2].required_certifications[0]: unknown certification 'iso-9999'",
    ),
    (
        "supply_areas.yaml",
        _set(("areas", 0, "requirements", "quality"), 120),
        "supply_areas.yaml: areas[0].requirements.quality: must be between 0 and 100",
    ),
    (
        "supply_areas.yaml",
        _set(("areas", 5, "scian_code"), "999999"),
        "supply_areas.yaml: areas[5].scian_code: SCIAN code '999999' is not in scian_classes.yaml",
    ),
    ("supply_areas.yaml", _set(("areas", 4, "code"), "SA01"), "supply_areas.yaml: areas[4].code: 'SA01' appears twice"),
    ("supply_areas.yaml", _delete(("areas", 3, "name_es")), "supply_areas.yaml: areas[3].name_es: required"),
    ("supply_areas.yaml", _set(("areas", 0, "colour"), "red"), "supply_areas.yaml: areas[0].colour: unknown key"),
    ("states.yaml", _set(("states", 0, "code"), 1), "states.yaml: states[0].code: must be text"),
    (
        "states.yaml",
        _set(("states", 4, "region"), "noreste"),
        "states.yaml: states[4].region: unknown region 'noreste'",
    ),
    ("states.yaml", _set(("states", 6, "code"), "33"), "states.yaml: states[6].code: '33' is not an INEGI state code"),
    (
        "anchors.yaml",
        _set(("anchors", 1, "name"), "Automotriz del Bajío"),
        "anchors.yaml: anchors[1].name: 'Automotriz del Bajío' appears twice",
    ),
    ("anchors.yaml", _set(("anchors", 2, "kind"), "tier2"), "anchors.yaml: anchors[2].kind: 'tier2' is not one of"),
    ("regions.yaml", _set(("regions",), {"norte": "Norte"}), "regions.yaml: regions: must be a list"),
    ("program.yaml", _set(("program", "code"), "INA IFC"), "program.yaml: program.code: 'INA IFC' is not a code"),
    (
        FRAMEWORK_FILE,
        _set(("dimensions", 0, "weight"), 19),
        "frameworks/sdp-auto-parts-1.yaml: dimensions: Dimension weights sum to 101, not 100.",
    ),
    (
        FRAMEWORK_FILE,
        _question(0, 1, weight=0),
        "frameworks/sdp-auto-parts-1.yaml: dimensions[0].questions[1].weight: Question quality.q2: weight must be > 0.",
    ),
    (
        FRAMEWORK_FILE,
        _set(("dimensions", 1, "weight"), Decimal("17.333")),
        "frameworks/sdp-auto-parts-1.yaml: dimensions[1].weight: at most 2 decimal places",
    ),
    (
        FRAMEWORK_FILE,
        lambda c: c["dimensions"][2]["questions"][0]["descriptors"].pop(),
        "frameworks/sdp-auto-parts-1.yaml: dimensions[2].questions[0].descriptors: must have exactly 5 items, not 4",
    ),
    (
        FRAMEWORK_FILE,
        _question(3, 0, is_critical=True),
        "frameworks/sdp-auto-parts-1.yaml: dimensions[3].questions[0].cap_level: a critical question needs cap_level",
    ),
    (
        FRAMEWORK_FILE,
        _question(0, 0, code="quality.q2"),
        "frameworks/sdp-auto-parts-1.yaml: dimensions[0].questions[1].code: Question quality.q2: duplicate id or code.",
    ),
    (
        FRAMEWORK_FILE,
        _set(("bands", 2, "min_score"), 45),
        "frameworks/sdp-auto-parts-1.yaml: bands[2].min_score: Gap from 40 to 45.",
    ),
    (
        FRAMEWORK_FILE,
        _set(("bands", 4, "max_score"), 99),
        "frameworks/sdp-auto-parts-1.yaml: bands[4].max_score: Bands must end at 100, not 99.",
    ),
    (
        FRAMEWORK_FILE,
        _set(("bands", 1, "level"), 1),
        "frameworks/sdp-auto-parts-1.yaml: bands: Band levels must be unique.",
    ),
]


@pytest.mark.parametrize(("name", "change", "problem"), BAD_FILES, ids=[p for _, _, p in BAD_FILES])
def test_a_bad_file_is_refused_with_its_name_and_key_path_and_nothing_is_written(folder, name, change, problem):
    edit(folder, name, change)
    with pytest.raises(CommandError) as refused:
        load("--path", str(folder))
    assert f"{folder}/{problem}" in str(refused.value)
    assert row_counts() == (0,) * 12


def test_every_problem_of_every_file_is_listed_at_once(folder):
    edit(folder, "states.yaml", _set(("states", 4, "region"), "noreste"))
    edit(folder, FRAMEWORK_FILE, _question(0, 1, weight=0))
    with pytest.raises(CommandError) as refused:
        load("--path", str(folder))
    assert "states[4].region" in str(refused.value)
    assert "dimensions[0].questions[1].weight" in str(refused.value)


@pytest.mark.parametrize(
    ("name", "text", "problem"),
    [
        ("regions.yaml", "regions:\n  - code: norte\n  name_es: [\n", "regions.yaml: line 3: not valid YAML"),
        (
            "regions.yaml",
            "regions:\n- code: norte\n  code: sur\n",
            "regions.yaml: line 3: not valid YAML: the key 'code' appears twice",
        ),
        (
            "states.yaml",
            "states:\n- {code: 01, name: Aguascalientes, abbreviation: AGU, region: bajio}\n",
            "states.yaml: states[0].code: must be text",
        ),
    ],
)
def test_unreadable_yaml_is_refused_with_its_line(folder, name, text, problem):
    (folder / name).write_text(text, encoding="utf-8")
    with pytest.raises(CommandError) as refused:
        load("--path", str(folder))
    assert f"{folder}/{problem}" in str(refused.value)
    # What refers to an unreadable file is not checked against it (no flood of follow-on problems).
    assert "unknown region" not in str(refused.value)


def test_a_missing_file_is_named(folder):
    (folder / "certification_standards.yaml").unlink()
    with pytest.raises(CommandError, match="certification_standards.yaml: file not found"):
        load("--path", str(folder))


def test_weights_are_read_as_exact_decimals(folder):
    """Numbers in the files are decimals, never floats (a float weight is refused as not a number)."""

    def split(content):
        dims = content["dimensions"]
        dims[0]["weight"], dims[1]["weight"] = Decimal("17.9"), Decimal("16.1")  # 18 + 16 as 17.9 + 16.1

    edit(folder, FRAMEWORK_FILE, split)
    load("--path", str(folder))
    assert Dimension.objects.get(code="quality").weight == Decimal("17.90")


# -- framework versions in use never change -----------------------------------------------------------


def test_a_changed_framework_in_use_is_stored_as_the_next_version(folder):
    load("--path", str(folder))
    v1 = Framework.objects.get(code="sdp-auto-parts", version=1)
    DiagnosticFactory(framework=v1)
    text = Question.objects.get(dimension__framework=v1, code="quality.q1").text_es
    edit(folder, FRAMEWORK_FILE, _question(0, 0, text_es="¿Está certificado el sistema de calidad?"))

    output = load("--path", str(folder))
    assert (
        "framework sdp-auto-parts version 1 is used by 1 diagnostics and cannot change: the file's content "
        "was stored as version 2."
    ) in output
    assert Question.objects.get(dimension__framework=v1, code="quality.q1").text_es == text
    v2 = Framework.objects.get(code="sdp-auto-parts", version=2)
    assert Question.objects.get(dimension__framework=v2, code="quality.q1").text_es == (
        "¿Está certificado el sistema de calidad?"
    )
    assert v2.is_published and Diagnostic.objects.get().framework == v1

    with CaptureQueriesContext(connection) as queries:
        again = load("--path", str(folder))
    assert writes(queries.captured_queries) == []
    assert "framework sdp-auto-parts version 1 of the file is stored as version 2: unchanged." in again
    assert Framework.objects.filter(code="sdp-auto-parts").count() == 2


def test_a_changed_framework_not_yet_used_is_updated_in_place(folder):
    load("--path", str(folder))
    framework = Framework.objects.get()
    edit(folder, FRAMEWORK_FILE, lambda c: c["bands"][0].update(name_en="Starting"))
    output = load("--path", str(folder))
    assert "framework sdp-auto-parts version 1: updated (no diagnostic uses it yet)." in output
    assert Framework.objects.get().pk == framework.pk
    assert framework.bands.get(level=1).name_en == "Starting"
    assert Question.objects.filter(dimension__framework=framework).count() == 45


def test_seed_demo_loads_the_same_reference_data():
    load()
    counts = row_counts()
    call_command("seed_demo", size=10, stdout=StringIO())
    # The demo's second program (home appliances) is demo data, not the reference catalogue.
    assert row_counts(without_program=second_program.CODE) == counts
    assert "Nothing to change" in load()
