"""Lists of SMEs to invite: each row checked, each valid company invited once per program through the outbox,
the same list imported again changes nothing, bad files refused with nothing saved, staff see only theirs."""

import csv
import io

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from django.utils import translation
from openpyxl import Workbook

from core.models import OutboundMessage
from suppliers.invitation_file import Problem, check_rows, column_positions, read_table, state_lookup
from suppliers.models import InvitationImport, RegistrationInvitation, Supplier
from suppliers.services import invitations_import
from suppliers.services.invitations import registration_url
from tests.conftest import get_ok
from tests.programs.factories import ProgramFactory, StateFactory, UserFactory, make_staff
from tests.suppliers.conftest import PDF_BYTES, png_bytes
from tests.suppliers.factories import SupplierFactory, rfc_for

pytestmark = pytest.mark.django_db

HEADER = "RFC,Razón social,Correo electrónico,Estado\n"


@pytest.fixture
def states(db):
    StateFactory(code="11", name="Guanajuato", abbreviation="GUA")
    StateFactory(code="14", name="Jalisco", abbreviation="JAL")
    StateFactory(code="09", name="Ciudad de México", abbreviation="CMX")


@pytest.fixture
def staff(states, program):
    return UserFactory(username="staff", staff=True)


def _csv(*rows: str, header: str = HEADER) -> bytes:
    return (header + "".join(f"{row}\n" for row in rows)).encode()


def _list(program) -> bytes:
    """Rows 2-4 valid (a failed check digit is only a warning), 5-10 with problems, 11 already registered,
    12 a draft registration (invited: it has not sent its registration)."""
    SupplierFactory(program=program, rfc=rfc_for(500), submitted=True)
    SupplierFactory(program=program, rfc=rfc_for(501), draft=True)
    return _csv(
        f"{rfc_for(1)},Troqueles del Bajío,compras@troqueles.mx,Guanajuato",
        f"{rfc_for(2).lower()},Plásticos de Occidente,ana@plasticos.mx,JAL",
        f"{rfc_for(3)},Arneses CDMX,ventas@arneses.mx,9",
        "ABC123,Mal RFC,a@b.mx,Jalisco",
        "XAXX010101000,Público en general,a@b.mx,Jalisco",
        f"{rfc_for(4)},Sin correo,,Jalisco",
        f"{rfc_for(5)},,correo-malo,Atlántida",
        f"{rfc_for(1)},Troqueles otra vez,otra@troqueles.mx,Guanajuato",
        ",,,Jalisco",
        f"{rfc_for(500)},Ya registrada,r@r.mx,Jalisco",
        f"{rfc_for(501)},En borrador,b@b.mx,Jalisco",
    )


def test_a_list_invites_each_valid_row_once_and_keeps_each_problem(staff, program):
    record = invitations_import(actor=staff, program=program, file_name="socios.csv", data=_list(program))
    assert (record.rows, record.invited, record.invalid) == (11, 4, 6)
    assert (record.already_invited, record.already_registered) == (0, 1)
    problems = {row: (rfc, codes, first) for row, rfc, codes, first in record.problems}
    assert problems == {
        5: ("ABC123", ["rfc_length"], None),
        6: ("XAXX010101000", ["rfc_generic"], None),
        7: (rfc_for(4), ["email_missing"], None),
        8: (rfc_for(5), ["name_missing", "email_invalid", "state_unknown"], None),
        9: (rfc_for(1), ["duplicate"], 2),
        10: ("", ["rfc_missing", "name_missing", "email_missing"], None),
    }
    invitations = {i.rfc: i for i in RegistrationInvitation.objects.select_related("state")}
    assert set(invitations) == {rfc_for(1), rfc_for(2), rfc_for(3), rfc_for(501)}
    assert invitations[rfc_for(2)].state.code == "14" and invitations[rfc_for(3)].state.code == "09"
    assert invitations[rfc_for(1)].legal_name == "Troqueles del Bajío"
    assert {i.invitation_import_id for i in invitations.values()} == {record.pk}
    messages = {m.recipient: m for m in OutboundMessage.objects.filter(template="registration_invitation")}
    assert set(messages) == {"compras@troqueles.mx", "ana@plasticos.mx", "ventas@arneses.mx", "b@b.mx"}
    troqueles = messages["compras@troqueles.mx"]
    assert troqueles.language == "es-mx" and troqueles.status == OutboundMessage.Status.PENDING
    assert troqueles.subject == f"Troqueles del Bajío: invitación a registrarse en {program.name_es}"
    assert "Troqueles del Bajío (RFC " + rfc_for(1) + ")" in troqueles.body
    assert registration_url() in troqueles.body
    assert troqueles.dedupe_key == f"registration_invitation:{invitations[rfc_for(1)].pk}"


