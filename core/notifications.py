"""The outbox: write a message with the change, send it after commit.

``notify`` renders the message in the recipient's language from
``templates/emails/<template>.subject.txt`` and ``.txt`` and stores it in
the same transaction as the caller's change; ``transaction.on_commit`` then
queues ``core.tasks.send_message``. If the broker is down the row stays
pending and ``core.tasks.send_due_messages`` (Celery beat) picks it up.

Guarantees (docs/reliability.md):
- nothing lost: the row commits or rolls back with the business change;
- no duplicates: ``dedupe_key`` makes one business event enqueue one row,
  and ``deliver`` sends a row only while holding its row lock
  (``SELECT ... FOR UPDATE SKIP LOCKED``), so two workers never send it twice;
- transient SMTP or network errors are retried with exponential backoff, at
  most ``MAX_ATTEMPTS`` times, then the row is marked failed for staff.
"""

import enum
import functools
import json
import logging
import re
import smtplib
import socket
from collections.abc import Iterable, Iterator, Mapping, Sequence
from contextlib import contextmanager
from contextvars import ContextVar
from dataclasses import dataclass
from datetime import timedelta
from typing import Any

from django.apps import apps
from django.conf import settings
from django.core.mail import EmailMessage
from django.db import IntegrityError, connection, transaction
from django.db.models import OuterRef, Q, Subquery
from django.db.models.lookups import IsNull
from django.template import engines
from django.template.loader import render_to_string
from django.utils import timezone, translation

from . import registry, roles
from .bulk import copy_insert_rows, json_text, take_ids
from .models import NotificationPreference, OutboundMessage
from .text import LINE_BREAKS, strip_control_characters

logger = logging.getLogger(__name__)

MAX_ATTEMPTS = 8
PLAIN_TEXT_ENGINE = "plain_text"  # settings.TEMPLATES: the engine without autoescaping
SUPPORTED_LANGUAGES = {"es-mx", "en"}
# Errors worth another try later: the mail server or the network is down or busy.
TRANSIENT_ERRORS = (smtplib.SMTPException, socket.timeout, ConnectionError, OSError)


def is_permanent(exc: Exception) -> bool:
    """An SMTP reply of the 5xx class (RFC 5321: the same request will fail again: unknown mailbox,
    relay refused, message rejected) is permanent; a 4xx reply, a dropped or refused connection and a
    timeout are transient. A connection refused with a 5xx greeting is still a server that may come
    back: transient."""
    if isinstance(exc, smtplib.SMTPRecipientsRefused):
        codes = [code for code, _message in exc.recipients.values()]
        return bool(codes) and all(500 <= code < 600 for code in codes)
    if isinstance(exc, smtplib.SMTPResponseException) and not isinstance(exc, smtplib.SMTPConnectError):
        return 500 <= exc.smtp_code < 600
    return False


class Delivery(enum.Enum):
    SENT = "sent"  # sent now
    ALREADY_SENT = "already_sent"  # someone sent it before
    BUSY = "busy"  # another worker holds it right now
    RETRY = "retry"  # transient failure; next_attempt_at is set
    FAILED = "failed"  # gave up after MAX_ATTEMPTS, or a permanent error
    MISSING = "missing"  # no such row (e.g. its transaction rolled back)


def _language(language: str | None) -> str:
    language = (language or settings.LANGUAGE_CODE).lower()
    return language if language in SUPPORTED_LANGUAGES else settings.LANGUAGE_CODE


def notify(
    *,
    template: str,
    recipient: str,
    language: str | None = None,
    context: dict | None = None,
    dedupe_key: str | None = None,
    program: int | None = None,
) -> OutboundMessage:
    """Store a message in the outbox in the caller's transaction; queue it on commit.

    ``dedupe_key`` names the business event (e.g. ``"registration_received:supplier:42"``):
    a second ``notify`` with the same key returns the first row instead of a new one.
    ``program`` (an id) names the program whose partners the message names (``partners``); by default,
    the programs the recipient takes part in (``message_partners``).
    """
    if dedupe_key:
        existing = OutboundMessage.objects.filter(dedupe_key=dedupe_key).first()
        if existing is not None:
            return existing
    notice = Notice(template, recipient, language, context, dedupe_key, program)
    fields = _rendered(notice, message_partners([recipient], program)[recipient])
    try:
        with transaction.atomic():  # a savepoint: a concurrent duplicate key does not break the caller
            message = OutboundMessage.objects.create(**fields)
    except IntegrityError:
        existing = OutboundMessage.objects.filter(dedupe_key=dedupe_key).first() if dedupe_key else None
        if existing is None:
            raise
        return existing
    if not _held.get():
        transaction.on_commit(lambda: _enqueue(message.pk))
    return message


