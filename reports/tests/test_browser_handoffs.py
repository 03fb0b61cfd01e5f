"""End to end, the hand-offs of a report cycle: each person finds the work handed to them in the
bell and on "Việc của tôi"; a part sent late shows late on the page and in the Word document; a
part accepted after the report was assembled keeps the report from approval until it is
assembled again; the leadership marks the report sent."""

from __future__ import annotations

from datetime import date

import pytest
from docx import Document
from playwright.sync_api import expect

from core import clock
from reports.models import Contribution, ContributionStatus, ReportingPeriod, ReportStatus

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

# Three days after the departments' due date of the year report (05/12/2026).
LATE_DAY = date(2026, 12, 8)


def _my_work(page, base: str):
    page.goto(f"{base}/reminders/work/")
    return page.locator("main")


def test_the_report_cycle_hands_work_from_person_to_person(
    page, demo_site, login, screenshot, monkeypatch
):
    monkeypatch.setattr(clock, "today", lambda: LATE_DAY)
    period = ReportingPeriod.objects.get(unit__code="31-THANHDONG", kind="year", year=2026)

    login(page, demo_site, "thanhdong.daumoi")
    page.goto(f"{demo_site}/reports/periods/{period.pk}/")
    page.click("text=Yêu cầu các phòng gửi báo cáo")
    expect(page.locator(".message")).to_contain_text("Đã yêu cầu")

    # The head of VH-XH hears of it in the bell and finds it on "my work".
    login(page, demo_site, "thanhdong.vhxh")
    expect(page.locator(".bell-count")).to_be_visible()
    work = _my_work(page, demo_site)
    expect(work).to_contain_text("Gửi phần báo cáo Năm 2026 của Phòng Văn hóa - Xã hội")
    screenshot(page, "my-work-head")
    work.get_by_role("link", name="Gửi phần báo cáo Năm 2026 của Phòng Văn hóa - Xã hội").click()
    page.locator("textarea[name^=results-]").first.fill("Đã tổ chức 02 lớp tập huấn CCHC.")
    page.click("button[value=submit]")
    page.check("input[name=confirm_empty_areas]")
    page.click("button[value=submit]")
    expect(page.locator(".message")).to_contain_text("Đã gửi phần báo cáo")
    expect(page.locator(".page-head")).to_contain_text("Gửi trễ hạn")
    # Her part has left her open work (the list below it is of what was done).
    expect(
        _my_work(page, demo_site).locator(
            "li:not(.muted)", has_text="Gửi phần báo cáo Năm 2026 của Phòng Văn hóa - Xã hội"
        )
    ).to_have_count(0)

    # The focal officer is handed the review; the other parts come in on time by other ways.
    own = Contribution.objects.get(period=period, department__short_name="VHXH")
    others = list(period.contributions.exclude(pk=own.pk))
    Contribution.objects.filter(pk__in=[c.pk for c in others]).update(
        status=ContributionStatus.SUBMITTED
    )
    login(page, demo_site, "thanhdong.daumoi")
    expect(_my_work(page, demo_site)).to_contain_text(
        "Xem xét phần báo cáo Năm 2026 của Phòng Văn hóa - Xã hội"
    )
    page.goto(f"{demo_site}/reports/periods/{period.pk}/")
    expect(page.locator("tr", has_text="Phòng Văn hóa - Xã hội")).to_contain_text("gửi trễ hạn")
    for part in [own, *others[1:]]:
        page.goto(f"{demo_site}/reports/contributions/{part.pk}/")
        page.click("button[value=accept]")
        expect(page.locator(".message")).to_contain_text("Đã chấp nhận")
    page.goto(f"{demo_site}/reports/periods/{period.pk}/report/")
    page.click("button[value=assemble]")
    expect(page.locator(".message")).to_contain_text("Đã tổng hợp báo cáo")

    # The last part is accepted after assembly: the report is out of date.
    page.goto(f"{demo_site}/reports/contributions/{others[0].pk}/")
    page.click("button[value=accept]")
    page.goto(f"{demo_site}/reports/periods/{period.pk}/report/")
    expect(page.locator("main")).to_contain_text("Báo cáo chưa cập nhật")
    screenshot(page, "report-out-of-date")

    login(page, demo_site, "thanhdong.chutich")
    expect(_my_work(page, demo_site)).not_to_contain_text("Phê duyệt báo cáo CCHC Năm 2026")
    page.goto(f"{demo_site}/reports/periods/{period.pk}/report/")
    expect(page.locator("button[value=approve]")).to_have_count(0)

    # Assembled again, the report reaches the leadership, who approves and marks it sent.
    login(page, demo_site, "thanhdong.daumoi")
    page.goto(f"{demo_site}/reports/periods/{period.pk}/report/")
    page.once("dialog", lambda dialog: dialog.accept())  # "assembling again replaces the text"
    page.click("button[value=assemble]")
    expect(page.locator(".message")).to_contain_text("Đã tổng hợp báo cáo")
    login(page, demo_site, "thanhdong.chutich")
    expect(page.locator(".bell-count")).to_be_visible()
    work = _my_work(page, demo_site)
    expect(work).to_contain_text("Phê duyệt báo cáo CCHC Năm 2026")
    work.get_by_role("link", name="Phê duyệt báo cáo CCHC Năm 2026").click()
    page.click("button[value=approve]")
    expect(page.locator(".message")).to_contain_text("Đã phê duyệt báo cáo")
    with page.expect_download() as download:
        page.click("a:has-text('Văn bản Word')")
    text = "\n".join(p.text for p in Document(str(download.value.path())).paragraphs)
    assert "Phòng Văn hóa - Xã hội gửi báo cáo chậm (ngày 08/12/2026; hạn 05/12/2026)." in text
    assert "đúng thời gian quy định" not in text
    page.click("button[value=sent]")
    expect(page.locator(".message")).to_contain_text("Đã đánh dấu báo cáo đã gửi")
    sent = ReportingPeriod.objects.get(pk=period.pk).report
    # Sent on 08/12, before the unit's due date (10/12): the report itself is on time.
    assert sent.status == ReportStatus.SENT and not sent.sent_late
    expect(page.locator("main")).not_to_contain_text("Gửi trễ hạn")
    # Nothing of this report is left in his open work (his team's finding to verify stays).
    open_report_work = f"li:not(.muted) a[href^='/reports/periods/{period.pk}/']"
    expect(_my_work(page, demo_site).locator(open_report_work)).to_have_count(0)
    screenshot(page, "my-work-leader-done")