def test_importing_the_same_list_again_changes_nothing(staff, program):
    data = _list(program)
    invitations_import(actor=staff, program=program, file_name="socios.csv", data=data)
    before = (RegistrationInvitation.objects.count(), OutboundMessage.objects.count())
    again = invitations_import(actor=staff, program=program, file_name="socios.csv", data=data)
    assert (again.invited, again.already_invited, again.already_registered, again.invalid) == (0, 4, 1, 6)
    assert (RegistrationInvitation.objects.count(), OutboundMessage.objects.count()) == before


def test_a_company_invited_to_one_program_is_invited_to_another(staff, program):
    other = ProgramFactory(code="electro", name_es="Electrodomésticos")
    staff.program_memberships.create(program=other)
    data = _csv(f"{rfc_for(1)},Troqueles del Bajío,compras@troqueles.mx,Guanajuato")
    assert invitations_import(actor=staff, program=program, file_name="a.csv", data=data).invited == 1
    # A membership added after the first read of the user's programs: a fresh user object sees it.
    staff = type(staff).objects.get(pk=staff.pk)
    assert invitations_import(actor=staff, program=other, file_name="a.csv", data=data).invited == 1
    assert RegistrationInvitation.objects.filter(rfc=rfc_for(1)).count() == 2


def test_a_company_registered_in_another_program_is_invited(staff, program):
    SupplierFactory(program=ProgramFactory(code="electro"), rfc=rfc_for(1))
    data = _csv(f"{rfc_for(1)},Troqueles del Bajío,compras@troqueles.mx,Guanajuato")
    record = invitations_import(actor=staff, program=program, file_name="a.csv", data=data)
    assert (record.invited, record.already_registered) == (1, 0)


def test_an_xlsx_list_with_other_column_names_and_order(staff, program):
    book = Workbook()
    sheet = book.active
    sheet.append(["Estado", "Correo de contacto", "RFC", "Empresa", "Notas"])
    sheet.append([11, "compras@troqueles.mx", rfc_for(1), "Troqueles del Bajío", "socio desde 2019"])
    sheet.append([None, None, None, None, None])
    sheet.append(["Jalisco", "ana@plasticos.mx", rfc_for(2), "Plásticos de Occidente", None])
    buffer = io.BytesIO()
    book.save(buffer)
    record = invitations_import(actor=staff, program=program, file_name="Socios.XLSX", data=buffer.getvalue())
    assert (record.rows, record.invited, record.invalid) == (2, 2, 0)
    assert RegistrationInvitation.objects.get(rfc=rfc_for(1)).state.code == "11"


def test_a_semicolon_csv_saved_by_excel_in_windows_1252(staff, program):
    data = f"RFC;Nombre de la empresa;Email;Entidad federativa\r\n{rfc_for(1)};Fundición Querétaro;a@f.mx;CMX\r\n"
    record = invitations_import(actor=staff, program=program, file_name="lista.csv", data=data.encode("cp1252"))
    assert record.invited == 1
    assert RegistrationInvitation.objects.get().legal_name == "Fundición Querétaro"


