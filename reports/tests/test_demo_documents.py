"""The demo's reports say nothing their data contradicts: "on time" only when every part was,
each late part named, every task said once, no department's short code printed."""

from __future__ import annotations

import io
import re
from collections import defaultdict

import pytest
from django.core.management import call_command
from docx import Document

from core.numbers import format_count
from org.models import Department
from reports import builder, documents
from reports.builder import document_day
from reports.models import SENT_LATE, Report


@pytest.fixture
def demo(db):
    call_command("load_demo", "--quiet")


def test_the_demo_reports_tell_the_truth(demo):
    reports = list(Report.objects.exclude(assembled_at=None).select_related("period"))
    assert reports
    codes = [d.short_name for d in Department.objects.exclude(short_name="")]
    seen_late = 0
    for report in reports:
        # A section with nothing to say is left out.
        sections = defaultdict(str, {s.key: s.text for s in report.sections.all()})
        late = list(report.period.contributions.filter(SENT_LATE).select_related("department"))
        on_time_claim = "đúng thời gian quy định" in sections["strengths"]
        assert on_time_claim == (not late), report.period
        for part in late:
            assert f"{part.department.name} gửi báo cáo chậm" in sections["weaknesses"]
        seen_late += len(late)
        lines = [line for line in sections["weaknesses"].splitlines() if line.strip()]
        assert len(lines) == len(set(lines)), report.period
        for text in sections.values():
            for code in codes:
                assert not re.search(rf"\({re.escape(code)}\)", text), (report.period, code)
    assert seen_late  # the demo holds a late part, so both sentences are exercised


def test_the_demo_first_quarter_report_shows_the_first_quarter(demo):
    """Downloaded today, Thành Đông's report of the first quarter carries the figures of its
    figures' day, says which day that is, and is dated the day it was approved."""
    report = Report.objects.select_related("period__plan").get(
        period__unit__code="31-THANHDONG", period__kind="quarter", period__number=1
    )
    on = report.figures_on
    assert on is not None and report.period.start < on <= report.period.end
    document = Document(io.BytesIO(documents.report_docx(report).content))
    texts = [p.text for p in document.paragraphs]
    assert f"(Số liệu tính đến ngày {document_day(on)})" in texts
    assert document.tables[0].cell(1, 1).text == builder.date_line("Thành Đông", report.issued_on)
    tasks = report.period.plan.tasks
    done_then = tasks.filter(completed_on__lte=on).count()
    done_now = tasks.exclude(completed_on=None).count()
    assert done_then < done_now  # the data has moved on since
    results = report.sections.get(key="results").text
    assert f"đã hoàn thành {format_count(done_then)} nhiệm vụ" in results
    assert f"đã hoàn thành {format_count(done_now)} nhiệm vụ" not in results
