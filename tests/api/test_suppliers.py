import pytest
from django.test.utils import override_settings

from core.models import AuditEvent
from suppliers.models import Supplier
from tests.api.seed import supplier_with_parts
from tests.programs.factories import UserFactory
from tests.suppliers.factories import ContactFactory

pytestmark = pytest.mark.django_db


def as_sme_of(api, supplier):
    contact = ContactFactory(supplier=supplier, with_user=True, is_primary=False)
    api.force_authenticate(contact.user)
    return contact.user


def test_staff_lists_all_suppliers_with_cursor_pagination(api, world, staff_user):
    api.force_authenticate(staff_user)
    response = api.get("/api/v1/suppliers/", {"page_size": 1})
    assert response.status_code == 200
    body = response.json()
    assert len(body["results"]) == 1 and body["next"] and "cursor=" in body["next"]
    second = api.get(body["next"]).json()["results"]
    assert {body["results"][0]["id"], second[0]["id"]} == {s.pk for s in world["suppliers"]}


def test_sme_sees_only_its_own_supplier(api, world):
    own, other = world["suppliers"]
    as_sme_of(api, own)
    listed = api.get("/api/v1/suppliers/").json()["results"]
    assert [row["id"] for row in listed] == [own.pk]
    assert api.get(f"/api/v1/suppliers/{other.pk}/").status_code == 404
    me = api.get("/api/v1/me/supplier/")
    assert me.status_code == 200 and me.json()["id"] == own.pk
    assert me["ETag"] == f'"{own.version}"'


def test_anchor_anonymous_and_roleless_users_are_refused(api, world, anchor_reviewer):
    supplier = world["suppliers"][0]
    for path in (
        "/api/v1/suppliers/",
        f"/api/v1/suppliers/{supplier.pk}/",
        "/api/v1/reports/summary/",
        "/api/v1/tokens/",
        "/api/v1/states/",
    ):
        api.force_authenticate(None)
        anonymous = api.get(path)
        assert anonymous.status_code == 401 and anonymous.json()["code"] == "not_authenticated", path
        api.force_authenticate(UserFactory(username="nobody"))
        assert api.get(path).status_code == 403, path
        if path != "/api/v1/states/":
            api.force_authenticate(anchor_reviewer.user)
            assert api.get(path).status_code == 403, path


def test_detail_has_nested_parts_and_a_download_that_checks_permission(api, world, staff_user):
    supplier = world["suppliers"][0]
    api.force_authenticate(staff_user)
    body = api.get(f"/api/v1/suppliers/{supplier.pk}/").json()
    assert body["contacts"][0]["email"] and body["certifications"][0]["standard"] == "iso-9001"
    assert [f["year"] for f in body["annual_figures"]] == [2023, 2024]
    url = body["documents"][0]["download_url"]
    download = api.get(url)
    assert download.status_code == 200 and b"".join(download.streaming_content).startswith(b"%PDF")
    as_sme_of(api, world["suppliers"][1])
    assert api.get(url).status_code == 404


def test_filters_and_search(api, world, staff_user):
    first, second = world["suppliers"]
    second.rfc_checksum_valid = False
    second.save()
    api.force_authenticate(staff_user)
    ids = lambda **q: [r["id"] for r in api.get("/api/v1/suppliers/", q).json()["results"]]  # noqa: E731
    assert ids(rfc_warning="true") == [second.pk]
    assert ids(search=first.rfc) == [first.pk]
    assert set(ids(state="11", region="bajio", size="pequena", area=world["area"].code)) == {first.pk, second.pk}
    assert ids(state="19") == []
    assert api.get("/api/v1/suppliers/", {"rfc_warning": "maybe"}, HTTP_ACCEPT_LANGUAGE="en").json() == {
        "rfc_warning": ["Enter true or false."]
    }
    assert api.get("/api/v1/suppliers/", {"rfc_warning": "maybe"}).json() == {  # Spanish by default
        "rfc_warning": ["Escriba true o false."]
    }
    assert api.get("/api/v1/suppliers/", {"page_size": "x"}).status_code == 400


@override_settings(LANGUAGE_CODE="en")
def test_update_needs_the_version_and_refuses_a_stale_one(api, world, staff_user):
    supplier = world["suppliers"][0]
    api.force_authenticate(staff_user)
    url = f"/api/v1/suppliers/{supplier.pk}/"
    missing = api.patch(url, {"employees": 60}, format="json")
    assert missing.status_code == 428 and missing.json()["code"] == "precondition_required"
    ok = api.patch(url, {"employees": 60, "annual_sales_mdp": "120"}, format="json", HTTP_IF_MATCH='"1"')
    assert ok.status_code == 200, ok.json()
    assert ok.json()["version"] == 2 and ok["ETag"] == '"2"' and ok.json()["size"] == "mediana"
    stale = api.patch(url, {"employees": 70, "version": 1}, format="json")
    assert stale.status_code == 409 and stale.json()["code"] == "conflict"
    supplier.refresh_from_db()
    assert supplier.employees == 60
    event = AuditEvent.objects.get(action="profile_updated", object_id=str(supplier.pk))
    assert event.changes["employees"] == [40, 60] and event.actor == staff_user


