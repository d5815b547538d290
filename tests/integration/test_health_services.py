"""``/health/`` against the real Redis and a real worker."""

import pytest

pytestmark = [pytest.mark.integration, pytest.mark.django_db(transaction=True)]


def test_all_ok_with_a_running_worker(client, celery_worker):
    response = client.get("/health/")
    assert response.status_code == 200, response.json()
    checks = response.json()["checks"]
    assert checks["database"]["server_version"] >= 150000  # PostgreSQL 15 or newer
    assert checks["broker"]["mode"] == "redis" and checks["worker"]["workers"] >= 1
