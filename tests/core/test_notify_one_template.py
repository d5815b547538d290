"""The outbox's bulk path writes the very messages ``notify`` writes, one by one, for the same values."""

import random
import string

import pytest

from core.models import OutboundMessage
from core.notifications import notify, notify_one_template
from tests.programs.factories import PartnerFactory

pytestmark = pytest.mark.django_db

ALPHABET = string.ascii_letters + string.digits + " áéíóúñÑ&.,-'\"<>{}%()\n\t\r\x07\x1b\x85\u2028"


def _text(rng: random.Random, longest: int = 80) -> str:
    return "".join(rng.choice(ALPHABET) for _ in range(rng.randint(0, longest)))


@pytest.mark.parametrize("language", ["es-mx", "en", "fr"])
def test_notify_one_template_equals_notify_for_random_values(language):
    rng = random.Random(language)
    partner = PartnerFactory(short_name="INA")
    PartnerFactory(program=partner.program, short_name="", name="Secretaría de Economía")
    program = partner.program_id
    shared = {"program_name": _text(rng, 40), "registration_url": "https://sdp.example.mx/registro/"}
    values = [{"company_name": _text(rng), "rfc": _text(rng, 13)} for _ in range(40)]
    written = notify_one_template(
        template="registration_invitation",
        language=language,
        context=shared,
        program=program,
        varying=("company_name", "rfc"),
        messages=((f"bulk{n}@pyme.mx", row, f"bulk:{n}") for n, row in enumerate(values)),
    )
    assert written == len(values)
    for n, row in enumerate(values):
        one = notify(
            template="registration_invitation",
            recipient=f"one{n}@pyme.mx",
            language=language,
            context={**shared, **row},
            dedupe_key=f"one:{n}",
            program=program,
        )
        bulk = OutboundMessage.objects.get(dedupe_key=f"bulk:{n}")
        assert (bulk.subject, bulk.body, bulk.language) == (one.subject, one.body, one.language)
        assert bulk.context == one.context
        assert bulk.context["partners"] == ["INA", "Secretaría de Economía"]
        assert "INA" in bulk.body and "Secretaría de Economía" in bulk.body
        assert bulk.status == OutboundMessage.Status.PENDING and bulk.next_attempt_at is not None


def test_notify_one_template_without_messages_writes_nothing():
    program = PartnerFactory().program_id
    written = notify_one_template(
        template="registration_invitation", program=program, varying=("company_name", "rfc"), messages=[]
    )
    assert written == 0
    assert not OutboundMessage.objects.exists()
