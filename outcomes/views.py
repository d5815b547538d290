"""Pages of the outcomes: staff run follow-up rounds and read indicators and impact; SMEs answer."""

from __future__ import annotations

import csv
import io

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.http import Http404, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, pgettext
from django.views.decorators.http import require_http_methods

from core import roles
from core.access import requires
from core.concurrency import StaleObjectError
from programs.models import AnchorCompany
from programs.selectors import scoped

from . import charts, selectors, services
from .forms import RoundForm, SurveyForm, initial_for
from .indicators import ALL, BREAKDOWN_LABELS, BY_CODE, CATALOGUE, stored_row, stored_values
from .models import ImpactEstimate, OutcomeResponse, OutcomeRound
from .permissions import can_manage_outcomes, is_sme

PAGE_SIZE = 50
CAUTIONS = {
    "baseline_imbalance": gettext_lazy(
        "The two groups differed at the baseline by more than a quarter of a standard deviation: part of the "
        "difference may come from who was selected, not from the program."
    ),
    "low_response": gettext_lazy(
        "Fewer than 60% of the SMEs of a group answered: those who answered may not represent the rest."
    ),
    "few_smes": gettext_lazy("Fewer than 20 SMEs in a group: the interval is wide and the estimate fragile."),
    "not_estimable": gettext_lazy("Not enough answers before and after in both groups to estimate."),
    "exploratory": gettext_lazy(
        "Exploratory: selection does not follow the line strictly, and only SMEs near the line count. "
        "Read it as a hint, not as proof."
    ),
}


def _errors_into(form, error: ValidationError) -> None:
    if hasattr(error, "error_dict"):
        for field, messages_ in error.message_dict.items():
            form.add_error(field if field in form.fields else None, messages_)
    else:
        form.add_error(None, error.messages)


def _rates(round_) -> dict:
    return {
        "selected": selectors.rate(round_.sent_selected, round_.n_selected),
        "comparison": selectors.rate(round_.sent_comparison, round_.n_comparison),
    }


# --- Staff ---------------------------------------------------------------------------------------


@requires(can_manage_outcomes)
@require_http_methods(["GET", "POST"])
def staff_rounds(request):
    """The rounds with their response rates, and the form to schedule one."""
    form = RoundForm(request.POST or None, user=request.user)
    status = 200
    if request.method == "POST":
        if form.is_valid():
            try:
                round_ = services.round_schedule(actor=request.user, **form.cleaned_data)
            except ValidationError as exc:
                _errors_into(form, exc)
            else:
                messages.success(request, _("The round was scheduled."))
                return redirect("outcomes:staff_round", round_.pk)
        status = 400
    rounds = list(scoped(selectors.rounds_with_rates(), request.user))
    for r in rounds:
        r.rates = _rates(r)
    return render(request, "outcomes/staff_rounds.html", {"rounds": rounds, "form": form}, status=status)


@requires(can_manage_outcomes)
@require_http_methods(["GET", "POST"])
def staff_round(request, pk: int):
    """A round: response rates per group, who has not answered (paged), open, chase, close."""
    round_ = get_object_or_404(scoped(selectors.rounds_with_rates(), request.user), pk=pk)
    if request.method == "POST":
        action = request.POST.get("action", "")
        try:
            version = int(request.POST.get("version", ""))
        except ValueError:
            version = None
        try:
            if action == "open":
                services.round_open(actor=request.user, round_=round_, expected_version=version)
                messages.success(request, _("The round is open; the SMEs were told by email."))
            elif action == "chase":
                n = services.round_chase(actor=request.user, round_=round_)
                messages.success(request, _("A reminder went to %(n)s SMEs.") % {"n": n})
            elif action == "close":
                services.round_close(actor=request.user, round_=round_, expected_version=version)
                messages.success(request, _("The round is closed and its estimates were computed."))
            else:
                raise Http404
        except (ValidationError, StaleObjectError) as exc:
            messages.error(request, " ".join(getattr(exc, "messages", [str(exc)])))
        return redirect("outcomes:staff_round", round_.pk)
    page = Paginator(selectors.missing_responses(round_), PAGE_SIZE).get_page(request.GET.get("page"))
    return render(
        request,
        "outcomes/staff_round.html",
        {"round": round_, "rates": _rates(round_), "page": page, "has_estimates": round_.estimates.exists()},
    )


