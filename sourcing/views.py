"""Pages of sourcing: the anchor's dashboard, opportunities and colleagues (/anclas/), the SME's opportunities
(/mi-cuenta/oportunidades/) and staff moderation (/staff/sourcing/)."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST

from core import roles
from core.access import requires
from core.concurrency import StaleObjectError
from core.files import private_download
from programs.models import AnchorReviewer

from . import selectors, services
from .forms import (
    AttachmentForm,
    ColleagueForm,
    DeclineForm,
    ModerationForm,
    OpportunityForm,
    ResponseForm,
    StepForm,
)
from .models import AnchorVisibility, Attachment, Invitation, Match, Opportunity, ResponseDocument
from .permissions import anchor_link, is_anchor_administrator, is_anchor_user, is_sme, is_staff

S = Invitation.Status


def errors_into(form, error: ValidationError) -> None:
    """A service's field errors shown on the form's fields (others at the top of the form)."""
    if hasattr(error, "error_dict"):
        for field, messages_ in error.message_dict.items():
            form.add_error(field if field in form.fields else None, messages_)
    else:
        form.add_error(None, error.messages)


# --- Anchor --------------------------------------------------------------------------------------


@requires(is_anchor_administrator)
@require_http_methods(["GET", "POST"])
def anchor_colleagues(request):
    """The anchor's users; its administrator invites a colleague."""
    anchor = anchor_link(request.user).anchor
    form = ColleagueForm(request.POST or None)
    status = 200
    if request.method == "POST":
        if form.is_valid():
            try:
                services.anchor_colleague_invite(anchor=anchor, actor=request.user, **form.cleaned_data)
            except ValidationError as exc:
                errors_into(form, exc)
            else:
                messages.success(request, _("The invitation was sent to %(email)s.") % form.cleaned_data)
                return redirect("sourcing:anchor_colleagues")
        status = 400
    colleagues = (
        AnchorReviewer.objects.filter(anchor=anchor).select_related("user").order_by("-is_administrator", "user__email")
    )
    return render(
        request,
        "sourcing/anchor_colleagues.html",
        {"anchor": anchor, "form": form, "colleagues": colleagues},
        status=status,
    )


@requires(is_anchor_user)
def anchor_home(request):
    """The anchor's dashboard: its opportunities and their funnels, its areas with aggregates of the SMEs."""
    link = anchor_link(request.user)
    anchor = link.anchor
    opportunities = list(selectors.anchor_opportunities(anchor))
    funnel = {step: sum(getattr(o, f"n_{step}") for o in opportunities) for step in Invitation.FUNNEL}
    awarded = sum((o.awarded or 0) for o in opportunities)
    return render(
        request,
        "sourcing/anchor_home.html",
        {
            "anchor": anchor,
            "is_administrator": link.is_administrator,
            "opportunities": opportunities,
            "funnel": [(Invitation.Status(step).label, funnel[step]) for step in Invitation.FUNNEL],
            "awarded": awarded,
            "areas": selectors.anchor_area_summary(anchor),
        },
    )


def _opportunity_form_page(request, *, anchor, form, status=200, opportunity=None):
    return render(
        request,
        "sourcing/opportunity_form.html",
        {"anchor": anchor, "form": form, "opportunity": opportunity},
        status=status,
    )


def _post_from_form(request, form, anchor):
    try:
        return services.opportunity_post(
            anchor=anchor,
            actor=request.user,
            data=form.service_data(),
            areas=form.cleaned_data["areas"],
            required_certifications=form.cleaned_data["required_certifications"],
        )
    except ValidationError as exc:
        errors_into(form, exc)
        return None


