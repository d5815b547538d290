"""``/health/``: is the database up, is the broker up, does a worker answer? JSON, 200 or 503."""

import time

from django.conf import settings
from django.db import connection, transaction
from django.http import JsonResponse
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET

TIMEOUT_SECONDS = 1.0


def _timed(check) -> dict:
    started = time.monotonic()
    try:
        result = {"status": "ok", **(check() or {})}
    except Exception as exc:  # any failure is reported, never raised
        result = {"status": "error", "error": type(exc).__name__}
    result["ms"] = round((time.monotonic() - started) * 1000, 1)
    return result


def check_database() -> dict:
    with connection.cursor() as cursor:
        cursor.execute("SELECT 1")
        cursor.fetchone()
    return {"server_version": getattr(connection, "pg_version", None)}


def _in_process() -> bool:
    from config.celery_app import app

    return bool(app.conf.task_always_eager) or not settings.CELERY_BROKER_URL


def check_broker() -> dict:
    if _in_process():
        return {"mode": "in-process"}
    import redis

    client = redis.Redis.from_url(
        settings.CELERY_BROKER_URL, socket_connect_timeout=TIMEOUT_SECONDS, socket_timeout=TIMEOUT_SECONDS
    )
    try:
        client.ping()
    finally:
        client.close()
    return {"mode": "redis"}


def check_worker() -> dict:
    if _in_process():
        return {"mode": "in-process"}
    from config.celery_app import app

    replies = app.control.ping(timeout=TIMEOUT_SECONDS)
    if not replies:
        raise RuntimeError("no worker answered")
    return {"workers": len(replies)}


@transaction.non_atomic_requests  # with the database down, ATOMIC_REQUESTS would fail before the view runs
@never_cache
@require_GET
def health(request):
    database = _timed(check_database)
    broker = _timed(check_broker)
    # no point waiting for a worker over a broker that is down
    worker = _timed(check_worker) if broker["status"] == "ok" else {"status": "error", "error": "BrokerDown"}
    checks = {"database": database, "broker": broker, "worker": worker}
    ok = all(check["status"] == "ok" for check in checks.values())
    return JsonResponse({"status": "ok" if ok else "error", "checks": checks}, status=200 if ok else 503)
