"""Read a plan's "Thời gian thực hiện/ hoàn thành" cell into dated milestones.

Officials write deadlines many ways: "Trước ngày 15/01/2026", "Quý III, IV/2026", "Thường xuyên",
"Theo chỉ đạo của cấp trên", "Trước ngày 10 của tháng cuối cùng kỳ báo cáo", or several of these
in one cell. Every cell becomes at least one milestone; what cannot be read is kept as UNREADABLE
so that a person sets the date, and nothing is ever dropped. Pure functions, no Django.

All matching happens on folded text (`fold`: lower case, no diacritics, "đ" -> "d"), so
"Quý I/2026" is seen as "quy i/2026" and "Thường xuyên" as "thuong xuyen".

Choices where the wording is open:
- A missing year comes from the plan period (the period year the date falls in), else from a
  year written elsewhere in the cell, else the item is UNREADABLE.
- "kỳ báo cáo" and a bare "định kỳ" mean the quarterly CCHC report cycle.
- "Thường xuyên" wins over any date in the same item ("Thường xuyên trong năm 2026").
- A bare year ("năm 2026", "cuối năm") is dropped when the item also names a finer date, so
  "Kiểm tra cuối năm ... năm 2026: Tháng 10-11/2026" is the range October-November only.
- An explicit date wins over trigger words ("Theo quy định, trước ngày 10/12/2026" is DUE).
- "Từ ngày 01/3/2026", "từ tháng 3", "từ quý II" name when the work starts: a RANGE to the end
  of the plan period (else of that year), not a due date on the first day.
- "Trong 15 ngày (làm việc) kể từ ngày ban hành/ký" counts from the plan's signing day; without
  it the item is UNREADABLE.
- "Cuối quý" with no quarter named is the end of every quarter; "cả giai đoạn" the period's end.
- "Năm 2025-2026", "giai đoạn 2026-2030" run over the whole years; "năm học 2025-2026" is the
  school year, 1 September to 31 May.
"""

from __future__ import annotations

import calendar
import re
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from datetime import date, timedelta
from enum import StrEnum

from core.text import fold, squash_spaces


class MilestoneKind(StrEnum):
    DUE = "due"
    RANGE = "range"
    CONTINUOUS = "continuous"
    RECURRING = "recurring"
    TRIGGER = "trigger"
    UNREADABLE = "unreadable"


class Cadence(StrEnum):
    """How often a RECURRING milestone comes back; its `period` when no plan period is known."""

    MONTH = "month"
    QUARTER = "quarter"
    HALF_YEAR = "half_year"
    YEAR = "year"


@dataclass(frozen=True)
class ParsedMilestone:
    kind: MilestoneKind
    label: str  # the words of the cell this milestone came from, trimmed
    due: date | None  # end of the range for RANGE; None for CONTINUOUS, TRIGGER, UNREADABLE
    start: date | None = None  # start of a RANGE
    period: str = ""  # RECURRING: a Cadence value, or the generated period ("2026-Q1")


@dataclass(frozen=True)
class ParsedDeadline:
    text: str  # exactly as written
    milestones: tuple[ParsedMilestone, ...]

    @property
    def needs_review(self) -> bool:
        """True when a person must set the date (UI: "cần xác định thời hạn")."""
        return any(m.kind is MilestoneKind.UNREADABLE for m in self.milestones)

    @property
    def next_due(self) -> date | None:
        dues = [m.due for m in self.milestones if m.due is not None]
        return min(dues) if dues else None


# --- Patterns (on folded, dash-normalised, space-squashed text) --------------------------------

_DASHES = re.compile(r"[\u2010\u2011\u2012\u2013\u2014\u2015\u2212]")
_BULLET = re.compile(r"^\s*[-+•*]+\s*")
# A line that ends like this was cut in the middle of a phrase, so the next line continues it.
_OPEN_END = re.compile(r"(?:[-,/(:]|\b(?:tu|den|toi|cua|va|ngay|thang|nam|quy|truoc|trong))\s*$")
_YEAR = re.compile(r"(?<!\d)((?:19|20)\d{2})(?!\d)")

