"""Reads of the catalogue, and the programs a staff member sees.

Program staff belong to programs (``ProgramStaff``) and see only theirs; a superuser sees every program.
Every staff read goes through ``scoped``: a model says how its rows reach their program in
``PROGRAM_PATH`` (``"program"``, ``"supplier__program"``, ``"cohort__program"`` ...); a model without
one is shared reference data (states, regions, certification standards, frameworks).
"""

from django.db.models import Model, QuerySet

from core import roles

from .models import AnchorCompany, AnchorReviewer, Program, ProgramStaff


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
    return ProgramStaff.objects.filter(user=user, is_active=True).values("program_id")


def scoped(queryset: QuerySet, user, path: str | None = None) -> QuerySet:
    """``queryset`` kept to the programs ``user`` sees: all of them for a superuser, the programs of its
    active memberships for program staff, none for anyone else. ``path`` defaults to the model's
    ``PROGRAM_PATH``; a model without one (reference data) is not narrowed."""
    if sees_every_program(user):
        return queryset
    path = path or program_path(queryset.model)
    if path is None:
        return queryset
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
