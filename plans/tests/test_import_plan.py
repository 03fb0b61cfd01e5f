"""The import_plan command: read plan documents, show them as JSON or a summary, save them as
plans of a unit."""

from __future__ import annotations

import json
from datetime import date
from io import StringIO
from pathlib import Path

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError

from ingest.tests.test_import_plan import PREFIXES, TOP_KEYS, seed_path

THANH_DONG_DEPARTMENTS = [
    "Phòng Văn hóa - Xã hội",
    "Văn phòng HĐND và UBND",
    "Trung tâm Phục vụ hành chính công",
    "Phòng Kinh tế, Hạ tầng và Đô thị",
    "Trung tâm dịch vụ sự nghiệp công",
]


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
    from plans.management.commands.import_plan import Command

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
def test_every_department_leads_tasks_v2_and_v3(thanh_dong) -> None:
    """ "Các phòng chuyên môn, đơn vị" is not a department: the task is every department's,
    each with its own part."""
    from plans.models import Plan, Task

    _out, err, error = run_command(str(seed_path("001")), "--unit", thanh_dong.code)
    assert error is None, err
    plan = Plan.objects.get()
    shared = Task.objects.filter(plan=plan, all_departments=True).order_by("number")
    assert [(t.area.code, t.number) for t in shared] == [("V", "2"), ("V", "3")]
    departments = thanh_dong.departments.count()
    for task in shared:
        assert task.parts.count() == departments
        assert "Các phòng chuyên môn" not in task.other_coordinators
    assert not Task.objects.filter(plan=plan, all_departments=False, area__code="V", number="2")


@pytest.mark.django_db
def test_dry_run_with_a_unit_checks_and_saves_nothing(thanh_dong) -> None:
    from plans.models import Plan

    _out, err, error = run_command(str(seed_path("001")), "--unit", thanh_dong.code, "--dry-run")
    assert error is None, err
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
