"""Pages of the financing pipeline: staff follow every case (funnel, filtered table, one case's steps);
the SME sees and starts its own cases from its account."""

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.http import Http404
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods

from core import roles
from core.access import requires
from core.concurrency import StaleObjectError
from core.files import private_download
from programs.selectors import scoped
from suppliers.validators import ALLOWED_UPLOAD_TYPES

from .. import services
from ..permissions import can_manage_financing, can_open_financing_documents, is_sme_for_financing
from . import selectors
from .filters import FinancingCaseFilter
from .forms import CaseForm, DisbursementForm, DocumentForm, MoveForm, StaffCaseForm
from .models import FinancingCase, FinancingDocument

PAGE_SIZE = 50


def _errors_into(form, error: ValidationError) -> None:
    if hasattr(error, "error_dict"):
        for field, messages_ in error.message_dict.items():
            form.add_error(field if field in form.fields else None, messages_)
    else:
        form.add_error(None, error.messages)


def _case_terms(data: dict) -> dict:
    return {
        k: data[k]
        for k in ("institution", "institution_name", "product", "bank", "anchor", "purpose", "amount_requested")
    }


# --- Staff ---------------------------------------------------------------------------------------


@requires(can_manage_financing)
def staff_pipeline(request):
    """The funnel of the filtered cases and the cases themselves, fifty a page."""
    filterset = FinancingCaseFilter(
        request.GET, queryset=scoped(selectors.cases_for_staff(), request.user), request=request
    )
    cases = filterset.qs.order_by("-referred_on", "-pk") if filterset.is_valid() else FinancingCase.objects.none()
    page = Paginator(cases, PAGE_SIZE).get_page(request.GET.get("page"))
    query = request.GET.copy()
    query.pop("page", None)
    return render(
        request,
        "support/financing/staff_pipeline.html",
        {
            "filter": filterset,
            "funnel": selectors.funnel(cases.order_by()),
            "page": page,
            "query": query.urlencode(),
            "stuck_ids": set(selectors.stuck_cases().filter(pk__in=[c.pk for c in page]).values_list("pk", flat=True)),
        },
        status=200 if filterset.is_valid() else 400,
    )


@requires(can_manage_financing)
@require_http_methods(["GET", "POST"])
def staff_case_new(request):
    form = StaffCaseForm(request.POST or None, user=request.user)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            case = services.financing_case_open(
                candidate=data["candidate"], actor=request.user, referred_on=data["referred_on"], **_case_terms(data)
            )
        except ValidationError as exc:
            _errors_into(form, exc)
        else:
            messages.success(request, _("The financing case was opened."))
            return redirect("support:staff_financing_case", case.pk)
    return render(request, "support/financing/staff_case_new.html", {"form": form}, status=400 if form.errors else 200)


@requires(can_manage_financing)
@require_http_methods(["GET", "POST"])
def staff_case(request, pk: int):
    """One case: its terms and steps; the step forward or back, disbursements and documents."""
    case = selectors.case_detail(scoped(selectors.cases_for_staff(), request.user), pk)
    if case is None:
        raise Http404
    move_form = MoveForm(case=case, prefix="move", initial={"version": case.version})
    pay_form = DisbursementForm(prefix="pay", initial={"version": case.version})
    doc_form = DocumentForm(prefix="doc")
    if request.method == "POST":
        action = request.POST.get("action", "")
        try:
            if action == "move":
                move_form = MoveForm(request.POST, case=case, prefix="move")
                if move_form.is_valid():
                    data = move_form.cleaned_data
                    services.financing_case_move(
                        case=case,
                        actor=request.user,
                        to=data["to"],
                        on=data["on"],
                        reason=data["reason"],
                        amount_approved=data["amount_approved"],
                        expected_version=data["version"],
                    )
                    messages.success(request, _("The case moved to its new step."))
                    return redirect("support:staff_financing_case", case.pk)
            elif action == "disburse":
                pay_form = DisbursementForm(request.POST, prefix="pay")
                if pay_form.is_valid():
                    data = pay_form.cleaned_data
                    services.financing_disbursement_add(
                        case=case,
                        actor=request.user,
                        amount=data["amount"],
                        on=data["on"],
                        reference=data["reference"],
                        expected_version=data["version"],
                    )
                    messages.success(request, _("The disbursement was recorded."))
                    return redirect("support:staff_financing_case", case.pk)
            elif action == "document":
                doc_form = DocumentForm(request.POST, request.FILES, prefix="doc")
                if doc_form.is_valid():
                    services.financing_document_add(case=case, actor=request.user, **doc_form.cleaned_data)
                    messages.success(request, _("The document was added to the case."))
                    return redirect("support:staff_financing_case", case.pk)
            else:
                raise Http404
        except ValidationError as exc:
            _errors_into({"move": move_form, "disburse": pay_form, "document": doc_form}[action], exc)
        except StaleObjectError as exc:
            {"move": move_form, "disburse": pay_form}[action].add_error(None, str(exc))
    return render(
        request,
        "support/financing/staff_case.html",
        {"case": case, "move_form": move_form, "pay_form": pay_form, "doc_form": doc_form, "staff": True},
        status=400 if request.method == "POST" else 200,
    )


