"""What the sourcing app holds about a supplier, for the ARCO rights (``suppliers.privacy``): its consent to be
shown to anchors, the opportunities it was invited to and its track, its responses and documents, the
ranks computed for it and the confidential files its people downloaded."""

from core.audit import ERASED_VALUE, scrub_history
from suppliers.privacy import plain

from .models import AnchorVisibility, AttachmentDownload, Invitation, Match, Response, ResponseDocument


def export_sourcing(supplier) -> dict:
    visibility = AnchorVisibility.objects.filter(supplier=supplier).first()
    invitations = (
        Invitation.objects.filter(supplier=supplier)
        .select_related("opportunity__anchor")
        .prefetch_related("response__documents")
    )

    def response_of(invitation):
        response = getattr(invitation, "response", None)
        if response is None:
            return None
        return {
            "summary": response.summary,
            "quoted_value": plain(response.quoted_value),
            "currency": response.currency,
            "lead_time_weeks": response.lead_time_weeks,
            "documents": [d.original_name for d in response.documents.all()],
            "submitted": plain(response.created_at),
        }

    return {
        "visible_to_anchors": bool(visibility and visibility.visible),
        "visibility_changed": plain(visibility.changed_at) if visibility else None,
        "invitations": [
            {
                "anchor": i.opportunity.anchor.name,
                "opportunity": i.opportunity.title,
                "status": i.status,
                "steps": i.reached,
                "reason": i.reason,
                "terms_accepted": plain(i.terms_accepted_at),
                "purchase_order_value_mxn": plain(i.purchase_order_value_mxn),
                "purchase_order_date": plain(i.purchase_order_date),
                "response": response_of(i),
            }
            for i in invitations
        ],
        "ranks": [
            {"opportunity": m.opportunity.title, "rank": m.rank, "fit": plain(m.score), "reasons": m.reasons}
            for m in Match.objects.filter(supplier=supplier).select_related("opportunity")
        ],
        "downloads": [
            {"file": d.attachment.original_name, "at": plain(d.downloaded_at)}
            for d in AttachmentDownload.objects.filter(supplier=supplier).select_related("attachment")
        ],
    }


def erase_sourcing(supplier) -> int:
    """Stop showing the SME to anchors (ranks removed, consent withdrawn), erase its free text (reasons, quote
    summaries) and its response files; the track's steps and purchase order values stay for the program's
    aggregate results."""
    AnchorVisibility.objects.filter(supplier=supplier).update(visible=False)
    Match.objects.filter(supplier=supplier).delete()
    invitations = Invitation.objects.filter(supplier=supplier)
    invitation_ids = list(invitations.values_list("pk", flat=True))
    invitations.exclude(reason="").update(reason=ERASED_VALUE)
    Response.objects.filter(invitation_id__in=invitation_ids).update(summary=ERASED_VALUE)
    for document in ResponseDocument.objects.filter(response__invitation_id__in=invitation_ids):
        if document.file:
            document.file.delete(save=False)
        document.file = ""
        document.original_name = ERASED_VALUE
        document.save(update_fields=["file", "original_name"])
    return scrub_history(Invitation, invitation_ids, ("reason",))
