"""Pages of reports: who may do what, and what comes back."""

from __future__ import annotations

import io
import re

from django.urls import reverse
from docx import Document

from org.models import Role
from org.tests.conftest import login
from plans.models import PlanStatus
from reports import services
from reports.models import Contribution, ContributionStatus, Report, ReportStatus


def test_home_lists_the_periods_of_the_unit(client, world, plan):
    plan.status = PlanStatus.IN_PROGRESS
    plan.save()
    html = login(client, world, Role.FOCAL).get(reverse("report_home")).content.decode()
    assert "Quý I/2026" in html and "Năm 2026" in html and "10/12/2026" in html


def test_only_the_focal_officer_asks_for_parts_and_edits_due_dates(client, world, period):
    url = reverse("report_period", args=[period.pk])
    assert login(client, world, Role.OFFICER).post(url, {"open": "1"}).status_code == 403
    assert not Contribution.objects.exists()
    response = login(client, world, Role.FOCAL).post(url, {"open": "1"})
    assert response.status_code == 302
    assert Contribution.objects.filter(period=period).count() == 2
    response = client.post(url, {"department_due": "2026-03-12", "unit_due": "2026-03-10"})
    assert response.status_code == 302
    period.refresh_from_db()
    assert str(period.department_due) == "2026-03-05"  # refused: after the report's due date
    page = client.get(url).content.decode()
    assert "Hạn các phòng gửi báo cáo phải trước" in page


def test_another_commune_sees_nothing(client, world, period):
    services.open_contributions(period)
    contribution = period.contributions.first()
    client = login(client, world, "other_focal")
    assert client.get(reverse("report_period", args=[period.pk])).status_code == 404
    assert client.get(reverse("report_contribution", args=[contribution.pk])).status_code == 404
    assert client.get(reverse("report_docx", args=[period.pk])).status_code == 404


def test_a_department_head_writes_only_its_own_part(client, world, period):
    services.open_contributions(period)
    own = period.contributions.get(department=world.vhxh)
    other = period.contributions.get(department=world.office)
    client = login(client, world, Role.DEPARTMENT_HEAD)
    section = own.sections.first()
    response = client.post(
        reverse("report_contribution", args=[own.pk]),
        {"action": "submit", f"results-{section.pk}": "Hoàn thành kế hoạch tuyên truyền."},
    )
    assert response.status_code == 302
    own.refresh_from_db()
    assert own.status == ContributionStatus.SUBMITTED
    assert own.sections.get(pk=section.pk).results == "Hoàn thành kế hoạch tuyên truyền."
    section = other.sections.first()
    response = client.post(
        reverse("report_contribution", args=[other.pk]),
        {"action": "save", f"results-{section.pk}": "x"},
    )
    assert response.status_code == 403
    # and the head cannot accept its own part
    response = client.post(reverse("report_contribution", args=[own.pk]), {"action": "accept"})
    assert response.status_code == 403


def test_a_returned_part_without_reason_keeps_the_page_and_says_why(client, world, period):
    services.open_contributions(period)
    own = period.contributions.get(department=world.vhxh)
    services.submit_contribution(own, world.people[Role.DEPARTMENT_HEAD])
    response = login(client, world, Role.FOCAL).post(
        reverse("report_contribution", args=[own.pk]), {"action": "return", "reason": ""}
    )
    assert response.status_code == 400
    assert "Vui lòng nêu nội dung cần chỉnh sửa." in response.content.decode()
    own.refresh_from_db()
    assert own.status == ContributionStatus.SUBMITTED


