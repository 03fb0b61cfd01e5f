"""The task list as an Excel sheet like the plan's appendix: export, import, round trip."""

from __future__ import annotations

import io
import re
import zipfile
from dataclasses import dataclass, field
from datetime import date

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import translation
from openpyxl import load_workbook

from core.files import UploadRejected
from core.sheets import rows_xlsx, workbook_bytes
from org.services import DepartmentMatcher
from org.tests.factories import DepartmentFactory, UnitFactory
from plans import services
from plans.excel import HEADERS, export_tasks, import_tasks, split_coordinators
from plans.models import Plan, ReformArea, Task, TaskStatus
from plans.tests.factories import PlanFactory

DEPARTMENTS = [
    "Phòng Văn hóa - Xã hội",
    "Văn phòng HĐND và UBND",
    "Trung tâm Phục vụ hành chính công",
    "Phòng Kinh tế, Hạ tầng và Đô thị",
    "Trung tâm dịch vụ sự nghiệp công",
]
ROMAN_ROW = re.compile(r"^([IVX]+)\.\s*(.*?)\s*\(\d+ nhiệm vụ\)\s*$")


# --- the seed's appendix as data ---------------------------------------------------------------


@dataclass
class SeedTask:
    number: str
    cells: list[str]  # content, lead, coordinators, deadline, product


@dataclass
class SeedArea:
    name: str
    tasks: list[SeedTask] = field(default_factory=list)


def appendix(text: str) -> list[SeedArea]:
    """The appendix table of a seed: tab-separated rows, repeated headers at page breaks, and
    rows starting with a tab that continue the cells of the task above (cut by a page break)."""
    areas: list[SeedArea] = []
    started = False
    for line in text.splitlines():
        cells = line.split("\t")
        if cells[0] == "TT":
            started = True
            continue
        if not started or not line.strip():
            continue
        if match := ROMAN_ROW.match(cells[0]):
            areas.append(SeedArea(match.group(2)))
        elif cells[0].strip():
            padded = [c.strip() for c in cells[1:]] + [""] * 5
            areas[-1].tasks.append(SeedTask(cells[0].strip().rstrip("."), padded[:5]))
        else:
            previous = areas[-1].tasks[-1].cells
            for i, piece in enumerate(c.strip() for c in cells[1:6]):
                if piece:
                    joiner = "\n" if piece.startswith("-") else " "
                    previous[i] = f"{previous[i]}{joiner}{piece}" if previous[i] else piece
    return areas


@pytest.fixture
def unit(db):
    unit = UnitFactory(code="31-TD", name="Thành Đông")
    for name in DEPARTMENTS:
        DepartmentFactory(unit=unit, name=name)
    return unit


def seed_plan(unit, seed_text) -> Plan:
    """Plan 001 with its 33 tasks; "Các phòng chuyên môn, đơn vị" as a lead (V.2, V.3) is not a
    department, so those two tasks are led by Phòng Văn hóa - Xã hội here."""
    plan = services.create_plan(
        unit,
        with_default_areas=False,
        title="Kế hoạch cải cách hành chính năm 2026",
        number="16/KH-UBND",
        period_start=date(2026, 1, 1),
        period_end=date(2026, 12, 31),
    )
    matcher = DepartmentMatcher(unit)
    fallback = matcher.match("Phòng Văn hóa - Xã hội")
    for order, seed_area in enumerate(appendix(seed_text("001")), start=1):
        area = ReformArea.objects.create(
            plan=plan, order=order, code=str(order), name=seed_area.name
        )
        for seed in seed_area.tasks:
            content, lead, coordinators, deadline, product = seed.cells
            matched, others = [], []
            for part in split_coordinators(coordinators):
                department = matcher.match(part)
                if department is None:
                    others.append(part)
                elif department not in matched:
                    matched.append(department)
            services.save_task(
                plan,
                services.TaskData(
                    area=area,
                    number=seed.number,
                    content=content,
                    lead_department=matcher.match(lead) or fallback,
                    coordinating_departments=matched,
                    other_coordinators="; ".join(others),
                    deadline_text=deadline,
                    expected_product=product,
                ),
                on=date(2026, 2, 1),
            )
    return plan


def facts(plan: Plan) -> list[tuple]:
    tasks = plan.tasks.select_related("area", "lead_department").prefetch_related(
        "coordinating_departments"
    )
    return [
        (
            t.area.order,
            t.area.name,
            t.number,
            t.content,
            t.lead_department.name,
            sorted(d.name for d in t.coordinating_departments.all()),
            t.other_coordinators,
            t.deadline_text,
            t.expected_product,
        )
        for t in tasks.order_by("area__order", "order")
    ]


