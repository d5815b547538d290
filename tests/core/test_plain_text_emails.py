"""Plain-text emails keep what people typed: no HTML escaping in the body or the subject; HTML pages still escape."""

import pytest
from django.template import engines

from core import notifications

pytestmark = pytest.mark.django_db

NAME = 'O\'Brien & Co <Autopartes> "Norte"'


@pytest.mark.parametrize("language", ["es-mx", "en"])
def test_plain_text_email_is_not_html_escaped(language):
    message = notifications.notify(
        template="registration_received",
        recipient="pyme@example.mx",
        language=language,
        context={"supplier_name": NAME, "contact_name": NAME},
    )
    assert NAME in message.body
    assert "&amp;" not in message.body and "&#x27;" not in message.body and "&lt;" not in message.body


def test_subject_is_not_html_escaped_and_is_one_clean_line():
    message = notifications.notify(
        template="registration_received",
        recipient="pyme@example.mx",
        context={"supplier_name": NAME + "\r\nBcc: x@example.mx\x07"},
    )
    assert "&amp;" not in message.subject and "&#x27;" not in message.subject
    assert "\n" not in message.subject and "\r" not in message.subject and "\x07" not in message.subject


def test_html_templates_still_escape():
    rendered = engines["django"].from_string("{{ name }}").render({"name": NAME})
    assert "O&#x27;Brien &amp; Co &lt;Autopartes&gt;" in rendered
