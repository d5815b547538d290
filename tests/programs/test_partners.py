"""A program's partners: their logos (PNG or JPEG only), the admin scoped to the staff member's programs, the
partners a page shows for each role (one query, constant), the privacy notice and the emails that name them."""

import pytest
from django.contrib.auth.models import Group
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from django.template import Context, Template
from django.urls import reverse
from django.utils import translation

from core import roles
from core.models import OutboundMessage
from core.notifications import Notice, notify, notify_many
from programs.models import Partner
from programs.selectors import message_partners, partners_for
from programs.validators import validate_logo
from support.models import Provider
from tests.conftest import get_ok
from tests.programs.factories import (
    PNG_BYTES,
    AnchorReviewerFactory,
    PartnerFactory,
    ProgramFactory,
    UserFactory,
    make_staff,
)
from tests.suppliers.factories import ContactFactory, SupplierFactory

pytestmark = pytest.mark.django_db

JPEG_BYTES = b"\xff\xd8\xff\xe0\x00\x10JFIF\x00\x01\x01\x00\x00\x01\x00\x01\x00\x00" + b"\x00" * 64 + b"\xff\xd9"
SVG_BYTES = b'<svg xmlns="http://www.w3.org/2000/svg"><script>alert(1)</script></svg>'


@pytest.fixture
def two_programs():
    a = ProgramFactory(code="prog-a", name_es="Programa A", registration_open=True)
    b = ProgramFactory(code="prog-b", name_es="Programa B", registration_open=False)
    PartnerFactory(program=a, name="Industria Nacional de Autopartes", short_name="INA", order=1, with_logo=True)
    PartnerFactory(program=a, name="International Finance Corporation", short_name="IFC", kind="funder", order=2)
    PartnerFactory(program=b, name="Clúster Electro del Bajío", short_name="CLEB", order=1, with_logo=True)
    PartnerFactory(program=b, name="Socio retirado", short_name="RET", order=2, is_active=False)
    return a, b


# --- the logo -------------------------------------------------------------------------------------------


@pytest.mark.parametrize(("name", "data"), [("logo.png", PNG_BYTES), ("logo.jpg", JPEG_BYTES), ("logo", PNG_BYTES)])
def test_a_png_or_jpeg_logo_is_accepted(name, data):
    validate_logo(SimpleUploadedFile(name, data))


@pytest.mark.parametrize(
    ("name", "data", "code"),
    [
        ("logo.svg", SVG_BYTES, "logo_type"),  # an SVG can carry script: refused like any other type
        ("logo.png", b"%PDF-1.4 not an image", "logo_type"),
        ("logo.gif", b"GIF89a" + b"\x00" * 40, "logo_type"),
        ("logo.jpg", PNG_BYTES, "logo_type_mismatch"),
    ],
)
def test_a_logo_that_is_not_a_png_or_jpeg_is_refused(name, data, code):
    with pytest.raises(ValidationError) as caught:
        validate_logo(SimpleUploadedFile(name, data))
    assert caught.value.code == code


def test_a_logo_above_the_limit_is_refused(settings):
    settings.SDP_MAX_LOGO_BYTES = len(PNG_BYTES) - 1
    with pytest.raises(ValidationError) as caught:
        validate_logo(SimpleUploadedFile("logo.png", PNG_BYTES))
    assert caught.value.code == "logo_too_large"


def test_the_logo_is_served_as_the_image_it_is_and_cannot_run_script(client, two_programs):
    partner = Partner.objects.get(short_name="INA")
    response = client.get(reverse("programs:partner-logo", args=[partner.pk]))
    assert response.status_code == 200
    assert response["Content-Type"] == "image/png"
    assert b"".join(response.streaming_content) == PNG_BYTES
    assert "sandbox" in response["Content-Security-Policy"] and response["X-Content-Type-Options"] == "nosniff"
    assert "attachment" not in response.get("Content-Disposition", "")


def test_a_stored_file_that_is_not_an_image_is_never_served(client, two_programs):
    partner = Partner.objects.get(short_name="INA")
    with partner.logo.open("wb") as handle:  # replaced behind the admin's back
        handle.write(SVG_BYTES)
    assert client.get(reverse("programs:partner-logo", args=[partner.pk])).status_code == 404


def test_no_logo_of_an_inactive_partner_or_a_partner_without_one(client, two_programs):
    inactive = PartnerFactory(program=two_programs[1], is_active=False, with_logo=True)
    without = Partner.objects.get(short_name="IFC")
    for partner in (inactive, without):
        assert client.get(reverse("programs:partner-logo", args=[partner.pk])).status_code == 404
    assert client.post(reverse("programs:partner-logo", args=[inactive.pk])).status_code == 405


