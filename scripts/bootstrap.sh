# Sourced by scripts/run.sh and scripts/test.sh: create .venv and install what is needed.
bootstrap() {
  local profile="$1"  # "app" or "dev"
  local python="${PYTHON:-python3.11}"
  command -v "$python" >/dev/null 2>&1 || python=python3
  if [ ! -x .venv/bin/python ]; then
    echo "== creating .venv with $($python --version)"
    "$python" -m venv .venv
  fi
  local req=requirements.txt
  [ "$profile" = dev ] && req=requirements-dev.txt
  local stamp=".venv/.installed-$profile"
  if [ ! -f "$stamp" ] || [ "$req" -nt "$stamp" ] || [ requirements.txt -nt "$stamp" ]; then
    echo "== installing $req"
    .venv/bin/python -m pip install --quiet --upgrade pip
    .venv/bin/python -m pip install --quiet -r "$req"
    touch "$stamp"
  fi
  if [ "$profile" = dev ]; then
    ensure_chromium
  fi
}

ensure_chromium() {
  # Browser tests drive Debian's Chromium through Playwright (no browser download).
  if [ -x /usr/bin/chromium ] || [ -n "${SDP_CHROMIUM:-}" ]; then
    return 0
  fi
  echo "== installing Debian's chromium for the browser tests"
  local sudo=""
  [ "$(id -u)" -ne 0 ] && sudo="sudo"
  if command -v apt-get >/dev/null 2>&1; then
    $sudo apt-get update -qq >/dev/null && $sudo env DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium >/dev/null \
      || echo "!! could not install chromium; browser tests will fail (set SDP_CHROMIUM to a Chromium binary)"
  else
    echo "!! no apt-get: set SDP_CHROMIUM to a Chromium binary for the browser tests"
  fi
}

start_embedded_db() {
  # Start the embedded PostgreSQL (var/pgdata/) unless it runs already, export DATABASE_URL for database "$1",
  # and stop the server when the calling script ends if this call started it.
  local dbname="$1" state
  state="$(mktemp)"
  if ! DATABASE_URL="$(.venv/bin/python scripts/embedded_db.py start "$dbname" 2>"$state")"; then
    cat "$state" >&2
    rm -f "$state"
    echo "!! could not start the embedded PostgreSQL (see var/pgdata/log)" >&2
    return 1
  fi
  export DATABASE_URL
  if [ "$(tail -n 1 "$state")" = "started" ]; then
    echo "== embedded PostgreSQL started (var/pgdata/); it stops when this script ends"
    trap '.venv/bin/python scripts/embedded_db.py stop >/dev/null 2>&1 || true' EXIT
  else
    echo "== embedded PostgreSQL already running (var/pgdata/)"
  fi
  rm -f "$state"
}
