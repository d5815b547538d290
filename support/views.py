"""Pages of the support after selection: staff run plans, providers log visits, the SME follows its plan."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.db.models import Count, Q, Sum
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods

from assessments.selectors import current_diagnostic
from cohorts.models import Candidate
from core import roles
from core.access import requires
from core.concurrency import StaleObjectError
from core.files import private_download
from programs.selectors import scoped
from suppliers.validators import ALLOWED_UPLOAD_TYPES

from . import selectors, services
from .forms import AssignForm, DisputeForm, EvidenceForm, ItemForm, ItemStatusForm, ResolveForm, VisitForm
from .models import DevelopmentPlan, Evidence, PlanItem, Visit
from .permissions import can_manage_support, can_see_plan, is_provider, is_sme

# The stored file's extension (set from its checked content) gives the type it is served as.
EVIDENCE_TYPES = {extension: mime for mime, extension in ALLOWED_UPLOAD_TYPES.items()}


def _errors_into(form, error: ValidationError) -> None:
    """A service's field errors shown on the form's fields (others at the top of the form)."""
    if hasattr(error, "error_dict"):
        for field, messages_ in error.message_dict.items():
            form.add_error(field if field in form.fields else None, messages_)
    else:
        form.add_error(None, error.messages)


def _add_evidence(request, plan: DevelopmentPlan, raw: str) -> tuple[int, EvidenceForm, bool]:
    """Handle an item's evidence form (``action=evidence-<item id>``): a note and/or a checked file."""
    if not raw.isdigit():
        raise Http404
    item = get_object_or_404(PlanItem, pk=int(raw), plan=plan)
    form = EvidenceForm(request.POST, request.FILES, prefix=f"e{item.pk}")
    if form.is_valid():
        try:
            services.evidence_add(
                item=item, actor=request.user, note=form.cleaned_data["note"], file=form.cleaned_data["file"]
            )
        except ValidationError as exc:
            _errors_into(form, exc)
        else:
            messages.success(request, _("The evidence was added to the item."))
            return item.pk, form, True
    return item.pk, form, False


def _with_evidence_forms(items, failed: dict[int, EvidenceForm]) -> list[PlanItem]:
    items = list(items)
    for item in items:
        item.evidence_form = failed.get(item.pk) or EvidenceForm(prefix=f"e{item.pk}")  # type: ignore[attr-defined]
    return items


@login_required
def evidence_file(request, pk: int):
    """An evidence file, to those who may see its plan (staff; the SME; its providers while assigned)."""
    evidence = get_object_or_404(Evidence.objects.select_related("item__plan__candidate"), pk=pk)
    if not evidence.file or not can_see_plan(request.user, evidence.item.plan):
        raise Http404
    extension = evidence.file.name.rsplit(".", 1)[-1].lower()
    return private_download(
        evidence.file,
        filename=f"evidencia-{evidence.pk}.{extension}",
        content_type=EVIDENCE_TYPES.get(extension, "application/octet-stream"),
    )


# --- Staff ---------------------------------------------------------------------------------------


@requires(can_manage_support)
def staff_home(request):
    """The selected SMEs, each with its plan's progress (or the way to create it)."""
    candidates = (
        scoped(Candidate.objects.filter(status=Candidate.Status.SELECTED), request.user)
        .select_related("supplier", "cohort", "plan")
        .annotate(
            items_total=Count("plan__items", distinct=True),
            items_done=Count("plan__items", filter=Q(plan__items__status=PlanItem.Status.DONE), distinct=True),
            confirmed_hours=Sum("visits__hours", filter=Q(visits__status=Visit.Status.CONFIRMED)),
        )
        .order_by("cohort__year", "cohort__name", "supplier__trade_name", "pk")
    )
    disputed = scoped(Visit.objects.filter(status=Visit.Status.DISPUTED), request.user).count()
    return render(request, "support/staff_home.html", {"candidates": candidates, "disputed": disputed})


@requires(can_manage_support)
@require_http_methods(["GET", "POST"])
def staff_plan_new(request, candidate_pk: int):
    candidate = get_object_or_404(
        scoped(Candidate.objects.select_related("supplier", "cohort"), request.user),
        pk=candidate_pk,
        status=Candidate.Status.SELECTED,
    )
    existing = DevelopmentPlan.objects.filter(candidate=candidate).first()
    if existing is not None:
        return redirect("support:staff_plan", existing.pk)
    proposals = selectors.plan_proposals(candidate)
    error = ""
    if request.method == "POST":
        chosen = {value for value in request.POST.getlist("accept") if value.isdigit()}
        items = [{k: v for k, v in p.items() if k != "reason"} for i, p in enumerate(proposals) if str(i) in chosen]
        try:
            plan = services.plan_create(
                candidate=candidate, actor=request.user, items=items, diagnostic=current_diagnostic(candidate.supplier)
            )
        except ValidationError as exc:
            error = " ".join(exc.messages)
        else:
            messages.success(request, _("The development plan was created with %(n)s items.") % {"n": len(items)})
            return redirect("support:staff_plan", plan.pk)
    return render(
        request,
        "support/staff_plan_new.html",
        {"candidate": candidate, "proposals": list(enumerate(proposals)), "error": error},
        status=400 if error else 200,
    )


