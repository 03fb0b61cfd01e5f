"""The demo's reports say nothing their data contradicts: "on time" only when every part was,
each late part named, every task said once, no department's short code printed."""

from __future__ import annotations

import re

import pytest
from django.core.management import call_command

from org.models import Department
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
        sections = {s.key: s.text for s in report.sections.all()}
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
