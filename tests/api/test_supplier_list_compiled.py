"""The staff supplier list by SQL compiled once per shape (``suppliers.api.listing``) answers as the ORM path.

Random requests (filters, orderings, page sizes, following the cursors both ways, tampered cursors, invalid
filters) are sent twice, once with the compiled path and once with the ORM path alone; the responses must be
the same bytes with the same status and headers, and the compiled path must have served every request it
covers. With an API token the compiled page is read by the token's statement (one query a request), for
every kind of caller (superuser, member, staff without an active membership, SME user, unknown key).
"""

import random
from base64 import b64encode
from datetime import UTC, datetime
from decimal import Decimal
from urllib.parse import urlencode

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from rest_framework.test import APIClient

from core.tokens import create_token
from suppliers.api import listing
from suppliers.api import views as supplier_views
from suppliers.models import Supplier
from suppliers.stratification import EmployeeRange, Size
from tests.programs.factories import (
    CriticalSupplyAreaFactory,
    ProgramFactory,
    RegionFactory,
    StateFactory,
    UserFactory,
    make_staff,
)
from tests.suppliers.factories import ContactFactory, SupplierFactory

pytestmark = pytest.mark.django_db

ORDERINGS = ["id", "legal_name", "created_at", "employees", "annual_sales_mdp"]


@pytest.fixture
def data():
    rng = random.Random(7)
    test, other = ProgramFactory(), ProgramFactory(code="sdp-otro")
    bajio, norte = StateFactory(), StateFactory(code="19", name="Nuevo León", region=RegionFactory(code="norte"))
    areas = {
        program.pk: [CriticalSupplyAreaFactory(program=program, code=code) for code in ("moldes", "forja")]
        for program in (test, other)
    }
    suppliers = []
    for n in range(36):
        program = test if n % 3 else other
        supplier = SupplierFactory(
            program=program,
            state=rng.choice([bajio, norte]),
            status=rng.choice(["draft", "submitted", "verified", "rejected"]),  # a duplicate names its original
            size=rng.choice([s.value for s in Size]),
            employee_range=rng.choice([r.value for r in EmployeeRange]),
            employees=rng.choice([5, 12, 40, 40, 40, 120]),  # ties: the cursor's offsets
            annual_sales_mdp=rng.choice([Decimal("3.5"), Decimal("20"), Decimal("20"), Decimal("180.25")]),
            export_share=rng.choice([Decimal("0"), Decimal("12.5")]),
            rfc_checksum_valid=rng.random() > 0.3,
            legal_name=rng.choice(["Forjas", "Moldes", "Álamo"]) + f" {n % 5}",
        )
        supplier.supply_areas.add(*rng.sample(areas[program.pk], rng.randint(0, 2)))
        suppliers.append(supplier)
    member = UserFactory(username="member", staff=True)  # staff of the test program only
    superuser = UserFactory(username="root", is_superuser=True, is_staff=True)
    idle = make_staff(UserFactory(username="idle"), other)
    idle.program_memberships.update(is_active=False)
    sme = ContactFactory(supplier=suppliers[1], with_user=True, is_primary=False).user
    return {"test": test, "users": [member, superuser, idle, sme], "suppliers": suppliers}


def _cursor(**tokens) -> str:
    return b64encode(urlencode(tokens).encode()).decode()


def _random_query(rng, data) -> dict:
    query: dict = {}
    if rng.random() < 0.5:
        query["status"] = rng.sample(list(Supplier.Status.values), rng.randint(1, 3))
    if rng.random() < 0.4:
        query["region"] = rng.choice(["bajio", "norte", "centro"])
    if rng.random() < 0.2:
        query["state"] = rng.choice(["11", "19"])
    if rng.random() < 0.3:
        query["size"] = rng.sample([s.value for s in Size], rng.randint(1, 2))
    if rng.random() < 0.2:
        query["employee_range"] = [rng.choice([r.value for r in EmployeeRange])] * rng.randint(1, 2)
    if rng.random() < 0.2:
        query["program"] = rng.choice([str(data["test"].pk), ""])
    if rng.random() < 0.2:
        query["rfc_warning"] = rng.choice(["true", "false", ""])
    if rng.random() < 0.15:
        query["area"] = rng.choice(["moldes", "forja"])
    if rng.random() < 0.1:
        query["rfc"] = data["suppliers"][rng.randrange(36)].rfc.lower()
    if rng.random() < 0.1:
        query["search"] = rng.choice(["Forjas", "Álamo 2"])
    if rng.random() < 0.7:
        query["ordering"] = ",".join(
            ("-" if rng.random() < 0.5 else "") + field for field in rng.sample(ORDERINGS, rng.randint(1, 2))
        )
    query["page_size"] = rng.choice([1, 2, 3, 5, 50])
    return query


