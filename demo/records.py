"""Records a running program accumulates, that the bulk steps of the demo do not write: each registered SME's
privacy consent (one statement), the demo SMEs' tax certificates, the demo anchor's first reviews of the cohort
under review, the demo SME's API token and a download of an opportunity's drawings. All but the consents go
through the services that write them in use. Idempotent: a record already there is not written again. (Exports
are requested from the report pages: ``demo`` does not use ``reports``.)"""

from __future__ import annotations

from django.contrib.auth import get_user_model
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import connection, transaction

from cohorts.models import AnchorReview, Candidate, Cohort
from cohorts.selectors import anchor_candidates
from cohorts.services.review import anchor_review_submit
from core import roles
from core.models import ApiToken
from core.tokens import token_issue
from programs.models import Program
from sourcing.models import AttachmentDownload, Invitation, Opportunity
from sourcing.selectors import may_download
from sourcing.services.invitations import invitation_accept_terms
from sourcing.services.opportunities import attachment_add, attachment_download_log
from suppliers.models import Contact, Document, Supplier
from suppliers.services import supplier_document_add
from suppliers.services.consent import privacy_notice_current

# A one-page PDF: the tax certificate the demo SMEs uploaded.
TAX_CERTIFICATE = (
    b"%PDF-1.4\n1 0 obj<</Type/Catalog/Pages 2 0 R>>endobj\n2 0 obj<</Type/Pages/Kids[3 0 R]/Count 1>>endobj\n"
    b"3 0 obj<</Type/Page/Parent 2 0 R/MediaBox[0 0 612 792]>>endobj\ntrailer<</Root 1 0 R>>\n%%EOF\n"
)

DRAWING = TAX_CERTIFICATE  # the drawing of the demo opportunity: a one-page PDF as well

CONSENTS_SQL = """
INSERT INTO suppliers_privacyconsent (notice_id, supplier_id, contact_id, necessary_accepted, voluntary_accepted,
                                      given_at)
SELECT %(notice)s, s.id, c.id, true, s.id %% 5 <> 0, s.privacy_accepted_at
FROM suppliers_supplier s
LEFT JOIN suppliers_contact c ON c.supplier_id = s.id AND c.is_primary
WHERE s.program_id = %(program)s AND s.privacy_notice_version = %(version)s AND s.privacy_accepted_at IS NOT NULL
  AND NOT EXISTS (SELECT 1 FROM suppliers_privacyconsent p WHERE p.supplier_id = s.id)
"""

REVIEWS = (
    (AnchorReview.Verdict.ENDORSE, ""),
    (AnchorReview.Verdict.ENDORSE, ""),
    (
        AnchorReview.Verdict.OBJECT,
        "Tuvimos entregas tardías de esta empresa en 2024; pedimos revisar su plan de capacidad.",
    ),
    (AnchorReview.Verdict.ENDORSE, ""),
)


def seed_records(
    program: Program, *, staff_username: str, anchor_username: str, sme_usernames, review: bool = True, log=print
) -> dict:
    """Write the records of ``program`` that are missing; how many of each were written. ``review``: the demo
    anchor reviews the cohort under review (not when the caller takes the cohorts through their steps itself)."""
    user_model = get_user_model()
    staff = user_model.objects.get(username=staff_username)
    written = {"consents": _consents(program)}
    written["documents"] = sum(
        _tax_certificate(user) for user in user_model.objects.filter(username__in=sme_usernames).order_by("pk")
    )
    anchor_user = user_model.objects.filter(username=anchor_username).first()
    written["reviews"] = _reviews(program, anchor_user) if anchor_user and review else 0
    written["tokens"] = _token(staff, user_model.objects.filter(username__in=sme_usernames).order_by("pk").first())
    written["downloads"] = _download(program, anchor_user)
    log("  " + ", ".join(f"{count} {what}" for what, count in written.items()))
    return written


def _consents(program: Program) -> int:
    """The consent each registered SME gave with its registration: the notice version its row records, given by its
    primary contact when it accepted, voluntary purposes accepted by four in five."""
    notice = privacy_notice_current(program=program)
    with connection.cursor() as cursor:
        cursor.execute(CONSENTS_SQL, {"notice": notice.pk, "program": program.pk, "version": notice.version})
        return cursor.rowcount


def _tax_certificate(user) -> int:
    supplier = Supplier.objects.filter(contacts__user=user).order_by("pk").first()
    if supplier is None or Document.objects.filter(supplier=supplier, kind=Document.Kind.TAX_CERTIFICATE).exists():
        return 0
    upload = SimpleUploadedFile("constancia-situacion-fiscal.pdf", TAX_CERTIFICATE, content_type="application/pdf")
    with transaction.atomic():
        supplier_document_add(supplier=supplier, actor=user, kind=Document.Kind.TAX_CERTIFICATE, uploaded=upload)
    return 1


def _reviews(program: Program, anchor_user) -> int:
    """The demo anchor's first reviews of the cohort under anchor review: endorsements and one objection."""
    anchor = roles.anchor_of(anchor_user)
    cohort = Cohort.objects.filter(program=program, status=Cohort.Status.ANCHOR_REVIEW).order_by("-year", "pk").first()
    if (
        anchor is None
        or cohort is None
        or AnchorReview.objects.filter(anchor=anchor, candidate__cohort=cohort).exists()
    ):
        return 0
    done = 0
    for candidate in anchor_candidates(anchor=anchor, cohort=cohort).filter(status=Candidate.Status.PROPOSED)[:20]:
        if done == len(REVIEWS):
            break
        verdict, reason = REVIEWS[done]
        try:
            with transaction.atomic():
                anchor_review_submit(candidate=candidate, actor=anchor_user, verdict=verdict, reason=reason)
        except (PermissionDenied, ValidationError):
            continue
        done += 1
    return done


def _token(staff, sme_user) -> int:
    """Staff issued the demo SME an API token (its own system reads its status and diagnostics)."""
    if sme_user is None or ApiToken.objects.filter(user=sme_user).exists():
        return 0
    token_issue(user=sme_user, actor=staff)
    return 1


def _download(program: Program, anchor_user) -> int:
    """The demo anchor attached the drawings of its first opportunity (confidential); an invited SME accepted the
    confidentiality terms and downloaded them (the anchor's user when no invited SME has an account)."""
    downloads = AttachmentDownload.objects.filter(attachment__opportunity__anchor__program=program)
    if anchor_user is None or downloads.exists():
        return 0
    anchor = roles.anchor_of(anchor_user)
    opportunity = Opportunity.objects.filter(anchor=anchor).order_by("pk").first() if anchor else None
    if opportunity is None:
        return 0
    with transaction.atomic():
        attachment = opportunity.attachments.order_by("pk").first() or attachment_add(
            opportunity=opportunity,
            actor=anchor_user,
            uploaded=SimpleUploadedFile("plano-ensamble.pdf", DRAWING, content_type="application/pdf"),
        )
        user = anchor_user
        invited = Contact.objects.filter(
            supplier__sourcing_invitations__opportunity=opportunity, user__isnull=False
        ).select_related("user")
        for contact in invited.order_by("pk"):
            supplier = roles.supplier_of(contact.user)
            invitation = Invitation.objects.filter(opportunity=opportunity, supplier=supplier).first()
            if invitation is not None:
                invitation_accept_terms(invitation=invitation, actor=contact.user)
                user = contact.user
                break
        allowed, supplier = may_download(user, attachment)
        if not allowed:
            return 0
        attachment_download_log(attachment=attachment, actor=user, supplier=supplier)
    return 1
