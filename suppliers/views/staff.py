"""Staff pages: the list of registrations with filters, and a detail page to decide."""

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.http import Http404
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _

from core.access import requires
from core.concurrency import StaleObjectError
from programs.selectors import scoped

from .. import permissions, selectors, services
from ..filters import RegistrationFilter
from ..forms import DuplicateForm, RejectForm
from ..models import Supplier
from .common import apply_errors

staff_only = requires(permissions.can_review_registrations)


@staff_only
def registration_list(request):
    filterset = RegistrationFilter(request.GET or None, queryset=selectors.registration_list(request.user))
    page = Paginator(filterset.qs, 50).get_page(request.GET.get("page"))
    query = request.GET.copy()
    query.pop("page", None)
    return render(request, "suppliers/staff/list.html", {"filter": filterset, "page": page, "query": query.urlencode()})


@staff_only
def registration_detail(request, pk: int):
    try:
        supplier = selectors.registration_detail(request.user, pk)
    except Supplier.DoesNotExist as exc:
        raise Http404 from exc
    reject_form = RejectForm(prefix="reject")
    duplicate_form = DuplicateForm(prefix="dup", supplier=supplier, user=request.user)
    status = 200
    if request.method == "POST":
        status = 400
        action = request.POST.get("action")
        try:
            version = int(request.POST.get("version", ""))
        except ValueError:
            version = -1  # no or bad version: treat as stale rather than deciding blind
        try:
            if action == "verify":
                services.supplier_verify(supplier=supplier, actor=request.user, expected_version=version)
                messages.success(request, _("Registration verified."))
                return redirect("suppliers:staff-detail", pk=pk)
            if action == "reject":
                reject_form = RejectForm(request.POST, prefix="reject")
                if reject_form.is_valid():
                    services.supplier_reject(
                        supplier=supplier,
                        actor=request.user,
                        reason=reject_form.cleaned_data["reason"],
                        expected_version=version,
                    )
                    messages.success(request, _("Registration rejected."))
                    return redirect("suppliers:staff-detail", pk=pk)
            if action == "duplicate":
                duplicate_form = DuplicateForm(request.POST, prefix="dup", supplier=supplier, user=request.user)
                if duplicate_form.is_valid():
                    services.supplier_mark_duplicate(
                        supplier=supplier,
                        actor=request.user,
                        original=duplicate_form.cleaned_data["original"],
                        reason=duplicate_form.cleaned_data["reason"],
                        expected_version=version,
                    )
                    messages.success(request, _("Registration marked as duplicate."))
                    return redirect("suppliers:staff-detail", pk=pk)
        except StaleObjectError as exc:
            status = 409
            messages.error(request, str(exc.message))
            supplier = selectors.registration_detail(request.user, pk)
        except ValidationError as exc:
            form = reject_form if action == "reject" else duplicate_form
            if action == "verify":
                messages.error(request, " ".join(exc.messages))
            else:
                apply_errors(form, exc)
    return render(
        request,
        "suppliers/staff/detail.html",
        {
            "supplier": supplier,
            "timeline": selectors.status_timeline(supplier),
            # Only the decisions the registration's status allows (no "Verify" once verified).
            "allowed": {str(s) for s in Supplier.TRANSITIONS.get(supplier.status, ())},
            "reject_form": reject_form,
            "duplicate_form": duplicate_form,
            "contacts": supplier.contacts.all(),
            "same_rfc": scoped(Supplier.objects.filter(rfc=supplier.rfc), request.user)
            .exclude(pk=supplier.pk)
            .select_related("state", "program"),
        },
        status=status,
    )
