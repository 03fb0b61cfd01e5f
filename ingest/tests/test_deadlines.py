"""Deadline cells of the seed plans, and the forms officials write them in."""

from __future__ import annotations

import random
from datetime import date
from pathlib import Path
from typing import Any

import pytest

from core.text import fold
from ingest.deadlines import (
    MilestoneKind,
    ParsedDeadline,
    ParsedMilestone,
    describe,
    parse_deadline,
)

SEEDS = Path(__file__).resolve().parents[2] / "fixtures" / "seeds"
SEED_001 = SEEDS / "001_thanh_dong_ke_hoach_cchc_2026.txt"
DEADLINE_COLUMN = 4  # "Thời gian thực hiện/ hoàn thành"

YEAR_2026: dict[str, date] = {"period_start": date(2026, 1, 1), "period_end": date(2026, 12, 31)}
LAST_HALF_2025: dict[str, date] = {
    "period_start": date(2025, 7, 1),
    "period_end": date(2025, 12, 31),
}
NO_PERIOD: dict[str, date] = {}


def readable_id(text: str) -> str:
    """A test id without diacritics that keeps case: "Quý I/2026" -> "Quy I/2026"."""
    return "".join(char if char.isascii() else fold(char)[:1] for char in text)


def due(label: str, when: date) -> ParsedMilestone:
    return ParsedMilestone(MilestoneKind.DUE, label, when)


def span(label: str, start: date, end: date) -> ParsedMilestone:
    return ParsedMilestone(MilestoneKind.RANGE, label, end, start=start)


def continuous(label: str) -> ParsedMilestone:
    return ParsedMilestone(MilestoneKind.CONTINUOUS, label, None)


def trigger(label: str) -> ParsedMilestone:
    return ParsedMilestone(MilestoneKind.TRIGGER, label, None)


def unreadable(label: str) -> ParsedMilestone:
    return ParsedMilestone(MilestoneKind.UNREADABLE, label, None)


def recurring(label: str, when: date | None, period: str) -> ParsedMilestone:
    return ParsedMilestone(MilestoneKind.RECURRING, label, when, period=period)


def quarter_ends(label: str, year: int) -> list[ParsedMilestone]:
    ends = [date(year, 3, 31), date(year, 6, 30), date(year, 9, 30), date(year, 12, 31)]
    return [recurring(label, end, f"{year}-Q{q}") for q, end in enumerate(ends, start=1)]


PLAN_THEN_REPORT = "- Ban hành kế hoạch trong quý I/2026; - Báo cáo kết quả theo quy định"
REPORT_CYCLE = "Trước ngày 10 của tháng cuối cùng kỳ báo cáo"
QUARTERLY_AND_YEARLY = "Báo cáo định kỳ hàng quý, năm 2026"
UPPER_GUIDANCE = "Khi có văn bản hướng dẫn, chỉ đạo của cơ quan cấp trên"
VII_1_FIRST = "- Ban hành kế hoạch trong quý I/2026"
VII_1_SECOND = "- Báo cáo trong Tháng 12/2026"

