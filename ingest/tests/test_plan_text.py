"""The plan text parser on the four seed plans, on made-up tables, and on garbage."""

from __future__ import annotations

import dataclasses
import random
from collections import Counter
from datetime import date
from decimal import Decimal
from functools import cache
from pathlib import Path
from typing import Any

import pytest

from ingest.deadlines import MilestoneKind
from ingest.plan_text import (
    DatedEvent,
    DocumentFacts,
    DraftArea,
    PlanDraft,
    parse_plan_text,
    parse_target_table,
    parse_task_table,
    split_departments,
)
from ingest.targets import Comparator
from ingest.tests.test_deadlines import SEED_001_TABLE, VII_1_FIRST, VII_1_SECOND

SEEDS = Path(__file__).resolve().parents[2] / "fixtures" / "seeds"
YEAR_2026 = (date(2026, 1, 1), date(2026, 12, 31))


def seed_text(prefix: str) -> str:
    (path,) = SEEDS.glob(f"{prefix}_*.txt")
    return path.read_text(encoding="utf-8")


@cache
def draft(prefix: str) -> PlanDraft:
    return parse_plan_text(seed_text(prefix))


def strings_of(value: Any) -> list[str]:
    """Every string inside a draft, however deep."""
    if isinstance(value, str):
        return [value]
    if dataclasses.is_dataclass(value) and not isinstance(value, type):
        return [s for f in dataclasses.fields(value) for s in strings_of(getattr(value, f.name))]
    if isinstance(value, list | tuple):
        return [s for item in value for s in strings_of(item)]
    return []


# --- document facts -----------------------------------------------------------------------------

FACTS: dict[str, dict[str, Any]] = {
    "000": {
        "kind": "plan",
        "plan_kind": "criteria",
        "number": "",
        "number_suffix": "KH-UBND",
        "place": "Đông Quang",
        "issued_on": None,
        "issued_month": 5,
        "issued_year": 2026,
        "issuing_body": "UBND phường Đông Quang",
        "unit_kind": "phường",
        "unit_name": "Đông Quang",
        "title": (
            "Kế hoạch Thực hiện Bộ tiêu chí xác định Chỉ số cải cách hành chính của UBND phường "
            "theo Quyết định số 4116/QĐ-UBND ngày 29/12/2025 của UBND tỉnh Thanh Hoá"
        ),
        "signer": "Nguyễn Thị Thu Huyền",
        "signing_capacity": ["TM. ỦY BAN NHÂN DÂN", "KT. CHỦ TỊCH", "PHÓ CHỦ TỊCH"],
        "period_start": date(2026, 1, 1),
        "period_end": date(2026, 12, 31),
        "recipients": [
            "Sở Nội vụ; Văn phòng UBND tỉnh (đề b/c)",
            "TTr Đảng ủy, HĐND phường (đề b/c)",
            "Các PCT UBND phường",
            "Trưởng các phòng, Trung tâm",
            "Lưu: VT, VHXH",
        ],
    },
    "001": {
        "kind": "decision",
        "plan_kind": "annual",
        "number": "16/QĐ-UBND",
        "number_suffix": "QĐ-UBND",
        "place": "Thành Đông",
        "issued_on": date(2026, 1, 14),
        "issued_month": 1,
        "issued_year": 2026,
        "issuing_body": "UBND phường Thành Đông",
        "unit_kind": "phường",
        "unit_name": "Thành Đông",
        "title": "Kế hoạch Cải cách hành chính nhà nước phường Thành Đông năm 2026",
        "signer": "Nguyễn Tuấn Ngọc",
        "signing_capacity": ["CHỦ TỊCH"],
        "period_start": date(2026, 1, 1),
        "period_end": date(2026, 12, 31),
        "recipients": [
            "Như Điều 3",
            "Sở Nội vụ",
            "TTĐU, TTHĐND phường",
            "CT, các PCT UBND phường",
            "Trung tâm dịch vụ sự nghiệp công",
            "Lưu: VT, VHXXH",
        ],
    },
    "002": {
        "kind": "plan",
        "plan_kind": "six_month",
        "number": "",
        "number_suffix": "",  # no "Số:" line at all
        "place": "",
        "issued_on": None,
        "issued_month": None,
        "issued_year": None,
        "issuing_body": "UBND xã Thái Tân",
        "unit_kind": "xã",
        "unit_name": "Thái Tân",
        "title": "Kế hoạch Cải cách hành chính nhà nước xã sáu tháng cuối năm 2025",
        "signer": "Lê Quang Thành",
        "signing_capacity": ["KT. CHỦ TỊCH", "PHÓ CHỦ TỊCH"],  # written "KT.CHỦ TỊCH"
        "period_start": date(2025, 7, 1),
        "period_end": date(2025, 12, 31),
        "recipients": [  # the "- } Để báo cáo" brace note is not a recipient
            "Sở Nội vụ TP",
            "TT Đảng ủy - TT HĐND xã",
            "Lãnh đạo UBND xã",
            "Các ban ngành đoàn thể xã",
            "CBCC xã",
            "Các đơn vị có liên quan",
            "Lưu: VP",
        ],
    },
    "003": {
        "kind": "plan",
        "plan_kind": "inspection",
        "number": "",
        "number_suffix": "KH-UBND",
        "place": "Thành Sen",
        "issued_on": None,
        "issued_month": 6,
        "issued_year": 2026,
        "issuing_body": "UBND phường Thành Sen",  # "UBND phường ban hành": the name is elsewhere
        "unit_kind": "phường",
        "unit_name": "Thành Sen",
        "title": "Kế hoạch Kiểm tra cải cách hành chính năm 2026",
        "signer": "Trần Thị Thủy Nga",
        "signing_capacity": ["TM. ỦY BAN NHÂN DÂN", "KT. CHỦ TỊCH", "PHÓ CHỦ TỊCH"],
        "period_start": date(2026, 1, 1),
        "period_end": date(2026, 12, 31),
        "recipients": [
            "Sở Nội vụ (báo cáo)",
            "TTr Đảng ủy, TTr HĐND phường",
            "Chủ tịch, các PCT UBND phường",
            "Các phòng, cơ quan, đơn vị trên địa bàn phường",
            "Cán bộ, công chức, viên chức phường",
            "Lưu: VT, VHXX",
        ],
    },
}


@pytest.mark.parametrize("prefix", sorted(FACTS))
def test_facts(prefix: str) -> None:
    facts = draft(prefix).facts
    for name, expected in FACTS[prefix].items():
        assert getattr(facts, name) == expected, name