@pytest.mark.parametrize(
    ("name", "data", "code"),
    [
        ("socios.pdf", PDF_BYTES, "file_type"),
        ("socios.csv", png_bytes(), "file_type"),
        ("socios.xlsx", b"RFC,Empresa\n", "file_type"),
        ("socios.xlsx", b"PK\x03\x04 not a workbook", "file_type"),
        ("socios.csv", b"", "file_empty"),
        ("socios.csv", b"\n\n  \n", "file_empty"),
        ("socios.csv", HEADER.encode(), "file_no_rows"),
        ("socios.csv", b"RFC,Empresa,Estado\nMAB9307148T4,Troqueles,Jalisco\n", "columns_missing"),
    ],
)
def test_a_bad_file_is_refused_and_nothing_is_saved(staff, program, name, data, code):
    with pytest.raises(ValidationError) as refused:
        invitations_import(actor=staff, program=program, file_name=name, data=data)
    assert refused.value.code == code
    assert not InvitationImport.objects.exists() and not RegistrationInvitation.objects.exists()
    assert not OutboundMessage.objects.exists()


def test_missing_columns_are_named():
    with translation.override("en"), pytest.raises(ValidationError) as refused:
        column_positions(["RFC", "Empresa", "Estado"])
    assert "Contact email" in refused.value.messages[0]


def test_staff_of_another_program_cannot_import_into_it(states, program):
    outsider = make_staff(UserFactory(username="otro", is_staff=True), ProgramFactory(code="electro"))
    with pytest.raises(PermissionDenied):
        invitations_import(actor=outsider, program=program, file_name="a.csv", data=_csv())


def test_every_row_is_checked_in_one_pass_with_the_first_valid_row_kept():
    states = state_lookup([(1, "14", "Jalisco", "JAL")])
    rows = [
        ["rfc", "company name", "contact email", "state"],
        [rfc_for(1), "Primera", "no-es-correo", "Jalisco"],  # invalid: a later row with its RFC is the valid one
        [rfc_for(1), "Segunda", "s@s.mx", "jalisco"],
        [rfc_for(1), "Tercera", "t@t.mx", "14"],
    ]
    checked = check_rows(iter(rows), states)
    assert [(r.row, r.legal_name) for r in checked.valid] == [(3, "Segunda")]
    assert [(p.row, p.codes, p.first_row) for p in checked.problems] == [
        (2, ("email_invalid",), None),
        (4, ("duplicate",), 3),
    ]


def test_read_table_reads_a_tab_separated_list():
    table = list(read_table("lista.txt", b"RFC\tEmpresa\tCorreo\tEstado\nA\tB\tC\tD\n"))
    assert table == [["RFC", "Empresa", "Correo", "Estado"], ["A", "B", "C", "D"]]


# Pages


def _upload(client, program, data: bytes, name: str = "socios.csv", **extra):
    return client.post(
        reverse("suppliers:staff-invitations"),
        {"program": program.pk, "file": SimpleUploadedFile(name, data, content_type="text/csv")},
        **extra,
    )


def test_staff_import_a_list_and_see_its_summary(client, staff, program):
    client.force_login(staff)
    response = _upload(client, program, _list(program))
    record = InvitationImport.objects.get()
    assert response.status_code == 302
    assert response.url == reverse("suppliers:staff-invitation-import", args=[record.pk])
    body = get_ok(client, response.url).content.decode()
    assert "Invitaciones enviadas" in body and "Con problemas" in body
    assert "El mismo RFC que la fila 2 del archivo." in body
    body = get_ok(client, reverse("suppliers:staff-invitations")).content.decode()
    assert "socios.csv" in body