@dataclass(frozen=True)
class Notice:
    """One message for ``notify_many``: the arguments of ``notify``."""

    template: str
    recipient: str
    language: str | None = None
    context: dict | None = None
    dedupe_key: str | None = None
    program: int | None = None


def message_partners(recipients: Sequence[str], program: int | None = None) -> dict[str, list[str]]:
    """``{recipient: names of the partners its message names}``: the partners of ``program`` when given,
    else of the programs the recipient takes part in, else of the program taking registrations (``programs``
    provides it: ``core.registry.message_partners``). A fixed number of queries, however many recipients."""
    return registry.message_partners.function(recipients, program)


def _partners_of(program: int) -> list[str]:
    """The names of the partners of ``program`` (an id)."""
    return message_partners(["-"], program)["-"]


def _shared_context(context: Mapping | None, partners: list[str]) -> dict:
    """What every message's template receives besides the caller's ``context``: the site's address and the
    program's partners (``partners``: their names, which ``emails/_signature.txt`` lists)."""
    return {"site_url": settings.SITE_URL, "partners": partners, **(context or {})}


def _rendered(notice: Notice, partners: list[str]) -> dict:
    """The outbox row's fields: subject and body rendered in the recipient's language."""
    language = _language(notice.language)
    context = _shared_context(notice.context, partners)
    with translation.override(language):
        # Plain text, so rendered without HTML escaping; the subject is one line without control characters.
        raw_subject = render_to_string(f"emails/{notice.template}.subject.txt", context, using=PLAIN_TEXT_ENGINE)
        subject = " ".join(strip_control_characters(raw_subject).split())
        body = render_to_string(f"emails/{notice.template}.txt", context, using=PLAIN_TEXT_ENGINE)
    return {
        "template": notice.template,
        "recipient": notice.recipient,
        "language": language,
        "subject": subject[:255],
        "body": body,
        "context": context,
        "dedupe_key": notice.dedupe_key or None,
    }


# Tags whose only context reads are the names written in them (an include of a fixed template is read as part
# of the template): a template with any other tag (extends, a custom tag, an include of a computed name) may read
# the context in other ways, and its messages are each rendered in full.
_KNOWN_TAGS = frozenset(
    "load if elif else endif for empty endfor with endwith translate trans blocktranslate blocktrans "
    "endblocktranslate endblocktrans plural".split()
)
_TAG = re.compile(r"\{%(.*?)%\}", re.S)
_VARIABLE = re.compile(r"\{\{(.*?)\}\}", re.S)
_NAME = re.compile(r"[A-Za-z_][A-Za-z0-9_]*")


_INCLUDE = re.compile(r"""include\s+["']([A-Za-z0-9_./-]+)["']""")
_LOOP = re.compile(r"for\s+([A-Za-z_][A-Za-z0-9_]*)\s+in\s+([A-Za-z_][A-Za-z0-9_]*)")
_CONDITION = re.compile(r"(?:el)?if\s+([A-Za-z_][A-Za-z0-9_]*)")


