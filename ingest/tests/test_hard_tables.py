"""Tables as officials really write them (see fixtures/hard and bench/make_hard_fixtures.py)."""

from __future__ import annotations

import io
import json
from pathlib import Path

import pytest

from ingest.documents import read_plan
from ingest.plan_json import draft_to_json
from ingest.plan_text import parse_target_table, parse_task_table

HARD = Path(__file__).resolve().parents[2] / "fixtures" / "hard"

TASK_TOP = ["TT", "Nội dung công việc", "Trách nhiệm thực hiện", "", "Thời gian", "Sản phẩm"]
TASK_SUB = ["", "", "Chủ trì", "Phối hợp", "", ""]


def test_two_row_task_header_and_headings_without_a_dot() -> None:
    rows = [
        TASK_TOP,
        TASK_SUB,
        ["I CHỈ ĐẠO, ĐIỀU HÀNH", "", "", "", "", ""],
        ["1", "Ban hành kế hoạch", "Phòng Văn hóa - Xã hội", "Các phòng", "Quý I/2026", "KH"],
        ["II", "CẢI CÁCH THỂ CHẾ", "", "", "", ""],
        ["1", "Rà soát văn bản <i>QPPL</i> do", "Văn phòng HĐND và UBND", "", "Năm 2026", ""],
        TASK_TOP,  # the next page repeats both header rows
        TASK_SUB,
        ["", "phường ban hành", "", "", "", ""],
        ["IV. Cải cách tổ chức bộ máy", "", "", "", "", ""],
        ["1", "Thực hiện các nội dung sau:", "", "", "", ""],
        ["", "- Sắp xếp bộ máy", "Phòng Nội vụ", "", "Quý II/2026", ""],
        ["", "a) Rà soát chức năng", "", "", "", ""],
    ]
    areas, tasks, warnings = parse_task_table(rows)
    assert [(a.code, a.name) for a in areas] == [
        ("I", "CHỈ ĐẠO, ĐIỀU HÀNH"),
        ("II", "CẢI CÁCH THỂ CHẾ"),
        ("IV", "Cải cách tổ chức bộ máy"),
    ]
    assert [(t.area_code, t.content, t.lead) for t in tasks] == [
        ("I", "Ban hành kế hoạch", "Phòng Văn hóa - Xã hội"),
        ("II", "Rà soát văn bản QPPL do phường ban hành", "Văn phòng HĐND và UBND"),
        ("IV", "Sắp xếp bộ máy", "Phòng Nội vụ"),
        ("IV", "Rà soát chức năng", ""),
    ]
    assert tasks[0].coordinators == ["Các phòng"]
    assert [t.group for t in tasks[2:]] == ["Thực hiện các nội dung sau"] * 2
    assert not warnings


def test_a_heading_row_and_a_row_cut_by_a_page_break_go_on_after_the_header() -> None:
    """The heading "Thực hiện các nội dung sau:" is cut by a page break before its sub-items,
    and a task's names and bullets are cut in the middle ("Trung tâm PV" | "HCC", "; -" | "Báo
    cáo"): each half joins the row it belongs to."""
    rows = [
        TASK_TOP,
        TASK_SUB,
        ["VI. Cải cách tài chính công", "", "", "", "", ""],
        [
            "1",
            "Ban hành, thực hiện kế hoạch rà soát, hệ",
            "Văn phòng",
            "Các phòng chuyên môn; Trung tâm PV",
            "- Ban hành kế hoạch trong quý I/2026; -",
            "",
        ],
        TASK_TOP,
        TASK_SUB,
        ["", "thống hoá văn bản", "", "HCC", "Báo cáo kết quả theo quy định", ""],
        ["2", "Thực hiện các nội", "", "", "", ""],
        TASK_TOP,
        TASK_SUB,
        ["", "dung sau:", "", "", "", ""],
        ["", "+ Điều hành chi ngân sách", "Phòng Kinh tế", "", "Thường xuyên", ""],
        ["", "- Công khai ngân sách", "Phòng Kinh tế", "", "Quý IV/2026", ""],
    ]
    _areas, tasks, warnings = parse_task_table(rows)
    assert not warnings
    first, *subs = tasks
    assert first.content == "Ban hành, thực hiện kế hoạch rà soát, hệ thống hoá văn bản"
    assert first.coordinators == ["Các phòng chuyên môn", "Trung tâm PV HCC"]
    assert first.deadline_text == (
        "- Ban hành kế hoạch trong quý I/2026; - Báo cáo kết quả theo quy định"
    )
    assert [(t.content, t.group) for t in subs] == [
        ("Điều hành chi ngân sách", "Thực hiện các nội dung sau"),
        ("Công khai ngân sách", "Thực hiện các nội dung sau"),
    ]