def test_the_problem_report_is_a_csv_in_the_readers_language(client, staff, program):
    client.force_login(staff)
    _upload(client, program, _list(program) + b"=HYPERLINK(1),Hoja,a@a.mx,Jalisco\n")
    record = InvitationImport.objects.get()
    url = reverse("suppliers:staff-invitation-errors", args=[record.pk])
    spanish = get_ok(client, url)
    assert spanish["Content-Type"].startswith("text/csv")
    rows = list(csv.reader(io.StringIO(spanish.content.decode("utf-8-sig"))))
    assert rows[0] == ["Fila", "RFC", "Problemas"]
    assert ["9", rfc_for(1), "El mismo RFC que la fila 2 del archivo."] in rows
    assert rows[-1][1] == "'=HYPERLINK(1)"  # shown as text by a spreadsheet, never run
    client.post(reverse("set_language"), {"language": "en", "next": "/"})  # the person chooses English
    english = get_ok(client, url)
    rows = list(csv.reader(io.StringIO(english.content.decode("utf-8-sig"))))
    assert rows[0] == ["Row", "RFC", "Problems"]
    assert ["9", rfc_for(1), "The same RFC as row 2 of the file."] in rows


@pytest.mark.parametrize(
    ("name", "data", "message"),
    [
        ("socios.pdf", PDF_BYTES, "Suba la lista como archivo CSV o XLSX."),
        ("socios.csv", b"", "El archivo está vacío."),
        ("socios.csv", b"RFC,Empresa\nMAB9307148T4,Troqueles\n", "Faltan: Correo de contacto, Estado."),
    ],
)
def test_a_bad_file_on_the_page_is_a_field_error_and_nothing_is_saved(client, staff, program, name, data, message):
    client.force_login(staff)
    response = _upload(client, program, data, name=name)
    assert response.status_code == 400
    assert message in response.content.decode()
    assert not InvitationImport.objects.exists() and not OutboundMessage.objects.exists()


def test_the_page_refuses_another_programs_choice(client, staff, program, states):
    other = ProgramFactory(code="electro", name_es="Electrodomésticos")
    client.force_login(staff)
    response = _upload(client, other, _csv(f"{rfc_for(1)},Troqueles,a@t.mx,Jalisco"))
    assert response.status_code == 400 and "Elija uno de sus programas." in response.content.decode()
    assert not RegistrationInvitation.objects.exists()


def test_the_imports_list_queries_do_not_grow(client, staff, program, django_assert_max_num_queries):
    client.force_login(staff)
    for n in range(3):
        InvitationImport.objects.create(program=program, uploaded_by=staff, file_name=f"lista-{n}.csv", rows=1)
    url = reverse("suppliers:staff-invitations")
    with django_assert_max_num_queries(12) as few:
        get_ok(client, url)
    for n in range(20):
        InvitationImport.objects.create(program=program, uploaded_by=staff, file_name=f"mas-{n}.csv", rows=1)
    with django_assert_max_num_queries(len(few.captured_queries)):
        get_ok(client, url)


def test_the_import_page_and_report_read_a_bounded_number_of_queries(
    client, staff, program, django_assert_max_num_queries
):
    client.force_login(staff)
    _upload(client, program, _list(program))
    record = InvitationImport.objects.get()
    with django_assert_max_num_queries(10):
        get_ok(client, reverse("suppliers:staff-invitation-import", args=[record.pk]))
    with django_assert_max_num_queries(10):
        get_ok(client, reverse("suppliers:staff-invitation-errors", args=[record.pk]))


def test_the_staff_navigation_offers_the_page(client, staff):
    client.force_login(staff)
    body = get_ok(client, reverse("suppliers:staff-list")).content.decode()
    assert reverse("suppliers:staff-invitations") in body


def test_an_sme_cannot_reach_the_pages(client, sme_contact, staff, program):
    record = InvitationImport.objects.create(program=program, file_name="a.csv")
    client.force_login(sme_contact.user)
    for url in (
        reverse("suppliers:staff-invitations"),
        reverse("suppliers:staff-invitation-import", args=[record.pk]),
        reverse("suppliers:staff-invitation-errors", args=[record.pk]),
    ):
        assert client.get(url).status_code == 403, url


