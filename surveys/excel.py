"""Answers out to Excel, and paper forms back in through a template.

The template has one row per paper form: the date, the procedure field, then one column per
question headed "C<number>. <question>". Ratings are 1–5; choices are the option's number (1, 2,
...) or its wording; several choices are separated by ";"; yes/no is "Có"/"Không" (or 1/0).
Import is all-or-nothing: every row is checked first and the report lists each row's errors.
"""

from __future__ import annotations

from datetime import date, datetime
from typing import IO

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from openpyxl import Workbook
from openpyxl.cell.cell import ILLEGAL_CHARACTERS_RE
from openpyxl.styles import Alignment, Font, PatternFill
from openpyxl.utils import get_column_letter

from core import clock
from core.sheets import workbook_bytes
from core.tables import read_rows
from core.text import fold, squash_spaces
from org.imports import ImportReport, RowOutcome
from surveys import services
from surveys.models import (
    Answer,
    Campaign,
    ProcedureField,
    Question,
    QuestionKind,
    Response,
    ResponseSource,
)

DATE_HEADER = "Ngày khảo sát (dd/mm/yyyy)"
FIELD_HEADER = "Lĩnh vực"
MAX_PAPER_ROWS = 5000
YES = {"co", "1", "x", "yes", "dong y"}
NO = {"khong", "0", "no"}


def _clean(value: object) -> object:
    return ILLEGAL_CHARACTERS_RE.sub("", value) if isinstance(value, str) else value


def _header(number: int, question: Question) -> str:
    return f"C{number}. {question.text}"


def _vi_fields() -> dict[str, str]:
    from django.utils import translation

    with translation.override("vi"):
        return {value: str(label) for value, label in ProcedureField.choices}


def export_answers(campaign: Campaign) -> bytes:
    """Every answer, one row per response, excluded ones marked; written row by row."""
    questions = services.questions_of(campaign)
    workbook = Workbook(write_only=True)
    sheet = workbook.create_sheet("Phiếu trả lời")
    fields = _vi_fields()
    sources = {"web": "Đường dẫn", "kiosk": "Máy tại quầy", "paper": "Phiếu giấy"}
    sheet.append(
        ["Số phiếu", "Ngày", "Nguồn", FIELD_HEADER, "Loại khỏi kết quả", "Lý do loại"]
        + [_header(i, q) for i, q in enumerate(questions, start=1)]
        + ["Liên hệ (nếu có)"]
    )
    column = {q.pk: i for i, q in enumerate(questions)}
    yes_no = ["Không", "Có"]
    responses = Response.objects.filter(campaign=campaign).order_by("submitted_at", "pk")
    for chunk_start in range(0, responses.count(), 2000):
        chunk = list(responses[chunk_start : chunk_start + 2000])
        cells: dict[int, list[list[str]]] = {r.pk: [[] for _q in questions] for r in chunk}
        for answer in Answer.objects.filter(response_id__in=cells).order_by("pk"):
            q = questions[column[answer.question_id]]
            if answer.rating is not None:
                value = str(answer.rating)
            elif q.kind == QuestionKind.YES_NO:
                value = yes_no[answer.choice or 0]
            elif answer.choice is not None:
                value = q.options[answer.choice] if answer.choice < len(q.options) else ""
            else:
                value = answer.text
            cells[answer.response_id][column[answer.question_id]].append(value)
        for r in chunk:
            sheet.append(
                [
                    r.pk,
                    r.submitted_on.strftime("%d/%m/%Y"),
                    sources.get(r.source, r.source),
                    fields.get(r.procedure_field, ""),
                    "Có" if r.excluded else "",
                    r.exclusion_reason if r.excluded else "",
                ]
                + [_clean("; ".join(values)) for values in cells[r.pk]]
                + [_clean(r.contact)]
            )
    return workbook_bytes(workbook)


def paper_template(campaign: Campaign) -> bytes:
    questions = services.questions_of(campaign)
    workbook = Workbook()
    sheet = workbook.active
    sheet.title = "Phiếu giấy"
    headers = [DATE_HEADER, FIELD_HEADER] + [
        _header(i, q) for i, q in enumerate(questions, start=1)
    ]
    sheet.append(headers)
    bold = Font(bold=True)
    fill = PatternFill("solid", fgColor="FDE7E5")
    for index in range(1, len(headers) + 1):
        cell = sheet.cell(row=1, column=index)
        cell.font, cell.fill = bold, fill
        cell.alignment = Alignment(wrap_text=True, vertical="top")
        sheet.column_dimensions[get_column_letter(index)].width = 18 if index > 2 else 16
    sheet.row_dimensions[1].height = 90
    sheet.freeze_panes = "A2"
    guide = workbook.create_sheet("Hướng dẫn")
    guide.append(["Câu hỏi", "Cách ghi"])
    guide.append([FIELD_HEADER, "; ".join(_vi_fields().values())])
    for i, q in enumerate(questions, start=1):
        if q.kind == QuestionKind.RATING:
            how = "Một số từ 1 (rất không hài lòng) đến 5 (rất hài lòng)"
        elif q.kind == QuestionKind.YES_NO:
            how = "Có / Không"
        elif q.kind == QuestionKind.SINGLE:
            how = "Một lựa chọn: " + "; ".join(f"{n}. {o}" for n, o in enumerate(q.options, 1))
        elif q.kind == QuestionKind.MULTIPLE:
            how = "Một hoặc nhiều lựa chọn, cách nhau bởi dấu ;: " + "; ".join(
                f"{n}. {o}" for n, o in enumerate(q.options, 1)
            )
        else:
            how = "Ghi nguyên văn ý kiến"
        guide.append([_header(i, q), how + ("" if q.required else " (không bắt buộc)")])
    guide.column_dimensions["A"].width = 60
    guide.column_dimensions["B"].width = 80
    return workbook_bytes(workbook)


