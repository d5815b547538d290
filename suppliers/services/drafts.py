"""Where an SME left its registration, and the answers of a step it saved without finishing."""

from collections.abc import Mapping

from django.db import transaction

from core import audit
from core.text import strip_control_characters

from ..models import RegistrationDraft

# What a kept step may hold: the names a form posts (never the CSRF token or the buttons), short values.
NOT_ANSWERS = frozenset({"csrfmiddlewaretoken", "save_exit", "next"})
MAX_VALUES_PER_FIELD = 100
MAX_VALUE_LENGTH = 1000


def _clean_answers(answers: Mapping[str, list[str]]) -> dict[str, list[str]]:
    return {
        str(name)[:100]: [strip_control_characters(str(v))[:MAX_VALUE_LENGTH] for v in values][:MAX_VALUES_PER_FIELD]
        for name, values in answers.items()
        if name not in NOT_ANSWERS
    }


@transaction.atomic
def registration_draft_keep(
    *, user, step: str, answers: Mapping[str, list[str]] | None = None, finished: str | None = None
) -> RegistrationDraft:
    """Remember ``step`` as the place to resume. With ``answers`` (a step saved unfinished), keep them as
    typed, unchecked; ``finished`` names a step just saved for real, whose kept answers are forgotten."""
    draft, _created = RegistrationDraft.objects.select_for_update().get_or_create(user=user)
    draft.step = step
    kept = dict(draft.answers or {})
    if finished is not None:
        kept.pop(finished, None)
    if answers is not None:
        kept[step] = _clean_answers(answers)
    draft.answers = kept
    draft.full_clean(exclude=["user"])
    draft.save()
    audit.record(draft, action="draft_kept", actor=user, changes={"step": step, "unfinished": answers is not None})
    return draft


def registration_draft_forget(*, user) -> None:
    """The registration was sent: nothing left to resume."""
    RegistrationDraft.objects.filter(user=user).delete()
