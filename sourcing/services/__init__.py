"""Writes of the sourcing app (atomic, keyword-only, an ``actor``)."""

from .colleagues import anchor_administrator_set, anchor_colleague_deactivate, anchor_colleague_invite
from .invitations import (
    invitation_accept_terms,
    invitation_advance,
    invitation_create,
    opportunity_express_interest,
    response_submit,
)
from .matching import anchor_visibility_set, opportunity_rank
from .opportunities import (
    attachment_add,
    attachment_download_log,
    match_shortlist,
    opportunity_post,
    opportunity_set_status,
    opportunity_update,
)

__all__ = [
    "anchor_administrator_set",
    "anchor_colleague_deactivate",
    "anchor_colleague_invite",
    "anchor_visibility_set",
    "attachment_add",
    "attachment_download_log",
    "invitation_accept_terms",
    "invitation_advance",
    "invitation_create",
    "match_shortlist",
    "opportunity_express_interest",
    "opportunity_post",
    "opportunity_rank",
    "opportunity_set_status",
    "opportunity_update",
    "response_submit",
]
