"""Staff pages to schedule and fill in diagnostics, and the SME's results page."""

import json

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.http import Http404, HttpResponseNotAllowed, JsonResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import translation
from django.utils.formats import date_format
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from core.access import requires
from core.concurrency import StaleObjectError
from core.pagination import rows_in_order
from programs.selectors import scoped

from . import selectors, services
from .forms import DiagnosticFilterForm, ScheduleForm, answer_items_from_post
from .models import Diagnostic, Framework
from .permissions import can_edit_diagnostics, can_view_published_results
from .results_page import results_context

staff_only = requires(can_edit_diagnostics)


def _version(request) -> int | None:
    try:
        return int(request.POST.get("version", ""))
    except ValueError:
        return -1  # a missing version never matches: the save is refused as stale


DIAGNOSTICS_PER_PAGE = 50


@staff_only
def diagnostic_list(request):
    """Every diagnostic, newest first, 50 a page; filtered by status and searched by SME name or RFC."""
    filters = DiagnosticFilterForm(request.GET or None)
    diagnostics = selectors.diagnostic_list(request.user).order_by("-scheduled_for", "-id")
    if filters.is_valid():
        diagnostics = selectors.filter_diagnostics(diagnostics, **filters.cleaned_data)
    # The page's ids first (an index scan of the order), then their rows with what they show.
    page = Paginator(diagnostics.values_list("pk", flat=True), DIAGNOSTICS_PER_PAGE).get_page(request.GET.get("page"))
    page.object_list = rows_in_order(diagnostics, page.object_list)
    query = request.GET.copy()
    query.pop("page", None)
    return render(
        request,
        "assessments/staff/list.html",
        {
            "page": page,
            "diagnostics": page.object_list,
            "filters": filters,
            "filtered": bool(filters.is_bound and filters.is_valid() and any(filters.cleaned_data.values())),
            "query": query.urlencode(),
        },
    )


@staff_only
def diagnostic_schedule(request):
    form = ScheduleForm(request.POST or None, initial={"supplier": request.GET.get("supplier", "")}, user=request.user)
    if request.method == "POST" and form.is_valid():
        try:
            diagnostic = services.diagnostic_schedule(actor=request.user, **form.cleaned_data)
        except ValidationError as exc:
            for field, errors in exc.message_dict.items():
                form.add_error(field if field in form.fields else None, errors)
        else:
            messages.success(request, _("Diagnostic scheduled."))
            return redirect("assessments:staff-fill", pk=diagnostic.pk)
    return render(request, "assessments/staff/schedule.html", {"form": form})


def _fill_context(diagnostic, sheet, current, posted=None, errors=None):
    for question in current.questions:
        answer = question.answer
        question.values = (posted or {}).get(question.pk) or {
            "level": str(answer.level) if answer and answer.level else None,
            "not_applicable": bool(answer and answer.not_applicable),
            "na_reason": answer.na_reason if answer else "",
            "evidence": answer.evidence if answer else "",
        }
        question.errors = (errors or {}).get(question.pk, {})
    position = sheet.index(current)
    return {
        "diagnostic": diagnostic,
        "sheet": sheet,
        "current": current,
        "levels": range(1, 6),
        "previous": sheet[position - 1] if position else None,
        "next": sheet[position + 1] if position + 1 < len(sheet) else None,
        "editable": diagnostic.status in services.diagnostics.EDITABLE,
        "progress_json": json.dumps(selectors.progress_summary(sheet)),
    }


@staff_only
def diagnostic_fill(request, pk: int):
    """One dimension at a time (``?dim=<code>``): descriptors as radio choices, N/A with reason,
    evidence; saved by the autosave script or by this form's plain submit."""
    diagnostic = get_object_or_404(selectors.diagnostic_list(request.user), pk=pk)
    sheet = selectors.diagnostic_sheet(diagnostic)
    if not sheet:
        raise Http404("The framework has no dimensions.")
    code = request.GET.get("dim") or request.POST.get("dim")
    current = next((p for p in sheet if p.dimension.code == code), sheet[0])
    if request.method == "POST":
        items, posted = answer_items_from_post(request.POST, current.questions)
        try:
            if items:
                services.diagnostic_answers_save(
                    diagnostic=diagnostic, answers=items, expected_version=_version(request), actor=request.user
                )
        except StaleObjectError as exc:
            messages.error(request, exc.message)
            context = _fill_context(diagnostic, sheet, current, posted)
            context["conflict"] = True
            return render(request, "assessments/staff/fill.html", context, status=409)
        except services.AnswerItemsInvalid as exc:
            errors = {item["question"]: e for item, e in zip(items, exc.items, strict=True) if e}
            messages.error(request, _("Some answers were not saved; see the marked questions."))
            return render(
                request,
                "assessments/staff/fill.html",
                _fill_context(diagnostic, sheet, current, posted, errors),
                status=400,
            )
        except ValidationError as exc:
            messages.error(request, " ".join(exc.messages))
        else:
            if items:
                messages.success(request, _("Answers saved."))
            target = request.POST.get("go") or current.dimension.code
            return redirect(f"{reverse('assessments:staff-fill', args=[pk])}?dim={target}")
    return render(request, "assessments/staff/fill.html", _fill_context(diagnostic, sheet, current))


