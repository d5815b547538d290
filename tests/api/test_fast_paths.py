"""The API's hot paths read by SQL built once per process give what the ORM paths give.

- ``core.authentication.TokenAuthentication``: the token, its user and the user's group names in one
  query; the same 401s as DRF's class for unknown keys and inactive users, revocation at once.
- ``assessments.selectors.diagnostic_detail_get``: the diagnostic detail row, represented exactly as
  the ORM queryset ``diagnostic_detail()`` is; read with the token (``read_with_token``), the same answers
  in one query, represented from the row's values (``diagnostic_data``) as the serializer represents the
  instance.
"""

import json
import re
from datetime import UTC, date, datetime
from decimal import Decimal

import pytest
from django.contrib.auth.models import Group
from rest_framework.renderers import JSONRenderer
from rest_framework.test import APIClient

from assessments import selectors
from assessments.api.serializers import DiagnosticSerializer, diagnostic_data
from assessments.models import Diagnostic
from core import roles
from core.authentication import token_user
from core.tokens import create_token, token_issue, token_revoke
from suppliers.models import Supplier
from tests.assessments.factories import DiagnosticFactory
from tests.programs.factories import ProgramFactory, UserFactory, make_staff
from tests.suppliers.factories import SupplierFactory

pytestmark = pytest.mark.django_db


def _client(key: str) -> APIClient:
    client = APIClient()
    client.credentials(HTTP_AUTHORIZATION=f"Token {key}")
    return client


def test_token_user_reads_the_user_and_its_groups_in_one_query(django_assert_num_queries):
    user = UserFactory(staff=True)
    user.groups.add(Group.objects.create(name="analysts, north"))  # a comma in a name is kept whole
    token, key = create_token(user)
    with django_assert_num_queries(1):
        found, found_token = token_user(key)
    assert found == user and found.username == user.username and found.password == user.password
    assert found_token == token and found_token.created_at == token.created_at and found_token.user is found
    assert roles.group_names(found) == {roles.STAFF_GROUP, "analysts, north"}  # no second query
    assert token_user("0" * 40) is None
    lonely = UserFactory()
    found, _ = token_user(create_token(lonely)[1])
    assert roles.group_names(found) == frozenset()


def test_token_authentication_answers_as_drf(django_assert_max_num_queries):
    staff = UserFactory(staff=True)
    key = token_issue(user=staff, actor=UserFactory(username="root", is_superuser=True)).key
    diagnostic = DiagnosticFactory()
    client = _client(key)
    with django_assert_max_num_queries(4):  # the token with user and groups, the diagnostic (+ request savepoint)
        assert client.get(f"/api/v1/diagnostics/{diagnostic.pk}/").status_code == 200

    unknown = _client("f" * 40).get("/api/v1/diagnostics/")
    assert unknown.status_code == 401 and unknown.json()["code"] == "authentication_failed"
    assert unknown["WWW-Authenticate"] == "Token"

    staff.is_active = False
    staff.save()
    inactive = client.get("/api/v1/diagnostics/")
    assert inactive.status_code == 401 and inactive.json()["code"] == "authentication_failed"

    staff.is_active = True
    staff.save()
    assert client.get("/api/v1/diagnostics/").status_code == 200
    token_revoke(user=staff, actor=UserFactory(username="root2", is_superuser=True))
    assert client.get("/api/v1/diagnostics/").status_code == 401  # at once, nothing cached

    sme = UserFactory()  # a token of a user without the staff role is authenticated, then refused
    assert _client(create_token(sme)[1]).get("/api/v1/diagnostics/").status_code == 403


