"""Reads for the registration portal, the SME account and the staff pages."""
from django.db.models import Prefetch, QuerySet

from core import audit
from programs.models import Candidate, Program

from .models import Contact, Supplier

DECIDED_CANDIDATE_STATUSES = (Candidate.Status.SELECTED, Candidate.Status.WAITLISTED, Candidate.Status.NOT_SELECTED)


def open_program() -> Program | None:
    """The program currently taking registrations (the most recent one)."""
    return Program.objects.filter(registration_open=True).order_by("-start_date", "-pk").first()


def supplier_for_user(user) -> Supplier | None:
    if not getattr(user, "is_authenticated", False):
        return None
    contact = Contact.objects.select_related("supplier__program", "supplier__state").filter(user=user).first()
    return contact.supplier if contact else None


def registration_list() -> QuerySet[Supplier]:
    return (Supplier.objects.select_related("state", "program", "duplicate_of")
            .prefetch_related(Prefetch("contacts", queryset=Contact.objects.filter(is_primary=True),
                                       to_attr="primary_contacts"))
            .order_by("-submitted_at", "-created_at", "-pk"))


def registration_detail(pk: int) -> Supplier:
    return (Supplier.objects.select_related("state", "program", "duplicate_of")
            .prefetch_related("contacts", "documents", "certifications__standard", "annual_figures",
                              "supply_areas", "anchor_customers", "duplicates")
            .get(pk=pk))


def status_timeline(supplier: Supplier):
    """State changes of the registration, oldest first."""
    return list(audit.history(supplier).filter(action__in=["registered", "transition"]).order_by("created_at", "pk"))


def published_diagnostics(supplier: Supplier):
    from assessments.models import Diagnostic

    return list(Diagnostic.objects.filter(supplier=supplier, published_at__isnull=False)
                .select_related("framework")
                .prefetch_related("dimension_scores__dimension")
                .order_by("-published_at"))


def cohort_decisions(supplier: Supplier):
    return list(Candidate.objects.filter(supplier=supplier, status__in=DECIDED_CANDIDATE_STATUSES)
                .select_related("cohort").order_by("-decided_at", "-pk"))