def test_assemble_edit_approve_and_download(client, world, period):
    services.open_contributions(period)
    for contribution in period.contributions.all():
        services.submit_contribution(
            contribution, world.people[Role.FOCAL], confirm_empty_areas=True
        )
        services.review_contribution(contribution, world.people[Role.FOCAL], accept=True)
    url = reverse("report_edit", args=[period.pk])
    assert login(client, world, Role.OFFICER).post(url, {"action": "assemble"}).status_code == 403
    client = login(client, world, Role.FOCAL)
    client.post(url, {"action": "assemble"})
    report = Report.objects.get(period=period)
    first = report.sections.first()
    client.post(
        url,
        {
            "action": "save",
            "number": "15",
            "issued_on": "2026-03-09",
            "signer_name": "Nguyễn Tuấn Ngọc",
            f"heading-{first.pk}": first.heading,
            f"text-{first.pk}": "Nội dung do đầu mối viết lại.",
        },
    )
    # the focal officer cannot approve; the leader can
    assert client.post(url, {"action": "approve"}).status_code == 403
    login(client, world, Role.LEADER).post(url, {"action": "approve"})
    report.refresh_from_db()
    assert report.status == ReportStatus.APPROVED
    response = client.get(reverse("report_docx", args=[period.pk]))
    assert response["Content-Type"].startswith("application/vnd.openxmlformats")
    document = Document(io.BytesIO(response.content))
    text = "\n".join(p.text for p in document.paragraphs)
    assert "Nội dung do đầu mối viết lại." in text and "DỰ THẢO" not in text
    assert document.tables[0].cell(1, 0).text == "Số: 15/BC-UBND"
    annex = client.get(reverse("report_annex", args=[period.pk]))
    assert annex.status_code == 200 and annex.content[:2] == b"PK"


def test_the_province_sees_the_communes_reports(client, world, period, in_force):
    services.assemble_report(period)
    client = login(client, world, Role.APPRAISER)
    session = client.session
    session["current_unit_id"] = world.haiphong.pk
    session.save()
    html = client.get(reverse("report_home")).content.decode()
    assert "Phường Thành Đông" in html and "Quý I/2026" in html
    assert client.get(reverse("report_docx", args=[period.pk])).status_code == 200
    # reading is not editing
    assert (
        client.post(reverse("report_edit", args=[period.pk]), {"action": "save"}).status_code == 403
    )


def test_plan_document_download(client, world, plan):
    response = login(client, world, Role.OFFICER).get(
        reverse("report_plan_document", args=[plan.pk])
    )
    assert response.status_code == 200
    assert 'filename="ke-hoach-' in response["Content-Disposition"]


def test_an_approved_report_downloads_the_same_bytes_after_the_data_changes(
    client, world, period, monkeypatch
):
    from datetime import date

    from core import clock
    from plans import services as plan_services

    monkeypatch.setattr(clock, "today", lambda: date(2026, 4, 3))
    focal = world.people[Role.FOCAL]
    for contribution in services.open_contributions(period):
        services.submit_contribution(contribution, focal, confirm_empty_areas=True)
        services.review_contribution(contribution, focal, accept=True)
    services.assemble_report(period, focal)
    url = reverse("report_edit", args=[period.pk])
    login(client, world, Role.LEADER).post(url, {"action": "approve"})
    docx_url = reverse("report_docx", args=[period.pk])
    annex_url = reverse("report_annex", args=[period.pk])
    first, annex = client.get(docx_url).content, client.get(annex_url).content
    page = client.get(url).content.decode()
    assert 'id="figures-on" data-day="2026-03-31"' in page
    sections = re.findall(r'<section class="card report-section.*?</section>', page, re.S)
    assert sections

    # In December a task of the quarter is finished and its content reworded.
    monkeypatch.setattr(clock, "today", lambda: date(2026, 12, 3))
    task = period.plan.tasks.order_by("pk").first()
    plan_services.add_progress(
        task, focal, plan_services.ProgressData(note="Đã hoàn thành", percent=100)
    )
    task.content = "Nội dung đã sửa sau khi báo cáo được phê duyệt"
    task.save()
    assert client.get(docx_url).content == first
    assert client.get(annex_url).content == annex
    again = client.get(url).content.decode()
    assert re.findall(r'<section class="card report-section.*?</section>', again, re.S) == sections