def _label(code: str) -> str:
    from .services.estimates import OUTCOMES

    labels = {
        "sales_mdp": _("Sales (millions of pesos)"),
        "export_sales_mdp": _("Exports (millions of pesos)"),
        "employees": _("Jobs"),
        "employees_women": _("Jobs held by women"),
        "new_customers": _("New customers"),
        "anchor_sales_mdp": _("Sales to anchors (millions of pesos)"),
    }
    return str(labels.get(code, code)) if code in OUTCOMES else code


def _mean_shown(value, n):
    return {"value": value, "n": n, "hidden": n < 5}


@requires(can_manage_outcomes)
def staff_impact(request, pk: int):
    """The stored estimates of a closed follow-up round (computed when it closed), with charts."""
    round_ = get_object_or_404(scoped(OutcomeRound.objects.select_related("cohort"), request.user), pk=pk)
    stored = selectors.estimates(round_)
    did = [e for e in stored if e.method == ImpactEstimate.Method.DID]
    rd = [e for e in stored if e.method == ImpactEstimate.Method.FUZZY_RD]
    rows = []
    for e in did:
        means = {
            g: {
                "before": _mean_shown(m["before"], m["n_before"]),
                "after": _mean_shown(m["after"], m["n_after"]),
            }
            for g, m in e.means.items()
        }
        rows.append({"e": e, "label": _label(e.outcome), "means": means, "cautions": [CAUTIONS[c] for c in e.cautions]})
    # Trajectories: the baseline and every closed follow-up of the cohort up to this one (stored means).
    history = (
        ImpactEstimate.objects.filter(
            round__cohort_id=round_.cohort_id,
            round__period_end__lte=round_.period_end,
            method=ImpactEstimate.Method.DID,
            outcome="sales_mdp",
        )
        .select_related("round")
        .order_by("round__period_end")
    )
    history = list(history)
    labels, series = [], {"selected": [], "comparison": []}
    if history:
        labels.append(pgettext("follow-up round", "Baseline"))
        for g in series:
            series[g].append(_visible(history[0].means.get(g, {}), "before"))
        for e in history:
            labels.append(e.round.period_end.strftime("%m/%Y"))
            for g in series:
                series[g].append(_visible(e.means.get(g, {}), "after"))
    interval_rows = [(_label(e.outcome), e.estimate, e.ci_low, e.ci_high) for e in did if e.estimate is not None]
    by_code = {e.outcome: e for e in did}
    gender = []
    if "employees" in by_code and "employees_women" in by_code:
        for g, name in (("selected", _("Selected")), ("comparison", _("Comparison group"))):
            for moment, moment_name in (("before", _("before")), ("after", _("after"))):
                total = _visible(by_code["employees"].means.get(g, {}), moment)
                women = _visible(by_code["employees_women"].means.get(g, {}), moment)
                if total is not None and women is not None:
                    gender.append((f"{name}, {moment_name}", women, max(total - women, 0)))
    context = {
        "round": round_,
        "rows": rows,
        "rd": [{"e": e, "label": _label(e.outcome), "cautions": [CAUTIONS["exploratory"]]} for e in rd],
        "trajectory_chart": charts.trajectories(
            labels, series, title=_("Mean sales per SME, selected and comparison group")
        ),
        "interval_chart": charts.estimate_intervals(
            interval_rows, title=_("Estimated effect and its interval (95%), per outcome")
        ),
        "gender_chart": charts.gender_split(gender, title=_("Share of women in the headcount")),
    }
    return render(request, "outcomes/staff_impact.html", context)


def _visible(means: dict, moment: str):
    """A stored mean only when at least 5 SMEs are behind it."""
    if not means or means.get(f"n_{moment}", 0) < 5:
        return None
    return means.get(moment)


