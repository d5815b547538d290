"""One entry point for the benchmarks at national scale (2-core machine, PostgreSQL).

    export DATABASE_URL=postgres://postgres@127.0.0.1:5432/sdp_bench_i9
    .venv/bin/python bench/run.py seed --size 100000     # manage.py seed_demo, timed (limit 2 minutes)
    .venv/bin/python bench/run.py seed --size 100000 --follow-up-rounds 10
                                                         # and the 2025 cohort's follow-up to 10 closed rounds
                                                         # (outcomes pages at scale; not within the seed limit)
    .venv/bin/python bench/run.py survey                 # every GET page and API endpoint of every role
                                                         # (bench/survey.py, budgets in bench/survey_budgets.py)
    .venv/bin/python bench/run.py api                    # bench/api.py
    .venv/bin/python bench/run.py scoring [--rescore]    # bench/scoring.py (--rescore needs CELERY_BROKER_URL)
    .venv/bin/python bench/run.py reports                # bench/reports.py
    .venv/bin/python bench/run.py selection              # exact selection of 500 from 100,000 (bench/selection.py),
                                                         # and the whole optimizer run on the seeded cohort
    .venv/bin/python bench/run.py sourcing               # rank one opportunity over every SME (bench/sourcing.py)
    .venv/bin/python bench/run.py invitations            # import a list of 100,000 SMEs to invite, then again
                                                         # (bench/invitations.py)
    .venv/bin/python bench/run.py all [--rescore]        # everything but seed; exit 1 if any FAIL

Every line is a figure with the ratio it is judged by and PASS/FAIL against its target.
"""

from __future__ import annotations

import argparse
import subprocess
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from bench.common import ROOT, Verdict, limit_verdict, report, setup_django  # noqa: E402

SELECTION_LIMIT = 10.0
PROPOSE_LIMIT = 3.0  # seconds for the whole optimizer run on the seeded cohort
SEED_LIMIT = 120.0  # seconds for 100,000 SMEs, so that benchmarks run in a developer's loop


def run_seed(size: int, follow_up_rounds: int = 0) -> list[Verdict]:
    start = time.perf_counter()
    command = [sys.executable, "manage.py", "seed_demo", "--size", str(size), "--verbosity", "2"]  # each step timed
    if follow_up_rounds:
        command += ["--follow-up-rounds", str(follow_up_rounds)]
    subprocess.run(command, cwd=ROOT, check=True)
    seconds = time.perf_counter() - start
    # The limit is for 100,000 SMEs; smaller data sets get a proportional share of it (at least 10 s).
    if follow_up_rounds:  # the limit is for the SMEs alone: with the follow-up rounds the time is informative
        return [
            Verdict("seed_demo", f"{seconds:.1f} s with {follow_up_rounds} follow-up rounds (informative)", 0.0, None)
        ]
    return [limit_verdict("seed_demo", seconds, max(10.0, SEED_LIMIT * size / 100_000))]


def run_selection(n: int = 100_000, k: int = 500) -> list[Verdict]:
    """Exact selection of ``k`` from ``n`` on bench/selection.py's generated instance."""
    from bench.selection import make_problem
    from cohorts.selection import solve_exact

    problem = make_problem(n, k)
    result = solve_exact(problem, time_limit=30.0)
    verdict = limit_verdict("selection.exact", result.seconds, SELECTION_LIMIT)
    return [
        Verdict(
            verdict.name,
            f"{verdict.text}  [K={k} of N={n:,}, status {result.status}]",
            verdict.ratio,
            verdict.passed and result.feasible,
        )
    ]


def run_propose() -> list[Verdict]:
    """The optimizer run staff start (``cohort_propose``: the cohort's candidates read, exact and greedy
    solved, each candidate's reason stored) on the seeded cohort with the most eligible candidates, in a
    transaction rolled back afterwards; target: under ``PROPOSE_LIMIT`` seconds, with the cohort proven
    optimal or its gap stated."""
    from django.db import transaction
    from django.db.models import Count, Q

    from cohorts.models import Cohort
    from cohorts.services import cohort_propose
    from cohorts.services.proposal import PROPOSABLE

    cohort = (
        Cohort.objects.filter(status__in=PROPOSABLE)
        .annotate(n=Count("candidates", filter=Q(candidates__is_eligible=True)))
        .order_by("-n", "pk")
        .first()
    )
    if cohort is None or not cohort.n:
        return []
    with transaction.atomic():
        start = time.perf_counter()
        proposal = cohort_propose(cohort=cohort, time_limit=30.0)
        seconds = time.perf_counter() - start
        transaction.set_rollback(True)
    verdict = limit_verdict("selection.propose", seconds, PROPOSE_LIMIT)
    return [
        Verdict(
            verdict.name,
            f"{verdict.text}  [whole optimizer run, {cohort.n:,} eligible candidates, K={cohort.min_size}, "
            f"status {proposal['status']}{_gap_text(proposal)}, rolled back]",
            verdict.ratio,
            verdict.passed and proposal["status"] in ("optimal", "feasible"),
        )
    ]


