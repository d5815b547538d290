"""Reports benchmark: the staff report pages over the whole program (100,000 SMEs) and a cohort.

Usage::

    DATABASE_URL=postgres://postgres@127.0.0.1:5432/sdp_bench_i9 .venv/bin/python bench/reports.py --repeat 5

Each page is rendered in-process through the Django test client as a staff user (all of
``reports.selectors.report_summary``, the charts and the template), ``--repeat`` times after one
warm-up, in two ways:

- ``fresh``: the cache emptied before each render, so every figure is computed from the rows, as on the
  first view after a change (``reports.cache``); the median is judged against 1 second;
- ``cached``: the data unchanged since the warm-up, as on every other view: the staff page budget of the
  survey, median <= 300 ms and p95 <= 500 ms;
- ``after <a change>``: one statement committed before each render writes one table, as the changes that arrive
  while staff read do: a supplier row written (``suppliers_supplier``), a registration verified and put back
  (the newest without a diagnostic or a candidacy), a diagnostic scored (``assessments_diagnostic``), a candidate
  decided (``cohorts_candidate``), a confirmed visit (``support_visit``), an invitation moving on
  (``sourcing_invitation``); the sections that read what changed are computed again, the others come from the
  cache (``reports.selectors.report_parts``). Judged like ``cached``.

Queries per render are printed too (counted in a render on one connection; the timed fresh ones read on
``SDP_REPORT_CONNECTIONS`` connections at once).
"""

from __future__ import annotations

import argparse
import sys
from functools import partial
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from bench.common import Verdict, limit_verdict, report, setup_django, time_calls, vacuum_analyze  # noqa: E402

LIMIT_SECONDS = 1.0  # a fresh computation (first view after a change)
CACHED_MEDIAN, CACHED_P95 = 0.3, 0.5  # any other view


def report_paths() -> list[tuple[str, str]]:
    """(name, URL) of the program report and of the largest cohort's report."""
    from django.db.models import Count
    from django.urls import reverse

    from cohorts.models import Cohort
    from programs.models import Program

    program = Program.objects.annotate(n=Count("suppliers")).order_by("-n").first()
    if program is None:
        raise SystemExit("No program: seed the database first (manage.py seed_demo --size 100000).")
    paths = [("reports.program", reverse("reports:program", kwargs={"program_id": program.pk}))]
    cohort = Cohort.objects.filter(program=program).annotate(n=Count("candidates")).order_by("-n", "pk").first()
    if cohort is not None:
        paths.append(("reports.cohort", reverse("reports:cohort", kwargs={"cohort_id": cohort.pk})))
    return paths


def staff_client():
    from django.contrib.auth import get_user_model
    from django.contrib.auth.models import Group
    from django.test import Client

    from core import roles

    user, _ = get_user_model().objects.get_or_create(username="bench-staff", defaults={"is_staff": True})
    user.groups.add(Group.objects.get_or_create(name=roles.STAFF_GROUP)[0])
    from programs.models import Program, ProgramStaff

    for program in Program.objects.all():  # staff of every program: the figures cover all of them
        ProgramStaff.objects.get_or_create(user=user, program=program)
    client = Client(HTTP_HOST="127.0.0.1")
    client.force_login(user)
    return client


# A statement writing one table, as a change of that kind does.
# The newest submitted or verified registration without a diagnostic or a candidacy: moved back and forth.
UNDIAGNOSED = (
    "(SELECT MAX(s.id) FROM suppliers_supplier s WHERE s.status IN ('submitted', 'verified')"
    " AND NOT EXISTS (SELECT 1 FROM assessments_diagnostic d WHERE d.supplier_id = s.id)"
    " AND NOT EXISTS (SELECT 1 FROM cohorts_candidate c WHERE c.supplier_id = s.id))"
)
CHANGES = {
    # a write of a supplier row that changes nothing the reports count (the rows stay as they were)
    "a registration": (
        "UPDATE suppliers_supplier SET updated_at = updated_at WHERE id = (SELECT MAX(id) FROM suppliers_supplier)"
    ),
    "a registration verified": (
        "UPDATE suppliers_supplier SET status = CASE status WHEN 'submitted' THEN 'verified' ELSE 'submitted' END"
        f" WHERE id = {UNDIAGNOSED}"
    ),
    "a diagnostic scored": (
        "UPDATE assessments_diagnostic SET updated_at = updated_at WHERE id = (SELECT MAX(id) FROM"
        " assessments_diagnostic WHERE is_current_baseline)"
    ),
    "a candidate decided": (
        "UPDATE cohorts_candidate SET updated_at = updated_at WHERE id = (SELECT MAX(id) FROM cohorts_candidate)"
    ),
    "a visit": "UPDATE support_visit SET updated_at = updated_at WHERE id = (SELECT MAX(id) FROM support_visit)",
    "an invitation": (
        "UPDATE sourcing_invitation SET updated_at = updated_at WHERE id = (SELECT MAX(id) FROM sourcing_invitation)"
    ),
}


