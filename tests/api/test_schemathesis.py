"""Schemathesis against the live API on the demo program, as each role (program staff, an SME user, an
anchor reviewer): no 5xx, every response as the schema says, whoever asks.

The demo (``tests/api/demo.py``) gives every resource rows: cohorts with candidates in every state
(a blank staged decision included), anchor reviews, support records, diagnostics, suppliers.

Checks: all, except
- ``positive_data_acceptance``: schema-valid writes are rightly refused by the
  domain (a generated ``version`` is stale -> 409, a missing If-Match -> 428,
  generated foreign keys name rows that do not exist -> 400). Those refusals
  are asserted by the tests of tests/api/test_suppliers.py.
"""

import os
import subprocess
import sys
from pathlib import Path

import pytest

from tests.api.demo import ROLES, seed_demo_api

SCHEMATHESIS = Path(sys.executable).with_name("schemathesis")
EXCLUDED_CHECKS = ["positive_data_acceptance"]


@pytest.mark.django_db(transaction=True)
@pytest.mark.parametrize("role", ROLES)
def test_api_conforms_to_its_schema(live_server, tmp_path, role):
    key = seed_demo_api()[role]
    command = [
        str(SCHEMATHESIS),
        "run",
        f"{live_server.url}/api/schema/",
        "--url",
        live_server.url,
        "-H",
        f"Authorization: Token {key}",
        "--checks",
        "all",
        "--exclude-checks",
        ",".join(EXCLUDED_CHECKS),
        "--phases",
        os.environ.get("SDP_FUZZ_PHASES", "examples,fuzzing"),
        "--max-examples",
        os.environ.get("SDP_FUZZ_EXAMPLES", "5"),
        "--seed",
        "20250601",
        "--workers",
        "1",
        "--no-color",
        "--generation-database",
        "none",
        "--request-timeout",
        "20",
        # Django's threaded test server now and then drops a keep-alive connection after a request
        # with an unread body; that is the test server, not the API: retry on network errors only.
        "--request-retries",
        "2",
        *os.environ.get("SDP_FUZZ_ARGS", "").split(),
        "--report",
        "junit",
        "--report-dir",
        str(tmp_path),
    ]
    result = subprocess.run(command, capture_output=True, text=True, timeout=600, cwd=tmp_path)
    assert result.returncode == 0, result.stdout[-15000:] + result.stderr[-3000:]
