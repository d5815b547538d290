"""Reads for the registration portal, the SME account and the staff pages."""

from django.db.models import Case, F, Func, JSONField, Prefetch, QuerySet, Subquery, Value, When

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


# The session key of the participation an SME account with several chose (``views.account.participation_switch``).
PARTICIPATION_SESSION_KEY = "sme_participation"
# Where the request's choice is kept on its user (``suppliers.middleware.ParticipationMiddleware``), so that
# every reader of ``supplier_for_user(user)`` (pages, API, services given the user as actor) sees the same one.
PARTICIPATION_ATTRIBUTE = "_sme_participation_id"


def _own_contacts(user) -> QuerySet[Contact]:
    """The account's contacts, the one of the participation chosen in its session first (when it is one of the
    account's own), then the newest participation's."""
    contacts = Contact.objects.filter(user=user)
    chosen = getattr(user, PARTICIPATION_ATTRIBUTE, None)
    order = ["-supplier__created_at", "-supplier_id"]
    if isinstance(chosen, int):
        contacts = contacts.annotate(chosen=Case(When(supplier_id=chosen, then=Value(0)), default=Value(1)))
        order.insert(0, "chosen")
    return contacts.order_by(*order)


def supplier_for_user(user) -> Supplier | None:
    """The participation the SME account works on: the one chosen in its session when it is one of the account's
    own (a contact of it), else its newest. Another company's participation is never returned (one query)."""
    if not getattr(user, "is_authenticated", False):
        return None
    contact = _own_contacts(user).select_related("supplier__program", "supplier__state").first()
    return contact.supplier if contact else None


def supplier_and_contacts_for_user(user) -> tuple[Supplier | None, list[Contact]]:
    """``supplier_for_user`` and all the contacts of that participation, read together in one query (the SME's
    data export lists them)."""
    if not getattr(user, "is_authenticated", False):
        return None, []
    contacts = list(
        Contact.objects.select_related("supplier__program", "supplier__state").filter(
            supplier_id=Subquery(_own_contacts(user).values("supplier_id")[:1])
        )
    )
    return (contacts[0].supplier if contacts else None), contacts


def participations_for_user(user) -> list[Supplier]:
    """The participations of the companies whose contact ``user`` is, newest first (with their programs)."""
    if not getattr(user, "is_authenticated", False):
        return []
    return list(Supplier.objects.filter(contacts__user=user).select_related("program").order_by("-created_at", "-pk"))


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
