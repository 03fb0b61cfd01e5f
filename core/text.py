"""Vietnamese text normalisation shared by every parser and by search.

Officials write the same name many ways: "Phòng Văn hóa - Xã hội", "Phòng Văn hoá – xã hội",
"Phòng VH-XH", "VHXH". Everything that compares names goes through these functions.
"""

from __future__ import annotations

import re
import unicodedata

# Every dash-like character officials' keyboards produce, plus the slash and ampersand that join
# the halves of compound names ("HĐND&UBND", "HĐND-UBND").
_JOINERS = re.compile(r"[\-\u2010\u2011\u2012\u2013\u2014\u2015\u2212&/,.;:()\[\]\"'“”‘’*]+")
_SPACES = re.compile(r"\s+")


def fold(text: str) -> str:
    """Lower-case and strip Vietnamese diacritics: "Văn hoá" -> "van hoa", "Đông" -> "dong"."""
    text = unicodedata.normalize("NFD", text or "")
    text = "".join(ch for ch in text if unicodedata.category(ch) != "Mn")
    return text.replace("đ", "d").replace("Đ", "D").lower()


def squash_spaces(text: str) -> str:
    """Collapse every run of whitespace (including non-breaking spaces) to one space."""
    return _SPACES.sub(" ", (text or "").replace("\u00a0", " ")).strip()


def normalize_name(text: str) -> str:
    """A key that is insensitive to diacritics, case, dashes, punctuation and spacing.

    "và" is dropped because "HĐND và UBND", "HĐND&UBND" and "HĐND-UBND" name one office.
    """
    folded = _JOINERS.sub(" ", fold(text))
    words = [w for w in squash_spaces(folded).split(" ") if w and w != "va"]
    return " ".join(words)


def compact_key(text: str) -> str:
    """normalize_name without spaces, so "VH-XH", "VH XH" and "VHXH" meet."""
    return normalize_name(text).replace(" ", "")


def initials(text: str) -> str:
    """Upper-case initials of a name: "Văn hóa - Xã hội" -> "VHXH"."""
    return "".join(w[0] for w in normalize_name(text).split(" ") if w).upper()


# Inline tags that text copied from web pages or converted documents carries ("<i>…</i>").
_INLINE_TAGS = re.compile(
    r"</?(?:i|b|u|s|em|strong|sup|sub|span|font|small|mark|a|br|p)(?:\s[^<>]*)?/?>", re.I
)


def strip_markup(text: str) -> str:
    """The text without inline markup tags; a line break tag becomes a space, and what is not
    a known inline tag ("<5 ngày") is left as written."""
    return _INLINE_TAGS.sub(lambda m: " " if m.group(0)[1:3].lower() == "br" else "", text or "")


def search_key(*parts: str) -> str:
    """The folded text stored beside a record so that "cai cach" finds "cải cách"."""
    return squash_spaces(" ".join(fold(p) for p in parts if p))


_ROMAN_VALUES = (
    (1000, "M"),
    (900, "CM"),
    (500, "D"),
    (400, "CD"),
    (100, "C"),
    (90, "XC"),
    (50, "L"),
    (40, "XL"),
    (10, "X"),
    (9, "IX"),
    (5, "V"),
    (4, "IV"),
    (1, "I"),
)


def roman(number: int) -> str:
    """Roman numerals, as plans number their reform areas: 4 -> "IV"."""
    out = []
    for value, letters in _ROMAN_VALUES:
        count, number = divmod(number, value)
        out.append(letters * count)
    return "".join(out)


_ROMAN = re.compile(r"^(?=[MDCLXVI])M{0,3}(CM|CD|D?C{0,3})(XC|XL|L?X{0,3})(IX|IV|V?I{0,3})$")


def from_roman(text: str) -> int | None:
    """The number a Roman numeral writes ("IV" -> 4), None for anything else."""
    text = (text or "").strip().upper()
    if not _ROMAN.match(text):
        return None
    values = {letters: value for value, letters in _ROMAN_VALUES}
    total, i = 0, 0
    while i < len(text):
        pair = text[i : i + 2]
        if len(pair) == 2 and pair in values:
            total, i = total + values[pair], i + 2
        else:
            total, i = total + values[text[i]], i + 1
    return total
