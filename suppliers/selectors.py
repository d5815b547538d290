"""Reads for the registration portal, the SME account and the staff pages."""

from django.db.models import F, Func, JSONField, Prefetch, QuerySet, Value

from core import audit
from programs.selectors import open_program as open_program  # the registration pages read it from here
from programs.selectors import scoped

from .models import Contact, InvitationImport, RegistrationInvitation, Supplier


def invitation_for(user) -> RegistrationInvitation | None:
    """The newest invitation to register (an imported member list) sent to the user's email by a program
    taking registrations."""
    email = getattr(user, "email", "") or ""
    if not email:
        return None
    return (
        RegistrationInvitation.objects.filter(email__iexact=email, program__registration_open=True)
        .select_related("program", "state")
        .order_by("-program__start_date", "-program_id")
        .first()
    )


def supplier_for_user(user) -> Supplier | None:
    if not getattr(user, "is_authenticated", False):
        return None
    contact = Contact.objects.select_related("supplier__program", "supplier__state").filter(user=user).first()
    return contact.supplier if contact else None


def supplier_and_contacts_for_user(user) -> tuple[Supplier | None, list[Contact]]:
    """The user's supplier and all its contacts, read together (the SME's data export lists them)."""
    if not getattr(user, "is_authenticated", False):
        return None, []
    contacts = list(
        Contact.objects.select_related("supplier__program", "supplier__state").filter(
            supplier__in=Contact.objects.filter(user=user).values("supplier")
        )
    )
    return (contacts[0].supplier if contacts else None), contacts


def registration_list(user) -> QuerySet[Supplier]:
    """The registrations of the programs ``user`` works on."""
    return (
        scoped(Supplier.objects.all(), user)
        .select_related("state", "program", "duplicate_of")
        .prefetch_related(
            Prefetch("contacts", queryset=Contact.objects.filter(is_primary=True), to_attr="primary_contacts")
        )
        .order_by("-submitted_at", "-created_at", "-pk")
    )


def registration_detail(user, pk: int) -> Supplier:
    return (
        scoped(Supplier.objects.all(), user)
        .select_related("state", "program", "duplicate_of")
        .prefetch_related(
            "contacts",
            "documents",
            "certifications__standard",
            "annual_figures",
            "supply_areas",
            "anchor_customers",
            "duplicates",
        )
        .get(pk=pk)
    )


def status_timeline(supplier: Supplier):
    """State changes of the registration, oldest first."""
    return list(audit.history(supplier).filter(action__in=["registered", "transition"]).order_by("created_at", "pk"))


def invitation_imports(user) -> QuerySet[InvitationImport]:
    """The invitation imports of the programs ``user`` works on, newest first (without their problem lists)."""
    return (
        scoped(InvitationImport.objects.all(), user)
        .select_related("program", "uploaded_by")
        .defer("problems")
        .order_by("-created_at", "-pk")
    )


def invitation_import(user, pk: int, *, problems: int | None = None) -> InvitationImport:
    """One import of ``user``'s programs (``InvitationImport.DoesNotExist`` otherwise). With ``problems``, only
    that many of its first rows with problems are read (``first_problems``), not the whole list."""
    rows = scoped(InvitationImport.objects.all(), user).select_related("program", "uploaded_by")
    if problems is not None:
        rows = rows.defer("problems").annotate(
            first_problems=Func(
                F("problems"),
                Value(f"$[0 to {max(problems - 1, 0)}]"),
                function="jsonb_path_query_array",
                output_field=JSONField(),
            )
        )
    return rows.get(pk=pk)
