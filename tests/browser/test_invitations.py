"""Staff invite SMEs from a member list in the browser, at phone and desktop size: a file with a bad row and a
repeated RFC is imported, the summary and the problems show, the problem report downloads, and importing the
file again invites no one twice. Every page fits the screen and passes axe-core."""

import pytest
from playwright.sync_api import expect

from core.models import OutboundMessage
from suppliers.models import RegistrationInvitation
from tests.browser.a11y import assert_page_ok
from tests.browser.conftest import log_in, open_menu
from tests.programs.factories import StateFactory, UserFactory
from tests.suppliers.factories import rfc_for

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]
PASSWORD = "correct-horse-battery"


def go(page, locator) -> None:
    with page.expect_navigation():
        locator.click()


def member_list(tmp_path):
    path = tmp_path / "socios-cluster.csv"
    path.write_text(
        "RFC,Razón social,Correo electrónico,Estado\n"
        f"{rfc_for(1)},Troqueles del Bajío,compras@troqueles.example.mx,Guanajuato\n"
        f"{rfc_for(2)},Plásticos de Occidente,ana@plasticos.example.mx,JAL\n"
        f"{rfc_for(3)},Correo malo,sin-arroba.example.mx,Jalisco\n"
        f"{rfc_for(1)},Troqueles otra vez,otra@troqueles.example.mx,Guanajuato\n",
        encoding="utf-8",
    )
    return path


def test_staff_import_a_member_list_once(sized_page, live_server, tmp_path):
    StateFactory(code="11", name="Guanajuato", abbreviation="GUA")
    StateFactory(code="14", name="Jalisco", abbreviation="JAL")
    staff = UserFactory(username="staff", staff=True)
    page = sized_page
    log_in(page, live_server, staff.username, PASSWORD)
    open_menu(page)
    go(page, page.get_by_role("link", name="Invitaciones", exact=True))
    expect(page.get_by_role("heading", name="Invitar PyMEs a registrarse")).to_be_visible()
    assert_page_ok(page, "invitations")

    # A file that is not a list: a clear error next to the field, nothing saved.
    bad = tmp_path / "socios.pdf"
    bad.write_bytes(b"%PDF-1.4\n%%EOF\n")
    page.get_by_label("Lista de PyMEs (CSV o XLSX)").set_input_files(str(bad))
    go(page, page.get_by_role("button", name="Importar y enviar las invitaciones"))
    expect(page.get_by_text("Suba la lista como archivo CSV o XLSX.").first).to_be_visible()
    assert_page_ok(page, "invitations with an error")
    assert not RegistrationInvitation.objects.exists()

    page.get_by_label("Lista de PyMEs (CSV o XLSX)").set_input_files(str(member_list(tmp_path)))
    go(page, page.get_by_role("button", name="Importar y enviar las invitaciones"))
    expect(page.get_by_text("Lista importada: se enviaron 2 invitaciones.")).to_be_visible()
    expect(page.locator("#summary-invited")).to_have_text("2")
    expect(page.locator("#summary-invalid")).to_have_text("2")
    expect(page.get_by_text("El correo de contacto no es una dirección válida.")).to_be_visible()
    expect(page.get_by_text("El mismo RFC que la fila 2 del archivo.")).to_be_visible()
    assert_page_ok(page, "import summary")
    with page.expect_download() as download:
        page.get_by_role("link", name="Descargar los problemas por fila (CSV)").click()
    report = download.value.path().read_text(encoding="utf-8-sig")
    assert report.splitlines()[0] == "Fila,RFC,Problemas" and "El mismo RFC que la fila 2 del archivo." in report

    # The same file again: nobody is invited twice.
    go(page, page.get_by_role("link", name="Invitaciones").first)
    page.get_by_label("Lista de PyMEs (CSV o XLSX)").set_input_files(str(member_list(tmp_path)))
    go(page, page.get_by_role("button", name="Importar y enviar las invitaciones"))
    expect(page.get_by_text("Lista importada: se enviaron 0 invitaciones.")).to_be_visible()
    expect(page.locator("#summary-already-invited")).to_have_text("2")
    assert RegistrationInvitation.objects.count() == 2
    assert OutboundMessage.objects.filter(template="registration_invitation").count() == 2
    go(page, page.get_by_role("link", name="Invitaciones").first)
    expect(page.get_by_role("link", name="socios-cluster.csv")).to_have_count(2)
    assert_page_ok(page, "invitations with two imports")
