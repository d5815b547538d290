import os

import pytest

# Playwright's sync API runs an event loop in this thread; Django refuses ORM calls from
# a thread with a running loop unless told it is safe (the test drives the browser and
# reads the database one after the other, never at the same time).
os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")

CHROMIUM = os.environ.get("SDP_CHROMIUM", "/usr/bin/chromium")
CHROMIUM_ARGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
    "--disable-dev-shm-usage",
]


@pytest.fixture(scope="session")
def browser():
    from playwright.sync_api import sync_playwright

    if not os.path.exists(CHROMIUM):
        pytest.fail(f"Chromium not found at {CHROMIUM}: install Debian's chromium or set SDP_CHROMIUM")
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS, headless=True)
        yield browser
        browser.close()


@pytest.fixture
def phone_page(browser, live_server):
    """A page in a phone-sized viewport (390x844, touch), Spanish (Mexico) browser locale."""
    context = browser.new_context(
        viewport={"width": 390, "height": 844}, device_scale_factor=2, is_mobile=True, has_touch=True, locale="es-MX"
    )
    context.set_default_timeout(15000)
    page = context.new_page()
    yield page
    context.close()


@pytest.fixture(params=["phone", "desktop"])
def sized_page(request, browser, live_server):
    """A page at phone (390x844, touch) and then desktop (1440x900) size, Spanish (Mexico) locale."""
    from tests.browser.a11y import VIEWPORTS

    phone = request.param == "phone"
    context = browser.new_context(
        viewport=VIEWPORTS[request.param],
        device_scale_factor=2 if phone else 1,
        is_mobile=phone,
        has_touch=phone,
        locale="es-MX",
    )
    context.set_default_timeout(15000)
    page = context.new_page()
    yield page
    context.close()


def open_menu(page) -> None:
    """On a phone the main menu is folded behind its button: unfold it."""
    toggler = page.locator(".navbar-toggler")
    if toggler.is_visible() and toggler.get_attribute("aria-expanded") != "true":
        toggler.click()
        page.locator("#sdp-nav.show").wait_for()


def log_out(page) -> None:
    open_menu(page)
    page.locator("form[action$='/logout/'] button").click()
    page.wait_for_load_state()


def log_in(page, live_server, username: str, password: str) -> None:
    """Log in through the login page, as a person would."""
    page.goto(live_server.url + "/accounts/login/")
    page.fill("#id_username", username)
    page.fill("#id_password", password)
    page.locator("main form button[type=submit]").click()
    page.wait_for_load_state()


@pytest.fixture(scope="session", autouse=True)
def _live_server_media_url():
    """Django's live server wraps its handler for MEDIA_URL and breaks on ``MEDIA_URL = None``.

    The project serves uploads only through permission-checked views (MEDIA_URL is None on
    purpose), so the browser tests give the live server a prefix no page links to.
    """
    from django.conf import settings

    original = settings.MEDIA_URL
    if original is None:
        settings.MEDIA_URL = "/_live-server-media-unused/"
    yield
    settings.MEDIA_URL = original