# Every cell of the deadline column of the appendix of seed 001, in table order (plan year 2026).
SEED_001_TABLE: list[tuple[str, str, list[ParsedMilestone]]] = [
    ("I.1", "Trước ngày 15/01/2026", [due("Trước ngày 15/01/2026", date(2026, 1, 15))]),
    (
        "I.2",
        REPORT_CYCLE,
        [recurring(REPORT_CYCLE, date(2026, m, 10), f"2026-Q{m // 3}") for m in (3, 6, 9, 12)],
    ),
    ("I.3", "Quý I/2026", [due("Quý I/2026", date(2026, 3, 31))]),
    ("I.4", "Theo chỉ đạo của cấp trên", [trigger("Theo chỉ đạo của cấp trên")]),
    (
        "I.5",
        "Quý III, IV/2026",
        [due("Quý III, IV/2026", date(2026, 9, 30)), due("Quý III, IV/2026", date(2026, 12, 31))],
    ),
    ("I.6", "Theo chỉ đạo của cấp trên", [trigger("Theo chỉ đạo của cấp trên")]),
    ("I.7", "Thường xuyên", [continuous("Thường xuyên")]),
    ("II.1", "Trong năm 2026", [due("Trong năm 2026", date(2026, 12, 31))]),
    *[
        (
            f"II.{row}",
            PLAN_THEN_REPORT,
            [
                due("Ban hành kế hoạch trong quý I/2026", date(2026, 3, 31)),
                trigger("Báo cáo kết quả theo quy định"),
            ],
        )
        for row in (2, 3, 4, 5)
    ],
    (
        "III.1",
        "- Ban hành kế hoạch trong tháng 1/2026; - Báo cáo kết quả theo quy định",
        [
            due("Ban hành kế hoạch trong tháng 1/2026", date(2026, 1, 31)),
            trigger("Báo cáo kết quả theo quy định"),
        ],
    ),
    ("III.2", "Thường xuyên", [continuous("Thường xuyên")]),
    ("III.3", "Thường xuyên", [continuous("Thường xuyên")]),
    ("III.4", "Trong tháng 2/2026", [due("Trong tháng 2/2026", date(2026, 2, 28))]),
    ("III.5", "Trước 30/9/2026", [due("Trước 30/9/2026", date(2026, 9, 30))]),
    (
        "III.6",
        "Khi có phản ánh, kiến nghị của tổ chức, công dân",
        [trigger("Khi có phản ánh, kiến nghị của tổ chức, công dân")],
    ),
    (
        "III.7",
        QUARTERLY_AND_YEARLY,
        [
            *quarter_ends(QUARTERLY_AND_YEARLY, 2026),
            recurring(QUARTERLY_AND_YEARLY, date(2026, 12, 31), "2026"),
        ],
    ),
    ("IV.1", UPPER_GUIDANCE, [trigger(UPPER_GUIDANCE)]),
    ("IV.2", "Thường xuyên", [continuous("Thường xuyên")]),
    ("V.1", "Thường xuyên", [continuous("Thường xuyên")]),
    ("V.2", UPPER_GUIDANCE, [trigger(UPPER_GUIDANCE)]),
    (
        "V.3",
        "Khi có văn bản chỉ đạo của cấp trên",
        [trigger("Khi có văn bản chỉ đạo của cấp trên")],
    ),
    ("VI.1", "Quý I/2026", [due("Quý I/2026", date(2026, 3, 31))]),
    ("VI.2", "Theo yêu cầu của cấp trên", [trigger("Theo yêu cầu của cấp trên")]),
    ("VI.3", "Theo quy định", [trigger("Theo quy định")]),
    ("VI.4", "Theo hướng dẫn của cấp trên", [trigger("Theo hướng dẫn của cấp trên")]),
    (
        "VI.5",
        "Ban hành sau khi có kết luận của kiểm toán nhà nước",
        [trigger("Ban hành sau khi có kết luận của kiểm toán nhà nước")],
    ),
    # VII.1 is cut by a page break: one half on the task row, one on the continuation row.
    (
        "VII.1-first-half",
        VII_1_FIRST,
        [due("Ban hành kế hoạch trong quý I/2026", date(2026, 3, 31))],
    ),
    ("VII.1-second-half", VII_1_SECOND, [due("Báo cáo trong Tháng 12/2026", date(2026, 12, 31))]),
    (
        "VII.1-joined",
        f"{VII_1_FIRST}\n{VII_1_SECOND}",
        [
            due("Ban hành kế hoạch trong quý I/2026", date(2026, 3, 31)),
            due("Báo cáo trong Tháng 12/2026", date(2026, 12, 31)),
        ],
    ),
    ("VII.2", "Năm 2026", [due("Năm 2026", date(2026, 12, 31))]),
    ("VII.3", "Thường xuyên", [continuous("Thường xuyên")]),
    ("VII.4", "Thường xuyên", [continuous("Thường xuyên")]),
]


@pytest.mark.parametrize(
    ("text", "expected"),
    [pytest.param(text, expected, id=f"001-{row}") for row, text, expected in SEED_001_TABLE],
)
def test_seed_001_appendix_cell(text: str, expected: list[ParsedMilestone]) -> None:
    parsed = parse_deadline(text, **YEAR_2026)
    assert parsed.text == text
    assert list(parsed.milestones) == expected
    assert not parsed.needs_review


# Deadline phrases in the body of seeds 000, 002 and 003.
SEED_PHRASES: list[tuple[str, str, dict[str, date], list[ParsedMilestone]]] = [
    (
        "000-six-month-report",
        "đối với kỳ báo cáo 6 tháng gửi trước ngày **21/6/2026**",
        YEAR_2026,
        [due("đối với kỳ báo cáo 6 tháng gửi trước ngày **21/6/2026**", date(2026, 6, 21))],
    ),
    (
        "000-yearly-report",
        "đối với kỳ báo cáo năm gửi trước ngày **01/12/2026**",
        YEAR_2026,
        [due("đối với kỳ báo cáo năm gửi trước ngày **01/12/2026**", date(2026, 12, 1))],
    ),
    (
        "000-bare-21/6",
        "trước ngày 21/6/2026",
        YEAR_2026,
        [due("trước ngày 21/6/2026", date(2026, 6, 21))],
    ),
    (
        "000-bare-01/12",
        "trước ngày 01/12/2026",
        YEAR_2026,
        [due("trước ngày 01/12/2026", date(2026, 12, 1))],
    ),
    (
        "002-yearly-report-no-year",
        "báo cáo năm gửi trước ngày 10/12",
        LAST_HALF_2025,
        [due("báo cáo năm gửi trước ngày 10/12", date(2025, 12, 10))],
    ),
    (
        "002-in-brackets",
        "theo định kỳ (*báo cáo năm gửi trước ngày 10/12*)",
        LAST_HALF_2025,
        [due("theo định kỳ (*báo cáo năm gửi trước ngày 10/12*)", date(2025, 12, 10))],
    ),
    ("003-june", "Tháng 6/2026", YEAR_2026, [due("Tháng 6/2026", date(2026, 6, 30))]),
    (
        "003-six-month-check",
        "- Kiểm tra 6 tháng: Tháng 6/2026.",
        YEAR_2026,
        [due("Kiểm tra 6 tháng: Tháng 6/2026", date(2026, 6, 30))],
    ),
    (
        "003-october-november",
        "Tháng 10-11/2026",
        YEAR_2026,
        [span("Tháng 10-11/2026", date(2026, 10, 1), date(2026, 11, 30))],
    ),
    (
        "003-year-end-check",
        "- Kiểm tra cuối năm kết hợp tự đánh giá thẩm định kết quả CCHC năm 2026: "
        "Tháng 10-11/2026.",
        YEAR_2026,
        [
            span(
                "Kiểm tra cuối năm kết hợp tự đánh giá thẩm định kết quả CCHC năm 2026: "
                "Tháng 10-11/2026",
                date(2026, 10, 1),
                date(2026, 11, 30),
            )
        ],
    ),
    (
        "003-round-1",
        "- Đợt 1: Dự kiến từ ngày 01/7/2026-10/7/2026",
        YEAR_2026,
        [span("Đợt 1: Dự kiến từ ngày 01/7/2026-10/7/2026", date(2026, 7, 1), date(2026, 7, 10))],
    ),
    (
        "003-round-2",
        "- Đợt 2: Dự kiến từ ngày 20/10-25/10/2026.",
        YEAR_2026,
        [span("Đợt 2: Dự kiến từ ngày 20/10-25/10/2026", date(2026, 10, 20), date(2026, 10, 25))],
    ),
    (
        "003-ad-hoc-all-year",
        "2.1. Đối với kiểm tra đột xuất: thực hiện thường xuyên trong năm.",
        YEAR_2026,
        [continuous("2.1. Đối với kiểm tra đột xuất: thực hiện thường xuyên trong năm")],
    ),
    (
        "001-report-cycle-sentence",
        "báo cáo Quý, báo cáo 6 tháng gửi trước ngày 10 tháng cuối của quý",
        YEAR_2026,
        [
            recurring(
                "báo cáo Quý, báo cáo 6 tháng gửi trước ngày 10 tháng cuối của quý",
                date(2026, m, 10),
                f"2026-Q{m // 3}",
            )
            for m in (3, 6, 9, 12)
        ],
    ),
]


