"""``Diagnostic.is_current_baseline`` follows scoring, reopen, update, delete and a newer baseline."""

import datetime

import pytest

from assessments import services
from assessments.models import Diagnostic
from tests.assessments.conftest import FULL

pytestmark = pytest.mark.django_db


def _current(supplier) -> set[int]:
    return set(Diagnostic.objects.filter(supplier=supplier, is_current_baseline=True).values_list("pk", flat=True))


def _submitted(make_diagnostic, capture, **kwargs) -> Diagnostic:
    with capture(execute=True):  # the scoring task runs on commit
        diagnostic = make_diagnostic(FULL, submit=True, **kwargs)
    diagnostic.refresh_from_db()
    return diagnostic


def test_scoring_flags_the_baseline_and_reopen_clears_it(
    make_diagnostic, supplier, staff_user, django_capture_on_commit_callbacks
):
    scheduled = make_diagnostic()
    assert _current(supplier) == set()
    diagnostic = _submitted(make_diagnostic, django_capture_on_commit_callbacks)
    assert diagnostic.status == Diagnostic.Status.SCORED and diagnostic.is_current_baseline
    assert _current(supplier) == {diagnostic.pk}
    services.diagnostic_reopen(diagnostic=diagnostic, expected_version=diagnostic.version, actor=staff_user)
    assert not diagnostic.is_current_baseline and _current(supplier) == set()
    services.diagnostic_delete(diagnostic=scheduled, actor=staff_user)
    assert _current(supplier) == set()


def test_a_newer_baseline_takes_over_and_rescheduling_moves_it(
    make_diagnostic, supplier, staff_user, django_capture_on_commit_callbacks
):
    older = _submitted(make_diagnostic, django_capture_on_commit_callbacks)
    newer = make_diagnostic(FULL, scheduled_for=datetime.date(2025, 6, 1))  # not a follow-up: no validated baseline
    assert newer.baseline_id is None
    services.diagnostic_submit(diagnostic=newer, expected_version=newer.version, actor=staff_user)
    services.diagnostics_score(diagnostic_ids=[newer.pk])
    assert _current(supplier) == {newer.pk}
    # Rescheduling the newer one before the older one hands the flag back.
    newer.refresh_from_db()
    services.diagnostic_update(
        diagnostic=newer, expected_version=newer.version, actor=staff_user, scheduled_for=datetime.date(2025, 1, 1)
    )
    assert _current(supplier) == {older.pk}


def test_a_follow_up_is_never_the_baseline(make_diagnostic, supplier, staff_user, django_capture_on_commit_callbacks):
    first = _submitted(make_diagnostic, django_capture_on_commit_callbacks)
    services.diagnostic_validate(diagnostic=first, expected_version=first.version, actor=staff_user)
    follow_up = _submitted(make_diagnostic, django_capture_on_commit_callbacks, scheduled_for=datetime.date(2025, 9, 1))
    assert follow_up.baseline_id == first.pk and follow_up.status == Diagnostic.Status.SCORED
    assert _current(supplier) == {first.pk}


def test_refresh_repairs_every_supplier_in_two_updates(
    make_diagnostic, supplier, django_capture_on_commit_callbacks, django_assert_max_num_queries
):
    diagnostic = _submitted(make_diagnostic, django_capture_on_commit_callbacks)
    Diagnostic.objects.update(is_current_baseline=False)
    stale = make_diagnostic()
    Diagnostic.objects.filter(pk=stale.pk).update(is_current_baseline=True)
    with django_assert_max_num_queries(2):
        assert services.refresh_current_baselines(supplier_ids=None) == 2
    assert _current(supplier) == {diagnostic.pk}
    assert services.refresh_current_baselines(supplier_ids=[supplier.pk]) == 0


def test_the_current_diagnostic_is_the_latest_conducted_never_the_latest_scored(
    make_diagnostic, supplier, staff_user, django_capture_on_commit_callbacks
):
    from assessments.selectors import current_diagnostic, current_diagnostics
    from tests.suppliers.factories import SupplierFactory

    older = _submitted(make_diagnostic, django_capture_on_commit_callbacks, scheduled_for=datetime.date(2025, 1, 10))
    newer = _submitted(make_diagnostic, django_capture_on_commit_callbacks, scheduled_for=datetime.date(2025, 6, 1))
    make_diagnostic(FULL, scheduled_for=datetime.date(2025, 9, 1))  # in progress: not scored, never current
    assert current_diagnostic(supplier) == newer
    # A rescore of the older one moves its scored_at past the newer one's: it stays the older one.
    Diagnostic.objects.filter(pk=older.pk).update(scored_at=newer.scored_at + datetime.timedelta(days=30))
    assert current_diagnostic(supplier) == newer
    services.diagnostic_validate(diagnostic=newer, expected_version=newer.version, actor=staff_user)
    follow_up = _submitted(make_diagnostic, django_capture_on_commit_callbacks, scheduled_for=datetime.date(2026, 2, 1))
    assert follow_up.baseline_id == newer.pk
    assert current_diagnostic(supplier) == follow_up  # a re-diagnosed SME: its newest diagnostic
    assert _current(supplier) == {newer.pk}  # while its current baseline stays the newer baseline
    other = SupplierFactory(program=supplier.program)
    assert current_diagnostic(other) is None
    assert {d.supplier_id: d.pk for d in current_diagnostics(supplier_ids=[supplier.pk, other.pk])} == {
        supplier.pk: follow_up.pk
    }