_CONTINUOUS = re.compile(r"\b(?:thuong\s+xuyen|lien\s+tuc|hang\s+ngay|moi\s+ngay)\b")
_TRIGGER = re.compile(
    r"\b(?:theo\s+(?:chi\s+dao|yeu\s+cau|huong\s+dan|quy\s+dinh|ke\s+hoach|de\s+nghi"
    r"|thong\s+bao|van\s+ban|lich|tien\s+do)|khi\s+(?:co|duoc|phat\s+sinh|can)|sau\s+khi|dot\s+xuat"
    r"|ke\s+tu\s+(?:ngay\s+|khi\s+)?nhan"
    r"|phat\s+sinh)\b"
)
_UPPER_LEVEL = re.compile(
    r"\b(?:cap\s+tren|chi\s+dao|huong\s+dan|van\s+ban|yeu\s+cau|ket\s+luan)\b"
)
_BY_REGULATION = re.compile(r"\bquy\s+dinh\b")

_CADENCE_WORD = r"(?:(?:0?6|sau)\s+thang|quy|thang|nam)"
# "định kỳ hàng quý, năm", "hàng tháng", "định kỳ tháng, quý, năm",
# "hàng quý, 6 tháng và báo cáo năm"
_CADENCES = re.compile(
    rf"\b(?:hang|moi|dinh\s+ky(?:\s+(?:hang|moi))?)\s+(?P<list>{_CADENCE_WORD}"
    rf"(?:\s*(?:,|va|\+|/|-)\s*(?:bao\s+cao\s+)?{_CADENCE_WORD})*)\b"
)
_CADENCE_TOKEN = re.compile(_CADENCE_WORD)
_PERIODIC = re.compile(r"\bdinh\s+ky\b")
_QUARTER_END = re.compile(r"\bcuoi\s+quy\b(?!\s*(?:iv|iii|ii|i|[1-4])\b)")
# "ngày 10 của tháng cuối cùng kỳ báo cáo", "ngày 10 tháng cuối của quý"
_DAY_OF_LAST_MONTH = re.compile(
    r"\bngay\s+(?P<day>\d{1,2})\s+(?:cua\s+)?thang\s+cuoi(?:\s+cung)?(?:\s+cua)?"
    r"(?:\s+(?P<unit>quy|ky(?:\s+bao\s+cao)?|(?:0?6|sau)\s+thang|nam))?"
)
# "ngày 25 hàng tháng": a day number that is not part of a full date
_DAY_ONLY = re.compile(r"\bngay\s+(?P<day>\d{1,2})(?!\d)(?!\s*[/.]\s*\d)(?!\s+thang\s+\d)")


def _date(t: str) -> str:
    """One calendar date: "ngày 14 tháng 01 năm 2026", "14/01/2026", "14/01", "14.01.2026" or
    "14-01-2026".

    A dot or a dash is only taken with a year, so that section numbers such as "2.1." and
    ranges such as "11-12" are not dates.
    """
    return (
        rf"(?:ngay\s+(?P<{t}ld>\d{{1,2}})\s+thang\s+(?P<{t}lm>\d{{1,2}})"
        rf"(?:\s+nam\s+(?P<{t}ly>\d{{4}}))?(?!\d)"
        rf"|(?<![\d/.])(?P<{t}pd>\d{{1,2}})\.(?P<{t}pm>\d{{1,2}})\.(?P<{t}py>\d{{4}})(?![\d/.])"
        rf"|(?<![\d/.\-])(?P<{t}hd>\d{{1,2}})-(?P<{t}hm>\d{{1,2}})-(?P<{t}hy>\d{{4}})(?![\d/.\-])"
        rf"|(?<![\d/.])(?P<{t}d>\d{{1,2}})\s*/\s*(?P<{t}m>\d{{1,2}})(?!\d)"
        rf"(?:\s*/\s*(?P<{t}y>\d{{4}})|\s+nam\s+(?P<{t}y2>\d{{4}}))?(?![\d/]))"
    )


def _year_tail(name: str) -> str:
    return rf"(?:\s*[/.\-]\s*|\s+nam\s+)(?P<{name}>\d{{4}})(?!\d)"


