"""Staff pages: import a list of SMEs to invite, see what became of each import, download its problems."""

import csv

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from core.access import requires

from .. import permissions, selectors, services
from ..invitation_file import Problem
from ..invitation_forms import InvitationImportForm
from ..models import InvitationImport

staff_only = requires(permissions.can_invite_smes)
PROBLEMS_SHOWN = 50


@staff_only
def invitation_imports(request):
    form = InvitationImportForm(request.POST or None, request.FILES or None, user=request.user)
    status = 200
    if request.method == "POST":
        status = 400
        if form.is_valid():
            uploaded = form.cleaned_data["file"]
            try:
                record = services.invitations_import(
                    actor=request.user,
                    program=form.cleaned_data["program"],
                    file_name=uploaded.name or "",
                    data=uploaded.read(),
                )
            except ValidationError as exc:
                form.add_error("file", exc)
            else:
                messages.success(
                    request,
                    ngettext(
                        "List imported: %(count)s invitation sent.",
                        "List imported: %(count)s invitations sent.",
                        record.invited,
                    )
                    % {"count": record.invited},
                )
                return redirect("suppliers:staff-invitation-import", pk=record.pk)
    page = Paginator(selectors.invitation_imports(request.user), 25).get_page(request.GET.get("page"))
    return render(request, "suppliers/staff/invitations.html", {"form": form, "page": page}, status=status)


def _import_or_404(request, pk: int, problems: int | None = None) -> InvitationImport:
    try:
        return selectors.invitation_import(request.user, pk, problems=problems)
    except InvitationImport.DoesNotExist as exc:
        raise Http404 from exc


@staff_only
def invitation_import_detail(request, pk: int):
    record = _import_or_404(request, pk, problems=PROBLEMS_SHOWN)
    problems = [Problem.from_json(value) for value in record.first_problems[:PROBLEMS_SHOWN]]
    return render(
        request,
        "suppliers/staff/invitation_import.html",
        {
            "record": record,
            "problems": problems,
            "more_problems": max(record.invalid - PROBLEMS_SHOWN, 0),
            "crumbs": [(reverse("suppliers:staff-invitations"), _("Invitations"))],
        },
    )


@staff_only
def invitation_import_errors(request, pk: int):
    """The rows with problems as CSV (UTF-8 with BOM, so that Excel reads the accents), in the reader's language."""
    record = _import_or_404(request, pk)
    stamp = timezone.localtime(record.created_at).strftime("%Y%m%d-%H%M")
    response = HttpResponse(content_type="text/csv; charset=utf-8")
    name = _("invitation-problems")
    response["Content-Disposition"] = f'attachment; filename="{name}-{record.pk}-{stamp}.csv"'
    response.write("\ufeff")
    writer = csv.writer(response)
    writer.writerow([_("Row"), _("RFC"), _("Problems")])
    for value in record.problems:
        problem = Problem.from_json(value)
        writer.writerow([problem.row, _safe_cell(problem.rfc), " ".join(problem.messages())])
    return response


def _safe_cell(text: str) -> str:
    """A cell a spreadsheet shows as text, never runs as a formula (CSV injection)."""
    return f"'{text}" if text[:1] in ("=", "+", "-", "@", "\t", "\r") else text
