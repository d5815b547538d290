"""The program's partners on the pages, at phone and desktop size: their names and logos fit the screen, each
logo has its partner's name as alt text, and the pages pass axe-core."""

from pathlib import Path

import pytest
from django.contrib.auth.models import Group
from django.core.files import File
from django.urls import reverse
from playwright.sync_api import expect

from core import roles
from programs.models import Partner
from tests.browser.a11y import assert_page_ok
from tests.browser.conftest import log_in
from tests.programs.factories import ProgramFactory
from tests.suppliers.factories import ContactFactory, SupplierFactory

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

LOGOS = Path(__file__).resolve().parents[2] / "demo" / "data" / "logos"
PASSWORD = "correct-horse-battery"


def _partner(program, order, name, short_name, logo, website=""):
    partner = Partner(program=program, order=order, name=name, short_name=short_name, website=website)
    with (LOGOS / logo).open("rb") as handle:
        partner.logo.save(logo, File(handle), save=False)
    partner.full_clean()
    partner.save()
    return partner


@pytest.fixture
def programs():
    first = ProgramFactory(code="ina-ifc", registration_open=True)
    _partner(first, 1, "Industria Nacional de Autopartes", "INA", "ina.png", "https://www.ina.com.mx/")
    _partner(first, 2, "International Finance Corporation", "IFC", "ifc.png")
    _partner(first, 3, "Secretaría de Economía", "", "economia.png")
    second = ProgramFactory(code="electro", registration_open=False)
    _partner(second, 1, "Clúster de Electrodomésticos del Bajío", "Clúster Electro", "cluster-electro.png")
    return first, second


def _logos_loaded(page) -> list[str]:
    """The alt text of each footer logo that the browser loaded as an image."""
    return page.eval_on_selector_all(
        "footer img.sdp-partner-logo", "els => els.filter(e => e.complete && e.naturalWidth > 0).map(e => e.alt)"
    )


def test_the_home_page_shows_the_open_programs_partners(sized_page, live_server, programs):
    page = sized_page
    page.goto(live_server.url + reverse("home"))
    footer = page.locator("footer")
    expect(footer.get_by_role("list", name="Socios del programa")).to_be_visible()
    footer.locator("img.sdp-partner-logo").last.scroll_into_view_if_needed()
    page.wait_for_function("() => [...document.querySelectorAll('footer img')].every(i => i.complete)")
    assert _logos_loaded(page) == ["Industria Nacional de Autopartes", "International Finance Corporation",
                                   "Secretaría de Economía"]  # fmt: skip
    expect(footer.get_by_role("link", name="Industria Nacional de Autopartes")).to_have_attribute(
        "href", "https://www.ina.com.mx/"
    )
    assert "Clúster" not in page.content()
    assert_page_ok(page, "home with partners")


def test_an_sme_of_the_second_program_sees_its_partners(sized_page, live_server, programs):
    contact = ContactFactory(with_user=True, supplier=SupplierFactory(program=programs[1]))
    contact.user.groups.add(Group.objects.get_or_create(name=roles.SME_GROUP)[0])
    page = sized_page
    log_in(page, live_server, contact.user.username, PASSWORD)
    page.goto(live_server.url + reverse("suppliers:privacy"))
    footer = page.locator("footer")
    expect(footer).to_contain_text("Clúster de Electrodomésticos del Bajío (Clúster Electro)")
    # A logo is loaded once it comes into view (lazy loading): at phone size the footer is far below.
    footer.locator("img.sdp-partner-logo").scroll_into_view_if_needed()
    page.wait_for_function("() => [...document.querySelectorAll('footer img')].every(i => i.complete)")
    assert _logos_loaded(page) == ["Clúster de Electrodomésticos del Bajío"]
    assert "INA" not in footer.inner_text()
    assert_page_ok(page, "privacy notice of the second program")
