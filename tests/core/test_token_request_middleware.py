"""The session, authentication, participation and message middlewares step aside for token API requests
without cookies, and the answers are the ones Django's own middlewares give."""

import pytest
from django.test import RequestFactory, override_settings
from rest_framework.test import APIClient

from core.middleware import is_token_api_request
from core.tokens import create_token
from tests.assessments.factories import DiagnosticFactory
from tests.programs.factories import UserFactory
from tests.suppliers.factories import ContactFactory

DJANGO_MIDDLEWARE = {
    "core.middleware.SessionMiddleware": "django.contrib.sessions.middleware.SessionMiddleware",
    "core.middleware.AuthenticationMiddleware": "django.contrib.auth.middleware.AuthenticationMiddleware",
    "core.middleware.MessageMiddleware": "django.contrib.messages.middleware.MessageMiddleware",
}


def test_which_requests_are_token_api_requests():
    factory = RequestFactory()
    token = {"HTTP_AUTHORIZATION": "Token abc"}
    assert is_token_api_request(factory.get("/api/v1/suppliers/", **token))
    assert is_token_api_request(factory.get("/api/v1/x/", HTTP_AUTHORIZATION="token abc"))
    assert not is_token_api_request(factory.get("/api/v1/suppliers/"))
    assert not is_token_api_request(factory.get("/api/v1/suppliers/", HTTP_AUTHORIZATION="Bearer abc"))
    assert not is_token_api_request(factory.get("/api/v1/suppliers/", HTTP_COOKIE="sessionid=x", **token))
    assert not is_token_api_request(factory.get("/staff/", **token))


def _answers(settings, client, paths, **headers):
    answers = []
    for path in paths:
        response = client.get(path, **headers)
        answers.append((response.status_code, response.content, sorted(response.headers.items())))
    plain = [DJANGO_MIDDLEWARE.get(name, name) for name in settings.MIDDLEWARE]
    with override_settings(MIDDLEWARE=plain):
        for path, answer in zip(paths, answers, strict=True):
            response = client.get(path, **headers)
            assert answer == (response.status_code, response.content, sorted(response.headers.items())), path
    return answers


@pytest.mark.django_db
def test_token_requests_answer_as_with_djangos_middlewares(settings):
    staff = UserFactory(staff=True)
    diagnostic = DiagnosticFactory()
    paths = [
        "/api/v1/suppliers/?page_size=2",
        f"/api/v1/diagnostics/{diagnostic.pk}/",
        "/api/v1/diagnostics/0/",
        "/api/v1/no-such-thing/",
        "/api/v1/suppliers/?status=nope",
    ]
    client = APIClient()
    client.credentials(HTTP_AUTHORIZATION=f"Token {create_token(staff)[1]}")
    answers = _answers(settings, client, paths, HTTP_ACCEPT_LANGUAGE="en")
    assert [status for status, *_ in answers] == [200, 200, 404, 404, 400]
    client.credentials(HTTP_AUTHORIZATION="Token " + "f" * 43)
    assert [status for status, *_ in _answers(settings, client, paths[:1])] == [401]
    sme = ContactFactory(with_user=True).user
    client.credentials(HTTP_AUTHORIZATION=f"Token {create_token(sme)[1]}")
    assert [status for status, *_ in _answers(settings, client, ["/api/v1/me/supplier/"])] == [200]


@pytest.mark.django_db
def test_the_browsable_api_and_sessions_still_work():
    staff = UserFactory(staff=True)
    client = APIClient()
    client.credentials(HTTP_AUTHORIZATION=f"Token {create_token(staff)[1]}")
    page = client.get("/api/v1/suppliers/", HTTP_ACCEPT="text/html")
    assert page.status_code == 200 and b"<html" in page.content
    session = APIClient()
    session.force_login(staff)  # a cookie: the middlewares run, the session authenticates
    assert session.get("/api/v1/suppliers/").status_code == 200