def _gap_text(proposal: dict) -> str:
    """The optimality gap of a cohort not proven optimal: (solver's bound - objective) / bound."""
    exact = proposal.get("exact") or {}
    if proposal.get("status") != "feasible" or not exact.get("bound"):
        return ""
    bound, objective = float(exact["bound"]), float(exact["objective"])
    return f", optimality gap {(bound - objective) / bound:.4%}" if bound else ""


def run_commit() -> list[Verdict]:
    """Informative: staging every decision from the proposal and committing them (``cohort_stage_from_proposal``
    then ``cohort_commit_decisions``: every candidate decided, audited and told), on the seeded cohort under
    anchor review with the most candidates, in a transaction rolled back afterwards."""
    from django.contrib.auth import get_user_model
    from django.db import transaction
    from django.db.models import Count

    from cohorts.models import Candidate, Cohort
    from cohorts.services import cohort_commit_decisions, cohort_stage_decision, cohort_stage_from_proposal
    from core import notifications

    cohort = (
        Cohort.objects.filter(status=Cohort.Status.ANCHOR_REVIEW)
        .annotate(n=Count("candidates"))
        .order_by("-n", "pk")
        .first()
    )
    actor = get_user_model().objects.filter(is_staff=True).order_by("pk").first()
    if cohort is None or not cohort.n:
        return []
    with transaction.atomic(), notifications.held():
        start = time.perf_counter()
        cohort_stage_from_proposal(cohort=cohort, actor=actor)
        # Candidates an anchor objected to are left to staff: decided here one by one, as staff would.
        for candidate in Candidate.objects.filter(
            cohort=cohort, is_eligible=True, staged_status="", status=Candidate.Status.OBJECTED
        ):
            cohort_stage_decision(
                candidate=candidate,
                actor=actor,
                status=Candidate.Status.NOT_SELECTED,
                reason="El comité revisó la objeción de la empresa ancla.",
            )
        cohort.refresh_from_db()
        counts = cohort_commit_decisions(cohort=cohort, actor=actor, expected_version=cohort.version)
        seconds = time.perf_counter() - start
        transaction.set_rollback(True)
    ratio = seconds / SELECTION_LIMIT
    return [
        Verdict(
            "selection.commit",
            f"{seconds:.3f} s to stage and commit every decision  [{cohort.n:,} candidates, {counts}, "
            f"rolled back]  ratio {ratio:.2f} of the selection limit (informative)",
            ratio,
            None,
        )
    ]


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument(
        "command",
        choices=["seed", "survey", "api", "scoring", "reports", "selection", "sourcing", "invitations", "all"],
    )
    parser.add_argument("--size", type=int, default=100_000, help="seed: number of SMEs")
    parser.add_argument(
        "--follow-up-rounds", type=int, default=0, help="seed: closed follow-up rounds of the 2025 cohort (10)"
    )
    parser.add_argument("--requests", type=int, default=200, help="api: timed requests per endpoint")
    parser.add_argument("--port", type=int, default=8109, help="api: gunicorn port on 127.0.0.1")
    parser.add_argument("--sample", type=int, default=10_000, help="scoring: diagnostics scored for the rate")
    parser.add_argument("--chunk", type=int, default=1000, help="scoring: diagnostics per batch / task")
    parser.add_argument("--rescore", action="store_true", help="scoring: also rescore all with Celery workers")
    parser.add_argument("--workers", type=int, default=2, help="scoring: Celery worker processes")
    parser.add_argument("--rows", type=int, default=100_000, help="invitations: rows of the list imported")
    parser.add_argument("--repeat", type=int, default=None, help="reports: timed renders per page (5); survey: (3)")
    args = parser.parse_args(argv)
    if args.command == "seed":
        return 0 if report(run_seed(args.size, args.follow_up_rounds)) else 1
    setup_django()
    from bench import api, invitations, reports, scoring, sourcing, survey

    if args.command == "survey":
        return 0 if survey.run(args.repeat or 3) else 1

    verdicts: list[Verdict] = []
    if args.command in ("api", "all"):
        verdicts += api.measure(args.requests, args.port)
    if args.command in ("scoring", "all"):
        verdicts += scoring.measure_rate(args.sample, args.chunk)[0]
        if args.rescore:
            verdicts += scoring.rescore_all(args.workers, args.chunk)[0]
    if args.command in ("reports", "all"):
        verdicts += reports.measure(args.repeat or 5)
    if args.command in ("selection", "all"):
        verdicts += run_selection()
        verdicts += run_propose()
        verdicts += run_commit()
    if args.command in ("sourcing", "all"):
        verdicts += sourcing.measure()
    if args.command in ("invitations", "all"):
        verdicts += invitations.measure(args.rows)
    return 0 if report(verdicts) else 1


if __name__ == "__main__":
    sys.exit(main())
