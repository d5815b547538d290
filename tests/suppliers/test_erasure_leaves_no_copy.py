"""An ARCO erasure removes every copy of the person's data: sessions, the admin's history of the account,
and expired sessions are cleared by Celery beat."""

from datetime import timedelta

import pytest
from django.conf import settings
from django.contrib.admin.models import ADDITION, LogEntry
from django.contrib.contenttypes.models import ContentType
from django.contrib.sessions.backends.db import SessionStore
from django.contrib.sessions.models import Session
from django.utils import timezone

from core import tasks
from suppliers import privacy
from tests.suppliers.factories import ContactFactory

pytestmark = pytest.mark.django_db


def _session(**data) -> str:
    store = SessionStore()
    for key, value in data.items():
        store[key] = value
    store.create()
    return store.session_key


def test_erasure_deletes_the_sessions_that_hold_the_person(staff_user):
    contact = ContactFactory(with_user=True, email="laura@pyme.mx")
    logged_in = _session(_auth_user_id=str(contact.user.pk))
    sign_up_form = _session(signup_email="Laura@pyme.mx")  # what the sign-up page used to keep
    someone_else = _session(_auth_user_id=str(staff_user.pk), signup_email="otra@pyme.mx")
    summary = privacy.erase_supplier_personal_data(supplier=contact.supplier, actor=staff_user)
    remaining = set(Session.objects.values_list("session_key", flat=True))
    assert logged_in not in remaining and sign_up_form not in remaining
    assert someone_else in remaining
    assert summary["sessions_deleted"] == 2


def test_erasure_scrubs_the_admin_history_of_the_account(staff_user):
    contact = ContactFactory(with_user=True, email="laura@pyme.mx")
    user = contact.user
    LogEntry.objects.log_actions(user_id=staff_user.pk, queryset=[user], action_flag=ADDITION, change_message="")
    assert LogEntry.objects.filter(object_repr__icontains="laura").exists()
    privacy.erase_supplier_personal_data(supplier=contact.supplier, actor=staff_user)
    entry = LogEntry.objects.get(content_type=ContentType.objects.get_for_model(user), object_id=str(user.pk))
    assert "laura" not in entry.object_repr.lower()


def test_expired_sessions_are_cleared_by_celery_beat():
    fresh = _session(signup_email="a@pyme.mx")
    old = _session(signup_email="b@pyme.mx")
    Session.objects.filter(session_key=old).update(expire_date=timezone.now() - timedelta(seconds=1))
    tasks.clear_expired_sessions.delay().get()
    assert list(Session.objects.values_list("session_key", flat=True)) == [fresh]
    schedule = {entry["task"] for entry in settings.CELERY_BEAT_SCHEDULE.values()}
    assert "core.tasks.clear_expired_sessions" in schedule
