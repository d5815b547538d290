#!/usr/bin/env bash
# Load test on loopback: gunicorn (PostgreSQL, seeded) driven by Locust headless.
#
#   bench/load.sh                # 60 s, 20 users, 3 gunicorn workers, port 8108
#   USERS=40 DURATION=120s WORKERS=4 PORT=8108 bench/load.sh
#   REAL_LIMITS=1 USERS=10 DURATION=30s bench/load.sh   # real registration limits: 429s expected
#
# Needs PostgreSQL at 127.0.0.1:5432 (user postgres). Creates/migrates/seeds the
# database $LOAD_DB (default sdp_i8_load), starts gunicorn on 127.0.0.1:$PORT,
# runs Locust, prints requests/s, median and p95 latency and the error count,
# then stops gunicorn. Only 127.0.0.1 is contacted.
#
# Registration rate limit: every Locust user comes from 127.0.0.1, so the real
# per-IP limit (20 sign-ups an hour) would turn the run into a test of the 429
# page. The load run therefore raises it (LOAD_RATELIMIT_IP, default 1000000);
# the per-email limit stays real (each user signs up with a fresh address).
# REAL_LIMITS=1 keeps the real limits and tells Locust that a 429 on the sign-up
# POST is expected (counted apart, not as an error).
set -euo pipefail
cd "$(dirname "$0")/.."
PY=${PY:-.venv/bin/python}
BIN=$(dirname "$PY")
PORT=${PORT:-8108}
USERS=${USERS:-20}
SPAWN_RATE=${SPAWN_RATE:-5}
DURATION=${DURATION:-60s}
WORKERS=${WORKERS:-3}
SUPPLIERS=${SUPPLIERS:-500}
LOAD_DB=${LOAD_DB:-sdp_i8_load}
OUT=${OUT:-var/load}
mkdir -p "$OUT"

export DATABASE_URL="postgres://postgres@127.0.0.1:5432/${LOAD_DB}"
export DJANGO_SETTINGS_MODULE=config.settings.local
export DJANGO_DEBUG=0
export DJANGO_ALLOWED_HOSTS=127.0.0.1
export DJANGO_EMAIL_BACKEND=django.core.mail.backends.dummy.EmailBackend
export DATABASE_CONN_MAX_AGE=60
export DJANGO_LOG_LEVEL=ERROR
unset CELERY_BROKER_URL REDIS_CACHE_URL SDP_RATELIMIT_REGISTRATION_EMAIL || true
if [ "${REAL_LIMITS:-0}" = 1 ]; then
  unset SDP_RATELIMIT_REGISTRATION_IP || true
  export SDP_EXPECT_RATELIMIT=1
else
  export SDP_RATELIMIT_REGISTRATION_IP="${LOAD_RATELIMIT_IP:-1000000}"
  export SDP_EXPECT_RATELIMIT=0
fi

psql -h 127.0.0.1 -U postgres -tAc "SELECT 1 FROM pg_database WHERE datname='${LOAD_DB}'" | grep -q 1 \
  || createdb -h 127.0.0.1 -U postgres "$LOAD_DB"
"$PY" manage.py migrate --noinput -v 0
"$PY" manage.py collectstatic --noinput -v 0
SEED=$("$PY" bench/seed_load.py "$SUPPLIERS")
echo "$SEED" | head -1
TOKEN=$(echo "$SEED" | tail -1)

"$BIN/gunicorn" config.wsgi:application --bind "127.0.0.1:${PORT}" --workers "$WORKERS" \
  --access-logfile /dev/null --error-logfile "$OUT/gunicorn.log" --pid "$OUT/gunicorn.pid" >>"$OUT/gunicorn.log" 2>&1 &
GUNICORN=$!
trap 'kill "$GUNICORN" 2>/dev/null; wait "$GUNICORN" 2>/dev/null || true' EXIT
for _ in $(seq 1 50); do curl -sf "http://127.0.0.1:${PORT}/health/" >/dev/null && break; sleep 0.2; done

SDP_STAFF_TOKEN="$TOKEN" SDP_GROUPS_CSV="$OUT/locust_groups.csv" "$BIN/locust" -f bench/locustfile.py --headless --host "http://127.0.0.1:${PORT}" \
  -u "$USERS" -r "$SPAWN_RATE" -t "$DURATION" --csv "$OUT/locust" --only-summary --loglevel WARNING \
  >"$OUT/locust.out" 2>&1 || true

"$PY" - "$OUT/locust_stats.csv" "$OUT/locust_failures.csv" "$OUT/locust_groups.csv" <<'PYEOF'
import csv, sys
rows = list(csv.DictReader(open(sys.argv[1])))
for row in rows:
    if row["Name"] != "Aggregated":
        print(f'  {row["Type"]:5} {row["Name"][:62]:62} n={row["Request Count"]:>6} fail={row["Failure Count"]:>3} '
              f'rps={float(row["Requests/s"]):5.1f} median={float(row["Median Response Time"]):5.0f} ms p95={row["95%"]:>5} ms')
for group in csv.DictReader(open(sys.argv[3])):
    print(f'GROUP {group["group"]:7} requests={group["requests"]:>6} errors={group["failures"]:>3} '
          f'rps={float(group["rps"]):5.1f} median={group["median_ms"]:>5} ms p95={group["p95_ms"]:>5} ms')
total = next(r for r in rows if r["Name"] == "Aggregated")
print(f'TOTAL requests={total["Request Count"]} errors={total["Failure Count"]} '
      f'rps={float(total["Requests/s"]):.1f} median_ms={total["Median Response Time"]} p95_ms={total["95%"]}')
for failure in csv.DictReader(open(sys.argv[2])):
    print(f'FAILURE {failure["Method"]} {failure["Name"]}: {failure["Error"]} x{failure["Occurrences"]}')
PYEOF
