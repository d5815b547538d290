"""Scoring benchmark: the batch path vs one SQL aggregate (the floor), and a full rescore by workers.

Usage (against a seeded database, e.g. ``manage.py seed_demo --size 100000``)::

    DATABASE_URL=postgres://postgres@127.0.0.1:5432/sdp_bench_i9 \\
        .venv/bin/python bench/scoring.py --sample 10000 --chunk 1000
    # also rescore everything after a band change with 2 Celery workers (Redis db 9):
    CELERY_BROKER_URL=redis://127.0.0.1:6379/9 DATABASE_URL=... \\
        .venv/bin/python bench/scoring.py --rescore --workers 2

Figures: diagnostics scored per second by ``assessments.services.diagnostics_score`` (on
PostgreSQL its set-based method, ``assessments.services.scoring_sql``: aggregating answers per
dimension, scoring, writing dimension scores, explanations, alignments, diagnostics and audit rows)
next to one SQL aggregate computing the same dimension scores (read only); target:
within 1.5x (``BATCH_TARGET``). The floor's scores are compared with the stored ones, so the two compute the same thing.
Rescore: every scorable diagnostic after a maturity band change, fanned out as tasks of ``--chunk``
diagnostics to ``--workers`` worker processes; target: under 60 s, and afterwards no diagnostic with a
band level other than the band now holding its overall score (only those whose results changed are
written).
"""

from __future__ import annotations

import argparse
import os
import statistics
import subprocess
import sys
import time
from decimal import ROUND_HALF_UP, Decimal
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from bench.common import ROOT, Verdict, limit_verdict, report, setup_django, vacuum_analyze  # noqa: E402

BATCH_TARGET = 1.5  # floor rate / batch rate
SCORABLE = ("submitted", "scored", "validated")
FLOOR_SQL = """
SELECT a.diagnostic_id, q.dimension_id,
       SUM(q.weight * 25.0 * (a.level - 1)) / NULLIF(SUM(CASE WHEN a.level IS NOT NULL THEN q.weight END), 0),
       COUNT(a.level), SUM(CASE WHEN a.not_applicable THEN 1 ELSE 0 END)
FROM assessments_answer a
JOIN assessments_question q ON q.id = a.question_id
WHERE a.diagnostic_id IN (SELECT id FROM assessments_diagnostic WHERE id >= %s AND id <= %s
                          AND status IN ('submitted', 'scored', 'validated'))
GROUP BY a.diagnostic_id, q.dimension_id
"""


def sample_ids(n: int) -> list[int]:
    from assessments.models import Diagnostic

    return list(Diagnostic.objects.filter(status__in=SCORABLE).order_by("pk").values_list("pk", flat=True)[:n])


def batch_seconds(ids: list[int], chunk: int) -> float:
    """Wall time of scoring ``ids`` with the batch path in chunks of ``chunk`` (one transaction each)."""
    from assessments.services import diagnostics_score

    start = time.perf_counter()
    for i in range(0, len(ids), chunk):
        diagnostics_score(diagnostic_ids=ids[i : i + chunk])
    return time.perf_counter() - start


def first_scoring_seconds(ids: list[int], chunk: int) -> float:
    """Wall time of scoring ``ids`` as if for the first time (submitted, nothing stored: every row written),
    in a transaction rolled back afterwards. Informative: the rate above rescores scored diagnostics."""
    from django.db import transaction

    from assessments.models import AreaAlignment, Diagnostic, DimensionScore

    with transaction.atomic():
        Diagnostic.objects.filter(pk__in=ids).update(
            status=Diagnostic.Status.SUBMITTED, scored_at=None, validated_at=None, validated_by=None, published_at=None
        )
        DimensionScore.objects.filter(diagnostic_id__in=ids).delete()
        AreaAlignment.objects.filter(diagnostic_id__in=ids).delete()
        seconds = batch_seconds(ids, chunk)
        transaction.set_rollback(True)
    return seconds


def floor_seconds(ids: list[int]) -> tuple[float, list[tuple]]:
    """Wall time of the single SQL aggregate over the same diagnostics, and its rows."""
    from django.db import connection, transaction

    from assessments.services.scoring_sql import PLANNER_SQL

    with transaction.atomic(), connection.cursor() as cursor:
        cursor.execute(PLANNER_SQL)  # the planner settings the batch statement runs with, for a fair floor
        start = time.perf_counter()
        cursor.execute(FLOOR_SQL, [ids[0], ids[-1]])
        rows = cursor.fetchall()
        seconds = time.perf_counter() - start
    return seconds, rows