def test_target_table_reads_the_monitoring_unit_under_a_merged_heading() -> None:
    rows = [
        ["STT", "Chỉ tiêu", "Chỉ tiêu phấn đấu", "Trách nhiệm cụ thể", ""],
        ["", "", "", "Đơn vị theo dõi, hướng dẫn thực hiện", "Đơn vị thực hiện"],
        ["2", "Cải cách thể chế", "", "", ""],
        ["2.1", "Văn bản QPPL được triển khai kịp thời", "≥ 95%", "Phòng Tư pháp", "Các phòng"],
        ["", "+ Văn bản trái pháp luật được xử lý", "Trên 90%", "", ""],
        ["3", "Tỷ lệ hài lòng của người dân", "Tối thiểu 90%", "Trung tâm PV HCC", "Các phòng"],
    ]
    areas, targets, _ = parse_target_table(rows)
    assert [a.code for a in areas] == ["2", "3"]
    assert [(t.area_code, t.monitoring, t.implementing) for t in targets] == [
        ("2", "Phòng Tư pháp", ["Các phòng"]),
        ("2", "Phòng Tư pháp", ["Các phòng"]),  # merged cells: the parent's units
        ("3", "Trung tâm PV HCC", ["Các phòng"]),  # a numbered row both area and target
    ]
    assert [(t.parsed.comparator.value, float(t.parsed.value)) for t in targets] == [
        ("gte", 95.0),
        ("gt", 90.0),
        ("gte", 90.0),
    ]
    assert targets[1].text == "Văn bản trái pháp luật được xử lý"


@pytest.mark.parametrize("extension", [".txt", ".docx", ".pdf"])
def test_hard_variants_read_as_their_answers(extension: str) -> None:
    """The text variants of one format against their expected answers, pooled as the
    benchmark pools them, reach the figures asked of the reader."""
    from bench.ingest_accuracy import Tally, compare

    pooled = Tally()
    for path in sorted(HARD.glob(f"*_bang{extension}")):
        expected = json.loads(
            path.with_name(path.stem + ".expected.json").read_text(encoding="utf-8")
        )
        _document, draft = read_plan(path.name, io.BytesIO(path.read_bytes()))
        pooled.merge(compare(expected, draft_to_json(path.name, draft), 0.85))
    figures = pooled.figures()
    assert figures["tasks_expected_count"] >= 100
    for name in (
        "tasks_recall_ratio",
        "tasks_precision_ratio",
        "task_area_accuracy_ratio",
        "lead_accuracy_ratio",
        "milestones_accuracy_ratio",
    ):
        assert figures[name] >= 0.97, (name, figures[name])
    for name in ("targets_recall_ratio", "value_accuracy_ratio"):
        assert figures[name] >= 0.95, (name, figures[name])
    assert figures["monitoring_accuracy_ratio"] >= 0.9


def test_fixture_generator_writes_the_text_variant_of_a_seed() -> None:
    from bench.make_hard_fixtures import SEEDS, variant

    made = variant(next(SEEDS.glob("003_*.txt")))
    assert made is not None
    committed = (HARD / (made["stem"] + ".txt")).read_text(encoding="utf-8")
    assert made["txt"] == committed  # the committed fixtures are what the script writes
