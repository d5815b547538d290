"""Report queries over suppliers, computed in the database."""

from django.db.models import Count, QuerySet

from programs.selectors import scoped
from suppliers.models import Supplier


def supplier_summary(*, user, program_id: int | None = None) -> dict:
    """Supplier counts in total and by status, state and size (one GROUP BY each), over the programs
    ``user`` sees."""
    queryset: QuerySet = scoped(Supplier.objects.all(), user)
    if program_id is not None:
        queryset = queryset.filter(program_id=program_id)
    by = lambda *fields: list(queryset.values(*fields).annotate(count=Count("id")).order_by(*fields))  # noqa: E731
    return {
        "total": queryset.count(),
        "by_status": by("status"),
        "by_state": [
            {"state": row["state__code"], "name": row["state__name"], "count": row["count"]}
            for row in by("state__code", "state__name")
        ],
        "by_size": by("size"),
    }
