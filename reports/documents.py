"""The documents reports produce: the period's report (.docx), its annexes (.xlsx), and the plan
re-issued from the system (.docx). All go through `reports.builder`."""

from __future__ import annotations

import io
from dataclasses import dataclass
from datetime import date

from django.db import IntegrityError, transaction
from django.utils import timezone, translation
from openpyxl.styles import Alignment, Border, Font, PatternFill, Side
from openpyxl.utils import get_column_letter

from core.files import store_upload
from core.numbers import format_number
from core.pdf import docx_to_pdf
from core.text import roman
from org.models import User
from plans.excel import HEADER_ROW, coordinators_text, lead_text, task_workbook
from plans.models import Plan, TaskStatus
from reports.builder import Signer, build_document, document_day
from reports.facts import (
    collect_facts,
    figures_day,
    missing_contributions,
    period_title,
    states_on,
    unit_kind,
    unit_title,
)
from reports.models import Report, ReportFile, ReportingPeriod, ReportStatus

MAX_CELL = 400
DOCX, XLSX, PDF = "docx", "xlsx", "pdf"


def _cell(text: str) -> str:
    """A value that stays inside one cell of a template's table row."""
    flat = " ".join(text.replace("|", "/").split())
    return flat if len(flat) <= MAX_CELL else flat[: MAX_CELL - 1] + "…"


def plan_subject(title: str) -> str:
    """The title under "KẾ HOẠCH": "Kế hoạch Cải cách …" reads "Cải cách …"."""
    for lead in ("Kế hoạch ", "KẾ HOẠCH "):
        if title.startswith(lead) and len(title) > len(lead):
            rest = title[len(lead) :]
            return rest[0].upper() + rest[1:]
    return title


def report_figures_day(report: Report | None, period: ReportingPeriod) -> date:
    """The day the report's figures are taken on: set when it was assembled; for a report not
    assembled yet, the day a report assembled today would take."""
    if report is not None and report.figures_on:
        return report.figures_on
    if report is not None and report.assembled_at:
        return min(period.end, timezone.localdate(report.assembled_at))
    return figures_day(period)


@dataclass(frozen=True)
class BuiltReport:
    content: bytes
    missing: list[str]  # "Phòng Kinh tế (đang soạn)" for each part not yet accepted
    is_draft: bool


def _frozen(report: Report | None, kind: str) -> bytes | None:
    """The document of an approved (or sent) report as it was approved, when it was kept."""
    if report is None or report.status == ReportStatus.DRAFT:
        return None
    kept = ReportFile.objects.filter(report=report, kind=kind).first()
    if kept is None:
        return None  # approved before approved documents were kept
    with kept.file.open("rb") as stream:
        return stream.read()


def report_docx(report: Report) -> BuiltReport:
    """The report as a .docx; a draft, saying which parts are missing, until it is approved.
    An approved report is the document kept when it was approved, byte for byte."""
    kept = _frozen(report, DOCX)
    if kept is not None:
        return BuiltReport(kept, [], False)
    return build_report_docx(report)


def report_pdf(report: Report, by: User) -> BuiltReport:
    """The report as a PDF. An approved report's PDF is made from its kept .docx, once: it is
    kept beside it, so later downloads are not converted again."""
    cached = _frozen(report, PDF)
    if cached is not None:
        return BuiltReport(cached, [], False)
    kept = _frozen(report, DOCX)
    if kept is None:
        built = build_report_docx(report)
        return BuiltReport(docx_to_pdf(built.content), built.missing, built.is_draft)
    content = docx_to_pdf(kept)
    name = f"bao-cao-cchc-{report.period_id}.pdf"
    try:
        with transaction.atomic():
            store_upload(ReportFile(report=report), name, io.BytesIO(content), {PDF}, by)
    except IntegrityError:
        pass  # another download kept it first: the same document
    return BuiltReport(content, [], False)