# --- the admin --------------------------------------------------------------------------------------------


def test_staff_manage_the_partners_of_their_programs_only(client, two_programs):
    a, b = two_programs
    staff = make_staff(UserFactory(username="staff-a", is_staff=True), a)
    client.force_login(staff)
    listed = get_ok(client, reverse("admin:programs_partner_changelist")).content.decode()
    assert "Industria Nacional de Autopartes" in listed and "Clúster Electro" not in listed
    other = Partner.objects.get(short_name="CLEB")
    change = client.get(reverse("admin:programs_partner_change", args=[other.pk]))
    assert change.status_code == 302 and "Clúster" not in change.content.decode()

    add = reverse("admin:programs_partner_add")
    fields = {"order": 3, "name": "Secretaría de Economía", "short_name": "", "kind": "government", "website": ""}
    refused = client.post(add, {**fields, "program": b.pk, "is_active": "on"})
    assert refused.status_code == 200 and not Partner.objects.filter(name="Secretaría de Economía").exists()
    svg = client.post(add, {**fields, "program": a.pk, "logo": SimpleUploadedFile("se.svg", SVG_BYTES)})
    assert svg.status_code == 200 and "PNG" in svg.content.decode()
    logo = SimpleUploadedFile("se.png", PNG_BYTES, content_type="image/png")
    assert client.post(add, {**fields, "program": a.pk, "is_active": "on", "logo": logo}).status_code == 302
    assert Partner.objects.get(name="Secretaría de Economía").program == a


# --- the pages --------------------------------------------------------------------------------------------


def _labels(partners) -> list[str]:
    return [p.label for p in partners]


def test_each_role_sees_the_partners_of_its_own_program(two_programs):
    a, b = two_programs
    sme = ContactFactory(with_user=True, supplier=SupplierFactory(program=b)).user
    sme.groups.add(Group.objects.get_or_create(name=roles.SME_GROUP)[0])
    anchor = AnchorReviewerFactory(anchor__program=b).user
    provider_user = UserFactory(username="asesora")
    Provider.objects.create(program=b, user=provider_user, kind=Provider.Kind.MENTOR, name="Asesora")
    staff_a = make_staff(UserFactory(username="staff-a"), a)
    staff_both = make_staff(make_staff(UserFactory(username="staff-ab"), a), b)
    superuser = UserFactory(username="root", is_superuser=True, is_staff=True)
    lonely = UserFactory(username="sin-programa")  # an SME account that has not registered a company yet
    assert _labels(partners_for(None)) == ["INA", "IFC"]  # anonymous: the program taking registrations
    assert _labels(partners_for(lonely)) == ["INA", "IFC"]
    for user in (sme, anchor, provider_user):
        assert _labels(partners_for(user)) == ["CLEB"], user.username  # the retired partner is not shown
    assert _labels(partners_for(staff_a)) == ["INA", "IFC"]
    assert set(_labels(partners_for(staff_both))) == {"INA", "IFC", "CLEB"}
    assert set(_labels(partners_for(superuser))) == {"INA", "IFC", "CLEB"}


def test_a_partner_of_two_programs_is_shown_once():
    a = ProgramFactory(code="prog-a")
    b = ProgramFactory(code="prog-b")
    PartnerFactory(program=a, name="International Finance Corporation", short_name="IFC")
    PartnerFactory(program=b, name="International Finance Corporation", short_name="IFC")
    staff = make_staff(make_staff(UserFactory(username="staff-ab"), a), b)
    assert _labels(partners_for(staff)) == ["IFC"]


def test_the_pages_name_the_partners_with_their_logos(client, two_programs):
    page = get_ok(client, reverse("home")).content.decode()
    ina = Partner.objects.get(short_name="INA")
    assert 'SDP <small class="fw-normal opacity-75 d-none d-sm-inline">INA · IFC</small>' in page
    assert "Industria Nacional de Autopartes (INA) y International Finance Corporation (IFC)" in page
    assert f'src="{reverse("programs:partner-logo", args=[ina.pk])}?v=' in page
    assert 'alt="Industria Nacional de Autopartes"' in page
    assert "CLEB" not in page and "RET" not in page
    client.cookies["django_language"] = "en"
    assert "(INA) and International Finance" in get_ok(client, reverse("home")).content.decode()