@functools.cache
def _printed_names(template: str) -> tuple[frozenset[str], frozenset[str], frozenset[str]]:
    """The context names ``template`` (subject and body) only prints as they are, the names of the lists it
    only loops over to print each item as it is (``{% for item in name %}`` ... ``{{ item }}``), and the names
    it prints as they are and otherwise only tests (``{% if name %}``): no filter, attribute or other tag reads
    them. A message's text is then the template rendered once with a placeholder for each such value (or item;
    of the tested names, each value that is true, as the placeholder is), with the values put in. Nothing when
    the template uses a tag that may read more."""
    engine = engines[PLAIN_TEXT_ENGINE]
    plain: set[str] = set()
    other: set[str] = set()
    tested: set[str] = set()
    loops: list[tuple[str, str]] = []
    names = [f"emails/{template}.subject.txt", f"emails/{template}.txt"]
    for name in names:
        loaded: Any = engine.get_template(name)  # the backend's wrapper of a django.template.Template
        source = re.sub(r"\{#.*?#\}", "", loaded.template.source, flags=re.S)
        for tag in _TAG.findall(source):
            words = tag.split()
            included = _INCLUDE.fullmatch(tag.strip())
            if included:  # a fixed template rendered with the same context: its reads are read the same way
                if included.group(1) not in names:
                    names.append(included.group(1))
                continue
            if not words or words[0] not in _KNOWN_TAGS:
                return frozenset(), frozenset(), frozenset()
            loop = _LOOP.fullmatch(tag.strip())
            condition = _CONDITION.fullmatch(tag.strip())
            if loop:
                loops.append((loop.group(1), loop.group(2)))
            elif condition:
                tested.add(condition.group(1))
            else:
                other.update(_NAME.findall(tag))
        for variable in _VARIABLE.findall(source):
            if _NAME.fullmatch(variable.strip()):
                plain.add(variable.strip())
            else:
                other.update(_NAME.findall(variable))
    items = [item for item, _ in loops]
    lists = set()
    for item, listed in loops:
        if items.count(item) == 1 and {item, listed}.isdisjoint(other) and listed not in plain and listed not in items:
            lists.add(listed)
        else:
            other.update((item, listed))
    other |= tested - plain  # tested but never printed: read only for its truth, kept whole
    printed = plain - other - lists - set(items)
    return frozenset(printed - tested), frozenset(lists), frozenset(printed & tested)


def _rendered_all(notices: list[Notice], partners: Mapping[tuple[str, int | None], list[str]]) -> list[dict]:
    """``_rendered`` of each notice, each template rendered once per language and per set of the values it
    does not only print (``_printed_names``), with placeholders for the values (and list items) it only prints:
    the same text."""
    return list(_rendered_each(notices, partners))


def _rendered_each(notices: list[Notice], partners: Mapping[tuple[str, int | None], list[str]]) -> Iterator[dict]:
    """``_rendered_all``, one row at a time (written by ``COPY`` as they come)."""
    groups: dict[tuple, tuple[list[str | int], list[str | int]]] = {}
    for notice in notices:
        language = _language(notice.language)
        context = _shared_context(notice.context, partners[(notice.recipient, notice.program)])
        plain, lists, truthy = _printed_names(notice.template)
        varying = sorted(k for k, v in context.items() if type(v) is str and (k in plain or k in truthy and v))
        listed = sorted(
            k for k, v in context.items() if k in lists and type(v) is list and all(type(i) is str for i in v)
        )
        shape = tuple((k, len(context[k])) for k in listed)
        shared = tuple((k, repr(v)) for k, v in sorted(context.items()) if k not in varying and k not in listed)
        key = (notice.template, language, tuple(varying), shape, shared)
        values = [context[k] for k in varying] + [item for k in listed for item in context[k]]
        if key not in groups:
            markers: dict[str, Any] = {name: f"\x00{index}\x00" for index, name in enumerate(varying)}
            index = len(varying)
            for k in listed:
                markers[k] = [f"\x00{index + n}\x00" for n in range(len(context[k]))]
                index += len(context[k])
            with translation.override(language):
                raw_subject = render_to_string(
                    f"emails/{notice.template}.subject.txt", {**context, **markers}, using=PLAIN_TEXT_ENGINE
                )
                raw_body = render_to_string(
                    f"emails/{notice.template}.txt", {**context, **markers}, using=PLAIN_TEXT_ENGINE
                )
            groups[key] = (_split_on_markers(raw_subject), _split_on_markers(raw_body))
        subject_parts, body_parts = groups[key]
        subject = _fill(subject_parts, values)
        if _STRIPPED.search(subject):  # rare: most subjects have nothing to strip (one scan in C)
            subject = strip_control_characters(subject)
        subject = " ".join(subject.split())
        yield {
            "template": notice.template,
            "recipient": notice.recipient,
            "language": language,
            "subject": subject[:255],
            "body": _fill(body_parts, values),
            "context": context,
            "dedupe_key": notice.dedupe_key or None,
        }


