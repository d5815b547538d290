import pytest
from django.conf import settings

pytestmark = pytest.mark.django_db


def test_spanish_first_even_when_the_browser_asks_for_english(client):
    response = client.get("/", HTTP_ACCEPT_LANGUAGE="en-US,en;q=0.9")
    assert response["Content-Language"] == "es-mx"
    assert 'lang="es-mx"' in response.content.decode()


def test_the_chosen_language_sticks(client):
    response = client.post("/i18n/setlang/", {"language": "en", "next": "/"})
    assert response.cookies[settings.LANGUAGE_COOKIE_NAME].value == "en"
    response = client.get("/")
    assert response["Content-Language"] == "en"
    assert 'lang="en"' in response.content.decode()


def test_unknown_language_cookie_falls_back_to_spanish(client):
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "fr"
    assert client.get("/")["Content-Language"] == "es-mx"


def test_api_clients_choose_their_language_with_accept_language(client):
    assert client.get("/api/v1/nothing-here/", HTTP_ACCEPT_LANGUAGE="en-US,en;q=0.9")["Content-Language"] == "en"
    assert client.get("/api/v1/nothing-here/")["Content-Language"] == "es-mx"
    assert client.get("/api/v1/nothing-here/", HTTP_ACCEPT_LANGUAGE="fr")["Content-Language"] == "es-mx"