def build_report_docx(report: Report) -> BuiltReport:
    period = report.period
    unit = period.unit
    with translation.override("vi"):
        missing = [f"{d.name} ({state})" for d, state in missing_contributions(period)]
    is_draft = report.status == ReportStatus.DRAFT
    notes = None
    if is_draft:
        notes = (
            ["Còn thiếu phần báo cáo của: " + "; ".join(missing) + "."]
            if missing
            else ["Báo cáo chưa được lãnh đạo phê duyệt."]
        )
    context = {
        "unit_title": unit_title(unit),
        "unit_kind": unit_kind(unit),
        "period_title": period_title(period),
        "plan": period.plan,
        "plan_subject": plan_subject(period.plan.title),
        "figures_on": report_figures_day(report, period),
        "report": report,
        "recipients": [line.strip() for line in report.recipients.splitlines() if line.strip()],
        "sections": list(report.sections.order_by("order")),
    }
    content = build_document(
        "cchc_report",
        context,
        unit=unit,
        issued_on=report.issued_on,
        number=report.number,
        signer=Signer(report.signer_capacity, report.signer_title, report.signer_name),
        draft_notes=notes,
    )
    return BuiltReport(content, missing, is_draft)


def plan_docx(plan: Plan) -> bytes:
    """The plan re-issued from the system's data, with its task table."""
    areas = []
    tasks = plan.tasks.select_related("lead_department").prefetch_related(
        "coordinating_departments"
    )
    by_area: dict[int, list] = {}
    for task in tasks.order_by("area__order", "order", "pk"):
        by_area.setdefault(task.area_id, []).append(task)
    for position, area in enumerate(plan.areas.order_by("order"), start=1):
        rows = [
            {
                "number": task.number or str(i),
                "content": _cell(task.content),
                "lead": _cell(lead_text(task)),
                "coordinators": _cell(coordinators_text(task)),
                "deadline": _cell(task.deadline_text),
                "product": _cell(task.expected_product),
            }
            for i, task in enumerate(by_area.get(area.pk, []), start=1)
        ]
        areas.append({"numeral": roman(position), "name": _cell(area.name), "tasks": rows})
    context = {
        "unit_title": unit_title(plan.unit),
        "plan": plan,
        "plan_subject": plan_subject(plan.title),
        "areas": areas,
        "targets": [{"text": t.text} for t in plan.targets.order_by("order", "pk")],
        "recipients": [
            "Sở Nội vụ (để b/c);",
            "TT Đảng ủy, HĐND (để b/c);",
            "Các phòng, đơn vị thuộc UBND;",
            "Lưu: VT, VHXH.",
        ],
    }
    capacity, _sep, title = (plan.signer_capacity or "TM. ỦY BAN NHÂN DÂN\nCHỦ TỊCH").partition(
        "\n"
    )
    return build_document(
        "plan",
        context,
        unit=plan.unit,
        issued_on=plan.issued_on,
        number=plan.number.split("/")[0] if plan.number else "",
        signer=Signer(capacity.strip(), title.strip() or "CHỦ TỊCH", plan.signer),
    )


_THIN = Side(style="thin", color="808080")
_BORDER = Border(left=_THIN, right=_THIN, top=_THIN, bottom=_THIN)
TARGET_HEADERS = ["TT", "Chỉ tiêu", "Kết quả", "Đánh giá", "Nguồn số liệu", "Ngày"]
TARGET_WIDTHS = [6, 70, 14, 18, 40, 12]


def annex_subtitle(period: ReportingPeriod) -> str:
    """ "(Kèm theo Báo cáo số 125/BC-UBND ngày 05/12/2026 của Ủy ban nhân dân phường …)"."""
    report = Report.objects.filter(period=period).first()
    parts = ["Kèm theo Báo cáo"]
    if report and report.number.strip():
        number = report.number.strip()
        parts.append(f"số {number if '/' in number else number + '/BC-UBND'}")
    else:
        parts.append(f"kết quả thực hiện công tác cải cách hành chính {period_title(period)}")
    if report and report.issued_on:
        parts.append(f"ngày {report.issued_on:%d/%m/%Y}")
    parts.append(
        f"của Ủy ban nhân dân {period.unit.full_name[:1].lower()}{period.unit.full_name[1:]}"
    )
    return f"({' '.join(parts)})"


def annex_xlsx(period: ReportingPeriod) -> bytes:
    """Annexes of the report: the task table with statuses, and the targets with actuals, as
    they stood on the report's figures' day; those of an approved report as it was approved."""
    report = Report.objects.filter(period=period).first()
    kept = _frozen(report, XLSX)
    if kept is not None:
        return kept
    return build_annex_xlsx(period, report_figures_day(report, period))


