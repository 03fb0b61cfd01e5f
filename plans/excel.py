"""A plan's task list as an Excel sheet laid out like the plan's appendix, and back again.

The sheet follows the appendix of a CCHC plan ("DANH MỤC NHIỆM VỤ, CÔNG VIỆC CỤ THỂ …"): a title
row, a header row, then for each reform area a group row ("I. Chỉ đạo điều hành (07 nhiệm vụ)")
followed by its tasks.

Import reads the same template (.xlsx or .csv); the header row may be any of the first five
non-blank rows, so an exported file, a file whose first row is the header and a copy of a plan's
appendix all load; its columns are recognised the way a plan document's task table is
(`ingest.plan_text.tables.task_columns`), however the commune words them. Status, progress
and next-due columns are only informative and are ignored.

Import is all-or-nothing: every row is checked first; if any row has an error nothing is saved and
the report lists each row's errors. Re-importing updates rather than duplicates: a row whose area
already has a task with the same number (TT) updates that task's content, departments, product
and deadline (its assignees, budget, progress and completed milestones stay); a row without a
number, or with a number the area does not have yet, adds a new task. Nothing is ever deleted.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import date, datetime
from typing import IO

from django.db import transaction
from django.db.models import Max, QuerySet
from django.utils import translation
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from openpyxl import Workbook
from openpyxl.cell.cell import ILLEGAL_CHARACTERS_RE
from openpyxl.styles import Alignment, Border, Font, PatternFill, Side
from openpyxl.utils import get_column_letter
from openpyxl.worksheet.worksheet import Worksheet

from core.files import UploadRejected
from core.sheets import workbook_bytes
from core.tables import MAX_ROWS, read_rows
from core.text import normalize_name, roman, squash_spaces
from ingest.plan_text.tables import task_columns
from org.access import focal_department
from org.imports import ImportReport, RowOutcome
from org.models import Department
from org.services import DepartmentMatcher
from plans import services
from plans.models import Plan, ReformArea, Task

# --- the template ------------------------------------------------------------------------------

TITLE = "DANH MỤC NHIỆM VỤ, CÔNG VIỆC CỤ THỂ TRIỂN KHAI"
HEADERS = [
    "TT",
    "Nội dung công việc",
    "Cơ quan chủ trì",
    "Cơ quan phối hợp",
    "Thời gian thực hiện",
    "Sản phẩm",
    "Trạng thái",
    "Tiến độ (%)",
    "Hạn gần nhất",
]
WIDTHS = [6, 60, 28, 32, 30, 36, 16, 11, 14]
HEADER_ROW = 3  # title, then the "Kèm theo …" line, then the header

TASK_LABELS: dict[str, str] = {
    "number": gettext_lazy("No."),
    "content": gettext_lazy("Task content"),
    "lead": gettext_lazy("Lead department"),
    "coordinators": gettext_lazy("Coordinating departments"),
    "deadline": gettext_lazy("Deadline"),
    "product": gettext_lazy("Product"),
}
REQUIRED_COLUMNS = ["content", "lead", "deadline"]
HEADER_SEARCH_ROWS = 5

_ROMAN_ONLY = re.compile(r"^[IVXLC]+\.?$")
# "I. Chỉ đạo điều hành", "II- Cải cách thể chế", "III) …": a Roman numeral, a mark, the name.
_ROMAN_LEAD = re.compile(r"^([IVXLC]+)\s*[.):\-–]\s*(\S.*)$", re.DOTALL)
# "(07 nhiệm vụ)" at the end of a group row is a count, not part of the area's name.
_COUNT_TAIL = re.compile(r"\s*\(\s*\d+[^()]*\)\s*$")
_BULLET = re.compile(r"^[-+•*]+\s*")


def format_day(day: date | None) -> str:
    return day.strftime("%d/%m/%Y") if day else ""


# --- export ------------------------------------------------------------------------------------


def coordinators_text(task: Task) -> str:
    """Coordinating departments by name, then the outside bodies as written."""
    names = [d.name for d in task.coordinating_departments.all()]
    if task.other_coordinators.strip():
        names.append(task.other_coordinators.strip())
    return "; ".join(names)


def _subtitle(plan: Plan) -> str:
    parts = ["Kèm theo Kế hoạch"]
    if plan.number:
        parts.append(f"số {plan.number}")
    if plan.issued_on:
        parts.append(f"ngày {format_day(plan.issued_on)}")
    parts.append(f"của {plan.unit.full_name}")
    return f"({' '.join(parts)})"


def export_tasks(plan: Plan, tasks: QuerySet[Task] | None = None) -> bytes:
    """The plan's tasks (or the given subset) as an .xlsx laid out like the plan's appendix."""
    return workbook_bytes(task_workbook(plan, tasks))


def task_workbook(plan: Plan, tasks: QuerySet[Task] | None = None) -> Workbook:
    """The workbook of `export_tasks`, for callers that add sheets of their own.

    A fixed number of queries whatever the number of tasks.
    """
    queryset = plan.tasks.all() if tasks is None else tasks.filter(plan=plan)
    queryset = (
        queryset.select_related("area", "lead_department")
        .prefetch_related("coordinating_departments")
        .order_by("area__order", "order", "pk")
    )
    areas = list(plan.areas.order_by("order"))
    by_area: dict[int, list[Task]] = {a.pk: [] for a in areas}
    for task in queryset:
        by_area.setdefault(task.area_id, []).append(task)

    # The sheet is a Vietnamese document whatever the interface language.
    with translation.override("vi"):
        workbook = Workbook()
        sheet = workbook.active
        sheet.title = "Nhiệm vụ"
        _write_heading(sheet, plan)
        row = HEADER_ROW + 1
        for position, area in enumerate(areas, start=1):
            area_tasks = by_area[area.pk]
            if tasks is not None and not area_tasks:
                continue  # a filtered export shows only the areas it has tasks of
            # Numerals follow the area's place in the plan, so they stay put in a filtered export.
            _write_group_row(
                sheet, row, f"{roman(position)}. {area.name} ({len(area_tasks):02d} nhiệm vụ)"
            )
            row += 1
            for running, task in enumerate(area_tasks, start=1):
                _write_task_row(sheet, row, task, task.number or str(running))
                row += 1
        _set_up_page(sheet)
    return workbook


def _put(sheet: Worksheet, row: int, column: int, value: object) -> None:
    cell = sheet.cell(row=row, column=column)
    if isinstance(value, str):
        # Control characters pasted from Word make the file unreadable to Excel.
        cell.value = ILLEGAL_CHARACTERS_RE.sub("", value)
        # Text is never a formula: "=HYPERLINK(…)" in a task must not run in someone's Excel.
        cell.data_type = "s"
    else:
        cell.value = value


_THIN = Side(style="thin", color="808080")
_BORDER = Border(left=_THIN, right=_THIN, top=_THIN, bottom=_THIN)
_WRAP_TOP = Alignment(wrap_text=True, vertical="top")
_CENTRE = Alignment(wrap_text=True, vertical="center", horizontal="center")


def _write_heading(sheet: Worksheet, plan: Plan) -> None:
    last = get_column_letter(len(HEADERS))
    _put(sheet, 1, 1, f"{TITLE} {plan.title.upper()}")
    sheet["A1"].font = Font(bold=True, size=13)
    sheet["A1"].alignment = _CENTRE
    sheet.merge_cells(f"A1:{last}1")
    sheet.row_dimensions[1].height = 36
    _put(sheet, 2, 1, _subtitle(plan))
    sheet["A2"].font = Font(italic=True)
    sheet["A2"].alignment = _CENTRE
    sheet.merge_cells(f"A2:{last}2")
    for column, (header, width) in enumerate(zip(HEADERS, WIDTHS, strict=True), start=1):
        _put(sheet, HEADER_ROW, column, header)
        cell = sheet.cell(row=HEADER_ROW, column=column)
        cell.font = Font(bold=True)
        cell.alignment = _CENTRE
        cell.border = _BORDER
        cell.fill = PatternFill("solid", fgColor="D9E1F2")
        sheet.column_dimensions[get_column_letter(column)].width = width


def _write_group_row(sheet: Worksheet, row: int, text: str) -> None:
    _put(sheet, row, 1, text)
    for column in range(1, len(HEADERS) + 1):
        cell = sheet.cell(row=row, column=column)
        cell.font = Font(bold=True)
        cell.alignment = Alignment(wrap_text=True, vertical="center")
        cell.border = _BORDER
        cell.fill = PatternFill("solid", fgColor="F2F2F2")
    sheet.merge_cells(start_row=row, start_column=1, end_row=row, end_column=len(HEADERS))


EVERY_DEPARTMENT_LEAD = "Các phòng chuyên môn, đơn vị"


def lead_text(task: Task) -> str:
    """The lead as a plan writes it: the department, or every department."""
    return EVERY_DEPARTMENT_LEAD if task.all_departments else task.lead_department.name


def _write_task_row(sheet: Worksheet, row: int, task: Task, number: str) -> None:
    values: list[object] = [
        number,
        task.content,
        lead_text(task),
        coordinators_text(task),
        task.deadline_text,
        task.expected_product,
        task.get_status_display(),
        task.progress_percent,
        task.next_due,
    ]
    for column, value in enumerate(values, start=1):
        _put(sheet, row, column, value)
        cell = sheet.cell(row=row, column=column)
        cell.alignment = _CENTRE if column in (1, 7, 8, 9) else _WRAP_TOP
        cell.border = _BORDER
    sheet.cell(row=row, column=9).number_format = "DD/MM/YYYY"


def _set_up_page(sheet: Worksheet) -> None:
    sheet.freeze_panes = f"A{HEADER_ROW + 1}"
    sheet.print_title_rows = f"{HEADER_ROW}:{HEADER_ROW}"
    sheet.page_setup.orientation = "landscape"
    sheet.page_setup.paperSize = sheet.PAPERSIZE_A4
    # Fit the columns to the page width; as many pages down as needed.
    sheet.page_setup.fitToWidth = 1
    sheet.page_setup.fitToHeight = 0
    sheet.sheet_properties.pageSetUpPr.fitToPage = True
    sheet.page_margins.left = sheet.page_margins.right = 0.4
    sheet.page_margins.top = sheet.page_margins.bottom = 0.5
    sheet.print_options.horizontalCentered = True


# --- reading the file --------------------------------------------------------------------------


def cell_text(value: object) -> str:
    """A cell as text; line breaks inside a cell are kept, other spacing squashed."""
    if value is None:
        return ""
    if isinstance(value, datetime):
        value = value.date()
    if isinstance(value, date):
        return format_day(value)  # a date typed as a date still reads as a deadline
    if isinstance(value, float) and value.is_integer():
        value = int(value)
    lines = (squash_spaces(line) for line in str(value).replace("\r\n", "\n").split("\n"))
    return "\n".join(line for line in lines if line)


def _raw_rows(name: str, stream: IO[bytes]) -> list[list[str]]:
    # core.tables.read_sheet insists on the header in the first row and squashes line
    # breaks; the appendix has a title above the header and multi-line cells.
    return read_rows(name, stream, cell=cell_text, limit=MAX_ROWS + HEADER_SEARCH_ROWS)


@dataclass(frozen=True)
class TemplateRow:
    number: int  # as the person sees it in Excel
    values: dict[str, str]
    cells: tuple[str, ...]  # every non-empty cell, to recognise group rows


def read_template(name: str, stream: IO[bytes]) -> list[TemplateRow]:
    """The rows under the header, keyed by field; refuses a file lacking the needed columns."""
    rows = _raw_rows(name, stream)
    candidates = [i for i, row in enumerate(rows) if any(row)][:HEADER_SEARCH_ROWS]
    if not candidates:
        raise UploadRejected(_("The file has no rows."))
    best: tuple[int, dict[str, int]] | None = None
    for index in candidates:
        columns = task_columns(rows[index])
        if best is None or len(columns) > len(best[1]):
            best = (index, columns)
        if all(f in columns for f in REQUIRED_COLUMNS):
            best = (index, columns)
            break
    header_index, columns = best
    missing = [str(TASK_LABELS[f]) for f in REQUIRED_COLUMNS if f not in columns]
    if missing:
        raise UploadRejected(
            _(
                "One of the first %(n)d rows must name the columns "
                "(TT, Nội dung công việc, Cơ quan chủ trì, Cơ quan phối hợp, "
                "Thời gian thực hiện, Sản phẩm); missing: %(columns)s."
            )
            % {"n": HEADER_SEARCH_ROWS, "columns": ", ".join(missing)}
        )
    body = rows[header_index + 1 :]
    if len(body) > MAX_ROWS:
        raise UploadRejected(_("At most %(n)d rows can be imported at once.") % {"n": MAX_ROWS})
    result = []
    for offset, raw in enumerate(body, start=header_index + 2):
        values = {f: (raw[i] if i < len(raw) else "") for f, i in columns.items()}
        cells = tuple(c for c in raw if c)
        if cells:
            result.append(TemplateRow(number=offset, values=values, cells=cells))
    return result


def group_name(row: TemplateRow) -> str | None:
    """The reform area a group row names ("I. Chỉ đạo điều hành (07 nhiệm vụ)"), else None."""
    number = row.values.get("number", "").strip()
    if number and _ROMAN_ONLY.match(number):
        rest = [c for c in row.cells if c != number]
        name = row.values.get("content", "").strip() or (rest[0] if rest else "")
    elif len(row.cells) == 1 and (match := _ROMAN_LEAD.match(row.cells[0])):
        name = match.group(2)
    else:
        return None
    return squash_spaces(_COUNT_TAIL.sub("", name))


def split_coordinators(text: str) -> list[str]:
    parts = (_BULLET.sub("", p.strip()).strip(" ,.") for p in re.split(r"[;\n]", text))
    return [p for p in parts if p]


def task_number(text: str) -> str:
    return text.strip().rstrip(".").strip()


# --- import ------------------------------------------------------------------------------------


@dataclass
class TaskRowOutcome(RowOutcome):
    warnings: list[str] = field(default_factory=list)


@dataclass
class TaskImportReport(ImportReport):
    new_areas: list[str] = field(default_factory=list)  # reform areas the file adds, in order

    @property
    def warning_rows(self) -> list[RowOutcome]:
        return [r for r in self.rows if getattr(r, "warnings", None)]

    @property
    def error_messages(self) -> list[str]:
        """Every error as one line that names its row, for a message list."""
        return [
            _("Row %(row)d: %(error)s") % {"row": r.number, "error": e}
            for r in self.rows
            for e in r.errors
        ]

    @property
    def warning_messages(self) -> list[str]:
        return [
            _("Row %(row)d: %(warning)s") % {"row": r.number, "warning": w}
            for r in self.rows
            for w in getattr(r, "warnings", [])
        ]


@dataclass(eq=False)  # one area still to create; known by identity until it has a pk
class _NewArea:
    name: str


_BAD_AREA = _NewArea("")  # after a broken group row, so its tasks are not flagged again


@dataclass
class _PlannedTask:
    area: ReformArea | _NewArea
    existing: Task | None
    number: str
    content: str
    lead: Department
    all_departments: bool
    coordinating: list[Department]
    other_coordinators: str
    product: str
    deadline: str


def _lead_errors(text: str, lead: Department | None) -> list[str]:
    if not text:
        return [_("The lead department is missing.")]
    if lead is None:
        return [_("Lead department “%(name)s” is not a department of this unit.") % {"name": text}]
    return []


def _check_rows(
    plan: Plan, rows: Sequence[TemplateRow]
) -> tuple[TaskImportReport, list[_NewArea], list[_PlannedTask]]:
    report = TaskImportReport()
    planned: list[_PlannedTask] = []
    matcher = DepartmentMatcher(plan.unit)
    areas = list(plan.areas.all())
    area_by_key: dict[str, ReformArea | _NewArea] = {normalize_name(a.name): a for a in areas}
    existing: dict[tuple[int, str], list[Task]] = {}
    for task in plan.tasks.all():
        existing.setdefault((task.area_id, task.number), []).append(task)
    new_areas: list[_NewArea] = []
    # Rows before any group row go to the plan's only area, if it has just one.
    current: ReformArea | _NewArea | None = areas[0] if len(areas) == 1 else None
    seen_numbers: dict[tuple[int, str], int] = {}  # (id of area object, number) -> row

    for row in rows:
        name = group_name(row)
        if name is not None:
            key = normalize_name(name)
            if not key or len(name) > 300:
                outcome = TaskRowOutcome(number=row.number, label=row.cells[0])
                outcome.errors.append(
                    _("The reform area row has no name.")
                    if not key
                    else _("The reform area name is longer than 300 characters.")
                )
                report.rows.append(outcome)
                current = _BAD_AREA
                continue
            if key not in area_by_key:
                area_by_key[key] = _NewArea(name)
                new_areas.append(area_by_key[key])
                report.new_areas.append(name)
            current = area_by_key[key]
            continue

        v = row.values
        number = task_number(v.get("number", ""))
        content = v.get("content", "").strip()
        outcome = TaskRowOutcome(
            number=row.number, label=f"{number} {squash_spaces(content)[:80]}".strip()
        )
        report.rows.append(outcome)
        if current is None:
            outcome.errors.append(
                _("The row comes before any reform area row (such as “I. Chỉ đạo điều hành”).")
            )
        if not content:
            outcome.errors.append(_("The task content is empty."))
        if len(number) > 20:
            outcome.errors.append(_("The number “%(number)s” is too long.") % {"number": number})
        written_lead = squash_spaces(v.get("lead", ""))
        every = services.is_all_departments_lead(written_lead)
        lead = matcher.match(written_lead) if written_lead and not every else None
        if every:
            # carried out by every department; consolidated by the focal officer's department
            lead = focal_department(plan.unit)
            if lead is None:
                outcome.errors.append(_("The unit has no department yet."))
        else:
            outcome.errors.extend(_lead_errors(written_lead, lead))

        coordinating: list[Department] = []
        others: list[str] = []
        for part in split_coordinators(v.get("coordinators", "")):
            department = matcher.match(part)
            if department is None:
                others.append(part)
            elif department not in coordinating:
                coordinating.append(department)
        other_text = "; ".join(others)
        if len(other_text) > 500:
            outcome.errors.append(_("The other coordinating bodies exceed 500 characters."))

        task = None
        if current is not None and number:
            where = (id(current), number)
            if where in seen_numbers:
                outcome.errors.append(
                    _("Number %(number)s of this reform area is already on row %(row)d.")
                    % {"number": number, "row": seen_numbers[where]}
                )
            seen_numbers.setdefault(where, row.number)
            matches = (
                existing.get((current.pk, number), []) if isinstance(current, ReformArea) else []
            )
            if len(matches) > 1:
                outcome.errors.append(
                    _(
                        "Several tasks of this reform area already have number %(number)s; "
                        "renumber them in the plan first."
                    )
                    % {"number": number}
                )
            task = matches[0] if len(matches) == 1 else None

        deadline = v.get("deadline", "").strip()
        if task is not None and _same_text(task.deadline_text, deadline):
            deadline = task.deadline_text  # unchanged: its milestones and their ticks stay
        if not deadline:
            outcome.warnings.append(
                _("No deadline is given; the task is flagged so that a person sets the date.")
            )
        elif services.parse_task_deadline(plan, deadline).needs_review:
            outcome.warnings.append(
                _(
                    "The deadline “%(text)s” could not be fully read; the task is flagged so that "
                    "a person sets the date."
                )
                % {"text": squash_spaces(deadline)}
            )

        if outcome.errors:
            continue
        outcome.action = "updated" if task is not None else "created"
        planned.append(
            _PlannedTask(
                area=current,
                existing=task,
                number=number,
                content=content,
                lead=task.lead_department if every and task is not None else lead,
                all_departments=every,
                coordinating=coordinating,
                other_coordinators=other_text,
                product=v.get("product", "").strip(),
                deadline=deadline,
            )
        )
    return report, new_areas, planned


def _same_text(a: str, b: str) -> bool:
    return cell_text(a) == cell_text(b)


def import_tasks(plan: Plan, name: str, stream: IO[bytes]) -> TaskImportReport:
    """Import tasks from the appendix template (.xlsx or .csv); see the module docstring.

    Raises UploadRejected for a file that is refused as a whole (type, damage, missing columns).
    Returns the per-row report; `report.saved` says whether anything was written.
    """
    rows = read_template(name, stream)
    report, new_areas, planned = _check_rows(plan, rows)
    if report.error_rows:
        return report
    with transaction.atomic():
        # New areas go after the plan's own, in the order the file names them.
        order = plan.areas.aggregate(m=Max("order"))["m"] or 0
        created: dict[int, ReformArea] = {}
        for new in new_areas:
            order += 1
            created[id(new)] = ReformArea.objects.create(
                plan=plan, order=order, code=str(order), name=new.name
            )
        for item in planned:
            area = created[id(item.area)] if isinstance(item.area, _NewArea) else item.area
            task = item.existing
            services.save_task(
                plan,
                services.TaskData(
                    area=area,
                    content=item.content,
                    lead_department=item.lead,
                    number=item.number,
                    coordinating_departments=item.coordinating,
                    other_coordinators=item.other_coordinators,
                    expected_product=item.product,
                    deadline_text=item.deadline,
                    all_departments=item.all_departments,
                    # What the sheet does not carry is kept as recorded.
                    assignees=list(task.assignees.all()) if task else (),
                    budget_estimate=task.budget_estimate if task else None,
                    budget_state=task.budget_state if task else "none",
                ),
                task,
            )
    report.saved = True
    return report
