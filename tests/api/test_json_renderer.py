"""The API's JSON renderer (orjson) writes the bytes DRF's own renderer writes."""

import datetime
import random
import uuid
from decimal import Decimal

import pytest
from django.utils.translation import gettext_lazy
from rest_framework.renderers import JSONRenderer as DRFJSONRenderer

from core.renderers import JSONRenderer

ZONE = datetime.timezone(datetime.timedelta(hours=-6))


def _leaf(rng: random.Random):
    kind = rng.randrange(14)
    if kind == 0:
        return None
    if kind == 1:
        return rng.random() < 0.5
    if kind == 2:
        return rng.randint(-(2**63), 2**63 - 1)
    if kind == 3:
        return round(rng.uniform(-1000, 1000), rng.randrange(0, 6))
    if kind == 4:
        return Decimal(rng.randint(-(10**8), 10**8)) / 100
    if kind == 5:
        return datetime.datetime(2026, 12, 3, 14, 5, rng.randrange(60), rng.choice([0, 1, 123456]), tzinfo=datetime.UTC)
    if kind == 6:
        return datetime.datetime(2026, 1, 2, 3, 4, 5, rng.choice([0, 500000]), tzinfo=ZONE)
    if kind == 7:
        return datetime.datetime(2026, 1, 2, 3, 4, 5)  # naive
    if kind == 8:
        return datetime.date(2026, rng.randint(1, 12), rng.randint(1, 28))
    if kind == 9:
        return datetime.time(rng.randrange(24), rng.randrange(60), rng.randrange(60), rng.choice([0, 250000]))
    if kind == 10:
        return uuid.UUID(int=rng.getrandbits(128))
    if kind == 11:
        return gettext_lazy("Not found.")
    if kind == 12:
        return "".join(rng.choice('aé"\\\n\t\x01ñ\u2028\u2029😀/<>') for _ in range(rng.randrange(12)))
    return rng.randint(-5, 5)


def _value(rng: random.Random, depth: int = 0):
    roll = rng.random()
    if depth < 3 and roll < 0.25:
        return {f"k{i}{rng.choice('aé')}": _value(rng, depth + 1) for i in range(rng.randrange(5))}
    if depth < 3 and roll < 0.4:
        items = [_value(rng, depth + 1) for _ in range(rng.randrange(5))]
        return tuple(items) if rng.random() < 0.3 else items
    return _leaf(rng)


def test_same_bytes_as_drf_on_random_data():
    rng = random.Random(23)
    fast, reference = JSONRenderer(), DRFJSONRenderer()
    for _ in range(2000):
        data = _value(rng)
        assert fast.render(data, "application/json") == reference.render(data, "application/json"), data


@pytest.mark.parametrize(
    "data",
    [
        {"big": 2**70},  # beyond 64 bits: DRF's renderer writes it
        {1: "a", "b": 2},  # a key that is not a string
        [{"nested": {2: [Decimal("1.50")]}}],
    ],
)
def test_what_orjson_refuses_goes_through_drf(data):
    assert JSONRenderer().render(data, "application/json") == DRFJSONRenderer().render(data, "application/json")


def test_indented_and_empty_responses_as_drf_writes_them():
    data = {"a": [1, {"b": "ñ"}], "c": Decimal("2.5")}
    for media_type, context in (("application/json; indent=4", {}), ("application/json", {"indent": 2})):
        assert JSONRenderer().render(data, media_type, context) == DRFJSONRenderer().render(data, media_type, context)
    assert JSONRenderer().render(None) == b""


def test_floats_drf_cannot_write_are_null():
    """DRF's strict renderer raises on NaN and infinities (a server error); orjson writes null."""
    for value in (float("nan"), float("inf")):
        with pytest.raises(ValueError):
            DRFJSONRenderer().render({"x": value}, "application/json")
        assert JSONRenderer().render({"x": value}, "application/json") == b'{"x":null}'


@pytest.mark.django_db
def test_api_responses_are_drf_bytes(api, world, staff_user):
    api.force_authenticate(staff_user)
    supplier = world["suppliers"][0]
    for path in (
        "/api/v1/suppliers/",
        f"/api/v1/suppliers/{supplier.pk}/",
        "/api/v1/states/",
        "/api/v1/suppliers/999999999/",
    ):
        response = api.get(path)
        assert response["Content-Type"] == "application/json"
        assert response.content == DRFJSONRenderer().render(response.data, "application/json"), path