_QUARTER_NUMERAL = r"(?:iv|iii|ii|i|[1-4])(?![a-z0-9])"
_QUARTER_TOKEN = re.compile(r"\b(?:iv|iii|ii|i|[1-4])\b")
_QUARTER_NUMBERS = {"i": 1, "ii": 2, "iii": 3, "iv": 4, "1": 1, "2": 2, "3": 3, "4": 4}

# Alternatives are tried in this order at each position, most specific first.
_EXPRESSION_PARTS: tuple[tuple[str, str], ...] = (
    (
        "dates",
        rf"(?:tu\s+)?(?:ngay\s+)?{_date('a')}\s*(?:-|den|toi)\s*(?:ngay\s+)?{_date('b')}",
    ),
    (
        "months",
        rf"\bthang\s+(?P<m1>\d{{1,2}})(?!\d)(?:{_year_tail('m1y')})?\s*(?:-|den|toi)\s*"
        rf"(?:thang\s+)?(?P<m2>\d{{1,2}})(?!\d)(?:{_year_tail('m2y')})?",
    ),
    (
        "quarters",
        rf"\bquy\s+(?P<qlist>{_QUARTER_NUMERAL}"
        rf"(?:\s*(?:,|-|va|den|&)\s*(?:quy\s+)?{_QUARTER_NUMERAL})*)(?:{_year_tail('qy')})?",
    ),
    (
        "half",
        r"(?:\b(?:0?6|sau)\s+thang|\bnua)\s+(?P<hpart>dau|cuoi)(?:\s+nam)?"
        r"(?:\s*[/.\-]?\s*(?P<hy>\d{4})(?!\d))?",
    ),
    (
        "month_list",
        rf"\bthang\s+(?P<ml>\d{{1,2}}(?!\d)(?:\s*(?:,|va|&)\s*(?:thang\s+)?\d{{1,2}}(?!\d))+)"
        rf"(?:{_year_tail('mly')})?",
    ),
    ("month", rf"\bthang\s+(?P<mo>\d{{1,2}})(?!\d)(?:{_year_tail('moy')})?"),
    ("month_year", r"(?<![\d/.])(?P<mym>\d{1,2})\s*/\s*(?P<myy>\d{4})(?![\d/])"),
    (
        "within",
        r"\b(?:trong(?:\s+vong)?|sau|cham\s+nhat)\s+(?P<wn>\d{1,3})\s+"
        r"(?P<wu>ngay\s+lam\s+viec|ngay|tuan|thang)\s+(?:ke\s+)?tu\s+(?:ngay\s+)?"
        r"(?:[a-z]+\s+){0,3}?(?:ky|ban\s+hanh)\b",
    ),
    ("single", _date("s")),
    ("part_of_year", r"\b(?P<ypart>dau|giua)\s+nam\b(?:\s+(?P<ypy>\d{4})(?!\d))?"),
    (
        "years",
        r"(?:\b(?:(?P<school>nam\s+hoc)|nam|giai\s+doan)\s+)?"
        r"(?<![\d/.\-])(?P<y1>(?:19|20)\d{2})\s*(?:-|den|toi)\s*"
        r"(?:nam\s+)?(?P<y2>(?:19|20)\d{2})(?![\d/.\-])",
    ),
    (
        "year",
        r"(?:\b(?:ca|trong|suot|cuoi|het)\s+)?\bnam\s+(?P<yy>\d{4})(?!\d)"
        r"|\bden\s+(?P<yy2>(?:19|20)\d{2})(?![\d/.\-])",
    ),
    ("whole_year", r"\b(?:ca|trong|suot|cuoi|het)\s+(?:nam|giai\s+doan)\b(?!\s*\d)"),
)
_EXPRESSION = re.compile("|".join(f"(?P<{name}>{body})" for name, body in _EXPRESSION_PARTS))
# A year alone says little when the cell also names a month or a date
# ("Kiểm tra cuối năm ... năm 2026: Tháng 10-11/2026").
_YEAR_LEVEL = frozenset({"year", "whole_year", "years"})
# "6 tháng đầu năm và cả năm 2026": the whole year listed beside a finer date is a date of its own.
_LISTED_YEAR = re.compile(r"(?:\bva|,)\s*(?:ca|het)\s+nam\b[^,;]*$")
# "Từ ngày 01/3/2026", "kể từ tháng 3", "bắt đầu từ quý II": when the work starts, not its due date.
_FROM = re.compile(r"\btu\s+(?:ngay\s+)?$")
_STARTS = frozenset({"single", "month", "quarters"})


