from .roles import ANCHOR_GROUP, PROVIDER_GROUP, SME_GROUP, group_names, is_program_staff


def roles(request):
    """Which role menus the page shows (authorization itself is checked by each view)."""
    user = getattr(request, "user", None)
    if user is None or not user.is_authenticated:
        return {"is_program_staff": False, "is_anchor_reviewer": False, "is_sme_user": False, "is_provider": False}
    groups = group_names(user)
    return {
        "is_program_staff": is_program_staff(user),
        "is_anchor_reviewer": ANCHOR_GROUP in groups,
        "is_sme_user": SME_GROUP in groups,
        "is_provider": PROVIDER_GROUP in groups,
    }
