"""The public registration flow: sign-up, email link, four short steps and a check of the answers.

*Save and finish later* never validates completeness: a step whose answers are complete and valid is
saved for real; otherwise its answers are kept as typed (``RegistrationDraft``) and shown again when the
SME comes back. Logging in takes the SME back to the step it left (``resume_url``).
"""

from functools import wraps

from django import forms
from django.conf import settings
from django.contrib import messages
from django.contrib.auth import login
from django.contrib.auth.decorators import login_required
from django.contrib.auth.views import LoginView
from django.core.exceptions import ValidationError
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from .. import ratelimit, selectors, services
from ..forms import CompanyForm, FinishForm, GrowthForm, LoginForm, MarketForm, SignupForm, yes_no_initial
from ..models import Document, RegistrationDraft, Supplier
from ..permissions import can_register_company
from .common import apply_errors

STEPS = [
    ("signup", gettext_lazy("Account")),
    ("company", gettext_lazy("Company")),
    ("growth", gettext_lazy("Growth")),
    ("market", gettext_lazy("Customers")),
    ("finish", gettext_lazy("Documents")),
    ("review", gettext_lazy("Check and send")),
]
STEP_URLS = {
    RegistrationDraft.Step.COMPANY: "suppliers:company",
    RegistrationDraft.Step.GROWTH: "suppliers:growth",
    RegistrationDraft.Step.MARKET: "suppliers:market",
    RegistrationDraft.Step.FINISH: "suppliers:finish",
    RegistrationDraft.Step.REVIEW: "suppliers:review",
}


def resume_url(user) -> str | None:
    """Where an SME account goes after logging in: the step its draft was left at, or its account once
    the registration is sent; None for an account with nothing started (and for other roles)."""
    if not can_register_company(user)[0]:
        return None
    supplier = selectors.supplier_for_user(user)
    if supplier is not None and supplier.status != Supplier.Status.DRAFT:
        return reverse("suppliers:account")
    draft = RegistrationDraft.objects.filter(user=user).first()
    if draft is not None:
        return reverse(STEP_URLS.get(draft.step, "suppliers:company"))
    if supplier is not None:
        return reverse("suppliers:growth")
    return None


class SDPLoginView(LoginView):
    """Django's login page; an SME without a ``next`` goes back to where its registration was left."""

    authentication_form = LoginForm

    def get_default_redirect_url(self):
        return resume_url(self.request.user) or super().get_default_redirect_url()


def _kept(request, step: str) -> dict:
    draft = RegistrationDraft.objects.filter(user=request.user).first()
    return (draft.answers or {}).get(step, {}) if draft else {}


def _show_kept(form, kept: dict) -> None:
    """Put answers kept as typed into an unbound form's initial values (the form shows them, unchecked)."""
    for name, values in kept.items():
        field = form.fields.get(name)
        if field is None or not values:
            continue
        multiple = isinstance(field, forms.MultipleChoiceField) or isinstance(
            field.widget, forms.CheckboxSelectMultiple
        )
        form.initial[name] = values if multiple else values[-1]


def _keep_unfinished(request, step: str):
    """Save and finish later, with answers that are not complete or not valid: keep them as typed."""
    services.registration_draft_keep(
        user=request.user, step=step, answers={name: request.POST.getlist(name) for name in request.POST}
    )
    return redirect("suppliers:saved")


def _saved_step(request, step: str, next_step: str):
    """A step saved for real: continue, or stop here and come back to the next step."""
    services.registration_draft_keep(user=request.user, step=next_step, finished=step)
    if "save_exit" in request.POST:
        return redirect("suppliers:saved")
    return redirect(STEP_URLS[next_step])


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
        return redirect(resume_url(request.user) or "suppliers:company")
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
            return redirect("login")
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
    invitation = selectors.invitation_for(request.user) if supplier is None else None
    program = supplier.program if supplier else (invitation.program if invitation else selectors.open_program())
    if program is None or (supplier is None and not program.registration_open):
        return render(request, "suppliers/register/closed.html")
    # An SME invited from a member list finds the company as the list gave it.
    initial = (
        {"legal_name": invitation.legal_name, "rfc": invitation.rfc, "state": invitation.state_id} if invitation else {}
    )
    form = CompanyForm(request.POST or None, instance=supplier, initial=initial)
    if request.method == "GET":
        _show_kept(form, _kept(request, RegistrationDraft.Step.COMPANY))
    if request.method == "POST":
        if "save_exit" in request.POST and not form.is_valid():
            return _keep_unfinished(request, RegistrationDraft.Step.COMPANY)
        if form.is_valid():
            data = {name: form.cleaned_data[name] for name in CompanyForm.Meta.fields}
            try:
                if supplier is None:
                    supplier = services.supplier_register(
                        actor=request.user, program=program, data=data, language=translation.get_language()
                    )
                else:
                    services.supplier_save_draft(
                        supplier=supplier,
                        actor=request.user,
                        data=data,
                        annual_figures=_figures(supplier, data, _kept_figures(supplier)),
                    )
            except ValidationError as exc:
                apply_errors(form, exc)
            else:
                return _saved_step(request, RegistrationDraft.Step.COMPANY, RegistrationDraft.Step.GROWTH)
    return _render_step(request, "company", form, supplier=supplier, sales_doubt=form.sales_doubt)


@login_required
def saved(request):
    """After *Save and finish later*: what was kept and how to come back."""
    return render(request, "suppliers/register/saved.html", {"continue_url": resume_url(request.user)})


def _last_year() -> int:
    return timezone.localdate().year - 1


