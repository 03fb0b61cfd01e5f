"""Read a plan's target ("chỉ tiêu") sentence into a comparator, a figure and a unit.

"Phấn đấu từ 95% trở lên người dân ... hài lòng" is AT_LEAST 95 %, "Trên 90% thủ tục ..." is
MORE_THAN 90 %, "Thực hiện đầy đủ 02 hoạt động theo dõi thi hành pháp luật" is AT_LEAST 2
"hoạt động", "tăng so với năm 2025" is HIGHER_THAN_BASELINE against 2025. A sentence with no
readable target is UNKNOWN, which the UI shows for review. Pure functions, no Django.

Choices where the wording is open:
- A bare figure ("100% hồ sơ ...", "Hoàn thành 100% kế hoạch") is AT_LEAST it.
- "từ 95% -100%" is BETWEEN and is met from 95 up (100.5 is met too).
- The first figure outside brackets wins; a bracketed one is used when it is the only one.
- "Vượt chỉ tiêu ... được giao" has no figure: it is HIGHER_THAN_BASELINE without a year, the
  baseline being the assigned quota that the user enters; until then it is NOT_MEASURED.
- "tăng 10% so với năm 2025" keeps 10 % as the size of the change: met at baseline * 1.1.
- "so với năm 2024" with no direction word (tăng/giảm/cao hơn/...) is UNKNOWN.

Keywords are matched on folded text (no diacritics, lower case); the unit word is cut from the
original text, so the fold must keep every character in place (see `_fold_aligned`).
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass
from decimal import Decimal, InvalidOperation
from enum import StrEnum

from core.text import fold


class Comparator(StrEnum):
    AT_LEAST = "gte"
    MORE_THAN = "gt"
    AT_MOST = "lte"
    LESS_THAN = "lt"
    EXACTLY = "eq"
    BETWEEN = "between"
    HIGHER_THAN_BASELINE = "higher_than_baseline"
    LOWER_THAN_BASELINE = "lower_than_baseline"
    UNKNOWN = "unknown"


class Attainment(StrEnum):
    MET = "met"
    NOT_MET = "not_met"
    NOT_MEASURED = "not_measured"


@dataclass(frozen=True)
class ParsedTarget:
    text: str
    comparator: Comparator
    value: Decimal | None
    value_max: Decimal | None = None  # upper figure of BETWEEN
    unit: str = ""  # "%", or the counted word ("hoạt động", "sáng kiến"); "" when none
    baseline_year: int | None = None  # "cao hơn năm 2023" -> 2023

    @property
    def needs_review(self) -> bool:
        return self.comparator is Comparator.UNKNOWN


# --- Patterns (on aligned folded text) ----------------------------------------------------------

_DASHES = re.compile(r"[\u2010\u2011\u2012\u2013\u2014\u2015\u2212]")
_NUMBER = r"\d+(?:[.,]\d+)*"
_PERCENT = re.compile(rf"(?<![\w.,])(?P<num>{_NUMBER})\s*(?:%|phan\s+tram\b)")
# A counted figure is followed by a word: "02 hoạt động", "01 sáng kiến".
_COUNT = re.compile(rf"(?<![\w.,/:\-])(?P<num>{_NUMBER})(?![\w.,/:%\-])(?=\s+[^\W\d_])")
# Words after which a number is a date, a year or a document number, not a target.
_NOT_A_FIGURE_AFTER = re.compile(
    r"\b(?:nam|ngay|thang|quy|so|dot|ky|dieu|khoan|diem|muc|luc|doan|iso|tcvn|nghi\s+dinh"
    r"|quyet\s+dinh|thong\s+tu|nghi\s+quyet|cong\s+van|ke\s+hoach)\s*$"
)
_PREFIX = re.compile(
    r"(?<![a-z])(?P<kw>khong\s+thap\s+hon|khong\s+it\s+hon|khong\s+duoi|toi\s+thieu|it\s+nhat"
    r"|khong\s+vuot\s+qua|khong\s+qua|khong\s+cao\s+hon|khong\s+lon\s+hon|khong\s+nhieu\s+hon"
    r"|toi\s+da|tren|lon\s+hon|cao\s+hon|nhieu\s+hon|hon|vuot|duoi|thap\s+hon|nho\s+hon|it\s+hon"
    r"|bang|tu)(?:\s+(?:muc|ty\s+le|la|so|dat|phai\s+dat))*\s*$"
)
_PREFIX_COMPARATORS: dict[str, Comparator] = {
    "khong thap hon": Comparator.AT_LEAST,
    "khong it hon": Comparator.AT_LEAST,
    "khong duoi": Comparator.AT_LEAST,
    "toi thieu": Comparator.AT_LEAST,
    "it nhat": Comparator.AT_LEAST,
    "tu": Comparator.AT_LEAST,
    "khong vuot qua": Comparator.AT_MOST,
    "khong qua": Comparator.AT_MOST,
    "khong cao hon": Comparator.AT_MOST,
    "khong lon hon": Comparator.AT_MOST,
    "khong nhieu hon": Comparator.AT_MOST,
    "toi da": Comparator.AT_MOST,
    "tren": Comparator.MORE_THAN,
    "lon hon": Comparator.MORE_THAN,
    "cao hon": Comparator.MORE_THAN,
    "nhieu hon": Comparator.MORE_THAN,
    "hon": Comparator.MORE_THAN,
    "vuot": Comparator.MORE_THAN,
    "duoi": Comparator.LESS_THAN,
    "thap hon": Comparator.LESS_THAN,
    "nho hon": Comparator.LESS_THAN,
    "it hon": Comparator.LESS_THAN,
    "bang": Comparator.EXACTLY,
}
# After the figure: "95% -100%", "95% đến 100%", "60% trở lên", "5% trở xuống".
_RANGE_TAIL = re.compile(
    rf"\s*(?:-|den|toi)\s*(?P<num>{_NUMBER})(?![\w.,/:\-])\s*(?P<pct>%|phan\s+tram\b)?"
)
_UP_TAIL = re.compile(r"\s*tro\s+len\b")
_DOWN_TAIL = re.compile(r"\s*tro\s+xuong\b")
_WORD = re.compile(r"\s*([^\W\d_]+)")

# "so với năm 2025", "cao hơn năm 2023", "so với năm trước liền kề", "so với cùng kỳ"
_BASELINE = re.compile(
    r"\b(?:so\s+voi|hon)\s+(?:cung\s+ky\s+|ket\s+qua\s+)?(?:(?:cua\s+)?nam\s+(?P<year>\d{4})(?!\d)"
    r"|nam\s+truoc(?:\s+lien\s+ke)?|ky\s+truoc|cung\s+ky)"
)
# Matched with diacritics (on lower-cased text): folded "tang" would also be "tầng" in "hạ tầng".
_HIGHER = re.compile(r"\b(?:tăng|cao\s+hơn|lớn\s+hơn|nhiều\s+hơn|vượt|nâng)\b")
_LOWER = re.compile(r"\b(?:giảm|thấp\s+hơn|nhỏ\s+hơn|ít\s+hơn)\b")
# "Vượt chỉ tiêu thu ngân sách ... được giao": beat an assigned figure not written in the plan.
_EXCEED_ASSIGNED = re.compile(r"\bvuot\s+(?:cac\s+)?(?:chi\s+tieu|ke\s+hoach|muc|du\s+toan)")

# Counted words of one syllable; any other unit is taken as two ("hoạt động", "sáng kiến").
# fmt: off
_ONE_WORD_UNITS = frozenset({
    "lần", "lượt", "cuộc", "đợt", "buổi", "lớp", "bài", "tin", "người", "xã", "phường", "bản",
    "bộ", "hộ", "kỳ", "thôn", "tổ", "cái", "chiếc", "trang", "file", "video", "clip", "ngày",
    "tháng", "năm", "giờ", "tuần",
})
# fmt: on


# --- Parsing ------------------------------------------------------------------------------------


@dataclass(frozen=True)
class _Figure:
    start: int
    end: int  # after the figure and its "%", or after the upper figure of a range
    value: Decimal
    percent: bool
    in_brackets: bool


def _fold_aligned(text: str) -> str:
    """`fold` one character at a time, so that position i in the result is position i in text."""
    out = []
    for char in text:
        folded = fold(char)
        out.append(folded if len(folded) == 1 else " ")
    return _DASHES.sub("-", "".join(out))


def _lower_aligned(text: str) -> str:
    return "".join(low if len(low := char.lower()) == 1 else char for char in text)


def _to_decimal(raw: str) -> Decimal | None:
    """Vietnamese figures: "92,5" is 92.5; "1.000" is one thousand; "92.5" is 92.5."""
    if "," in raw:
        raw = raw.replace(".", "")
        raw = raw.replace(",", ".") if raw.count(",") == 1 else raw.replace(",", "")
    elif "." in raw:
        groups = raw.split(".")
        if raw.count(".") > 1 or all(len(g) == 3 for g in groups[1:]):
            raw = raw.replace(".", "")
    try:
        return Decimal(raw)
    except InvalidOperation:
        return None


def _bracket_depths(text: str) -> list[int]:
    depths, depth = [], 0
    for char in text:
        if char == "(":
            depth += 1
        depths.append(depth)
        if char == ")" and depth:
            depth -= 1
    return depths


def _clauses(text: str) -> list[tuple[int, int]]:
    """Spans of the clauses of a sentence, cut at ";" and ". " outside brackets."""
    spans, start, depth = [], 0, 0
    for index, char in enumerate(text):
        if char == "(":
            depth += 1
        elif char == ")" and depth:
            depth -= 1
        elif depth == 0 and (
            char == ";" or (char == "." and text[index + 1 : index + 2] in (" ", "\n"))
        ):
            spans.append((start, index))
            start = index + 1
    spans.append((start, len(text)))
    return spans


def _figures(folded: str, depths: list[int], lo: int, hi: int) -> list[_Figure]:
    found: list[_Figure] = []
    for pattern, percent in ((_PERCENT, True), (_COUNT, False)):
        for match in pattern.finditer(folded, lo, hi):
            value = _to_decimal(match["num"])
            if value is None:
                continue
            if not percent:
                before = folded[lo : match.start()]
                is_year = len(match["num"]) == 4 and 1900 <= value <= 2100
                if is_year or _NOT_A_FIGURE_AFTER.search(before):
                    continue
            found.append(
                _Figure(match.start(), match.end(), value, percent, depths[match.start()] > 0)
            )
    found.sort(key=lambda f: f.start)
    return found


def _main_figure(figures: list[_Figure]) -> _Figure | None:
    """The first figure outside brackets; a bracketed one only when there is nothing else."""
    outside = [f for f in figures if not f.in_brackets]
    return (outside or figures or [None])[0]


def _unit_after(original: str, position: int, hi: int, percent: bool) -> tuple[str, int]:
    """The unit of a figure ending at position, and where the unit ends."""
    if percent:
        return "%", position
    first = _WORD.match(original, position, hi)
    if not first:
        return "", position
    word = first.group(1).lower()
    if word in _ONE_WORD_UNITS:
        return word, first.end()
    second = _WORD.match(original, first.end(), hi)
    if not second:
        return word, first.end()
    return f"{word} {second.group(1).lower()}", second.end()


def parse_target(text: str) -> ParsedTarget:
    """The comparator, figure and unit of a target sentence; UNKNOWN when none is readable.

    The first clause with a readable target wins, so "Phấn đấu từ 95% trở lên ... Trong đó, ...
    đạt tối thiểu 85%" is 95. Never raises.
    """
    original = unicodedata.normalize("NFC", text or "")
    folded = _fold_aligned(original)
    depths = _bracket_depths(original)
    for lo, hi in _clauses(original):
        parsed = _parse_clause(text, original, folded, depths, lo, hi)
        if parsed.comparator is not Comparator.UNKNOWN:
            return parsed
    return ParsedTarget(text=text, comparator=Comparator.UNKNOWN, value=None)


def _parse_clause(
    text: str, original: str, folded: str, depths: list[int], lo: int, hi: int
) -> ParsedTarget:
    figures = _figures(folded, depths, lo, hi)
    main = _main_figure(figures)
    baseline = _BASELINE.search(folded, lo, hi)
    if baseline:
        directions = [
            (m.start(), comparator)
            for pattern, comparator in (
                (_HIGHER, Comparator.HIGHER_THAN_BASELINE),
                (_LOWER, Comparator.LOWER_THAN_BASELINE),
            )
            for m in pattern.finditer(_lower_aligned(original), lo, baseline.end())
        ]
        if directions:
            where, comparator = max(directions)  # the direction word nearest the baseline
            if main is None or main.start >= where:
                # "tăng 10% so với năm 2025": the figure between is the size of the change.
                change = next((f for f in figures if where <= f.start < baseline.start()), None)
                year = baseline["year"]
                return ParsedTarget(
                    text=text,
                    comparator=comparator,
                    value=change.value if change else None,
                    unit=_unit_after(original, change.end, hi, change.percent)[0] if change else "",
                    baseline_year=int(year) if year else None,
                )
    if main is not None:
        return _from_figure(text, original, folded, main, lo, hi)
    if _EXCEED_ASSIGNED.search(folded, lo, hi):
        # The assigned figure is not in the plan: it is the baseline given to `attainment`.
        return ParsedTarget(text=text, comparator=Comparator.HIGHER_THAN_BASELINE, value=None)
    return ParsedTarget(text=text, comparator=Comparator.UNKNOWN, value=None)


def _from_figure(
    text: str, original: str, folded: str, figure: _Figure, lo: int, hi: int
) -> ParsedTarget:
    prefix = _PREFIX.search(folded, lo, figure.start)
    comparator = (
        _PREFIX_COMPARATORS[" ".join(prefix["kw"].split())] if prefix else Comparator.AT_LEAST
    )
    end, value_max = figure.end, None
    ranged = _RANGE_TAIL.match(folded, end, hi)
    if ranged and (figure.percent or not ranged["pct"]):
        upper = _to_decimal(ranged["num"])
        if upper is not None and upper >= figure.value:
            comparator, value_max, end = Comparator.BETWEEN, upper, ranged.end()
    unit, unit_end = _unit_after(original, end, hi, figure.percent)
    # "trở lên" may follow the figure or its unit: "60% trở lên", "02 hoạt động trở lên".
    for position in (end, unit_end):
        if _UP_TAIL.match(folded, position, hi):
            comparator = Comparator.AT_LEAST
        elif _DOWN_TAIL.match(folded, position, hi):
            comparator = Comparator.AT_MOST
    return ParsedTarget(
        text=text, comparator=comparator, value=figure.value, value_max=value_max, unit=unit
    )


# --- Attainment ---------------------------------------------------------------------------------


def _as_decimal(value: object) -> Decimal | None:
    if value is None:
        return None
    try:
        number = value if isinstance(value, Decimal) else Decimal(str(value))
    except (InvalidOperation, ValueError):
        return None
    return number if number.is_finite() else None


def attainment(
    target: ParsedTarget, actual: Decimal | None, baseline: Decimal | None = None
) -> Attainment:
    """Whether the actual figure meets the target, in exact Decimal arithmetic.

    BETWEEN is met from its lower figure up: "từ 95% - 100%" is met by 95 and by 100.
    Baseline targets need the baseline figure (last year's result, or the assigned quota for
    "vượt chỉ tiêu được giao"); without it nothing is measured. A change written with the
    baseline ("tăng 10% so với năm 2025") must be reached in full.
    """
    measured = _as_decimal(actual)
    if measured is None or target.comparator is Comparator.UNKNOWN:
        return Attainment.NOT_MEASURED
    if target.comparator in (Comparator.HIGHER_THAN_BASELINE, Comparator.LOWER_THAN_BASELINE):
        return _against_baseline(target, measured, _as_decimal(baseline))
    value = target.value
    if value is None:
        return Attainment.NOT_MEASURED
    met = {
        Comparator.AT_LEAST: measured >= value,
        Comparator.BETWEEN: measured >= value,
        Comparator.MORE_THAN: measured > value,
        Comparator.AT_MOST: measured <= value,
        Comparator.LESS_THAN: measured < value,
        Comparator.EXACTLY: measured == value,
    }[target.comparator]
    return Attainment.MET if met else Attainment.NOT_MET


def _against_baseline(
    target: ParsedTarget, actual: Decimal, baseline: Decimal | None
) -> Attainment:
    if baseline is None:
        return Attainment.NOT_MEASURED
    higher = target.comparator is Comparator.HIGHER_THAN_BASELINE
    change = target.value
    if change is None:
        met = actual > baseline if higher else actual < baseline
    else:
        if target.unit == "%":
            change = baseline * change / Decimal(100)
        met = actual >= baseline + change if higher else actual <= baseline - change
    return Attainment.MET if met else Attainment.NOT_MET
