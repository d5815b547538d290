"""A company shared by its participations in several programs; joining another program; switching programs."""

from types import SimpleNamespace

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse

from core.audit import history
from core.models import OutboundMessage
from suppliers import privacy, selectors, services
from suppliers.models import COMPANY_SHARED_FIELDS, Company, Contact, PrivacyConsent, Supplier
from tests.programs.factories import CriticalSupplyAreaFactory, ProgramFactory
from tests.suppliers.factories import ContactFactory, SupplierFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def first():
    return ContactFactory(with_user=True, supplier__status=Supplier.Status.VERIFIED)


_programs = iter(range(1, 10_000))


def another_program(**kwargs):
    n = next(_programs)
    return ProgramFactory(code=f"sdp-otro-{n}", name_es=f"Programa {n}", name_en=f"Program {n}", **kwargs)


@pytest.fixture
def second_program():
    return another_program(registration_open=True)


def _join(contact, program, **kwargs):
    notice = services.privacy_notice_current(program=program)
    return services.participation_join(
        actor=contact.user, supplier=contact.supplier, program=program, notice=notice, voluntary=False, **kwargs
    )


def _shared(supplier):
    return {name: getattr(supplier, Supplier._meta.get_field(name).attname) for name in COMPANY_SHARED_FIELDS}


# ---- one company, its data written once for every participation ---------------------------------------------


def test_a_participation_belongs_to_the_company_of_its_rfc(first, second_program):
    other = SupplierFactory(program=second_program, rfc=first.supplier.rfc)
    assert other.company_id == first.supplier.company_id
    assert Company.objects.filter(rfc=first.supplier.rfc).count() == 1


def test_an_sme_profile_edit_in_one_program_shows_in_the_other(first, second_program):
    joined = _join(first, second_program)
    supplier = Supplier.objects.get(pk=first.supplier_id)
    services.supplier_update_profile(
        supplier=supplier,
        actor=first.user,
        expected_version=supplier.version,
        changes={"trade_name": "Troqueles Nuevos", "municipality": "Silao", "employees": 45},
    )
    joined_before = joined.version
    joined.refresh_from_db()
    company = Company.objects.get(pk=supplier.company_id)
    assert company.trade_name == joined.trade_name == "Troqueles Nuevos"
    assert company.municipality == joined.municipality == "Silao"
    assert joined.employees == supplier.employees - 5  # figures stay per program (45 in the first only)
    assert joined.version == joined_before + 1  # an edit form opened before refuses to overwrite
    event = history(joined).get(action="company_updated")
    assert event.changes["trade_name"][1] == "Troqueles Nuevos" and event.changes["from_participation"] == supplier.pk
    assert _shared(joined) == _shared(Supplier.objects.get(pk=supplier.pk))


def test_a_staff_edit_updates_every_participation_and_recomputes_their_size(
    first, second_program, staff_user, settings
):
    joined = _join(first, second_program)
    supplier = Supplier.objects.get(pk=first.supplier_id)
    # 40 employees and 20 mdp: small in industry, small in trade (comercio), different ranges.
    services.supplier_update_profile(
        supplier=supplier,
        actor=staff_user,
        expected_version=supplier.version,
        changes={"legal_name": "Troqueles del Centro, S.A. de C.V.", "scian_code": "434110"},
    )
    joined.refresh_from_db()
    assert joined.legal_name == "Troqueles del Centro, S.A. de C.V."
    assert joined.scian_code == "434110" and joined.sector == "comercio"
    assert (joined.size, joined.employee_range) == (supplier.size, supplier.employee_range)
    assert joined.employee_range == "above"  # 40 employees: above the small trade range (11-30)


def test_a_failed_edit_changes_no_participation(first, second_program):
    joined = _join(first, second_program)
    supplier = Supplier.objects.get(pk=first.supplier_id)
    with pytest.raises(Exception):  # noqa: B017 - the stale version
        services.supplier_update_profile(
            supplier=supplier, actor=first.user, expected_version=supplier.version - 1, changes={"trade_name": "Otra"}
        )
    joined.refresh_from_db()
    assert joined.trade_name != "Otra" and Company.objects.get(pk=joined.company_id).trade_name != "Otra"


