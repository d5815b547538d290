"""A development plan and its delivery end to end in the browser, at phone and desktop size: staff create
the plan from the diagnostic and assign a mentor, the consultant logs a visit, the SME moves an item and
confirms the visit. Every page fits the screen and passes axe-core."""

import pytest
from playwright.sync_api import expect

from support.models import DevelopmentPlan, Visit
from tests.browser.a11y import assert_page_ok
from tests.browser.conftest import log_in, log_out, open_menu
from tests.support.factories import SupportWorld

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]
PASSWORD = "correct-horse-battery"


def go(page, locator) -> None:
    """Follow a link or submit a form, and wait for the next page."""
    with page.expect_navigation():
        locator.click()


def test_staff_provider_and_sme_run_a_plan(sized_page, live_server):
    world = SupportWorld()
    mentor = world.make_provider(name="Mentora Dos", kind="mentor")
    page = sized_page

    log_in(page, live_server, world.staff.username, PASSWORD)
    open_menu(page)
    go(page, page.get_by_role("link", name="Planes de desarrollo"))
    assert_page_ok(page, "staff support home")
    go(page, page.get_by_role("link", name=f"Crear plan {world.supplier}"))
    assert_page_ok(page, "staff new plan")
    go(page, page.get_by_role("button", name="Crear el plan"))
    expect(page.get_by_text("El plan de desarrollo se creó con 2 acciones.")).to_be_visible()
    assert_page_ok(page, "staff plan")
    page.locator("#id_assign-provider").select_option(str(mentor.pk))
    go(page, page.get_by_role("button", name="Asignar al asesor"))
    expect(page.get_by_text("El asesor quedó asignado a esta PyME.")).to_be_visible()
    assert DevelopmentPlan.objects.get().items.count() == 2
    log_out(page)

    log_in(page, live_server, world.provider.user.username, PASSWORD)
    open_menu(page)
    go(page, page.get_by_role("link", name="Mis PyMEs"))
    assert_page_ok(page, "provider home")
    go(page, page.locator(f"main a[href='/asesores/pymes/{world.candidate.pk}/']"))
    page.get_by_label("Horas").fill("2.5")
    page.get_by_label("Temas").fill("Control estadístico del proceso")
    go(page, page.get_by_role("button", name="Registrar la visita"))
    expect(page.get_by_text("La visita quedó registrada. La PyME la confirmará.")).to_be_visible()
    assert_page_ok(page, "provider SME")
    assert Visit.objects.get().status == "logged"
    log_out(page)

    log_in(page, live_server, world.sme_user.username, PASSWORD)
    open_menu(page)
    go(page, page.get_by_role("link", name="Mi plan de desarrollo"))
    assert_page_ok(page, "SME plan")
    go(page, page.get_by_role("button", name="Confirmar"))
    expect(page.get_by_text("Gracias: la visita quedó confirmada.")).to_be_visible()
    item = DevelopmentPlan.objects.get().items.get(kind="improvement")
    page.locator(f"#id_i{item.pk}-status").select_option("in_progress")
    page.locator(f"#id_i{item.pk}-note").fill("Ya medimos el proceso de troquelado")
    go(page, page.locator(f"form:has(input[value='item-{item.pk}']) button[type=submit]"))
    expect(page.get_by_text("Su avance quedó guardado.")).to_be_visible()
    assert_page_ok(page, "SME plan after progress")
    item.refresh_from_db()
    assert Visit.objects.get().status == "confirmed" and item.status == "in_progress"