@requires(can_manage_support)
@require_http_methods(["GET", "POST"])
def staff_plan(request, pk: int):
    plan = selectors.plan_for(pk, user=request.user)
    if plan is None:
        raise Http404
    program = plan.candidate.cohort.program
    item_form = ItemForm(program=program, prefix="item")
    assign_form = AssignForm(program=program, prefix="assign")
    resolve_forms = {}
    evidence_forms: dict[int, EvidenceForm] = {}
    status = 200
    if request.method == "POST":
        action = request.POST.get("action", "")
        if action.startswith("evidence-"):
            item_pk, form, done = _add_evidence(request, plan, action[9:])
            if done:
                return redirect("support:staff_plan", plan.pk)
            evidence_forms[item_pk] = form
        elif action == "add_item":
            item_form = ItemForm(request.POST, program=program, prefix="item")
            if item_form.is_valid():
                try:
                    services.plan_item_add(plan=plan, actor=request.user, **item_form.cleaned_data)
                except ValidationError as exc:
                    _errors_into(item_form, exc)
                else:
                    messages.success(request, _("The item was added to the plan."))
                    return redirect("support:staff_plan", plan.pk)
        elif action == "assign":
            assign_form = AssignForm(request.POST, program=program, prefix="assign")
            if assign_form.is_valid():
                try:
                    services.assignment_create(candidate=plan.candidate, actor=request.user, **assign_form.cleaned_data)
                except ValidationError as exc:
                    _errors_into(assign_form, exc)
                else:
                    messages.success(request, _("The provider was assigned to this SME."))
                    return redirect("support:staff_plan", plan.pk)
        elif action == "save_version":
            version = services.plan_save_version(plan=plan, actor=request.user)
            messages.success(request, _("Version %(n)s of the plan was saved.") % {"n": version.number})
            return redirect("support:staff_plan", plan.pk)
        elif action.startswith("resolve-") and action[8:].isdigit():
            visit = get_object_or_404(Visit, pk=int(action[8:]), candidate=plan.candidate)
            form = ResolveForm(request.POST, prefix=f"v{visit.pk}")
            if form.is_valid():
                try:
                    services.visit_resolve(
                        visit=visit,
                        actor=request.user,
                        confirm=form.cleaned_data["confirm"],
                        resolution=form.cleaned_data["resolution"],
                        expected_version=form.cleaned_data["version"],
                    )
                except ValidationError as exc:
                    _errors_into(form, exc)
                except StaleObjectError as exc:
                    form.add_error(None, str(exc))
                else:
                    messages.success(request, _("The dispute was settled."))
                    return redirect("support:staff_plan", plan.pk)
            resolve_forms[visit.pk] = form
        else:
            raise Http404
        status = 400
    visits = list(
        Visit.objects.filter(candidate=plan.candidate)
        .select_related("provider")
        .order_by("-date", "-scheduled_for", "-pk")
    )
    for visit in visits:
        if visit.status == Visit.Status.DISPUTED and visit.pk not in resolve_forms:
            resolve_forms[visit.pk] = ResolveForm(prefix=f"v{visit.pk}", initial={"version": visit.version})
        visit.resolve_form = resolve_forms.get(visit.pk)  # type: ignore[attr-defined]
    return render(
        request,
        "support/staff_plan.html",
        {
            "plan": plan,
            "items": _with_evidence_forms(selectors.plan_items(plan), evidence_forms),
            "visits": visits,
            "hours": selectors.hours_by_status(Visit.objects.filter(candidate=plan.candidate)),
            "assignments": plan.candidate.assignments.select_related("provider").order_by("-starts_on"),
            "versions": plan.versions.order_by("-number")[:5],
            "item_form": item_form,
            "assign_form": assign_form,
        },
        status=status,
    )


# --- Providers -----------------------------------------------------------------------------------


@requires(is_provider)
def provider_home(request):
    provider = roles.provider_of(request.user)
    candidates = selectors.provider_candidates(provider).order_by("supplier__trade_name", "pk")
    visits = selectors.visits_for_provider(provider).select_related("candidate__supplier").order_by("-date", "-pk")[:20]
    return render(
        request, "support/provider_home.html", {"provider": provider, "candidates": candidates, "visits": visits}
    )


