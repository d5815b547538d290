"""Exports parse back with the right rows and columns; the background export builds a downloadable file."""

import csv
import io
from decimal import Decimal

from django.urls import reverse
from openpyxl import load_workbook

from reports import tasks
from reports.models import ReportExport
from tests.programs.factories import ProgramFactory, UserFactory
from tests.reports.expected import baselines, registered


def _csv(response):
    text = b"".join(response.streaming_content).decode("utf-8").lstrip("\ufeff")
    return list(csv.reader(io.StringIO(text)))


def test_candidates_csv_streams_every_candidate(staff_client, report_data):
    response = staff_client.get(reverse("reports:cohort-export", args=[report_data.cohort.pk, "candidates", "csv"]))
    assert response.status_code == 200 and response.streaming
    rows = _csv(response)
    header, body = rows[0], rows[1:]
    assert header[2] == "RFC" and "quality" not in header
    assert len(body) == len(report_data.candidates)
    by_rfc = {r[2]: r for r in body}
    base = baselines(report_data)
    for cand in report_data.candidates:
        supplier = cand["obj"].supplier
        row = by_rfc[supplier.rfc]
        assert Decimal(row[9]) == cand["growth"]
        assert Decimal(row[7]) == base[supplier.pk]["overall"]
        assert row[-4] == cand["status"]
        assert row[5] == ", ".join(sorted(a.code for a in supplier.supply_areas.all()))
    assert len(header) == 20  # 10 fixed + 4 growth parts + 6 decision columns


def test_candidates_xlsx_parses_back(staff_client, report_data):
    response = staff_client.get(reverse("reports:cohort-export", args=[report_data.cohort.pk, "candidates", "xlsx"]))
    assert response.status_code == 200
    sheet = load_workbook(io.BytesIO(response.content), read_only=True).active
    rows = list(sheet.iter_rows(values_only=True))
    assert len(rows) == len(report_data.candidates) + 1
    growth = sorted(Decimal(str(r[9])) for r in rows[1:])
    assert growth == sorted(c["growth"] for c in report_data.candidates)


def test_diagnostics_export_has_a_column_per_dimension(staff_client, report_data):
    response = staff_client.get(reverse("reports:program-export", args=[report_data.program.pk, "diagnostics", "csv"]))
    rows = _csv(response)
    header = rows[0]
    for code in ("quality", "production", "finance"):
        assert code in header
    reg = {s["id"] for s in registered(report_data)}
    expected = [d for d in report_data.diagnostics if d["supplier"] in reg]
    assert len(rows) - 1 == len(expected)
    by_id = {int(r[0]): r for r in rows[1:]}
    for d in expected:
        row = by_id[d["id"]]
        for code in ("quality", "production", "finance"):
            value = row[header.index(code)]
            assert (Decimal(value) if value else None) == d["dims"][code]


def test_decisions_export(staff_client, report_data):
    response = staff_client.get(reverse("reports:cohort-export", args=[report_data.cohort.pk, "decisions", "xlsx"]))
    rows = list(load_workbook(io.BytesIO(response.content)).active.iter_rows(values_only=True))
    assert len(rows) - 1 == sum(1 for c in report_data.candidates if c["status"] != "proposed")
    assert {r[3] for r in rows[1:]} == {c["status"] for c in report_data.candidates}


def test_unknown_kind_is_404(staff_client, report_data):
    url = reverse("reports:cohort-export", args=[report_data.cohort.pk, "secrets", "csv"])
    assert staff_client.get(url).status_code == 404


def test_large_export_goes_to_background_and_downloads(
    staff_client, staff_user, report_data, settings, django_capture_on_commit_callbacks
):
    settings.SDP_REPORT_INLINE_ROWS = 5
    url = reverse("reports:cohort-export", args=[report_data.cohort.pk, "candidates", "csv"])
    confirm = staff_client.get(url)
    assert confirm.status_code == 200 and "reports/export_confirm.html" in [t.name for t in confirm.templates]
    assert not ReportExport.objects.exists()
    with django_capture_on_commit_callbacks(execute=True) as callbacks:
        response = staff_client.post(url)
    # One task queued (the eager task's file write adds its own commit callback).
    assert [c.__qualname__ for c in callbacks].count("enqueue_on_commit.<locals>.<lambda>") == 1
    assert response.status_code == 302
    export = ReportExport.objects.get()
    assert export.status == ReportExport.Status.READY  # eager Celery ran the task on commit
    assert export.requested_by == staff_user and export.row_count == len(report_data.candidates)
    listing = staff_client.get(reverse("reports:exports"))
    assert reverse("reports:export-download", args=[export.pk]) in listing.content.decode()
    download = staff_client.get(reverse("reports:export-download", args=[export.pk]))
    assert download.status_code == 200
    text = b"".join(download.streaming_content).decode("utf-8").lstrip("\ufeff")
    assert len(list(csv.reader(io.StringIO(text)))) == len(report_data.candidates) + 1


def test_build_export_task_is_idempotent(staff_user, report_data):
    export = ReportExport.objects.create(
        program=report_data.program,
        kind="diagnostics",
        file_format="xlsx",
        requested_by=staff_user,
        params={"program": report_data.program.pk, "phase": None, "cohort": None},
    )
    assert tasks.build_export.delay(export.pk).get() == "ready"
    export.refresh_from_db()
    first_name, finished = export.file.name, export.finished_at
    assert load_workbook(export.file.path).active.max_row == export.row_count + 1
    assert tasks.build_export.delay(export.pk).get() == "ready"
    export.refresh_from_db()
    assert (export.file.name, export.finished_at) == (first_name, finished)


def test_failed_export_is_marked(staff_user, db):
    export = ReportExport.objects.create(
        program=ProgramFactory(),
        kind="candidates",
        file_format="csv",
        requested_by=staff_user,
        params={"cohort": 987654},
    )
    assert tasks.build_export.delay(export.pk).get() == "failed"
    export.refresh_from_db()
    assert export.status == "failed" and "DoesNotExist" in export.error


def test_download_only_for_the_requester(client, staff_user, report_data, sme_contact):
    export = ReportExport.objects.create(
        program=report_data.program,
        kind="decisions",
        file_format="csv",
        requested_by=staff_user,
        params={"cohort": report_data.cohort.pk},
    )
    tasks.build_export.delay(export.pk)
    url = reverse("reports:export-download", args=[export.pk])
    client.force_login(UserFactory(username="other-staff", staff=True))
    assert client.get(url).status_code == 404
    client.force_login(sme_contact.user)
    assert client.get(url).status_code == 403
    client.logout()
    assert client.get(url).status_code == 302
    client.force_login(staff_user)
    assert client.get(url).status_code == 200