@requires(can_manage_outcomes)
def staff_indicators(request):
    """The catalogue and the values stored for the closed rounds, exportable as CSV or XLSX."""
    closed = OutcomeRound.objects.filter(status=OutcomeRound.Status.CLOSED).order_by("period_end", "pk")
    rounds = list(scoped(closed, request.user))
    fmt = request.GET.get("format", "")
    if fmt in ("csv", "xlsx"):
        return _export([stored_row(v) for v in stored_values(rounds)], fmt)
    if fmt:
        raise Http404
    headline = [stored_row(v) for v in stored_values(rounds).filter(breakdown=ALL)]
    table = {}
    for r in headline:
        table.setdefault(r["indicator"], {}).setdefault(r["round_id"], {})[r["group"]] = r
    return render(
        request,
        "outcomes/staff_indicators.html",
        {
            "catalogue": CATALOGUE,
            "rounds": rounds,
            "table": [(BY_CODE[code], [table.get(code, {}).get(r.pk, {}) for r in rounds]) for code in BY_CODE],
            "breakdowns": BREAKDOWN_LABELS,
        },
    )


EXPORT_COLUMNS = ["round", "period_end", "indicator", "group", "breakdown", "level", "value", "n_smes", "suppressed"]


def _export(rows: list[dict], fmt: str) -> HttpResponse:
    fewer = _("fewer than 5")
    table = [
        [
            r["round"],
            r["period_end"],
            r["indicator"],
            r["group"],
            r["breakdown"],
            r["level"],
            fewer if r["suppressed"] else r["value"],
            fewer if r["suppressed"] else r["n_smes"],
            r["suppressed"],
        ]
        for r in rows
    ]
    if fmt == "csv":
        out = io.StringIO()
        writer = csv.writer(out)
        writer.writerow(EXPORT_COLUMNS)
        writer.writerows(table)
        response = HttpResponse(out.getvalue(), content_type="text/csv; charset=utf-8")
        response["Content-Disposition"] = 'attachment; filename="indicators.csv"'
        return response
    from openpyxl import Workbook

    book = Workbook(write_only=True)
    sheet = book.create_sheet("indicators")
    sheet.append(EXPORT_COLUMNS)
    for row in table:
        sheet.append(row)
    out = io.BytesIO()
    book.save(out)
    response = HttpResponse(
        out.getvalue(), content_type="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
    )
    response["Content-Disposition"] = 'attachment; filename="indicators.xlsx"'
    return response


# --- SME -----------------------------------------------------------------------------------------


@requires(is_sme)
def sme_surveys(request):
    supplier = roles.supplier_of(request.user)
    return render(request, "outcomes/sme_surveys.html", {"responses": selectors.open_questionnaires(supplier)})


@requires(is_sme)
@require_http_methods(["GET", "POST"])
def survey(request, pk: int):
    supplier = roles.supplier_of(request.user)
    response = get_object_or_404(
        OutcomeResponse.objects.select_related("round", "supplier").prefetch_related("anchor_sales"),
        pk=pk,
        supplier=supplier,
    )
    anchors = list(AnchorCompany.objects.filter(program_id=response.round.program_id, is_active=True).order_by("name"))
    recorded = selectors.already_recorded(response)
    form = SurveyForm(request.POST or None, anchors=anchors, orders=recorded["anchors"], initial=initial_for(response))
    editable = response.round.status == OutcomeRound.Status.OPEN and response.status != OutcomeResponse.Status.SUBMITTED
    status = 200
    if request.method == "POST":
        if not editable:
            raise PermissionDenied(_("This questionnaire can no longer be changed."))
        send = "send" in request.POST
        if form.is_valid():
            data, anchor_sales = form.data_for_service()
            try:
                services.response_save(
                    actor=request.user,
                    response=response,
                    data=data,
                    anchor_sales=anchor_sales,
                    expected_version=form.cleaned_data["version"],
                    send=send,
                )
            except ValidationError as exc:
                _errors_into(form, exc)
            except StaleObjectError as exc:
                form.add_error(None, str(exc))
            else:
                if send:
                    messages.success(request, _("Thank you: your answers were sent."))
                else:
                    messages.success(request, _("Your answers were saved. You can finish later."))
                return redirect("outcomes:sme_surveys") if send else redirect("outcomes:survey", response.pk)
        status = 400
    context = {
        "response": response,
        "form": form,
        "editable": editable,
        "recorded": recorded,
        "ask_confirm": "sales_confirmed" in form.errors or bool(response.sales_confirmed),
    }
    return render(request, "outcomes/survey.html", context, status=status)
