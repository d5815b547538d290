import pytest
from django.test.utils import override_settings
from rest_framework.test import APIClient

from core.models import ApiToken, AuditEvent
from tests.programs.factories import UserFactory
from tests.suppliers.factories import ContactFactory

pytestmark = pytest.mark.django_db


def test_staff_issue_rotate_and_revoke_a_token(api, staff_user, world):
    contact = ContactFactory(supplier=world["suppliers"][0], with_user=True, is_primary=False)
    api.force_authenticate(staff_user)
    issued = api.post("/api/v1/tokens/", {"user": contact.user.pk}, format="json")
    assert issued.status_code == 201
    key = issued.json()["key"]
    assert api.get("/api/v1/tokens/").json()["results"][0] == {
        "user": contact.user.pk,
        "username": contact.user.username,
        "created": issued.json()["created"],
        "last_used": None,
        "key_prefix": key[:8],
    }
    # The SME token reaches its own supplier, and only it.
    sme = type(api)()
    sme.credentials(HTTP_AUTHORIZATION=f"Token {key}")
    assert sme.get("/api/v1/me/supplier/").json()["id"] == contact.supplier_id
    assert sme.get(f"/api/v1/suppliers/{world['suppliers'][1].pk}/").status_code == 404
    assert sme.get("/api/v1/tokens/").status_code == 403
    rotated = api.post("/api/v1/tokens/", {"user": contact.user.pk}, format="json").json()["key"]
    assert rotated != key and sme.get("/api/v1/me/supplier/").status_code == 401
    assert api.delete(f"/api/v1/tokens/{contact.user.pk}/").status_code == 204
    assert not ApiToken.objects.filter(user=contact.user).exists()
    assert api.delete(f"/api/v1/tokens/{contact.user.pk}/").status_code == 404
    actions = list(AuditEvent.objects.filter(object_id=str(contact.user.pk)).values_list("action", flat=True))
    assert sorted(actions) == ["api_token_issued", "api_token_issued", "api_token_revoked"]


def test_token_rules(api, staff_user):
    api.force_authenticate(staff_user)
    assert api.post("/api/v1/tokens/", {"user": staff_user.pk}, format="json").status_code == 403
    admin = UserFactory(username="root", is_superuser=True)
    assert api.post("/api/v1/tokens/", {"user": admin.pk}, format="json").status_code == 403
    assert api.post("/api/v1/tokens/", {"user": 999999}, format="json").status_code == 400
    api.force_authenticate(UserFactory(username="plain"))
    assert api.post("/api/v1/tokens/", {"user": staff_user.pk}, format="json").status_code == 403


def test_a_bad_token_is_401_with_a_challenge(api):
    api.credentials(HTTP_AUTHORIZATION="Token not-a-real-key")
    response = api.get("/api/v1/suppliers/")
    assert response.status_code == 401 and response["WWW-Authenticate"] == "Token"
    assert set(response.json()) == {"detail", "code"}


def test_unknown_api_paths_are_json_404(api, staff_user):
    api.force_authenticate(staff_user)
    response = api.delete("/api/v1/tokens/not-a-number/")
    assert response.status_code == 404 and response.json()["code"] == "not_found"


def test_throttling_answers_429_with_retry_after(api, staff_user):
    from django.core.cache import cache

    cache.clear()
    api.force_authenticate(staff_user)
    rates = {"DEFAULT_THROTTLE_RATES": {"anon": "2/minute", "user": "2/minute"}}
    from django.conf import settings

    with override_settings(REST_FRAMEWORK={**settings.REST_FRAMEWORK, **rates}):
        assert [api.get("/api/v1/states/").status_code for _ in range(3)] == [200, 200, 429]
        response = api.get("/api/v1/states/")
        assert response.json()["code"] == "throttled" and int(response["Retry-After"]) > 0
    cache.clear()


