"""A typed client generated from ``/api/schema/`` (openapi-python-client) reads the live API on the demo
program as each role: it lists every resource and reads the first row, and its own models parse every
response (an enum value or a null the schema does not allow fails the parse, as it fails integrators)."""

import importlib
import inspect
import json
import pkgutil
import subprocess
import sys
from pathlib import Path

import pytest
from django.test import Client

from tests.api.demo import ROLES, seed_demo_api

GENERATOR = Path(sys.executable).with_name("openapi-python-client")
PACKAGE = "sdp_client"

# The lists each role may read (the others answer 403); each of these has rows for that role.
REFERENCE = {"programs", "phases", "regions", "states", "certification_standards", "anchors", "supply_areas"}
SUPPORT = {"development_plans", "plan_items", "providers", "visits", "courses", "sessions", "financing_cases"}
SOURCING = {"opportunities", "invitations", "responses", "sourcing_outcomes"}  # and opportunity_matches: not SMEs
READABLE = {
    "staff": REFERENCE
    | {"tokens", "suppliers", "frameworks", "diagnostics", "cohorts", "candidates", "anchor_reviews"}
    | SUPPORT
    | {"outcome_rounds", "outcome_responses", "indicators"}
    | SOURCING
    | {"opportunity_matches"},
    "sme": REFERENCE | {"suppliers", "outcome_responses"} | SUPPORT | SOURCING,
    "anchor": REFERENCE | {"cohorts", "candidates", "anchor_reviews"} | SOURCING | {"opportunity_matches"},
}
# Lists under a row of a resource: their name and the resource whose row they take.
NESTED_LISTS = {"financing_cases_documents": "financing_cases"}
# What an anchor reads of cohorts and candidates is its portal's view, a model of its own.
MODEL_OF_ROW = {("anchor", "cohorts"): "AnchorCohort", ("anchor", "candidates"): "AnchorCandidate"}
STAFF_MODEL_OF_ROW = {"cohorts": "Cohort", "candidates": "Candidate"}


def _generate(tmp_path: Path, schema: dict):
    (tmp_path / "schema.json").write_text(json.dumps(schema))
    (tmp_path / "config.yaml").write_text(f"package_name_override: {PACKAGE}\npost_hooks: []\n")
    result = subprocess.run(
        [
            str(GENERATOR),
            "generate",
            "--path",
            "schema.json",
            "--config",
            "config.yaml",
            "--meta",
            "none",
            "--output-path",
            PACKAGE,
        ],
        capture_output=True,
        text=True,
        timeout=300,
        cwd=tmp_path,
    )
    assert result.returncode == 0, result.stdout + result.stderr
    sys.path.insert(0, str(tmp_path))
    for name in [m for m in sys.modules if m == PACKAGE or m.startswith(f"{PACKAGE}.")]:
        del sys.modules[name]
    return importlib.import_module(PACKAGE)


def _positional(operation) -> bool:
    """Whether the operation takes a path parameter (a row's id) before its keyword arguments."""
    parameters = inspect.signature(operation.sync_detailed).parameters.values()
    return any(p.kind == p.POSITIONAL_OR_KEYWORD for p in parameters)


def _operations(package) -> dict[str, object]:
    """Every operation module of the generated client by its name (``v1_candidates_list``, ...)."""
    api = importlib.import_module(f"{PACKAGE}.api")
    modules = {}
    for info in pkgutil.walk_packages(api.__path__, prefix=f"{PACKAGE}.api."):
        module = importlib.import_module(info.name)
        if hasattr(module, "sync_detailed"):
            modules[info.name.rsplit(".", 1)[1]] = module
    return modules


@pytest.mark.django_db(transaction=True)
def test_a_generated_client_reads_every_resource_as_each_role(live_server, tmp_path, staff_user):
    keys = seed_demo_api()
    browser = Client()
    browser.force_login(staff_user)
    schema = json.loads(browser.get("/api/schema/?format=json").content)
    package = _generate(tmp_path, schema)
    operations = _operations(package)
    every_list = {
        name.removeprefix("v1_").removesuffix("_list"): op for name, op in operations.items() if name.endswith("_list")
    }
    # A list under a row (a case's documents) takes that row's id; the others are the resources.
    nested = {name: op for name, op in every_list.items() if _positional(op)}
    lists = {name: op for name, op in every_list.items() if name not in nested}
    assert set(lists) == READABLE["staff"]
    assert set(nested) == set(NESTED_LISTS)
    models = importlib.import_module(f"{PACKAGE}.models")

    for role in ROLES:
        client = package.AuthenticatedClient(
            base_url=live_server.url, token=keys[role], prefix="Token", raise_on_unexpected_status=True
        )
        readable = set()
        for resource, operation in sorted(lists.items()):
            response = operation.sync_detailed(client=client)
            assert response.status_code in (200, 403), (role, resource, response.status_code, response.content[:500])
            if response.status_code == 403:
                assert isinstance(response.parsed, models.Error)
                continue
            readable.add(resource)
            page = response.parsed
            assert page.results, f"{role}: no {resource} in the demo"
            first = page.results[0]
            expected = MODEL_OF_ROW.get((role, resource)) or STAFF_MODEL_OF_ROW.get(resource)
            if expected:
                assert type(first).__name__ == expected, (role, resource, type(first).__name__)
            retrieve = operations.get(f"v1_{resource}_retrieve")
            if retrieve is None:  # computed rows (indicators) have no detail
                continue
            lookup = next(iter(inspect.signature(retrieve.sync_detailed).parameters))
            detail = retrieve.sync_detailed(getattr(first, lookup), client=client)
            assert detail.status_code == 200, (role, resource, detail.content[:500])
            assert detail.parsed is not None and type(detail.parsed).__name__ != "Error"
        assert readable == READABLE[role], role

        for name, parent in NESTED_LISTS.items():
            if parent not in readable:
                continue
            row = lists[parent].sync_detailed(client=client).parsed.results[0]
            listed = nested[name].sync_detailed(row.id, client=client)
            assert listed.status_code == 200 and isinstance(listed.parsed, list), (role, name, listed.content[:300])

        me = operations["v1_me_supplier_retrieve"].sync_detailed(client=client)
        if role == "sme":
            assert me.status_code == 200 and type(me.parsed).__name__ == "SupplierDetail"
        else:  # not linked to a supplier
            assert me.status_code in (403, 404) and isinstance(me.parsed, models.Error), (role, me.content[:300])
        summary = operations["v1_reports_summary_retrieve"].sync_detailed(client=client)
        assert summary.status_code == (200 if role == "staff" else 403), (role, summary.content[:300])
        if role == "staff":
            cohort = lists["cohorts"].sync_detailed(client=client).parsed.results[0]
            report = operations["v1_reports_cohorts_retrieve"].sync_detailed(cohort.id, client=client)
            assert report.status_code == 200 and report.parsed is not None