@pytest.mark.parametrize("with_assessor", [True, False])
def test_detail_row_is_represented_as_the_orm_queryset(with_assessor):
    supplier = SupplierFactory(trade_name="" if with_assessor else "Forjas del Bajío")
    diagnostic = DiagnosticFactory(
        supplier=supplier,
        assessor=UserFactory() if with_assessor else None,
        notes="visita",
        baseline=DiagnosticFactory(supplier=supplier),
    )
    fast = selectors.diagnostic_detail_get(diagnostic.pk)
    orm = selectors.diagnostic_detail().get(pk=diagnostic.pk)
    assert DiagnosticSerializer(fast).data == DiagnosticSerializer(orm).data
    assert DiagnosticSerializer(fast).data["supplier_name"] == str(supplier)
    assert selectors.diagnostic_detail_get(diagnostic.pk + 1000) is None
    # For a staff member: only a diagnostic of one of its programs (the SQL form of ``scoped``).
    member, outsider = UserFactory(username="member", staff=True), UserFactory(username="outsider")
    make_staff(outsider, ProgramFactory(code="sdp-otro"))
    assert selectors.diagnostic_detail_get(diagnostic.pk, user=member).pk == diagnostic.pk
    assert selectors.diagnostic_detail_get(diagnostic.pk, user=outsider) is None


def _varied_diagnostics():
    """Diagnostics whose values cover what the representation formats: no assessor, baseline or score;
    scores with trailing zeros; times with and without microseconds, across days and offsets."""
    supplier = SupplierFactory(trade_name="")
    named = SupplierFactory(program=supplier.program, trade_name="Forjas del Bajío")
    stamps = [
        datetime(2026, 3, 1, 12, 0, tzinfo=UTC),
        datetime(2026, 12, 31, 23, 59, 59, 999999, tzinfo=UTC),
        datetime(1900, 1, 1, 6, 0, 0, 250000, tzinfo=UTC),  # local mean time: an offset with seconds
    ]
    diagnostics = [DiagnosticFactory(supplier=supplier, notes="")]
    for n, (score, level) in enumerate([("70.5", 3), ("100", 5), ("0.01", 1)]):
        diagnostics.append(
            DiagnosticFactory(
                supplier=named if n % 2 else supplier,
                assessor=UserFactory() if n != 1 else None,
                baseline=diagnostics[0],
                notes=f"visita {n}\ncon salto de línea",
                mode=Diagnostic.Mode.REMOTE if n else Diagnostic.Mode.SITE_VISIT,
                status=Diagnostic.Status.SCORED,
                overall_score=Decimal(score),
                maturity_level=level,
                level_capped=n == 2,
                submitted_at=stamps[n],
                scored_at=stamps[-1 - n],
                validated_at=stamps[n] if n else None,
                published_at=None,
                version=n + 2,
            )
        )
    return diagnostics


@pytest.mark.parametrize("zone", ["America/Mexico_City", "UTC", "Asia/Kathmandu", "naive"])
def test_detail_values_are_represented_as_the_serializer_represents_the_orm_instance(zone, settings):
    diagnostics = _varied_diagnostics()
    if zone == "naive":
        settings.USE_TZ = False  # the ORM reads naive times of the connection's time zone
    else:
        settings.TIME_ZONE = zone
    seen = []
    for diagnostic in diagnostics:
        row = selectors.diagnostic_detail_row(diagnostic.pk)
        fast = diagnostic_data(selectors.diagnostic_detail_values(row))
        generic = DiagnosticSerializer(selectors.diagnostic_detail().get(pk=diagnostic.pk)).data
        assert fast == generic and list(fast) == list(generic)  # the same keys in the same order
        assert fast == DiagnosticSerializer(selectors.diagnostic_detail_from_row(row)).data
        seen.append(fast)
    assert selectors.diagnostic_detail_row(diagnostic.pk + 1000) is None
    assert [d["overall_score"] for d in seen] == [None, "70.50", "100.00", "0.01"]
    assert {d["supplier_name"] for d in seen} == {"Forjas del Bajío", str(Supplier.objects.get(pk=seen[0]["supplier"]))}
    assert [d["assessor_username"] is None for d in seen] == [True, False, True, False]
    assert any(d["submitted_at"].endswith("Z") for d in seen[1:]) == (zone == "UTC")
    with_offset = [re.search(r"T.*[+-]\d\d:\d\d(:\d\d)?$", d["scored_at"]) is not None for d in seen[1:]]
    assert with_offset == [zone not in ("UTC", "naive")] * 3


