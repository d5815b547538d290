"""Writes of the suppliers app (registration, verification, profile), re-exported by feature."""

from .accounts import (
    account_signup,
    contact_verify_email,
    email_verified_at,
    password_reset_request,
    verification_token,
)
from .company import company_data_save, participation_join, programs_to_join
from .consent import privacy_consent_give, privacy_consent_pending, privacy_notice_current
from .drafts import registration_draft_forget, registration_draft_keep
from .invitations import invitations_import
from .registration import (
    apply_company_data,
    primary_contact,
    supplier_accept_privacy,
    supplier_document_add,
    supplier_is_complete,
    supplier_missing,
    supplier_register,
    supplier_save_draft,
    supplier_submit,
)
from .review import supplier_mark_duplicate, supplier_reject, supplier_update_profile, supplier_verify

__all__ = [
    "account_signup",
    "apply_company_data",
    "company_data_save",
    "contact_verify_email",
    "email_verified_at",
    "invitations_import",
    "participation_join",
    "password_reset_request",
    "primary_contact",
    "privacy_consent_give",
    "privacy_consent_pending",
    "privacy_notice_current",
    "programs_to_join",
    "registration_draft_forget",
    "registration_draft_keep",
    "supplier_accept_privacy",
    "supplier_document_add",
    "supplier_is_complete",
    "supplier_mark_duplicate",
    "supplier_missing",
    "supplier_register",
    "supplier_reject",
    "supplier_save_draft",
    "supplier_submit",
    "supplier_update_profile",
    "supplier_verify",
    "verification_token",
]