# --- Parsing ------------------------------------------------------------------------------------


class _NoYear(ValueError):
    """The text names no year and there is no plan period to borrow one from."""


@dataclass(frozen=True)
class _Context:
    period: tuple[date, date] | None
    cell_year: int | None  # the first year written anywhere in the cell
    issued_on: date | None = None  # the plan's signing day, for "trong 15 ngày kể từ ngày ký"

    def pick(self, build: Callable[[int], date]) -> date:
        """Date a year-less expression: the cell's own year if it fits the plan, else the plan's."""
        years = [self.cell_year] if self.cell_year else []
        if self.period:
            years += [self.period[0].year, self.period[1].year]
        if not years:
            raise _NoYear
        if self.period:
            for year in dict.fromkeys(years):
                candidate = build(year)
                if self.period[0] <= candidate <= self.period[1]:
                    return candidate
        return build(years[0])

    def year_span(self) -> tuple[date, date] | None:
        """The span recurring milestones are generated over: the plan period, unless the cell
        names a year outside it ("hàng quý, năm 2027" in a 2026 plan)."""
        if self.period and (
            self.cell_year is None or self.period[0].year <= self.cell_year <= self.period[1].year
        ):
            return self.period
        if self.cell_year:
            return date(self.cell_year, 1, 1), date(self.cell_year, 12, 31)
        return None


def _month_end(year: int, month: int) -> date:
    return date(year, month, calendar.monthrange(year, month)[1])


def _day_in(year: int, month: int, day: int) -> date:
    """`day` of the month, or its last day where the month is shorter ("ngày 31" in June)."""
    return date(year, month, min(day, calendar.monthrange(year, month)[1]))


def _listed_months(listed: str) -> list[int]:
    """The numbers of "tháng 3, 6, 9, 12" or "tháng 6 và tháng 12", each once, as written."""
    return list(dict.fromkeys(int(m) for m in re.findall(r"\d{1,2}", listed)))


def _quarter_end(year: int, quarter: int) -> date:
    return _month_end(year, quarter * 3)


# "Q1/2026", "Q.2": a quarter written short.
_QUARTER_SHORT = re.compile(r"\bq\.?\s*([1-4])(?!\d)")


def _prepare(text: str) -> str:
    return squash_spaces(_QUARTER_SHORT.sub(r"quy \1", _DASHES.sub("-", fold(text))))


def _resolve_period(start: date | None, end: date | None) -> tuple[date, date] | None:
    """The plan period; one missing end is taken as that calendar year's boundary."""
    if start is None:
        if end is None:
            return None
        start = date(end.year, 1, 1)
    elif end is None:
        end = date(start.year, 12, 31)
    return (start, end) if start <= end else (end, start)


def parse_deadline(
    text: str,
    *,
    period_start: date | None = None,
    period_end: date | None = None,
    issued_on: date | None = None,
) -> ParsedDeadline:
    """Every milestone a deadline cell names; never raises, never returns an empty tuple.
    `issued_on`, the day the plan was signed, dates "trong 15 ngày kể từ ngày ban hành"."""
    year_match = _YEAR.search(fold(text))
    context = _Context(
        period=_resolve_period(period_start, period_end),
        cell_year=int(year_match.group(1)) if year_match else None,
        issued_on=issued_on,
    )
    milestones: list[ParsedMilestone] = []
    for label in _split_items(text):
        milestones.extend(_parse_item(label, context))
    if not milestones:
        milestones.append(_unreadable(_clean_label(text)))
    return ParsedDeadline(text=text, milestones=tuple(milestones))


