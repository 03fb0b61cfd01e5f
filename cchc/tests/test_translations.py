"""The Vietnamese catalogues are complete and their compiled forms match them."""

from __future__ import annotations

import ast
from pathlib import Path

import pytest
from django.utils import translation

ROOT = Path(__file__).resolve().parents[2]
# The project's catalogue, then each app's own.
PO = Path("vi") / "LC_MESSAGES" / "django.po"
CATALOGUES = [ROOT / "locale" / PO, *sorted(ROOT.glob(f"*/locale/{PO.as_posix()}"))]


def _entries(po: Path) -> list[tuple[str, str]]:
    entries, msgid, msgstr, current = [], None, None, None
    for line in [*po.read_text(encoding="utf-8").splitlines(), ""]:
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


@pytest.mark.parametrize("po", CATALOGUES, ids=lambda p: str(p.relative_to(ROOT)))
def test_every_message_is_translated(po):
    untranslated = [msgid for msgid, msgstr in _entries(po) if not msgstr]
    assert untranslated == []


@pytest.mark.parametrize("po", CATALOGUES, ids=lambda p: str(p.relative_to(ROOT)))
def test_compiled_catalogue_matches_the_source(po):
    with translation.override("vi"):
        stale = [(i, s) for i, s in _entries(po) if translation.gettext(i) != s]
    assert stale == [], f"run `make messages` to compile {po.with_suffix('.mo')}"