IMPLEMENTS: dict[str, list[str]] = {
    "000": [
        "Quyết định số 4116/QĐ-UBND ngày 29/12/2025 của Ủy ban nhân dân tỉnh Thanh Hoá về việc "
        "Ban hành Bộ tiêu chí xác định Chỉ số cải cách hành chính của các sở, ban, ngành cấp tỉnh; "
        "UBND cấp xã trên địa bàn tỉnh Thanh Hoá",
    ],
    # The law cited by name only (Luật Tổ chức chính quyền địa phương) is not listed.
    "001": [
        "Nghị quyết số 76/NQ-CP ngày 15 tháng 7 năm 2021 của Chính phủ ban hành Chương trình tổng "
        "thể cải cách hành chính nhà nước giai đoạn 2021-2030",
        "Quyết định số 5256/QĐ-UBND ngày 26/12/2025 của Ủy ban nhân dân thành phố ban hành Kế "
        "hoạch cải cách hành chính nhà nước thành phố Hải Phòng năm 2026",
    ],
    "002": [
        "Quyết định số 3041/QĐ-UBND ngày 26/7/2025 của UBND thành phố ban hành kế hoạch cải cách "
        "hành chính nhà nước thành phố Hải Phòng 6 tháng cuối năm 2025",
    ],
    "003": [
        "Quyết định số 3369/QĐ-UBND ngày 31/12/2025 của Chủ tịch UBND tỉnh Hà Tĩnh về việc ban "
        "hành kế hoạch cải cách hành chính tỉnh Hà Tĩnh năm 2026",
        "Quyết định số 3083/QĐ-UBND ngày 10/12/2025 của UBND tỉnh về việc Ban hành Quy chế và Bộ "
        "tiêu chí xác định chỉ số cải cách hành chính tại các sở, ban, ngành cấp tỉnh và UBND cấp "
        "phường trên địa bàn tỉnh Hà Tĩnh",
        "Quyết định số 146/KH-UBND ngày 15/01/2026 của UBND phường Thành Sen về ban hành kế hoạch "
        "CCHC năm 2026",
    ],
}


@pytest.mark.parametrize("prefix", sorted(IMPLEMENTS))
def test_implements(prefix: str) -> None:
    assert draft(prefix).facts.implements == IMPLEMENTS[prefix]


@pytest.mark.parametrize(
    ("prefix", "reference"),
    [
        ("000", "Quyết định số 4116/QĐ-UBND ngày 29/12/2025"),
        ("001", "Nghị quyết số 76/NQ-CP"),
        ("001", "Quyết định số 5256/QĐ-UBND ngày 26/12/2025"),
        ("002", "Quyết định số 3041/QĐ-UBND ngày 26/7/2025"),
        ("003", "Quyết định số 3369/QĐ-UBND"),
        ("003", "Quyết định số 3083/QĐ-UBND"),
        ("003", "Quyết định số 146/KH-UBND"),
    ],
)
def test_implements_names_number_and_date(prefix: str, reference: str) -> None:
    assert any(piece.startswith(reference) for piece in draft(prefix).facts.implements)


@pytest.mark.parametrize("prefix", sorted(FACTS))
def test_seed_drafts_have_no_warnings_and_no_markdown(prefix: str) -> None:
    result = draft(prefix)
    assert result.warnings == []
    assert not [s for s in strings_of(result) if "*" in s]


# --- areas --------------------------------------------------------------------------------------

AREAS: dict[str, list[tuple[str, str]]] = {
    "000": [],
    "001": [  # from the group rows of the appendix table, which wins over the prose headings
        ("I", "Chỉ đạo điều hành, kiểm tra và tuyên truyền"),
        ("II", "Cải cách thể chế"),
        ("III", "Cải cách thủ tục hành chính"),
        ("IV", "Cải cách tổ chức bộ máy"),
        ("V", "Cải cách chế độ công vụ"),
        ("VI", "Cải cách tài chính công"),
        ("VII", "Xây dựng Chính quyền điện tử, Chính quyền số"),
    ],
    "002": [
        ("1", "Công tác chỉ đạo, điều hành"),
        ("2", "Cải cách thể chế"),
        ("3", "Cải cách thủ tục hành chính (TTHC)"),
        ("4", "Cải cách tổ chức bộ máy hành chính nhà nước"),
        ("5", "Cải cách chế độ công vụ"),
        ("6", "Cải cách tài chính công"),
        ("7", "Xây dựng và phát triển chính quyền điện tử, chính quyền số"),
        ("8", "Đánh giá tác động của CCHC đến người dân, tổ chức và phát triển kinh tế - xã hội"),
    ],
    "003": [
        ("1.1", "Công tác chỉ đạo, điều hành"),
        ("1.2", "Cải cách thể chế"),
        ("1.3", "Cải cách thủ tục hành chính"),
        ("1.4", "Cải cách tổ chức bộ máy"),
        ("1.5", "Cải cách chế độ công vụ"),
        ("1.6", "Cải cách tài chính công"),
        ("1.7", "Xây dựng, phát triển chính quyền điện tử, chính quyền số"),
    ],
}


@pytest.mark.parametrize("prefix", sorted(AREAS))
def test_areas(prefix: str) -> None:
    areas = draft(prefix).areas
    assert [(a.code, a.name) for a in areas] == AREAS[prefix]
    assert [a.order for a in areas] == list(range(1, len(areas) + 1))


BODY_AREAS_001 = [
    ("1", "Công tác chỉ đạo, điều hành"),
    ("2", "Cải cách thể chế"),
    ("3", "Cải cách thủ tục hành chính"),
    ("4", "Cải cách tổ chức bộ máy"),
    ("5", "Cải cách chế độ công vụ"),
    ("6", "Cải cách tài chính công"),
    ("7", "Xây dựng và phát triển chính quyền điện tử, chính quyền số"),
]


def test_seed_001_without_its_appendix_reads_the_prose() -> None:
    text = seed_text("001")
    result = parse_plan_text(text[: text.index("\nPhụ lục")])
    assert [(a.code, a.name) for a in result.areas] == BODY_AREAS_001
    # Lettered paragraphs a), b)... under each heading become tasks; the "(Danh mục ...)" note not.
    counts = Counter(task.area_code for task in result.tasks)
    assert counts == {"1": 5, "2": 4, "3": 6, "4": 3, "5": 6, "6": 2, "7": 6}
    assert [t.number for t in result.tasks if t.area_code == "3"] == list("abcdđe")
    first_of_2 = next(t for t in result.tasks if t.area_code == "2")
    # A paragraph cut by a blank line ("... tốt" / "hệ thống luật pháp ...") is joined.
    assert "tổ chức thực hiện tốt hệ thống luật pháp, tạo lập" in first_of_2.content
    assert result.warnings == []


# --- targets ------------------------------------------------------------------------------------


def test_seed_001_targets() -> None:
    targets = draft("001").targets
    assert [(t.area_code, t.code) for t in targets] == [(None, c) for c in "abcdđe"]
    assert targets[0].text == (
        "Hoàn thành 100% nhiệm vụ được UBND thành phố, Chủ tịch UBND thành phố giao bảo đảm tiến "
        "độ, chất lượng."
    )
    assert targets[5].text.endswith("giáo dục công lập đạt tối thiểu 90%.")
    assert [t.parsed.comparator for t in targets] == [
        Comparator.AT_LEAST,
        Comparator.AT_LEAST,
        Comparator.HIGHER_THAN_BASELINE,
        Comparator.AT_LEAST,
        Comparator.AT_LEAST,
        Comparator.AT_LEAST,
    ]
    assert targets[5].parsed.value == Decimal(90)


