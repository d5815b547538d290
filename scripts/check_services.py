"""Fail fast, with a clear message, when PostgreSQL or Redis is not reachable."""

import os
import socket
import sys
from urllib.parse import urlparse


def reachable(url: str, default_port: int) -> tuple[bool, str]:
    parsed = urlparse(url)
    host, port = parsed.hostname or "127.0.0.1", parsed.port or default_port
    try:
        with socket.create_connection((host, port), timeout=3):
            return True, f"{host}:{port}"
    except OSError as exc:
        return False, f"{host}:{port} ({exc})"


def main() -> int:
    failures = []
    for name, port in (("DATABASE_URL", 5432), ("CELERY_BROKER_URL", 6379)):
        url = os.environ.get(name, "")
        if not url:
            failures.append(f"{name} is not set")
            continue
        ok, where = reachable(url, port)
        print(f"   {name}: {'ok' if ok else 'UNREACHABLE'} {where}")
        if not ok:
            failures.append(f"{name} unreachable at {where}")
    if failures:
        print("!! services missing: " + "; ".join(failures), file=sys.stderr)
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main())