def xlsx(rows: list[list[object]]) -> io.BytesIO:
    return io.BytesIO(rows_xlsx(rows))


TEMPLATE_HEADER = HEADERS[:6]


# --- tests -------------------------------------------------------------------------------------


def test_the_seed_appendix_has_33_tasks_in_7_areas(seed_text):
    areas = appendix(seed_text("001"))
    assert [len(a.tasks) for a in areas] == [7, 5, 7, 2, 3, 5, 4]
    first = areas[0].tasks[3]
    assert first.cells[4] == "Thực hiện trên phần mềm chấm điểm chỉ số CCHC của thành phố"


def test_export_is_laid_out_like_the_appendix(unit, seed_text):
    plan = seed_plan(unit, seed_text)
    sheet = load_workbook(io.BytesIO(export_tasks(plan))).active
    assert sheet["A1"].value.startswith("DANH MỤC NHIỆM VỤ, CÔNG VIỆC CỤ THỂ")
    assert "KẾ HOẠCH CẢI CÁCH HÀNH CHÍNH NĂM 2026" in sheet["A1"].value
    assert "16/KH-UBND" in sheet["A2"].value
    assert [c.value for c in sheet[3]] == HEADERS
    assert all(c.font.bold for c in sheet[3])
    assert sheet["A4"].value == "I. Chỉ đạo điều hành, kiểm tra và tuyên truyền (07 nhiệm vụ)"
    assert sheet["A12"].value == "II. Cải cách thể chế (05 nhiệm vụ)"
    first = [c.value for c in sheet[5]]
    assert first[:5] == [
        "1",
        "Xây dựng và triển khai Kế hoạch cải cách hành chính nhà nước phường Thành Đông năm 2026",
        "Phòng Văn hóa - Xã hội",
        "Trung tâm Phục vụ hành chính công; Các phòng chuyên môn",
        "Trước ngày 15/01/2026",
    ]
    with translation.override("vi"):
        assert first[6] == str(TaskStatus.OVERDUE.label)  # due 15/01, saved as of 01/02
    assert first[7] == 0
    assert sheet["I5"].number_format == "DD/MM/YYYY" and sheet["B5"].alignment.wrap_text
    assert sheet.freeze_panes == "A4"
    assert sheet.print_title_rows == "$3:$3"
    assert sheet.page_setup.orientation == "landscape"
    assert str(sheet.page_setup.paperSize) == sheet.PAPERSIZE_A4
    assert sheet.column_dimensions["B"].width > sheet.column_dimensions["A"].width
    assert sheet.max_row == 3 + 7 + 33


def test_next_due_is_a_date_and_text_is_never_a_formula(unit):
    plan = PlanFactory(unit=unit)
    area = ReformArea.objects.create(plan=plan, order=1, code="1", name="Chỉ đạo điều hành")
    services.save_task(
        plan,
        services.TaskData(
            area=area,
            content='=HYPERLINK("http://x")\x0b Ban hành kế hoạch',
            lead_department=unit.departments.first(),
            deadline_text="Trước 30/9/2026",
        ),
        on=date(2026, 2, 1),
    )
    sheet = load_workbook(io.BytesIO(export_tasks(plan))).active
    assert sheet["I5"].value.date() == date(2026, 9, 30)
    assert sheet["A5"].value == "1"  # no number recorded: the running number
    # Text stays text (no formula runs in Excel) and control characters are dropped.
    assert sheet["B5"].data_type == "s"
    assert sheet["B5"].value == '=HYPERLINK("http://x") Ban hành kế hoạch'


def test_round_trip_of_seed_001(unit, seed_text):
    source = seed_plan(unit, seed_text)
    assert source.tasks.count() == 33
    target = PlanFactory(unit=unit)  # same unit, no areas yet
    report = import_tasks(target, "ke-hoach.xlsx", io.BytesIO(export_tasks(source)))
    assert report.saved, report.error_messages
    assert report.created == 33 and report.updated == 0
    assert len(report.new_areas) == 7
    assert facts(target) == facts(source)
    assert [a.code for a in target.areas.all()] == ["1", "2", "3", "4", "5", "6", "7"]
    # The deadlines became the same milestones.
    dues = lambda plan: sorted(  # noqa: E731
        (m.kind, m.due) for t in plan.tasks.all() for m in t.milestones.all()
    )
    assert dues(target) == dues(source)