def test_seed_002_targets() -> None:
    targets = draft("002").targets
    assert len(targets) == 25
    assert Counter(t.area_code for t in targets) == {"2": 3, "3": 6, "4": 1, "5": 2, "6": 4, "7": 9}
    assert all(t.code == "" for t in targets)
    assert targets[0].text == (
        "100% văn bản quy phạm pháp luật do Trung ương, Thành phố ban hành được triển khai kịp "
        "thời."
    )
    # Markdown italics are gone from the text that is stored and parsed.
    assert targets[2].text.startswith(
        "Thực hiện đầy đủ 02 hoạt động theo dõi thi hành pháp luật (kiểm tra tình hình"
    )
    assert (targets[2].parsed.comparator, targets[2].parsed.value, targets[2].parsed.unit) == (
        Comparator.AT_LEAST,
        Decimal(2),
        "hoạt động",
    )
    between = targets[5]
    assert between.text.startswith("Phân đầu từ 95% -100%")
    assert (between.parsed.comparator, between.parsed.value, between.parsed.value_max) == (
        Comparator.BETWEEN,
        Decimal(95),
        Decimal(100),
    )
    over = next(t for t in targets if t.text.startswith("Trên 90%"))
    assert (over.area_code, over.parsed.comparator) == ("7", Comparator.MORE_THAN)
    unknown = [t.text[:30] for t in targets if t.parsed.needs_review]
    assert unknown == ["Rà soát TTHC, cắt giảm thành p", "Số hóa, xây dựng các cơ sở dữ "]


@pytest.mark.parametrize("prefix", ["000", "003"])
def test_seeds_without_targets(prefix: str) -> None:
    assert draft(prefix).targets == []


# --- tasks of the seed 001 appendix -------------------------------------------------------------

# (area, number as written, first words of the content, lead as written)
SEED_001_TASKS: list[tuple[str, str, str, str]] = [
    ("I", "1", "Xây dựng và triển khai Kế hoạch", "Phòng Văn hóa - Xã hội"),
    ("I", "2", "Thực hiện chế độ báo cáo", "Phòng Văn hóa - Xã hội"),
    ("I", "3", "Ban hành, triển khai thực hiện Kế hoạch tuyên truyền", "Phòng Văn hóa - Xã hội"),
    ("I", "4", "Tổ chức tự đánh giá, chấm điểm", "Phòng Văn hóa - Xã hội"),
    ("I", "5", "Xây dựng Kế hoạch, ban hành Quyết định", "Phòng Văn hóa - Xã hội"),
    ("I", "6", "Triển khai khảo sát, đo lường", "Phòng Văn hóa - Xã hội"),
    ("I", "7", "Tổ chức xây dựng các chuyên đề", "Trung tâm dịch vụ sự nghiệp công"),
    ("II", "1", "Xây dựng văn bản quy phạm pháp luật", "Văn phòng HĐND và UBND phường"),
    ("II", "2", "Ban hành, thực hiện kế hoạch rà soát", "Văn phòng HĐND và UBND phường"),
    ("II", "3", "Ban hành, tổ chức thực hiện Kế hoạch kiểm tra", "Văn phòng HĐND và UBND phường"),
    ("II", "4", "Ban hành kế hoạch và tổ chức", "Văn phòng HĐND và UBND phường"),
    ("II", "5", "Kế hoạch tuyên truyền, phổ biến", "Văn phòng HĐND và UBND phường"),
    ("III", "1", "Ban hành và triển khai thực hiện", "Trung tâm Phục vụ hành chính công"),
    ("III", "2", "Công khai TTHC tại Trung tâm", "Trung tâm Phục vụ hành chính công"),
    ("III", "3", "Công khai đầy đủ, kịp thời", "Trung tâm Phục vụ hành chính công"),
    ("III", "4", "Xây dựng kế hoạch rà soát", "Trung tâm Phục vụ hành chính công"),
    ("III", "5.", "Thực hiện rà soát, đánh giá TTHC", "Trung tâm Phục vụ hành chính công"),
    ("III", "6", "Tổ chức tốt việc tiếp nhận", "Trung tâm Phục vụ hành chính công"),
    ("III", "7", "Báo cáo kết quả công tác kiểm soát", "Trung tâm Phục vụ hành chính công"),
    ("IV", "1", "Tổ chức lại và bổ sung", "Phòng Văn hóa - Xã hội"),
    ("IV", "2", "Tiếp tục rà soát chức năng", "Phòng Văn hóa - Xã hội"),
    ("V", "1", "Thực hiện công tác đào tạo", "Phòng Văn hóa - Xã hội"),
    ("V", "2", "Rà soát, xây dựng, hoàn thiện Đề án", "Các phòng chuyên môn, đơn vị"),
    ("V", "3", "Thực hiện đánh giá, phân loại", "Các phòng chuyên môn, đơn vị"),
    ("VI", "1", "Ban hành quy chế quản lý", "Phòng Kinh tế, Hạ tầng và Đô thị"),
    ("VI", "2", "Báo cáo tình hình thực hiện", "Phòng Kinh tế, Hạ tầng và Đô thị"),
    ("VI", "3", "Thực hiện đúng, đủ các quy định", "Phòng Kinh tế, Hạ tầng và Đô thị"),
    ("VI", "4", "Quyết định ban hành chương trình", "Phòng Kinh tế, Hạ tầng và Đô thị"),
    ("VI", "5", "Thực hiện các kiến nghị sau thanh tra", "Phòng Kinh tế, Hạ tầng và Đô thị"),
    ("VII", "1", "Triển khai Kế hoạch chuyển đổi số", "Phòng Văn hóa - Xã hội"),
    ("VII", "2", "Kiểm tra việc xây dựng, áp dụng", "Phòng Văn hóa - Xã hội"),
    ("VII", "3", "Rà soát nâng cấp, hoàn thiện", "Trung tâm Phục vụ hành chính công"),
    ("VII", "4", "Tăng cường tái sử dụng kết quả", "Trung tâm Phục vụ hành chính công"),
]
# The deadline cells as test_deadlines knows them ("II.5" -> text); VII.1 is cut by a page break.
SEED_001_DEADLINES = {row: text for row, text, _ in SEED_001_TABLE if "-" not in row}
SEED_001_DEADLINES["VII.1"] = f"{VII_1_FIRST}\n{VII_1_SECOND}"


def test_seed_001_has_33_tasks_in_7_areas() -> None:
    result = draft("001")
    assert len(result.tasks) == 33
    counts = Counter(task.area_code for task in result.tasks)
    assert [counts[a.code] for a in result.areas] == [7, 5, 7, 2, 3, 5, 4]
    assert not [w for w in result.warnings if "khai báo" in w]


