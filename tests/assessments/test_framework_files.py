"""A framework version as a YAML file: export and import (commands and admin) are a round trip."""

from io import StringIO

import pytest
from django.contrib.auth import get_user_model
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management import CommandError, call_command
from django.urls import reverse

from assessments.models import Framework, Question
from assessments.services.framework_files import (
    FRAMEWORKS_FOLDER,
    framework_data,
    framework_export,
    framework_load,
    framework_parse,
    framework_read,
)
from programs.datafiles import DataFileError, dump_yaml, parse_yaml
from tests.assessments.factories import DiagnosticFactory, build_framework

pytestmark = pytest.mark.django_db
DEFAULT_FILE = FRAMEWORKS_FOLDER / "sdp-auto-parts-1.yaml"


@pytest.fixture
def default_framework() -> Framework:
    return framework_load(data=framework_read(DEFAULT_FILE)).framework


def without_version(data: dict) -> dict:
    return {key: value for key, value in data.items() if key != "version"}


def test_the_exported_file_has_the_structure_of_the_file_it_was_loaded_from(default_framework):
    exported = framework_parse(framework_export(default_framework), file="export.yaml")
    assert exported == framework_read(DEFAULT_FILE)


def test_export_then_import_into_an_empty_database_is_a_round_trip():
    framework = build_framework(code="ronda", critical="quality-2", name_en="Round trip")
    text = framework_export(framework)
    before = framework_data(framework)
    framework.delete()

    load = framework_load(data=framework_parse(text, file="ronda-1.yaml"))
    assert load.status == "created"
    assert framework_data(load.framework) == before
    assert framework_export(load.framework) == text
    assert Question.objects.get(dimension__framework=load.framework, code="quality-2").cap_level == 2


def test_importing_its_own_export_changes_nothing(default_framework):
    load = framework_load(data=framework_parse(framework_export(default_framework), file="x.yaml"))
    assert load.status == "unchanged" and load.framework == default_framework
    assert Framework.objects.count() == 1


def test_export_and_import_commands(default_framework, tmp_path):
    target = tmp_path / "out.yaml"
    call_command("export_framework", "sdp-auto-parts", "--version", "1", "-o", str(target), stderr=StringIO())
    assert target.read_text(encoding="utf-8") == framework_export(default_framework)

    stdout = StringIO()
    call_command("export_framework", "sdp-auto-parts", stdout=stdout)  # the latest version, to standard output
    assert stdout.getvalue() == framework_export(default_framework)

    content = parse_yaml(target.read_text(encoding="utf-8"), file="out.yaml")
    content["dimensions"][0]["name_en"] = "Quality assurance"
    edited = tmp_path / "edited.yaml"
    edited.write_text(dump_yaml(content), encoding="utf-8")
    out = StringIO()
    call_command("import_framework", str(edited), "--dry-run", stdout=out)
    assert out.getvalue().startswith("Dry run (nothing written): sdp-auto-parts version 1: updated")
    assert default_framework.dimensions.get(code="quality").name_en == "Quality"
    call_command("import_framework", str(edited), stdout=out)
    assert default_framework.dimensions.get(code="quality").name_en == "Quality assurance"


def test_export_of_an_unknown_framework_or_version_is_refused(default_framework):
    with pytest.raises(CommandError, match="There is no version 7 of framework 'sdp-auto-parts'"):
        call_command("export_framework", "sdp-auto-parts", "--version", "7", stdout=StringIO())
    with pytest.raises(CommandError, match="There is no framework 'otro'"):
        call_command("export_framework", "otro", stdout=StringIO())


def test_import_of_a_bad_file_names_every_problem_and_saves_nothing(tmp_path):
    framework = build_framework(code="mal")
    content = parse_yaml(framework_export(framework), file="mal.yaml")
    framework.delete()
    content["dimensions"][0]["weight"] = 50
    content["bands"][0]["colour"] = "rojo"
    bad = tmp_path / "mal-1.yaml"
    bad.write_text(dump_yaml(content), encoding="utf-8")
    with pytest.raises(CommandError) as refused:
        call_command("import_framework", str(bad), stdout=StringIO())
    assert f"{bad}: dimensions: Dimension weights sum to 110, not 100." in str(refused.value)
    assert f"{bad}: bands[0].colour: unknown key" in str(refused.value)
    assert not Framework.objects.exists()


def test_a_trigger_level_is_read_exported_and_loaded():
    framework = build_framework(code="umbral", critical="quality-2")
    content = parse_yaml(framework_export(framework), file="umbral.yaml")
    framework.delete()
    question = next(q for d in content["dimensions"] for q in d["questions"] if q["code"] == "quality-2")
    assert "trigger_level" not in question  # 1, the default, is left out of the file
    question["trigger_level"] = 3
    load = framework_load(data=framework_parse(dump_yaml(content), file="umbral-1.yaml"))
    stored = Question.objects.get(dimension__framework=load.framework, code="quality-2")
    assert (stored.trigger_level, stored.cap_level) == (3, 2)
    assert "trigger_level: 3" in framework_export(load.framework)


