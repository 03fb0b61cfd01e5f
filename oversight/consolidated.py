"""The province's consolidated report of a period: every commune's figures summed and rated,
the PAR-index ranking, the communes late or missing by kind, the common findings and the
proposals, written through the one document builder (`reports/builder.py`, wording template
`oversight/document_templates/province_report.txt`) as the Department of Home Affairs' report
to the province's People's Committee. Its .xlsx is the board's export of every commune.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from decimal import Decimal

from core.numbers import format_number
from inspections.oversight import common_findings
from org.models import Unit
from oversight.services import Board, BoardQuery, CommuneRow, build_board
from oversight.table import board_xlsx
from province_requests.oversight import request_summaries
from reports.builder import Signer, build_document
from reports.oversight import ReportState

TEMPLATE_KEY = "province_report"
DOCUMENT_KIND = "BC-SNV"


def consolidated_board(province: Unit, year: int, period: str, *, on: date) -> Board:
    """Every commune of the province, unfiltered, in name order, on one page."""
    return build_board(province, BoardQuery(year, period), on=on, page_size=None)


def _n(value: int | Decimal | None) -> str:
    return format_number(value)


def _rate(count: int, total: int) -> str:
    """ "92,5%" of `total`, one decimal; "" without a total."""
    if not total:
        return ""
    return format_number(Decimal(100 * count) / Decimal(total), 1) + "%"


def _day(value: date | None) -> str:
    return value.strftime("%d/%m/%Y") if value else ""


def _cell(text: str) -> str:
    """Text fit for one cell of the template's tables and one line of its paragraphs."""
    return " ".join(text.replace("|", "/").split())


@dataclass(frozen=True)
class Named:
    name: str
    note: str = ""

    def __str__(self) -> str:
        return f"{self.name} ({self.note})" if self.note else self.name


def _names(items: list[Named]) -> str:
    return ", ".join(str(i) for i in items)


def _ranking(rows: list[CommuneRow]) -> list[dict]:
    ranked = [r for r in rows if r.assessment.index is not None]
    ranked.sort(
        key=lambda r: (
            r.assessment.rank if r.assessment.rank is not None else len(rows) + 1,
            -r.assessment.index,
            r.search,
        )
    )
    return [
        {
            "rank": r.assessment.rank or position,
            "name": _cell(r.name),
            "index": format_number(r.assessment.index, 2),
        }
        for position, r in enumerate(ranked, start=1)
    ]


