"""The Spanish catalogue is complete and compiled: every message translated, none fuzzy, and the
committed .mo holds what the .po says (a .po edited without ``compilemessages`` fails here)."""

import ast
import gettext
import re
from pathlib import Path

LOCALE = Path(__file__).resolve().parent.parent / "locale" / "es_MX" / "LC_MESSAGES"


def _entries() -> list[dict]:
    """(msgctxt, msgid, msgid_plural, msgstr list, flags) of every live entry of django.po."""
    entries = []
    for block in (LOCALE / "django.po").read_text(encoding="utf-8").split("\n\n"):
        lines = [line for line in block.splitlines() if not line.startswith("#~")]
        entry, key = {"flags": "", "msgstr": {}}, None
        for line in lines:
            if line.startswith("#,"):
                entry["flags"] = line
            elif line.startswith("#"):
                continue
            elif line.startswith('"') and key is not None:
                target = entry["msgstr"] if isinstance(key, int) else entry
                target[key] = target.get(key, "") + ast.literal_eval(line)
            else:
                match = re.match(r'(msgctxt|msgid_plural|msgid|msgstr)(?:\[(\d+)\])? (".*")$', line)
                if match is None:
                    continue
                name, index, value = match.groups()
                key = int(index or 0) if name == "msgstr" else name
                target = entry["msgstr"] if name == "msgstr" else entry
                target[key] = ast.literal_eval(value)
        if entry.get("msgid"):
            entries.append(entry)
    return entries


def test_every_message_is_translated_and_none_is_fuzzy():
    entries = _entries()
    assert len(entries) > 800
    assert [e["msgid"] for e in entries if "fuzzy" in e["flags"]] == []
    assert [e["msgid"] for e in entries if not all(e["msgstr"].values())] == []


def test_the_compiled_catalogue_matches_the_po_file():
    with open(LOCALE / "django.mo", "rb") as fh:
        compiled = gettext.GNUTranslations(fh)._catalog
    stale = []
    for e in _entries():
        msgid = e["msgid"] if "msgctxt" not in e else f"{e['msgctxt']}\x04{e['msgid']}"
        if "msgid_plural" in e:
            if any(compiled.get((msgid, n)) != text for n, text in e["msgstr"].items()):
                stale.append(e["msgid"])
        elif compiled.get(msgid) != e["msgstr"][0]:
            stale.append(e["msgid"])
    assert stale == []  # run: manage.py compilemessages -l es_MX


# ---- the Spanish reads as Mexican business Spanish (docs/glossary.md) ------------------------------------

MONTHS = "enero febrero marzo abril mayo junio julio agosto septiembre octubre noviembre diciembre".split()

# Each pattern, with why it is wrong. The catalogue is checked string by string (every msgstr and plural form).
ANTI_PATTERNS = {
    r"(?i)\bintroduzc": 'the program says "Escriba", not "Introduzca"',
    r"(?i)\bingres[ea]\b": 'the program says "Escriba", not "Ingrese"',
    r"(?i)\be-?mail\b": 'Spanish says "correo" or "correo electrónico"',
    r"(?i)\bficheros?\b": 'Mexico says "archivo", not "fichero"',
    r"(?i)\bpor favor,? introduzca": "stock Django wording",
    r"(\d|\bde)\s+(" + "|".join(m.capitalize() for m in MONTHS) + r")\b": "months are written in lower case",
    # agreement: a registration (registro) and a diagnostic (diagnóstico) are masculine; a cohort (cohorte) and a
    # candidate (candidata) feminine
    r"(?i)\bregistros? (\w+ )?(enviada|verificada|rechazada|duplicada|guardada|completa)s?\b": "registro is masculine",
    r"(?i)\bdiagnósticos? (\w+ )?(enviada|calificada|validada|programada|publicada)s?\b": "diagnóstico is masculine",
    r"(?i)\bcohortes? (\w+ )?(cerrado|aprobado|propuesto)s?\b": "cohorte is feminine",
}