def measure(repeat: int) -> list[Verdict]:
    from django.core.cache import cache
    from django.db import connection, transaction

    vacuum_analyze()
    client = staff_client()
    verdicts = []
    for name, path in report_paths():

        def get(_i, path=path):
            response = client.get(path)
            assert response.status_code == 200, (path, response.status_code)

        executed: list[str] = []

        def count(execute, sql, *args, log=executed):
            log.append(sql)
            return execute(sql, *args)

        # Counted on one connection: inside a transaction report_summary reads serially (core.snapshot),
        # where the timed renders below spread the same queries over SDP_REPORT_CONNECTIONS connections.
        cache.clear()
        with connection.execute_wrapper(count), transaction.atomic():
            get(0)

        def fresh(i, get=get):
            cache.clear()
            get(i)

        timing = time_calls(fresh, repeat, warmup=0)
        verdict = limit_verdict(f"{name} fresh", timing.median, LIMIT_SECONDS)
        verdicts.append(
            Verdict(
                verdict.name,
                f"{verdict.text}  [median of {repeat}, p95 {timing.p95:.3f} s, {len(executed)} queries]",
                verdict.ratio,
                verdict.passed,
            )
        )
        cached_queries: list[str] = []
        get(0)  # computed and cached
        with connection.execute_wrapper(partial(count, log=cached_queries)):
            get(0)
        timing = time_calls(get, repeat, warmup=0)
        passed = timing.median <= CACHED_MEDIAN and timing.p95 <= CACHED_P95
        verdicts.append(
            Verdict(
                f"{name} cached",
                f"{timing.median * 1000:.1f} ms median (<= {CACHED_MEDIAN * 1000:g}), p95 {timing.p95 * 1000:.1f} ms "
                f"(<= {CACHED_P95 * 1000:g}) of {repeat}, {len(cached_queries)} queries",
                timing.median / CACHED_MEDIAN,
                passed,
            )
        )
        for change, sql in CHANGES.items():

            def changed(i, get=get, sql=sql):
                with connection.cursor() as cursor:
                    cursor.execute(sql)  # autocommit: committed before the render
                get(i)

            changed_queries: list[str] = []
            with connection.execute_wrapper(partial(count, log=changed_queries)):
                changed(0)
            timing = time_calls(changed, repeat, warmup=0)
            passed = timing.median <= CACHED_MEDIAN and timing.p95 <= CACHED_P95
            verdicts.append(
                Verdict(
                    f"{name} after {change}",
                    f"{timing.median * 1000:.1f} ms median (<= {CACHED_MEDIAN * 1000:g}), p95 {timing.p95 * 1000:.1f}"
                    f" ms (<= {CACHED_P95 * 1000:g}) of {repeat}, {len(changed_queries)} queries",
                    timing.median / CACHED_MEDIAN,
                    passed,
                )
            )
    return verdicts


def sections(repeat: int) -> None:
    """Print what each report section costs computed from the rows (cold), for the program and the largest cohort,
    one section at a time on one connection (median of ``repeat``), with the queries it reads."""
    from django.db import connection
    from django.db.models import Count

    from cohorts.models import Cohort
    from core.rawsql import planner_settings
    from programs.models import Program
    from reports.selectors import REPORT_PLANNER, SECTIONS, ReportScope

    program = Program.objects.annotate(n=Count("suppliers")).order_by("-n").first()
    cohort = Cohort.objects.filter(program=program).annotate(n=Count("candidates")).order_by("-n", "pk").first()
    scopes = {"program": ReportScope(program=program)}
    if cohort is not None:
        scopes["cohort"] = ReportScope.for_cohort(cohort)
    for label, scope in scopes.items():
        for name, section in SECTIONS.items():
            executed: list[str] = []

            def run(_i, section=section, scope=scope):
                with planner_settings(**REPORT_PLANNER):
                    section.compute(scope)

            with connection.execute_wrapper(
                lambda execute, sql, *a, log=executed: (log.append(sql), execute(sql, *a))[1]
            ):
                run(0)
            timing = time_calls(run, repeat, warmup=0)
            print(
                f"{label:8} {name:16} {timing.median * 1000:8.1f} ms (p95 {timing.p95 * 1000:.1f})  {len(executed)} q"
            )


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--repeat", type=int, default=5, help="timed renders per page (default 5)")
    parser.add_argument(
        "--sections", action="store_true", help="print each section's cost computed from the rows, and stop"
    )
    args = parser.parse_args(argv)
    setup_django()
    if args.sections:
        vacuum_analyze()
        sections(args.repeat)
        return 0
    return 0 if report(measure(args.repeat)) else 1


if __name__ == "__main__":
    sys.exit(main())