def test_a_registration_of_a_verified_rfc_keeps_its_own_data_until_verified(first, second_program):
    stranger = ContactFactory(with_user=True, supplier__program=second_program, supplier__status="submitted")
    company = first.supplier.company
    draft = Supplier.objects.get(pk=stranger.supplier_id)
    draft.rfc, draft.legal_name = first.supplier.rfc, "Otra Razón Social, S.A. de C.V."
    services.company_data_save(supplier=draft, actor=stranger.user)
    draft.save()
    company.refresh_from_db()
    assert draft.company_id == company.pk and company.legal_name == first.supplier.legal_name
    services.supplier_verify(supplier=draft, actor=None)
    company.refresh_from_db()
    first.supplier.refresh_from_db()
    assert company.legal_name == first.supplier.legal_name == "Otra Razón Social, S.A. de C.V."


def test_a_draft_whose_rfc_is_corrected_moves_its_company(second_program):
    contact = ContactFactory(with_user=True, supplier__program=second_program, supplier__status="draft")
    supplier = contact.supplier
    own = supplier.company_id
    supplier.rfc = "MAB9307148T4"
    services.company_data_save(supplier=supplier, actor=contact.user)
    supplier.save()
    assert supplier.company_id == own and Company.objects.get(pk=own).rfc == "MAB9307148T4"


def test_erasing_an_individual_erases_the_company_in_every_program(second_program):
    contact = ContactFactory(
        with_user=True, supplier__rfc="GODE561231GR8", supplier__person_type="fisica", supplier__legal_name="Gómez"
    )
    joined = _join(contact, second_program)
    privacy.erase_supplier_personal_data(supplier=contact.supplier, actor=None)
    joined.refresh_from_db()
    company = Company.objects.get(pk=joined.company_id)
    assert company.rfc == joined.rfc == privacy.ERASED_RFC_FISICA
    assert "Gómez" not in company.legal_name and "Gómez" not in joined.legal_name
    assert all("Gómez" not in str(event.changes) for event in history(joined))


def test_two_erased_individuals_live_in_one_program_do_not_clash(second_program):
    joined = []
    for rfc, name in (("GODE561231GR8", "Gómez"), ("PEMA800101AB1", "Pérez")):
        contact = ContactFactory(
            with_user=True, supplier__rfc=rfc, supplier__person_type="fisica", supplier__legal_name=name
        )
        joined.append(_join(contact, second_program))
        privacy.erase_supplier_personal_data(supplier=contact.supplier, actor=None)
    for participation in joined:
        participation.refresh_from_db()
        assert participation.rfc == privacy.ERASED_RFC_FISICA and participation.status == Supplier.Status.SUBMITTED


# ---- joining another program ---------------------------------------------------------------------------------


def test_joining_creates_a_submitted_participation_of_the_same_company(first, second_program):
    areas = [CriticalSupplyAreaFactory(program=second_program)]
    first.supplier.supply_areas.set([])
    joined = _join(first, second_program, supply_areas=areas)
    assert joined.program == second_program and joined.company_id == first.supplier.company_id
    assert joined.status == Supplier.Status.SUBMITTED and joined.submitted_at is not None
    assert _shared(joined) == _shared(first.supplier)
    assert list(joined.supply_areas.all()) == areas
    contact = Contact.objects.get(supplier=joined)
    assert contact.user == first.user and contact.is_primary and contact.email_verified_at
    consent = PrivacyConsent.objects.get(supplier=joined)
    assert consent.notice.program == second_program and consent.contact == contact
    assert joined.privacy_notice_version == consent.notice.version
    assert [e.action for e in history(joined).order_by("pk")] == ["registered", "privacy_accepted", "transition"]
    message = OutboundMessage.objects.get(template="registration_received")
    assert message.recipient == first.email


def test_joining_twice_is_refused_with_a_clear_error(first, second_program):
    _join(first, second_program)
    with pytest.raises(ValidationError) as error:
        _join(first, second_program)
    assert error.value.code == "exists" and first.supplier.rfc in error.value.messages[0]
    assert Supplier.objects.filter(program=second_program).count() == 1


def test_joining_a_program_where_the_rfc_is_live_is_refused(first, second_program):
    SupplierFactory(program=second_program, rfc=first.supplier.rfc, status="submitted")
    with pytest.raises(ValidationError):
        _join(first, second_program)


