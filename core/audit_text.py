"""The audit trail in the staff's words: what happened, never an action code, a Python dict or a state code."""

from __future__ import annotations

from django.utils.translation import gettext_lazy as _

# What each recorded action means (an action not listed shows its words with the underscores removed).
ACTIONS = {
    "transition": _("Status changed"),
    "edit": _("Edited"),
    "updated": _("Updated"),
    "deleted": _("Deleted"),
    "registered": _("Registered"),
    "sme_signup": _("The SME signed up"),
    "draft_saved": _("Draft saved"),
    "document_added": _("Document added"),
    "profile_updated": _("Profile updated"),
    "privacy_accepted": _("Privacy notice accepted"),
    "arco_erasure": _("Personal data erased at the person's request"),
    "scheduled": _("Diagnostic scheduled"),
    "published": _("Results published to the SME"),
    "rescore_requested": _("Scores recalculation requested"),
    "rescore_started": _("Scores recalculation started"),
    "rescore_finished": _("Scores recalculation finished"),
    "new_version": _("New version"),
    "loaded_from_file": _("Loaded from a file"),
    "updated_from_file": _("Updated from a file"),
    "cohort_created": _("Cohort created"),
    "cohort_updated": _("Cohort changed"),
    "cohort_deleted": _("Cohort deleted"),
    "cohort_limits_changed": _("Cohort limits changed"),
    "candidates_built": _("Candidates prepared"),
    "proposal_requested": _("Selection requested"),
    "proposal_infeasible": _("The selection found no possible cohort"),
    "pin_changed": _("Always include or exclude changed"),
    "decision_staged": _("Decision prepared"),
    "decision_unstaged": _("Prepared decision removed"),
    "decisions_staged_from_proposal": _("Decisions prepared from the proposal"),
    "decision": _("Decision confirmed"),
    "anchor_review": _("Anchor review saved"),
    "intervention_created": _("Support added"),
    "intervention_updated": _("Support changed"),
    "intervention_deleted": _("Support removed"),
    "api_token_issued": _("API key issued"),
    "api_token_revoked": _("API key revoked"),
}


def action_label(action: str) -> str:
    return str(ACTIONS.get(action, action.replace("_", " ").capitalize()))


def _state_label(event, value: str) -> str:
    """A state code as its model's label ("anchor_review" -> "En revisión de anclas")."""
    model = event.content_type.model_class() if event.content_type_id else None
    for name in ("status", "verdict"):
        try:
            field = model._meta.get_field(name) if model else None
        except Exception:  # noqa: BLE001 - a model without that field
            field = None
        if field is not None and field.choices:
            labels = {str(k): str(v) for k, v in field.flatchoices}
            if value in labels:
                return labels[value]
    return value.replace("_", " ")


def _value(value) -> str:
    if value is None or value == "":
        return "—"
    if isinstance(value, bool):
        return str(_("yes") if value else _("no"))
    if isinstance(value, list):
        return ", ".join(_value(v) for v in value)
    if isinstance(value, dict):
        return "; ".join(f"{k.replace('_', ' ')}: {_value(v)}" for k, v in value.items())
    return str(value)


def changes_text(changes) -> list[str]:
    """Each changed field as "field: before → after" (or "field: value")."""
    if not isinstance(changes, dict):
        return [_value(changes)] if changes else []
    lines = []
    for field, value in changes.items():
        label = str(field).replace("_", " ")
        if isinstance(value, list) and len(value) == 2:
            lines.append(f"{label}: {_value(value[0])} → {_value(value[1])}")
        else:
            lines.append(f"{label}: {_value(value)}")
    return lines


def describe(event) -> str:
    """One sentence: the action, and for a status change its states in words."""
    text = action_label(event.action)
    if event.from_state or event.to_state:
        before = _state_label(event, event.from_state) if event.from_state else ""
        after = _state_label(event, event.to_state) if event.to_state else ""
        text = f"{text}: {before} → {after}" if before else f"{text}: {after}"
    if event.reason:
        text = f"{text}. {event.reason}"
    return text
