"""The reasons of a rank in the reader's words (``sourcing.matching`` stores them as codes and numbers)."""

from django.utils.translation import gettext as _

from core.templatetags.sdp import number

# Parts of a rank that derive from an SME's finances: shown to program staff only.
FINANCIAL_PARTS = frozenset({"capacity"})


def reason_text(
    reason: dict, certifications: dict[int, str], dimensions: dict[str, str], *, sees_finances: bool = False
) -> str:
    """One reason in the active language; for a reader who may not see the SME's finances (an anchor), the
    capacity reason says only whether its size fits, never the share of its sales."""
    code = reason.get("code")
    if code in FINANCIAL_PARTS and not sees_finances:
        return (
            _("Its size fits the opportunity's value.")
            if reason.get("met")
            else _("The opportunity is large for its size.")
        )
    if code == "area":
        return _("Supplies %(supplied)s of the %(asked)s supply areas asked for.") % reason
    if code == "certification_held":
        return _("Holds %(name)s.") % {"name": certifications.get(reason["certification"], "?")}
    if code == "certification_in_progress":
        return _("Working towards %(name)s in its development plan.") % {
            "name": certifications.get(reason["certification"], "?")
        }
    if code == "certification_missing":
        return _("Does not hold %(name)s.") % {"name": certifications.get(reason["certification"], "?")}
    if code == "maturity_unknown":
        return _("No scored diagnostic yet.")
    if code == "maturity_level":
        return _("Maturity level %(actual)s (minimum %(required)s).") % reason
    if code == "dimension":
        name = dimensions.get(reason["dimension"], reason["dimension"])
        if reason.get("actual") is None:
            return _("%(dimension)s: no complete score (minimum %(required)s).") % {
                "dimension": name,
                "required": number(reason["required"]),
            }
        return _("%(dimension)s: %(actual)s (minimum %(required)s).") % {
            "dimension": name,
            "actual": number(reason["actual"]),
            "required": number(reason["required"]),
        }
    if code == "capacity":
        if reason.get("share") is None:
            return _("Annual sales unknown.")
        return _("The opportunity is %(share)s%% of its annual sales.") % {"share": number(reason["share"])}
    if code == "distance":
        if reason.get("km") is None:
            return _("Distance to the plant unknown.")
        return _("About %(km)s km from the delivery plant.") % {"km": number(reason["km"])}
    if code == "selected_before":
        return _("Selected in a cohort of the program.")
    if code == "purchase_orders_won":
        return _("Already won %(count)s purchase orders through the program.") % reason
    return str(code)