def test_joining_a_closed_program_or_with_another_programs_areas_is_refused(first, second_program):
    with pytest.raises(ValidationError):
        _join(first, second_program, supply_areas=[CriticalSupplyAreaFactory(program=first.supplier.program)])
    second_program.registration_open = False
    second_program.save()
    with pytest.raises(ValidationError):
        _join(first, second_program)


def test_only_a_contact_of_the_company_joins(first, second_program):
    stranger = ContactFactory(with_user=True)
    notice = services.privacy_notice_current(program=second_program)
    with pytest.raises(ValidationError):
        services.participation_join(
            actor=stranger.user, supplier=first.supplier, program=second_program, notice=notice, voluntary=False
        )


def test_programs_to_join_leave_out_closed_programs_and_live_participations(first, second_program):
    closed = another_program(registration_open=False)
    assert second_program in services.programs_to_join(first.supplier)
    assert closed not in services.programs_to_join(first.supplier)
    assert first.supplier.program not in services.programs_to_join(first.supplier)
    _join(first, second_program)
    assert second_program not in services.programs_to_join(first.supplier)


# ---- the participation an account works on -------------------------------------------------------------------


def test_the_newest_participation_is_the_default_and_the_session_chooses(first, second_program):
    joined = _join(first, second_program)
    user = first.user
    assert selectors.supplier_for_user(user) == joined
    setattr(user, selectors.PARTICIPATION_ATTRIBUTE, first.supplier_id)
    assert selectors.supplier_for_user(user) == first.supplier


def test_another_companys_participation_in_the_session_is_never_returned(first):
    other = SupplierFactory()
    setattr(first.user, selectors.PARTICIPATION_ATTRIBUTE, other.pk)
    assert selectors.supplier_for_user(first.user) == first.supplier


def test_switching_programs_from_the_navigation(client, first, second_program):
    joined = _join(first, second_program)
    client.force_login(first.user)
    page = client.get(reverse("suppliers:account")).content.decode()
    assert 'name="participation"' in page and str(second_program) in page
    response = client.post(reverse("suppliers:participation-switch"), {"participation": first.supplier_id})
    assert response["Location"] == reverse("suppliers:account")
    assert client.get(reverse("suppliers:account")).context["supplier"] == first.supplier
    client.post(reverse("suppliers:participation-switch"), {"participation": joined.pk})
    assert client.get(reverse("suppliers:account")).context["supplier"] == joined


def test_switching_to_another_companys_participation_is_not_found(client, first):
    other = SupplierFactory()
    client.force_login(first.user)
    assert client.post(reverse("suppliers:participation-switch"), {"participation": other.pk}).status_code == 404
    assert client.post(reverse("suppliers:participation-switch"), {"participation": "x"}).status_code == 404
    session = client.session
    session[selectors.PARTICIPATION_SESSION_KEY] = other.pk
    session.save()
    assert client.get(reverse("suppliers:account")).context["supplier"] == first.supplier


def test_an_account_with_one_participation_has_no_switcher(client, first):
    client.force_login(first.user)
    assert 'name="participation"' not in client.get(reverse("suppliers:account")).content.decode()


# ---- the pages ----------------------------------------------------------------------------------------------


def test_the_programs_page_offers_the_programs_to_join(client, first, second_program):
    client.force_login(first.user)
    page = client.get(reverse("suppliers:programs")).content.decode()
    assert str(second_program) in page and reverse("suppliers:program-join", args=[second_program.pk]) in page


def test_joining_from_the_join_page(client, first, second_program):
    area = CriticalSupplyAreaFactory(program=second_program)
    client.force_login(first.user)
    url = reverse("suppliers:program-join", args=[second_program.pk])
    notice = services.privacy_notice_current(program=second_program)
    refused = client.post(url, {"version": notice.version, "supply_areas": [area.pk]})
    assert refused.status_code == 200 and refused.context["form"].errors["accept_privacy"]
    no_area = client.post(url, {"version": notice.version, "accept_privacy": "on"})
    assert no_area.context["form"].errors["supply_areas"]
    assert not Supplier.objects.filter(program=second_program).exists()
    response = client.post(url, {"version": notice.version, "accept_privacy": "on", "supply_areas": [area.pk]})
    assert response["Location"] == reverse("suppliers:account")
    joined = Supplier.objects.get(program=second_program)
    assert client.get(reverse("suppliers:account")).context["supplier"] == joined
    again = client.get(url)
    assert again.status_code == 302 and again["Location"] == reverse("suppliers:programs")


