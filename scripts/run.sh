#!/usr/bin/env bash
# Install everything, create the database, load the demo data and serve SDP.
# Embedded default: SQLite and in-process Celery tasks. Set DATABASE_URL / CELERY_BROKER_URL to use
# PostgreSQL / Redis (then also run a worker: .venv/bin/celery -A config worker -B -l info).
set -euo pipefail
cd "$(dirname "$0")/.."
. scripts/bootstrap.sh
bootstrap app
PORT="${PORT:-8000}"
.venv/bin/python manage.py migrate --noinput
.venv/bin/python manage.py compilemessages --ignore=.venv >/dev/null 2>&1 || true
.venv/bin/python manage.py seed_demo
echo
echo "== SDP is running at http://127.0.0.1:${PORT}/  (admin: http://127.0.0.1:${PORT}/admin/)"
echo "   demo logins are listed above; press Ctrl+C to stop"
exec .venv/bin/python manage.py runserver "127.0.0.1:${PORT}"