@pytest.mark.parametrize(
    "change, problem",
    [
        ({"trigger_level": 5}, "questions[1].trigger_level: debe estar entre 1 y 4"),
        ({"trigger_level": 0}, "questions[1].trigger_level: debe estar entre 1 y 4"),
        (
            {"trigger_level": 2, "is_critical": False, "cap_level": None},
            "questions[1].trigger_level: solo una pregunta crítica tiene nivel de activación",
        ),
    ],
)
def test_a_bad_trigger_level_is_refused_at_its_key(change, problem):
    framework = build_framework(code="umbral", critical="quality-2")
    content = parse_yaml(framework_export(framework), file="umbral.yaml")
    question = next(q for d in content["dimensions"] for q in d["questions"] if q["code"] == "quality-2")
    question.update(change)
    question = {k: v for k, v in question.items() if v is not None}
    content["dimensions"][0]["questions"] = [
        question if q["code"] == "quality-2" else q for q in content["dimensions"][0]["questions"]
    ]
    with pytest.raises(DataFileError) as refused:
        framework_parse(dump_yaml(content), file="umbral-1.yaml")
    assert problem in str(refused.value)


# -- admin ----------------------------------------------------------------------------------------------


@pytest.fixture
def admin_client(client):
    client.force_login(get_user_model().objects.create_superuser("root", "root@example.mx", "correct-horse-9"))
    return client


def test_admin_downloads_a_framework_version_as_its_file(admin_client, default_framework):
    response = admin_client.post(
        reverse("admin:assessments_framework_changelist"),
        {"action": "download_framework", "_selected_action": [default_framework.pk]},
    )
    assert response.status_code == 200
    assert response["Content-Disposition"] == 'attachment; filename="sdp-auto-parts-1.yaml"'
    assert response.content.decode() == framework_export(default_framework)


def test_admin_download_asks_for_one_version_at_a_time(admin_client, default_framework, settings):
    other = build_framework(code="otro")
    admin_client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"
    response = admin_client.post(
        reverse("admin:assessments_framework_changelist"),
        {"action": "download_framework", "_selected_action": [default_framework.pk, other.pk]},
        follow=True,
    )
    assert "Choose one framework version to download." in response.content.decode()


def upload(text: str, name: str = "marco.yaml") -> SimpleUploadedFile:
    return SimpleUploadedFile(name, text.encode(), content_type="application/yaml")


def test_admin_import_page_is_linked_from_the_list_and_in_spanish(admin_client):
    changelist = admin_client.get(reverse("admin:assessments_framework_changelist")).content.decode()
    url = reverse("admin:assessments_framework_import")
    assert url in changelist and "Importar desde un archivo" in changelist
    page = admin_client.get(url).content.decode()
    assert "Archivo del marco (YAML)" in page and 'enctype="multipart/form-data"' in page


def test_admin_import_of_a_bad_file_shows_the_problems_in_spanish_and_keeps_what_is_stored(
    admin_client, default_framework
):
    DiagnosticFactory(framework=default_framework)
    before = framework_data(default_framework)
    content = framework_data(default_framework)
    content["dimensions"][1]["questions"][0]["weight"] = 0
    content["bands"][4]["max_score"] = 99
    response = admin_client.post(
        reverse("admin:assessments_framework_import"), {"file": upload(dump_yaml(content), "sdp-auto-parts-1.yaml")}
    )
    page = response.content.decode()
    assert response.status_code == 200
    assert "No se guardó nada" in page
    assert (
        "sdp-auto-parts-1.yaml: dimensions[1].questions[0].weight: Pregunta production.q1: el peso debe ser "
        "mayor que 0."
    ) in page
    assert "bands[4].max_score: Los niveles deben terminar en 100, no en 99." in page
    assert Framework.objects.count() == 1
    assert framework_data(default_framework) == before


def test_admin_import_errors_follow_the_users_language(admin_client, settings):
    admin_client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"
    response = admin_client.post(
        reverse("admin:assessments_framework_import"),
        {"file": upload("code: x\nversion: 1\nname_es: X\ndimensions: []\nbands: []\n")},
    )
    page = response.content.decode()
    assert "Nothing was saved" in page
    assert "marco.yaml: dimensions: must not be empty" in page
    assert not Framework.objects.exists()


def test_admin_import_of_a_changed_version_in_use_creates_the_next_version(admin_client, default_framework):
    DiagnosticFactory(framework=default_framework)
    content = framework_data(default_framework)
    content["name_en"] = "Auto-parts maturity model"
    response = admin_client.post(
        reverse("admin:assessments_framework_import"), {"file": upload(dump_yaml(content))}, follow=True
    )
    new = Framework.objects.get(code="sdp-auto-parts", version=2)
    assert response.redirect_chain[-1][0] == reverse("admin:assessments_framework_change", args=[new.pk])
    assert new.name_en == "Auto-parts maturity model"
    assert "se guardó como la versión 2" in response.content.decode()
    default_framework.refresh_from_db()
    assert default_framework.name_en == "Maturity model for auto-parts suppliers"
