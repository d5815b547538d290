"""Staff report pages, exports and downloads (thin: figures come from selectors)."""

from django.conf import settings
from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.http import FileResponse, Http404, HttpResponse, StreamingHttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.http import content_disposition_header
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods

from cohorts.models import Cohort
from core.access import requires
from programs.models import Phase
from programs.selectors import programs_of, scoped

from . import exports, services, workspace
from .models import ReportExport
from .permissions import can_download_export, can_view_reports
from .presenters import report_charts
from .selectors import ReportScope, report_parts, summary_of, support_of

CONTENT_TYPES = {
    "csv": "text/csv; charset=utf-8",
    "xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
}


staff_only = requires(can_view_reports)


def _program_scope(user, program_id: int, phase_id: int | None) -> ReportScope:
    program = get_object_or_404(programs_of(user), pk=program_id)
    phase = get_object_or_404(Phase, pk=phase_id, program=program) if phase_id else None
    return ReportScope(program=program, phase=phase)


def _cohort_scope(user, cohort_id: int) -> ReportScope:
    cohorts = scoped(Cohort.objects.select_related("program", "phase"), user)
    return ReportScope.for_cohort(get_object_or_404(cohorts, pk=cohort_id))


@staff_only
def staff_home(request):
    """The staff workspace: what needs the program staff today, with counts and links."""
    return render(request, "reports/staff_home.html", workspace.staff_tasks(request.user))


@staff_only
def report_index(request):
    programs = programs_of(request.user).prefetch_related("phases", "cohorts").order_by("code")
    return render(request, "reports/index.html", {"programs": programs})


def _render_report(request, scope: ReportScope):
    parts = report_parts(scope)  # every section, from the cache unless a table it reads changed
    summary = summary_of(scope, parts)
    printable = request.GET.get("print") == "1"
    return render(
        request,
        "reports/report.html",
        {
            "scope": scope,
            "summary": summary,
            "charts": report_charts(summary),
            "support": support_of(parts),
            "results": parts["results"],
            "printable": printable,
            "export_kinds": ReportExport.Kind.choices,
            "export_formats": ReportExport.Format.choices,
        },
    )


# The report pages only read: outside ATOMIC_REQUESTS' transaction, report_parts can read on two
# connections sharing one snapshot (core.snapshot).
@transaction.non_atomic_requests
@staff_only
def program_report(request, program_id: int, phase_id: int | None = None):
    return _render_report(request, _program_scope(request.user, program_id, phase_id))


@transaction.non_atomic_requests
@staff_only
def cohort_report(request, cohort_id: int):
    return _render_report(request, _cohort_scope(request.user, cohort_id))


def _export(request, scope: ReportScope, kind: str, fmt: str):
    if kind not in exports.KINDS or fmt not in CONTENT_TYPES:
        raise Http404
    if request.method == "POST":
        services.export_request(actor=request.user, kind=kind, file_format=fmt, scope=scope)
        messages.success(request, _("The export is being prepared; it will be listed here when it is ready."))
        return redirect("reports:exports")
    rows_total = exports.row_count(kind, scope)
    if rows_total >= settings.SDP_REPORT_INLINE_ROWS:
        return render(
            request, "reports/export_confirm.html", {"scope": scope, "kind": kind, "fmt": fmt, "rows": rows_total}
        )
    filename = f"{kind}-{scope.program.code}{f'-cohort{scope.cohort.pk}' if scope.cohort else ''}.{fmt}"
    rows = exports.export_rows(kind, scope)
    if fmt == "csv":
        response = StreamingHttpResponse(exports.csv_lines(rows), content_type=CONTENT_TYPES["csv"])
    else:
        response = HttpResponse(content_type=CONTENT_TYPES["xlsx"])
        exports.write_xlsx(rows, response, title=kind)
    response["Content-Disposition"] = content_disposition_header(True, filename)
    return response


@staff_only
@require_http_methods(["GET", "POST"])
def program_export(request, program_id: int, kind: str, fmt: str, phase_id: int | None = None):
    return _export(request, _program_scope(request.user, program_id, phase_id), kind, fmt)


@staff_only
@require_http_methods(["GET", "POST"])
def cohort_export(request, cohort_id: int, kind: str, fmt: str):
    return _export(request, _cohort_scope(request.user, cohort_id), kind, fmt)


@staff_only
def export_list(request):
    mine = list(
        scoped(ReportExport.objects.filter(requested_by=request.user), request.user).order_by("-created_at", "-id")[
            :100
        ]
    )
    preparing = any(e.status == ReportExport.Status.PENDING for e in mine)
    return render(request, "reports/exports.html", {"exports": mine, "preparing": preparing})


@staff_only
def export_download(request, export_id: int):
    export = get_object_or_404(scoped(ReportExport.objects.all(), request.user), pk=export_id)
    allowed, reason = can_download_export(request.user, export)
    if not allowed:
        if export.requested_by_id != request.user.pk and not request.user.is_superuser:
            raise Http404  # do not reveal other people's exports
        raise PermissionDenied(reason)
    return FileResponse(
        export.file.open("rb"),
        as_attachment=True,
        filename=export.filename,
        content_type=CONTENT_TYPES[export.file_format],
    )