@pytest.mark.parametrize(
    ("index", "expected"),
    [pytest.param(i, row, id=f"{row[0]}.{row[1]}") for i, row in enumerate(SEED_001_TASKS)],
)
def test_seed_001_task(index: int, expected: tuple[str, str, str, str]) -> None:
    area, number, start, lead = expected
    task = draft("001").tasks[index]
    assert (task.area_code, task.number, task.lead, task.source) == (area, number, lead, "table")
    assert task.content.startswith(start)
    assert task.deadline_text == SEED_001_DEADLINES[f"{area}.{number.rstrip('.')}"]
    assert task.deadline.text == task.deadline_text
    assert not task.deadline.needs_review
    assert task.warnings == []


def test_seed_001_cells_cut_by_page_breaks_are_joined() -> None:
    tasks = {(t.area_code, t.number): t for t in draft("001").tasks}
    # A sentence cut mid-way goes on with a space.
    assert tasks["I", "4"].product == "Thực hiện trên phần mềm chấm điểm chỉ số CCHC của thành phố"
    assert tasks["VII", "1"].product == (
        "- Kế hoạch của UBND phường; - Báo cáo kết quả thực hiện theo quy định"
    )
    # A new bullet goes on a new line.
    assert tasks["VII", "1"].deadline_text == (
        "- Ban hành kế hoạch trong quý I/2026\n- Báo cáo trong Tháng 12/2026"
    )
    assert [m.due for m in tasks["VII", "1"].deadline.milestones] == [
        date(2026, 3, 31),
        date(2026, 12, 31),
    ]
    assert tasks["II", "1"].product == (
        "- Báo cáo kết quả thực hiện; - Danh mục VBQPPL ban hành của UBND phường;\n"
        "- Danh mục tham gia xây dựng VBQPPL của thành phố"
    )


def test_seed_001_coordinators() -> None:
    tasks = {(t.area_code, t.number): t for t in draft("001").tasks}
    assert tasks["I", "1"].coordinators == ["Các phòng chuyên môn", "Trung tâm PV HCC"]
    assert tasks["IV", "2"].coordinators == [
        "Các phòng chuyên môn",
        "Trung tâm PV HCC",
        "Trung tâm Dịch vụ sự nghiệp công",
    ]
    # "các Tổ dân phố" after a comma is a body of its own, even in lower case.
    assert tasks["II", "5"].coordinators == [
        "Các phòng chuyên môn",
        "Trung tâm Dịch vụ sự nghiệp công",
        "các Tổ dân phố",
    ]
    # " - " before a department word separates; "Văn hoá – xã hội" keeps its dash; the line
    # break lost before "Ban biên tập" still separates two bodies.
    assert tasks["III", "2"].coordinators == [
        "Các phòng chuyên môn, đơn vị",
        "Phòng Văn hoá – xã hội",
        "Ban biên tập trang TTĐT",
    ]
    assert tasks["VI", "1"].lead == "Phòng Kinh tế, Hạ tầng và Đô thị"


# --- prose tasks --------------------------------------------------------------------------------


def test_seed_002_prose_tasks() -> None:
    tasks = draft("002").tasks
    counts = Counter(task.area_code for task in tasks)
    assert counts == {"1": 8, "2": 3, "3": 6, "4": 5, "5": 7, "6": 10, "7": 10, "8": 4}
    for task in tasks:
        assert (task.source, task.lead, task.coordinators, task.product) == ("prose", "", [], "")
        assert task.deadline_text == ""
        assert task.deadline.needs_review  # the person sets the deadline
    # Area 1 has its bullets right under the heading, with no "b) Nhiệm vụ".
    assert tasks[0].content.startswith("Ban hành kế hoạch CCHC; xác định rõ chỉ tiêu")
    # A bullet cut by a blank line goes on with its lower-case half.
    first_of_4 = next(t for t in tasks if t.area_code == "4")
    assert first_of_4.content.endswith(
        "các cơ quan hành chính, đơn vị sự nghiệp công lập theo các quy định của Chính phủ, "
        "Thủ tướng Chính phủ và của thành phố."
    )
    first_of_6 = next(t for t in tasks if t.area_code == "6")
    assert "chính sách tính theo tiền lương cơ sở; các chế độ" in first_of_6.content
    last = tasks[-1]
    assert (last.area_code, last.content[:30]) == ("8", "Ban hành và triển khai thực hi")


def test_seed_003_inspection_items_are_prose_tasks() -> None:
    tasks = draft("003").tasks
    counts = Counter(task.area_code for task in tasks)
    assert counts == {"1.1": 7, "1.2": 11, "1.3": 10, "1.4": 10, "1.5": 7, "1.6": 3, "1.7": 12}
    assert all(task.source == "prose" for task in tasks)
    finance = [t.content for t in tasks if t.area_code == "1.6"]
    # "+ " sub-bullets (also the odd "- + ") stay inside their parent item.
    assert finance[0].split("\n") == [
        "Tổ chức thực hiện công tác tài chính-ngân sách:",
        "+ Thực hiện giải ngân kế hoạch vốn đầu tư ngân sách nhà nước (NSNN)",
        "+ Giải ngân nguồn vốn ngân sách nhà nước thực hiện các Chương trình mục tiêu quốc gia",
        "+ Giải ngân nguồn vốn thực hiện các đề án, chính sách của tỉnh.",
        "+ Thực hiện quy định về việc sử dụng kinh phí từ nguồn NSNN",
        "+ Việc xây dựng dự toán, phân bổ và giao dự toán, quyết toán ngân sách và công khai "
        "tài chính",
        "+ Ban hành Quy chế chi tiêu nội bộ",
    ]
    assert finance[1].count("\n+ ") == 3
    assert finance[2].count("\n+ ") == 3
    groups = Counter(t.group for t in tasks if t.area_code == "1.7")
    assert groups == {
        "Đổi mới sáng tạo": 7,
        "Áp dụng hệ thống quản lý chất lượng ISO (ISO 9001:2015)": 5,
    }
    # "2. Về kiểm tra đột xuất" is no area: its two bullets are left out.
    assert not [t for t in tasks if "kỷ luật, kỷ cương hành chính (cơ quan" in t.content]


@pytest.mark.parametrize("prefix", ["000"])
def test_criteria_plan_has_no_tasks(prefix: str) -> None:
    assert draft(prefix).tasks == []


# --- duties -------------------------------------------------------------------------------------