def test_an_sme_of_the_second_program_sees_its_partners(client, two_programs):
    contact = ContactFactory(with_user=True, supplier=SupplierFactory(program=two_programs[1]))
    contact.user.groups.add(Group.objects.get_or_create(name=roles.SME_GROUP)[0])
    client.force_login(contact.user)
    page = get_ok(client, reverse("home")).content.decode()
    assert "Clúster Electro del Bajío (CLEB)" in page and "INA" not in page


def test_a_page_reads_the_partners_in_one_query_however_many(client, django_assert_num_queries, two_programs):
    a, _b = two_programs
    url = reverse("suppliers:privacy")
    get_ok(client, url)
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    with CaptureQueriesContext(connection) as few:
        get_ok(client, url)
    for n in range(8):
        PartnerFactory(program=a, with_logo=n % 2 == 0)
    with django_assert_num_queries(len(few.captured_queries)):
        response = client.get(url)
    assert response.status_code == 200 and response.content.decode().count("sdp-partner-logo") == 5
    Partner.objects.all().delete()
    with django_assert_num_queries(len(few.captured_queries)):
        response = client.get(url)
    assert response.status_code == 200


def test_the_privacy_notice_names_the_partners_by_what_they_receive(client, two_programs):
    page = get_ok(client, reverse("suppliers:privacy")).content.decode()
    assert "International Finance Corporation (IFC), socio financiador del programa" in page
    assert "Industria Nacional de Autopartes (INA): solo los resultados del programa" in page
    assert "reporta a Industria Nacional de Autopartes (INA) y International Finance Corporation (IFC)" in page


def test_names_list_joins_in_the_active_language():
    template = Template("{% load sdp %}{{ names|names_list }}")
    with translation.override("es-mx"):
        assert template.render(Context({"names": ["INA", "IFC", "SE"]})) == "INA, IFC y SE"
    with translation.override("en"):
        assert template.render(Context({"names": ["INA", "IFC"]})) == "INA and IFC"
        assert template.render(Context({"names": ["INA"]})) == "INA"


# --- the emails -------------------------------------------------------------------------------------------


def test_an_email_names_the_partners_of_the_recipients_program(two_programs):
    a, b = two_programs
    contact_b = ContactFactory(supplier=SupplierFactory(program=b))
    message = notify(template="registration_received", recipient=contact_b.email, context={"supplier_name": "X"})
    assert message.context["partners"] == ["CLEB"]
    assert message.body.rstrip().endswith("Programa de Desarrollo de Proveedores de CLEB")
    stranger = notify(template="account_exists", recipient="nadie@correo.mx", language="en")
    assert stranger.context["partners"] == ["INA", "IFC"]  # no program yet: the one taking registrations
    assert stranger.body.rstrip().endswith("Supplier Development Program of INA and IFC")
    named = notify(template="account_exists", recipient=contact_b.email, program=a.pk, dedupe_key="explicit")
    assert named.context["partners"] == ["INA", "IFC"]


def test_an_email_without_partners_has_no_signature():
    ProgramFactory(code="solo")
    message = notify(template="account_exists", recipient="nadie@correo.mx")
    assert message.context["partners"] == [] and "-- " not in message.body


def test_many_emails_read_the_partners_in_a_fixed_number_of_queries(django_assert_max_num_queries, two_programs):
    a, b = two_programs
    contacts = [ContactFactory(supplier=SupplierFactory(program=p)) for p in (a, b) * 10]

    def notices(tag):
        return [
            Notice("registration_received", c.email, "es-mx", {"supplier_name": "X"}, f"{tag}:{c.pk}") for c in contacts
        ]

    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    with CaptureQueriesContext(connection) as two:
        notify_many(notices("two")[:2])
    with django_assert_max_num_queries(len(two.captured_queries)):
        notify_many(notices("twenty"))
    rows = {m.recipient: m.context["partners"] for m in OutboundMessage.objects.filter(dedupe_key__startswith="tw")}
    assert {c.email: rows[c.email] for c in contacts} == {
        c.email: (["INA", "IFC"] if c.supplier.program == a else ["CLEB"]) for c in contacts
    }


def test_message_partners_maps_each_recipient(two_programs):
    a, b = two_programs
    staff_b = make_staff(UserFactory(username="staff-b"), b)
    named = message_partners([staff_b.email, "x@y.mx"])
    assert named == {staff_b.email: ["CLEB"], "x@y.mx": ["INA", "IFC"]}