@requires(is_anchor_user)
@require_http_methods(["GET", "POST"])
def anchor_opportunity_new(request):
    anchor = roles.anchor_of(request.user)
    form = OpportunityForm(request.POST or None, program_id=anchor.program_id)
    if request.method == "POST":
        opportunity = _post_from_form(request, form, anchor) if form.is_valid() else None
        if opportunity is not None:
            messages.success(request, _("The opportunity was posted. The ranked SMEs appear in a moment."))
            return redirect("sourcing:anchor_opportunity", opportunity.pk)
        return _opportunity_form_page(request, anchor=anchor, form=form, status=400)
    return _opportunity_form_page(request, anchor=anchor, form=form)


def _managed_or_404(request, pk):
    opportunity = selectors.visible_opportunity(request.user, pk)
    if opportunity is None:
        raise Http404
    return opportunity


def _anchor_or_staff(user) -> tuple[bool, str]:
    if roles.is_program_staff(user):
        return True, ""
    return is_anchor_user(user)


@requires(_anchor_or_staff)
def anchor_opportunity(request, pk: int, step_form=None, attachment_form=None, status=200):
    """One opportunity: its ranked and explained SMEs (shortlist, invite), its invitations (record the steps
    and the purchase order), responses and files."""
    opportunity = _managed_or_404(request, pk)
    invitations = list(selectors.opportunity_invitations(opportunity))
    return render(
        request,
        "sourcing/anchor_opportunity.html",
        {
            "opportunity": opportunity,
            "areas": list(opportunity.areas.all()),
            "certifications": list(opportunity.required_certifications.all()),
            "attachments": list(opportunity.attachments.all()),
            "rows": selectors.match_rows(opportunity, sees_finances=roles.is_program_staff(request.user)),
            "invitations": [
                (i, step_form if step_form is not None and step_form.invitation_pk == i.pk else StepForm())
                for i in invitations
            ],
            "attachment_form": attachment_form or AttachmentForm(),
            "moderation_form": ModerationForm(),
            "is_staff": roles.is_program_staff(request.user),
        },
        status=status,
    )


@requires(_anchor_or_staff)
@require_POST
def anchor_opportunity_action(request, pk: int, action: str):
    """Shortlist, invite, close, reopen, attach a file; staff also withdraw and restore."""
    opportunity = _managed_or_404(request, pk)
    try:
        if action in ("shortlist", "unshortlist", "invite"):
            match = get_object_or_404(Match, opportunity=opportunity, supplier_id=request.POST.get("supplier"))
            if action == "invite":
                services.invitation_create(opportunity=opportunity, supplier=match.supplier, actor=request.user)
                messages.success(request, _("The SME was invited; it receives an email."))
            else:
                services.match_shortlist(match=match, actor=request.user, shortlisted=action == "shortlist")
        elif action in ("close", "reopen", "withdraw", "restore"):
            to = {"close": "closed", "reopen": "open", "withdraw": "withdrawn", "restore": "open"}[action]
            services.opportunity_set_status(
                opportunity=opportunity, actor=request.user, to=to, reason=request.POST.get("reason", "")
            )
            messages.success(request, _("The opportunity is now: %(s)s.") % {"s": Opportunity.Status(to).label})
        elif action == "attach":
            form = AttachmentForm(request.POST, request.FILES)
            if not form.is_valid():
                return anchor_opportunity(request, pk, attachment_form=form, status=400)
            try:
                services.attachment_add(
                    opportunity=opportunity,
                    actor=request.user,
                    uploaded=form.cleaned_data["file"],
                    is_confidential=form.cleaned_data["is_confidential"],
                )
            except ValidationError as exc:
                errors_into(form, exc)
                return anchor_opportunity(request, pk, attachment_form=form, status=400)
            messages.success(request, _("The file was added."))
        else:
            raise Http404
    except ValidationError as exc:
        messages.error(request, " ".join(exc.messages))
    return redirect("sourcing:anchor_opportunity", opportunity.pk)