@requires(is_provider)
@require_http_methods(["GET", "POST"])
def provider_sme(request, candidate_pk: int):
    """One SME assigned to the provider: its plan and the form to log a visit."""
    provider = roles.provider_of(request.user)
    candidate = selectors.provider_candidates(provider).filter(pk=candidate_pk).first()
    if candidate is None:
        raise Http404
    plan = DevelopmentPlan.objects.filter(candidate=candidate).first()
    form = VisitForm(plan=plan)
    evidence_forms: dict[int, EvidenceForm] = {}
    status = 200
    action = request.POST.get("action", "") if request.method == "POST" else ""
    if action.startswith("evidence-"):
        if plan is None:
            raise Http404
        item_pk, evidence_form, done = _add_evidence(request, plan, action[9:])
        if done:
            return redirect("support:provider_sme", candidate.pk)
        evidence_forms[item_pk] = evidence_form
        status = 400
    elif request.method == "POST":
        form = VisitForm(request.POST, plan=plan)
        if form.is_valid():
            data = dict(form.cleaned_data)
            items = list(data.pop("items"))
            try:
                services.visit_log(provider=provider, candidate=candidate, actor=request.user, items=items, **data)
            except ValidationError as exc:
                _errors_into(form, exc)
            else:
                messages.success(request, _("The visit was logged. The SME will confirm it."))
                return redirect("support:provider_sme", candidate.pk)
        status = 400
    visits = selectors.visits_for_provider(provider).filter(candidate=candidate).order_by("-date", "-pk")
    return render(
        request,
        "support/provider_sme.html",
        {
            "candidate": candidate,
            "plan": plan,
            "items": _with_evidence_forms(selectors.plan_items(plan), evidence_forms) if plan else [],
            "visits": visits,
            "form": form,
        },
        status=status,
    )


# --- The SME -------------------------------------------------------------------------------------


@requires(is_sme)
@require_http_methods(["GET", "POST"])
def sme_plan(request):
    supplier = roles.supplier_of(request.user)
    plan = selectors.plan_of_supplier(supplier)
    status_forms: dict[int, ItemStatusForm] = {}
    dispute_forms: dict[int, DisputeForm] = {}
    evidence_forms: dict[int, EvidenceForm] = {}
    status = 200
    if request.method == "POST" and plan is not None:
        action = request.POST.get("action", "")
        kind, _sep, raw = action.partition("-")
        if not raw.isdigit():
            raise Http404
        if kind == "evidence":
            item_pk, evidence_form, done = _add_evidence(request, plan, raw)
            if done:
                return redirect("support:sme_plan")
            evidence_forms[item_pk] = evidence_form
        elif kind == "item":
            item = get_object_or_404(PlanItem, pk=int(raw), plan=plan)
            form = ItemStatusForm(request.POST, prefix=f"i{item.pk}")
            if form.is_valid():
                data = form.cleaned_data
                try:
                    if data["status"] != item.status:
                        services.plan_item_set_status(
                            item=item,
                            actor=request.user,
                            status=data["status"],
                            reason=data["reason"],
                            expected_version=data["version"],
                        )
                    if data["note"].strip():
                        services.evidence_add(item=item, actor=request.user, note=data["note"])
                except ValidationError as exc:
                    _errors_into(form, exc)
                except StaleObjectError as exc:
                    form.add_error(None, str(exc))
                else:
                    messages.success(request, _("Your progress was saved."))
                    return redirect("support:sme_plan")
            status_forms[item.pk] = form
        elif kind in ("confirm", "dispute"):
            visit = get_object_or_404(Visit, pk=int(raw), candidate=plan.candidate, status=Visit.Status.LOGGED)
            dispute = DisputeForm(request.POST, prefix=f"v{visit.pk}")
            if kind == "confirm":
                dispute.fields["reason"].required = False
            if dispute.is_valid():
                try:
                    services.visit_answer(
                        visit=visit,
                        actor=request.user,
                        confirm=kind == "confirm",
                        reason=dispute.cleaned_data["reason"],
                        expected_version=dispute.cleaned_data["version"],
                    )
                except ValidationError as exc:
                    _errors_into(dispute, exc)
                except StaleObjectError as exc:
                    dispute.add_error(None, str(exc))
                else:
                    messages.success(
                        request,
                        _("Thank you: the visit is confirmed.")
                        if kind == "confirm"
                        else _("Your objection was sent to the program staff."),
                    )
                    return redirect("support:sme_plan")
            dispute_forms[visit.pk] = dispute
        else:
            raise Http404
        status = 400
    items = _with_evidence_forms(selectors.plan_items(plan), evidence_forms) if plan else []
    for item in items:
        item.status_form = status_forms.get(item.pk) or ItemStatusForm(  # type: ignore[attr-defined]
            prefix=f"i{item.pk}", initial={"status": item.status, "version": item.version}
        )
    waiting = list(
        Visit.objects.filter(candidate=plan.candidate, status=Visit.Status.LOGGED)
        .select_related("provider")
        .order_by("date", "pk")
        if plan
        else []
    )
    for visit in waiting:
        visit.dispute_form = dispute_forms.get(visit.pk) or DisputeForm(  # type: ignore[attr-defined]
            prefix=f"v{visit.pk}", initial={"version": visit.version}
        )
    hours = selectors.hours_by_status(Visit.objects.filter(candidate=plan.candidate)) if plan else None
    return render(
        request,
        "support/sme_plan.html",
        {"plan": plan, "items": items, "waiting": waiting, "hours": hours},
        status=status,
    )