def notify_many(notices: Iterable[Notice]) -> list[int]:
    """``notify`` for many messages in a few statements (a cohort's results to every candidate).

    The same guarantees: the rows commit or roll back with the caller's change, a ``dedupe_key`` already in
    the outbox (or twice in ``notices``) adds nothing, and the new rows are queued on commit, in batches of
    ``SEND_BATCH`` per task. Returns the ids of the rows written.
    """
    notices = list(notices)
    keys = [n.dedupe_key for n in notices if n.dedupe_key]
    taken: set[str] = set()
    for start in range(0, len(keys), 10_000):
        taken.update(
            key
            for key in OutboundMessage.objects.filter(dedupe_key__in=keys[start : start + 10_000]).values_list(
                "dedupe_key", flat=True
            )
            if key
        )
    fresh = []
    for notice in notices:
        if notice.dedupe_key:
            if notice.dedupe_key in taken:
                continue
            taken.add(notice.dedupe_key)
        fresh.append(notice)
    partners: dict[tuple[str, int | None], list[str]] = {}
    for program in {n.program for n in fresh}:
        recipients = [n.recipient for n in fresh if n.program == program]
        partners.update(((r, program), names) for r, names in message_partners(recipients, program).items())
    try:
        with transaction.atomic(), connection.wrap_database_errors:  # a savepoint: a concurrent duplicate key
            ids = _copy_messages(_rendered_each(fresh, partners), len(fresh))  # does not break the caller
    except IntegrityError:
        # Another transaction wrote one of the keys meanwhile: one at a time, each keeping the first row.
        return [
            notify(
                template=n.template,
                recipient=n.recipient,
                language=n.language,
                context=n.context,
                dedupe_key=n.dedupe_key,
                program=n.program,
            ).pk
            for n in fresh
        ]
    if ids and not _held.get():
        transaction.on_commit(lambda: _enqueue_batches(ids))
    return ids


def _copy_messages(rows: Iterable[dict], count: int) -> list[int]:
    """Write the ``count`` outbox rows ``_rendered_each`` gives (pending, due now) by one ``COPY`` of plain
    tuples, their ids taken from the sequence first, each row rendered while the ones before are written;
    returns the ids, in order."""
    ids = take_ids(OutboundMessage, count)
    now = timezone.now()
    context = json_text(OutboundMessage._meta.get_field("context"))
    fields = ("id", "template", "recipient", "language", "subject", "body", "context", "dedupe_key")
    pending = OutboundMessage.Status.PENDING.value
    copy_insert_rows(
        OutboundMessage,
        (*fields, "status", "attempts", "next_attempt_at", "last_error", "created_at"),
        (
            (pk, *(context(row[f]) if f == "context" else row[f] for f in fields[1:]), pending, 0, now, "", now)
            for pk, row in zip(ids, rows, strict=True)
        ),
    )
    return ids


SEND_BATCH = 200


def _enqueue_batches(message_ids: list[int]) -> None:
    from .tasks import send_messages

    for start in range(0, len(message_ids), SEND_BATCH):
        batch = message_ids[start : start + SEND_BATCH]
        try:
            send_messages.apply_async(
                (batch,),
                retry=True,
                retry_policy={"max_retries": 1, "interval_start": 0, "interval_step": 0.2, "interval_max": 0.2},
            )
        except Exception:  # broker unreachable: the periodic task sends them later
            logger.warning("Could not queue %d outbound messages; they stay pending", len(message_ids) - start)
            return


_held: ContextVar[bool] = ContextVar("sdp_outbox_held", default=False)


@contextmanager
def held():
    """Messages written inside are kept pending in the outbox instead of queued at commit, for the periodic
    sender (``core.tasks.send_due_messages``) to send: a bulk load (``manage.py seed_demo`` at national
    scale) writes tens of thousands of them, which must not each be queued, or sent in-process, at commit."""
    token = _held.set(True)
    try:
        yield
    finally:
        _held.reset(token)


