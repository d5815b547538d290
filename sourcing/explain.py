"""The reasons of a rank in the reader's words (``sourcing.matching`` stores them as codes and numbers)."""

from django.utils.translation import gettext as _

from core.templatetags.sdp import number


def reason_text(reason: dict, certifications: dict[int, str], dimensions: dict[str, str]) -> str:
    code = reason.get("code")
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
