"""A file written inside a transaction that rolls back does not stay in storage."""

import pytest
from django.core.files.base import ContentFile
from django.core.signals import request_finished
from django.db import transaction

from core.files import discard_uncommitted, save_in_transaction
from suppliers.models import Document

pytestmark = pytest.mark.django_db(transaction=True)


class Boom(Exception):
    pass


def _document() -> Document:
    return Document(supplier_id=1, kind="other")


def test_a_rolled_back_transaction_leaves_no_file_once_the_request_ends():
    document = _document()
    with pytest.raises(Boom), transaction.atomic():
        save_in_transaction(document.file, "evidence.pdf", ContentFile(b"%PDF-1.4 rolled back"))
        raise Boom
    storage, name = document.file.storage, document.file.name
    assert storage.exists(name)  # written before the rollback
    request_finished.send(sender=None)
    assert not storage.exists(name)


def test_a_committed_file_stays():
    document = _document()
    with transaction.atomic():
        save_in_transaction(document.file, "evidence.pdf", ContentFile(b"%PDF-1.4 committed"))
    assert discard_uncommitted() == 0
    assert document.file.storage.exists(document.file.name)
    document.file.delete(save=False)


def test_a_refused_savepoint_loses_its_file_while_the_outer_transaction_commits():
    kept, refused = _document(), _document()
    with transaction.atomic():
        save_in_transaction(kept.file, "kept.pdf", ContentFile(b"%PDF-1.4 kept"))
        with pytest.raises(Boom), transaction.atomic():
            save_in_transaction(refused.file, "refused.pdf", ContentFile(b"%PDF-1.4 refused"))
            raise Boom
    assert discard_uncommitted() == 1
    assert kept.file.storage.exists(kept.file.name)
    assert not refused.file.storage.exists(refused.file.name)
    kept.file.delete(save=False)


def test_nothing_is_removed_while_the_transaction_is_still_open():
    document = _document()
    with transaction.atomic():
        save_in_transaction(document.file, "open.pdf", ContentFile(b"%PDF-1.4 open"))
        assert discard_uncommitted() == 0
        assert document.file.storage.exists(document.file.name)
    assert discard_uncommitted() == 0
    document.file.delete(save=False)