@pytest.mark.parametrize(
    ("text", "period", "expected"),
    [pytest.param(text, period, expected, id=key) for key, text, period, expected in SEED_PHRASES],
)
def test_seed_phrase(text: str, period: dict[str, date], expected: list[ParsedMilestone]) -> None:
    assert list(parse_deadline(text, **period).milestones) == expected


def _single(text: str, kind: MilestoneKind, when: date | None) -> list[ParsedMilestone]:
    return [ParsedMilestone(kind, text, when)]


D, C, T, U = (
    MilestoneKind.DUE,
    MilestoneKind.CONTINUOUS,
    MilestoneKind.TRIGGER,
    MilestoneKind.UNREADABLE,
)

# (text, period, kind, due) for cells that give one milestone labelled with the whole text.
SINGLE_FORMS: list[tuple[str, dict[str, date], MilestoneKind, date | None]] = [
    # due on a date
    ("Trước ngày 15/01/2026", NO_PERIOD, D, date(2026, 1, 15)),
    ("Trước 30/9/2026", NO_PERIOD, D, date(2026, 9, 30)),
    ("trước ngày 21/6/2026", NO_PERIOD, D, date(2026, 6, 21)),
    ("Hạn: 01/12/2026", NO_PERIOD, D, date(2026, 12, 1)),
    ("ngày 14 tháng 01 năm 2026", NO_PERIOD, D, date(2026, 1, 14)),
    ("Chậm nhất ngày 5 tháng 3", YEAR_2026, D, date(2026, 3, 5)),
    ("trước ngày 10/12", YEAR_2026, D, date(2026, 12, 10)),
    ("trước ngày 10/12", LAST_HALF_2025, D, date(2025, 12, 10)),
    ("Trước ngày 15.01.2026", NO_PERIOD, D, date(2026, 1, 15)),
    # month
    ("Tháng 3/2024", NO_PERIOD, D, date(2024, 3, 31)),
    ("Tháng 3/2024", YEAR_2026, D, date(2024, 3, 31)),
    ("Trong tháng 2/2026", NO_PERIOD, D, date(2026, 2, 28)),
    ("trong tháng 1/2026", NO_PERIOD, D, date(2026, 1, 31)),
    ("Tháng 12/2026", NO_PERIOD, D, date(2026, 12, 31)),
    ("Tháng 3", YEAR_2026, D, date(2026, 3, 31)),
    ("tháng 2 năm 2028", NO_PERIOD, D, date(2028, 2, 29)),
    # quarter
    ("Quý I/2026", NO_PERIOD, D, date(2026, 3, 31)),
    ("quý I/2026", NO_PERIOD, D, date(2026, 3, 31)),
    ("Quý 2/2026", NO_PERIOD, D, date(2026, 6, 30)),
    ("Quý II", YEAR_2026, D, date(2026, 6, 30)),
    ("Quý IV năm 2025", NO_PERIOD, D, date(2025, 12, 31)),
    # half year
    ("6 tháng đầu năm 2026", NO_PERIOD, D, date(2026, 6, 30)),
    ("6 tháng cuối năm 2025", NO_PERIOD, D, date(2025, 12, 31)),
    ("Sáu tháng cuối năm", LAST_HALF_2025, D, date(2025, 12, 31)),
    # year
    ("Năm 2026", NO_PERIOD, D, date(2026, 12, 31)),
    ("Trong năm 2026", NO_PERIOD, D, date(2026, 12, 31)),
    ("Cả năm", YEAR_2026, D, date(2026, 12, 31)),
    ("Cả năm", LAST_HALF_2025, D, date(2025, 12, 31)),
    ("Cả năm 2026", NO_PERIOD, D, date(2026, 12, 31)),
    ("Cả năm 2026", YEAR_2026, D, date(2026, 12, 31)),
    # continuous
    ("Thường xuyên", NO_PERIOD, C, None),
    ("Thường xuyên trong năm", YEAR_2026, C, None),
    ("thực hiện thường xuyên", NO_PERIOD, C, None),
    ("Thường xuyên trong năm 2026", NO_PERIOD, C, None),
    # trigger
    ("Theo chỉ đạo của cấp trên", YEAR_2026, T, None),
    ("Theo yêu cầu của cấp trên", YEAR_2026, T, None),
    ("Theo hướng dẫn của cấp trên", YEAR_2026, T, None),
    ("Khi có văn bản hướng dẫn, chỉ đạo của cơ quan cấp trên", YEAR_2026, T, None),
    ("Khi có văn bản chỉ đạo của cấp trên", YEAR_2026, T, None),
    ("Khi có phản ánh, kiến nghị của tổ chức, công dân", YEAR_2026, T, None),
    ("Ban hành sau khi có kết luận của kiểm toán nhà nước", YEAR_2026, T, None),
    ("Theo quy định", YEAR_2026, T, None),
    ("Báo cáo kết quả theo quy định", YEAR_2026, T, None),
    ("Đột xuất", NO_PERIOD, T, None),
    # unreadable: kept, never dropped
    ("abc", YEAR_2026, U, None),
    ("sớm nhất có thể", YEAR_2026, U, None),
    ("31/02/2026", YEAR_2026, U, None),
    ("Trước ngày 31/02/2026", NO_PERIOD, U, None),
    ("Tháng 13/2026", NO_PERIOD, U, None),
    ("10/7/2026-01/7/2026", NO_PERIOD, U, None),
    ("Quý II", NO_PERIOD, U, None),
    ("Cả năm", NO_PERIOD, U, None),
    ("trước ngày 10/12", NO_PERIOD, U, None),
    ("20/10/26", YEAR_2026, U, None),
]


