"""The plan JSON, the import_plan command and the accuracy benchmark on the seed plans."""

from __future__ import annotations

import json
import re
from datetime import date
from functools import cache
from io import StringIO
from pathlib import Path
from typing import Any

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError

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

THANH_DONG_DEPARTMENTS = [
    "Phòng Văn hóa - Xã hội",
    "Văn phòng HĐND và UBND",
    "Trung tâm Phục vụ hành chính công",
    "Phòng Kinh tế, Hạ tầng và Đô thị",
    "Trung tâm dịch vụ sự nghiệp công",
]


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


# --- the command --------------------------------------------------------------------------------


def run_command(*args: str) -> tuple[str, str, CommandError | None]:
    out, err = StringIO(), StringIO()
    try:
        call_command("import_plan", *args, stdout=out, stderr=err)
    except CommandError as error:
        return out.getvalue(), err.getvalue(), error
    return out.getvalue(), err.getvalue(), None


def test_dry_run_json_prints_one_object_per_file() -> None:
    paths = [str(seed_path(prefix)) for prefix in PREFIXES]
    out, err, error = run_command(*paths, "--dry-run", "--json")
    assert error is None and err == ""
    lines = out.strip().split("\n")
    assert len(lines) == len(paths)
    for path, line in zip(paths, lines, strict=True):
        data = json.loads(line)
        assert data.keys() >= TOP_KEYS
        assert data["file"] == path
        assert "saved" not in data
    assert "Thành Đông" in lines[1]  # ensure_ascii=False: Vietnamese is written as is


def test_dry_run_summary() -> None:
    out, _err, error = run_command(str(seed_path("001")), "--dry-run")
    assert error is None
    assert "16/QĐ-UBND" in out
    assert "7 areas, 33 tasks, 6 targets, 9 duties by department, 5 dates" in out
    assert "nothing saved" in out


@pytest.mark.parametrize(
    ("name", "content"),
    [
        ("notes.txt", "Xin chào, đây không phải là một kế hoạch.\n".encode()),
        ("picture.png", b"not a png at all"),
        ("tool.exe", b"MZ\x90\x00binary"),
        ("empty.txt", b""),
    ],
)
def test_non_plan_file_fails_with_a_message(tmp_path: Path, name: str, content: bytes) -> None:
    bad = tmp_path / name
    bad.write_bytes(content)
    good = seed_path("003")
    out, err, error = run_command(str(bad), str(good), "--dry-run", "--json")
    assert error is not None and error.returncode == 1
    assert err.startswith(f"{bad}: ")
    # The other file is still read.
    assert [json.loads(line)["file"] for line in out.strip().split("\n")] == [str(good)]


def test_missing_file_fails_with_a_message(tmp_path: Path) -> None:
    _out, err, error = run_command(str(tmp_path / "absent.txt"), "--dry-run")
    assert error is not None
    assert "cannot be opened" in err


def test_saving_needs_a_unit() -> None:
    _out, _err, error = run_command(str(seed_path("001")))
    assert error is not None and "--unit" in str(error)


def test_exit_code_through_manage_py(tmp_path: Path) -> None:
    bad = tmp_path / "notes.txt"
    bad.write_text("hello", encoding="utf-8")
    with pytest.raises(SystemExit) as exit_info:
        call_command_from_argv(["manage.py", "import_plan", str(bad), "--dry-run"])
    assert exit_info.value.code == 1


def call_command_from_argv(argv: list[str]) -> None:
    from ingest.management.commands.import_plan import Command

    Command().run_from_argv(argv)


@pytest.fixture
def thanh_dong():
    from org.models import Department, Unit

    city = Unit.objects.create(code="31", name="Hải Phòng", kind="city")
    unit = Unit.objects.create(code="31-TD", name="Thành Đông", kind="ward", parent=city)
    for name in THANH_DONG_DEPARTMENTS:
        Department.objects.create(unit=unit, name=name)
    return unit


@pytest.mark.django_db
def test_import_fails_when_a_lead_is_not_a_department(thanh_dong) -> None:
    from plans.models import Plan

    out, err, error = run_command(str(seed_path("001")), "--unit", thanh_dong.code)
    assert error is not None
    assert Plan.objects.count() == 0
    assert out == ""
    message = err.strip()
    assert message.count("Các phòng chuyên môn, đơn vị") == 2  # tasks V.2 and V.3
    assert re.search(r"\b2\b.*\bV\b", message) and re.search(r"\b3\b.*\bV\b", message)


@pytest.mark.django_db
def test_dry_run_with_a_unit_checks_and_saves_nothing(thanh_dong) -> None:
    from plans.models import Plan

    _out, err, error = run_command(str(seed_path("001")), "--unit", thanh_dong.code, "--dry-run")
    assert error is not None and "Các phòng chuyên môn, đơn vị" in err
    assert Plan.objects.count() == 0


def seed_001_with_department_leads(directory: Path) -> Path:
    """Seed 001 with tasks V.2 and V.3 led by a department, as a ward would correct it."""
    lines = seed_path("001").read_text(encoding="utf-8").split("\n")
    for index, line in enumerate(lines):
        cells = line.split("\t")
        if len(cells) == 6 and cells[2] == "Các phòng chuyên môn, đơn vị":
            cells[2] = "Phòng Văn hóa - Xã hội"
            lines[index] = "\t".join(cells)
    path = directory / "thanh_dong_corrected.txt"
    path.write_text("\n".join(lines), encoding="utf-8")
    return path


@pytest.mark.django_db
def test_import_saves_the_plan(thanh_dong, tmp_path: Path) -> None:
    from plans.models import Plan, Task

    path = seed_001_with_department_leads(tmp_path)
    out, err, error = run_command(
        str(path), "--unit", thanh_dong.code, "--status", "approved", "--json"
    )
    assert error is None, err
    data = json.loads(out)
    plan = Plan.objects.get()
    assert data["saved"] == {
        "unit": thanh_dong.code,
        "plan_id": plan.pk,
        "tasks": 33,
        "status": "approved",
        "dry_run": False,
    }
    assert (plan.unit, plan.status, plan.number) == (thanh_dong, "approved", "16/QĐ-UBND")
    assert (plan.period_start, plan.period_end) == (date(2026, 1, 1), date(2026, 12, 31))
    assert Task.objects.filter(plan=plan).count() == 33
    assert plan.areas.count() == 7


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