# (department, number of duties, first duty starts, last duty starts)
DUTIES: dict[str, list[tuple[str, int, str, str]]] = {
    "000": [
        (
            "Phòng Văn hóa - Xã hội",
            16,
            "Tham mưu cho UBND phường ban hành các văn bản chỉ đạo. Cụ thể như sau:",
            "Phối hợp Trung tâm cung ứng dịch vụ công xây dựng, duy trì hoạt động Cổng",
        ),
        (
            "Văn phòng HĐND-UBND phường",
            7,
            "Phối hợp, đôn đốc, kiểm tra việc thực hiện các nhiệm vụ được Chủ tịch UBND tỉnh",
            "Triển khai Hệ thống thông tin phục vụ hội họp và xử lý công việc của UBND phường.",
        ),
        (
            "Trung tâm phục vụ hành chính công phường",
            6,
            "Tham mưu cho UBND phường ban hành Kế hoạch rà soát, đánh giá TTHC của phường;",
            "Phối hợp, đôn đốc các cơ quan, đơn vị cung cấp dịch vụ công trực tuyến;",
        ),
        (
            "Phòng Kinh tế, Hạ tầng và Đô thị",
            7,
            "Thực hiện công tác Tài chính - ngân sách: Thực hiện cơ chế tự chủ",
            "Thực hiện triển khai đầy đủ, báo cáo kết quả thực hiện các chỉ tiêu phát triển",
        ),
    ],
    "001": [
        ("Phòng Văn hóa - Xã hội", 4, "Chủ trì, phối hợp", "Tham mưu các biện pháp, giải pháp"),
        ("Văn phòng HĐND&UBND phường", 4, "Phối hợp với phòng Văn hóa", "Tham mưu Chủ tịch Ủy"),
        ("Trung tâm phục vụ hành chính công", 1, "Chủ trì, phối hợp", "Chủ trì, phối hợp"),
        ("Phòng Kinh tế, hạ tầng và đô thị", 3, "Chủ trì, phối hợp", "Theo dõi, tổng hợp"),
        ("Trung tâm dịch vụ sự nghiệp công", 1, "Chủ trì, phối hợp", "Chủ trì, phối hợp"),
        (
            "Các cơ quan chuyên môn, đơn vị được giao các nhiệm vụ trong danh mục nhiệm vụ cụ thể "
            "kèm theo Kế hoạch cải cách hành chính năm 2026 của Ủy ban nhân dân phường",
            1,
            "tập trung tham mưu, thực hiện bảo đảm chất lượng",
            "tập trung tham mưu",
        ),
        ("Công Thông tin điện tử phường", 2, "Đổi mới, nâng cao chất lượng", "Kịp thời đưa"),
        # g) and h) have no "Department:" heading: the body is cut before the first verb.
        (
            "Các thành viên Ban chỉ đạo của phường về phát triển khoa học, công nghệ, đổi mới sáng "
            "tạo, chuyển đổi số và Đề án 06",
            1,
            "Các thành viên Ban chỉ đạo của phường về phát triển khoa học",
            "Các thành viên Ban chỉ đạo",
        ),
        (
            "Mặt trận Tổ quốc Việt Nam và các đoàn thể chính trị - xã hội, người dân, tổ chức và "
            "doanh nghiệp",
            1,
            "Đề nghị Mặt trận Tổ quốc Việt Nam",
            "Đề nghị Mặt trận Tổ quốc Việt Nam",
        ),
    ],
    "002": [
        ("Phòng Văn hóa - Xã hội", 5, "Tham mưu Chủ tịch Ủy ban nhân xã", "Phối hợp Phòng Kinh tế"),
        (
            "Văn phòng Hội đồng nhân dân và Ủy ban nhân dân xã",
            3,
            "Phối hợp với Phòng Văn hóa - Xã hội",
            "Chủ trì, phối hợp với các cơ quan, đơn vị có liên quan tham mưu, thực hiện các nội "
            "dung về cải cách thể chế.",
        ),
        ("Phòng Kinh tế", 5, "Chủ trì, phối hợp", "Theo dõi, tổng hợp và kiểm tra"),
        ("Trung tâm phục vụ hành chính công", 1, "Chủ trì, phối hợp", "Chủ trì, phối hợp"),
        (
            "Các đơn vị được giao các nhiệm vụ trong danh mục nhiệm vụ cụ thể kèm theo Kế hoạch "
            "cải cách hành chính 6 tháng cuối năm 2025 của Ủy ban nhân dân xã",
            1,
            "tập trung tham mưu",
            "tập trung tham mưu",
        ),
        ("Trung tâm Văn hoá – Thể thao và truyền thông", 2, "Đổi mới, nâng cao", "Kịp thời đưa"),
        (
            "Mặt trận Tổ quốc Việt Nam và các đoàn thể chính trị - xã hội xã, các cơ quan truyền "
            "thông, người dân, tổ chức và doanh nghiệp",
            1,
            "Đề nghị Mặt trận",
            "Đề nghị Mặt trận",
        ),
    ],
    "003": [],
}


@pytest.mark.parametrize("prefix", sorted(DUTIES))
def test_duties(prefix: str) -> None:
    duties = draft(prefix).duties
    assert [(d.department, len(d.duties)) for d in duties] == [
        (name, count) for name, count, _, _ in DUTIES[prefix]
    ]
    for duty, (name, _, first, last) in zip(duties, DUTIES[prefix], strict=True):
        assert duty.duties[0].startswith(first), name
        assert duty.duties[-1].startswith(last), name


def test_seed_000_duties_exact_ends() -> None:
    culture, office, centre, economy = draft("000").duties
    assert culture.duties[1] == (
        "Ban hành kế hoạch CCHC, Kế hoạch tuyên truyền CCHC hàng năm đạt yêu cầu theo hướng dẫn "
        "của Sở Nội vụ."
    )
    assert culture.duties[-1].endswith("mức độ thuận tiện trong truy cập, khai thác thông tin.")
    assert office.duties[-1] == (
        "Triển khai Hệ thống thông tin phục vụ hội họp và xử lý công việc của UBND phường."
    )
    assert centre.duties[0].endswith("và các văn bản hướng dẫn của cấp có thẩm quyền.")
    # The closing "(Có phụ lục ...)" note is not a duty of the last department.
    assert economy.duties[-1] == (
        "Thực hiện triển khai đầy đủ, báo cáo kết quả thực hiện các chỉ tiêu phát triển kinh tế - "
        "xã hội."
    )


# --- dated events -------------------------------------------------------------------------------

