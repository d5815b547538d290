"""Every public page at phone and desktop size: no sideways scrolling, no serious axe-core violation."""

import pytest
from django.urls import reverse

from tests.browser.a11y import assert_page_ok
from tests.browser.conftest import open_menu
from tests.programs.factories import ProgramFactory

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

PUBLIC_PAGES = ["home", "login", "password_reset", "suppliers:signup", "suppliers:privacy"]


@pytest.mark.parametrize("url_name", PUBLIC_PAGES)
def test_public_page_fits_and_passes_axe(sized_page, live_server, url_name):
    ProgramFactory()
    sized_page.goto(live_server.url + reverse(url_name))
    assert_page_ok(sized_page, url_name)


def test_skip_link_leads_to_the_main_content(sized_page, live_server):
    page = sized_page
    page.goto(live_server.url + "/")
    page.keyboard.press("Tab")
    skip = page.locator("a.sdp-skip-link")
    assert skip.evaluate("el => el === document.activeElement")
    skip.press("Enter")
    assert page.evaluate("() => location.hash") == "#main"


def test_language_switch_is_a_button_not_a_select_that_submits_on_change(sized_page, live_server):
    page = sized_page
    page.goto(live_server.url + "/")
    assert page.locator("form.sdp-language select").count() == 0

    open_menu(page)
    page.get_by_role("button", name="English").click()
    page.wait_for_load_state()
    assert page.locator("html").get_attribute("lang") == "en"
    open_menu(page)
    page.get_by_role("button", name="Español").click()
    page.wait_for_load_state()
    assert page.locator("html").get_attribute("lang") == "es-mx"