def test_update_field_errors_are_400(api, world, staff_user):
    supplier = world["suppliers"][0]
    api.force_authenticate(staff_user)
    response = api.patch(
        f"/api/v1/suppliers/{supplier.pk}/", {"employees": -1, "export_share": "101", "version": 1}, format="json"
    )
    assert response.status_code == 400
    assert set(response.json()) == {"employees", "export_share"}


def test_sme_edits_own_profile_only_while_editing_is_open(api, world):
    own = world["suppliers"][0]
    as_sme_of(api, own)
    ok = api.patch("/api/v1/me/supplier/", {"trade_name": "Nueva", "version": 1}, format="json")
    assert ok.status_code == 200 and ok.json()["trade_name"] == "Nueva"
    assert api.patch("/api/v1/me/supplier/", {"legal_name": "X", "version": 2}, format="json").status_code == 400
    own.program.profile_editing_open = False
    own.program.save()
    assert api.patch("/api/v1/me/supplier/", {"trade_name": "Otra", "version": 2}, format="json").status_code == 403
    other = world["suppliers"][1]
    assert (
        api.patch(f"/api/v1/suppliers/{other.pk}/", {"trade_name": "Z", "version": 1}, format="json").status_code == 404
    )


@pytest.mark.parametrize("path", ["/api/v1/suppliers/", "/api/v1/supply-areas/", "/api/v1/states/"])
def test_list_query_count_does_not_grow_with_rows(api, world, staff_user, django_assert_max_num_queries, path):
    api.force_authenticate(staff_user)
    with django_assert_max_num_queries(12) as small:
        assert api.get(path, {"page_size": 50}).status_code == 200
    for _ in range(45):
        supplier_with_parts(
            program=world["program"],
            area=world["area"],
            anchor=world["anchor"],
            standard=world["suppliers"][0].certifications.get().standard,
        )
    with django_assert_max_num_queries(len(small.captured_queries)):
        assert api.get(path, {"page_size": 50}).status_code == 200


def test_detail_query_count_is_fixed(api, world, staff_user, django_assert_max_num_queries):
    api.force_authenticate(staff_user)
    supplier = world["suppliers"][0]
    with django_assert_max_num_queries(15):
        assert api.get(f"/api/v1/suppliers/{supplier.pk}/").status_code == 200


def test_report_summary_counts_in_the_database(api, world, staff_user):
    api.force_authenticate(staff_user)
    body = api.get("/api/v1/reports/summary/", {"program": world["program"].pk}).json()
    assert body["total"] == 2
    assert body["by_status"] == [{"status": "verified", "count": 2}]
    assert body["by_state"] == [{"state": "11", "name": "Guanajuato", "count": 2}]
    assert api.get("/api/v1/reports/summary/", {"program": ""}).status_code == 400


@pytest.mark.parametrize("status", ["rejected", "duplicate"])
def test_sme_cannot_edit_a_rejected_or_duplicate_registration_via_api(api, world, status):
    own = world["suppliers"][0]
    Supplier.objects.filter(pk=own.pk).update(status=status, duplicate_of=world["suppliers"][1])
    as_sme_of(api, own)
    response = api.patch("/api/v1/me/supplier/", {"trade_name": "Nueva", "version": own.version}, format="json")
    assert response.status_code == 403
    own.refresh_from_db()
    assert own.trade_name != "Nueva"
    response = api.patch(f"/api/v1/suppliers/{own.pk}/", {"trade_name": "Nueva", "version": own.version}, format="json")
    assert response.status_code in (403, 404)
    own.refresh_from_db()
    assert own.trade_name != "Nueva"


def test_duplicate_of_shown_to_staff_only(api, world, staff_user):
    own, original = world["suppliers"][0], world["suppliers"][1]
    Supplier.objects.filter(pk=own.pk).update(status="duplicate", duplicate_of=original)
    as_sme_of(api, own)
    body = api.get("/api/v1/me/supplier/").json()
    assert body["status"] == "duplicate" and body["duplicate_of"] is None
    api.force_authenticate(staff_user)
    assert api.get(f"/api/v1/suppliers/{own.pk}/").json()["duplicate_of"] == original.pk
