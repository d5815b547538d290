"""Reads of the catalogue, and the programs a staff member sees.

Program staff belong to programs (``ProgramStaff``) and see only theirs; a superuser sees every program.
Every staff read goes through ``scoped``: a model says how its rows reach their program in
``PROGRAM_PATH`` (``"program"``, ``"supplier__program"``, ``"cohort__program"`` ...); a model without
one is shared reference data (states, regions, certification standards, frameworks).
"""

from collections.abc import Iterable, Sequence

from django.apps import apps
from django.db.models import BooleanField, Exists, ExpressionWrapper, Model, Q, QuerySet, Subquery

from core import registry, roles

from .models import AnchorCompany, AnchorReviewer, Partner, Program, ProgramStaff


def anchor_of_user(user) -> AnchorCompany | None:
    """The active anchor company ``user`` reviews for (through an active link), or None."""
    link = (
        AnchorReviewer.objects.select_related("anchor")
        .filter(user=user, is_active=True, anchor__is_active=True)
        .first()
    )
    return link.anchor if link else None


def program_path(model: type[Model]) -> str | None:
    """How ``model``'s rows reach their program (a lookup path), or None for shared reference data."""
    return getattr(model, "PROGRAM_PATH", None)


def sees_every_program(user) -> bool:
    return bool(getattr(user, "is_authenticated", False) and user.is_active and user.is_superuser)


def member_programs(user) -> QuerySet:
    """The ``program_id`` of each active membership of ``user`` (a subquery; empty for anyone not staff)."""
    if not roles.is_program_staff(user):
        return ProgramStaff.objects.none().values("program_id")
    return programs_of_member(user.pk)


def programs_of_member(user_id) -> QuerySet:
    """The ``program_id`` of each active membership of the user ``user_id``: an id, or an expression such as
    ``core.compiled.Slot`` (SQL compiled once for every staff member)."""
    return ProgramStaff.objects.filter(user_id=user_id, is_active=True).values("program_id")


def scoped_to_member(queryset: QuerySet, user_id, path: str | None = None) -> QuerySet:
    """What ``scoped`` keeps of ``queryset`` for program staff who are not superusers, by the user's id (a
    value or an expression, as in ``programs_of_member``)."""
    path = path or program_path(queryset.model)
    return queryset if path is None else queryset.filter(**{f"{path}__in": programs_of_member(user_id)})


def scoped(queryset: QuerySet, user, path: str | None = None) -> QuerySet:
    """``queryset`` kept to the programs ``user`` sees: all of them for a superuser, the programs of its
    active memberships for program staff, none for anyone else. ``path`` defaults to the model's
    ``PROGRAM_PATH``; a model without one (reference data) is not narrowed."""
    if sees_every_program(user):
        return queryset
    path = path or program_path(queryset.model)
    if path is None:
        return queryset
    ids = getattr(user, "_sdp_program_ids", None)  # read already in this request (``program_ids_of``)
    if ids is not None:
        # The ids themselves: the planner then knows the program, and reads a list of it in index order.
        return queryset.filter(**{f"{path}__in": sorted(ids)})
    return queryset.filter(**{f"{path}__in": member_programs(user)})


def programs_of(user) -> QuerySet[Program]:
    """The programs ``user`` works on as staff (every program for a superuser)."""
    return scoped(Program.objects.all(), user)


def program_ids_of(user) -> frozenset[int]:
    """The ids of ``programs_of(user)``, read once per request object."""
    cached = getattr(user, "_sdp_program_ids", None)
    if cached is None:
        cached = frozenset(programs_of(user).values_list("pk", flat=True))
        if getattr(user, "is_authenticated", False):
            user._sdp_program_ids = cached
    return cached


def staff_sees(user, obj: Model) -> bool:
    """Whether ``obj`` belongs to one of the programs ``user`` sees."""
    return scoped(type(obj)._default_manager.filter(pk=obj.pk), user).exists()


def open_program() -> Program | None:
    """The program currently taking registrations (the most recent one)."""
    return _open_programs().first()


def _open_programs() -> QuerySet[Program]:
    return Program.objects.filter(registration_open=True).order_by("-start_date", "-pk")


def _people_models():
    return [(apps.get_model(people.model), people) for people in registry.program_people()]


