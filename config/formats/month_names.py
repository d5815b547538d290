"""Month names as Mexican Spanish writes them in a date, in lower case ("2 de diciembre de 2026").

Django's own es_MX catalogue capitalises them ("Enero"); the project's catalogue (LOCALE_PATHS) is
read first, so the entries translated from these names win. Listed here so that makemessages keeps them.
"""

from django.utils.translation import gettext_noop

MONTHS = (
    gettext_noop("January"),
    gettext_noop("February"),
    gettext_noop("March"),
    gettext_noop("April"),
    gettext_noop("May"),
    gettext_noop("June"),
    gettext_noop("July"),
    gettext_noop("August"),
    gettext_noop("September"),
    gettext_noop("October"),
    gettext_noop("November"),
    gettext_noop("December"),
)
