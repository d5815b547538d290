"""Control characters are refused in every free-text field, at the forms and the API, with a field error in
the user's language; every free-text model field carries the validator."""

import pytest
from django.apps import apps
from django.core.exceptions import ValidationError
from django.db import models
from django.urls import reverse

from core.text import ControlCharacterValidator
from suppliers.models import Supplier
from tests.suppliers.test_views import company_post

pytestmark = pytest.mark.django_db

HOSTILE = ["Acme\x00 S.A.", "Acme\x1b[31m", "Ac\x0bme", "Acme\x7f", "\x07Acme"]
SPANISH_MESSAGE = "aracteres"  # "caracteres de control" (or Django's own "Caracteres nulos" for NUL)

# Text that is not typed into a form or the API by an SME, staff or an anchor, or that another check
# already restricts to a small alphabet.
NOT_FREE_TEXT = {
    ("suppliers", "Supplier", "rfc"): "checked by the RFC validator (letters and digits)",
    ("suppliers", "Supplier", "scian_code"): "six digits (validate_scian)",
    ("suppliers", "Supplier", "privacy_notice_version"): "set from settings",
    ("suppliers", "Company", "rfc"): "copied from its participation's checked RFC",
    ("suppliers", "Company", "scian_code"): "copied from its participation's checked code (validate_scian)",
    ("suppliers", "Contact", "email"): "EmailField",
    ("suppliers", "Contact", "phone"): "PhoneNumberField",
    ("suppliers", "Document", "content_type"): "detected from the file",
    ("suppliers", "Document", "sha256"): "computed",
    ("suppliers", "RegistrationInvitation", "rfc"): "checked by the RFC check of the import (letters and digits)",
    ("suppliers", "RegistrationInvitation", "email"): "EmailField, checked by the import",
    ("support", "Provider", "email"): "EmailField",
    ("support", "Participant", "email"): "EmailField",
    ("support", "PlanItem", "dimension_code"): "SlugField (a framework dimension's code)",
    ("support", "Course", "dimension_code"): "SlugField (a framework dimension's code)",
}
FRAMEWORK_MODELS = {"Framework", "Dimension", "Question", "LevelDescriptor", "MaturityBand"}


def test_every_free_text_model_field_refuses_control_characters():
    missing = []
    for label in ("suppliers", "assessments", "cohorts", "support"):
        for model in apps.get_app_config(label).get_models():
            if label == "assessments" and model.__name__ in FRAMEWORK_MODELS:
                continue  # framework files: reference data loaded by staff (docs/reliability.md)
            for field in model._meta.concrete_fields:
                if not isinstance(field, models.CharField | models.TextField) or field.choices or not field.editable:
                    continue
                if (label, model.__name__, field.name) in NOT_FREE_TEXT:
                    continue
                if not any(isinstance(v, ControlCharacterValidator) for v in field.validators):
                    missing.append(f"{label}.{model.__name__}.{field.name}")
    assert missing == []


@pytest.mark.parametrize("text", HOSTILE)
@pytest.mark.parametrize("field", ["legal_name", "trade_name", "municipality"])
def test_company_form_refuses_control_characters_with_a_field_error(client, sme_user, catalog, field, text):
    client.force_login(sme_user)
    response = client.post(reverse("suppliers:company"), company_post(catalog, **{field: text}))
    assert response.status_code == 200
    errors = response.context["form"].errors
    assert field in errors and SPANISH_MESSAGE in " ".join(errors[field])
    assert not Supplier.objects.exists()


def test_line_breaks_are_fine_in_long_text_but_not_in_names():
    from core.text import refuse_control_characters, refuse_control_characters_multiline

    refuse_control_characters_multiline("Primera línea\r\nsegunda\tcon tabulador")
    with pytest.raises(ValidationError):
        refuse_control_characters("Acme\nS.A.")


def test_signup_name_refuses_control_characters(client, program):
    data = {
        "name": "Ana\x00",
        "email": "ana@pyme.mx",
        "password1": "clave-segura-2025",
        "password2": "clave-segura-2025",
    }
    response = client.post(reverse("suppliers:signup"), data)
    assert response.status_code == 200 and "name" in response.context["form"].errors