# --- The SME -------------------------------------------------------------------------------------


@requires(is_sme_for_financing)
@require_http_methods(["GET", "POST"])
def sme_cases(request):
    """The SME's cases and, once it is selected, the form to ask for financing."""
    supplier = roles.supplier_of(request.user)
    candidate = selectors.selected_candidates_of(supplier).first()
    form = CaseForm(request.POST or None, program=candidate.cohort.program if candidate else None)
    if request.method == "POST":
        if candidate is None:
            raise PermissionDenied(_("Financing is offered to the SMEs selected for a cohort."))
        if form.is_valid():
            try:
                case = services.financing_case_open(
                    candidate=candidate, actor=request.user, **_case_terms(form.cleaned_data)
                )
            except ValidationError as exc:
                _errors_into(form, exc)
            else:
                messages.success(request, _("Your request was sent to the program staff, who will refer it."))
                return redirect("support:sme_financing_case", case.pk)
    cases = selectors.cases_of_supplier(supplier).order_by("-referred_on", "-pk")
    return render(
        request,
        "support/financing/sme_cases.html",
        {"cases": cases, "form": form, "candidate": candidate},
        status=400 if form.errors else 200,
    )


@requires(is_sme_for_financing)
@require_http_methods(["GET", "POST"])
def sme_case(request, pk: int):
    supplier = roles.supplier_of(request.user)
    case = selectors.case_detail(selectors.cases_of_supplier(supplier), pk)
    if case is None:
        raise Http404
    doc_form = DocumentForm(request.POST or None, request.FILES or None, prefix="doc")
    if request.method == "POST":
        if doc_form.is_valid():
            try:
                services.financing_document_add(case=case, actor=request.user, **doc_form.cleaned_data)
            except ValidationError as exc:
                _errors_into(doc_form, exc)
            else:
                messages.success(request, _("The document was added to your case."))
                return redirect("support:sme_financing_case", case.pk)
    return render(
        request,
        "support/financing/sme_case.html",
        {"case": case, "doc_form": doc_form, "staff": False},
        status=400 if doc_form.errors else 200,
    )


@requires(can_open_financing_documents)
def document_download(request, pk: int):
    """A case's document, for staff and for the SME whose case it is (others: 404)."""
    document = FinancingDocument.objects.select_related("case__candidate").filter(pk=pk).first()
    if document is None or not document.file:  # no such document, or its file erased (ARCO)
        raise Http404
    if roles.is_program_staff(request.user):
        if not scoped(FinancingDocument.objects.filter(pk=document.pk), request.user).exists():
            raise Http404
    else:
        supplier = roles.supplier_of(request.user)
        if supplier is None or document.case.candidate.supplier_id != supplier.pk:
            raise Http404
    extension = ALLOWED_UPLOAD_TYPES.get(document.content_type, "bin")
    return private_download(
        document.file,
        filename=f"documento-{document.pk}.{extension}",
        content_type=document.content_type or "application/octet-stream",
    )