def _statuses_on(sheet, period: ReportingPeriod, on: date) -> None:
    """The status, progress and next due date of each task row as they stood on `on`; the rows
    follow the plan's order of areas and tasks, a group row before each area's tasks."""
    plan = period.plan
    states = {s.task.pk: s for s in states_on(plan.tasks.all(), on)}
    by_area: dict[int, list] = {}
    for task in plan.tasks.order_by("area__order", "order", "pk").only("pk", "area_id"):
        by_area.setdefault(task.area_id, []).append(states[task.pk])
    rows = iter(range(HEADER_ROW + 1, sheet.max_row + 1))
    for area in plan.areas.order_by("order"):
        next(rows, None)  # the area's group row
        for state in by_area.get(area.pk, []):
            row = next(rows, None)
            if row is None:
                return
            sheet.cell(row=row, column=7).value = str(TaskStatus(state.status).label)
            sheet.cell(row=row, column=8).value = state.percent
            sheet.cell(row=row, column=9).value = state.next_due
    sheet.cell(row=HEADER_ROW, column=7).value = f"Trạng thái (đến {document_day(on)})"


def build_annex_xlsx(period: ReportingPeriod, on: date) -> bytes:
    with translation.override("vi"):
        workbook = task_workbook(period.plan)
        workbook.active.title = "PL1 - Nhiệm vụ"
        # The annex goes with the report, not with the plan its table comes from.
        workbook.active["A2"].value = annex_subtitle(period)
        _statuses_on(workbook.active, period, on)
        sheet = workbook.create_sheet("PL2 - Chỉ tiêu")
        sheet.cell(
            row=1, column=1, value=f"KẾT QUẢ THỰC HIỆN CHỈ TIÊU {period_title(period).upper()}"
        )
        sheet["A1"].font = Font(bold=True, size=13)
        sheet.merge_cells(start_row=1, start_column=1, end_row=1, end_column=len(TARGET_HEADERS))
        for column, (header, width) in enumerate(
            zip(TARGET_HEADERS, TARGET_WIDTHS, strict=True), start=1
        ):
            cell = sheet.cell(row=3, column=column, value=header)
            cell.font = Font(bold=True)
            cell.border = _BORDER
            cell.fill = PatternFill("solid", fgColor="D9E1F2")
            cell.alignment = Alignment(horizontal="center", vertical="center", wrap_text=True)
            sheet.column_dimensions[get_column_letter(column)].width = width
        sheet.cell(row=2, column=1, value=f"(Số liệu tính đến ngày {document_day(on)})")
        sheet["A2"].font = Font(italic=True)
        sheet.merge_cells(start_row=2, start_column=1, end_row=2, end_column=len(TARGET_HEADERS))
        for row, fact in enumerate(collect_facts(period, on=on).targets, start=4):
            latest = fact.latest
            unit_label = fact.target.unit_label
            values = [
                row - 3,
                fact.target.text,
                (format_number(latest.value) + ("%" if unit_label == "%" else ""))
                if latest
                else "",
                fact.attainment,
                latest.source if latest else "",
                latest.measured_on if latest else None,
            ]
            for column, value in enumerate(values, start=1):
                cell = sheet.cell(row=row, column=column, value=value)
                cell.data_type = "s" if isinstance(value, str) else cell.data_type
                cell.border = _BORDER
                cell.alignment = Alignment(wrap_text=True, vertical="top")
            sheet.cell(row=row, column=6).number_format = "DD/MM/YYYY"
        sheet.freeze_panes = "A4"
        sheet.page_setup.orientation = "landscape"
        sheet.page_setup.paperSize = sheet.PAPERSIZE_A4
        buffer = io.BytesIO()
        workbook.save(buffer)
    return buffer.getvalue()


# -- an approved report, kept ---------------------------------------------------------------


def freeze(report: Report, by: User) -> None:
    """Keep the approved report's .docx and annexes as they are now: later changes to the data
    or to the wording templates do not change what was approved."""
    period = report.period
    name = f"bao-cao-cchc-{period.pk}"
    built = {
        DOCX: build_report_docx(report).content,
        XLSX: build_annex_xlsx(period, report_figures_day(report, period)),
    }
    thaw(report)
    for kind, content in built.items():
        store_upload(ReportFile(report=report), f"{name}.{kind}", io.BytesIO(content), {kind}, by)


def thaw(report: Report) -> None:
    """Let go of the kept documents of a report returned to draft (the files once committed)."""
    files = list(ReportFile.objects.filter(report=report))
    for kept in files:
        kept.delete()
        transaction.on_commit(lambda f=kept.file: f.delete(save=False))
