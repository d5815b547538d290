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
