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