def _split_items(text: str) -> list[str]:
    """Cut a cell into its items: bullets ("- ..."), ";" and lines.

    A line without a bullet may be a phrase wrapped by the PDF/Word table, so it is joined to the
    line above when that one ends mid-phrase or when either half alone would be unreadable.
    """
    pieces: list[str] = []  # bullet-less text of each item, punctuation kept for joining
    previous_line = ""  # the raw line above, "" when it closed its item with ";"
    for line in text.replace("\r", "\n").split("\n"):
        if not line.strip():
            continue
        bulleted = bool(_BULLET.match(line))
        for index, part in enumerate(line.split(";")):
            piece = squash_spaces(_BULLET.sub("", part))
            if not _clean_label(piece):
                continue
            continues = (
                index == 0
                and not bulleted
                and bool(previous_line)
                and bool(pieces)
                and (
                    bool(_OPEN_END.search(_prepare(previous_line)))
                    or _alone_unreadable(_clean_label(pieces[-1]), _clean_label(piece))
                )
            )
            if continues:
                pieces[-1] = f"{pieces[-1]} {piece}"
            else:
                pieces.append(piece)
        previous_line = "" if line.rstrip().endswith(";") else line
    return [_clean_label(piece) for piece in pieces]


def _clean_label(piece: str) -> str:
    return squash_spaces(piece).strip(" .,;")


def _alone_unreadable(previous: str, line: str) -> bool:
    probe = _Context(period=(date(2000, 1, 1), date(2000, 12, 31)), cell_year=None)
    return any(
        m.kind is MilestoneKind.UNREADABLE
        for part in (previous, line)
        for m in _parse_item(part, probe)
    )


def _unreadable(label: str) -> ParsedMilestone:
    return ParsedMilestone(MilestoneKind.UNREADABLE, label, None)


def _parse_item(label: str, context: _Context) -> list[ParsedMilestone]:
    folded = _prepare(label)
    if not folded:
        return []
    try:
        recurring = _recurring(label, folded, context)
        if recurring:
            return recurring
        if _CONTINUOUS.search(folded):
            # "Thường xuyên trong năm 2026" is still continuous: the year is only context.
            return [ParsedMilestone(MilestoneKind.CONTINUOUS, label, None)]
        dated = _dated(label, folded, context)
    except ValueError:  # a date that does not exist (31/02), or no year to be had
        return [_unreadable(label)]
    if dated:
        return dated
    if _TRIGGER.search(folded):
        return [ParsedMilestone(MilestoneKind.TRIGGER, label, None)]
    return [_unreadable(label)]


def _dated(label: str, folded: str, context: _Context) -> list[ParsedMilestone]:
    matches = list(_EXPRESSION.finditer(folded))
    if any(m.lastgroup not in _YEAR_LEVEL for m in matches):
        matches = [
            m
            for m in matches
            if m.lastgroup not in _YEAR_LEVEL or _LISTED_YEAR.search(folded[: m.start()] + m[0])
        ]
    milestones: list[ParsedMilestone] = []
    for match in matches:
        found = list(_milestones_of(match, label, context))
        if match.lastgroup in _STARTS and len(found) == 1 and _FROM.search(folded[: match.start()]):
            found = [_from(found[0], match, context)]
        for milestone in found:
            if milestone not in milestones:
                milestones.append(milestone)
    return milestones


def _from(milestone: ParsedMilestone, match: re.Match[str], context: _Context) -> ParsedMilestone:
    """ "Từ tháng 3/2026" runs from the first day it names to the end of the plan (or its year)."""
    due = milestone.due
    if due is None:
        return milestone
    if milestone.kind is MilestoneKind.RANGE and milestone.start is not None:
        start = milestone.start
    elif match.lastgroup == "single":
        start = due
    elif match.lastgroup == "month":
        start = due.replace(day=1)
    else:
        start = date(due.year, due.month - 2, 1)
    span = context.year_span()
    end = span[1] if span and span[1] > start else date(start.year, 12, 31)
    if end <= start:
        return milestone
    return ParsedMilestone(MilestoneKind.RANGE, milestone.label, end, start=start)


def _day_month_year(match: re.Match[str], tag: str) -> tuple[int, int, int | None]:
    for day_key, month_key, year_keys in (
        ("ld", "lm", ("ly",)),
        ("pd", "pm", ("py",)),
        ("hd", "hm", ("hy",)),
        ("d", "m", ("y", "y2")),
    ):
        if match.group(tag + day_key) is not None:
            years = [match.group(tag + k) for k in year_keys if match.group(tag + k)]
            return (
                int(match.group(tag + day_key)),
                int(match.group(tag + month_key)),
                int(years[0]) if years else None,
            )
    raise ValueError("no date in match")