def _period_id(period: dict[str, date]) -> str:
    if not period:
        return "no-period"
    return f"{period['period_start']:%Y%m}-{period['period_end']:%Y%m}"


@pytest.mark.parametrize(
    ("text", "period", "kind", "when"),
    [
        pytest.param(text, period, kind, when, id=f"{readable_id(text)} [{_period_id(period)}]")
        for text, period, kind, when in SINGLE_FORMS
    ],
)
def test_single_form(
    text: str, period: dict[str, date], kind: MilestoneKind, when: date | None
) -> None:
    parsed = parse_deadline(text, **period)
    assert list(parsed.milestones) == _single(text, kind, when)
    assert parsed.needs_review is (kind is U)


RANGES: list[tuple[str, dict[str, date], date, date]] = [
    ("01/7/2026-10/7/2026", NO_PERIOD, date(2026, 7, 1), date(2026, 7, 10)),
    ("01/7/2026 – 10/7/2026", NO_PERIOD, date(2026, 7, 1), date(2026, 7, 10)),
    ("Đợt 1: Dự kiến từ ngày 01/7/2026-10/7/2026", NO_PERIOD, date(2026, 7, 1), date(2026, 7, 10)),
    ("Đợt 2: Dự kiến từ ngày 20/10-25/10/2026", NO_PERIOD, date(2026, 10, 20), date(2026, 10, 25)),
    ("từ ngày 01/7 đến ngày 10/7/2026", NO_PERIOD, date(2026, 7, 1), date(2026, 7, 10)),
    ("từ ngày 01/7 đến ngày 10/7", YEAR_2026, date(2026, 7, 1), date(2026, 7, 10)),
    ("Tháng 10-11/2026", NO_PERIOD, date(2026, 10, 1), date(2026, 11, 30)),
    ("từ tháng 10 đến tháng 11", YEAR_2026, date(2026, 10, 1), date(2026, 11, 30)),
    ("20/12-05/01/2027", NO_PERIOD, date(2026, 12, 20), date(2027, 1, 5)),
    ("Quý I-II/2026", NO_PERIOD, date(2026, 1, 1), date(2026, 6, 30)),
]


@pytest.mark.parametrize(
    ("text", "period", "start", "end"),
    [pytest.param(*case, id=readable_id(case[0])) for case in RANGES],
)
def test_range(text: str, period: dict[str, date], start: date, end: date) -> None:
    assert list(parse_deadline(text, **period).milestones) == [span(text, start, end)]


def test_several_quarters_give_one_due_each() -> None:
    parsed = parse_deadline("Quý III, IV/2026")
    assert [m.due for m in parsed.milestones] == [date(2026, 9, 30), date(2026, 12, 31)]
    assert {m.kind for m in parsed.milestones} == {MilestoneKind.DUE}


