from decimal import Decimal

import pytest
from django.contrib.auth import get_user_model
from django.urls import reverse

from assessments.models import Framework

pytestmark = pytest.mark.django_db


@pytest.fixture
def admin_client(client):
    client.force_login(get_user_model().objects.create_superuser("root", "root@example.mx", "correct-horse-9"))
    return client


def _inline_data(framework, weights):
    data = {
        "code": framework.code,
        "version": framework.version,
        "name_es": framework.name_es,
        "name_en": "",
        "description_es": "",
        "description_en": "",
        "is_published": "on",
        "dimensions-TOTAL_FORMS": len(weights),
        "dimensions-INITIAL_FORMS": len(weights),
        "dimensions-MIN_NUM_FORMS": 0,
        "dimensions-MAX_NUM_FORMS": 1000,
        "bands-TOTAL_FORMS": 0,
        "bands-INITIAL_FORMS": 0,
        "bands-MIN_NUM_FORMS": 0,
        "bands-MAX_NUM_FORMS": 1000,
    }
    bands = list(framework.bands.all())
    data.update({"bands-TOTAL_FORMS": len(bands), "bands-INITIAL_FORMS": len(bands)})
    for i, band in enumerate(bands):
        data.update(
            {
                f"bands-{i}-id": band.pk,
                f"bands-{i}-framework": framework.pk,
                f"bands-{i}-level": band.level,
                f"bands-{i}-name_es": band.name_es,
                f"bands-{i}-name_en": band.name_en,
                f"bands-{i}-min_score": band.min_score,
                f"bands-{i}-max_score": band.max_score,
            }
        )
    for i, (dimension, weight) in enumerate(zip(framework.dimensions.all(), weights, strict=True)):
        data.update(
            {
                f"dimensions-{i}-id": dimension.pk,
                f"dimensions-{i}-framework": framework.pk,
                f"dimensions-{i}-code": dimension.code,
                f"dimensions-{i}-name_es": dimension.name_es,
                f"dimensions-{i}-name_en": dimension.name_en,
                f"dimensions-{i}-description_es": "",
                f"dimensions-{i}-description_en": "",
                f"dimensions-{i}-weight": weight,
                f"dimensions-{i}-order": dimension.order,
            }
        )
    return data


def test_admin_refuses_dimension_weights_not_adding_to_100(admin_client, framework, settings):
    admin_client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"
    url = reverse("admin:assessments_framework_change", args=[framework.pk])
    response = admin_client.post(url, _inline_data(framework, ["40", "35", "30"]))
    assert response.status_code == 200
    assert "must add up to 100" in response.content.decode()
    ok = admin_client.post(url, _inline_data(framework, ["40", "30", "30"]))
    assert ok.status_code == 302
    assert sorted(framework.dimensions.values_list("weight", flat=True)) == [30, 30, 40]


def test_admin_is_read_only_once_used_and_action_copies_a_new_version(admin_client, framework, make_diagnostic):
    make_diagnostic()
    url = reverse("admin:assessments_framework_change", args=[framework.pk])
    page = admin_client.get(url).content.decode()
    assert 'name="name_es"' not in page  # read only
    admin_client.post(url, _inline_data(framework, ["50", "25", "25"]))
    assert sorted(framework.dimensions.values_list("weight", flat=True)) == [25, 35, 40]
    admin_client.post(
        reverse("admin:assessments_framework_changelist"),
        {"action": "make_new_version", "_selected_action": [framework.pk]},
    )
    assert Framework.objects.filter(code=framework.code, version=2, is_published=False).exists()


def test_alignments_are_shown_in_the_admin_but_never_edited(admin_client, make_diagnostic, framework):
    from assessments import services
    from assessments.models import AreaAlignment
    from tests.assessments.conftest import FULL

    diagnostic = services.diagnostic_score(diagnostic=make_diagnostic(FULL, submit=True))
    alignment = AreaAlignment.objects.get(diagnostic=diagnostic)
    url = reverse("admin:assessments_areaalignment_change", args=[alignment.pk])
    page = admin_client.get(url)
    assert page.status_code == 200 and 'name="fit_percent"' not in page.content.decode()
    admin_client.post(
        url,
        {
            "diagnostic": diagnostic.pk,
            "area": alignment.area_id,
            "fit_percent": "99.99",
            "gaps": "[]",
            "missing_certifications": "[]",
        },
    )
    alignment.refresh_from_db()
    assert alignment.fit_percent != Decimal("99.99")
    assert admin_client.get(reverse("admin:assessments_areaalignment_add")).status_code == 403
    assert admin_client.get(reverse("admin:assessments_areaalignment_changelist")).status_code == 200