def _optional_int(value: str | None) -> int | None:
    return int(value) if value else None


def _milestones_of(
    match: re.Match[str], label: str, context: _Context
) -> Iterator[ParsedMilestone]:
    kind = match.lastgroup
    due, range_ = MilestoneKind.DUE, MilestoneKind.RANGE
    if kind == "dates":
        start, end = _date_range(match, context)
        yield ParsedMilestone(range_, label, end, start=start)
    elif kind == "months":
        first, last = int(match["m1"]), int(match["m2"])
        first_year, last_year = _optional_int(match["m1y"]), _optional_int(match["m2y"])
        # "Tháng 11-2/2027" and "tháng 11/2026 đến tháng 2" run across the new year.
        if last_year is None and first_year is not None:
            last_year = first_year if first <= last else first_year + 1
        elif last_year is None:
            last_year = context.pick(lambda y: _month_end(y, last)).year
        if first_year is None:
            first_year = last_year if first <= last else last_year - 1
        start, end = date(first_year, first, 1), _month_end(last_year, last)
        if start > end:
            raise ValueError("range ends before it starts")
        yield ParsedMilestone(range_, label, end, start=start)
    elif kind == "quarters":
        quarters = [_QUARTER_NUMBERS[t] for t in _QUARTER_TOKEN.findall(match["qlist"])]
        if not quarters:
            raise ValueError("no quarter number")
        year = _optional_int(match["qy"])
        if year is None:
            year = context.pick(lambda y: _quarter_end(y, quarters[-1])).year
        spans = "-" in match["qlist"] or "den" in match["qlist"]
        if spans and len(quarters) == 2 and quarters[0] < quarters[1]:
            start = date(year, quarters[0] * 3 - 2, 1)
            yield ParsedMilestone(range_, label, _quarter_end(year, quarters[1]), start=start)
        else:
            for quarter in dict.fromkeys(quarters):
                yield ParsedMilestone(due, label, _quarter_end(year, quarter))
    elif kind == "half":
        month = 6 if match["hpart"] == "dau" else 12
        yield ParsedMilestone(due, label, _month_due(month, _optional_int(match["hy"]), context))
    elif kind == "month":
        month = int(match["mo"])
        yield ParsedMilestone(due, label, _month_due(month, _optional_int(match["moy"]), context))
    elif kind == "month_list":
        year = _optional_int(match["mly"])
        for month in _listed_months(match["ml"]):
            if not 1 <= month <= 12:
                raise ValueError("no such month")
            yield ParsedMilestone(due, label, _month_due(month, year, context))
    elif kind == "part_of_year":
        # "Đầu năm": within the first quarter; "giữa năm": by the end of June.
        month = 3 if match["ypart"] == "dau" else 6
        yield ParsedMilestone(due, label, _month_due(month, _optional_int(match["ypy"]), context))
    elif kind == "month_year":
        yield ParsedMilestone(due, label, _month_end(int(match["myy"]), int(match["mym"])))
    elif kind == "within":
        if context.issued_on is None:
            raise ValueError("counted from a signing day that is not known")
        yield ParsedMilestone(
            due, label, _counted_from(context.issued_on, int(match["wn"]), match["wu"])
        )
    elif kind == "single":
        day, month, year = _day_month_year(match, "s")
        when = date(year, month, day) if year else context.pick(lambda y: date(y, month, day))
        yield ParsedMilestone(due, label, when)
    elif kind == "year":
        yield ParsedMilestone(due, label, date(int(match["yy"] or match["yy2"]), 12, 31))
    elif kind == "years":
        first, last = int(match["y1"]), int(match["y2"])
        if match["school"]:  # a school year runs from September to May
            if last != first + 1:
                raise ValueError("a school year spans two years")
            yield ParsedMilestone(range_, label, date(last, 5, 31), start=date(first, 9, 1))
        elif first < last:
            yield ParsedMilestone(range_, label, date(last, 12, 31), start=date(first, 1, 1))
        else:
            raise ValueError("years run backwards")
    elif kind == "whole_year":
        span = context.year_span()
        if span is None:
            raise _NoYear
        yield ParsedMilestone(due, label, span[1])