def test_detail_read_with_a_token_is_the_serializers_representation():
    """Over HTTP: the detail read with a token (built from its row) is the JSON of the serializer's
    representation of the ORM instance."""
    client = _client(create_token(UserFactory(staff=True))[1])
    for diagnostic in _varied_diagnostics():
        response = client.get(f"/api/v1/diagnostics/{diagnostic.pk}/")
        generic = DiagnosticSerializer(selectors.diagnostic_detail().get(pk=diagnostic.pk)).data
        assert response.status_code == 200 and response.json() == json.loads(JSONRenderer().render(generic))


def test_a_permission_deciding_per_object_is_asked_on_the_detail_read_with_a_token(monkeypatch):
    """The row is represented without a model instance only when no permission of the view decides per
    object; one that does gets the instance, as DRF's detail views give it."""
    from assessments.api.views import DiagnosticViewSet
    from core.api import checks_objects
    from core.permissions import IsProgramStaff

    asked = []

    class NotOnSundays(IsProgramStaff):
        def has_object_permission(self, request, view, obj):
            asked.append(obj)
            return obj.scheduled_for.isoweekday() != 7

    diagnostic = DiagnosticFactory(scheduled_for=date(2026, 3, 1))  # a Sunday
    client = _client(create_token(UserFactory(staff=True))[1])
    assert not checks_objects(DiagnosticViewSet())
    assert client.get(f"/api/v1/diagnostics/{diagnostic.pk}/").status_code == 200

    monkeypatch.setattr(DiagnosticViewSet, "permission_classes", [NotOnSundays])
    assert checks_objects(DiagnosticViewSet())
    assert client.get(f"/api/v1/diagnostics/{diagnostic.pk}/").status_code == 403
    assert asked == [diagnostic] and asked[0].supplier_id == diagnostic.supplier_id


def test_detail_not_found_answers(django_assert_max_num_queries):
    staff = UserFactory(staff=True)
    client = APIClient()
    client.force_authenticate(staff)
    for pk in ("999999", str(2**63), "-1", "abc"):
        response = client.get(f"/api/v1/diagnostics/{pk}/")
        assert response.status_code == 404, pk
        assert response.json()["code"] == "not_found"


@pytest.mark.django_db(transaction=True)  # real commits: the test's own transaction would hide the request's
def test_reads_run_in_autocommit_and_writes_in_one_transaction_rolled_back_on_error(monkeypatch):
    from django.db import connection
    from rest_framework.exceptions import ValidationError

    from suppliers.api import views as supplier_views

    staff = UserFactory(staff=True)
    client = _client(create_token(staff)[1])
    diagnostic = DiagnosticFactory()
    seen = []
    real_detail = selectors.diagnostic_detail_values  # the row is read with the token

    def detail_spy(row):
        seen.append(("detail", connection.in_atomic_block))
        return real_detail(row)

    monkeypatch.setattr(selectors, "diagnostic_detail_values", detail_spy)
    assert client.get(f"/api/v1/diagnostics/{diagnostic.pk}/").status_code == 200
    assert client.get("/api/v1/suppliers/").status_code == 200

    def failing_update(request, supplier, *, partial):  # writes, then refuses: all of it must roll back
        seen.append(("update", connection.in_atomic_block))
        Supplier.objects.filter(pk=supplier.pk).update(trade_name="Written before the error")
        raise ValidationError({"trade_name": ["No."]})

    monkeypatch.setattr(supplier_views, "update_supplier", failing_update)
    supplier = diagnostic.supplier
    response = client.patch(f"/api/v1/suppliers/{supplier.pk}/", {"trade_name": "x"}, format="json")
    assert response.status_code == 400 and response.json() == {"trade_name": ["No."]}
    assert seen == [("detail", False), ("update", True)]
    supplier.refresh_from_db()
    assert supplier.trade_name != "Written before the error"