_REPORT_CYCLE = "báo cáo Quý, báo cáo 6 tháng gửi trước ngày 10 tháng cuối của quý"
EVENTS: dict[str, list[DatedEvent]] = {
    "000": [
        DatedEvent(
            "Kỳ báo cáo 6 tháng",
            None,
            date(2026, 6, 21),
            "đối với kỳ báo cáo 6 tháng gửi trước ngày 21/6/2026",
        ),
        DatedEvent(
            "Kỳ báo cáo năm",
            None,
            date(2026, 12, 1),
            "đối với kỳ báo cáo năm gửi trước ngày 01/12/2026",
        ),
    ],
    "001": [
        *[
            DatedEvent(
                f"Báo cáo Quý, báo cáo 6 tháng (2026-Q{q})",
                None,
                date(2026, q * 3, 10),
                _REPORT_CYCLE,
            )
            for q in (1, 2, 3, 4)
        ],
        DatedEvent("Báo cáo năm", None, date(2026, 12, 10), "báo cáo năm gửi trước ngày 10/12"),
    ],
    "002": [
        DatedEvent("Báo cáo năm", None, date(2025, 12, 10), "báo cáo năm gửi trước ngày 10/12"),
    ],
    "003": [
        DatedEvent(
            "Kiểm tra 6 tháng",
            date(2026, 6, 1),
            date(2026, 6, 30),
            "Kiểm tra 6 tháng: Tháng 6/2026",
        ),
        DatedEvent(
            "Kiểm tra cuối năm kết hợp tự đánh giá thẩm định kết quả CCHC năm 2026",
            date(2026, 10, 1),
            date(2026, 11, 30),
            "Kiểm tra cuối năm kết hợp tự đánh giá thẩm định kết quả CCHC năm 2026: "
            "Tháng 10-11/2026",
        ),
        DatedEvent(
            "Đợt 1",
            date(2026, 7, 1),
            date(2026, 7, 10),
            "Đợt 1: Dự kiến từ ngày 01/7/2026-10/7/2026",
        ),
        DatedEvent(
            "Đợt 2",
            date(2026, 10, 20),
            date(2026, 10, 25),
            "Đợt 2: Dự kiến từ ngày 20/10-25/10/2026",
        ),
    ],
}


@pytest.mark.parametrize("prefix", sorted(EVENTS))
def test_events(prefix: str) -> None:
    assert draft(prefix).events == EVENTS[prefix]


# --- tables in any column order ------------------------------------------------------------------

REORDERED_HEADER = [
    "TT",
    "Nhiệm vụ",
    "Hoạt động/sản phẩm",
    "Cơ quan chủ trì",
    "Cơ quan phối hợp",
    "Thời gian thực hiện",
]
REORDERED_ROWS = [
    ["DANH MỤC NHIỆM VỤ NĂM 2026", "", "", "", "", ""],
    REORDERED_HEADER,
    ["I. Cải cách thể chế (03 nhiệm vụ)", "", "", "", "", ""],
    [
        "1",
        "Rà soát văn bản quy phạm pháp luật",
        "Báo cáo kết quả rà soát",
        "Văn phòng HĐND và UBND",
        "Các phòng chuyên môn, đơn vị; Trung tâm Phục vụ hành chính công",
        "Quý II/2026",
    ],
    [
        "2",
        "Kiểm tra văn bản quy phạm pháp luật do phường ban hành",
        "- Kế hoạch kiểm tra;",
        "Văn phòng HĐND và UBND",
        "Phòng Kinh tế, Hạ tầng và Đô thị, Phòng Văn hóa - Xã hội",
        "- Ban hành kế hoạch trong quý I/2026",
    ],
    REORDERED_HEADER,  # page break: the header again, then the rest of task 2
    ["", "", "- Báo cáo kết quả kiểm tra", "", "", "- Báo cáo trong tháng 12/2026"],
    ["II. Cải cách thủ tục hành chính (01 nhiệm vụ)", "", "", "", "", ""],
    [
        "1",
        "Công khai thủ tục hành chính tại Trung tâm",
        "Danh mục TTHC được công khai",
        "Trung tâm Phục vụ hành chính công",
        "Các phòng chuyên môn",
        "Thường xuyên",
    ],
]


def test_reordered_task_table() -> None:
    areas, tasks, warnings = parse_task_table(
        REORDERED_ROWS, period_start=YEAR_2026[0], period_end=YEAR_2026[1]
    )
    assert areas == [
        DraftArea(1, "I", "Cải cách thể chế"),
        DraftArea(2, "II", "Cải cách thủ tục hành chính"),
    ]
    assert [(t.area_code, t.number) for t in tasks] == [("I", "1"), ("I", "2"), ("II", "1")]
    first, second, third = tasks
    assert (first.content, first.product, first.lead) == (
        "Rà soát văn bản quy phạm pháp luật",
        "Báo cáo kết quả rà soát",
        "Văn phòng HĐND và UBND",
    )
    assert first.coordinators == [
        "Các phòng chuyên môn, đơn vị",
        "Trung tâm Phục vụ hành chính công",
    ]
    assert first.deadline.next_due == date(2026, 6, 30)
    assert second.coordinators == ["Phòng Kinh tế, Hạ tầng và Đô thị", "Phòng Văn hóa - Xã hội"]
    assert second.product == "- Kế hoạch kiểm tra;\n- Báo cáo kết quả kiểm tra"
    assert second.deadline_text == (
        "- Ban hành kế hoạch trong quý I/2026\n- Báo cáo trong tháng 12/2026"
    )
    assert [m.due for m in second.deadline.milestones] == [date(2026, 3, 31), date(2026, 12, 31)]
    assert third.deadline.milestones[0].kind is MilestoneKind.CONTINUOUS
    assert all(t.source == "table" and t.warnings == [] for t in tasks)
    assert warnings == ["Lĩnh vực I khai báo 03 nhiệm vụ nhưng tìm thấy 2"]


def test_task_table_with_numbered_groups_and_gaps() -> None:
    rows = [
        ["STT", "Nội dung công việc", "Đơn vị chủ trì", "Đơn vị phối hợp", "Thời hạn"],
        ["1", "Cải cách hành chính (2 nhiệm vụ)", "", "", ""],
        ["1.1", "Ban hành kế hoạch", "Phòng Văn hóa - Xã hội", "", "Trước ngày 31/01/2026"],
        ["1.2", "Báo cáo kết quả", "", "", "không rõ"],
    ]
    areas, tasks, warnings = parse_task_table(rows)
    assert areas == [DraftArea(1, "1", "Cải cách hành chính")]
    assert [(t.area_code, t.number) for t in tasks] == [("1", "1.1"), ("1", "1.2")]
    assert tasks[0].deadline.next_due == date(2026, 1, 31)
    assert tasks[1].warnings == ["Thiếu cơ quan chủ trì", "Cần xác định thời hạn"]
    assert warnings == []


def test_task_table_headed_in_other_words() -> None:
    """Communes name the same columns differently: the body that does the work may be "Đơn vị
    thực hiện" or "Cơ quan tham mưu", the deadline "Thời điểm hoàn thành", the product "Hình thức
    văn bản"; a leader in charge and the state of the work are not the lead."""
    rows = [
        [
            "STT",
            "Nhiệm vụ",
            "Cơ quan tham mưu",
            "Lãnh đạo phụ trách",
            "Thời điểm hoàn thành",
            "Hình thức văn bản",
            "Tình hình thực hiện",
        ],
        [
            "1",
            "Ban hành kế hoạch tuyên truyền CCHC",
            "Phòng Văn hóa - Xã hội",
            "Phó Chủ tịch UBND",
            "Tháng 02/2026",
            "Kế hoạch",
            "Đã ban hành",
        ],
    ]
    _areas, tasks, warnings = parse_task_table(rows)
    assert warnings == []
    (task,) = tasks
    assert (task.content, task.lead, task.product) == (
        "Ban hành kế hoạch tuyên truyền CCHC",
        "Phòng Văn hóa - Xã hội",
        "Kế hoạch",
    )
    assert task.deadline.next_due == date(2026, 2, 28)
    performed = [
        ["TT", "Nội dung", "Đơn vị thực hiện", "Thời gian"],
        ["1", "Rà soát", "Phòng Kinh tế", "Quý I"],
    ]
    assert parse_task_table(performed)[1][0].lead == "Phòng Kinh tế"
    both = [
        ["TT", "Nội dung", "Bộ phận thực hiện", "Cơ quan chủ trì", "Thời gian"],
        ["1", "Rà soát", "Tổ công tác", "Phòng Kinh tế", "Quý I/2026"],
    ]
    assert parse_task_table(both)[1][0].lead == "Phòng Kinh tế"