def programs_of_person(user) -> QuerySet:
    """The ``pk`` of each program ``user`` takes part in (as staff, anchor reviewer, SME contact, provider:
    ``core.registry.program_people``), a subquery; every program for a superuser."""
    if sees_every_program(user):
        return Program.objects.values("pk")
    if not getattr(user, "is_authenticated", False):
        return Program.objects.none().values("pk")
    condition = Q(pk__in=member_programs(user))
    for model, people in _people_models():
        if people.user is not None and model is not ProgramStaff:
            condition |= Q(pk__in=model._default_manager.filter(**{people.user: user}).values(program_path(model)))
    return Program.objects.filter(condition).values("pk")


def _partners_of(programs: QuerySet) -> QuerySet[Partner]:
    """The active partners of ``programs`` (a subquery of program ids) or, when it is empty, of the open
    program: one query."""
    fallback = Q(program__in=_open_programs().values("pk")[:1]) & ~Exists(programs)
    return Partner.objects.filter(Q(program__in=programs) | fallback, is_active=True).order_by(
        "program__start_date", "program_id", "order", "pk"
    )


def distinct_partners(partners) -> list[Partner]:
    """``partners`` without a second partner of the same name (the same partner of two programs)."""
    seen: set[str] = set()
    kept = []
    for partner in partners:
        key = partner.name.casefold()
        if key not in seen:
            seen.add(key)
            kept.append(partner)
    return kept


def partners_for(user) -> list[Partner]:
    """The partners a page shows: those of the programs ``user`` takes part in, or of the open program for
    anyone else (one query)."""
    return distinct_partners(_partners_of(programs_of_person(user)))


def partners_of_program(program) -> list[Partner]:
    """The active partners of ``program`` (or of the open program when ``program`` is None)."""
    if program is None:
        return distinct_partners(_partners_of(Program.objects.none().values("pk")))
    return list(Partner.objects.filter(program=program, is_active=True).order_by("order", "pk"))


def recipient_programs(recipients: Iterable[str]) -> dict[str, set[int]]:
    """``{email: program ids}`` of the people of ``core.registry.program_people`` with those addresses (one
    query per 10,000 addresses)."""
    recipients = sorted(set(recipients))
    found: dict[str, set[int]] = {}
    models = _people_models()
    if not models:
        return found
    for start in range(0, len(recipients), 10_000):
        chunk = recipients[start : start + 10_000]
        parts = [
            model._default_manager.filter(**{f"{people.email}__in": chunk})
            .order_by()
            .values_list(people.email, program_path(model))
            for model, people in models
        ]
        first, *rest = parts
        for email, program_id in first.union(*rest, all=True) if rest else first:
            if program_id is not None:
                found.setdefault(email, set()).add(program_id)
    return found


def message_partners(recipients: Sequence[str], program=None) -> dict[str, list[str]]:
    """``{recipient: the names of the partners its email names}``: those of ``program`` (a Program or its
    id) when given (one query), else of the programs the recipient takes part in (``recipient_programs``),
    else of the open program: two queries, however many recipients."""
    if program is not None:
        program_id = getattr(program, "pk", program)
        partners = Partner.objects.filter(program_id=program_id, is_active=True).order_by("order", "pk")
        labels = [p.label for p in partners]
        return dict.fromkeys(recipients, labels)
    programs = recipient_programs(recipients)
    wanted = set().union(*programs.values()) if programs else set()
    condition = Q(program_id__in=wanted)
    first_open = Subquery(_open_programs().values("pk")[:1])
    if len(programs) < len(set(recipients)):  # someone of no program: the program taking registrations
        condition |= Q(program_id=first_open)
    partners = (
        Partner.objects.filter(condition, is_active=True)
        .annotate(of_open_program=ExpressionWrapper(Q(program_id=first_open), output_field=BooleanField()))
        .order_by("program__start_date", "program_id", "order", "pk")
    )
    by_program: dict[int, list[Partner]] = {}
    open_id = 0  # no partner of the program taking registrations (or no such program)
    for partner in partners:
        by_program.setdefault(partner.program_id, []).append(partner)
        if partner.of_open_program:
            open_id = partner.program_id
    named = {}
    of_programs: dict[frozenset[int], list[str]] = {}  # one list per set of programs (a cohort's SMEs share one)
    for recipient in recipients:
        ids = frozenset(programs.get(recipient) or {open_id})
        if ids not in of_programs:
            of_programs[ids] = [
                p.label for p in distinct_partners(p for pid in by_program if pid in ids for p in by_program[pid])
            ]
        named[recipient] = of_programs[ids]
    return named