def test_reference_data_is_readable_by_any_role_and_refused_to_others(api, world, anchor_reviewer, staff_user):
    api.force_authenticate(anchor_reviewer.user)
    area = api.get(f"/api/v1/supply-areas/{world['area'].pk}/").json()
    assert area["requirements"] == [{"dimension_code": "quality", "minimum_score": "60.00"}]
    assert area["required_certifications"] == ["iatf-16949", "iso-9001"]
    assert api.get("/api/v1/states/", {"region__code": "norte"}).json()["results"][0]["code"] == "19"
    assert api.post("/api/v1/states/", {}, format="json").status_code == 403
    api.force_authenticate(staff_user)
    for path in ("programs", "phases", "regions", "certification-standards", "anchors"):
        assert api.get(f"/api/v1/{path}/").json()["count"] >= 1, path
    assert api.get("/api/v1/anchors/", {"is_active": "perhaps"}).status_code == 400
    assert api.get("/api/v1/supply-areas/", {"anchors": str(2**70)}).status_code == 400


def test_schema_documents_every_operation_with_error_bodies(api):
    import yaml

    schema = yaml.safe_load(api.get("/api/schema/").content)
    for path, item in schema["paths"].items():
        for method, operation in item.items():
            if method in {"get", "post", "put", "patch", "delete"}:
                assert {"400", "401", "403", "404", "429"} <= set(operation["responses"]), (method, path)
    patch = schema["paths"]["/api/v1/suppliers/{id}/"]["patch"]
    assert {"409", "428"} <= set(patch["responses"])


@pytest.mark.django_db
@pytest.mark.parametrize(
    "url",
    [
        "/api/v1/diagnostics/?scheduled_for=",
        "/api/v1/diagnostics/?scheduled_after=",
        "/api/v1/diagnostics/?scheduled_for=2025-13-01",
        "/api/v1/cohorts/?year=0.5",
        "/api/v1/candidates/?pinned=null",
    ],
)
def test_malformed_filters_are_a_400_with_the_field_named(url):
    from tests.programs.factories import UserFactory

    client = APIClient()
    client.force_authenticate(UserFactory(username="filters-staff", staff=True))
    response = client.get(url)
    assert response.status_code == 400
    assert url.split("?")[1].split("=")[0] in response.json()


@pytest.mark.django_db
def test_a_non_numeric_report_id_is_a_json_404():
    from tests.programs.factories import UserFactory

    client = APIClient()
    client.force_authenticate(UserFactory(username="reports-staff", staff=True))
    response = client.get("/api/v1/reports/cohorts/null,null/")
    assert response.status_code == 404 and response.json()["code"] == "not_found"


@pytest.mark.django_db
def test_only_a_superuser_issues_tokens_for_staff_or_anchor_reviewers(api, staff_user):
    from tests.programs.factories import AnchorReviewerFactory

    other_staff = UserFactory(username="other-staff", staff=True)
    reviewer = AnchorReviewerFactory().user
    sme = ContactFactory(with_user=True).user
    api.force_authenticate(staff_user)
    assert api.post("/api/v1/tokens/", {"user": other_staff.pk}, format="json").status_code == 403
    assert api.post("/api/v1/tokens/", {"user": reviewer.pk}, format="json").status_code == 403
    assert api.post("/api/v1/tokens/", {"user": sme.pk}, format="json").status_code == 201
    assert not ApiToken.objects.filter(user__in=[other_staff, reviewer]).exists()
    api.force_authenticate(UserFactory(username="root2", is_superuser=True, is_staff=True))
    assert api.post("/api/v1/tokens/", {"user": reviewer.pk}, format="json").status_code == 201


class _Clock:
    def __init__(self, now: float):
        self.now = now

    def __call__(self) -> float:
        return self.now


