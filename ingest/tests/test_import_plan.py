"""The plan JSON and the accuracy benchmark on the seed plans (the import_plan command that
prints the JSON is tested in plans/tests/test_import_plan.py)."""

from __future__ import annotations

import json
import re
from functools import cache
from pathlib import Path
from typing import Any

import pytest

from ingest.plan_json import draft_to_json
from ingest.plan_text import PlanDraft, parse_plan_text

SEEDS = Path(__file__).resolve().parents[2] / "fixtures" / "seeds"
PREFIXES = ["000", "001", "002", "003"]

TOP_KEYS = {
    "file",
    "document",
    "period",
    "areas",
    "tasks",
    "targets",
    "assignments",
    "dates",
    "warnings",
    "plan_kind",
    "signing_capacity",
    "implements",
    "unit",
}
DOCUMENT_KEYS = {"kind", "number", "date", "place", "issuer", "title", "signer"}
TASK_KEYS = {
    "area",
    "number",
    "content",
    "lead",
    "coordinators",
    "deadline_text",
    "product",
    "milestones",
}
TARGET_KEYS = {
    "area",
    "text",
    "comparator",
    "value",
    "value_max",
    "unit",
    "monitoring",
    "implementing",
}
MILESTONE_KINDS = {"date", "range", "recurring", "continuous", "trigger", "unreadable"}
COMPARATORS = {"eq", "gt", "gte", "lt", "lte", "between", "qualitative"}
ISO_DATE = re.compile(r"^\d{4}-\d{2}-\d{2}$")


def seed_path(prefix: str) -> Path:
    (path,) = SEEDS.glob(f"{prefix}_*.txt")
    return path


@cache
def seed_draft(prefix: str) -> PlanDraft:
    return parse_plan_text(seed_path(prefix).read_text(encoding="utf-8"))


def seed_json(prefix: str) -> dict[str, Any]:
    return draft_to_json(seed_path(prefix).name, seed_draft(prefix))


def is_date_or_none(value: Any) -> bool:
    return value is None or (isinstance(value, str) and bool(ISO_DATE.match(value)))


# --- draft_to_json ------------------------------------------------------------------------------


@pytest.mark.parametrize("prefix", PREFIXES)
def test_json_shape_and_vocabularies(prefix: str) -> None:
    data = seed_json(prefix)
    assert json.loads(json.dumps(data, ensure_ascii=False)) == data  # plain JSON all through
    assert data.keys() >= TOP_KEYS
    assert data["file"] == seed_path(prefix).name
    assert data["document"].keys() >= DOCUMENT_KEYS
    assert data["document"]["kind"] in {"plan", "decision"}
    assert is_date_or_none(data["document"]["date"])
    assert ISO_DATE.match(data["period"]["start"]) and ISO_DATE.match(data["period"]["end"])
    assert all(area.keys() >= {"code", "name"} for area in data["areas"])
    for task in data["tasks"]:
        assert task.keys() >= TASK_KEYS
        assert isinstance(task["coordinators"], list)
        assert task["milestones"], "every task has at least one milestone"
        for milestone in task["milestones"]:
            assert milestone["kind"] in MILESTONE_KINDS
            assert is_date_or_none(milestone["start"]) and is_date_or_none(milestone["due"])
            if milestone["kind"] in ("continuous", "trigger", "unreadable"):
                assert milestone["start"] is None and milestone["due"] is None
            if milestone["kind"] == "range":
                assert milestone["start"] <= milestone["due"]
    for target in data["targets"]:
        assert target.keys() >= TARGET_KEYS
        assert target["comparator"] in COMPARATORS
        assert target["value"] is None or isinstance(target["value"], float)
        if target["comparator"] == "qualitative":
            assert target["value"] is None
        else:
            assert target["value"] is not None
        assert (target["value_max"] is not None) == (target["comparator"] == "between")
    for assignment in data["assignments"]:
        assert isinstance(assignment["department"], str) and assignment["department"]
        assert all(isinstance(duty, str) for duty in assignment["duties"])
    for event in data["dates"]:
        assert event.keys() >= {"purpose", "start", "end"}
        assert ISO_DATE.match(event["start"]) and ISO_DATE.match(event["end"])
        assert event["start"] <= event["end"]
    assert all(isinstance(warning, str) for warning in data["warnings"])


