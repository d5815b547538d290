import pytest
from rest_framework.test import APIClient

from tests.api.seed import seed_suppliers


@pytest.fixture
def api():
    return APIClient()


@pytest.fixture
def world(db):
    """A program with two suppliers with every nested part."""
    program, area, anchor, suppliers = seed_suppliers(2)
    return {"program": program, "area": area, "anchor": anchor, "suppliers": suppliers}
