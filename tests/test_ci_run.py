""".ci/run: the suite, then the integration and SQL tests with the pre-commit hooks running alongside them;
the run fails when either fails, and prints the hooks' output after the tests'."""

import os
import shutil
import stat
import subprocess
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent

# The stand-in for scripts/test.sh: the integration run waits (up to 5 s) for the hooks to have started.
TEST_SH = """#!/usr/bin/env bash
if [ "${1:-}" = "--services" ]; then
  for _ in $(seq 50); do [ -f hooks-started ] && break; sleep 0.1; done
  [ -f hooks-started ] || { echo "the hooks did not run alongside the integration tests"; exit 3; }
  echo "integration tests ran on $DATABASE_URL"
  exit "${SERVICES_STATUS:-0}"
fi
echo "suite ran"
"""
PRE_COMMIT = """#!/usr/bin/env bash
touch hooks-started
echo "hooks output"
exit "${HOOKS_STATUS:-0}"
"""


def _executable(path: Path, text: str) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(text)
    path.chmod(path.stat().st_mode | stat.S_IXUSR)


def _run(tmp_path: Path, **env) -> subprocess.CompletedProcess:
    (tmp_path / ".ci").mkdir()
    shutil.copy(ROOT / ".ci" / "run", tmp_path / ".ci" / "run")
    _executable(tmp_path / "scripts" / "test.sh", TEST_SH)
    _executable(tmp_path / ".venv" / "bin" / "pre-commit", PRE_COMMIT)
    return subprocess.run(
        ["bash", str(tmp_path / ".ci" / "run")],
        env={**os.environ, "CI_DATABASE_URL": "postgres://ci/db", **env},
        capture_output=True,
        text=True,
        timeout=60,
    )


def test_the_hooks_run_alongside_the_integration_tests_and_print_after_them(tmp_path):
    result = _run(tmp_path)
    assert result.returncode == 0, result.stdout + result.stderr
    out = result.stdout
    assert out.index("suite ran") < out.index("integration tests ran on postgres://ci/db") < out.index("hooks output")
    assert out.index("### 3/3") < out.index("hooks output")


@pytest.mark.parametrize(
    ("env", "message"),
    [
        ({"HOOKS_STATUS": "1"}, "the pre-commit hooks failed"),
        ({"SERVICES_STATUS": "2"}, "the integration and SQL tests failed"),
    ],
)
def test_a_failing_hook_or_integration_test_fails_the_run(tmp_path, env, message):
    result = _run(tmp_path, **env)
    assert result.returncode != 0
    assert message in result.stdout
    assert "hooks output" in result.stdout  # the hooks' output is shown either way
