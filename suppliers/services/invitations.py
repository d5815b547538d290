"""Invitations to register, from a list of SMEs that program staff upload (``suppliers.invitation_file``).

One pass over the file checks every row in Python; the valid rows go to the database with one COPY into a
temporary table, and two set-based statements find the RFCs already live in the program and insert the new
invitations (``ON CONFLICT DO NOTHING`` on the program and RFC, so a list imported again, even at the same
moment, invites no one twice); the emails are written to the outbox with one more COPY
(``core.notifications.notify_one_template``), in the language of the row's ``idioma`` column (Spanish by
default), naming the program's partners, and sent over time.
"""

from django.conf import settings
from django.core.exceptions import PermissionDenied
from django.db import connection, transaction
from django.urls import reverse
from django.utils import translation

from core.notifications import notify_one_template
from core.text import strip_control_characters
from programs.models import Program, State
from programs.selectors import program_ids_of

from ..invitation_file import ValidRow, check_rows, read_table, state_lookup
from ..models import InvitationImport, RegistrationInvitation, Supplier

INVITATION_TEMPLATE = "registration_invitation"
_ROWS = "_sdp_invitation_rows"


def invitation_dedupe_key(invitation_id: int) -> str:
    return f"registration_invitation:{invitation_id}"


@transaction.atomic
def invitations_import(*, actor, program: Program, file_name: str, data: bytes) -> InvitationImport:
    """Check the list in ``data`` and invite each valid row's company to register for ``program``, once.

    Raises ``ValidationError`` (nothing saved) for a file that is not CSV or XLSX, lacks a column or has no
    rows; ``PermissionDenied`` when ``actor`` is not staff of ``program``.
    """
    if program.pk not in program_ids_of(actor):
        raise PermissionDenied
    states = state_lookup(State.objects.values_list("pk", "code", "name", "abbreviation"))
    checked = check_rows(read_table(file_name, data), states)
    record = InvitationImport.objects.create(
        program=program,
        uploaded_by=actor,
        file_name=(strip_control_characters(file_name, keep=frozenset()) or "-")[:255],
        rows=checked.rows,
        invalid=len(checked.problems),
        problems=[problem.as_json() for problem in checked.problems],
    )
    registered, created = _store(program=program, record=record, valid=checked.valid)
    _send(program=program, created=created, languages={row.rfc: row.language for row in checked.valid})
    record.invited = len(created)
    record.already_registered = registered
    record.already_invited = len(checked.valid) - registered - len(created)
    record.save(update_fields=["invited", "already_registered", "already_invited"])
    return record


def _store(*, program: Program, record: InvitationImport, valid: list[ValidRow]) -> tuple[int, list[tuple]]:
    """How many valid rows are already live registrations of the program, and the invitations inserted
    ``(id, rfc, legal_name, email)``: rows whose RFC is registered or already invited are left out."""
    if not valid:
        return 0, []
    qn = connection.ops.quote_name
    suppliers = qn(Supplier._meta.db_table)
    invitations = qn(RegistrationInvitation._meta.db_table)
    live = [str(status) for status in Supplier.RFC_UNIQUE_STATUSES]
    registered_rfc = (
        f"EXISTS (SELECT 1 FROM {suppliers} s WHERE s.program_id = %s AND s.rfc = t.rfc AND s.status = ANY(%s))"
    )
    with connection.cursor() as cursor:
        cursor.execute(f"DROP TABLE IF EXISTS {_ROWS}")
        cursor.execute(
            f"CREATE TEMP TABLE {_ROWS} (row_number integer, rfc varchar(13), legal_name varchar(255), "
            "email varchar(254), state_id bigint) ON COMMIT DROP"
        )
        with cursor.cursor.copy(f"COPY {_ROWS} (row_number, rfc, legal_name, email, state_id) FROM STDIN") as copy:
            for row in valid:
                copy.write_row((row.row, row.rfc, row.legal_name, row.email, row.state_id))
        cursor.execute(f"ANALYZE {_ROWS}")
        cursor.execute(f"SELECT count(*) FROM {_ROWS} t WHERE {registered_rfc}", [program.pk, live])
        registered = cursor.fetchone()[0]
        cursor.execute(
            f"INSERT INTO {invitations} (program_id, rfc, legal_name, email, state_id, invitation_import_id, "
            f"created_at) SELECT %s, t.rfc, t.legal_name, t.email, t.state_id, %s, now() FROM {_ROWS} t "
            f"WHERE NOT {registered_rfc} ORDER BY t.row_number "
            "ON CONFLICT (program_id, rfc) DO NOTHING RETURNING id, rfc, legal_name, email",
            [program.pk, record.pk, program.pk, live],
        )
        created = cursor.fetchall()
        cursor.execute(f"DROP TABLE {_ROWS}")
    return registered, created


def registration_url() -> str:
    return f"{settings.SITE_URL}{reverse('suppliers:signup')}"


def _send(*, program: Program, created: list[tuple], languages: dict[str, str]) -> int:
    """One invitation email per new invitation, in the outbox (sent over time), in the language its row asked
    for (``languages``: by RFC): one COPY per language."""
    sent = 0
    for language in sorted(set(languages.values())):
        with translation.override(language):
            program_name = program.name
        sent += notify_one_template(
            template=INVITATION_TEMPLATE,
            language=language,
            context={"program_name": program_name, "registration_url": registration_url()},
            program=program.pk,
            varying=("company_name", "rfc"),
            messages=(
                (email, {"company_name": legal_name, "rfc": rfc}, invitation_dedupe_key(pk))
                for pk, rfc, legal_name, email in created
                if languages.get(rfc, "es-mx") == language
            ),
        )
    return sent
