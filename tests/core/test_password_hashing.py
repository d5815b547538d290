"""Passwords are hashed with Argon2id at OWASP's minimum parameters; PBKDF2 hashes verify and are upgraded."""

import pytest
from django.contrib.auth.hashers import check_password, identify_hasher, make_password

from config.settings import base
from tests.programs.factories import UserFactory

pytestmark = pytest.mark.django_db

PASSWORD = "Contraseña-de-prueba-9"


@pytest.fixture
def production_hashers(settings):
    settings.PASSWORD_HASHERS = base.PASSWORD_HASHERS


def test_new_passwords_are_argon2id_with_owasp_parameters(production_hashers):
    encoded = make_password(PASSWORD)
    assert encoded.startswith("argon2$argon2id$v=19$m=19456,t=2,p=1$")
    assert check_password(PASSWORD, encoded) and not check_password("otra-contraseña", encoded)


def test_a_pbkdf2_user_logging_in_gets_an_argon2_hash(production_hashers, client):
    user = UserFactory(username="pbkdf2-user")
    user.password = make_password(PASSWORD, hasher="pbkdf2_sha256")
    user.save(update_fields=["password"])
    assert identify_hasher(user.password).algorithm == "pbkdf2_sha256"

    response = client.post("/accounts/login/", {"username": "pbkdf2-user", "password": PASSWORD})
    assert response.status_code == 302
    user.refresh_from_db()
    assert user.password.startswith("argon2$argon2id$v=19$m=19456,t=2,p=1$")
    assert check_password(PASSWORD, user.password)


def test_a_wrong_password_leaves_the_old_hash(production_hashers, client):
    user = UserFactory(username="pbkdf2-other")
    user.password = make_password(PASSWORD, hasher="pbkdf2_sha256")
    user.save(update_fields=["password"])
    before = user.password
    response = client.post("/accounts/login/", {"username": "pbkdf2-other", "password": "no-es-la-contraseña"})
    assert response.status_code == 200
    user.refresh_from_db()
    assert user.password == before


def test_argon2_hashes_with_other_parameters_are_upgraded(production_hashers, client):
    from django.contrib.auth.hashers import Argon2PasswordHasher

    user = UserFactory(username="argon2-default")
    user.password = Argon2PasswordHasher().encode(PASSWORD, Argon2PasswordHasher().salt())
    user.save(update_fields=["password"])
    assert "m=102400" in user.password
    assert client.post("/accounts/login/", {"username": "argon2-default", "password": PASSWORD}).status_code == 302
    user.refresh_from_db()
    assert "m=19456,t=2,p=1" in user.password
