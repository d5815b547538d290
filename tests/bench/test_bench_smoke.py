"""The benchmark functions run on a tiny data set, so that bench/ cannot rot (no timing asserted)."""

import pytest
from django.core.management import call_command

from assessments.models import DimensionScore
from bench import api, invitations, reports, run, scoring

pytestmark = pytest.mark.django_db


@pytest.fixture
def seeded(settings):
    call_command("seed_demo", size=40, stdout=None)


def test_scoring_batch_matches_the_sql_floor(seeded):
    from assessments.models import Diagnostic

    before = list(Diagnostic.objects.order_by("pk").values_list("pk", "status", "version", "scored_at"))
    verdicts, figures = scoring.measure_rate(sample=20, chunk=7)
    assert figures["n"] == 20 and figures["mismatches"] == 0
    assert DimensionScore.objects.filter(diagnostic_id__in=scoring.sample_ids(20)).count() == 20 * 9
    assert verdicts[0].name == "scoring.batch_rate" and "x (target <= 1.5x)" in verdicts[0].text
    # The first-scoring figure is informative and leaves the database as it was (rolled back).
    assert verdicts[1].name == "scoring.first_rate" and verdicts[1].passed is None
    assert verdicts[1].line().endswith("info") and figures["first_rate"] > 0
    assert list(Diagnostic.objects.order_by("pk").values_list("pk", "status", "version", "scored_at")) == before


def test_band_change_moves_one_boundary_and_keeps_bands_contiguous(seeded):
    from assessments.models import MaturityBand

    before = dict(MaturityBand.objects.values_list("level", "max_score"))
    scoring.change_bands()
    bands = {b.level: b for b in MaturityBand.objects.all()}
    assert bands[2].max_score != before[2] and bands[2].max_score == bands[3].min_score


def test_reports_pages_render(seeded):
    verdicts = reports.measure(repeat=1)
    assert [v.name for v in verdicts] == [
        f"reports.{page} {view}"
        for page in ("program", "cohort")
        for view in ("fresh", "cached", *(f"after {change}" for change in reports.CHANGES))
    ]
    assert list(reports.CHANGES) == [
        "a registration",
        "a registration verified",
        "a diagnostic scored",
        "a candidate decided",
        "a visit",
        "an invitation",
    ]
    assert all("vs limit 1 s" in v.text for v in verdicts if v.name.endswith("fresh"))
    assert all("median" in v.text and v.passed is not None for v in verdicts)


def test_api_floor_reads_the_same_rows_as_the_api_with_constant_queries(seeded):
    from django.test import Client

    token = api.staff_token()
    ids = api.diagnostic_ids(5)
    counts = api.queries_per_request(token, ids[0])
    assert counts["list"][0] == counts["list"][1] and counts["detail"][0] == counts["detail"][1]
    import json

    client = Client(HTTP_AUTHORIZATION=f"Token {token}")
    served = client.get(api.list_path(10)).json()["results"]
    floor = json.loads(api.floor_list(10))["results"]
    assert [row["id"] for row in served] == [row["id"] for row in floor]
    assert sorted(served[0]) == sorted(floor[0])
    detail = client.get(f"/api/v1/diagnostics/{ids[0]}/").json()
    assert sorted(detail) == sorted(json.loads(api.floor_detail(ids[0])))


def test_the_invitation_import_is_timed_imported_twice_and_rolled_back(seeded):
    from core.models import OutboundMessage
    from suppliers.models import InvitationImport, RegistrationInvitation

    before = (OutboundMessage.objects.count(), InvitationImport.objects.count(), RegistrationInvitation.objects.count())
    imported, again = invitations.measure(rows=600)
    assert imported.name == "invitations.import" and imported.passed, imported.text
    assert "600 rows" in imported.text and "already registered" in imported.text
    assert again.name == "invitations.reimport" and again.passed and "unchanged" in again.text, again.text
    after = (OutboundMessage.objects.count(), InvitationImport.objects.count(), RegistrationInvitation.objects.count())
    assert after == before  # rolled back


def test_the_generated_list_has_problems_and_repeated_rfcs():
    data, bad = invitations.make_csv(2000, ["MAB9307148T4"])
    lines = data.decode().splitlines()
    assert lines[0] == "RFC,Razón social,Correo electrónico,Estado" and len(lines) == 2001
    assert 40 <= bad <= 160 and lines[51].startswith("MAB9307148T4,")


def test_selection_runner_prints_a_verdict():
    verdict = run.run_selection(n=300, k=55)[0]
    assert verdict.name == "selection.exact" and "status" in verdict.text


def test_the_whole_optimizer_run_is_timed_and_rolled_back(seeded):
    from cohorts.models import Candidate, Cohort

    def candidates():
        return list(Candidate.objects.order_by("pk").values_list("pk", "in_proposal", "proposal_reason", "version"))

    before = candidates()
    proposals = dict(Cohort.objects.values_list("pk", "proposal"))
    verdicts = run.run_propose()
    assert [v.name for v in verdicts] == ["selection.propose"] and verdicts[0].passed is not None  # judged
    assert "eligible candidates" in verdicts[0].text and "limit 3 s" in verdicts[0].text
    assert candidates() == before
    assert dict(Cohort.objects.values_list("pk", "proposal")) == proposals


def test_committing_every_decision_is_timed_and_rolled_back(seeded):
    import datetime

    from django.contrib.auth import get_user_model
    from django.utils import timezone

    from cohorts import services
    from cohorts.models import Candidate, Cohort
    from core.models import OutboundMessage

    # 40 SMEs are too few for the demo's cohort sizes: a small cohort is taken to its anchor review.
    staff = get_user_model().objects.get(username="staff")
    cohort = Cohort.objects.filter(name="Cohorte 2026").order_by("pk").first()
    Cohort.objects.filter(pk=cohort.pk).update(min_size=3, max_size=5, growth_floor=0)
    cohort.refresh_from_db()
    services.cohort_build_candidates(cohort=cohort, actor=staff)
    services.cohort_propose(cohort=cohort, actor=staff, time_limit=10)
    services.cohort_open_review(cohort=cohort, deadline=timezone.now() + datetime.timedelta(days=5), actor=staff)
    # An anchor's objection leaves its candidate to staff (as in the demo): the benchmark decides it too.
    objected = Candidate.objects.filter(cohort=cohort, is_eligible=True).order_by("pk").first()
    Candidate.objects.filter(pk=objected.pk).update(status=Candidate.Status.OBJECTED)

    def state():
        return (
            list(Candidate.objects.order_by("pk").values_list("pk", "status", "staged_status", "version")),
            list(Cohort.objects.order_by("pk").values_list("pk", "status", "version")),
            OutboundMessage.objects.count(),
        )

    before = state()
    verdicts = run.run_commit()
    assert [v.name for v in verdicts] == ["selection.commit"] and verdicts[0].passed is None
    assert "'selected': " in verdicts[0].text and f"{cohort.candidates.count():,} candidates" in verdicts[0].text
    assert state() == before


def test_interleaved_timing_takes_the_calls_in_turn():
    from bench.common import time_interleaved

    order = []
    a, b = time_interleaved([lambda i: order.append(("a", i)), lambda i: order.append(("b", i))], 3, warmup=1)
    assert order == [("a", 0), ("b", 0), ("a", 0), ("b", 0), ("a", 1), ("b", 1), ("a", 2), ("b", 2)]
    assert len(a.latencies) == len(b.latencies) == 3 and a.wall == sum(a.latencies)
