"""End to end: a department writes its part, the focal officer accepts it and assembles the
report, the leadership approves it, and the Word document comes out."""

from __future__ import annotations

import pytest
from docx import Document
from playwright.sync_api import expect

from reports.models import Contribution, ContributionStatus, ReportingPeriod, ReportStatus

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_a_period_report_from_parts_to_word(page, demo_site, login, screenshot):
    login(page, demo_site, "thanhdong.daumoi")
    page.click("#mainnav details[data-menu-group=reporting] summary")
    page.click("#mainnav a[href='/reports/']")
    expect(page.locator("h1")).to_have_text("Báo cáo định kỳ")
    page.get_by_role("link", name="Năm 2026", exact=True).click()
    page.click("text=Yêu cầu các phòng gửi báo cáo")
    expect(page.locator(".message")).to_contain_text("Đã yêu cầu")
    period = ReportingPeriod.objects.get(unit__code="31-THANHDONG", kind="year", year=2026)
    assert period.contributions.count() == 5
    screenshot(page, "report-period")

    # the head of Phòng Văn hóa - Xã hội writes and sends its part
    login(page, demo_site, "thanhdong.vhxh")
    page.goto(f"{demo_site}/reports/")
    mine = page.locator("section.card").filter(has_text="Phần báo cáo phòng tôi phải gửi")
    mine.get_by_role("link", name="Năm 2026", exact=True).click()
    expect(page.locator("h1")).to_have_text("Phòng Văn hóa - Xã hội")
    figures = page.locator("textarea[name^=figures-]").first
    expect(figures).to_contain_text("nhiệm vụ")  # pre-filled from the data
    results = page.locator("textarea[name^=results-]").first
    results.fill("Đã tổ chức 02 lớp tập huấn nghiệp vụ CCHC cho công chức.")
    page.locator("textarea[name^=proposals-]").first.fill("Bổ sung kinh phí tập huấn.")
    screenshot(page, "report-contribution")
    page.click("button[value=submit]")
    # Areas left empty are pointed out; the head confirms there is nothing to say there.
    expect(page.locator(".message")).to_contain_text("Chưa viết nội dung")
    expect(page.locator("textarea[name^=results-]").first).to_have_value(
        "Đã tổ chức 02 lớp tập huấn nghiệp vụ CCHC cho công chức."
    )
    screenshot(page, "report-contribution-confirm")
    page.check("input[name=confirm_empty_areas]")
    page.click("button[value=submit]")
    expect(page.locator(".message")).to_contain_text("Đã gửi phần báo cáo")

    # the focal officer accepts every part and assembles the report
    contribution = Contribution.objects.get(period=period, department__short_name="VHXH")
    assert contribution.status == ContributionStatus.SUBMITTED
    login(page, demo_site, "thanhdong.daumoi")
    for other in period.contributions.exclude(pk=contribution.pk):
        other.status = ContributionStatus.SUBMITTED
        other.save()
    page.goto(f"{demo_site}/reports/contributions/{contribution.pk}/")
    page.click("button[value=accept]")
    expect(page.locator(".message")).to_contain_text("Đã chấp nhận")
    for other in period.contributions.exclude(pk=contribution.pk):
        page.goto(f"{demo_site}/reports/contributions/{other.pk}/")
        page.click("button[value=accept]")
    page.goto(f"{demo_site}/reports/periods/{period.pk}/report/")
    page.click("button[value=assemble]")
    expect(page.locator(".message")).to_contain_text("Đã tổng hợp báo cáo")
    area_text = page.locator("textarea[name^=text-]").nth(1)
    expect(area_text).to_contain_text("Đã tổ chức 02 lớp tập huấn nghiệp vụ CCHC")
    page.fill("input[name=number]", "125")
    page.click("button[value=save]")
    expect(page.locator(".message")).to_contain_text("Đã lưu")
    screenshot(page, "report-edit")

    # the leadership approves; the document is no longer a draft
    login(page, demo_site, "thanhdong.chutich")
    page.goto(f"{demo_site}/reports/periods/{period.pk}/report/")
    page.click("button[value=approve]")
    expect(page.locator(".message")).to_contain_text("Đã phê duyệt báo cáo")
    assert period.report.__class__.objects.get(period=period).status == ReportStatus.APPROVED
    with page.expect_download() as download:
        page.click("a:has-text('Văn bản Word')")
    document = Document(str(download.value.path()))
    text = "\n".join(p.text for p in document.paragraphs)
    assert "Kết quả thực hiện công tác cải cách hành chính năm 2026" in text
    assert "Đã tổ chức 02 lớp tập huấn nghiệp vụ CCHC cho công chức." in text
    assert "Bổ sung kinh phí tập huấn." in text
    assert "DỰ THẢO" not in text
    assert document.tables[0].cell(1, 0).text == "Số: 125/BC-UBND"