def report_context(board: Board, *, on: date) -> dict:
    """What the wording template is given: every figure already written the Vietnamese way."""
    rows = sorted(board.rows, key=lambda r: (r.search, r.unit_id))
    t = board.totals
    states = t.reports
    expected = t.communes - states[ReportState.NOT_DUE]
    sent = states[ReportState.ON_TIME] + states[ReportState.LATE]
    not_submitted = t.communes - t.submitted

    missing = [Named(_cell(r.name)) for r in rows if r.report.state == ReportState.MISSING]
    late = [
        Named(_cell(r.name), f"gửi ngày {_day(r.report.sent_on)}" if r.report.sent_on else "")
        for r in rows
        if r.report.state == ReportState.LATE
    ]
    assessment_overdue = [Named(_cell(r.name)) for r in rows if r.assessment.overdue]
    assessment_late = [
        Named(
            _cell(r.name),
            f"nộp ngày {_day(r.assessment.submitted_on)}" if r.assessment.submitted_on else "",
        )
        for r in rows
        if r.assessment.submitted_late
    ]
    findings_overdue = [
        Named(_cell(r.name), f"{_n(r.findings.overdue)} tồn tại")
        for r in rows
        if r.findings.overdue
    ]
    urged = [
        _cell(r.name)
        for r in rows
        if r.report.state in (ReportState.MISSING, ReportState.LATE)
        or r.assessment.overdue
        or r.assessment.submitted_late
        or r.findings.overdue
    ]
    province = board.province
    asked = request_summaries(
        province.pk, date(board.query.year, 1, 1), board.period.end(board.query.year), on=on
    )
    answers_late = sorted(
        {Named(_cell(late.name)) for summary in asked for late in summary.late},
        key=lambda named: named.name,
    )
    answers_missing = sorted(
        {Named(_cell(name)) for summary in asked for name in summary.missing},
        key=lambda named: named.name,
    )
    urged += [n.name for n in answers_missing if n.name not in urged]
    return {
        "year": board.query.year,
        "period": board.query.period,
        # mid-sentence: "Ủy ban nhân dân thành phố Hải Phòng"
        "province_name": province.full_name[:1].lower() + province.full_name[1:],
        "on": _day(on),
        "communes": _n(t.communes),
        "plans": _n(t.plans),
        "plans_rate": _rate(t.plans, t.communes),
        "no_plan": _n(t.communes - t.plans) if t.communes > t.plans else "",
        "tasks": _n(t.tasks) if t.tasks else "",
        "done": _n(t.done) if t.done else "",
        "done_rate": _rate(t.done, t.tasks),
        "done_late": _n(t.done_late) if t.done_late else "",
        "overdue": _n(t.overdue) if t.overdue else "",
        "report_due": _day(board.period.due(board.query.year)),
        "reports_expected": _n(expected) if expected else "",
        "reports_sent": _n(sent),
        "reports_sent_rate": _rate(sent, expected),
        "reports_on_time": _n(states[ReportState.ON_TIME]) if states[ReportState.ON_TIME] else "",
        "reports_on_time_rate": _rate(states[ReportState.ON_TIME], expected),
        "reports_late": _n(states[ReportState.LATE]) if states[ReportState.LATE] else "",
        "reports_late_rate": _rate(states[ReportState.LATE], expected),
        "reports_missing": _n(states[ReportState.MISSING]) if states[ReportState.MISSING] else "",
        "reports_missing_rate": _rate(states[ReportState.MISSING], expected),
        "reports_not_due": _n(states[ReportState.NOT_DUE]) if states[ReportState.NOT_DUE] else "",
        "assessments_submitted": _n(t.submitted) if t.submitted else "",
        "assessments_submitted_rate": _rate(t.submitted, t.communes),
        "assessments_late": _n(t.submitted_late) if t.submitted_late else "",
        "assessments_not_submitted": _n(not_submitted) if not_submitted else "",
        "assessments_overdue": _n(t.assessments_overdue) if t.assessments_overdue else "",
        "findings_open": _n(t.findings_open) if t.findings_open else "",
        "findings_overdue": _n(t.findings_overdue) if t.findings_overdue else "",
        "satisfaction": (
            format_number(t.satisfaction, 1) + "%" if t.satisfaction is not None else ""
        ),
        "responses": _n(t.responses) if t.responses else "",
        "ranking": _ranking(rows),
        "missing": _names(missing),
        "missing_count": _n(len(missing)),
        "late": _names(late),
        "late_count": _n(len(late)),
        "assessment_overdue": _names(assessment_overdue),
        "assessment_overdue_count": _n(len(assessment_overdue)),
        "assessment_late": _names(assessment_late),
        "assessment_late_count": _n(len(assessment_late)),
        "findings_overdue_names": _names(findings_overdue),
        "findings_overdue_count": _n(len(findings_overdue)),
        "common_findings": [
            {"label": _cell(f.label), "findings": _n(f.findings), "communes": _n(f.communes)}
            for f in common_findings([r.unit_id for r in rows], board.query.year)
        ],
        "urged": ", ".join(urged),
        "requests": [_request_lines(summary) for summary in asked],
        "answers_late": _names(answers_late),
        "answers_late_count": _n(len(answers_late)),
        "answers_missing": _names(answers_missing),
        "answers_missing_count": _n(len(answers_missing)),
    }


def _request_lines(summary) -> dict:
    letter = ""
    if summary.letter_number:
        letter = f"Văn bản số {summary.letter_number}"
        if summary.letter_date:
            letter += f" ngày {_day(summary.letter_date)}"
    return {
        "letter": letter,
        # after "về", as a V/v line writes it: "về cung cấp số liệu …"
        "subject": _cell(summary.title[:1].lower() + summary.title[1:]),
        "due": _day(summary.due),
        "asked": _n(summary.asked),
        "answered": _n(summary.on_time + len(summary.late)),
        "on_time": _n(summary.on_time) if summary.on_time else "",
        "late": ", ".join(
            f"{_cell(late.name)} (ngày {_day(late.answered_on)})" for late in summary.late
        ),
        "late_count": _n(len(summary.late)),
        "missing": ", ".join(_cell(name) for name in summary.missing),
        "missing_count": _n(len(summary.missing)),
    }


def letterhead(province: Unit) -> tuple[str, str]:
    return f"UBND {province.full_name.upper()}", "SỞ NỘI VỤ"


def consolidated_docx(province: Unit, year: int, period: str, *, on: date) -> bytes:
    """The consolidated report of `province` for the period, as of `on`."""
    board = consolidated_board(province, year, period, on=on)
    return build_document(
        TEMPLATE_KEY,
        report_context(board, on=on),
        unit=province,
        issued_on=on,
        signer=Signer(capacity="", title="GIÁM ĐỐC"),
        letterhead=letterhead(province),
    )


def consolidated_xlsx(province: Unit, year: int, period: str, *, on: date) -> bytes:
    """One row per commune of the province (the board's export, unfiltered) and the totals."""
    return board_xlsx(consolidated_board(province, year, period, on=on))
