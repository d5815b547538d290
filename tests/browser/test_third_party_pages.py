"""The admin and the API docs page (third-party markup): no serious or critical axe-core violation beyond the
recorded baseline (tests/browser/axe_baseline.json: page -> rule id -> affected elements), and the baseline
only shrinks: a rule that no longer fires must be taken out of it.

The API docs page draws a block per endpoint, so the number of elements a rule flags there grows with the API:
its baseline holds rule ids (``null`` counts), and only a new rule fails."""

import json
from pathlib import Path

import pytest
from axe_playwright_python.sync_playwright import Axe

from tests.browser.a11y import BLOCKING_IMPACTS
from tests.browser.conftest import log_in
from tests.programs.factories import UserFactory

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

BASELINE_FILE = Path(__file__).with_name("axe_baseline.json")
PAGES = {
    "admin login": "/admin/login/",
    "admin index": "/admin/",
    "admin registrations": "/admin/suppliers/supplier/",
    "api docs": "/api/docs/",
}


def blocking_counts(page) -> dict[str, int]:
    """Serious or critical violations on the page: rule id -> how many elements."""
    results = Axe().run(page)
    return {v["id"]: len(v["nodes"]) for v in results.response["violations"] if v.get("impact") in BLOCKING_IMPACTS}


def test_third_party_pages_stay_within_their_baseline(browser, live_server):
    from tests.suppliers.factories import SupplierFactory

    UserFactory(username="staff", staff=True)
    SupplierFactory()
    baseline = json.loads(BASELINE_FILE.read_text())
    context = browser.new_context(viewport={"width": 1440, "height": 900}, locale="es-MX")
    page = context.new_page()
    found = {}
    try:
        page.goto(live_server.url + PAGES["admin login"])
        found["admin login"] = blocking_counts(page)
        log_in(page, live_server, "staff", "correct-horse-battery")
        for label, url in PAGES.items():
            if label == "admin login":
                continue
            page.goto(live_server.url + url)
            page.wait_for_load_state("networkidle")
            found[label] = blocking_counts(page)
    finally:
        context.close()
    assert set(baseline) == set(PAGES)
    for label in PAGES:
        allowed = baseline[label]
        new = {
            rule: n
            for rule, n in found[label].items()
            if rule not in allowed or (allowed[rule] is not None and n > allowed[rule])
        }
        assert not new, f"{label}: violations beyond the baseline {new} (baseline {allowed})"
        gone = {
            rule
            for rule in allowed
            if rule not in found[label] or (allowed[rule] is not None and found[label][rule] < allowed[rule])
        }
        assert not gone, f"{label}: {sorted(gone)} improved; lower them in {BASELINE_FILE.name} (found {found[label]})"