def _counted_from(day: date, count: int, unit: str) -> date:
    """`count` days, working days (Monday to Friday), weeks or months after `day`."""
    if unit == "thang":
        year, month = divmod(day.year * 12 + day.month - 1 + count, 12)
        return _day_in(year, month + 1, day.day)
    if unit == "tuan":
        return day + timedelta(weeks=count)
    if unit == "ngay":
        return day + timedelta(days=count)
    while count:
        day += timedelta(days=1)
        count -= day.weekday() < 5
    return day


def _month_due(month: int, year: int | None, context: _Context) -> date:
    """The end of `month`, in `year` or the year the plan period gives it."""
    return _month_end(year, month) if year else context.pick(lambda y: _month_end(y, month))


def _date_range(match: re.Match[str], context: _Context) -> tuple[date, date]:
    """Both ends of "01/7/2026-10/7/2026" or "20/10-25/10/2026" (the year written once)."""
    a_day, a_month, a_year = _day_month_year(match, "a")
    b_day, b_month, b_year = _day_month_year(match, "b")
    if b_year is None and a_year is not None:
        end = date(a_year, b_month, b_day)
        if end < date(a_year, a_month, a_day):
            end = date(a_year + 1, b_month, b_day)
    elif b_year is None:
        end = context.pick(lambda y: date(y, b_month, b_day))
    else:
        end = date(b_year, b_month, b_day)
    if a_year is None:
        start = date(end.year, a_month, a_day)
        if start > end:  # "20/12-05/01/2027" starts the year before
            start = date(end.year - 1, a_month, a_day)
    else:
        start = date(a_year, a_month, a_day)
    if start > end:
        raise ValueError("range ends before it starts")
    return start, end


# --- Recurring ----------------------------------------------------------------------------------


def _cadence_of(word: str) -> Cadence:
    if word.endswith("thang") and word != "thang":
        return Cadence.HALF_YEAR
    return {"quy": Cadence.QUARTER, "thang": Cadence.MONTH, "nam": Cadence.YEAR}[word]


def _cadence_of_unit(unit: str | None) -> Cadence:
    """The cycle after "tháng cuối"; "kỳ báo cáo" or nothing means the quarterly CCHC report."""
    word = squash_spaces(unit or "")
    if word == "nam" or word.endswith("thang"):
        return _cadence_of(word)
    return Cadence.QUARTER


def _recurring(label: str, folded: str, context: _Context) -> list[ParsedMilestone]:
    cadences: list[Cadence] = []
    listed = _CADENCES.search(folded)
    if listed:
        tokens = _CADENCE_TOKEN.findall(listed["list"])
        cadences = list(dict.fromkeys(_cadence_of(squash_spaces(t)) for t in tokens))
    last_month = _DAY_OF_LAST_MONTH.search(folded)
    if not cadences and last_month:
        # "kỳ báo cáo" without a cadence: the CCHC report cycle is quarterly.
        cadences = [_cadence_of_unit(last_month["unit"])]
    if not cadences and _QUARTER_END.search(folded):
        cadences = [Cadence.QUARTER]  # "cuối quý" with no quarter named: each quarter's end
    if not cadences and _PERIODIC.search(folded) and not _EXPRESSION.search(folded):
        cadences = [Cadence.QUARTER]  # bare "định kỳ": the usual quarterly report cycle
    if not cadences:
        return []
    day_match = last_month or _DAY_ONLY.search(folded)
    day = int(day_match["day"]) if day_match else None
    anchors = _yearly_anchors(folded) if Cadence.YEAR in cadences else []
    return _generate(label, cadences, day, anchors, context)


def _yearly_anchors(folded: str) -> list[tuple[int, int]]:
    """Day and month of each yearly deadline written without a year ("trước ngày 15/01 hàng
    năm", "trước 30/6 và 31/12 hằng năm")."""
    anchors: list[tuple[int, int]] = []
    for match in _EXPRESSION.finditer(folded):
        if match.lastgroup == "single":
            day, month, year = _day_month_year(match, "s")
            if year is None:
                anchors.append((day, month))
        if match.lastgroup == "month" and not match["moy"]:
            anchors.append((31, int(match["mo"])))  # "tháng 01 hằng năm": by that month's end
        if match.lastgroup == "month_list" and not match["mly"]:
            anchors.extend((31, m) for m in _listed_months(match["ml"]) if 1 <= m <= 12)
    return list(dict.fromkeys(anchors))