def _cell(value: object) -> str:
    if isinstance(value, datetime):
        return value.strftime("%d/%m/%Y")
    if isinstance(value, date):
        return value.strftime("%d/%m/%Y")
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    return "" if value is None else squash_spaces(str(value))


def _parse_date(text: str) -> date | None:
    for fmt in ("%d/%m/%Y", "%d-%m-%Y", "%Y-%m-%d", "%d/%m/%y"):
        try:
            return datetime.strptime(text, fmt).date()
        except ValueError:
            continue
    return None


def _choice_values(q: Question, text: str) -> list[str]:
    """The option numbers (0-based, as the form sends them) a cell names, or raises ValueError."""
    if q.kind == QuestionKind.YES_NO:
        key = fold(text).strip()
        if key in YES:
            return ["1"]
        if key in NO:
            return ["0"]
        raise ValueError(text)
    parts = [p.strip() for p in text.split(";")] if q.kind == QuestionKind.MULTIPLE else [text]
    folded = {fold(o).strip(): i for i, o in enumerate(q.options)}
    values = []
    for part in parts:
        if not part:
            continue
        if part.isdigit() and 1 <= int(part) <= len(q.options):
            values.append(str(int(part) - 1))
        elif fold(part).strip() in folded:
            values.append(str(folded[fold(part).strip()]))
        else:
            raise ValueError(part)
    return values


def import_paper(campaign: Campaign, name: str, stream: IO[bytes]) -> ImportReport:
    """Read typed-in paper forms; saves them only if no row has an error."""
    questions = services.questions_of(campaign)
    rows = read_rows(name, stream, cell=_cell, limit=MAX_PAPER_ROWS + 2)
    report = ImportReport()
    rows = [r for r in rows if any(c.strip() for c in r)]
    if not rows:
        report.rows.append(RowOutcome(1, "", errors=[_("The file is empty.")]))
        return report
    header = [fold(h).strip() for h in rows[0]]
    by_number = {}
    for index, text in enumerate(header):
        if text.startswith("c") and text[1:].split(".")[0].isdigit():
            by_number[int(text[1:].split(".")[0])] = index
    date_col = next((i for i, h in enumerate(header) if h.startswith("ngay")), None)
    field_col = next((i for i, h in enumerate(header) if h.startswith("linh vuc")), None)
    missing = [i for i in range(1, len(questions) + 1) if i not in by_number]
    if date_col is None or missing:
        report.rows.append(
            RowOutcome(
                1,
                "",
                errors=[
                    _(
                        "This is not the campaign's template: download it again and type "
                        "the forms in it."
                    )
                ],
            )
        )
        return report
    if len(rows) - 1 > MAX_PAPER_ROWS:
        report.rows.append(
            RowOutcome(1, "", errors=[_("At most %(n)d forms per file.") % {"n": MAX_PAPER_ROWS}])
        )
        return report
    field_by_name = {fold(label).strip(): value for value, label in _vi_fields().items()}
    field_by_name.update(
        {fold(str(label)).strip(): value for value, label in ProcedureField.choices}
    )
    field_by_name.update({value: value for value in ProcedureField.values})
    parsed = []
    for number, row in enumerate(rows[1:], start=2):
        row = row + [""] * (len(header) - len(row))
        outcome = RowOutcome(number, row[date_col])
        on = _parse_date(row[date_col].strip())
        if on is None:
            outcome.errors.append(_("Date: write it as dd/mm/yyyy."))
        elif on > clock.today():
            outcome.errors.append(_("Date: the form cannot be dated in the future."))
        procedure_field = ""
        if field_col is not None and row[field_col].strip() and not campaign.procedure_field:
            procedure_field = field_by_name.get(fold(row[field_col]).strip(), "")
            if not procedure_field:
                outcome.errors.append(_("Field: not one of the listed procedure fields."))
        values: dict[str, list[str]] = {}
        for i, q in enumerate(questions, start=1):
            text = row[by_number[i]].strip()
            if not text:
                continue
            if q.kind in (QuestionKind.RATING, QuestionKind.TEXT):
                values[q.field_name] = [text]
                continue
            try:
                values[q.field_name] = _choice_values(q, text)
            except ValueError:
                outcome.errors.append(
                    _("C%(n)d: “%(value)s” is not one of the options.") % {"n": i, "value": text}
                )
        _answers, errors = services.parse_answers(
            questions, services.Submission(values=values, procedure_field=procedure_field)
        )
        numbers = {q.field_name: i for i, q in enumerate(questions, start=1)}
        for key, message in errors.items():
            if not any(e.startswith(f"C{numbers.get(key)}:") for e in outcome.errors):
                outcome.errors.append(f"C{numbers.get(key, '?')}: {message}")
        report.rows.append(outcome)
        parsed.append((on, procedure_field, values))
    if report.error_rows:
        return report
    with transaction.atomic():
        for (on, procedure_field, values), outcome in zip(parsed, report.rows, strict=True):
            try:
                services.submit_response(
                    campaign,
                    services.Submission(values=values, procedure_field=procedure_field),
                    source=ResponseSource.PAPER,
                    on=on,
                    at=timezone.now(),
                    questions=questions,
                    sync=False,
                )
            except ValidationError as exc:  # checked above; kept as a guard
                outcome.errors += exc.messages
                transaction.set_rollback(True)
                return report
            outcome.action = "created"
        services.sync_target(campaign)
    report.saved = True
    return report
