"""Sign-up, login and password reset do not tell which addresses have an account: the same answer and
the same work (calls to the password hasher, tasks queued) on every path. Never measured by timing."""

import base64
import json
import re

import pytest
from django.contrib.auth import get_user_model
from django.contrib.auth.hashers import MD5PasswordHasher
from django.contrib.sessions.models import Session
from django.urls import reverse

from core.models import OutboundMessage, QueuedTask
from suppliers.services import accounts
from tests.programs.factories import UserFactory
from tests.suppliers.factories import ContactFactory

pytestmark = pytest.mark.django_db

User = get_user_model()
SIGNUP = {"name": "Ana Pérez", "password1": "clave-segura-2025", "password2": "clave-segura-2025"}


@pytest.fixture
def hasher_calls(monkeypatch):
    """Every password hashed or checked goes through the hasher's ``encode`` (test settings: MD5)."""
    calls = []
    real = MD5PasswordHasher.encode

    def spy(self, password, salt, *args, **kwargs):
        calls.append(password)
        return real(self, password, salt, *args, **kwargs)

    monkeypatch.setattr(MD5PasswordHasher, "encode", spy)
    return calls


def _existing_accounts():
    UserFactory(username="ya@pyme.mx", email="ya@pyme.mx")
    pending = UserFactory(username="pendiente@pyme.mx", email="pendiente@pyme.mx", is_active=False)
    return pending


def test_signup_does_the_same_hashing_and_answers_the_same_on_every_path(client, program, hasher_calls):
    _existing_accounts()
    hasher_calls.clear()
    answers, work = {}, {}
    for email in ("nueva@pyme.mx", "ya@pyme.mx", "pendiente@pyme.mx"):
        before = len(hasher_calls)
        response = client.post(reverse("suppliers:signup"), {**SIGNUP, "email": email, "name": "Ana"})
        work[email] = len(hasher_calls) - before
        page = client.get(response["Location"])
        content = re.sub(rb'(nonce|value)="[^"]*"', b"", page.content)  # per-request nonce and CSRF token
        answers[email] = (response.status_code, response["Location"], page.status_code, content)
    assert work == {"nueva@pyme.mx": 1, "ya@pyme.mx": 1, "pendiente@pyme.mx": 1}
    assert len(set(answers.values())) == 1
    assert User.objects.get(username="nueva@pyme.mx").check_password("clave-segura-2025")


def test_signup_keeps_no_email_in_the_session(client, program):
    client.post(reverse("suppliers:signup"), {**SIGNUP, "email": "nueva@pyme.mx"})
    for session in Session.objects.all():
        assert "nueva@pyme.mx" not in json.dumps(session.get_decoded())


def test_verification_link_shows_no_personal_data(program):
    user = UserFactory(username="ana.perez@pyme.mx", email="ana.perez@pyme.mx", first_name="Ana")
    token = accounts.verification_token(user)
    payload = token.split(":")[0]
    decoded = base64.urlsafe_b64decode(payload + "=" * (-len(payload) % 4)).decode("utf-8", "replace")
    assert "ana" not in decoded.lower() and "pyme" not in decoded.lower()
    assert "ana" not in accounts.verification_url(user).split("/registro/")[1].lower()


def test_login_does_the_same_hashing_for_unknown_wrong_and_inactive_accounts(client, hasher_calls):
    UserFactory(username="ya@pyme.mx", email="ya@pyme.mx")
    UserFactory(username="baja@pyme.mx", email="baja@pyme.mx", is_active=False)
    hasher_calls.clear()
    work, codes = {}, set()
    for username in ("nadie@pyme.mx", "ya@pyme.mx", "baja@pyme.mx"):
        before = len(hasher_calls)
        response = client.post(reverse("login"), {"username": username, "password": "no-es-la-clave-1"})
        work[username] = len(hasher_calls) - before
        codes.add(response.status_code)
    assert set(work.values()) == {1}
    assert codes == {200}


def test_password_reset_same_answer_and_same_work_for_known_and_unknown(
    client, hasher_calls, django_capture_on_commit_callbacks
):
    UserFactory(username="ya@pyme.mx", email="ya@pyme.mx")
    hasher_calls.clear()
    answers, queued = {}, {}
    for email in ("nadie@pyme.mx", "ya@pyme.mx"):
        before = QueuedTask.objects.count()
        with django_capture_on_commit_callbacks(execute=False):
            response = client.post(reverse("password_reset"), {"email": email})
        answers[email] = (response.status_code, response["Location"])
        rows = list(QueuedTask.objects.order_by("id")[before:])
        queued[email] = [row.name for row in rows]
        assert all(email not in json.dumps(row.args) for row in rows)  # ids only, never the address
    assert answers["nadie@pyme.mx"] == answers["ya@pyme.mx"] == (302, reverse("password_reset_done"))
    assert queued["nadie@pyme.mx"] == queued["ya@pyme.mx"] == ["suppliers.tasks.send_password_reset"]
    assert hasher_calls == []


def test_password_reset_goes_through_the_outbox_in_the_users_language(client, django_capture_on_commit_callbacks):
    contact = ContactFactory(with_user=True, language="en")
    user = contact.user
    with django_capture_on_commit_callbacks(execute=True):
        client.post(reverse("password_reset"), {"email": user.email.upper()})
    message = OutboundMessage.objects.get(template="password_reset")
    assert message.recipient == user.email and message.language == "en"
    assert "/accounts/reset/" in message.body and "password" in message.subject.lower()
    with django_capture_on_commit_callbacks(execute=True):
        client.post(reverse("password_reset"), {"email": "nadie@pyme.mx"})
    assert OutboundMessage.objects.filter(template="password_reset").count() == 1


def test_password_reset_is_rate_limited_per_email_and_per_ip(client, settings, django_capture_on_commit_callbacks):
    UserFactory(username="ya@pyme.mx", email="ya@pyme.mx")
    with django_capture_on_commit_callbacks(execute=True):
        codes = [client.post(reverse("password_reset"), {"email": "ya@pyme.mx"}).status_code for _ in range(5)]
    assert codes == [302, 302, 302, 429, 429]
    assert OutboundMessage.objects.filter(template="password_reset").count() == 3
    settings.SDP_RATELIMIT_PASSWORD_RESET_IP = (2, 3600)
    codes = [
        client.post(reverse("password_reset"), {"email": f"u{i}@pyme.mx"}, REMOTE_ADDR="10.0.0.7").status_code
        for i in range(3)
    ]
    assert codes == [302, 302, 429]
    refused = client.post(reverse("password_reset"), {"email": "x@pyme.mx"}, REMOTE_ADDR="10.0.0.7")
    assert "restablecer" in refused.content.decode() or "contraseña" in refused.content.decode()