@pytest.mark.parametrize(
    ("text", "dues"),
    [
        # several months listed: one due each
        (
            "Tháng 3, 6, 9, 12",
            [date(2026, 3, 31), date(2026, 6, 30), date(2026, 9, 30), date(2026, 12, 31)],
        ),
        ("Tháng 6 và tháng 12/2026", [date(2026, 6, 30), date(2026, 12, 31)]),
        # a quarter written short
        ("Q1/2026", [date(2026, 3, 31)]),
        ("Q.2", [date(2026, 6, 30)]),
        # the beginning and the middle of the year
        ("Đầu năm 2026", [date(2026, 3, 31)]),
        ("Giữa năm", [date(2026, 6, 30)]),
        # a date written with dashes, with its year
        ("Trước 15-01-2026", [date(2026, 1, 15)]),
        # a year after a month is not another month
        ("Tháng 6, 2026", [date(2026, 6, 30)]),
    ],
    ids=lambda value: readable_id(value) if isinstance(value, str) else "",
)
def test_other_ways_of_writing_a_due_date(text: str, dues: list[date]) -> None:
    parsed = parse_deadline(text, **YEAR_2026)
    assert [m.due for m in parsed.milestones] == dues
    assert {m.kind for m in parsed.milestones} == {MilestoneKind.DUE}


# --- recurring -----------------------------------------------------------------------------------


def test_a_month_every_year_is_due_at_that_month_end() -> None:
    parsed = parse_deadline("Tháng 01 hằng năm", **YEAR_2026)
    assert [(m.kind, m.due) for m in parsed.milestones] == [
        (MilestoneKind.RECURRING, date(2026, 1, 31))
    ]


def test_quarterly_and_yearly_report_over_a_year_plan() -> None:
    parsed = parse_deadline(QUARTERLY_AND_YEARLY, **YEAR_2026)
    assert list(parsed.milestones) == [
        *quarter_ends(QUARTERLY_AND_YEARLY, 2026),
        recurring(QUARTERLY_AND_YEARLY, date(2026, 12, 31), "2026"),
    ]


def test_quarterly_report_over_a_six_month_plan() -> None:
    text = "Báo cáo định kỳ hàng quý"
    parsed = parse_deadline(text, **LAST_HALF_2025)
    assert list(parsed.milestones) == [
        recurring(text, date(2025, 9, 30), "2025-Q3"),
        recurring(text, date(2025, 12, 31), "2025-Q4"),
    ]


def test_report_cycle_day_over_a_six_month_plan() -> None:
    parsed = parse_deadline(REPORT_CYCLE, **LAST_HALF_2025)
    assert [m.due for m in parsed.milestones] == [date(2025, 9, 10), date(2025, 12, 10)]


def test_monthly_gives_one_per_month_of_the_period() -> None:
    parsed = parse_deadline("hàng tháng", **YEAR_2026)
    assert [m.period for m in parsed.milestones] == [f"2026-{m:02d}" for m in range(1, 13)]
    assert parsed.milestones[1].due == date(2026, 2, 28)
    assert {m.kind for m in parsed.milestones} == {MilestoneKind.RECURRING}


def test_monthly_on_a_given_day() -> None:
    parsed = parse_deadline("trước ngày 25 hàng tháng", **LAST_HALF_2025)
    assert [m.due for m in parsed.milestones] == [date(2025, m, 25) for m in range(7, 13)]


def test_yearly_on_a_given_day() -> None:
    text = "trước ngày 15/01 hàng năm"
    assert list(parse_deadline(text, **YEAR_2026).milestones) == [
        recurring(text, date(2026, 1, 15), "2026")
    ]


@pytest.mark.parametrize(
    ("text", "cadence"),
    [
        pytest.param("hàng tháng", "month", id="hang-thang"),
        pytest.param("Báo cáo định kỳ hàng quý", "quarter", id="hang-quy"),
        pytest.param(REPORT_CYCLE, "quarter", id="ky-bao-cao"),
        pytest.param("Định kỳ 6 tháng", "half_year", id="6-thang"),
        pytest.param("hằng năm", "year", id="hang-nam"),
    ],
)
def test_recurring_without_a_period_is_open_not_unreadable(text: str, cadence: str) -> None:
    parsed = parse_deadline(text)
    assert list(parsed.milestones) == [recurring(text, None, cadence)]
    assert not parsed.needs_review
    assert parsed.next_due is None


def test_recurring_takes_the_year_written_in_the_cell_without_a_period() -> None:
    parsed = parse_deadline(QUARTERLY_AND_YEARLY)
    assert [m.period for m in parsed.milestones] == [
        "2026-Q1",
        "2026-Q2",
        "2026-Q3",
        "2026-Q4",
        "2026",
    ]


# --- compound cells ------------------------------------------------------------------------------


