"""The public registration flow: sign-up, email link, then four short steps."""

from functools import wraps

from django.conf import settings
from django.contrib import messages
from django.contrib.auth import login
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from .. import ratelimit, selectors, services
from ..forms import CompanyForm, FinishForm, GrowthForm, MarketForm, SignupForm
from ..models import Document, Supplier
from ..permissions import can_register_company
from .common import apply_errors

STEPS = [
    ("signup", gettext_lazy("Account")),
    ("company", gettext_lazy("Company")),
    ("growth", gettext_lazy("Growth")),
    ("market", gettext_lazy("Customers")),
    ("finish", gettext_lazy("Documents")),
]


def _render_step(request, step: str, form, **context):
    index = [name for name, _label in STEPS].index(step)
    return render(
        request,
        f"suppliers/register/{step}.html",
        {
            "form": form,
            "steps": STEPS,
            "step": step,
            "step_number": index + 1,
            "step_count": len(STEPS),
            **context,
        },
    )


def signup(request):
    if request.user.is_authenticated:
        return redirect("suppliers:company")
    form = SignupForm(request.POST or None)
    if request.method == "POST":
        if not ratelimit.registration_allowed(request, request.POST.get("email", "")):
            return ratelimit.too_many_requests(request)
        if form.is_valid():
            try:
                services.account_signup(
                    email=form.cleaned_data["email"],
                    password=form.cleaned_data["password1"],
                    name=form.cleaned_data["name"],
                    language=translation.get_language(),
                )
            except ValidationError as exc:
                apply_errors(form, exc)
            else:
                # The address is not kept in the session: a session row outlives an ARCO erasure.
                return redirect("suppliers:signup-sent")
    return _render_step(request, "signup", form, program=selectors.open_program())


def signup_sent(request):
    return render(request, "suppliers/register/sent.html")


def verify_email(request, token: str):
    try:
        user, first_time = services.contact_verify_email(token=token)
    except ValidationError as exc:
        return render(request, "suppliers/register/verify_failed.html", {"errors": exc.messages}, status=400)
    messages.success(request, _("Your email is verified."))
    if request.user.is_authenticated and request.user.pk != user.pk:
        return redirect("home")
    if not request.user.is_authenticated:
        if not first_time:  # an old link is not a way to log in
            return redirect(f"{reverse('login')}?next={reverse('suppliers:account')}")
        login(request, user, backend=settings.AUTHENTICATION_BACKENDS[0])
    supplier = selectors.supplier_for_user(user)
    if supplier is None:
        return redirect("suppliers:company")
    return redirect("suppliers:account")


def _refuse_other_roles(view):
    """Registration pages are for SME accounts: a staff or anchor account gets a clear page instead."""

    @wraps(view)
    def wrapper(request, *args, **kwargs):
        if not can_register_company(request.user)[0]:
            return render(request, "suppliers/register/other_role.html", status=403)
        return view(request, *args, **kwargs)

    return wrapper


def draft_step(view):
    """Steps after the company data: need the user's draft registration."""

    @login_required
    @_refuse_other_roles
    @wraps(view)
    def wrapper(request, *args, **kwargs):
        supplier = selectors.supplier_for_user(request.user)
        if supplier is None:
            return redirect("suppliers:company")
        if supplier.status != Supplier.Status.DRAFT:
            return redirect("suppliers:account")
        return view(request, supplier, *args, **kwargs)

    return wrapper


@login_required
@_refuse_other_roles
def company(request):
    supplier = selectors.supplier_for_user(request.user)
    if supplier is not None and supplier.status != Supplier.Status.DRAFT:
        return redirect("suppliers:account")
    program = supplier.program if supplier else selectors.open_program()
    if program is None or (supplier is None and not program.registration_open):
        return render(request, "suppliers/register/closed.html")
    form = CompanyForm(request.POST or None, instance=supplier)
    if request.method == "POST" and form.is_valid():
        data = {name: form.cleaned_data[name] for name in CompanyForm.Meta.fields}
        try:
            if supplier is None:
                services.supplier_register(
                    actor=request.user, program=program, data=data, language=translation.get_language()
                )
            else:
                services.supplier_save_draft(supplier=supplier, actor=request.user, data=data)
        except ValidationError as exc:
            apply_errors(form, exc)
        else:
            return _next(request, "suppliers:growth")
    return _render_step(request, "company", form, supplier=supplier)


