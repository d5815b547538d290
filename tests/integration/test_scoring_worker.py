"""A submitted diagnostic is scored by the real worker (Redis broker, PostgreSQL)."""

import datetime

import pytest
from django.db import transaction

from assessments import services
from assessments.models import Diagnostic, DimensionScore
from tests.assessments.conftest import FULL, levels_for
from tests.assessments.factories import build_framework
from tests.conftest import wait_for
from tests.programs.factories import UserFactory
from tests.suppliers.factories import SupplierFactory

pytestmark = [pytest.mark.integration, pytest.mark.django_db(transaction=True)]


def test_submitted_diagnostic_is_scored_by_the_worker(celery_worker):
    staff = UserFactory(staff=True)
    framework = build_framework()
    supplier = SupplierFactory()
    diagnostic = services.diagnostic_schedule(
        supplier=supplier, framework=framework, actor=staff, scheduled_for=datetime.date(2025, 5, 1)
    )
    services.diagnostic_answers_save(
        diagnostic=diagnostic, answers=levels_for(framework, FULL), expected_version=diagnostic.version, actor=staff
    )
    diagnostic.refresh_from_db()
    with transaction.atomic():
        services.diagnostic_submit(diagnostic=diagnostic, expected_version=diagnostic.version, actor=staff)
    scored = wait_for(lambda: Diagnostic.objects.filter(pk=diagnostic.pk, status="scored").exists())
    assert scored, Diagnostic.objects.get(pk=diagnostic.pk).status
    diagnostic.refresh_from_db()
    assert str(diagnostic.overall_score) == "53.75" and diagnostic.maturity_level == 3
    assert DimensionScore.objects.filter(diagnostic=diagnostic).count() == 3
