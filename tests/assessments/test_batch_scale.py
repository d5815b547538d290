"""Batch scoring at scale: alignments only with the areas an SME wants to supply; rescoring fans out."""

import pytest

from assessments import services, tasks
from assessments.models import AreaAlignment, Diagnostic, DimensionScore
from core.models import AuditEvent
from tests.assessments.conftest import FULL
from tests.programs.factories import CriticalSupplyAreaFactory

pytestmark = pytest.mark.django_db


def test_alignments_only_with_the_supply_areas_the_sme_wants(
    make_diagnostic, area, supplier, django_capture_on_commit_callbacks
):
    other = CriticalSupplyAreaFactory(program=area.program, code="PAINT")
    with django_capture_on_commit_callbacks(execute=True):
        diagnostic = make_diagnostic(FULL, submit=True)
    assert list(AreaAlignment.objects.filter(diagnostic=diagnostic).values_list("area_id", flat=True)) == [area.pk]
    supplier.supply_areas.add(other)
    services.diagnostics_score(diagnostic_ids=[diagnostic.pk])
    assert set(AreaAlignment.objects.filter(diagnostic=diagnostic).values_list("area_id", flat=True)) == {
        area.pk,
        other.pk,
    }


def test_submitted_to_scored_is_audited_once_per_diagnostic_in_bulk(
    make_diagnostic, staff_user, django_capture_on_commit_callbacks, django_assert_max_num_queries
):
    with django_capture_on_commit_callbacks(execute=False):
        ids = [make_diagnostic(FULL, submit=True).pk for _ in range(5)]
    with django_assert_max_num_queries(25):  # the same for 5 or 5,000 (see test_services)
        assert services.diagnostics_score(diagnostic_ids=ids, actor=staff_user) == ids
    assert set(Diagnostic.objects.filter(pk__in=ids).values_list("status", flat=True)) == {"scored"}
    events = AuditEvent.objects.filter(object_id__in=[str(i) for i in ids], to_state="scored")
    assert events.count() == 5 and set(events.values_list("actor", flat=True)) == {staff_user.pk}


def test_rescore_framework_fans_out_one_task_per_chunk(
    make_diagnostic, framework, django_capture_on_commit_callbacks, monkeypatch
):
    with django_capture_on_commit_callbacks(execute=True):
        ids = [make_diagnostic(FULL, submit=True).pk for _ in range(5)]
    chunks = []
    real = tasks.diagnostics_score

    def spy(*, diagnostic_ids, actor=None):
        chunks.append(list(diagnostic_ids))
        return real(diagnostic_ids=diagnostic_ids, actor=actor)

    monkeypatch.setattr(tasks, "diagnostics_score", spy)
    DimensionScore.objects.filter(diagnostic_id__in=ids).delete()
    with django_capture_on_commit_callbacks(execute=True):
        assert tasks.rescore_framework(framework.pk, chunk=2) == 5
    assert chunks == [ids[0:2], ids[2:4], ids[4:5]]
    assert DimensionScore.objects.filter(diagnostic_id__in=ids).count() == 5 * 3