def _sub_periods(cadence: Cadence, span: tuple[date, date]) -> Iterator[tuple[str, int, int]]:
    """(name, year, last month) of every month/quarter/half/year touching the span."""
    for year in range(span[0].year, span[1].year + 1):
        if cadence is Cadence.MONTH:
            for month in range(1, 13):
                yield f"{year}-{month:02d}", year, month
        elif cadence is Cadence.QUARTER:
            for quarter in range(1, 5):
                yield f"{year}-Q{quarter}", year, quarter * 3
        elif cadence is Cadence.HALF_YEAR:
            for half in (1, 2):
                yield f"{year}-H{half}", year, half * 6
        else:
            yield str(year), year, 12


def _generate(
    label: str,
    cadences: list[Cadence],
    day: int | None,
    anchors: list[tuple[int, int]],
    context: _Context,
) -> list[ParsedMilestone]:
    span = context.year_span()
    generated: list[ParsedMilestone] = []
    if span is not None:
        for cadence in cadences:
            for name, year, month in _sub_periods(cadence, span):
                if cadence is Cadence.YEAR and anchors:
                    # Several dates a year are named by their month ("2026-06", "2026-12").
                    dues = [
                        (
                            f"{year}-{anchor_month:02d}" if len(anchors) > 1 else name,
                            _day_in(year, anchor_month, anchor_day),
                        )
                        for anchor_day, anchor_month in anchors
                    ]
                elif day:
                    dues = [(name, _day_in(year, month, day))]
                else:
                    dues = [(name, _month_end(year, month))]
                generated.extend(
                    ParsedMilestone(MilestoneKind.RECURRING, label, due, period=period)
                    for period, due in dues
                    if span[0] <= due <= span[1]
                )
    if generated:
        return generated
    # No period to spread over: one open milestone per cadence, still readable.
    return [ParsedMilestone(MilestoneKind.RECURRING, label, None, period=c.value) for c in cadences]


# --- Description for the task form --------------------------------------------------------------

_CADENCE_WORDS = {
    Cadence.MONTH: "hàng tháng",
    Cadence.QUARTER: "hàng quý",
    Cadence.HALF_YEAR: "6 tháng",
    Cadence.YEAR: "hàng năm",
}


def _vn(day: date) -> str:
    return day.strftime("%d/%m/%Y")


def _describe_one(milestone: ParsedMilestone) -> str:
    kind = milestone.kind
    if kind is MilestoneKind.DUE and milestone.due:
        return f"Hạn {_vn(milestone.due)}"
    if kind is MilestoneKind.RANGE and milestone.due and milestone.start:
        return f"Từ {_vn(milestone.start)} đến {_vn(milestone.due)}"
    if kind is MilestoneKind.CONTINUOUS:
        return "Thường xuyên (theo dõi mỗi kỳ báo cáo)"
    if kind is MilestoneKind.RECURRING:
        return f"Định kỳ {_CADENCE_WORDS.get(milestone.period, '')}".rstrip()
    if kind is MilestoneKind.TRIGGER:
        folded = _prepare(milestone.label)
        if _UPPER_LEVEL.search(folded):
            return "Chờ chỉ đạo/văn bản cấp trên"
        if _BY_REGULATION.search(folded):
            return "Theo quy định (chưa có hạn cụ thể)"
        return "Khi phát sinh (chưa có hạn cụ thể)"
    return "Cần xác định thời hạn"


def describe(parsed: ParsedDeadline) -> str:
    """A short Vietnamese summary for the task form, e.g. "Hạn 31/03/2026; Theo quy định ..."."""
    parts: list[str] = []
    run: list[date] = []  # consecutive dated recurring milestones read as one list

    def flush() -> None:
        if run:
            parts.append("Định kỳ: " + ", ".join(_vn(d) for d in sorted(set(run))))
            run.clear()

    for milestone in parsed.milestones:
        if milestone.kind is MilestoneKind.RECURRING and milestone.due is not None:
            run.append(milestone.due)
            continue
        flush()
        parts.append(_describe_one(milestone))
    flush()
    return "; ".join(dict.fromkeys(parts))