COMPOUND: list[tuple[str, list[ParsedMilestone]]] = [
    (
        "- Ban hành kế hoạch trong quý I/2026; - Báo cáo kết quả theo quy định",
        [
            due("Ban hành kế hoạch trong quý I/2026", date(2026, 3, 31)),
            trigger("Báo cáo kết quả theo quy định"),
        ],
    ),
    (
        "- Ban hành kế hoạch trong tháng 1/2026; - Báo cáo kết quả theo quy định",
        [
            due("Ban hành kế hoạch trong tháng 1/2026", date(2026, 1, 31)),
            trigger("Báo cáo kết quả theo quy định"),
        ],
    ),
    (
        "- Ban hành kế hoạch trong quý I/2026\n- Báo cáo trong Tháng 12/2026",
        [
            due("Ban hành kế hoạch trong quý I/2026", date(2026, 3, 31)),
            due("Báo cáo trong Tháng 12/2026", date(2026, 12, 31)),
        ],
    ),
    (
        "Quý I/2026\nQuý III/2026",
        [due("Quý I/2026", date(2026, 3, 31)), due("Quý III/2026", date(2026, 9, 30))],
    ),
    # Lines wrapped by the table are one phrase.
    (
        "Khi có văn bản hướng dẫn,\nchỉ đạo của cơ quan cấp trên",
        [trigger("Khi có văn bản hướng dẫn, chỉ đạo của cơ quan cấp trên")],
    ),
    (
        "Trước ngày 10 của tháng cuối cùng\nkỳ báo cáo",
        [recurring(REPORT_CYCLE, date(2026, m, 10), f"2026-Q{m // 3}") for m in (3, 6, 9, 12)],
    ),
    (
        "- Ban hành kế hoạch trong quý I/2026; - abc",
        [due("Ban hành kế hoạch trong quý I/2026", date(2026, 3, 31)), unreadable("abc")],
    ),
]


@pytest.mark.parametrize(
    ("text", "expected"),
    [pytest.param(text, expected, id=readable_id(text)) for text, expected in COMPOUND],
)
def test_compound_cell(text: str, expected: list[ParsedMilestone]) -> None:
    parsed = parse_deadline(text, **YEAR_2026)
    assert parsed.text == text
    assert list(parsed.milestones) == expected


@pytest.mark.parametrize("text", ["", "   ", "\n;\n", " - ; - "], ids=repr)
def test_empty_cell_is_one_unreadable_milestone(text: str) -> None:
    parsed = parse_deadline(text, **YEAR_2026)
    assert [(m.kind, m.due) for m in parsed.milestones] == [(MilestoneKind.UNREADABLE, None)]
    assert parsed.needs_review
    assert parsed.next_due is None


def test_next_due_is_the_earliest_date() -> None:
    parsed = parse_deadline(
        "- Báo cáo trong Tháng 12/2026\n- Ban hành kế hoạch trong quý I/2026", **YEAR_2026
    )
    assert parsed.next_due == date(2026, 3, 31)


def test_cell_year_fills_a_missing_year_without_a_period() -> None:
    parsed = parse_deadline("- Ban hành trong quý I; - Báo cáo trong tháng 12/2027")
    assert [m.due for m in parsed.milestones] == [date(2027, 3, 31), date(2027, 12, 31)]


def test_missing_year_is_taken_from_the_period_that_contains_it() -> None:
    school_year = {"period_start": date(2025, 9, 1), "period_end": date(2026, 6, 30)}
    assert parse_deadline("Quý IV", **school_year).next_due == date(2025, 12, 31)
    assert parse_deadline("Quý II", **school_year).next_due == date(2026, 6, 30)


# --- describe ------------------------------------------------------------------------------------


DESCRIPTIONS: list[tuple[str, dict[str, date], str]] = [
    ("Quý I/2026", NO_PERIOD, "Hạn 31/03/2026"),
    ("01/7/2026-10/7/2026", NO_PERIOD, "Từ 01/07/2026 đến 10/07/2026"),
    ("Thường xuyên", NO_PERIOD, "Thường xuyên (theo dõi mỗi kỳ báo cáo)"),
    (REPORT_CYCLE, YEAR_2026, "Định kỳ: 10/03/2026, 10/06/2026, 10/09/2026, 10/12/2026"),
    (
        QUARTERLY_AND_YEARLY,
        YEAR_2026,
        "Định kỳ: 31/03/2026, 30/06/2026, 30/09/2026, 31/12/2026",
    ),
    ("hàng quý", NO_PERIOD, "Định kỳ hàng quý"),
    ("Theo chỉ đạo của cấp trên", NO_PERIOD, "Chờ chỉ đạo/văn bản cấp trên"),
    (UPPER_GUIDANCE, NO_PERIOD, "Chờ chỉ đạo/văn bản cấp trên"),
    ("Theo quy định", NO_PERIOD, "Theo quy định (chưa có hạn cụ thể)"),
    (
        "Khi có phản ánh, kiến nghị của tổ chức, công dân",
        NO_PERIOD,
        "Khi phát sinh (chưa có hạn cụ thể)",
    ),
    ("sớm nhất có thể", NO_PERIOD, "Cần xác định thời hạn"),
    (PLAN_THEN_REPORT, NO_PERIOD, "Hạn 31/03/2026; Theo quy định (chưa có hạn cụ thể)"),
    ("Quý III, IV/2026", NO_PERIOD, "Hạn 30/09/2026; Hạn 31/12/2026"),
]


@pytest.mark.parametrize(
    ("text", "period", "expected"),
    [pytest.param(*case, id=readable_id(case[0])) for case in DESCRIPTIONS],
)
def test_describe(text: str, period: dict[str, date], expected: str) -> None:
    assert describe(parse_deadline(text, **period)) == expected