def test_seed_001_json_values() -> None:
    data = seed_json("001")
    document = data["document"]
    assert {key: document[key] for key in DOCUMENT_KEYS - {"title"}} == {
        "kind": "decision",
        "number": "16/QĐ-UBND",
        "date": "2026-01-14",
        "place": "Thành Đông",
        "issuer": "UBND phường Thành Đông",
        "signer": "Nguyễn Tuấn Ngọc",
    }
    assert data["plan_kind"] == "annual"
    assert data["signing_capacity"] == ["CHỦ TỊCH"]
    assert data["unit"] == {"kind": "phường", "name": "Thành Đông"}
    assert len(data["implements"]) == 2
    tasks = {(t["area"], t["number"].rstrip(".")): t for t in data["tasks"]}
    assert [m["kind"] for m in tasks["I", "1"]["milestones"]] == ["date"]
    assert tasks["I", "1"]["milestones"][0]["due"] == "2026-01-15"
    # "Trước ngày 10 của tháng cuối cùng kỳ báo cáo": one milestone per quarter of 2026.
    assert [(m["kind"], m["due"]) for m in tasks["I", "2"]["milestones"]] == [
        ("recurring", f"2026-{month:02d}-10") for month in (3, 6, 9, 12)
    ]
    assert [m["kind"] for m in tasks["II", "2"]["milestones"]] == ["date", "trigger"]
    assert [m["kind"] for m in tasks["I", "7"]["milestones"]] == ["continuous"]
    assert tasks["V", "2"]["lead"] == "Các phòng chuyên môn, đơn vị"
    # "Vượt chỉ tiêu ... được giao": no figure to compare with.
    exceed = next(t for t in data["targets"] if t["text"].startswith("Vượt chỉ tiêu"))
    assert (exceed["comparator"], exceed["value"], exceed["direction"]) == (
        "qualitative",
        None,
        "higher",
    )
    assert (data["targets"][-1]["comparator"], data["targets"][-1]["value"]) == ("gte", 90.0)
    assert data["warnings"] == []


def test_blank_number_is_null_and_single_dates_start_and_end_the_same_day() -> None:
    data = seed_json("000")
    assert data["document"]["number"] is None
    assert data["document"]["date"] is None  # "ngày   tháng 5 năm 2026": no day yet
    assert [(d["start"], d["end"]) for d in data["dates"]] == [
        ("2026-06-21", "2026-06-21"),
        ("2026-12-01", "2026-12-01"),
    ]
    assert data["assignments"][0]["department"] == "Phòng Văn hóa - Xã hội"


def test_between_target_and_prose_tasks_of_seed_002() -> None:
    data = seed_json("002")
    between = next(t for t in data["targets"] if t["comparator"] == "between")
    assert (between["area"], between["value"], between["value_max"], between["unit"]) == (
        "3",
        95.0,
        100.0,
        "%",
    )
    assert data["period"] == {"start": "2025-07-01", "end": "2025-12-31"}
    task = data["tasks"][0]
    assert (task["lead"], task["deadline_text"]) == ("", "")
    assert [m["kind"] for m in task["milestones"]] == ["unreadable"]
    # Each task without a deadline is named in a warning.
    assert len(data["warnings"]) == len(data["tasks"])
    assert data["warnings"][0].startswith("Nhiệm vụ thứ 1 của lĩnh vực 1 (Ban hành kế hoạch CCHC")


def test_ranges_of_the_inspection_plan() -> None:
    data = seed_json("003")
    assert {(d["start"], d["end"]) for d in data["dates"]} == {
        ("2026-06-01", "2026-06-30"),
        ("2026-10-01", "2026-11-30"),
        ("2026-07-01", "2026-07-10"),
        ("2026-10-20", "2026-10-25"),
    }


def test_unreadable_deadline_is_named_in_a_warning() -> None:
    broken = parse_plan_text(
        seed_path("001").read_text(encoding="utf-8").replace("Trước 30/9/2026", "sớm nhất")
    )
    data = draft_to_json("x.txt", broken)
    task = next(t for t in data["tasks"] if t["deadline_text"] == "sớm nhất")
    assert [m["kind"] for m in task["milestones"]] == ["unreadable"]
    assert any(w.startswith("Nhiệm vụ III.5") and "sớm nhất" in w for w in data["warnings"])


# --- the accuracy benchmark ---------------------------------------------------------------------


def accuracy(directory: Path, capsys: pytest.CaptureFixture[str]) -> dict[str, Any]:
    from bench.ingest_accuracy import main

    main([str(directory)])
    last = capsys.readouterr().out.strip().split("\n")[-1]
    return json.loads(last)


def test_accuracy_benchmark_on_the_seeds(capsys: pytest.CaptureFixture[str]) -> None:
    figures = accuracy(SEEDS, capsys)
    assert figures["documents_count"] >= 4
    for name in (
        "tasks_recall_ratio",
        "tasks_precision_ratio",
        "lead_accuracy_ratio",
        "deadline_text_accuracy_ratio",
        "milestones_accuracy_ratio",
        "targets_recall_ratio",
    ):
        assert figures[f"seed_001_txt_{name}"] == 1.0, name
    assert figures["seed_001_txt_tasks_expected_count"] == 33


def test_accuracy_benchmark_sees_mistakes(tmp_path: Path, capsys) -> None:
    (tmp_path / "001_copy.txt").write_bytes(seed_path("001").read_bytes())
    expected_file = next(SEEDS.glob("001_*.expected.json"))
    expected = json.loads(expected_file.read_text(encoding="utf-8"))
    expected["tasks"][0]["lead"] = "Văn phòng HĐND và UBND phường"
    expected["tasks"].append({**expected["tasks"][0], "content": "Một nhiệm vụ không có thật"})
    (tmp_path / "001_copy.expected.json").write_text(json.dumps(expected), encoding="utf-8")
    figures = accuracy(tmp_path, capsys)
    assert figures["001_copy_txt_tasks_recall_ratio"] == round(33 / 34, 4)
    assert figures["001_copy_txt_tasks_precision_ratio"] == 1.0
    assert figures["001_copy_txt_lead_accuracy_ratio"] == round(32 / 33, 4)
