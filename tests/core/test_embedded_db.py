"""scripts/embedded_db.py: the embedded PostgreSQL of run.sh and test.sh, and the detection of a database
made by migrations that no longer exist."""

import importlib.util
import os
import subprocess
import sys
from pathlib import Path

import psycopg
import pytest
from django.db import connection

ROOT = Path(__file__).resolve().parents[2]
SCRIPT = ROOT / "scripts" / "embedded_db.py"


def _module():
    spec = importlib.util.spec_from_file_location("embedded_db", SCRIPT)
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def _run(*args, pgdata: Path) -> subprocess.CompletedProcess:
    env = {**os.environ, "SDP_PGDATA": str(pgdata)}
    return subprocess.run([sys.executable, str(SCRIPT), *args], env=env, capture_output=True, text=True, timeout=120)


def test_start_creates_the_database_url_reaches_it_and_stop_ends_the_server(tmp_path):
    pgdata = tmp_path / "pgdata"
    started = _run("start", "sdp_embedded_check", pgdata=pgdata)
    try:
        assert started.returncode == 0, started.stderr
        assert started.stderr.strip().endswith("started")
        url = started.stdout.strip()
        assert url.startswith("postgres://postgres@") and url.endswith("/sdp_embedded_check")
        again = _run("start", "sdp_embedded_check", pgdata=pgdata)
        assert again.stderr.strip().endswith("running") and again.stdout.strip() == url
        import dj_database_url

        params = dj_database_url.parse(url)
        with psycopg.connect(
            host=params["HOST"], port=params["PORT"], user=params["USER"], dbname=params["NAME"]
        ) as conn:
            version = conn.execute("SHOW server_version_num").fetchone()[0]
        assert int(version) >= 180000
    finally:
        stopped = _run("stop", pgdata=pgdata)
    assert stopped.returncode == 0 and stopped.stderr.strip().endswith("stopped")
    assert _run("url", pgdata=pgdata).returncode == 1  # not running any more


@pytest.mark.django_db(transaction=True)
def test_a_database_made_by_migrations_no_longer_on_disk_is_recreated_empty():
    module = _module()
    on_disk = module.migrations_on_disk()
    assert ("programs", "0001_initial") in on_disk
    name = f"sdp_stale_check_{os.getpid()}"
    settings = connection.settings_dict

    def connect(dbname):
        return psycopg.connect(
            host=settings["HOST"] or None,
            port=settings["PORT"] or None,
            user=settings["USER"] or None,
            password=settings["PASSWORD"] or None,
            dbname=dbname,
            autocommit=True,
        )

    with connect("postgres") as conn:
        conn.execute(f'DROP DATABASE IF EXISTS "{name}"')
        conn.execute(f'CREATE DATABASE "{name}"')
    try:
        with connect(name) as conn:
            conn.execute("CREATE TABLE django_migrations (id serial, app text, name text, applied timestamptz)")
            conn.execute(
                "INSERT INTO django_migrations (app, name) VALUES ('programs', '0001_initial'), "
                "('auth', '0001_initial'), ('thirdparty', '0042_gone')"
            )
        assert module.recreate_if_stale(connect, name, on_disk) == []  # every project migration still exists

        with connect(name) as conn:
            conn.execute("INSERT INTO django_migrations (app, name) VALUES ('programs', '0099_no_longer_here')")
        assert module.recreate_if_stale(connect, name, on_disk) == ["programs.0099_no_longer_here"]
        with connect(name) as conn:
            assert conn.execute("SELECT to_regclass('django_migrations')").fetchone()[0] is None

        assert module.recreate_if_stale(connect, "sdp_no_such_database", on_disk) == []
    finally:
        with connect("postgres") as conn:
            conn.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