def test_detail_read_with_the_token_answers_as_two_queries(monkeypatch):
    """The detail read by the token's statement answers every kind of caller as the token query and the
    scoped detail query did, in one query."""
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    from assessments.api import views
    from core import authentication

    root = UserFactory(username="root", is_superuser=True)
    member = UserFactory(username="member", staff=True)
    outsider = UserFactory(username="outsider")
    make_staff(outsider, ProgramFactory(code="sdp-otro"))
    idle = UserFactory(username="idle", staff=True)
    idle.program_memberships.update(is_active=False)
    sme = UserFactory(username="sme")
    inactive = UserFactory(username="gone", staff=True)
    keys = {user.username: create_token(user)[1] for user in (root, member, outsider, idle, sme, inactive)}
    inactive.is_active = False
    inactive.save()
    keys["unknown"] = "f" * 43
    mine = DiagnosticFactory(assessor=UserFactory(username="assessor"))
    other = DiagnosticFactory(supplier=SupplierFactory(program=ProgramFactory(code="sdp-otro")))
    paths = [f"/api/v1/diagnostics/{pk}/" for pk in (mine.pk, other.pk, other.pk + 1000, 2**63, "x")]

    def answers(key):
        client = _client(key)
        out = []
        for path in paths:
            with CaptureQueriesContext(connection) as queries:
                response = client.get(path, HTTP_ACCEPT_LANGUAGE="en")
            reads = [q for q in queries.captured_queries if "SAVEPOINT" not in q["sql"]]
            out.append((response.status_code, response.content, sorted(response.headers.items()), len(reads)))
        return out

    for name, key in keys.items():
        joined = answers(key)
        monkeypatch.setattr(views, "read_with_token", lambda request, sql, params: None)
        separate = answers(key)
        monkeypatch.undo()
        assert [a[:3] for a in joined] == [a[:3] for a in separate], name
        if name in ("root", "member", "outsider", "idle"):
            assert [a[3] for a in joined] == [1, 1, 1, 1, 1], name  # the token statement reads the row
            assert [a[3] for a in separate] == [2, 2, 2, 1, 1], name
    assert [a[0] for a in answers(keys["member"])] == [200, 404, 404, 404, 404]
    assert [a[0] for a in answers(keys["root"])] == [200, 200, 404, 404, 404]
    assert [a[0] for a in answers(keys["sme"])] == [403] * 5
    assert [a[0] for a in answers(keys["gone"])] == [401] * 5
    assert authentication.read_with_token_row(object()) is authentication.NOT_READ


def test_the_token_statement_is_prepared_once_per_connection_and_nothing_else_is():
    """The token statement is a prepared statement of the connection (parsed and planned once, not on every
    request), and preparing stays off for every other query, as Django's connections have it."""
    from django.db import connection

    staff = UserFactory(staff=True)
    client = _client(create_token(staff)[1])
    diagnostic = DiagnosticFactory()
    for _ in range(3):
        assert client.get(f"/api/v1/diagnostics/{diagnostic.pk}/").status_code == 200
        assert client.get("/api/v1/suppliers/").status_code == 200
    assert connection.connection.prepare_threshold is None
    with connection.cursor() as cursor:
        cursor.execute("SELECT statement FROM pg_prepared_statements WHERE statement LIKE %s", ["%core_apitoken%"])
        statements = [row[0] for row in cursor.fetchall()]
    assert len(statements) == 2  # the token with the detail's row, and with the list's page
    assert any("assessments_diagnostic" in s for s in statements)
    assert any("suppliers_supplier" in s for s in statements)
