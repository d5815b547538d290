"""Reports benchmark: the staff report pages over the whole program (100,000 SMEs) and a cohort.

Usage::

    DATABASE_URL=postgres://postgres@127.0.0.1:5432/sdp_bench_i9 .venv/bin/python bench/reports.py --repeat 5

Each page is rendered in-process through the Django test client as a staff user (all of
``reports.selectors.report_summary``, the charts and the template), ``--repeat`` times after one
warm-up; the median is judged against 1 second. Queries per render are printed too (counted in a
render on one connection; the timed ones read on ``SDP_REPORT_CONNECTIONS`` connections at once).
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from bench.common import Verdict, limit_verdict, report, setup_django, time_calls, vacuum_analyze  # noqa: E402

LIMIT_SECONDS = 1.0


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
    client = Client(HTTP_HOST="127.0.0.1")
    client.force_login(user)
    return client


def measure(repeat: int) -> list[Verdict]:
    from django.db import connection, transaction

    vacuum_analyze()
    client = staff_client()
    verdicts = []
    for name, path in report_paths():

        def get(_i, path=path):
            response = client.get(path)
            assert response.status_code == 200, (path, response.status_code)

        executed = []

        def count(execute, sql, *args, log=executed):
            log.append(sql)
            return execute(sql, *args)

        # Counted on one connection: inside a transaction report_summary reads serially (core.snapshot),
        # where the timed renders below spread the same queries over SDP_REPORT_CONNECTIONS connections.
        with connection.execute_wrapper(count), transaction.atomic():
            get(0)
        timing = time_calls(get, repeat, warmup=0)
        verdict = limit_verdict(name, timing.median, LIMIT_SECONDS)
        verdicts.append(
            Verdict(
                name,
                f"{verdict.text}  [median of {repeat}, p95 {timing.p95:.3f} s, {len(executed)} queries]",
                verdict.ratio,
                verdict.passed,
            )
        )
    return verdicts


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--repeat", type=int, default=5, help="timed renders per page (default 5)")
    args = parser.parse_args(argv)
    setup_django()
    return 0 if report(measure(args.repeat)) else 1


if __name__ == "__main__":
    sys.exit(main())