def _answer(response):
    return response.status_code, response.content, sorted(response.headers.items())


@pytest.fixture
def both(monkeypatch):
    """``send(client, url)``: the answers of the compiled path and of the ORM path to the same request, and
    whether the compiled path served it."""
    compiled = supplier_views.supplier_page
    served = []

    def spy(view, request):
        page = compiled(view, request)
        served.append(page is not None)
        return page

    def send(client, url):
        served.clear()
        monkeypatch.setattr(supplier_views, "supplier_page", spy)
        fast = client.get(url)
        monkeypatch.setattr(supplier_views, "supplier_page", lambda view, request: None)
        plain = client.get(url)
        assert _answer(fast) == _answer(plain), url
        return fast, bool(served and served[0])

    return send


def test_random_requests_answer_as_the_orm_path(data, both):
    rng = random.Random(2026)
    served = 0
    for user in data["users"]:
        client = APIClient(raise_request_exception=False)
        client.force_authenticate(user)
        staff = user.username in ("member", "root", "idle")
        for _ in range(25):
            query = _random_query(rng, data)
            url = "/api/v1/suppliers/?" + urlencode(query, doseq=True)
            for _step in range(4):  # the first page, then the cursors it gives, either way
                response, fast = both(client, url)
                covered = "search" not in query and not query.get("rfc")
                assert fast == (staff and covered and response.status_code == 200), url
                served += fast
                if response.status_code != 200:
                    break
                body = response.json()
                url = body["next"] if body["next"] and rng.random() < 0.7 else body["previous"]
                if not url:
                    break
    assert served >= 80  # most requests are staff lists the compiled path covers


def test_invalid_requests_answer_as_the_orm_path(data, both):
    client = APIClient(raise_request_exception=False)
    client.force_authenticate(data["users"][0])
    for query in (
        {"status": "nope"},
        {"rfc_warning": "maybe", "program": "abc", "size": "enorme"},
        {"program": str(2**70)},
        {"page_size": "x"},
        {"page_size": "0"},
        {"cursor": "not base64!"},
        {"cursor": _cursor(p="abc")},
        {"cursor": _cursor(p="99999999999999999999"), "ordering": "-employees"},
        {"cursor": _cursor(p="12.5"), "ordering": "employees"},
        {"cursor": _cursor(p="Forjas 1", o="2", r="1"), "ordering": "legal_name"},
        {"cursor": _cursor(p="2026-01-01 00:00:00"), "ordering": "-created_at"},
        {"cursor": _cursor(p="20.00"), "ordering": "annual_sales_mdp"},
        {"cursor": _cursor(o="3000")},
    ):
        response, _ = both(client, "/api/v1/suppliers/?" + urlencode(query))
        assert response.status_code < 500, (query, response.content[:300])
        if "status" in query:
            assert response.status_code == 400 and "status" in response.json()
    # A position that is not a value of the ordering's field is an invalid cursor, on both paths.
    for query in (
        {"cursor": _cursor(p="abc")},
        {"cursor": _cursor(p="12.5"), "ordering": "employees"},
        {"cursor": _cursor(p="yesterday"), "ordering": "-created_at"},
        {"cursor": _cursor(p="veinte"), "ordering": "annual_sales_mdp"},
    ):
        response, _ = both(client, "/api/v1/suppliers/?" + urlencode(query))
        assert response.status_code == 404 and response.json()["code"] == "not_found", query


def _reads(queries) -> list[str]:
    return [q["sql"] for q in queries.captured_queries if "SAVEPOINT" not in q["sql"]]  # the test's transaction


def _token_client(user) -> APIClient:
    client = APIClient(raise_request_exception=False)
    client.credentials(HTTP_AUTHORIZATION=f"Token {create_token(user)[1]}")
    return client


def test_staff_list_reads_the_page_with_the_token_in_one_query(data):
    client = _token_client(data["users"][0])
    listing._cache.clear()
    for _ in range(2):  # compiled on the first request, reused on the second
        with CaptureQueriesContext(connection) as queries:
            response = client.get("/api/v1/suppliers/", {"status": "verified", "ordering": "-employees"})
        assert response.status_code == 200 and response.json()["results"]
        sql = _reads(queries)
        assert len(sql) == 1 and "core_apitoken" in sql[0] and "suppliers_supplier" in sql[0]  # token, user, page
    assert len(listing._cache) == 1
    # A filter whose value is looked up as it is cleaned (a program by its id) is never read before the token
    # is checked: the token, then the page.
    with CaptureQueriesContext(connection) as queries:
        response = client.get("/api/v1/suppliers/", {"program": str(data["test"].pk)})
    assert response.status_code == 200 and response.json()["results"]
    sql = _reads(queries)
    assert len(sql) == 3 and "core_apitoken" in sql[0] and "suppliers_supplier" not in sql[0]  # token; program; page