def test_the_join_page_in_english(client, first, second_program):
    client.force_login(first.user)
    client.post(reverse("set_language"), {"language": "en", "next": "/"})
    page = client.get(reverse("suppliers:program-join", args=[second_program.pk])).content.decode()
    assert "Join the program" in page and "Necessary purposes" in page


def test_the_join_page_in_spanish(client, first, second_program):
    client.force_login(first.user)
    page = client.get(reverse("suppliers:program-join", args=[second_program.pk])).content.decode()
    assert "Unirse al programa" in page
    assert "Participar" in client.get(reverse("suppliers:programs")).content.decode()


def test_the_programs_pages_are_not_for_other_roles(client, staff_user, second_program):
    client.force_login(staff_user)
    assert client.get(reverse("suppliers:programs")).status_code == 404
    assert client.get(reverse("suppliers:program-join", args=[second_program.pk])).status_code == 404


def test_the_programs_page_queries_do_not_grow(client, first, django_assert_max_num_queries):
    client.force_login(first.user)
    _join(first, another_program(registration_open=True))  # two participations: the switcher shows
    another_program(registration_open=True)
    with django_assert_max_num_queries(30) as few:
        assert client.get(reverse("suppliers:programs")).status_code == 200
    for _ in range(4):
        program = another_program(registration_open=True)
        _join(first, program)
        another_program(registration_open=True)
    with django_assert_max_num_queries(len(few.captured_queries)):
        assert client.get(reverse("suppliers:programs")).status_code == 200


def test_the_join_page_queries_do_not_grow(client, first, second_program, django_assert_max_num_queries):
    client.force_login(first.user)
    url = reverse("suppliers:program-join", args=[second_program.pk])
    CriticalSupplyAreaFactory(program=second_program)
    with django_assert_max_num_queries(30) as few:
        assert client.get(url).status_code == 200
    for _ in range(5):
        CriticalSupplyAreaFactory(program=second_program)
        another_program(registration_open=True)
    with django_assert_max_num_queries(len(few.captured_queries)):
        assert client.get(url).status_code == 200


def test_the_data_migration_gives_each_rfc_one_company(first, second_program):
    """What ``0013_one_company_per_rfc`` does, run again on rows without companies."""
    import importlib

    from django.db import connection

    migration = importlib.import_module("suppliers.migrations.0013_one_company_per_rfc")
    other = SupplierFactory(program=second_program, rfc=first.supplier.rfc, legal_name="Vieja", status="draft")

    with connection.cursor() as cursor:
        cursor.execute("SET CONSTRAINTS ALL IMMEDIATE")
        cursor.execute("ALTER TABLE suppliers_supplier ALTER COLUMN company_id DROP NOT NULL")
        cursor.execute("UPDATE suppliers_supplier SET company_id = NULL")
        cursor.execute("DELETE FROM suppliers_company")

    migration.forwards(None, SimpleNamespace(connection=connection))
    companies = Company.objects.filter(rfc=first.supplier.rfc)
    assert companies.count() == 1
    company = companies.get()
    assert set(company.participations.values_list("pk", flat=True)) == {first.supplier_id, other.pk}
    assert company.legal_name == first.supplier.legal_name  # the verified participation's data
    assert Supplier.objects.get(pk=other.pk).legal_name == first.supplier.legal_name
    assert not Supplier.objects.filter(company__isnull=True).exists()


# ---- the API --------------------------------------------------------------------------------------------------


def test_the_api_answers_the_chosen_participation_and_shares_a_patch(client, first, second_program):
    joined = _join(first, second_program)
    client.force_login(first.user)
    assert client.get("/api/v1/me/supplier/").json()["id"] == joined.pk  # the newest
    client.post(reverse("suppliers:participation-switch"), {"participation": first.supplier_id})
    own = client.get("/api/v1/me/supplier/").json()
    assert own["id"] == first.supplier_id
    assert client.get(f"/api/v1/suppliers/{joined.pk}/").status_code == 404  # not the one it works on
    response = client.patch(
        "/api/v1/me/supplier/",
        {"trade_name": "Troqueles API", "version": own["version"]},
        content_type="application/json",
    )
    assert response.status_code == 200, response.content
    joined.refresh_from_db()
    assert joined.trade_name == "Troqueles API"
