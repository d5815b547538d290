"""Registration figures read from tallies kept in the same transaction as the suppliers they count.

``reports_registrationtally`` (migration ``reports/0012_registration_tallies``) holds, per program, local month
(grain ``m``) and local day (grain ``d``), registration status and breakdown (``all``, ``state``, ``size``,
``sector``), the number of suppliers; statement-level triggers with transition tables on ``suppliers_supplier`` add
each statement's difference in its own transaction (INSERT, UPDATE, DELETE, COPY, TRUNCATE; services, the admin,
bulk paths and raw SQL alike). ``registration_counts`` sums the months the scope's dates cover whole and the days of
the months they cover in part: a few thousand rows at 100,000 SMEs instead of every supplier. It equals
``registered.registration_counts`` (the same figures from the suppliers' rows), which it falls back on when the
reader's time zone is not the one the tallies' dates are in (tests/reports/test_tallies.py).
"""

import datetime
from collections.abc import Hashable

from django.utils import timezone

from . import registered
from .registrations import GEOGRAPHY, geography_query
from .scope import NOT_REGISTERED, ReportScope
from .together import read_together

TALLY_TIME_ZONE = "America/Mexico_City"  # the local dates of the tallies (reports/0012_registration_tallies)

TALLY_SQL = """
SELECT t.dim, t.value, CASE WHEN t.dim = 'all' THEN date_trunc('month', t.period::timestamp)::date END AS month,
       s.region_id AS region, SUM(t.suppliers) AS suppliers,
       SUM(t.suppliers) FILTER (WHERE t.status = 'verified') AS verified
FROM "reports_registrationtally" t
LEFT JOIN "programs_state" s ON s.id = CASE WHEN t.dim = 'state' THEN t.value::bigint END
WHERE t.program_id = %s AND t.status <> ALL(%s) AND ({periods})
GROUP BY 1, 2, 3, 4
HAVING SUM(t.suppliers) <> 0
"""


def _month_start(day: datetime.date) -> datetime.date:
    return day.replace(day=1)


def _next_month(day: datetime.date) -> datetime.date:
    return (day.replace(day=28) + datetime.timedelta(days=4)).replace(day=1)


def periods(first: datetime.date | None, last: datetime.date | None) -> tuple[str, list]:
    """The condition on (grain, period) for the local days ``first``..``last`` (``None``: open): the months
    inside the range whole, the days of the months it cuts."""
    # whole months: whole_from <= month < whole_to
    whole_from = first if first is None or first.day == 1 else _next_month(first)
    if last is None:
        whole_to = None
    elif _next_month(last) - datetime.timedelta(days=1) == last:  # the last day of its month
        whole_to = _next_month(last)
    else:
        whole_to = _month_start(last)
    if whole_from is not None and whole_to is not None and whole_from >= whole_to:  # no whole month inside
        return "t.grain = 'd' AND t.period BETWEEN %s AND %s", [first, last]
    conditions, params = ["t.grain = 'm'"], []
    if whole_from is not None:
        conditions.append("t.period >= %s")
        params.append(whole_from)
    if whole_to is not None:
        conditions.append("t.period < %s")
        params.append(whole_to)
    sql = "(" + " AND ".join(conditions) + ")"
    if first is not None and whole_from is not None and first < whole_from:  # the days before the first whole month
        sql += " OR (t.grain = 'd' AND t.period >= %s AND t.period < %s)"
        params += [first, whole_from]
    if last is not None and whole_to is not None and whole_to <= last:  # the days after the last whole month
        sql += " OR (t.grain = 'd' AND t.period >= %s AND t.period <= %s)"
        params += [whole_to, last]
    return sql, params


def registration_counts(scope: ReportScope) -> dict:
    """``registered.registration_counts(scope)`` from the tallies (see the module)."""
    if timezone.get_current_timezone_name() != TALLY_TIME_ZONE:
        return registered.registration_counts(scope)
    condition, params = periods(*scope.registration_dates())
    geography, geography_params = geography_query().query.sql_with_params()
    rows = read_together(
        {
            "tallies": (
                TALLY_SQL.format(periods=condition),
                [scope.program.pk, [str(s) for s in NOT_REGISTERED], *params],
            ),
            "geography": (geography, geography_params, GEOGRAPHY),
        }
    )  # one statement
    counts: dict[str, dict[Hashable, int]] = {name: {} for name in ("month", "state", "region", "size", "sector")}
    registered_total = verified = 0
    for row in rows["tallies"]:
        dim, value, count = row["dim"], row["value"], row["suppliers"]
        if dim == "all":
            month = datetime.date.fromisoformat(row["month"])
            counts["month"][month] = counts["month"].get(month, 0) + count
            registered_total += count
            verified += row["verified"] or 0
        elif dim == "state":
            counts["state"][int(value)] = count
            counts["region"][row["region"]] = counts["region"].get(row["region"], 0) + count
        else:
            counts[dim][value] = count
    return registered.registration_rows(counts, registered_total, verified, rows["geography"])