@requires(_anchor_or_staff)
@require_POST
def anchor_invitation_step(request, pk: int):
    """The anchor records a step of an invited SME's track (PPAP, purchase order with its value, supplying, lost)."""
    invitation = get_object_or_404(Invitation.objects.select_related("opportunity"), pk=pk)
    opportunity = _managed_or_404(request, invitation.opportunity_id)
    form = StepForm(request.POST)
    form.invitation_pk = invitation.pk
    if form.is_valid():
        try:
            services.invitation_advance(
                invitation=invitation,
                actor=request.user,
                expected_version=int(request.POST["version"]) if request.POST.get("version", "").isdigit() else None,
                **form.cleaned_data,
            )
        except StaleObjectError:
            form.add_error(None, _("Someone changed this invitation meanwhile. Check it and try again."))
        except ValidationError as exc:
            errors_into(form, exc)
        else:
            messages.success(request, _("The step was recorded."))
            return redirect("sourcing:anchor_opportunity", opportunity.pk)
    return anchor_opportunity(request, opportunity.pk, step_form=form, status=400)


def attachment_file(user, pk: int, *, opportunity_id: int | None = None):
    """The download of an opportunity's file for ``user`` (see ``selectors.may_download``), logged; 404 when
    the user may not download it. The page and the API serve files through here."""
    attachments = Attachment.objects.select_related("opportunity")
    if opportunity_id is not None:
        attachments = attachments.filter(opportunity_id=opportunity_id)
    attachment = get_object_or_404(attachments, pk=pk)
    allowed, supplier = selectors.may_download(user, attachment)
    if not allowed:
        raise Http404
    services.attachment_download_log(attachment=attachment, actor=user, supplier=supplier)
    return private_download(attachment.file, filename=attachment.original_name, content_type=attachment.content_type)


@login_required
def attachment_download(request, pk: int):
    """A file of an opportunity; every download is logged."""
    return attachment_file(request.user, pk)


def response_document_file(user, pk: int, *, response_id: int | None = None):
    """The download of a response's document for ``user``: its anchor, staff and the SME itself (else 404).
    The page and the API serve documents through here."""
    documents = ResponseDocument.objects.select_related("response__invitation__opportunity")
    if response_id is not None:
        documents = documents.filter(response_id=response_id)
    document = get_object_or_404(documents, pk=pk)
    invitation = document.response.invitation
    supplier = roles.supplier_of(user)
    anchor = roles.anchor_of(user)
    if not (
        (roles.is_program_staff(user) and selectors.visible_opportunity(user, invitation.opportunity_id))
        or (anchor is not None and anchor.pk == invitation.opportunity.anchor_id)
        or (supplier is not None and supplier.pk == invitation.supplier_id)
    ):
        raise Http404
    return private_download(document.file, filename=document.original_name, content_type=document.content_type)


@login_required
def response_document(request, pk: int):
    """A document of an SME's response."""
    return response_document_file(request.user, pk)


# --- SME -----------------------------------------------------------------------------------------


@requires(is_sme)
@require_http_methods(["GET", "POST"])
def sme_opportunities(request):
    """The opportunities the SME is invited to or eligible for; its consent to be visible to anchors."""
    supplier = roles.supplier_of(request.user)
    if request.method == "POST":
        visible = request.POST.get("visible") == "1"
        services.anchor_visibility_set(supplier=supplier, visible=visible, actor=request.user)
        messages.success(
            request,
            _("Anchors can now find your company for their opportunities.")
            if visible
            else _("Anchors no longer find your company for their opportunities."),
        )
        return redirect("sourcing:sme_opportunities")
    invitations = {
        i.opportunity_id: i for i in Invitation.objects.filter(supplier=supplier).only("pk", "opportunity_id", "status")
    }
    opportunities = list(selectors.sme_opportunities(supplier))
    visibility = AnchorVisibility.objects.filter(supplier=supplier).first()
    return render(
        request,
        "sourcing/sme_opportunities.html",
        {
            "rows": [(o, invitations.get(o.pk)) for o in opportunities],
            "visible": bool(visibility and visibility.visible),
        },
    )