def test_reimport_updates_tasks_by_area_and_number_and_keeps_what_the_sheet_lacks(unit, seed_text):
    plan = seed_plan(unit, seed_text)
    task = plan.tasks.get(area__order=1, number="3")
    milestone = task.milestones.get()
    milestone.done_on = date(2026, 3, 1)
    milestone.save()
    sheet = load_workbook(io.BytesIO(export_tasks(plan)))
    sheet.active["F7"] = "Kế hoạch tuyên truyền đã sửa"  # I.3's product
    report = import_tasks(plan, "ke-hoach.xlsx", io.BytesIO(workbook_bytes(sheet)))
    assert report.saved, report.error_messages
    assert report.updated == 33 and report.created == 0 and report.new_areas == []
    assert plan.tasks.count() == 33 and plan.areas.count() == 7
    task.refresh_from_db()
    assert task.expected_product == "Kế hoạch tuyên truyền đã sửa"
    assert task.milestones.get().done_on == date(2026, 3, 1)


def test_wrong_columns_are_refused_naming_the_missing_ones(unit):
    plan = PlanFactory(unit=unit)
    rows = [["STT", "Mô tả", "Ghi chú"], ["1", "Việc gì đó", ""]]
    with translation.override("en"), pytest.raises(UploadRejected) as caught:
        import_tasks(plan, "sai-cot.xlsx", xlsx(rows))
    message = str(caught.value)
    assert "Task content" in message and "Lead department" in message and "Deadline" in message
    assert Task.objects.count() == 0


def test_columns_are_read_however_the_commune_words_them(unit):
    """The sheet's header is read like a plan's task table: "Nhiệm vụ", "Đơn vị thực hiện",
    "Thời điểm hoàn thành" name the content, the lead and the deadline."""
    plan = PlanFactory(unit=unit)
    DepartmentFactory(unit=unit, name="Phòng Kinh tế")
    rows = [
        ["STT", "Nhiệm vụ", "Đơn vị thực hiện", "Thời điểm hoàn thành", "Hình thức văn bản"],
        ["I", "Cải cách thủ tục hành chính", "", "", ""],
        ["1", "Rà soát thủ tục hành chính", "Phòng Kinh tế", "Quý I/2026", "Báo cáo"],
    ]
    report = import_tasks(plan, "cach-ghi-khac.xlsx", xlsx(rows))
    assert report.saved, report.error_messages
    task = Task.objects.get()
    assert (task.content, task.lead_department.name, task.expected_product) == (
        "Rà soát thủ tục hành chính",
        "Phòng Kinh tế",
        "Báo cáo",
    )


def test_unknown_lead_department_saves_nothing_and_names_the_row(unit):
    plan = PlanFactory(unit=unit)
    rows = [
        ["DANH MỤC NHIỆM VỤ, CÔNG VIỆC CỤ THỂ"],
        ["(Kèm theo Kế hoạch)"],
        TEMPLATE_HEADER,
        ["I. Chỉ đạo điều hành (02 nhiệm vụ)"],
        ["1", "Ban hành kế hoạch", "Phòng X", "", "Quý I/2026", "Kế hoạch"],
        ["2", "Báo cáo quý", "Phòng Văn hóa - Xã hội", "", "Hằng quý", "Báo cáo"],
        ["3", "Tự đánh giá", "", "", "Tháng 10/2026", ""],
    ]
    with translation.override("en"):
        report = import_tasks(plan, "nhiem-vu.xlsx", xlsx(rows))
        messages = report.error_messages
    assert not report.saved
    assert Task.objects.count() == 0 and ReformArea.objects.count() == 0
    assert "Row 5: Lead department “Phòng X” is not a department of this unit." in messages
    assert "Row 7: The lead department is missing." in messages
    assert [r.number for r in report.error_rows] == [5, 7]


def test_missing_content_and_rows_before_any_area_are_errors(unit):
    plan = PlanFactory(unit=unit)
    rows = [
        TEMPLATE_HEADER,
        ["1", "Việc không có lĩnh vực", "Phòng Văn hóa - Xã hội", "", "Quý I/2026", ""],
        ["II. Cải cách thể chế"],
        ["1", "", "Phòng Văn hóa - Xã hội", "", "Quý I/2026", ""],
        ["1", "Việc trùng số", "Phòng Văn hóa - Xã hội", "", "Quý I/2026", ""],
    ]
    with translation.override("en"):
        report = import_tasks(plan, "nhiem-vu.xlsx", xlsx(rows))
        errors = {r.number: r.errors for r in report.error_rows}
    assert not report.saved and Task.objects.count() == 0
    assert "before any reform area" in errors[2][0]
    assert errors[4] == ["The task content is empty."]
    assert "already on row 4" in errors[5][0]


def test_a_plan_with_one_area_takes_rows_without_group_rows(unit):
    plan = PlanFactory(unit=unit)
    area = ReformArea.objects.create(plan=plan, order=1, code="1", name="Kiểm tra")
    rows = [TEMPLATE_HEADER, ["1", "Kiểm tra phường", "VH-XH", "", "Quý II/2026", "Báo cáo"]]
    report = import_tasks(plan, "kiem-tra.xlsx", xlsx(rows))
    assert report.saved, report.error_messages
    task = plan.tasks.get()
    assert task.area == area and task.lead_department.name == "Phòng Văn hóa - Xã hội"


