"""Role permissions over candidates: an anchor reviewer reads the proposed candidates of a cohort under its
review whose supplier serves an area its company demands; SME users and the anchor's writes are refused
(core.permissions.RolePermission)."""

import pytest
from rest_framework.test import APIRequestFactory

from cohorts.api.permissions import IsStaffOrAnchorCandidate
from cohorts.models import AnchorReview
from suppliers.api.permissions import IsStaffOrOwnSupplier, IsStaffOrOwnSupplierReadOnly
from tests.cohorts.factories import CandidateFactory
from tests.programs.factories import CriticalSupplyAreaFactory, UserFactory

pytestmark = pytest.mark.django_db


def _request(user, method="get"):
    request = getattr(APIRequestFactory(), method)("/")
    request.user = user
    return request


@pytest.fixture
def candidates(anchor_reviewer):
    anchor = anchor_reviewer.anchor
    demanded = CriticalSupplyAreaFactory(program=anchor.program)
    demanded.anchors.add(anchor)
    other = CriticalSupplyAreaFactory(program=anchor.program)
    served, not_served = (
        CandidateFactory(cohort__program=anchor.program, cohort__status="anchor_review", in_proposal=True)
        for _ in range(2)
    )
    served.supplier.supply_areas.add(demanded)
    not_served.supplier.supply_areas.add(other)
    return served, not_served


def test_an_anchor_reads_the_candidates_of_the_areas_its_company_demands(anchor_reviewer, candidates):
    served, not_served = candidates
    permission, request = IsStaffOrAnchorCandidate(), _request(anchor_reviewer.user)
    assert permission.has_permission(request, None)
    assert permission.has_object_permission(request, None, served)
    assert not permission.has_object_permission(request, None, not_served)
    review = AnchorReview(candidate=served, anchor=anchor_reviewer.anchor, verdict="endorse")
    assert permission.has_object_permission(request, None, review)  # an object with a candidate
    assert not permission.has_permission(_request(anchor_reviewer.user, "post"), None)


def test_staff_read_every_candidate_and_sme_users_none(candidates, staff_user, sme_contact):
    served, not_served = candidates
    permission = IsStaffOrAnchorCandidate()
    assert permission.has_object_permission(_request(staff_user), None, not_served)
    assert not permission.has_permission(_request(sme_contact.user), None)
    assert not permission.has_permission(_request(UserFactory()), None)


def test_an_sme_user_reaches_its_own_supplier_only(sme_contact, candidates):
    own, other = sme_contact.supplier, candidates[0].supplier
    request = _request(sme_contact.user)
    for permission in (IsStaffOrOwnSupplier(), IsStaffOrOwnSupplierReadOnly()):
        assert permission.has_object_permission(request, None, own)
        assert permission.has_object_permission(request, None, sme_contact)  # belongs to it (supplier_id)
        assert not permission.has_object_permission(request, None, other)
    assert IsStaffOrOwnSupplier().has_permission(_request(sme_contact.user, "patch"), None)
    assert not IsStaffOrOwnSupplierReadOnly().has_permission(_request(sme_contact.user, "patch"), None)