@requires(is_sme)
@require_http_methods(["GET", "POST"])
def sme_opportunity(request, pk: int):
    """One opportunity for the SME: accept the confidentiality terms, say whether it is interested (or decline
    with a reason), and send its response (a quote summary and documents)."""
    supplier = roles.supplier_of(request.user)
    opportunity = selectors.sme_opportunity(supplier, pk)
    if opportunity is None:
        raise Http404
    invitation = (
        Invitation.objects.filter(opportunity=opportunity, supplier=supplier).select_related("response").first()
    )
    decline_form, response_form, status = DeclineForm(), ResponseForm(), 200
    if request.method == "POST":
        action = request.POST.get("action")
        try:
            if action == "interested" and invitation is None:
                invitation = services.opportunity_express_interest(
                    opportunity=opportunity, supplier=supplier, actor=request.user
                )
                messages.success(request, _("The anchor knows you are interested."))
                return redirect("sourcing:sme_opportunity", pk)
            if invitation is None:
                raise Http404
            if action == "accept_terms":
                services.invitation_accept_terms(invitation=invitation, actor=request.user)
                messages.success(request, _("You accepted the confidentiality terms; the drawings are available."))
                return redirect("sourcing:sme_opportunity", pk)
            if action == "interested":
                services.invitation_advance(invitation=invitation, to=S.INTERESTED, actor=request.user)
                messages.success(request, _("The anchor knows you are interested."))
                return redirect("sourcing:sme_opportunity", pk)
            if action == "decline":
                decline_form = DeclineForm(request.POST)
                if decline_form.is_valid():
                    services.invitation_advance(
                        invitation=invitation, to=S.DECLINED, actor=request.user, **decline_form.cleaned_data
                    )
                    messages.success(request, _("You declined the invitation."))
                    return redirect("sourcing:sme_opportunity", pk)
                status = 400
            elif action == "respond":
                response_form = ResponseForm(request.POST, request.FILES)
                if response_form.is_valid():
                    try:
                        services.response_submit(
                            invitation=invitation, actor=request.user, **response_form.cleaned_data
                        )
                    except ValidationError as exc:
                        errors_into(response_form, exc)
                        status = 400
                    else:
                        messages.success(request, _("Your response was sent to the anchor."))
                        return redirect("sourcing:sme_opportunity", pk)
                else:
                    status = 400
            else:
                raise Http404
        except ValidationError as exc:
            messages.error(request, " ".join(exc.messages))
            status = 400
    return render(
        request,
        "sourcing/sme_opportunity.html",
        {
            "opportunity": opportunity,
            "areas": list(opportunity.areas.all()),
            "certifications": list(opportunity.required_certifications.all()),
            "attachments": list(opportunity.attachments.all()),
            "invitation": invitation,
            "response": getattr(invitation, "response", None) if invitation else None,
            "decline_form": decline_form,
            "response_form": response_form,
            "today": timezone.localdate(),
        },
        status=status,
    )


# --- Staff ---------------------------------------------------------------------------------------


@requires(is_staff)
def staff_opportunities(request):
    """Every anchor's opportunities, to moderate or to post on an anchor's behalf."""
    opportunities = list(selectors.staff_opportunities(request.user)[:200])
    return render(request, "sourcing/staff_opportunities.html", {"opportunities": opportunities})


@requires(is_staff)
@require_http_methods(["GET", "POST"])
def staff_opportunity_new(request):
    """Post an opportunity on an anchor's behalf."""
    form = OpportunityForm(request.POST or None, staff=request.user)
    if request.method == "POST":
        opportunity = None
        if form.is_valid():
            opportunity = _post_from_form(request, form, form.cleaned_data["anchor"])
        if opportunity is not None:
            messages.success(request, _("The opportunity was posted on the anchor's behalf."))
            return redirect("sourcing:anchor_opportunity", opportunity.pk)
        return _opportunity_form_page(request, anchor=None, form=form, status=400)
    return _opportunity_form_page(request, anchor=None, form=form)
