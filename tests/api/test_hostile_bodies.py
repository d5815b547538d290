"""Hostile JSON bodies get the documented 400 body on every write endpoint, never a 500."""

import pytest

from core.parsers import json_depth
from tests.api.test_suppliers import as_sme_of

DEEP = "[" * 50_000 + "]" * 50_000
DEEP_OBJECT = '{"a":' * 5_000 + "1" + "}" * 5_000


def _is_documented_400(response) -> bool:
    body = response.json()
    return (
        response.status_code == 400
        and response["Content-Type"].startswith("application/json")
        and isinstance(body.get("non_field_errors"), list)
        and body["non_field_errors"]
    )


@pytest.mark.parametrize("body", [DEEP, DEEP_OBJECT])
@pytest.mark.parametrize("method", ["patch"])
def test_deep_json_on_my_supplier_is_a_400(api, world, body, method):
    as_sme_of(api, world["suppliers"][0])
    response = getattr(api, method)("/api/v1/me/supplier/", body, content_type="application/json")
    assert _is_documented_400(response)


@pytest.mark.parametrize("path", ["/api/v1/anchor-reviews/", "/api/v1/cohorts/", "/api/v1/diagnostics/"])
def test_deep_json_on_other_write_endpoints_is_a_400(api, world, staff_user, path):
    api.force_authenticate(staff_user)
    response = api.post(path, DEEP, content_type="application/json")
    assert _is_documented_400(response)


def test_oversized_json_is_a_400(api, world, settings):
    settings.SDP_API_MAX_JSON_BYTES = 1000
    as_sme_of(api, world["suppliers"][0])
    body = '{"trade_name": "' + "x" * 2000 + '", "version": 1}'
    assert _is_documented_400(api.patch("/api/v1/me/supplier/", body, content_type="application/json"))


def test_malformed_json_is_a_400_in_the_documented_shape(api, world):
    as_sme_of(api, world["suppliers"][0])
    assert _is_documented_400(api.patch("/api/v1/me/supplier/", '{"trade_name": ', content_type="application/json"))


def test_ordinary_nesting_still_parses(api, world):
    as_sme_of(api, world["suppliers"][0])
    response = api.patch(
        "/api/v1/me/supplier/", '{"trade_name": "Nueva [x] {y}", "version": 1}', content_type="application/json"
    )
    assert response.status_code == 200 and response.json()["trade_name"] == "Nueva [x] {y}"


def test_depth_ignores_brackets_inside_strings():
    assert json_depth('{"a": "[[[[{{{{\\"]]"}') == 1
    assert json_depth('[[1], {"b": [2]}]') == 3
