"""End to end through the real services: Redis carries the task, a worker runs it, PostgreSQL holds the effect."""

import pytest
from django.core import mail
from django.db import transaction

from core import notifications
from core.models import OutboundMessage
from tests.conftest import wait_for

pytestmark = [pytest.mark.integration, pytest.mark.django_db(transaction=True)]


def test_outbox_message_is_sent_by_the_worker(celery_worker):
    with transaction.atomic():
        message = notifications.notify(
            template="registration_received",
            recipient="pyme@example.mx",
            language="es-mx",
            context={"supplier_name": "Troqueles del Norte"},
        )
    sent = wait_for(lambda: OutboundMessage.objects.filter(pk=message.pk, status="sent").exists())
    assert sent, OutboundMessage.objects.get(pk=message.pk).__dict__
    row = OutboundMessage.objects.get(pk=message.pk)
    assert row.attempts == 1 and row.sent_at is not None
    # It went through the worker, not in this process.
    assert mail.outbox == []
