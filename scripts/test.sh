#!/usr/bin/env bash
# Install everything and run the whole test suite.
#
#   ./scripts/test.sh              unit, web and browser tests on the embedded default (SQLite, in-process tasks)
#   ./scripts/test.sh --services   the same suite plus the integration tests, on PostgreSQL + Redis + a real
#                                  Celery worker (DATABASE_URL / CELERY_BROKER_URL, defaults below)
# Extra arguments go to pytest.
set -euo pipefail
cd "$(dirname "$0")/.."
. scripts/bootstrap.sh
bootstrap dev

if [ "${1:-}" = "--services" ]; then
  shift
  export DATABASE_URL="${DATABASE_URL:-postgres://postgres@127.0.0.1:5432/sdp}"
  export CELERY_BROKER_URL="${CELERY_BROKER_URL:-redis://127.0.0.1:6379/15}"
  export SDP_INTEGRATION=1
  echo "== test suite on PostgreSQL ($DATABASE_URL) with Redis ($CELERY_BROKER_URL) and a Celery worker"
  .venv/bin/python scripts/check_services.py
  exec .venv/bin/python -m pytest "$@"
fi
echo "== test suite on SQLite with in-process tasks"
exec .venv/bin/python -m pytest -m "not integration" "$@"
