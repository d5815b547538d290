"""The SME's own account: status, timeline, results, decisions, profile and its documents."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _

from core import registry
from core.concurrency import StaleObjectError
from core.files import private_download
from core.roles import is_program_staff

from .. import permissions, selectors, services
from ..forms import PrivacyConsentForm, ProfileForm
from ..models import Document, Supplier
from .common import apply_errors


@login_required
def account(request):
    supplier = selectors.supplier_for_user(request.user)
    if supplier is None:
        if is_program_staff(request.user):
            return redirect("suppliers:staff-list")
        return redirect("suppliers:company")
    if services.privacy_consent_pending(supplier=supplier):
        return redirect("suppliers:privacy-accept")
    context = {
        "supplier": supplier,
        "timeline": selectors.status_timeline(supplier),
        "documents": supplier.documents.all(),
        "can_edit": permissions.can_edit_profile(request.user, supplier)[0],
        "contact": services.primary_contact(supplier),
    }
    if supplier.status == Supplier.Status.DRAFT:
        context["missing"] = services.supplier_missing(supplier)
    sections = registry.account_sections()  # diagnostic results, cohort decisions (apps above suppliers)
    for section in sections:
        context.update(section.context(supplier))
    context["account_sections"] = [section.template for section in sections]
    return render(request, "suppliers/account/home.html", context)


@login_required
def profile(request):
    supplier = selectors.supplier_for_user(request.user)
    if supplier is None:
        raise Http404
    if services.privacy_consent_pending(supplier=supplier):
        return redirect("suppliers:privacy-accept")
    allowed, _reason = permissions.can_edit_profile(request.user, supplier)
    if not allowed:
        messages.warning(request, _("Your profile cannot be edited at the moment."))
        return redirect("suppliers:account")
    form = ProfileForm(request.POST or None, instance=supplier, program=supplier.program)
    if request.method == "POST" and form.is_valid():
        data = {name: form.cleaned_data[name] for name in ProfileForm.Meta.fields}
        fresh = Supplier.objects.select_related("program").get(pk=supplier.pk)
        try:
            services.supplier_update_profile(
                supplier=fresh,
                actor=request.user,
                expected_version=form.cleaned_data["version"],
                changes=data,
                supply_areas=form.cleaned_data["supply_areas"],
                anchor_customers=form.cleaned_data["anchor_customers"],
            )
        except StaleObjectError as exc:
            form.add_error(None, str(exc.message))
        except PermissionDenied as exc:
            form.add_error(None, str(exc))
        except ValidationError as exc:
            apply_errors(form, exc)
        else:
            messages.success(request, _("Your profile was updated."))
            return redirect("suppliers:account")
    return render(
        request,
        "suppliers/account/profile.html",
        {"form": form, "supplier": supplier, "crumbs": [(reverse("suppliers:account"), _("My account"))]},
    )


@login_required
def privacy_accept(request):
    """A new version of the privacy notice: the SME accepts it (and chooses the voluntary purposes) to continue."""
    supplier = selectors.supplier_for_user(request.user)
    if supplier is None:
        raise Http404
    notice = services.privacy_consent_pending(supplier=supplier)
    if notice is None:
        return redirect("suppliers:account")
    form = PrivacyConsentForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        if request.POST.get("version") != notice.version:  # a newer version was published meanwhile
            messages.warning(request, _("The privacy notice changed while you were reading it. Please read it again."))
        else:
            services.privacy_consent_give(
                supplier=supplier, actor=request.user, voluntary=form.cleaned_data["accept_voluntary"], notice=notice
            )
            messages.success(request, _("Thank you. Your answer to the privacy notice was saved."))
            return redirect("suppliers:account")
    return render(
        request,
        "suppliers/privacy/accept.html",
        {"form": form, "notice": notice, "program": supplier.program, "my_data_url": reverse("privacy:my-data")},
    )


@login_required
def document_download(request, pk: int):
    document = get_object_or_404(Document.objects.select_related("supplier"), pk=pk)
    allowed, _reason = permissions.can_download_document(request.user, document)
    if not allowed:
        raise Http404
    return private_download(
        document.file,
        filename=document.original_name,
        content_type=document.content_type,
    )
