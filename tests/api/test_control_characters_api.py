"""The API refuses control characters in free text with a field error (a 400 in the documented shape)."""

import pytest

from tests.api.test_suppliers import as_sme_of

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize("field", ["trade_name", "legal_name", "municipality"])
def test_api_refuses_control_characters_with_a_field_error(api, world, field):
    own = world["suppliers"][0]
    as_sme_of(api, own)
    response = api.patch(
        "/api/v1/me/supplier/", {field: "Nueva\x1b", "version": own.version}, format="json", HTTP_ACCEPT_LANGUAGE="en"
    )
    assert response.status_code == 400
    assert "control characters" in " ".join(response.json()[field])
    own.refresh_from_db()
    assert "\x1b" not in getattr(own, field)
