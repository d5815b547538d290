"""Private files (SMEs' documents, evidence, financing documents, anchors' drawings): served only by a view
that has checked who may read them, as a download that no shared cache keeps."""

from django.db import DEFAULT_DB_ALIAS, connections, transaction
from django.http import FileResponse


def private_download(file_field, *, filename: str, content_type: str) -> FileResponse:
    """``file_field`` as an attachment named ``filename``; the caller has checked the reader's right."""
    response = FileResponse(file_field.open("rb"), as_attachment=True, filename=filename, content_type=content_type)
    response["Cache-Control"] = "private, no-store"
    return response


# Files written inside a transaction that has not committed yet, per database connection. A file is written to
# storage before its row, so a transaction that rolls back (a later error in the request, a refused savepoint)
# would leave it on disk with no row pointing at it. Each written file is listed here until its transaction
# commits; whatever is still listed once the connection has left every atomic block was rolled back, and goes.
_PENDING_ATTR = "sdp_uncommitted_files"


def save_in_transaction(field_file, name: str, content, *, using: str = DEFAULT_DB_ALIAS) -> None:
    """``field_file.save(name, content, save=False)``, removed again if the surrounding transaction rolls back
    (see ``discard_uncommitted``)."""
    field_file.save(name, content, save=False)
    connection = connections[using]
    if not connection.in_atomic_block:
        return  # autocommit: the row's own save commits it
    pending: set = connection.__dict__.setdefault(_PENDING_ATTR, set())
    entry = (field_file.storage, str(field_file.name))
    pending.add(entry)
    transaction.on_commit(lambda: pending.discard(entry), using=using)


def discard_uncommitted(**_kwargs) -> int:
    """Delete the files written by transactions that rolled back; returns how many. Called when a request or a
    queued task ends; a connection still inside an atomic block (a test's transaction) is left alone."""
    removed = 0
    for connection in connections.all(initialized_only=True):
        pending: set | None = connection.__dict__.get(_PENDING_ATTR)
        if not pending or connection.in_atomic_block:
            continue
        for storage, name in list(pending):
            storage.delete(name)
            removed += 1
        pending.clear()
    return removed
