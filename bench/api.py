"""API benchmark: staff supplier list and diagnostic detail through gunicorn, next to the floor.

Usage (against a seeded PostgreSQL database)::

    DATABASE_URL=postgres://postgres@127.0.0.1:5432/sdp_bench_i9 \\
        .venv/bin/python bench/api.py --requests 200 --port 8109

It starts gunicorn (2 workers, ``config.wsgi`` with ``config.settings.production`` and the
environment a plain-HTTP loopback run needs), issues a staff API token, and times a bounded
number of sequential requests per endpoint (median, p95, requests/second). The floor is the same
rows read with one raw SQL query and JSON-encoded, measured twice: in this process, and through a
second gunicorn (same settings and workers, port + 1) serving ``bench/floor_wsgi.py``; each API
request is followed by its floor's, so that both are timed under the same conditions. Target: the
API median within 1.5x of the HTTP floor median (``API_TARGET``) (the in-process ratio is printed too). Queries per
request are counted in-process (Django test client and ``CaptureQueriesContext``) at two page
sizes: they must be equal (no N+1).
"""

from __future__ import annotations

import argparse
import http.client
import json
import os
import subprocess
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from bench.common import (  # noqa: E402
    ROOT,
    Verdict,
    ratio_verdict,
    report,
    setup_django,
    time_calls,
    time_interleaved,
    vacuum_analyze,
)

API_TARGET = 1.5  # API median / HTTP floor median
LIST_QUERY = {"status": "verified", "region": "bajio", "ordering": "-employees"}
PAGE_SIZE = 50
AREAS = (
    "ARRAY(SELECT a.code FROM suppliers_supplier_supply_areas sa JOIN programs_criticalsupplyarea a "
    "ON a.id = sa.criticalsupplyarea_id WHERE sa.supplier_id = s.id ORDER BY a.code)"
)
LIST_SQL = """
SELECT s.id, s.program_id, s.legal_name, s.trade_name, s.rfc, NOT s.rfc_checksum_valid, s.person_type,
       st.code, r.code, s.municipality, s.scian_code, s.sector, s.employees, s.annual_sales_mdp, s.export_share,
       s.size, s.employee_range, {areas}, s.status, s.version, s.created_at, s.updated_at
FROM suppliers_supplier s
JOIN programs_state st ON st.id = s.state_id
JOIN programs_region r ON r.id = st.region_id
WHERE s.status = %s AND r.code = %s
ORDER BY s.employees DESC, s.id DESC
LIMIT %s
"""
LIST_COLUMNS = [
    "id",
    "program",
    "legal_name",
    "trade_name",
    "rfc",
    "rfc_warning",
    "person_type",
    "state",
    "region",
    "municipality",
    "scian_code",
    "sector",
    "employees",
    "annual_sales_mdp",
    "export_share",
    "size",
    "employee_range",
    "supply_areas",
    "status",
    "version",
    "created_at",
    "updated_at",
]
DETAIL_SQL = """
SELECT d.id, d.supplier_id, COALESCE(NULLIF(s.trade_name, ''), s.legal_name), d.framework_id, d.assessor_id,
       u.username, d.baseline_id, d.scheduled_for, d.mode, d.status, d.overall_score, d.maturity_level,
       d.level_capped, d.notes, d.submitted_at, d.scored_at, d.validated_at, d.published_at, d.version
FROM assessments_diagnostic d
JOIN suppliers_supplier s ON s.id = d.supplier_id
LEFT JOIN auth_user u ON u.id = d.assessor_id
WHERE d.id = %s
"""
DETAIL_COLUMNS = [
    "id",
    "supplier",
    "supplier_name",
    "framework",
    "assessor",
    "assessor_username",
    "baseline",
    "scheduled_for",
    "mode",
    "status",
    "overall_score",
    "maturity_level",
    "level_capped",
    "notes",
    "submitted_at",
    "scored_at",
    "validated_at",
    "published_at",
    "version",
]


def _encode(value):
    return value.isoformat() if hasattr(value, "isoformat") else str(value)


def floor_list(page_size: int = PAGE_SIZE) -> bytes:
    """The supplier list page read with one raw SQL query and JSON-encoded."""
    from django.db import connection

    sql = LIST_SQL.format(areas=AREAS)
    with connection.cursor() as cursor:
        cursor.execute(sql, [LIST_QUERY["status"], LIST_QUERY["region"], page_size + 1])
        rows = cursor.fetchall()
    results = [dict(zip(LIST_COLUMNS, row, strict=True)) for row in rows[:page_size]]
    return json.dumps({"next": None, "previous": None, "results": results}, default=_encode).encode()


