"""Login lockout: M failures for a username from one IP lock that pair; the right password then fails too."""

import pytest
from django.core.cache import cache

from core import lockout
from tests.programs.factories import UserFactory

pytestmark = pytest.mark.django_db
PASSWORD = "correct-horse-battery"


@pytest.fixture(autouse=True)
def _limits(settings):
    settings.SDP_LOGIN_FAILURE_LIMIT = 3
    settings.SDP_LOGIN_LOCKOUT_SECONDS = 60
    cache.clear()
    yield
    cache.clear()


def _login(client, username, password, ip="203.0.113.7"):
    return client.post("/accounts/login/", {"username": username, "password": password}, REMOTE_ADDR=ip)


def test_after_the_limit_even_the_right_password_is_refused(client):
    user = UserFactory(username="ana")
    for _ in range(3):
        assert _login(client, "ana", "wrong").status_code == 200  # the form again, with an error
    assert lockout.is_locked("ana", "203.0.113.7")
    response = _login(client, "ana", PASSWORD)
    assert response.status_code == 200 and "_auth_user_id" not in client.session
    # another IP is not locked out (the pair is what counts)
    assert _login(client, "ana", PASSWORD, ip="198.51.100.2").status_code == 302
    assert int(client.session["_auth_user_id"]) == user.pk


def test_failures_below_the_limit_are_cleared_by_a_successful_login(client):
    UserFactory(username="beto")
    _login(client, "beto", "wrong")
    _login(client, "beto", "wrong")
    assert lockout.failures("beto", "203.0.113.7") == 2
    assert _login(client, "beto", PASSWORD).status_code == 302
    assert lockout.failures("beto", "203.0.113.7") == 0


def test_username_case_does_not_dodge_the_counter(client):
    UserFactory(username="carla")
    for name in ("carla", "CARLA", "Carla"):
        _login(client, name, "wrong")
    assert lockout.is_locked("carla", "203.0.113.7")