def notify_one_template(
    *,
    template: str,
    language: str | None = None,
    context: Mapping | None = None,
    program: int,
    varying: Sequence[str],
    messages: Iterable[tuple[str, Mapping[str, str], str]],
) -> int:
    """Store many messages of one template in the outbox, in the caller's transaction, and return how many.

    ``messages`` are ``(recipient, values, dedupe_key)``: ``values`` gives each name of ``varying`` (text the
    template prints as it is, without filters); ``context`` is what every message shares. The templates are
    rendered once, with a placeholder for each varying value, and each message is the rendering with its
    values put in (the same text ``notify`` renders: tests/core/test_notify_one_template.py), naming the partners of
    ``program`` (an id); the rows are written
    with one COPY. Nothing is queued now: the periodic ``core.tasks.send_due_messages`` sends them over
    time. The keys must be new (a key already in the outbox fails the whole batch).
    """
    language = _language(language)
    shared = _shared_context(context, _partners_of(program))
    markers = {name: f"\x00{index}\x00" for index, name in enumerate(varying)}
    with translation.override(language):
        raw_subject = render_to_string(f"emails/{template}.subject.txt", {**shared, **markers}, using=PLAIN_TEXT_ENGINE)
        raw_body = render_to_string(f"emails/{template}.txt", {**shared, **markers}, using=PLAIN_TEXT_ENGINE)
    subject_parts, body_parts = _split_on_markers(raw_subject), _split_on_markers(raw_body)
    now = timezone.now()
    rows = []
    for recipient, values, dedupe_key in messages:
        ordered = [values[name] for name in varying]
        subject = _fill(subject_parts, ordered)
        if _STRIPPED.search(subject):  # rare: most subjects have nothing to strip (one scan in C)
            subject = strip_control_characters(subject)
        subject = " ".join(subject.split())
        rows.append(
            (
                template,
                recipient,
                language,
                subject[:255],
                _fill(body_parts, ordered),
                json.dumps({**shared, **values}),
                dedupe_key,
                OutboundMessage.Status.PENDING.value,
                0,
                now,
                "",
                now,
            )
        )
    if not rows:
        return 0
    qn = connection.ops.quote_name
    columns = ", ".join(
        qn(name)
        for name in (
            "template",
            "recipient",
            "language",
            "subject",
            "body",
            "context",
            "dedupe_key",
            "status",
            "attempts",
            "next_attempt_at",
            "last_error",
            "created_at",
        )
    )
    with connection.cursor() as cursor:
        with cursor.cursor.copy(f"COPY {qn(OutboundMessage._meta.db_table)} ({columns}) FROM STDIN") as copy:
            for row in rows:
                copy.write_row(row)
    return len(rows)


_MARKER = re.compile("\x00([0-9]+)\x00")
# The characters strip_control_characters removes by default: Unicode's Cc category (U+0000-U+001F and
# U+007F-U+009F) except the line breaks it keeps.
_STRIPPED = re.compile(
    "[" + "".join(re.escape(chr(c)) for c in [*range(0x20), *range(0x7F, 0xA0)] if chr(c) not in LINE_BREAKS) + "]"
)


def _split_on_markers(text: str) -> list[str | int]:
    """The rendering cut at its placeholders: literal text, and the index of each value to put in."""
    parts: list[str | int] = []
    for index, piece in enumerate(_MARKER.split(text)):
        parts.append(int(piece) if index % 2 else piece)
    return parts


def _fill(parts: list[str | int], values: list[str]) -> str:
    return "".join(values[part] if isinstance(part, int) else part for part in parts)


def _enqueue(message_id: int) -> None:
    from .tasks import send_message

    try:
        # Bounded publish retries: a broker outage must not hang the request;
        # the row stays pending and the periodic task sends it later.
        send_message.apply_async(
            (message_id,),
            retry=True,
            retry_policy={"max_retries": 1, "interval_start": 0, "interval_step": 0.2, "interval_max": 0.2},
        )
    except Exception:  # broker unreachable: the periodic task will resend it
        logger.warning("Could not queue outbound message %s; it stays pending", message_id, exc_info=True)


def backoff(attempts: int) -> timedelta:
    """Exponential backoff: 1, 2, 4 ... minutes after the 1st, 2nd, 3rd failure, at most a day."""
    return timedelta(minutes=min(2 ** max(attempts - 1, 0), 24 * 60))