def _years() -> list[int]:
    """The years the growth step asks for: the two before the last (the last one is asked with the company)."""
    return [_last_year() - 1, _last_year() - 2]


def _kept_figures(supplier) -> list[tuple]:
    return [(f.year, f.sales_mdp, f.employees) for f in supplier.annual_figures.all() if f.year in _years()]


def _figures(supplier, company: dict, others: list[tuple]) -> list[tuple]:
    """The yearly figures: the last year from the company answers, then the other years."""
    return [(_last_year(), company["annual_sales_mdp"], company["employees"]), *others]


@draft_step
def growth(request, supplier):
    years = _years()
    initial = {"export_share": supplier.export_share}
    for name in GrowthForm.FACT_FIELDS:
        value = getattr(supplier, name)
        initial[name] = yes_no_initial(value) if isinstance(value, bool) else value
    for figure in supplier.annual_figures.all():
        initial[f"sales_{figure.year}"] = figure.sales_mdp
        initial[f"employees_{figure.year}"] = figure.employees
    form = GrowthForm(request.POST or None, years=years, initial=initial)
    if request.method == "GET":
        _show_kept(form, _kept(request, RegistrationDraft.Step.GROWTH))
    if request.method == "POST":
        if "save_exit" in request.POST and not form.is_valid():
            return _keep_unfinished(request, RegistrationDraft.Step.GROWTH)
        if form.is_valid():
            company = {"annual_sales_mdp": supplier.annual_sales_mdp, "employees": supplier.employees}
            try:
                services.supplier_save_draft(
                    supplier=supplier,
                    actor=request.user,
                    data={
                        "export_share": form.cleaned_data["export_share"],
                        **{name: form.cleaned_data[name] for name in GrowthForm.FACT_FIELDS},
                    },
                    annual_figures=_figures(supplier, company, form.figures()),
                )
            except ValidationError as exc:
                apply_errors(form, exc)
            else:
                return _saved_step(request, RegistrationDraft.Step.GROWTH, RegistrationDraft.Step.MARKET)
    rows = [(form[f"sales_{y}"], form[f"employees_{y}"], form[f"sales_check_{y}"]) for y in years]
    return _render_step(request, "growth", form, rows=rows, supplier=supplier, last_year=_last_year())


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
    if request.method == "GET":
        _show_kept(form, _kept(request, RegistrationDraft.Step.MARKET))
    if request.method == "POST" and "save_exit" in request.POST and not form.is_valid():
        return _keep_unfinished(request, RegistrationDraft.Step.MARKET)
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
            return _saved_step(request, RegistrationDraft.Step.MARKET, RegistrationDraft.Step.FINISH)
    return _render_step(request, "market", form)


def _received(supplier) -> dict:
    documents = {}
    for document in supplier.documents.filter(kind__in=[Document.Kind.TAX_CERTIFICATE, Document.Kind.CERTIFICATE]):
        documents.setdefault(document.kind, document)  # newest first (Document.Meta.ordering)
    return {
        "csf": documents.get(Document.Kind.TAX_CERTIFICATE),
        "certificate": documents.get(Document.Kind.CERTIFICATE),
    }


UPLOAD_KINDS = {"csf": Document.Kind.TAX_CERTIFICATE, "certificate": Document.Kind.CERTIFICATE}


@draft_step
def finish(request, supplier):
    contact = services.primary_contact(supplier)
    received = _received(supplier)
    form = FinishForm(
        request.POST or None,
        request.FILES or None,
        has_csf=received["csf"] is not None,
        initial={
            "phone": contact.phone,
            "position": contact.position,
            "accept_privacy": bool(supplier.privacy_accepted_at),
        },
    )
    if request.method == "GET":
        _show_kept(form, _kept(request, RegistrationDraft.Step.FINISH))
    if request.method == "POST":
        # A file that passed its checks is stored now, whatever else the page says: a file input cannot be
        # filled again, so a file chosen once is never asked for twice.
        try:
            for name, uploaded in form.received_uploads().items():
                services.supplier_document_add(
                    supplier=supplier, actor=request.user, kind=UPLOAD_KINDS[name], uploaded=uploaded, replace=True
                )
        except ValidationError as exc:
            apply_errors(form, exc)
        received = _received(supplier)
        if "save_exit" in request.POST and not form.is_valid():
            return _keep_unfinished(request, RegistrationDraft.Step.FINISH)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            services.supplier_save_draft(
                supplier=supplier,
                actor=request.user,
                contact_data={"phone": data["phone"], "position": data["position"]},
            )
            services.supplier_accept_privacy(supplier=supplier, actor=request.user, voluntary=data["accept_voluntary"])
        except ValidationError as exc:
            apply_errors(form, exc)
        else:
            return _saved_step(request, RegistrationDraft.Step.FINISH, RegistrationDraft.Step.REVIEW)
    return _render_step(request, "finish", form, received=received)


@draft_step
def review(request, supplier):
    """Check your answers, then send: the one place a registration is sent from."""
    missing = services.supplier_missing(supplier)
    if request.method == "POST":
        try:
            outcome = services.supplier_submit(supplier=supplier, actor=request.user)
        except ValidationError as exc:
            messages.error(request, " ".join(exc.messages))
            return redirect("suppliers:review")
        services.registration_draft_forget(user=request.user)
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
    return _render_step(
        request,
        "review",
        None,
        supplier=supplier,
        contact=services.primary_contact(supplier),
        figures=list(supplier.annual_figures.order_by("-year")),
        certifications=list(supplier.certifications.select_related("standard").order_by("standard__name")),
        documents=_received(supplier),
        missing=missing,
    )


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
