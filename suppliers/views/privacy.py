"""ARCO pages of the logged-in SME: see, download and cancel its personal data (``suppliers.privacy``)."""

import json

from django import forms
from django.contrib import messages
from django.contrib.auth import logout
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.core.serializers.json import DjangoJSONEncoder
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.http import content_disposition_header
from django.utils.translation import gettext_lazy as _
from django.views.decorators.http import require_GET, require_http_methods

from core.roles import supplier_of

from .. import privacy, selectors
from ..rfc import TYPED_RFC_MAX_LENGTH


class ErasureForm(forms.Form):
    confirm_rfc = forms.CharField(label=_("Type your RFC to confirm"), max_length=TYPED_RFC_MAX_LENGTH)


def _own_supplier(request, supplier=None):
    supplier = supplier_of(request.user) if supplier is None else supplier
    if supplier is None or supplier.personal_data_erased_at is not None or not request.user.is_active:
        raise Http404
    return supplier


def _page_context(supplier, form) -> dict:
    return {
        "supplier": supplier,
        "form": form,
        "crumbs": [(reverse("suppliers:account"), _("My account"))],
        "profile_url": reverse("suppliers:profile"),
    }


@login_required
@require_GET
def my_data(request):
    supplier = _own_supplier(request)
    return render(request, "suppliers/my_data.html", _page_context(supplier, ErasureForm()))


@login_required
@require_GET
def my_data_export(request):
    supplier, contacts = selectors.supplier_and_contacts_for_user(request.user)  # one query for both
    supplier = _own_supplier(request, supplier)
    data = privacy.export_supplier_data(supplier=supplier, contacts=contacts)
    response = HttpResponse(
        json.dumps(data, cls=DjangoJSONEncoder, ensure_ascii=False, indent=2), content_type="application/json"
    )
    response["Content-Disposition"] = content_disposition_header(True, f"sdp-data-{supplier.rfc}.json")
    response["Cache-Control"] = "no-store"
    return response


@login_required
@require_http_methods(["POST"])
def my_data_erase(request):
    supplier = _own_supplier(request)
    form = ErasureForm(request.POST)
    if form.is_valid():
        try:
            privacy.check_erasure_confirmation(supplier=supplier, typed_rfc=form.cleaned_data["confirm_rfc"])
        except ValidationError as exc:
            form.add_error(None, exc)
    if not form.is_valid():
        return render(request, "suppliers/my_data.html", _page_context(supplier, form), status=400)
    privacy.erase_supplier_personal_data(
        supplier=supplier, actor=request.user, reason=str(_("Requested by the SME (ARCO cancellation)."))
    )
    logout(request)
    messages.success(request, _("Your personal data was erased and your account closed."))
    return redirect("home")