def deliver(message_id: int) -> Delivery:
    """Send one message at most once.

    The row is locked (skipping rows another worker holds) while it is sent
    and marked sent in the same transaction, so two workers never send it
    twice; a worker killed mid-send rolls back and the message stays pending.
    """
    with transaction.atomic():
        locked = OutboundMessage.objects.select_for_update(skip_locked=True).filter(pk=message_id).first()
        if locked is None:
            exists = OutboundMessage.objects.filter(pk=message_id).exists()
            return Delivery.BUSY if exists else Delivery.MISSING
        message = locked
        if message.status == OutboundMessage.Status.SENT:
            return Delivery.ALREADY_SENT
        if message.status != OutboundMessage.Status.PENDING:
            return Delivery.FAILED
        message.attempts += 1
        try:
            EmailMessage(
                subject=message.subject,
                body=message.body,
                to=[message.recipient],
                from_email=settings.DEFAULT_FROM_EMAIL,
                headers={"X-SDP-Message-Id": str(message.pk), "Message-ID": _message_id(message.pk)},
            ).send()
        except TRANSIENT_ERRORS as exc:  # SMTP or network trouble: try again later, unless the server said no
            if is_permanent(exc):
                logger.error("Outbound message %s refused by the mail server: %s", message.pk, exc)
            return _failed(message, exc, transient=not is_permanent(exc))
        except Exception as exc:  # a bug or bad data: retrying will not help
            logger.exception("Outbound message %s cannot be sent", message.pk)
            return _failed(message, exc, transient=False)
        message.status = OutboundMessage.Status.SENT
        message.sent_at = timezone.now()
        message.last_error = ""
        message.save(update_fields=["attempts", "status", "sent_at", "last_error"])
        return Delivery.SENT


def _message_id(pk: int) -> str:
    """A stable Message-ID: should a send be repeated after a crash, mail systems can drop the copy."""
    domain = settings.DEFAULT_FROM_EMAIL.rsplit("@", 1)[-1].strip(" >") or "sdp.local"
    return f"<sdp-outbox-{pk}@{domain}>"


def _failed(message: OutboundMessage, exc: Exception, *, transient: bool) -> Delivery:
    message.last_error = f"{type(exc).__name__}: {exc}"[:2000]
    give_up = not transient or message.attempts >= MAX_ATTEMPTS
    if give_up:
        message.status = OutboundMessage.Status.FAILED
    message.next_attempt_at = timezone.now() + backoff(message.attempts)
    message.save(update_fields=["attempts", "last_error", "status", "next_attempt_at"])
    return Delivery.FAILED if give_up else Delivery.RETRY


def due_message_ids(limit: int = 500) -> list[int]:
    return list(
        OutboundMessage.objects.filter(status=OutboundMessage.Status.PENDING, next_attempt_at__lte=timezone.now())
        .order_by("next_attempt_at")
        .values_list("pk", flat=True)[:limit]
    )


def retry_failed(*, message_ids: list[int], actor=None) -> int:
    """Staff action: put failed messages back in the queue."""
    return OutboundMessage.objects.filter(pk__in=message_ids, status=OutboundMessage.Status.FAILED).update(
        status=OutboundMessage.Status.PENDING, attempts=0, next_attempt_at=timezone.now()
    )


def wants_email(user, reminder: str) -> bool:
    """Whether ``user`` receives ``reminder`` by email (``core.models.NotificationPreference``; yes by default).
    A person without an account (a course participant) cannot turn reminders off: always yes."""
    if user is None:
        return True
    return not NotificationPreference.objects.filter(user=user, reminder=reminder, by_email=False).exists()


def visible_to(user, queryset=None):
    """The outbox rows ``user`` may read: every row for a superuser; for program staff, only the messages to
    the people of its programs (``core.registry.program_people``: an SME's contacts, invited companies, staff,
    anchor reviewers, providers, course participants), each found by an index on its email address; none
    for anyone else, and none that reaches no program (a sign-up's verification email): deny by default."""
    queryset = OutboundMessage.objects.all() if queryset is None else queryset
    if getattr(user, "is_superuser", False) and user.is_active:
        return queryset
    if not roles.is_program_staff(user):
        return queryset.none()
    # Each kind of person looked up by the message's recipient, one index probe a message (a scalar subquery: an
    # EXISTS would be planned as one hash of every person of the program, built for every page and count).
    reached = [
        IsNull(
            Subquery(
                registry.program_scope.function(
                    apps.get_model(people.model)._default_manager.filter(**{people.email: OuterRef("recipient")}),
                    user,
                )
                .order_by()
                .values("pk")[:1]
            ),
            False,
        )
        for people in registry.program_people()
    ]
    if not reached:
        return queryset.none()
    condition = Q()
    for found in reached:
        condition |= Q(found)
    return queryset.filter(condition)
