"""The SME navigation's program switcher: the account's participations, read only when a page shows them."""

from django.utils.functional import SimpleLazyObject

from .selectors import participations_for_user, supplier_for_user


def participations(request) -> dict:
    user = getattr(request, "user", None)

    def switcher() -> dict:
        rows = participations_for_user(user)
        if len(rows) < 2:
            return {"participations": [], "current": None}
        current = supplier_for_user(user)
        return {"participations": rows, "current": current.pk if current else None}

    return {"sme_switcher": SimpleLazyObject(switcher)}
