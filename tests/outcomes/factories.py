"""A cohort with selected SMEs, a comparison group (waitlisted and just below the line) and staff."""

from decimal import Decimal

from cohorts.models import Candidate
from tests.cohorts.factories import CandidateFactory, CohortFactory
from tests.programs.factories import AnchorCompanyFactory, ProgramFactory, UserFactory
from tests.suppliers.factories import ContactFactory, SupplierFactory


class OutcomesWorld:
    """``selected`` SMEs (growth index 70 and up), ``waitlisted`` ones (60-69), two not selected just below the
    line (within the band) and one far below (not in the comparison group). Every SME has a contact with an
    account."""

    def __init__(self, *, selected=3, waitlisted=2):
        self.program = ProgramFactory()
        self.cohort = CohortFactory(program=self.program, year=2025, status="approved")
        self.staff = UserFactory(username="coordinacion", staff=True)
        self.anchor = AnchorCompanyFactory(
            program=self.program, name=f"Ancla {CohortFactory._meta.model.objects.count()}"
        )
        self.candidates = {"selected": [], "waitlisted": [], "near": [], "far": []}
        for i in range(selected):
            self._add("selected", Candidate.Status.SELECTED, Decimal(70 + i))
        for i in range(waitlisted):
            self._add("waitlisted", Candidate.Status.WAITLISTED, Decimal(60 + i))
        self._add("near", Candidate.Status.NOT_SELECTED, Decimal("62"))
        self._add("near", Candidate.Status.NOT_SELECTED, Decimal("56"))
        self._add("far", Candidate.Status.NOT_SELECTED, Decimal("20"))
        self.sme = self.candidates["selected"][0].supplier
        self.sme_user = self.sme.contacts.get().user

    def _add(self, kind, status, index):
        supplier = SupplierFactory(program=self.program)
        ContactFactory(supplier=supplier, with_user=True, is_primary=True)
        self.candidates[kind].append(
            CandidateFactory(cohort=self.cohort, supplier=supplier, status=status, growth_index=index)
        )

    def suppliers(self, kind):
        return [c.supplier for c in self.candidates[kind]]