def _next(request, url_name: str):
    if "save_exit" in request.POST:
        messages.info(request, _("Your registration is saved. Log in any time to finish it."))
        return redirect("suppliers:account")
    return redirect(url_name)


def _years() -> list[int]:
    this_year = timezone.localdate().year
    return [this_year - 1, this_year - 2, this_year - 3]


@draft_step
def growth(request, supplier):
    years = _years()
    initial = {"export_share": supplier.export_share}
    for figure in supplier.annual_figures.all():
        initial[f"sales_{figure.year}"] = figure.sales_mdp
        initial[f"employees_{figure.year}"] = figure.employees
    form = GrowthForm(request.POST or None, years=years, initial=initial)
    if request.method == "POST" and form.is_valid():
        try:
            services.supplier_save_draft(
                supplier=supplier,
                actor=request.user,
                data={"export_share": form.cleaned_data["export_share"]},
                annual_figures=form.figures(),
            )
        except ValidationError as exc:
            apply_errors(form, exc)
        else:
            return _next(request, "suppliers:market")
    rows = [(form[f"sales_{y}"], form[f"employees_{y}"]) for y in years]
    return _render_step(request, "growth", form, rows=rows)


@draft_step
def market(request, supplier):
    initial = {
        "supply_areas": list(supplier.supply_areas.all()),
        "anchor_customers": list(supplier.anchor_customers.all()),
    }
    for cert in supplier.certifications.all():
        initial[f"cert_{cert.standard_id}"] = True
        initial[f"cert_{cert.standard_id}_expires"] = cert.expires_on
    form = MarketForm(request.POST or None, program=supplier.program, initial=initial)
    if request.method == "POST" and form.is_valid():
        try:
            services.supplier_save_draft(
                supplier=supplier,
                actor=request.user,
                supply_areas=form.cleaned_data["supply_areas"],
                anchor_customers=form.cleaned_data["anchor_customers"],
                certifications=form.certifications(),
            )
        except ValidationError as exc:
            apply_errors(form, exc)
        else:
            return _next(request, "suppliers:finish")
    return _render_step(request, "market", form)


@draft_step
def finish(request, supplier):
    contact = services.primary_contact(supplier)
    has_csf = supplier.documents.filter(kind=Document.Kind.TAX_CERTIFICATE).exists()
    form = FinishForm(
        request.POST or None,
        request.FILES or None,
        has_csf=has_csf,
        initial={
            "phone": contact.phone,
            "position": contact.position,
            "accept_privacy": bool(supplier.privacy_accepted_at),
        },
    )
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            services.supplier_save_draft(
                supplier=supplier,
                actor=request.user,
                contact_data={"phone": data["phone"], "position": data["position"]},
            )
            if data.get("csf"):
                services.supplier_document_add(
                    supplier=supplier, actor=request.user, kind=Document.Kind.TAX_CERTIFICATE, uploaded=data["csf"]
                )
            if data.get("certificate"):
                services.supplier_document_add(
                    supplier=supplier, actor=request.user, kind=Document.Kind.CERTIFICATE, uploaded=data["certificate"]
                )
            services.supplier_accept_privacy(supplier=supplier, actor=request.user, voluntary=data["accept_voluntary"])
            outcome = services.supplier_submit(supplier=supplier, actor=request.user)
        except ValidationError as exc:
            apply_errors(form, exc)
        else:
            if outcome == "awaiting_verification":
                messages.warning(
                    request,
                    _("Your registration is complete. Confirm your email with the link we sent you to send it."),
                )
            elif outcome == Supplier.Status.DUPLICATE:
                messages.info(
                    request, _("We received your registration. Program staff will contact you to confirm some details.")
                )
            else:
                messages.success(request, _("Your registration was sent. Program staff will verify it."))
            return redirect("suppliers:account")
    return _render_step(request, "finish", form, has_csf=has_csf)


def privacy_notice(request):
    """The notice in force: of the signed-in SME's program, or of the program taking registrations."""
    supplier = selectors.supplier_for_user(request.user)
    program = supplier.program if supplier else selectors.open_program()
    notice = services.privacy_notice_current(program=program) if program else None
    return render(
        request,
        "suppliers/privacy_notice.html",
        {"notice": notice, "program": program, "version": settings.SDP_PRIVACY_NOTICE_VERSION},
    )