def test_throttling_counts_in_a_sliding_window_at_a_constant_cost(api, staff_user, monkeypatch):
    """Two small counters per client, whatever the rate (DRF's throttle keeps a list of every request
    time); a burst at a window boundary is held to the rate, not let through twice."""
    from django.conf import settings
    from django.core.cache import cache

    from core.throttling import UserThrottle

    cache.clear()
    clock = _Clock(600 * 1000 + 50)  # 50 s into a one-minute window
    monkeypatch.setattr(UserThrottle, "timer", clock)
    api.force_authenticate(staff_user)
    rates = {"DEFAULT_THROTTLE_RATES": {"anon": "10/minute", "user": "10/minute"}}

    def statuses(n: int) -> list[int]:
        return [api.get("/api/v1/states/").status_code for _ in range(n)]

    with override_settings(REST_FRAMEWORK={**settings.REST_FRAMEWORK, **rates}):
        assert statuses(11) == [200] * 10 + [429]
        stored = [value for key, value in cache._cache.items() if "throttle_user" in key]
        assert len(stored) == 1  # one counter for this window
        clock.now += 15  # 5 s into the next window: the previous one still weighs 10 * 55/60
        response = api.get("/api/v1/states/")
        assert response.status_code == 429 and 1 <= int(response["Retry-After"]) <= 60
        clock.now += 30  # 35 s in: 10 * 25/60 = 4.2 of the previous, so 5 more
        assert statuses(6) == [200] * 5 + [429]
        clock.now += 60 * 5  # long after: the full rate again
        assert statuses(11) == [200] * 10 + [429]
    cache.clear()


def test_only_a_hash_of_the_key_is_stored_and_each_use_is_stamped(api, staff_user):
    from core.tokens import key_hash

    sme = ContactFactory(with_user=True).user
    api.force_authenticate(staff_user)
    key = api.post("/api/v1/tokens/", {"user": sme.pk}, format="json").json()["key"]
    token = ApiToken.objects.get(user=sme)
    assert token.key_hash == key_hash(key) != key and key.startswith(token.prefix)
    assert key not in str(list(ApiToken.objects.values())) and token.last_used_at is None
    assert key not in str(list(AuditEvent.objects.values()))
    client = APIClient()
    client.credentials(HTTP_AUTHORIZATION=f"Token {key}")
    assert client.get("/api/v1/me/supplier/").status_code in (200, 404)
    token.refresh_from_db()
    assert token.last_used_at is not None
    assert api.get(f"/api/v1/tokens/{sme.pk}/").json()["last_used"] is not None
    client.credentials(HTTP_AUTHORIZATION=f"Token {token.key_hash}")  # the stored hash is not a key
    assert client.get("/api/v1/me/supplier/").status_code == 401


def test_keys_issued_before_hashing_keep_working_and_the_plain_table_is_dropped(api):
    """``core/0002_api_tokens_hashed_keys`` on a database that has DRF's plain-text token table."""
    import importlib

    from django.apps import apps
    from django.contrib.admin.models import ADDITION, LogEntry
    from django.contrib.contenttypes.models import ContentType
    from django.db import connection

    migration = importlib.import_module("core.migrations.0002_api_tokens_hashed_keys")
    sme = ContactFactory(with_user=True).user
    key = "9944b09199c62bcf9418ad846dd0e4bbdfc6ee4b"
    with connection.cursor() as cursor:
        cursor.execute("CREATE TABLE authtoken_token (key varchar(40) PRIMARY KEY, created timestamptz, user_id int)")
        cursor.execute("INSERT INTO authtoken_token VALUES (%s, now(), %s)", [key, sme.pk])
    legacy_type = ContentType.objects.create(app_label="authtoken", model="tokenproxy")
    LogEntry.objects.create(user=sme, content_type=legacy_type, object_id=key, object_repr=key, action_flag=ADDITION)
    with connection.schema_editor() as editor:
        migration.hash_legacy_tokens(apps, editor)
    assert "authtoken_token" not in connection.introspection.table_names()
    assert ApiToken.objects.get(user=sme).prefix == key[:8]
    assert not LogEntry.objects.filter(object_repr=key).exists() and not LogEntry.objects.filter(object_id=key).exists()
    api.credentials(HTTP_AUTHORIZATION=f"Token {key}")
    assert api.get("/api/v1/me/supplier/").status_code == 200