def test_random_requests_with_a_token_answer_as_the_orm_path(data, both):
    rng = random.Random(2027)
    read_with_token = 0
    clients = {user.username: _token_client(user) for user in data["users"]}
    clients["unknown"] = APIClient(raise_request_exception=False)
    clients["unknown"].credentials(HTTP_AUTHORIZATION="Token " + "f" * 43)
    for name, client in clients.items():
        staff = name in ("member", "root", "idle")
        for _ in range(20):
            query = _random_query(rng, data)
            url = "/api/v1/suppliers/?" + urlencode(query, doseq=True)
            for _step in range(3):  # the first page, then the cursors it gives, either way
                with CaptureQueriesContext(connection) as queries:
                    response, fast = both(client, url)  # the compiled path's request first
                covered = "search" not in query and not query.get("rfc")
                assert fast == (staff and covered and response.status_code == 200), url
                if name == "unknown":
                    assert response.status_code == 401, url
                if fast and not query.get("program"):
                    # one query for the token and the page (then the ORM path's request: the token statement
                    # again, which read the page too, and the ORM's own page)
                    assert len(_reads(queries)) == 3, url
                    read_with_token += 1
                if response.status_code != 200:
                    break
                body = response.json()
                url = body["next"] if body["next"] and rng.random() < 0.7 else body["previous"]
                if not url:
                    break
    assert read_with_token >= 40


def test_invalid_requests_with_a_token_answer_as_the_orm_path(data, both):
    client = _token_client(data["users"][0])
    stranger = APIClient(raise_request_exception=False)
    stranger.credentials(HTTP_AUTHORIZATION="Token " + "f" * 43)
    for query in (
        {"status": "nope"},
        {"program": str(2**70)},
        {"page_size": "0"},
        {"cursor": "not base64!"},
        {"cursor": _cursor(p="99999999999999999999"), "ordering": "-employees"},
        {"cursor": _cursor(p="abc")},
        {"cursor": _cursor(o="3000")},
    ):
        url = "/api/v1/suppliers/?" + urlencode(query)
        both(client, url)  # the same answers, whatever they are (a 400, a 404, a page)
        assert both(stranger, url)[0].status_code == 401, query  # the token is checked before anything else


@pytest.mark.parametrize("zone", ["America/Mexico_City", "UTC", "Asia/Kathmandu"])
def test_dates_and_decimals_answer_as_the_orm_path(data, both, zone, settings):
    """The page's dates and decimals, read as text, are the ORM path's bytes: microseconds or none, offsets
    with seconds (local mean time), a year of three digits, decimals with trailing zeros, in any time zone."""
    settings.TIME_ZONE = zone
    stamps = [
        datetime(2026, 3, 1, 12, 0, tzinfo=UTC),
        datetime(2026, 3, 1, 12, 0, 0, 1, tzinfo=UTC),
        datetime(2026, 12, 31, 23, 59, 59, 999999, tzinfo=UTC),
        datetime(1900, 1, 1, 6, 0, 0, 250000, tzinfo=UTC),
        datetime(999, 6, 1, tzinfo=UTC),
    ]
    amounts = [Decimal("20"), Decimal("0.001"), Decimal("180.250"), Decimal("123456789.1")]
    for n, supplier in enumerate(data["suppliers"]):
        Supplier.objects.filter(pk=supplier.pk).update(
            created_at=stamps[n % 5], updated_at=stamps[(n + 2) % 5], annual_sales_mdp=amounts[n % 4]
        )
    clients = [_token_client(data["users"][1]), APIClient(raise_request_exception=False)]
    clients[1].force_authenticate(data["users"][0])
    served = 0
    for client in clients:
        for ordering in ("-created_at", "updated_at", "annual_sales_mdp,-created_at", "-employees"):
            url = "/api/v1/suppliers/?" + urlencode({"ordering": ordering, "page_size": 4})
            for _step in range(3):
                response, fast = both(client, url)
                assert response.status_code == 200 and fast, url
                served += 1
                body = response.json()
                url = body["next"]
                if not url:
                    break
    assert served >= 20
