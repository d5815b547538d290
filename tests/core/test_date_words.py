"""Dates read as each language writes them: "2 de diciembre de 2026" (month in lower case), "2 Dec 2026"."""

import datetime

import pytest
from django.template import Context, Template
from django.utils import translation

DATES = [(datetime.date(2026, 12, 2), "2 de diciembre de 2026", "2 Dec 2026")] + [
    (datetime.date(2026, month, 1), None, None) for month in range(1, 13)
]


@pytest.mark.parametrize(("day", "spanish", "english"), DATES)
def test_a_date_in_spanish_and_english(day, spanish, english):
    template = Template("{{ day|date }}")
    with translation.override("es-mx"):
        shown = template.render(Context({"day": day}))
    assert shown == shown.lower(), shown  # no "Enero": Mexican Spanish writes months in lower case
    if spanish:
        assert shown == spanish
    with translation.override("en"):
        assert english is None or template.render(Context({"day": day})) == english
