"""The design system's helpers: numbers, money, dates, status badges and how forms render."""

import datetime
from decimal import Decimal

import pytest
from django import forms
from django.template import engines
from django.utils import translation

from core.templatetags.sdp import money, number, percent, short_label, status_badge, status_tone


@pytest.mark.parametrize(
    ("value", "expected"),
    [(1250000, "1,250,000"), (Decimal("1234.5"), "1,235"), (0, "0"), (None, "—"), ("", "—"), ("abc", "—")],
)
def test_number_groups_thousands(value, expected):
    with translation.override("es-mx"):
        assert number(value) == expected


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        (1250000, "$1,250,000 MXN"),
        (Decimal("1250000.50"), "$1,250,000.50 MXN"),
        (Decimal("-300"), "-$300 MXN"),
        (None, "—"),
    ],
)
def test_money_is_written_as_mexican_pesos(value, expected):
    for language in ("es-mx", "en"):
        with translation.override(language):
            assert money(value) == expected


def test_money_names_another_currency():
    assert money(1500, "USD") == "$1,500 USD"


def test_percent_keeps_the_decimals_asked_for():
    assert percent(42) == "42%"
    assert percent(Decimal("42.46"), 1) == "42.5%"


@pytest.mark.parametrize(
    ("language", "expected"),
    [("es-mx", "2 de diciembre de 2026"), ("en", "2 Dec 2026")],
)
def test_dates_read_one_way_per_language(language, expected):
    template = engines["django"].from_string("{{ day|date }}")
    with translation.override(language):
        assert template.render({"day": datetime.date(2026, 12, 2)}) == expected


def test_a_status_has_one_colour_everywhere():
    assert status_tone("verified") == "success"
    assert status_tone("rejected") == "danger"
    assert status_tone("draft") == "warning"
    assert status_tone("submitted") == "info"
    assert status_tone("something-new") == "secondary"
    html = status_badge("rejected", "Rechazado")
    assert "text-bg-danger" in html and ">Rechazado<" in html and 'data-status="rejected"' in html


def test_a_badge_escapes_its_label():
    assert "<b>" not in status_badge("draft", "<b>x</b>")


@pytest.mark.parametrize(
    ("label", "expected"),
    [
        ("Nombre de la empresa", "Nombre de la empresa"),
        (
            "Acepto el tratamiento de mis datos para las finalidades necesarias.",
            "Acepto el tratamiento de mis datos para las finalidades…",
        ),
        ("¿Exporta?", "¿Exporta"),
    ],
)
def test_the_error_summary_names_a_field_briefly(label, expected):
    assert short_label(label) == expected


class SampleForm(forms.Form):
    name = forms.CharField(label="Nombre", help_text="Como aparece en su constancia.")
    state = forms.ChoiceField(choices=[("01", "Aguascalientes"), ("02", "Baja California")])
    exports = forms.BooleanField(required=False, label="Exporta")
    areas = forms.MultipleChoiceField(choices=[("a", "A"), ("b", "B")], widget=forms.CheckboxSelectMultiple)


def test_fields_render_with_the_design_systems_classes_and_aria():
    form = SampleForm(data={"state": "01"})
    assert not form.is_valid()
    html = str(form)
    assert 'class="form-control is-invalid"' in html and 'aria-invalid="true"' in html
    assert 'aria-describedby="id_name_helptext id_name_error"' in html
    assert 'id="id_name_error"' in html and 'id="id_name_helptext"' in html
    assert 'class="form-select"' in html
    assert 'class="form-check-input"' in html
    assert 'role="alert"' in html  # only on the summary at the top, never on a field's errors
    assert html.count('role="alert"') == 1
    assert 'href="#id_name"' in html  # the summary links to the field


def test_a_valid_form_has_no_error_summary():
    form = SampleForm(data={"name": "Troqueles", "state": "01", "areas": ["a"]})
    assert form.is_valid()
    assert "alert" not in str(form)