@pytest.mark.parametrize(
    ("cell", "names"),
    [
        # a line break lost between two bodies
        (
            "Các phòng chuyên môn, đơn vị - Phòng Văn hoá – xã hội Ban biên tập trang TTĐT",
            ["Các phòng chuyên môn, đơn vị", "Phòng Văn hoá – xã hội", "Ban biên tập trang TTĐT"],
        ),
        (
            "Trung tâm Phục vụ hành chính công Phòng Kinh tế",
            ["Trung tâm Phục vụ hành chính công", "Phòng Kinh tế"],
        ),
        # one name, though a body's word follows a lower-case one
        ("Công chức Văn phòng - Thống kê", ["Công chức Văn phòng - Thống kê"]),
        ("Thường trực Hội đồng nhân dân", ["Thường trực Hội đồng nhân dân"]),
        ("Ủy ban Mặt trận Tổ quốc", ["Ủy ban Mặt trận Tổ quốc"]),
        ("Phó trưởng Ban tiếp công dân", ["Phó trưởng Ban tiếp công dân"]),
        ("các đơn vị thuộc Phòng Kinh tế", ["các đơn vị thuộc Phòng Kinh tế"]),
    ],
)
def test_coordinators_run_together_are_told_apart(cell: str, names: list[str]) -> None:
    assert split_departments(cell) == names


def test_task_table_without_header_is_a_warning() -> None:
    areas, tasks, warnings = parse_task_table([["1", "Việc gì đó", "Phòng A"]])
    assert (areas, tasks) == ([], [])
    assert warnings == ["Không nhận ra dòng tiêu đề của bảng nhiệm vụ (TT, Nội dung, Chủ trì...)"]


TARGET_ROWS = [
    ["STT", "Chỉ tiêu", "Chỉ tiêu phấn đấu", "Đơn vị", ""],
    ["", "", "", "Theo dõi, hướng dẫn thực hiện", "Thực hiện"],
    ["1", "Cải cách thủ tục hành chính", "", "", ""],
    [
        "1.1",
        "Tỷ lệ hồ sơ giải quyết đúng hạn",
        "≥ 98%",
        "Trung tâm Phục vụ hành chính công",
        "Các phòng chuyên môn, Trung tâm Phục vụ hành chính công",
    ],
    ["", "- Hồ sơ trực tuyến toàn trình", "Trên 50%", "", ""],
    ["", "- Hồ sơ quá hạn", "≤ 2%", "", ""],
    ["1.2", "Tỷ lệ thủ tục được công khai", "100%", "Văn phòng HĐND và UBND", "Các phòng"],
    ["2", "Cải cách chế độ công vụ", "", "", ""],
    ["2.1", "Cán bộ được đào tạo", "Hoàn thành 100% kế hoạch", "Phòng Văn hóa - Xã hội", ""],
]


def test_target_table_with_the_year_in_its_header_and_a_unit_column() -> None:
    """ "Chỉ tiêu năm 2026" is the aim beside "Chỉ tiêu", last year's result is not, and a unit
    written in its own column ("ĐVT") goes with the figure."""
    rows = [
        ["TT", "Chỉ tiêu", "ĐVT", "Kết quả năm 2025", "Chỉ tiêu năm 2026", "Đơn vị thực hiện"],
        ["1", "Tỷ lệ hồ sơ giải quyết đúng hạn", "%", "97", "98", "Trung tâm PV HCC"],
        ["2", "Số hoạt động tuyên truyền", "hoạt động", "3", "Tối thiểu 4", "Phòng VH-XH"],
    ]
    _areas, targets, warnings = parse_target_table(rows)
    assert warnings == []
    assert [(t.parsed.value, t.parsed.unit, t.parsed.text) for t in targets] == [
        (Decimal("98"), "%", "98%"),
        (Decimal("4"), "hoạt động", "Tối thiểu 4 hoạt động"),
    ]
    assert targets[0].implementing == ["Trung tâm PV HCC"]
    # Where no other column names the targets, the one with the year does.
    alone = [
        ["TT", "Chỉ tiêu chủ yếu năm 2026", "Mục tiêu", "Đơn vị thực hiện"],
        ["1", "Tỷ lệ hồ sơ giải quyết đúng hạn", "≥ 98%", "Trung tâm PV HCC"],
    ]
    (target,) = parse_target_table(alone)[1]
    assert (target.text, target.parsed.value) == ("Tỷ lệ hồ sơ giải quyết đúng hạn", Decimal("98"))


def test_target_table_with_two_row_header() -> None:
    areas, targets, warnings = parse_target_table(TARGET_ROWS)
    assert warnings == []
    assert areas == [
        DraftArea(1, "1", "Cải cách thủ tục hành chính"),
        DraftArea(2, "2", "Cải cách chế độ công vụ"),
    ]
    assert [(t.area_code, t.code, t.text) for t in targets] == [
        ("1", "1.1", "Tỷ lệ hồ sơ giải quyết đúng hạn"),
        ("1", "", "Hồ sơ trực tuyến toàn trình"),
        ("1", "", "Hồ sơ quá hạn"),
        ("1", "1.2", "Tỷ lệ thủ tục được công khai"),
        ("2", "2.1", "Cán bộ được đào tạo"),
    ]
    assert [(t.parsed.comparator, t.parsed.value) for t in targets] == [
        (Comparator.AT_LEAST, Decimal(98)),
        (Comparator.MORE_THAN, Decimal(50)),
        (Comparator.AT_MOST, Decimal(2)),
        (Comparator.AT_LEAST, Decimal(100)),
        (Comparator.AT_LEAST, Decimal(100)),
    ]
    assert targets[0].parsed.text == "≥ 98%"  # the cell as written
    assert targets[0].monitoring == "Trung tâm Phục vụ hành chính công"
    assert targets[0].implementing == ["Các phòng chuyên môn", "Trung tâm Phục vụ hành chính công"]
    # Bullet rows share the departments of the numbered row above (merged cells).
    assert targets[1].monitoring == targets[0].monitoring
    assert targets[2].implementing == targets[0].implementing
    assert (targets[4].monitoring, targets[4].implementing) == ("Phòng Văn hóa - Xã hội", [])