def test_describe_of_an_empty_result_is_empty() -> None:
    assert describe(ParsedDeadline(text="", milestones=())) == ""


# --- the whole appendix of seed 001, read from the fixture --------------------------------------


def read_deadline_cells(path: Path) -> list[tuple[str, str]]:
    """(row number, deadline cell) of every task row of a tab-separated appendix table.

    Header rows repeat on each page; section rows ("I. ...") have no deadline; a row with no
    number but a deadline continues the cell above, cut by a page break.
    """
    cells: list[tuple[str, str]] = []
    section = ""
    for line in path.read_text(encoding="utf-8").splitlines():
        columns = line.split("\t")
        if len(columns) <= DEADLINE_COLUMN or columns[0] == "TT":
            continue
        number, deadline = columns[0].strip(), columns[DEADLINE_COLUMN].strip()
        if not deadline:
            if number:
                section = number.split(".")[0]
            continue
        if number:
            cells.append((f"{section}.{number.rstrip('.')}", deadline))
        elif cells:
            row, above = cells[-1]
            cells[-1] = (row, f"{above}\n{deadline}")
    return cells


def test_every_deadline_cell_of_seed_001_is_read(capsys: pytest.CaptureFixture[str]) -> None:
    cells = read_deadline_cells(SEED_001)
    assert len(cells) == 33  # 7 + 5 + 7 + 2 + 3 + 5 + 4 tasks
    expected = {row: text for row, text, _ in SEED_001_TABLE if "-" not in row}
    expected["VII.1"] = f"{VII_1_FIRST}\n{VII_1_SECOND}"
    assert dict(cells) == expected
    for row, cell in cells:
        parsed = parse_deadline(cell, **YEAR_2026)
        assert parsed.milestones, row
        assert not parsed.needs_review, (row, cell, parsed.milestones)
    captured = capsys.readouterr()
    assert captured.out == ""
    assert captured.err == ""


# --- never raises --------------------------------------------------------------------------------

_FRAGMENTS = [
    "Quý", "I", "IV", "V", "/", "-", "–", ";", "\n", "\r", "tháng", "năm", "ngày", "0", "1", "9",
    "12", "13", "29", "31", "99", "2026", "0000", "9999", "00", "hàng", "định kỳ", "6 tháng",
    "cuối", "đầu", "cả", "từ", "đến", "Đợt", "thường xuyên", "theo", "khi có", ".", ",", "(",
    ")", "của", "kỳ báo cáo", "tháng cuối", "nửa", " ", "\t", "\u00a0", "İ", "한", "\u0301",
]  # fmt: skip
_PERIODS: list[dict[str, Any]] = [
    NO_PERIOD,
    YEAR_2026,
    LAST_HALF_2025,
    {"period_start": date(9999, 6, 1)},
    {"period_end": date(1, 1, 1)},
    {"period_start": date(2026, 12, 31), "period_end": date(2026, 1, 1)},
]


def test_never_raises_on_garbage() -> None:
    rng = random.Random(20260114)
    texts = [
        "".join(rng.choice(_FRAGMENTS) + rng.choice(("", " ")) for _ in range(rng.randint(0, 12)))
        for _ in range(3000)
    ]
    texts += [
        "".join(chr(rng.randint(0, 0x2FFF)) for _ in range(rng.randint(0, 40))) for _ in range(500)
    ]
    for text in texts:
        for period in _PERIODS:
            parsed = parse_deadline(text, **period)
            assert parsed.text == text
            assert parsed.milestones
            describe(parsed)


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("Năm 2025-2026", span("Năm 2025-2026", date(2025, 1, 1), date(2026, 12, 31))),
        (
            "Giai đoạn 2026 - 2030",
            span("Giai đoạn 2026 - 2030", date(2026, 1, 1), date(2030, 12, 31)),
        ),
        ("Năm học 2025-2026", span("Năm học 2025-2026", date(2025, 9, 1), date(2026, 5, 31))),
        ("Năm học 2025-2027", unreadable("Năm học 2025-2027")),
        ("Năm 2026-2025", unreadable("Năm 2026-2025")),
    ],
    ids=lambda value: readable_id(value) if isinstance(value, str) else "",
)
def test_a_span_of_years_runs_to_its_last_year(text: str, expected: ParsedMilestone) -> None:
    assert parse_deadline(text, **YEAR_2026).milestones == (expected,)


def test_a_span_of_years_gives_way_to_a_finer_date() -> None:
    parsed = parse_deadline("Giai đoạn 2025-2026, trước ngày 30/6/2026", **YEAR_2026)
    assert [m.due for m in parsed.milestones] == [date(2026, 6, 30)]


@pytest.mark.parametrize(
    ("text", "start", "period", "end"),
    [
        ("Từ ngày 01/3/2026", date(2026, 3, 1), YEAR_2026, date(2026, 12, 31)),
        ("Kể từ tháng 3/2026", date(2026, 3, 1), YEAR_2026, date(2026, 12, 31)),
        ("Bắt đầu từ Quý II/2026", date(2026, 4, 1), YEAR_2026, date(2026, 12, 31)),
        ("Từ ngày 01 tháng 9 năm 2025", date(2025, 9, 1), LAST_HALF_2025, date(2025, 12, 31)),
        (
            "Từ 15/3",
            date(2026, 3, 15),
            NO_PERIOD | {"period_start": date(2026, 1, 1)},
            date(2026, 12, 31),
        ),
    ],
    ids=lambda value: readable_id(value) if isinstance(value, str) else "",
)
def test_from_a_date_is_when_the_work_starts(
    text: str, start: date, period: dict[str, date], end: date
) -> None:
    assert parse_deadline(text, **period).milestones == (span(text, start, end),)