def floor_mismatches(rows: list[tuple]) -> int:
    """How many (diagnostic, dimension) scores of the floor differ from the stored DimensionScore rows."""
    from assessments.models import DimensionScore

    diagnostic_ids = {r[0] for r in rows}
    stored = {
        (d, dim): (score, rated, na)
        for d, dim, score, rated, na in DimensionScore.objects.filter(diagnostic_id__in=diagnostic_ids).values_list(
            "diagnostic_id", "dimension_id", "score", "rated_count", "na_count"
        )
    }
    cent = Decimal("0.01")
    bad = 0
    for diagnostic_id, dimension_id, raw, rated, na in rows:
        score = None if raw is None else Decimal(str(raw)).quantize(cent, rounding=ROUND_HALF_UP)
        if stored.get((diagnostic_id, dimension_id)) != (score, rated, na or 0):
            bad += 1
    return bad


def measure_rate(sample: int, chunk: int, repeat: int = 3) -> tuple[list[Verdict], dict]:
    """The median of ``repeat`` runs of each, alternated (the floor is one query of ~1 s: a single run of
    it varied by 25% between runs on a shared machine)."""
    ids = sample_ids(sample)
    if not ids:
        raise SystemExit("No scorable diagnostics: seed the database first (manage.py seed_demo --size 100000).")
    vacuum_analyze()  # the dead rows of an earlier run's first-scoring figure (rolled back) would weigh on this one
    batches, floors = [], []
    for _ in range(max(1, repeat)):
        batches.append(batch_seconds(ids, chunk))
        seconds, rows = floor_seconds(ids)
        floors.append(seconds)
    batch, floor = statistics.median(batches), statistics.median(floors)
    mismatches = floor_mismatches(rows)
    batch_rate, floor_rate = len(ids) / batch, len(ids) / floor
    ratio = floor_rate / batch_rate
    text = (
        f"{batch_rate:,.0f} diagnostics/s vs floor {floor_rate:,.0f}/s  ratio {ratio:.2f}x"
        f" (target <= {BATCH_TARGET:g}x)"
        f"  [{len(ids)} diagnostics, median of {len(batches)}, {mismatches} floor mismatches]"
    )
    verdicts = [Verdict("scoring.batch_rate", text, ratio, ratio <= BATCH_TARGET and mismatches == 0)]
    first_rate = len(ids) / first_scoring_seconds(ids, chunk)
    verdicts.append(
        Verdict(
            "scoring.first_rate",
            f"{first_rate:,.0f} diagnostics/s scoring them for the first time (every row written, rolled back)"
            f"  ratio {floor_rate / first_rate:.2f}x of the floor (informative)",
            floor_rate / first_rate,
            None,
        )
    )
    return verdicts, {
        "batch_rate": batch_rate,
        "floor_rate": floor_rate,
        "first_rate": first_rate,
        "n": len(ids),
        "mismatches": mismatches,
    }


def change_bands() -> None:
    """A band change: move the boundary between levels 2 and 3 by one point (back and forth on reruns)."""
    from assessments.models import Framework, MaturityBand

    for framework in Framework.objects.filter(diagnostics__isnull=False).distinct():
        low = MaturityBand.objects.get(framework=framework, level=2)
        high = MaturityBand.objects.get(framework=framework, level=3)
        step = Decimal(1) if int(low.max_score) % 2 == 0 else Decimal(-1)
        low.max_score = high.min_score = low.max_score + step
        MaturityBand.objects.bulk_update([low, high], ["min_score", "max_score"])


def start_worker(workers: int) -> subprocess.Popen:
    env = {**os.environ, "DJANGO_SETTINGS_MODULE": os.environ.get("DJANGO_SETTINGS_MODULE", "config.settings.local")}
    log = open(ROOT / "var" / "bench-celery-worker.log", "w")  # noqa: SIM115 - lives as long as the worker
    return subprocess.Popen(
        [
            sys.executable,
            "-m",
            "celery",
            "-A",
            "config",
            "worker",
            "-c",
            str(workers),
            "-l",
            "warning",
            "--without-gossip",
            "--without-mingle",
            "--without-heartbeat",
            "-n",
            f"bench-{os.getpid()}@%h",
        ],
        cwd=ROOT,
        env=env,
        stdout=log,
        stderr=subprocess.STDOUT,
    )