def test_the_registrations_of_an_rfc_do_not_change(staff, program):
    live = SupplierFactory(program=program, rfc=rfc_for(1), submitted=True)
    invitations_import(actor=staff, program=program, file_name="a.csv", data=_csv(f"{rfc_for(1)},Otra,o@o.mx,Jalisco"))
    live.refresh_from_db()
    assert live.status == Supplier.Status.SUBMITTED and not RegistrationInvitation.objects.exists()


def test_erasing_a_registered_company_erases_its_invitation_and_the_email(staff, program):
    from suppliers.privacy import erase_supplier_personal_data

    invitations_import(
        actor=staff, program=program, file_name="a.csv", data=_csv(f"{rfc_for(1)},Troqueles,Compras@T.mx,Jalisco")
    )
    supplier = SupplierFactory(program=program, rfc=rfc_for(1), submitted=True)
    erase_supplier_personal_data(supplier=supplier, actor=staff)
    assert RegistrationInvitation.objects.get().email == "erased@erased.invalid"
    message = OutboundMessage.objects.get(template="registration_invitation")
    assert (message.recipient, message.body, message.status) == ("erased@erased.invalid", "", "failed")


def test_the_import_page_reads_only_the_first_problems(client, staff, program):
    rows = [f"X{n},Sin RFC válido,a@a.mx,Jalisco" for n in range(120)]
    invitations_import(actor=staff, program=program, file_name="a.csv", data=_csv(*rows))
    record = InvitationImport.objects.get()
    client.force_login(staff)
    response = get_ok(client, reverse("suppliers:staff-invitation-import", args=[record.pk]))
    shown = response.context["problems"]
    assert [p.row for p in shown] == list(range(2, 52))
    assert "Y 70 filas más en el archivo para descargar." in response.content.decode()


def test_each_row_is_invited_in_the_language_of_its_column(staff, program):
    from tests.programs.factories import PartnerFactory

    PartnerFactory(program=program, name="Industria Nacional de Autopartes", short_name="INA")
    data = _csv(
        f"{rfc_for(1)},Troqueles del Bajío,compras@troqueles.mx,Guanajuato,en",
        f"{rfc_for(2)},Plásticos de Occidente,ana@plasticos.mx,Jalisco,Español",
        f"{rfc_for(3)},Arneses CDMX,ventas@arneses.mx,CDMX,",
        f"{rfc_for(4)},Moldes de Jalisco,m@moldes.mx,Jalisco,fr",
        header="RFC,Razón social,Correo electrónico,Estado,Idioma\n",
    )
    record = invitations_import(actor=staff, program=program, file_name="socios.csv", data=data)
    assert (record.invited, record.invalid) == (3, 1)
    assert record.problems == [[5, rfc_for(4), ["language_unknown"], None]]
    messages = {m.recipient: m for m in OutboundMessage.objects.all()}
    assert {email: m.language for email, m in messages.items()} == {
        "compras@troqueles.mx": "en",
        "ana@plasticos.mx": "es-mx",
        "ventas@arneses.mx": "es-mx",
    }
    english, spanish = messages["compras@troqueles.mx"], messages["ana@plasticos.mx"]
    assert english.subject.startswith("Troqueles del Bajío: invitation to register")
    assert "is invited to register" in english.body and "Supplier Development Program of INA" in english.body
    assert "Programa de Desarrollo de Proveedores de INA" in spanish.body and "invited" not in spanish.body
    with translation.override("es-mx"):
        assert Problem.from_json(record.problems[0]).messages() == ["El idioma no es es (español) ni en (inglés)."]


def test_without_a_language_column_every_invitation_is_in_spanish(staff, program):
    data = _csv(f"{rfc_for(1)},Troqueles del Bajío,compras@troqueles.mx,Guanajuato")
    invitations_import(actor=staff, program=program, file_name="socios.csv", data=data)
    assert OutboundMessage.objects.get().language == "es-mx"