def floor_detail(diagnostic_id: int) -> bytes:
    from django.db import connection

    with connection.cursor() as cursor:
        cursor.execute(DETAIL_SQL, [diagnostic_id])
        row = cursor.fetchone()
    return json.dumps(dict(zip(DETAIL_COLUMNS, row, strict=True)), default=_encode).encode()


def list_path(page_size: int = PAGE_SIZE) -> str:
    from urllib.parse import urlencode

    return "/api/v1/suppliers/?" + urlencode({**LIST_QUERY, "page_size": page_size})


def staff_token() -> str:
    """A staff user's API token (the demo staff login, or a bench user)."""
    from django.contrib.auth import get_user_model
    from django.contrib.auth.models import Group

    from core import roles
    from core.tokens import create_token

    user, _ = get_user_model().objects.get_or_create(username="bench-staff", defaults={"is_staff": True})
    user.groups.add(Group.objects.get_or_create(name=roles.STAFF_GROUP)[0])
    from programs.models import Program, ProgramStaff

    for program in Program.objects.all():  # staff of every program: the figures cover all of them
        ProgramStaff.objects.get_or_create(user=user, program=program)
    return create_token(user)[1]  # a fresh key (only its hash is stored)


def diagnostic_ids(n: int) -> list[int]:
    from assessments.models import Diagnostic

    return list(
        Diagnostic.objects.filter(status__in=["scored", "validated"]).order_by("pk").values_list("pk", flat=True)[:n]
    )


def queries_per_request(token: str, diagnostic_id: int) -> dict[str, list[int]]:
    """Queries of each endpoint in-process at two page sizes (list) / two diagnostics (detail)."""
    from django.db import connection
    from django.test import Client
    from django.test.utils import CaptureQueriesContext

    client = Client(HTTP_AUTHORIZATION=f"Token {token}", HTTP_HOST="127.0.0.1")
    counts = {"list": [], "detail": []}
    for size in (10, PAGE_SIZE):
        with CaptureQueriesContext(connection) as ctx:
            response = client.get(list_path(size))
        assert response.status_code == 200, response.content[:300]
        assert len(response.json()["results"]) <= size
        counts["list"].append(len(ctx.captured_queries))
    for pk in (diagnostic_id, diagnostic_id):
        with CaptureQueriesContext(connection) as ctx:
            response = client.get(f"/api/v1/diagnostics/{pk}/")
        assert response.status_code == 200, response.content[:300]
        counts["detail"].append(len(ctx.captured_queries))
    return counts


def start_gunicorn(port: int, app: str = "config.wsgi", log_name: str = "bench-gunicorn.log") -> subprocess.Popen:
    env = {
        **os.environ,
        "DJANGO_SETTINGS_MODULE": "config.settings.production",
        "DJANGO_SECRET_KEY": "bench-only-secret-key-" + "x" * 40,
        "DJANGO_ALLOWED_HOSTS": "127.0.0.1",
        "DJANGO_SECURE_SSL_REDIRECT": "false",
        "DJANGO_SECURE_HSTS_SECONDS": "0",
        "DATABASE_CONN_MAX_AGE": "60",
        # Production requires a broker and a shared cache (the API throttles count in it).
        "CELERY_BROKER_URL": os.environ.get("CELERY_BROKER_URL") or "redis://127.0.0.1:6379/14",
        "REDIS_CACHE_URL": os.environ.get("REDIS_CACHE_URL") or "redis://127.0.0.1:6379/13",
    }
    (ROOT / "var").mkdir(exist_ok=True)
    log = open(ROOT / "var" / log_name, "w")  # noqa: SIM115 - lives as long as gunicorn
    gunicorn = str(Path(sys.executable).with_name("gunicorn"))
    return subprocess.Popen(
        # A worker's first request imports most of the project: on a loaded machine that can take longer
        # than gunicorn's default 30 s worker timeout, which would restart the worker (and time out).
        [gunicorn, app, "-w", "2", "-b", f"127.0.0.1:{port}", "--timeout", "300", "--access-logfile", "-"],
        cwd=ROOT,
        env=env,
        stdout=log,
        stderr=subprocess.STDOUT,
    )