def rescore_all(workers: int, chunk: int, timeout: float = 600) -> tuple[list[Verdict], dict]:
    """Change a band, then rescore every scorable diagnostic through ``workers`` Celery processes."""
    from celery import group
    from django.conf import settings
    from django.db.models import Sum

    from assessments.models import Diagnostic
    from assessments.tasks import chunked, score_diagnostics
    from config.celery_app import app

    if not settings.CELERY_BROKER_URL:
        raise SystemExit("Set CELERY_BROKER_URL (e.g. redis://127.0.0.1:6379/9) to rescore with workers.")
    (ROOT / "var").mkdir(exist_ok=True)
    app.control.purge()
    worker = start_worker(workers)
    try:
        app.control.ping(timeout=1)  # let the worker come up before the clock starts
        deadline = time.monotonic() + 60
        while not app.control.ping(timeout=1) and time.monotonic() < deadline:
            time.sleep(0.5)
        ids = list(Diagnostic.objects.filter(status__in=SCORABLE).order_by("pk").values_list("pk", flat=True))
        change_bands()
        versions = Diagnostic.objects.filter(pk__in=ids).aggregate(total=Sum("version"))["total"]
        start = time.perf_counter()
        result = group(score_diagnostics.s(part) for part in chunked(ids, chunk)).apply_async()
        scored = sum(result.get(timeout=timeout))
        seconds = time.perf_counter() - start
    finally:
        worker.terminate()
        worker.wait(timeout=30)
    # Only diagnostics whose results changed are written (their version moves); every one must now
    # hold the band level of its overall score under the new bands.
    fresh = Diagnostic.objects.filter(pk__in=ids).aggregate(total=Sum("version"))["total"] - versions
    stale = stale_band_levels()
    verdict = limit_verdict("scoring.rescore_all", seconds, 60)
    verdict = Verdict(
        verdict.name,
        f"{verdict.text}  [{scored:,} rescored by {workers} workers in chunks of {chunk}, {len(ids):,} scorable, "
        f"{fresh:,} changed and written, {stale:,} with a stale band level, {scored / seconds:,.0f}/s]",
        verdict.ratio,
        verdict.passed and scored == len(ids) and stale == 0 and fresh > 0,
    )
    return [verdict], {"seconds": seconds, "scored": scored, "fresh": fresh, "stale": stale}


def stale_band_levels() -> int:
    """Scored diagnostics whose stored band level is not the band that now holds their overall score."""
    from django.db import connection

    with connection.cursor() as cursor:
        cursor.execute("""
            SELECT COUNT(*) FROM assessments_diagnostic d
            WHERE d.status IN ('scored', 'validated') AND d.overall_score IS NOT NULL
              AND (d.score_details ->> 'band_level')::int IS DISTINCT FROM (
                  SELECT b.level FROM assessments_maturityband b
                  WHERE b.framework_id = d.framework_id
                    AND (d.overall_score >= b.min_score AND d.overall_score < b.max_score
                         OR d.overall_score = b.max_score AND b.max_score = 100)
                  ORDER BY b.level LIMIT 1)
        """)
        return cursor.fetchone()[0]


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--sample", type=int, default=10000, help="diagnostics scored for the rate (default 10000)")
    parser.add_argument("--chunk", type=int, default=1000, help="diagnostics per batch / task (default 1000)")
    parser.add_argument("--repeat", type=int, default=3, help="runs of the batch and of the floor (median; default 3)")
    parser.add_argument("--rescore", action="store_true", help="also rescore all after a band change with workers")
    parser.add_argument("--workers", type=int, default=2, help="Celery worker processes (default 2)")
    args = parser.parse_args(argv)
    setup_django()
    verdicts, _ = measure_rate(args.sample, args.chunk, args.repeat)
    if args.rescore:
        verdicts += rescore_all(args.workers, args.chunk)[0]
    return 0 if report(verdicts) else 1


if __name__ == "__main__":
    sys.exit(main())
