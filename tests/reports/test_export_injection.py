"""Exports treat every stored text as untrusted: no formula is ever live, no control character breaks a file."""

import csv
import io
from decimal import Decimal

import pytest
from django.urls import reverse
from openpyxl import load_workbook

from reports import tasks
from reports.exports import spreadsheet_cell
from reports.models import ReportExport
from suppliers.models import Supplier

HOSTILE = [
    '=HYPERLINK("http://evil.example","x")',
    "+1+cmd|' /C calc'!A0",
    "-2+3",
    "@SUM(1,1)",
    "\t=1+1",
    "\r=1+1",
]


@pytest.mark.parametrize("text", HOSTILE)
def test_a_cell_starting_like_a_formula_becomes_inert_text(text):
    cell = spreadsheet_cell(text)
    assert cell.startswith("'") and cell[1:] == text


@pytest.mark.parametrize("value", [Decimal("-1.50"), 7, -3, 2.5])
def test_numbers_stay_numbers(value):
    assert spreadsheet_cell(value) == value and type(spreadsheet_cell(value)) is type(value)


def test_control_characters_are_dropped_but_line_breaks_kept():
    assert spreadsheet_cell("Acme\x00\x07\x1b S.A.\nde C.V.\x7f") == "Acme S.A.\nde C.V."


def _hostile_names(report_data) -> dict[int, str]:
    """Give the cohort's suppliers hostile legal names (as stored before input was checked)."""
    names = {}
    for i, cand in enumerate(report_data.candidates):
        supplier = cand["obj"].supplier
        name = HOSTILE[i % len(HOSTILE)] + ("\x0b\x01" if i % 2 else "")
        Supplier.objects.filter(pk=supplier.pk).update(legal_name=name)
        names[supplier.pk] = name
    return names


def _no_live_formula(values) -> None:
    for value in values:
        if isinstance(value, str):
            assert not value.startswith(("=", "+", "-", "@", "\t", "\r")), value
            assert not any(ord(c) < 32 and c not in "\t\n\r" for c in value), value


@pytest.mark.parametrize("kind", ["candidates", "decisions"])
def test_inline_csv_has_no_live_formula(staff_client, report_data, kind):
    _hostile_names(report_data)
    response = staff_client.get(reverse("reports:cohort-export", args=[report_data.cohort.pk, kind, "csv"]))
    assert response.status_code == 200
    text = b"".join(response.streaming_content).decode("utf-8").lstrip("\ufeff")
    rows = list(csv.reader(io.StringIO(text)))
    assert len(rows) > 1
    for row in rows[1:]:
        _no_live_formula(row)
        assert row[1].startswith("'")


@pytest.mark.parametrize("kind", ["candidates", "decisions"])
def test_inline_xlsx_has_no_formula_cell_and_does_not_crash(staff_client, report_data, kind):
    _hostile_names(report_data)
    response = staff_client.get(reverse("reports:cohort-export", args=[report_data.cohort.pk, kind, "xlsx"]))
    assert response.status_code == 200
    sheet = load_workbook(io.BytesIO(response.content)).active
    rows = list(sheet.iter_rows())
    assert len(rows) > 1
    for row in rows[1:]:
        assert all(cell.data_type != "f" for cell in row)
        _no_live_formula(cell.value for cell in row)
    # numbers stay numbers
    if kind == "candidates":
        assert all(isinstance(row[9].value, float | int) for row in rows[1:])


@pytest.mark.parametrize("fmt", ["csv", "xlsx"])
def test_background_export_of_hostile_names_is_ready_and_inert(staff_user, report_data, fmt):
    _hostile_names(report_data)
    export = ReportExport.objects.create(
        program=report_data.program,
        kind="diagnostics",
        file_format=fmt,
        requested_by=staff_user,
        params={"program": report_data.program.pk, "phase": None, "cohort": None},
    )
    assert tasks.build_export.delay(export.pk).get() == "ready"
    export.refresh_from_db()
    if fmt == "xlsx":
        rows = list(load_workbook(export.file.path).active.iter_rows())
        for row in rows[1:]:
            assert all(cell.data_type != "f" for cell in row)
            _no_live_formula(cell.value for cell in row)
    else:
        with open(export.file.path, encoding="utf-8") as fh:
            for row in list(csv.reader(io.StringIO(fh.read().lstrip("\ufeff"))))[1:]:
                _no_live_formula(row)
