"""Shared helpers of the benchmark commands: Django setup, timing, percentiles and verdicts.

Every figure is printed with the ratio it is judged by and PASS/FAIL against its target, e.g.::

    api.supplier_list  median 12.1 ms  floor 5.3 ms  ratio 2.28x  (target <= 3x)  PASS
"""

from __future__ import annotations

import os
import statistics
import sys
import time
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent


def setup_django(settings: str = "config.settings.local") -> None:
    """Make the project importable and configure Django (idempotent)."""
    if str(ROOT) not in sys.path:
        sys.path.insert(0, str(ROOT))
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", settings)
    os.environ.setdefault("DJANGO_DEBUG", "false")  # figures without the debug query log and toolbar
    import django

    django.setup()
    from django.core.signals import request_finished, request_started
    from django.db import close_old_connections

    # In-process requests (test client) keep one connection, as Django's test runner does, so that
    # CaptureQueriesContext sees every query of a request.
    request_started.disconnect(close_old_connections)
    request_finished.disconnect(close_old_connections)


def percentile(values: list[float], p: float) -> float:
    """The p-th percentile (0-100) by linear interpolation between closest ranks."""
    ordered = sorted(values)
    if not ordered:
        raise ValueError("No values.")
    rank = (len(ordered) - 1) * p / 100
    low = int(rank)
    high = min(low + 1, len(ordered) - 1)
    return ordered[low] + (ordered[high] - ordered[low]) * (rank - low)


@dataclass(frozen=True)
class Timing:
    """Latencies (seconds) of repeated calls and the wall time of the loop."""

    latencies: list[float]
    wall: float

    @property
    def median(self) -> float:
        return statistics.median(self.latencies)

    @property
    def p95(self) -> float:
        return percentile(self.latencies, 95)

    @property
    def per_second(self) -> float:
        return len(self.latencies) / self.wall if self.wall else float("inf")


def time_calls(call: Callable[[int], object], n: int, warmup: int = 3) -> Timing:
    """Call ``call(i)`` ``warmup`` times untimed, then ``n`` times timed (a bounded loop)."""
    for i in range(warmup):
        call(i)
    latencies = []
    start = time.perf_counter()
    for i in range(n):
        t0 = time.perf_counter()
        call(i)
        latencies.append(time.perf_counter() - t0)
    return Timing(latencies, time.perf_counter() - start)


def time_interleaved(calls: list[Callable[[int], object]], n: int, warmup: int = 3) -> list[Timing]:
    """Like ``time_calls`` for several calls taken in turn (``a(0), b(0), a(1), b(1), ...``): each is
    timed under the same conditions as the others, so that their ratio does not depend on what else
    the machine did while one of them ran alone (on a shared 2-core machine the same endpoint's median
    moved by 30-50% between runs minutes apart). The wall time of each is the sum of its latencies."""
    for i in range(warmup):
        for call in calls:
            call(i)
    latencies: list[list[float]] = [[] for _ in calls]
    for i in range(n):
        for call, timed in zip(calls, latencies, strict=True):
            t0 = time.perf_counter()
            call(i)
            timed.append(time.perf_counter() - t0)
    return [Timing(timed, sum(timed)) for timed in latencies]


@dataclass(frozen=True)
class Verdict:
    name: str
    text: str
    ratio: float | None
    passed: bool | None  # None: informative, judged by no target

    def line(self) -> str:
        return f"{self.name:<28} {self.text}  {'info' if self.passed is None else 'PASS' if self.passed else 'FAIL'}"


def ratio_verdict(name: str, measured: float, floor: float, target: float, unit: str = "ms") -> Verdict:
    """Lower is better: ``measured / floor <= target``."""
    ratio = measured / floor if floor else float("inf")
    scale = 1000 if unit == "ms" else 1
    text = (
        f"{measured * scale:.1f} {unit} vs floor {floor * scale:.1f} {unit}  ratio {ratio:.2f}x (target <= {target:g}x)"
    )
    return Verdict(name, text, ratio, ratio <= target)


def limit_verdict(name: str, measured: float, limit: float, unit: str = "s") -> Verdict:
    """Lower is better: ``measured <= limit``; the ratio printed is measured / limit."""
    ratio = measured / limit
    text = f"{measured:.3f} {unit} vs limit {limit:g} {unit}  ratio {ratio:.2f} (target <= 1)"
    return Verdict(name, text, ratio, measured <= limit)


def report(verdicts: list[Verdict], out=None) -> bool:
    out = out or sys.stdout
    for verdict in verdicts:
        print(verdict.line(), file=out)
    return all(v.passed is not False for v in verdicts)


def vacuum_analyze() -> None:
    """``VACUUM ANALYZE`` before measuring, so that the figures do not depend on how far
    autovacuum has come after the bulk writes of seeding and rescoring (dead rows, stale statistics)."""
    from django.db import connection

    if not connection.in_atomic_block:
        with connection.cursor() as cursor:
            cursor.execute("VACUUM ANALYZE")