# Spanish names the program keeps as they are in English too (msgstr == msgid is right for these).
SAME_IN_BOTH = {
    "Constancia de Situación Fiscal",
    "INA · IFC",
}

# Statuses whose Spanish must agree with the noun they describe.
AGREEMENT = {
    "registration status": "o",  # registro enviado, verificado, rechazado, duplicado
}


def _texts(entry) -> list[str]:
    """The translations of an entry without their placeholders (``%(email)s``, ``{name}``, ``{{ x }}``)."""
    placeholder = re.compile(r"%\(\w+\)[sdr]|\{\{.*?\}\}|\{\w+\}")
    return [placeholder.sub("", text) for text in entry["msgstr"].values() if text]


def test_no_anti_pattern_in_the_spanish_catalogue():
    hits = []
    for entry in _entries():
        for text in _texts(entry):
            for pattern, why in ANTI_PATTERNS.items():
                if re.search(pattern, text):
                    hits.append(f"{entry['msgid']!r} -> {text!r}: {why}")
    assert hits == []


def test_no_english_left_in_the_spanish_catalogue():
    """A message of several words translated as itself is English left behind."""
    left = [
        e["msgid"]
        for e in _entries()
        if e["msgstr"].get(0) == e["msgid"]
        and len(re.findall(r"[A-Za-z]{2,}", e["msgid"])) >= 2
        and e["msgid"] not in SAME_IN_BOTH
    ]
    assert left == []


def test_statuses_agree_with_their_noun():
    wrong = [
        (e["msgid"], e["msgstr"][0])
        for e in _entries()
        if e.get("msgctxt") in AGREEMENT and not e["msgstr"][0].endswith(AGREEMENT[e["msgctxt"]])
    ]
    assert wrong == []


def test_the_anti_patterns_catch_what_they_are_meant_to():
    """The patterns themselves: each known bad sentence is caught, the good one is not."""
    bad = [
        "Introduzca una fecha válida.",
        "Por favor, ingrese su e-mail.",
        "Suba el fichero.",
        "Publicado el 2 de Diciembre de 2026.",
        "Registro enviada.",
        "Su diagnóstico fue enviada.",
        "La cohorte está cerrado.",
    ]
    good = [
        "Escriba una fecha válida.",
        "Publicado el 2 de diciembre de 2026.",
        "Registro enviado.",
        "Diagnóstico enviado.",
        "La cohorte está cerrada.",
        "Escriba su correo electrónico.",
    ]
    assert all(any(re.search(p, text) for p in ANTI_PATTERNS) for text in bad)
    assert not any(re.search(p, text) for p in ANTI_PATTERNS for text in good)


def test_django_stock_messages_read_as_the_program_writes(settings):
    """Django's own messages met on SDP's forms come from the project's catalogue (core/stock_messages.py)."""
    from django import forms
    from django.utils import translation

    class Sample(forms.Form):
        email = forms.EmailField()
        amount = forms.IntegerField(min_value=0)
        day = forms.DateField()

    with translation.override("es-mx"):
        errors = Sample({"email": "x", "amount": "-1", "day": "ayer"}).errors
    assert errors["email"] == ["Escriba un correo electrónico válido, como nombre@empresa.mx."]
    assert errors["amount"] == ["Escriba un valor de 0 o mayor."]
    assert errors["day"] == ["Escriba una fecha válida, por ejemplo 31/03/2027."]


def test_dates_read_with_lower_case_months_and_days():
    from datetime import date

    from django.utils import translation
    from django.utils.formats import date_format

    with translation.override("es-mx"):
        assert date_format(date(2026, 12, 2)) == "2 de diciembre de 2026"
        assert date_format(date(2027, 1, 1), "l j \\d\\e F") == "viernes 1 de enero"
        assert date_format(date(2027, 9, 1), "N Y") == "sep. 2027"