def test_staff_run_a_course_and_the_trainer_records_attendance(sized_page, live_server):
    from support.models import Attendance, Course

    world = SupportWorld()
    trainer = world.make_provider(name="Capacitadora Tres", kind="trainer")
    page = sized_page

    log_in(page, live_server, world.staff.username, PASSWORD)
    open_menu(page)
    go(page, page.get_by_role("link", name="Capacitación"))
    assert_page_ok(page, "staff courses")
    page.get_by_label("Cohorte").select_option(str(world.cohort.pk))
    page.get_by_label("Título").fill("Core tools")
    page.locator("#id_trainer").select_option(str(trainer.pk))
    go(page, page.get_by_role("button", name="Crear el curso"))
    expect(page.get_by_text("Se creó el curso.")).to_be_visible()
    assert_page_ok(page, "staff course")
    page.get_by_text("Agregar una sesión").click()
    page.locator("#id_session-starts_at").fill("2026-12-10T09:00")
    page.locator("#id_session-ends_at").fill("2026-12-10T08:00")
    page.locator("#id_session-place").fill("León")
    go(page, page.get_by_role("button", name="Agregar la sesión"))
    expect(page.locator(".sdp-error-summary")).to_contain_text("La sesión debe terminar después de empezar")
    assert_page_ok(page, "staff course, a session out of order")
    page.locator("#id_session-ends_at").fill("2026-12-10T13:00")
    go(page, page.get_by_role("button", name="Agregar la sesión"))
    expect(page.get_by_text("Se agregó la sesión.")).to_be_visible()
    page.get_by_text("Inscribir a una PyME").click()
    page.locator("#id_enrol-candidate").select_option(str(world.candidate.pk))
    page.locator("#id_enrol-participants").fill("Ana Ruiz\nLuis Pérez")
    go(page, page.get_by_role("button", name="Inscribir", exact=True))
    expect(page.get_by_text("Se inscribió a la PyME con sus participantes.")).to_be_visible()
    assert_page_ok(page, "staff course with an SME enrolled")
    log_out(page)

    course = Course.objects.get()
    log_in(page, live_server, trainer.user.username, PASSWORD)
    open_menu(page)
    go(page, page.get_by_role("link", name="Mis cursos"))
    assert_page_ok(page, "trainer courses")
    go(page, page.get_by_role("link", name="Core tools"))
    assert_page_ok(page, "trainer course")
    go(page, page.locator(f"main a[href='/asesores/sesiones/{course.sessions.get().pk}/']"))
    assert_page_ok(page, "trainer attendance")
    page.get_by_role("group", name="Ana Ruiz").get_by_label("Presente").check()
    page.get_by_role("group", name="Luis Pérez").get_by_label("Justificada").check()
    go(page, page.get_by_role("button", name="Guardar la asistencia"))
    expect(page.get_by_text("Se guardó la asistencia.")).to_be_visible()
    assert_page_ok(page, "trainer attendance saved")
    assert dict(Attendance.objects.values_list("participant__name", "status")) == {
        "Ana Ruiz": "present",
        "Luis Pérez": "excused",
    }


def test_the_sme_uploads_evidence_on_a_plan_item_and_staff_download_it(sized_page, live_server, settings, tmp_path):
    from support.models import Evidence
    from support.services import plan_create

    settings.MEDIA_ROOT = tmp_path
    world = SupportWorld()
    plan = plan_create(
        candidate=world.candidate,
        actor=world.staff,
        items=[{"title": "Implantar control visual en estampado", "dimension_code": "quality"}],
    )
    item = plan.items.get()
    pdf = tmp_path / "control-visual.pdf"
    pdf.write_bytes(b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n")
    fake = tmp_path / "fotos.pdf"
    fake.write_bytes(b"MZ\x90\x00 this is a program, not a document")
    page = sized_page

    log_in(page, live_server, world.sme_user.username, PASSWORD)
    open_menu(page)
    go(page, page.get_by_role("link", name="Mi plan de desarrollo"))
    page.get_by_text("Agregar evidencia", exact=False).click()
    send = page.locator(f"form:has(input[value='evidence-{item.pk}']) button[type=submit]")
    page.locator(f"#id_e{item.pk}-file").set_input_files(str(fake))
    go(page, send)
    # A file that is not a PDF, PNG or JPEG is refused with its field's message, the form left open.
    expect(page.locator(f"#id_e{item.pk}-file_error")).to_contain_text("Solo se aceptan archivos PDF, PNG o JPEG")
    assert_page_ok(page, "SME plan, evidence refused")
    assert not Evidence.objects.exists() and not list((tmp_path / "support").glob("**/*.*"))
    page.locator(f"#id_e{item.pk}-note").fill("Tablero de control visual instalado en la línea 2")
    page.locator(f"#id_e{item.pk}-file").set_input_files(str(pdf))
    go(page, send)
    expect(page.get_by_text("La evidencia quedó agregada a la acción.")).to_be_visible()
    page.get_by_text("1 evidencia", exact=True).click()
    expect(page.get_by_text("Tablero de control visual instalado en la línea 2")).to_be_visible()
    expect(page.get_by_role("link", name="Descargar el archivo")).to_be_visible()
    assert_page_ok(page, "SME plan with evidence")
    evidence = Evidence.objects.get()
    assert evidence.added_by == world.sme_user and "control-visual" not in evidence.file.name
    log_out(page)

    log_in(page, live_server, world.staff.username, PASSWORD)
    open_menu(page)
    go(page, page.get_by_role("link", name="Planes de desarrollo"))
    go(page, page.get_by_role("link", name=f"Abrir plan {world.supplier}"))
    page.get_by_text("1 evidencia", exact=True).click()
    assert_page_ok(page, "staff plan with the SME's evidence")
    with page.expect_download() as download_info:
        page.get_by_role("link", name="Descargar el archivo").click()
    download = download_info.value
    assert download.suggested_filename == f"evidencia-{evidence.pk}.pdf"
    assert open(download.path(), "rb").read() == pdf.read_bytes()
