"""Periodic reports in the API: the reporting periods, the departments' parts and the report's
status, and the report (.docx) and its annexes (.xlsx) as the pages offer them. Read-only."""

from datetime import date, datetime

from django.http import Http404
from ninja import Field, Router, Schema
from ninja.pagination import paginate

from core.api import Id, UnitRowOut, Year
from core.views import DOCX, XLSX, download
from org.shortcuts import visible_or_404, visible_rows
from reports import documents
from reports.models import Contribution, Report, ReportingPeriod

router = Router(tags=["reports"])


class ReportPartOut(Schema):
    department: str = Field(..., alias="department.name")
    status: str
    sent_on: date | None
    due_when_sent: date | None


class ReportStateOut(Schema):
    status: str
    number: str
    issued_on: date | None
    figures_on: date | None
    approved_at: datetime | None
    sent_at: datetime | None
    sent_late: bool


class ReportingPeriodOut(UnitRowOut):
    plan_id: int
    kind: str
    year: int
    number: int
    start: date
    end: date
    department_due: date
    unit_due: date


class ReportingPeriodDetailOut(ReportingPeriodOut):
    parts: list[ReportPartOut] = Field(..., alias="api_parts")
    report: ReportStateOut | None = Field(..., alias="api_report")


def _file(content_type: str) -> dict:
    return {
        "responses": {
            200: {
                "description": "The file",
                "content": {content_type: {"schema": {"type": "string", "format": "binary"}}},
            }
        }
    }


def _period(request, period_id: int) -> ReportingPeriod:
    return visible_or_404(request, ReportingPeriod.objects.select_related("unit"), period_id)


@router.get("/reports/periods", response=list[ReportingPeriodOut], summary="Reporting periods")
@paginate
def list_reporting_periods(request, year: Year = None, unit: str = ""):
    periods = ReportingPeriod.objects.select_related("unit")
    return visible_rows(request, periods, "-end", "unit__name", "pk", year=year, unit__code=unit)


@router.get("/reports/periods/{period_id}", response=ReportingPeriodDetailOut)
def get_reporting_period(request, period_id: Id):
    period = _period(request, period_id)
    parts = (
        Contribution.objects.filter(period=period)
        .select_related("department")
        .order_by("department__order", "department__name")
    )
    period.api_parts = list(parts)
    period.api_report = Report.objects.filter(period=period).first()
    return period


@router.get(
    "/reports/periods/{period_id}/report.docx",
    response={200: None},
    openapi_extra=_file(DOCX),
    summary="The report as Word (404 until it is assembled)",
)
def reporting_period_docx(request, period_id: Id):
    period = _period(request, period_id)
    report = Report.objects.filter(period=period).first()
    if report is None:
        raise Http404
    built = documents.report_docx(report)
    suffix = "-du-thao" if built.is_draft else ""
    return download(built.content, DOCX, f"bao-cao-cchc-{period.pk}{suffix}.docx")


@router.get(
    "/reports/periods/{period_id}/annex.xlsx",
    response={200: None},
    openapi_extra=_file(XLSX),
    summary="The report's annexes as Excel",
)
def reporting_period_annex(request, period_id: Id):
    period = _period(request, period_id)
    return download(documents.annex_xlsx(period), XLSX, f"phu-luc-bao-cao-{period.pk}.xlsx")
