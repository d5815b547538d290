"""Dependencies between the apps point one way (docs/architecture.md):

    core <- programs <- suppliers <- assessments <- cohorts <- support <- sourcing <- outcomes <- reports, demo

An app may use the apps to its left and none to its right; ``core`` uses no app; ``reports`` and ``demo``
do not use each other. Every ``.py`` file of an app counts, migrations included, and so does every way of
naming another app: imports (at the top of a module or inside a function), ``apps.get_model("app", "Model")``
and ``apps.get_model("app.Model")``, lazy relations (``ForeignKey("app.Model")``, ``to="app.Model"``,
``through="app.Model"``) and migration dependencies. ``tests/``, ``bench/`` and ``config/`` may use any app.
"""

import ast
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
ORDER = (
    "core",
    "programs",
    "suppliers",
    "assessments",
    "cohorts",
    "support",
    "sourcing",
    "outcomes",
    ("reports", "demo"),
)
LEVEL = {app: level for level, apps in enumerate(ORDER) for app in ((apps,) if isinstance(apps, str) else apps)}
EXEMPT = {"tests", "bench", "config"}
RELATIONS = {"ForeignKey", "OneToOneField", "ManyToManyField", "ForeignObject"}
RELATION_KEYWORDS = {"to", "through"}


def _name(func: ast.expr) -> str:
    if isinstance(func, ast.Attribute):
        return func.attr
    if isinstance(func, ast.Name):
        return func.id
    return ""


def _string(node: ast.expr | None) -> str | None:
    return node.value if isinstance(node, ast.Constant) and isinstance(node.value, str) else None


def _label_app(label: str | None) -> str | None:
    """``"app.Model"`` -> ``"app"`` (``None`` for anything else, e.g. ``"self"`` or a bare model name)."""
    if label and label.count(".") == 1:
        return label.split(".")[0]
    return None


def references(source: str) -> list[tuple[int, str, str]]:
    """``(line, app, how)`` for every app a module's source names (its own app included)."""
    found: list[tuple[int, str, str]] = []
    for node in ast.walk(ast.parse(source)):
        if isinstance(node, ast.Import):
            found += [(node.lineno, alias.name.split(".")[0], f"import {alias.name}") for alias in node.names]
        elif isinstance(node, ast.ImportFrom) and node.level == 0 and node.module:
            found.append((node.lineno, node.module.split(".")[0], f"from {node.module} import ..."))
        elif isinstance(node, ast.Call):
            name = _name(node.func)
            args = [_string(arg) for arg in node.args]
            if name == "get_model" and args:
                if len(args) >= 2 and args[0] and args[1]:
                    found.append((node.lineno, args[0], f'get_model("{args[0]}", "{args[1]}")'))
                elif app := _label_app(args[0]):
                    found.append((node.lineno, app, f'get_model("{args[0]}")'))
            if name in RELATIONS and args and (app := _label_app(args[0])):
                found.append((node.lineno, app, f'{name}("{args[0]}")'))
            for keyword in node.keywords:
                if keyword.arg in RELATION_KEYWORDS and (app := _label_app(_string(keyword.value))):
                    found.append((node.lineno, app, f'{keyword.arg}="{_string(keyword.value)}"'))
        elif isinstance(node, ast.Assign) and any(
            isinstance(t, ast.Name) and t.id == "dependencies" for t in node.targets
        ):
            for element in getattr(node.value, "elts", []):
                pair = [_string(e) for e in getattr(element, "elts", [])]
                if len(pair) == 2 and pair[0]:
                    found.append((element.lineno, pair[0], f'migration dependency ("{pair[0]}", "{pair[1]}")'))
    return found


def may_use(app: str, other: str) -> bool:
    if other == app or other not in LEVEL:  # itself, Django, the standard library, third-party packages
        return True
    return LEVEL[other] < LEVEL[app]


def violations(app: str, source: str, where: str) -> list[str]:
    return [
        f"{where}:{line}: {app} uses {other} ({how})"
        for line, other, how in references(source)
        if not may_use(app, other)
    ]


def project_apps() -> list[str]:
    return sorted(path.parent.name for path in ROOT.glob("*/apps.py") if path.parent.name not in EXEMPT)


def test_every_app_has_a_place_in_the_order():
    assert project_apps(), "no app found"
    assert [app for app in project_apps() if app not in LEVEL] == []


@pytest.mark.parametrize("app", project_apps())
def test_app_uses_only_the_apps_below_it(app):
    problems = []
    for path in sorted((ROOT / app).rglob("*.py")):
        where = str(path.relative_to(ROOT))
        problems += violations(app, path.read_text(encoding="utf-8"), where)
    assert problems == [], "\n".join(problems)


@pytest.mark.parametrize("app", project_apps())
def test_no_app_changes_another_apps_admin(app):
    """Each app declares its own admin inlines and actions; none reaches into the admin site's registry."""
    found = [
        f"{path.relative_to(ROOT)}"
        for path in sorted((ROOT / app).rglob("*.py"))
        if "site._registry" in path.read_text(encoding="utf-8")
    ]
    assert found == []


# The checker itself: each way of naming an app is caught, and what is allowed passes.
@pytest.mark.parametrize(
    ("app", "source", "expected"),
    [
        ("core", "import programs.models", ["x.py:1: core uses programs (import programs.models)"]),
        (
            "core",
            "from suppliers.models import Supplier",
            ["x.py:1: core uses suppliers (from suppliers.models import ...)"],
        ),
        (
            "programs",
            "def f():\n    from cohorts import services\n",
            ["x.py:2: programs uses cohorts (from cohorts import ...)"],
        ),
        (
            "suppliers",
            'apps.get_model("assessments", "Diagnostic")',
            ['x.py:1: suppliers uses assessments (get_model("assessments", "Diagnostic"))'],
        ),
        (
            "suppliers",
            'apps.get_model("cohorts.Candidate")',
            ['x.py:1: suppliers uses cohorts (get_model("cohorts.Candidate"))'],
        ),
        (
            "programs",
            'models.ForeignKey("suppliers.Supplier", on_delete=models.CASCADE)',
            ['x.py:1: programs uses suppliers (ForeignKey("suppliers.Supplier"))'],
        ),
        (
            "assessments",
            'migrations.AddField(field=models.ForeignKey(to="cohorts.cohort"))',
            ['x.py:1: assessments uses cohorts (to="cohorts.cohort")'],
        ),
        (
            "programs",
            'models.ManyToManyField("programs.State", through="suppliers.Link")',
            ['x.py:1: programs uses suppliers (through="suppliers.Link")'],
        ),
        (
            "programs",
            'class M:\n    dependencies = [("cohorts", "0001_initial")]\n',
            ['x.py:2: programs uses cohorts (migration dependency ("cohorts", "0001_initial"))'],
        ),
        ("reports", "import demo.builder", ["x.py:1: reports uses demo (import demo.builder)"]),
        ("cohorts", "from suppliers.models import Supplier\nimport programs\nfrom core import audit", []),
        ("cohorts", 'apps.get_model("programs", "State")\nmodels.ForeignKey("self")\nfrom . import models', []),
        ("reports", "import cohorts.models\nimport django.db\nimport ortools", []),
        ("core", "get_model(app_label, model_name)\nmodels.ForeignKey(settings.AUTH_USER_MODEL)", []),
    ],
)
def test_the_checker_names_file_and_line(app, source, expected):
    assert violations(app, source, "x.py") == expected
