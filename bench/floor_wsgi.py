"""Bench-only WSGI app: the API benchmark's floor served through gunicorn (never in the product URLs).

``bench/api.py`` starts it with the same gunicorn command, worker count and settings as the API
(``gunicorn bench.floor_wsgi:application``). Each request runs the floor's raw SQL
(``bench.api.floor_list`` / ``floor_detail``) on Django's database connection and returns the JSON
bytes, with no middleware, authentication, permissions or serializers. The latency of this app is
what a request costs over HTTP on loopback before any of the application's own work: the fair
floor to judge the API by (the in-process floor leaves HTTP and gunicorn out).

Paths: ``/floor/suppliers/`` (the list page) and ``/floor/diagnostics/<id>/`` (the detail).
"""

from __future__ import annotations

import os
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings.production")

import django  # noqa: E402

django.setup()

from django.db import close_old_connections  # noqa: E402

from bench.api import floor_detail, floor_list  # noqa: E402


def application(environ, start_response):
    path = environ.get("PATH_INFO", "")
    close_old_connections()  # as Django's request_started does (CONN_MAX_AGE honoured)
    try:
        if path == "/floor/suppliers/":
            body, status = floor_list(), "200 OK"
        elif path.startswith("/floor/diagnostics/") and path.rstrip("/").rsplit("/", 1)[-1].isdigit():
            body, status = floor_detail(int(path.rstrip("/").rsplit("/", 1)[-1])), "200 OK"
        else:
            body, status = b'{"detail": "Not found."}', "404 Not Found"
    finally:
        close_old_connections()
    start_response(status, [("Content-Type", "application/json"), ("Content-Length", str(len(body)))])
    return [body]