def http_get(port: int, path: str, token: str) -> bytes:
    connection = http.client.HTTPConnection("127.0.0.1", port, timeout=30)
    try:
        connection.request("GET", path, headers={"Authorization": f"Token {token}", "Accept": "application/json"})
        response = connection.getresponse()
        body = response.read()
        if response.status != 200:
            raise RuntimeError(f"GET {path}: HTTP {response.status} {body[:300]!r}")
        return body
    finally:
        connection.close()


def wait_ready(port: int, token: str, timeout: float = 300, path: str = "/api/v1/states/") -> None:
    deadline = time.monotonic() + timeout
    while True:
        try:
            http_get(port, path, token)
            return
        except (OSError, RuntimeError):
            if time.monotonic() > deadline:
                raise
            time.sleep(0.5)


def measure(requests: int, port: int) -> list[Verdict]:
    vacuum_analyze()
    token = staff_token()
    ids = diagnostic_ids(max(requests, 10))
    if not ids:
        raise SystemExit("No scored diagnostics: seed the database first (manage.py seed_demo --size 100000).")
    counts = queries_per_request(token, ids[0])
    verdicts = [
        Verdict(
            f"api.{name}.queries", f"{c[0]} and {c[1]} queries per request ({label}; target: equal)", None, c[0] == c[1]
        )
        for name, c, label in (
            ("supplier_list", counts["list"], "page 10 vs 50"),
            ("diagnostic_detail", counts["detail"], "two diagnostics"),
        )
    ]
    floor_list_t = time_calls(lambda i: floor_list(), requests)
    floor_detail_t = time_calls(lambda i: floor_detail(ids[i % len(ids)]), requests)
    server = start_gunicorn(port)
    floor_server = start_gunicorn(port + 1, "bench.floor_wsgi:application", "bench-gunicorn-floor.log")
    try:
        wait_ready(port, token)
        wait_ready(port + 1, token, path="/floor/suppliers/")
        path = list_path()
        # Each endpoint and its floor in turn, request by request: the ratio is judged under the same
        # conditions for both (bench.common.time_interleaved).
        list_t, http_list_t = time_interleaved(
            [
                lambda i: http_get(port, path, token),
                lambda i: http_get(port + 1, "/floor/suppliers/", token),
            ],
            requests,
        )
        detail_t, http_detail_t = time_interleaved(
            [
                lambda i: http_get(port, f"/api/v1/diagnostics/{ids[i % len(ids)]}/", token),
                lambda i: http_get(port + 1, f"/floor/diagnostics/{ids[i % len(ids)]}/", token),
            ],
            requests,
        )
    finally:
        for process in (server, floor_server):
            process.terminate()
        for process in (server, floor_server):
            try:
                process.wait(timeout=60)
            except subprocess.TimeoutExpired:
                process.kill()
                process.wait()
    for name, api, floor, http_floor in (
        ("supplier_list", list_t, floor_list_t, http_list_t),
        ("diagnostic_detail", detail_t, floor_detail_t, http_detail_t),
    ):
        # Judged against the floor served through the same gunicorn (HTTP on loopback included);
        # the in-process floor is printed for reference (it leaves HTTP out, see docs/performance.md).
        verdicts.append(ratio_verdict(f"api.{name}.median", api.median, http_floor.median, API_TARGET))
        verdicts.append(
            Verdict(
                f"api.{name}.inprocess",
                f"{api.median * 1000:.1f} ms vs in-process floor {floor.median * 1000:.2f} ms  "
                f"ratio {api.median / floor.median:.1f}x (informative: no HTTP in that floor)",
                api.median / floor.median,
                True,
            )
        )
        verdicts.append(
            Verdict(
                f"api.{name}.p95",
                f"{api.p95 * 1000:.1f} ms vs HTTP floor {http_floor.p95 * 1000:.1f} ms  "
                f"ratio {api.p95 / http_floor.p95:.2f}x  "
                f"[{api.per_second:.0f} req/s vs HTTP floor {http_floor.per_second:.0f}/s, {requests} requests] "
                "(informative)",
                api.p95 / http_floor.p95,
                True,
            )
        )
    return verdicts


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--requests", type=int, default=200, help="timed requests per endpoint (default 200)")
    parser.add_argument("--port", type=int, default=8109, help="gunicorn port (default 8109; HTTP floor: +1)")
    args = parser.parse_args(argv)
    setup_django()
    return 0 if report(measure(args.requests, args.port)) else 1


if __name__ == "__main__":
    sys.exit(main())