def test_from_a_date_to_another_is_still_one_range() -> None:
    text = "Từ ngày 01/3/2026 đến ngày 30/6/2026"
    parsed = parse_deadline(text, **YEAR_2026)
    assert parsed.milestones == (span(text, date(2026, 3, 1), date(2026, 6, 30)),)
    assert describe(parsed) == "Từ 01/03/2026 đến 30/06/2026"


@pytest.mark.parametrize("text", ["Từ nay đến 2030", "Đến năm 2030", "Từ nay đến năm 2030"])
def test_until_a_year_is_due_at_its_end(text: str) -> None:
    assert parse_deadline(text, **YEAR_2026).milestones == (due(text, date(2030, 12, 31)),)


@pytest.mark.parametrize(
    ("text", "dues"),
    [
        (
            "Trước 30/6 và 31/12 hằng năm",
            [("2026-06", date(2026, 6, 30)), ("2026-12", date(2026, 12, 31))],
        ),
        (
            "Tháng 6 và tháng 12 hằng năm",
            [("2026-06", date(2026, 6, 30)), ("2026-12", date(2026, 12, 31))],
        ),
        ("Trước ngày 15/01 hàng năm", [("2026", date(2026, 1, 15))]),
    ],
    ids=lambda value: readable_id(value) if isinstance(value, str) else "",
)
def test_each_date_of_a_yearly_deadline_recurs(text: str, dues: list[tuple[str, date]]) -> None:
    parsed = parse_deadline(text, **YEAR_2026)
    assert parsed.milestones == tuple(recurring(text, when, period) for period, when in dues)


def test_the_end_of_a_quarter_named_by_no_number_is_every_quarters_end() -> None:
    parsed = parse_deadline("Cuối quý", **YEAR_2026)
    assert [m.due for m in parsed.milestones] == [
        date(2026, 3, 31),
        date(2026, 6, 30),
        date(2026, 9, 30),
        date(2026, 12, 31),
    ]
    assert parse_deadline("Cuối quý I/2026", **YEAR_2026).milestones == (
        due("Cuối quý I/2026", date(2026, 3, 31)),
    )


def test_the_whole_stage_is_due_at_the_periods_end() -> None:
    stage = {"period_start": date(2026, 1, 1), "period_end": date(2030, 12, 31)}
    assert parse_deadline("Cả giai đoạn", **stage).milestones == (
        due("Cả giai đoạn", date(2030, 12, 31)),
    )


def test_following_someone_elses_schedule_waits_for_it() -> None:
    text = "Theo tiến độ của UBND thành phố"
    assert parse_deadline(text, **YEAR_2026).milestones == (trigger(text),)


SIGNED = {**YEAR_2026, "issued_on": date(2026, 1, 9)}  # a Friday


@pytest.mark.parametrize(
    ("text", "when"),
    [
        ("Trong 15 ngày kể từ ngày ban hành kế hoạch", date(2026, 1, 24)),
        ("Trong vòng 10 ngày làm việc kể từ ngày ký", date(2026, 1, 23)),  # weekends skipped
        ("Chậm nhất 2 tuần kể từ ngày ký ban hành", date(2026, 1, 23)),
        ("Sau 1 tháng kể từ ngày Kế hoạch được ban hành", date(2026, 2, 9)),
    ],
    ids=lambda value: readable_id(value) if isinstance(value, str) else "",
)
def test_a_time_counted_from_the_signing_day(text: str, when: date) -> None:
    assert parse_deadline(text, **SIGNED).milestones == (due(text, when),)
    # without the signing day a person sets the date
    assert parse_deadline(text, **YEAR_2026).needs_review


def test_a_month_counted_from_the_31st_ends_on_the_last_day_of_a_short_month() -> None:
    text = "Trong 1 tháng kể từ ngày ký"
    parsed = parse_deadline(text, **{**YEAR_2026, "issued_on": date(2026, 1, 31)})
    assert parsed.milestones == (due(text, date(2026, 2, 28)),)


@pytest.mark.parametrize(
    "text", ["6 tháng đầu năm 2026 và cả năm 2026", "Báo cáo 6 tháng đầu năm và cả năm"]
)
def test_the_whole_year_listed_beside_a_half_is_a_date_of_its_own(text: str) -> None:
    parsed = parse_deadline(text, **YEAR_2026)
    assert [m.due for m in parsed.milestones] == [date(2026, 6, 30), date(2026, 12, 31)]


@pytest.mark.parametrize(
    "text", ["Trong 30 ngày kể từ ngày nhận được văn bản", "5 ngày làm việc kể từ khi nhận hồ sơ"]
)
def test_a_time_counted_from_a_receipt_waits_for_it(text: str) -> None:
    assert parse_deadline(text, **SIGNED).milestones == (trigger(text),)
