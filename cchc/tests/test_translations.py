"""The Vietnamese catalogue is complete and its compiled form matches it."""

from __future__ import annotations

import ast
from pathlib import Path

from django.utils import translation

PO = Path(__file__).resolve().parents[2] / "locale" / "vi" / "LC_MESSAGES" / "django.po"


def _entries() -> list[tuple[str, str]]:
    entries, msgid, msgstr, current = [], None, None, None
    for line in [*PO.read_text(encoding="utf-8").splitlines(), ""]:
        if line.startswith("msgid "):
            msgid, current = ast.literal_eval(line[6:]), "id"
        elif line.startswith("msgstr ") or line.startswith("msgstr[0] "):
            msgstr, current = ast.literal_eval(line.split(" ", 1)[1]), "str"
        elif line.startswith(("msgid_plural ", "msgstr[")):
            current = None  # Vietnamese has one form; the singular pair is what is checked
        elif line.startswith('"') and current == "id":
            msgid += ast.literal_eval(line)
        elif line.startswith('"') and current == "str":
            msgstr += ast.literal_eval(line)
        elif not line.strip() and msgid is not None:
            entries.append((msgid, msgstr))
            msgid = msgstr = current = None
    return [(i, s) for i, s in entries if i]


def test_every_message_is_translated():
    untranslated = [msgid for msgid, msgstr in _entries() if not msgstr]
    assert untranslated == []


def test_compiled_catalogue_matches_the_source():
    with translation.override("vi"):
        stale = [(i, s) for i, s in _entries() if translation.gettext(i) != s]
    assert stale == [], "run `make messages` to compile locale/vi/LC_MESSAGES/django.mo"