def test_target_table_inside_plan_text() -> None:
    table = "\n".join("\t".join(row) for row in TARGET_ROWS)
    text = f"KẾ HOẠCH\n\nCải cách hành chính năm 2026\n\nPhụ lục chỉ tiêu\n\n{table}\n"
    result = parse_plan_text(text)
    assert result.facts.period_start == date(2026, 1, 1)
    assert [t.code for t in result.targets] == ["1.1", "", "", "1.2", "2.1"]
    assert [a.code for a in result.areas] == ["1", "2"]
    assert result.tasks == []


@pytest.mark.parametrize(
    ("cell", "names"),
    [
        ("Các phòng chuyên môn; Trung tâm PV HCC", ["Các phòng chuyên môn", "Trung tâm PV HCC"]),
        ("Phòng Kinh tế, Hạ tầng và Đô thị", ["Phòng Kinh tế, Hạ tầng và Đô thị"]),
        ("Phòng Văn hóa - Xã hội", ["Phòng Văn hóa - Xã hội"]),
        ("Các phòng chuyên môn, đơn vị", ["Các phòng chuyên môn, đơn vị"]),
        (
            "Phòng Văn hóa - Xã hội, Văn phòng HĐND và UBND phường",
            ["Phòng Văn hóa - Xã hội", "Văn phòng HĐND và UBND phường"],
        ),
        ("- Phòng A\n- Trung tâm B;", ["Phòng A", "Trung tâm B"]),
        ("", []),
    ],
)
def test_split_departments(cell: str, names: list[str]) -> None:
    assert split_departments(cell) == names


# --- documents that are not quite plans ----------------------------------------------------------


def test_markdown_glued_heading_and_six_month_first_half() -> None:
    text = (
        "Số: 12/KH-UBND\n\nAn Bình, ngày 05 tháng 02 năm 2026\n\n"
        "KẾ HOẠCH**Tuyên truyền cải cách hành chính 6 tháng đầu năm 2026**\n\n"
        "Căn cứ Kế hoạch số 7/KH-UBND ngày 02/01/2026 của UBND xã An Bình; "
        "UBND xã An Bình ban hành kế hoạch như sau:\n\n"
        "I. MỤC ĐÍCH**1. Mục đích:**\n\n- Nâng cao nhận thức.\n"
    )
    facts = parse_plan_text(text).facts
    assert (facts.number, facts.number_suffix, facts.issued_on) == (
        "12/KH-UBND",
        "KH-UBND",
        date(2026, 2, 5),
    )
    assert facts.title == "Kế hoạch Tuyên truyền cải cách hành chính 6 tháng đầu năm 2026"
    assert facts.plan_kind == "communication"
    assert (facts.period_start, facts.period_end) == (date(2026, 1, 1), date(2026, 6, 30))
    assert facts.implements == ["Kế hoạch số 7/KH-UBND ngày 02/01/2026 của UBND xã An Bình"]
    assert facts.issuing_body == "UBND xã An Bình"


def test_garbage_gives_an_empty_draft_with_a_warning() -> None:
    result = parse_plan_text("lorem ipsum dolor sit amet\n\t\t\n***\n")
    assert result.facts == DocumentFacts()
    assert (result.areas, result.targets, result.tasks, result.duties, result.events) == (
        [],
        [],
        [],
        [],
        [],
    )
    assert result.warnings == ["Không nhận ra nội dung kế hoạch trong văn bản"]


# --- never raises --------------------------------------------------------------------------------

_FRAGMENTS = [
    "I.", "II.", "1.", "1.1.", "a)", "đ.", "- ", "+ ", "- + ", "\t", "\n", "\n\n", "KẾ HOẠCH",
    "QUYẾT ĐỊNH", "Số: /KH-UBND", "ngày", "tháng", "năm 2026", ":", "**", "*", "(", ")",
    "Nơi nhận:", "CHỦ TỊCH", "KT.", "Nguyễn Văn An", "TT", "Nội dung", "Cơ quan chủ trì",
    "Thời gian thực hiện", "STT", "Chỉ tiêu", "Chỉ tiêu phấn đấu", "Phân công nhiệm vụ",
    "gửi trước ngày 10/12", "Đợt 1: Tháng 13/2026", "Căn cứ Quyết định số 1/QĐ-UB", "phường Á",
    "UBND xã X ban hành", "%", "≥", "100", "(07 nhiệm vụ)", "Quý IV/2026", "giai đoạn 2030-2020",
    "Hà Nội, ngày 31 tháng 02 năm 2026", "An, ngày 1 tháng 1 năm 0000", "6 tháng đầu năm 0000",
    "Quý II/0000", "giai đoạn 0000-9999", "năm 0000", "한", "\u0301", "İ", "\r", "\x00", "\u00a0",
]  # fmt: skip


def _check(result: PlanDraft) -> None:
    assert isinstance(result, PlanDraft)
    assert all(isinstance(s, str) for s in strings_of(result))
    assert not [w for w in result.warnings if w.startswith("Không đọc được")]


def test_never_raises_on_random_text() -> None:
    rng = random.Random(20260114)
    for _ in range(400):
        pieces = (rng.choice(_FRAGMENTS) + rng.choice(("", " ")) for _ in range(rng.randint(0, 80)))
        _check(parse_plan_text("".join(pieces)))
    for _ in range(100):
        _check(parse_plan_text("".join(chr(rng.randint(0, 0x2FFF)) for _ in range(200))))


@pytest.mark.parametrize("prefix", sorted(FACTS))
def test_never_raises_on_truncated_seeds(prefix: str) -> None:
    text = seed_text(prefix)
    rng = random.Random(prefix)
    for _ in range(25):
        start = rng.randint(0, len(text))
        _check(parse_plan_text(text[:start]))
        _check(parse_plan_text(text[start : rng.randint(start, len(text))]))


def test_table_readers_never_raise() -> None:
    rng = random.Random(7)
    for _ in range(500):
        rows = [
            [rng.choice(_FRAGMENTS) for _ in range(rng.randint(0, 7))]
            for _ in range(rng.randint(0, 9))
        ]
        for read in (parse_task_table, parse_target_table):
            areas, found, warnings = read(rows)
            assert isinstance(areas, list) and isinstance(found, list)
            assert not [w for w in warnings if w.startswith("Không đọc được")]
    odd: list[Any] = [None, "text", [None, 1, 2.5], [["TT"]]]
    for rows in (None, odd, [[None] * 6]):
        parse_task_table(rows)  # type: ignore[arg-type]
        parse_target_table(rows)  # type: ignore[arg-type]


@pytest.mark.parametrize("value", [None, 42, b"bytes", ""])
def test_non_text_input(value: Any) -> None:
    result = parse_plan_text(value)
    assert result.warnings == ["Không nhận ra nội dung kế hoạch trong văn bản"]
