from django.utils.functional import SimpleLazyObject

from .selectors import partners_for


def partners(request):
    """``program_partners``: the partners of the programs the page's user takes part in (the open program's
    for anyone else), read once per request and only when a template shows them."""

    def read():
        cached = getattr(request, "_sdp_partners", None)
        if cached is None:
            cached = request._sdp_partners = partners_for(getattr(request, "user", None))
        return cached

    return {"program_partners": SimpleLazyObject(read)}
