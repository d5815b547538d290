"""Each person's email reminders page in a real browser, at phone and desktop size: it fits, passes axe-core,
and a reminder switched off stays off."""

import pytest
from django.urls import reverse

from core.models import NotificationPreference
from tests.browser.a11y import assert_page_ok
from tests.browser.conftest import log_in
from tests.programs.factories import UserFactory

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_a_person_turns_a_reminder_off(sized_page, live_server):
    user = UserFactory(username="staff", staff=True)
    page = sized_page
    log_in(page, live_server, "staff", "correct-horse-battery")
    page.goto(live_server.url + reverse("notification-preferences"))
    assert_page_ok(page, "notification preferences")
    boxes = page.locator("input[name=by_email]")
    assert boxes.count() > 0
    first = boxes.first
    key = first.get_attribute("value")
    assert first.is_checked()  # every reminder is on until the person turns it off
    first.uncheck()
    page.get_by_role("button", name="Guardar preferencias").click()
    page.wait_for_load_state()
    assert_page_ok(page, "notification preferences, saved")
    assert not page.locator(f"input[value='{key}']").is_checked()
    assert NotificationPreference.objects.get(user=user, reminder=key).by_email is False
