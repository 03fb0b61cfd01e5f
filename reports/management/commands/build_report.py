"""Build a unit's periodic CCHC report as .docx from the command line (batches, checks)."""

from __future__ import annotations

from pathlib import Path

from django.core.exceptions import ValidationError
from django.core.management.base import BaseCommand, CommandError
from django.utils import translation

from org.models import Unit
from reports.documents import annex_xlsx, report_docx
from reports.models import PeriodKind, Report
from reports.services import assemble_report, find_period

KINDS = {"year": PeriodKind.YEAR, "six-month": PeriodKind.SIX_MONTH, "quarter": PeriodKind.QUARTER}


class Command(BaseCommand):
    help = "Build the CCHC report of a unit for a period as a .docx (and its annexes as .xlsx)."

    def add_arguments(self, parser):
        parser.add_argument("--unit", required=True, help="unit code, e.g. 31-THANHDONG")
        parser.add_argument("--period", required=True, type=int, help="year, e.g. 2026")
        parser.add_argument("--kind", choices=sorted(KINDS), default="year")
        parser.add_argument("--number", type=int, default=None, help="quarter 1-4 or half 1-2")
        parser.add_argument("--out", required=True, type=Path, help="the .docx file to write")
        parser.add_argument("--annex", type=Path, help="also write the annexes to this .xlsx")
        parser.add_argument(
            "--reassemble",
            action="store_true",
            help="rewrite a draft report's sections from the current data first",
        )

    def handle(self, *args, unit, period, kind, number, out, annex, reassemble, **options):
        translation.activate("vi")
        found = Unit.objects.filter(code=unit).first()
        if found is None:
            raise CommandError(f"Không có đơn vị mã {unit}.")
        try:
            reporting_period = find_period(found, period, KINDS[kind], number)
            report = Report.objects.filter(period=reporting_period).first()
            if report is None or (reassemble and report.status == "draft"):
                report = assemble_report(reporting_period)
            built = report_docx(report)
        except ValidationError as exc:
            raise CommandError(" ".join(exc.messages)) from exc
        out.parent.mkdir(parents=True, exist_ok=True)
        out.write_bytes(built.content)
        if annex:
            annex.parent.mkdir(parents=True, exist_ok=True)
            annex.write_bytes(annex_xlsx(reporting_period))
        state = "DỰ THẢO" if built.is_draft else "đã phê duyệt"
        self.stdout.write(f"{out}: báo cáo {reporting_period.label} ({state})")
        for line in built.missing:
            self.stdout.write(f"  còn thiếu: {line}")