@staff_only
def diagnostic_answers_json(request, pk: int):
    """Autosave: ``{"version": n, "answers": [{question, level, not_applicable, na_reason, evidence}]}``
    -> 200 ``{"version", "status", "progress"}``, 400 with per-item errors, 409 on a stale version."""
    if request.method != "POST":
        return HttpResponseNotAllowed(["POST"])
    diagnostic = get_object_or_404(scoped(Diagnostic.objects.select_related("framework"), request.user), pk=pk)
    try:
        payload = json.loads(request.body or b"{}")
        version = int(payload["version"])
        answers = payload["answers"]
    except (ValueError, KeyError, TypeError):
        return JsonResponse({"detail": _("Send JSON with “version” and “answers”.")}, status=400)
    try:
        services.diagnostic_answers_save(
            diagnostic=diagnostic, answers=answers, expected_version=version, actor=request.user
        )
    except StaleObjectError as exc:
        return JsonResponse({"detail": str(exc.message), "current_version": exc.current_version}, status=409)
    except services.AnswerItemsInvalid as exc:
        return JsonResponse({"answers": exc.items}, status=400)
    except ValidationError as exc:
        return JsonResponse({"detail": exc.messages}, status=400)
    diagnostic.refresh_from_db(fields=["version", "status"])
    return JsonResponse(
        {
            "version": diagnostic.version,
            "status": diagnostic.status,
            "progress": selectors.progress_summary(selectors.diagnostic_sheet(diagnostic)),
        }
    )


ACTIONS = {
    "submit": (services.diagnostic_submit, _("Diagnostic submitted; it is being scored.")),
    "validate": (services.diagnostic_validate, _("Diagnostic validated.")),
    "publish": (services.diagnostic_publish, _("Results published to the SME.")),
    "reopen": (services.diagnostic_reopen, _("Diagnostic reopened for the assessor.")),
}


@staff_only
@require_POST
def diagnostic_action(request, pk: int, action: str):
    diagnostic = get_object_or_404(
        scoped(Diagnostic.objects.select_related("framework", "supplier"), request.user), pk=pk
    )
    if action == "rescore":
        services.framework_rescore(
            framework=diagnostic.framework, actor=request.user, reason=f"requested from diagnostic {pk}"
        )
        messages.success(request, _("Rescoring queued for every diagnostic of this framework version."))
        return redirect("assessments:staff-results", pk=pk)
    if action not in ACTIONS:
        raise Http404
    service, done = ACTIONS[action]
    try:
        service(diagnostic=diagnostic, expected_version=_version(request), actor=request.user)
    except StaleObjectError as exc:
        messages.error(request, exc.message)
    except ValidationError as exc:
        messages.error(request, " ".join(exc.messages))
    else:
        messages.success(request, done)
        if action != "reopen":
            return redirect("assessments:staff-results", pk=pk)
    return redirect("assessments:staff-fill", pk=pk)


@staff_only
def diagnostic_results(request, pk: int):
    diagnostic = get_object_or_404(selectors.diagnostic_list(request.user), pk=pk)
    results = selectors.diagnostic_results(diagnostic)
    context = results_context(diagnostic, results, for_sme=False)
    context.update(framework=diagnostic.framework, rescoring=selectors.rescoring_status(diagnostic.framework))
    return render(request, "assessments/staff/results.html", context)


def sme_results(request, pk: int):
    """``/mi-cuenta/diagnostico/<id>/``: only the SME that owns it, only once published; others 404."""
    diagnostic = selectors.sme_diagnostic(pk)
    if diagnostic is None or not can_view_published_results(request.user, diagnostic)[0]:
        raise Http404
    contact = request.user.sme_contacts.filter(supplier_id=diagnostic.supplier_id).only("language").first()
    with translation.override((contact.language if contact else "") or translation.get_language()):
        results = selectors.diagnostic_results(diagnostic, only_wanted_areas=True)
        context = results_context(diagnostic, results, for_sme=True)
        context["crumbs"] = [(reverse("suppliers:account"), _("My account"))]
        context["lead"] = _("%(company)s · diagnostic of %(date)s") % {
            "company": diagnostic.supplier,
            "date": date_format(diagnostic.scheduled_for),
        }
        return render(request, "assessments/sme_results.html", context)


@staff_only
def framework_rescoring(request, pk: int):
    """Where the rescoring of a framework version stands: the part of a page that polls it while it runs."""
    framework = get_object_or_404(Framework, pk=pk)
    context = {"framework": framework, "rescoring": selectors.rescoring_status(framework)}
    return render(request, "assessments/_rescoring.html", context)


@staff_only
@require_POST
def framework_new_version(request, pk: int):
    framework = get_object_or_404(Framework, pk=pk)
    copy = services.framework_new_version(framework=framework, actor=request.user)
    messages.success(request, _("Version %(v)s created; edit it and publish it when ready.") % {"v": copy.version})
    return redirect("admin:assessments_framework_change", copy.pk)
