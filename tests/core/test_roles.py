import pytest

from core import roles
from tests.programs.factories import AnchorReviewerFactory

pytestmark = pytest.mark.django_db


def test_a_deactivated_anchor_company_reviews_nothing():
    link = AnchorReviewerFactory()
    assert roles.anchor_of(link.user) == link.anchor
    link.anchor.is_active = False
    link.anchor.save()
    link.user._sdp_groups = None
    assert roles.anchor_of(link.user) is None