def test_an_existing_area_is_found_by_its_name_however_written(unit):
    plan = PlanFactory(unit=unit)
    services.add_default_areas(plan)
    area = ReformArea.objects.create(plan=plan, order=8, code="8", name="Chỉ đạo điều hành")
    rows = [
        TEMPLATE_HEADER,
        ["I", "CHỈ ĐẠO ĐIỀU HÀNH", "", "", "", ""],
        ["1", "Ban hành kế hoạch", "Văn phòng HĐND-UBND phường", "", "Quý I/2026", ""],
        ["IX. Đánh giá tác động (01 nhiệm vụ)"],
        ["1", "Khảo sát", "Trung tâm PV HCC", "", "Quý III/2026", ""],
    ]
    report = import_tasks(plan, "nhiem-vu.xlsx", xlsx(rows))
    assert report.saved, report.error_messages
    assert plan.tasks.get(number="1", area=area).lead_department.name == DEPARTMENTS[1]
    new = plan.areas.get(name="Đánh giá tác động")
    assert (new.order, new.code) == (9, "9")
    assert report.new_areas == ["Đánh giá tác động"]


def test_csv_import_with_an_unreadable_deadline_warns_but_saves(unit):
    plan = PlanFactory(unit=unit)
    text = (
        "TT;Nội dung công việc;Cơ quan chủ trì;Cơ quan phối hợp;Thời gian thực hiện;Sản phẩm\n"
        "I. Chỉ đạo điều hành (02 nhiệm vụ);;;;;\n"
        '1;Ban hành kế hoạch;Phòng Văn hóa - Xã hội;"Trung tâm PV HCC; Các phòng chuyên môn"'
        ";Quý I/2026;Kế hoạch\n"
        "2.;Tuyên truyền;Trung tâm dịch vụ sự nghiệp công;Phòng VH-XH;sớm nhất có thể;Tin bài\n"
    )
    with translation.override("en"):
        report = import_tasks(plan, "nhiem-vu.csv", io.BytesIO(text.encode("utf-8-sig")))
        warnings = report.warning_messages
    assert report.saved, report.error_messages
    assert report.created == 2
    first, second = plan.tasks.order_by("order")
    assert [d.name for d in first.coordinating_departments.all()] == [DEPARTMENTS[2]]
    assert first.other_coordinators == "Các phòng chuyên môn"
    assert first.next_due == date(2026, 3, 31)
    assert second.number == "2" and second.needs_deadline_review
    assert second.deadline_text == "sớm nhất có thể"
    assert len(warnings) == 1 and warnings[0].startswith("Row 4: The deadline “sớm nhất có thể”")


def test_a_docx_renamed_xlsx_is_refused(unit):
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        archive.writestr("[Content_Types].xml", "<Types/>")
        archive.writestr("word/document.xml", "<w:document/>")
    buffer.seek(0)
    with pytest.raises(UploadRejected):
        import_tasks(PlanFactory(unit=unit), "nhiem-vu.xlsx", buffer)


def _plan_with_tasks(unit, count: int) -> Plan:
    plan = PlanFactory(unit=unit)
    areas = services.add_default_areas(plan)
    departments = list(unit.departments.all())
    for i in range(count):
        task = Task.objects.create(
            plan=plan,
            area=areas[i % len(areas)],
            number=str(i + 1),
            order=i + 1,
            content=f"Nhiệm vụ {i}",
            lead_department=departments[i % len(departments)],
            deadline_text="Quý I/2026",
        )
        task.coordinating_departments.set(departments[:2])
    return plan


def test_export_query_count_does_not_grow_with_the_tasks(unit, django_assert_max_num_queries):
    few, many = _plan_with_tasks(unit, 10), _plan_with_tasks(unit, 60)
    counts = []
    for plan in (few, many):
        plan = Plan.objects.get(pk=plan.pk)  # nothing cached
        with CaptureQueriesContext(connection) as queries:
            export_tasks(plan)
        counts.append(len(queries))
    assert counts[0] == counts[1]
    plan = Plan.objects.get(pk=many.pk)
    with django_assert_max_num_queries(5):
        data = export_tasks(plan, plan.tasks.filter(area__order__lte=2))
    sheet = load_workbook(io.BytesIO(data)).active
    groups = [r[0].value for r in sheet.iter_rows(min_row=4) if r[1].value is None]
    assert len(groups) == 2
    assert groups[0].startswith("I. ") and groups[1].startswith("II. ")
    assert all(g.endswith("(09 nhiệm vụ)") for g in groups)
