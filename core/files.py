"""Private files (SMEs' documents, evidence, financing documents, anchors' drawings): served only by a view
that has checked who may read them, as a download that no shared cache keeps."""

from typing import cast

from django.db import DEFAULT_DB_ALIAS, connections, models, transaction
from django.db.models.fields.files import FieldFile
from django.http import FileResponse
from django.urls import reverse


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


class ServedFieldFile(FieldFile):
    """A stored file whose address is the view that serves it, after checking who asks."""

    @property
    def url(self) -> str:
        if not self.name:
            raise ValueError(f"The '{self.field.name}' attribute has no file associated with it.")
        field = cast(ServedFileField, self.field)
        return reverse(field.view, args=[self.instance.pk])


class ServedFileField(models.FileField):
    """A file field of a file served only by a permission-checked view (``MEDIA_URL`` is unset: the storage gives
    no address): ``view`` is that view's URL name, reversed with the row's id. Every place that links a file by
    its ``url`` (the admin's change pages and inputs, templates) links the view."""

    attr_class = ServedFieldFile

    def __init__(self, *args, view: str = "", **kwargs):
        self.view = view
        super().__init__(*args, **kwargs)

    def deconstruct(self):
        name, path, args, kwargs = super().deconstruct()
        kwargs["view"] = self.view
        return name, path, args, kwargs
