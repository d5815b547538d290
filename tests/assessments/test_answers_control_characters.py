"""Diagnostic answers refuse control characters in their free text (API and pages share the service check)."""

import pytest
from rest_framework.test import APIClient

from assessments.models import Question

pytestmark = pytest.mark.django_db


@pytest.fixture
def api(staff_user):
    client = APIClient()
    client.force_authenticate(staff_user)
    return client


def test_diagnostic_answers_refuse_control_characters(api, make_diagnostic):
    diagnostic = make_diagnostic()
    question = Question.objects.filter(dimension__framework=diagnostic.framework).first()
    response = api.post(
        f"/api/v1/diagnostics/{diagnostic.pk}/answers/",
        {"version": diagnostic.version, "answers": [{"question": question.pk, "level": 3, "evidence": "PPAP\x00"}]},
        format="json",
    )
    assert response.status_code == 400
    assert not diagnostic.answers.exists()
