"""Fault tests of the outbox with a real Redis (our own, so we can stop it), real workers and PostgreSQL.

- Redis down while SMEs register: registrations and messages are saved; once
  Redis is back the beat task delivers every message, none twice.
- A worker SIGKILLed in the middle of sending: the task comes back
  (acks_late + visibility timeout) and the message is sent exactly once.
"""

import collections
import time

import pytest
from django.db import transaction

from core import notifications, tasks
from core.models import OutboundMessage
from suppliers.models import Supplier
from tests.conftest import wait_for
from tests.suppliers.factories import SupplierFactory

from .faults import RedisServer, Worker, free_port, point_app_at, restore_app, saved_app_config

pytestmark = [pytest.mark.integration, pytest.mark.django_db(transaction=True)]


@pytest.fixture
def redis_server():
    server = RedisServer(free_port())
    server.start()
    saved = saved_app_config()
    point_app_at(server.url)
    yield server
    server.stop()
    restore_app(*saved)


@pytest.fixture
def mail_dir(tmp_path):
    path = tmp_path / "mail"
    path.mkdir()
    return path


def delivered(mail_dir) -> collections.Counter:
    """How many emails went out per outbox id (a duplicate shows as a count of 2)."""
    return collections.Counter(int(p.name.split("-", 1)[0]) for p in mail_dir.glob("*.eml"))


def register_sme(n: int) -> OutboundMessage:
    """What registration does: the supplier and its message in one transaction."""
    with transaction.atomic():
        supplier = SupplierFactory(legal_name=f"Maquinados {n} SA de CV")
        return notifications.notify(
            template="registration_received",
            recipient=f"contacto{n}@pyme.example.mx",
            language="es-mx",
            context={"supplier_name": supplier.legal_name},
            dedupe_key=f"registration_received:supplier:{supplier.pk}",
        )


def test_redis_outage_while_smes_register_loses_and_duplicates_nothing(redis_server, mail_dir, tmp_path):
    worker = Worker(broker_url=redis_server.url, mail_dir=mail_dir, log_path=tmp_path / "worker.log")
    worker.start()
    try:
        before = register_sme(0)
        assert wait_for(lambda: delivered(mail_dir)[before.pk] == 1, timeout=20)

        redis_server.stop()  # the broker goes away; queued tasks are lost with it (no persistence)
        during = [register_sme(n) for n in range(1, 6)]
        assert Supplier.objects.count() == 6  # every registration was saved
        assert set(OutboundMessage.objects.filter(pk__in=[m.pk for m in during]).values_list("status", flat=True)) == {
            "pending"
        }

        redis_server.start()  # empty Redis on the same port
        worker.wait_ready(timeout=45)
        # the beat task, twice at once on a 2-process worker: the row locks keep it to one email each
        tasks.send_due_messages.delay()
        tasks.send_due_messages.delay()
        ids = [m.pk for m in during]
        assert wait_for(lambda: OutboundMessage.objects.filter(pk__in=ids, status="sent").count() == 5, timeout=30)
        time.sleep(1)  # let any (wrong) second delivery land before counting
        counts = delivered(mail_dir)
        assert {pk: counts[pk] for pk in [before.pk, *ids]} == dict.fromkeys([before.pk, *ids], 1)
        assert sum(counts.values()) == 6
    finally:
        worker.stop()


def test_worker_killed_mid_send_runs_again_and_sends_once(redis_server, mail_dir, tmp_path):
    slow = Worker(
        broker_url=redis_server.url,
        mail_dir=mail_dir,
        log_path=tmp_path / "slow.log",
        slow_mail_seconds=30,
        concurrency=1,
    )
    slow.start()
    try:
        message = register_sme(1)

        def being_sent() -> bool:  # the worker holds the row lock while it talks to the mail server
            with transaction.atomic():
                return not OutboundMessage.objects.select_for_update(skip_locked=True).filter(pk=message.pk).exists()

        assert wait_for(being_sent, timeout=20)
        slow.kill()
    finally:
        slow.stop()
    row = OutboundMessage.objects.get(pk=message.pk)
    assert (row.status, row.attempts, delivered(mail_dir)[message.pk]) == ("pending", 0, 0)

    # A new worker: the unacknowledged task is restored after the visibility timeout and runs again.
    fresh = Worker(
        broker_url=redis_server.url, mail_dir=mail_dir, log_path=tmp_path / "fresh.log", slow_mail_seconds=0.5
    )
    fresh.start()
    try:
        assert wait_for(lambda: OutboundMessage.objects.filter(pk=message.pk, status="sent").exists(), timeout=30)
        time.sleep(1)
        assert delivered(mail_dir)[message.pk] == 1
        assert OutboundMessage.objects.get(pk=message.pk).attempts == 1
        log = (tmp_path / "fresh.log").read_text()
        assert "core.tasks.send_message" in log  # it was the redelivered task, not the beat task
    finally:
        fresh.stop()
