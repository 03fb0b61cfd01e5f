"""Periods, contributions and the commune report, without HTTP."""

from __future__ import annotations

import io
from datetime import date
from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError
from docx import Document

from org.models import Role
from plans import services as plan_services
from plans.models import Plan
from reports import documents, services
from reports.models import ContributionStatus, PeriodKind, ReportStatus


def _periods(plan):
    """Each period as (kind, number, start, end, department due, unit due), dates in ISO form."""
    return [
        (p.kind, p.number, *(d.isoformat() for d in (p.start, p.end, p.department_due, p.unit_due)))
        for p in services.ensure_periods(plan)
    ]


def test_a_year_plan_reports_by_quarter_half_and_year(plan):
    assert _periods(plan) == [
        (PeriodKind.QUARTER, 1, "2026-01-01", "2026-03-31", "2026-03-05", "2026-03-10"),
        (PeriodKind.SIX_MONTH, 1, "2026-01-01", "2026-06-30", "2026-06-05", "2026-06-10"),
        (PeriodKind.QUARTER, 3, "2026-07-01", "2026-09-30", "2026-09-05", "2026-09-10"),
        (PeriodKind.YEAR, 0, "2026-01-01", "2026-12-31", "2026-12-05", "2026-12-10"),
    ]
    labels = [p.label for p in services.ensure_periods(plan)]
    assert labels == ["Quý I/2026", "6 tháng đầu năm 2026", "Quý III/2026", "Năm 2026"]


def test_a_six_month_plan_reports_its_quarter_and_year(world, frozen_today):
    # Seed 002: "Kế hoạch CCHC sáu tháng cuối năm 2025", "báo cáo năm gửi trước ngày 10/12".
    plan = plan_services.create_plan(
        world.thaitan,
        title="Kế hoạch CCHC 6 tháng cuối năm 2025",
        period_start=date(2025, 7, 1),
        period_end=date(2025, 12, 31),
    )
    kinds = [(p.kind, p.start, p.unit_due) for p in services.ensure_periods(plan)]
    assert kinds == [
        (PeriodKind.QUARTER, date(2025, 7, 1), date(2025, 9, 10)),
        (PeriodKind.YEAR, date(2025, 7, 1), date(2025, 12, 10)),
    ]


def test_periods_are_made_once_and_edited_dates_stay(plan):
    year = services.ensure_periods(plan)[-1]
    services.change_due_dates(year, department_due=date(2026, 12, 1), unit_due=date(2026, 12, 8))
    again = services.ensure_periods(plan)
    assert len(again) == 4
    assert again[-1].department_due == date(2026, 12, 1)


def test_due_dates_in_the_wrong_order_are_refused(plan):
    year = services.ensure_periods(plan)[-1]
    with pytest.raises(ValidationError) as error:
        services.change_due_dates(
            year, department_due=date(2026, 12, 12), unit_due=date(2026, 12, 10)
        )
    assert "department_due" in error.value.message_dict
    year.refresh_from_db()
    assert year.unit_due == date(2026, 12, 10)


@pytest.fixture
def quarter(plan, world):
    """Quarter I of the plan, with one task of Phòng VH-XH done and one overdue."""
    area = plan.areas.get(order=1)
    done = plan_services.save_task(
        plan,
        plan_services.TaskData(
            area=area,
            content="Ban hành quy chế",
            lead_department=world.vhxh,
            expected_product="- Quy chế của UBND phường",
            deadline_text="Trước ngày 25/01/2026",
        ),
        on=date(2026, 1, 10),
    )
    plan_services.add_progress(
        done,
        world.people[Role.DEPARTMENT_HEAD],
        plan_services.ProgressData(
            note="Đã ban hành Quyết định số 12/QĐ-UBND ngày 20/01/2026", percent=100
        ),
        on=date(2026, 1, 20),
    )
    plan_services.save_task(
        plan,
        plan_services.TaskData(
            area=area,
            content="Rà soát TTHC",
            lead_department=world.vhxh,
            deadline_text="Trước ngày 25/01/2026",
        ),
        on=date(2026, 1, 10),
    )
    target = plan_services.add_target(plan, "Tối thiểu 90% người dân hài lòng", area=area)
    target.monitoring_department = world.vhxh
    target.save()
    plan_services.record_measurement(
        target,
        value=Decimal("93.5"),
        period_label="Quý I",
        source="Khảo sát",
        by=None,
        measured_on=date(2026, 1, 30),
    )
    return services.ensure_periods(plan)[0]


def _part(created, department):
    return next(c for c in created if c.department == department)


def test_contributions_are_asked_of_lead_departments_and_prefilled(quarter, world):
    created = services.open_contributions(quarter)
    assert {c.department for c in created} == {world.vhxh, world.office}
    section = _part(created, world.vhxh).sections.get(area__order=1)
    assert "đã hoàn thành 01 nhiệm vụ" in section.figures
    assert section.results == "- Ban hành quy chế."
    assert "93,5%" in section.figures and "Khảo sát" in section.figures
    assert "Quá hạn: Rà soát TTHC (hạn 25/01/2026)." in section.difficulties
    assert services.open_contributions(quarter) == []  # asked once


def test_the_review_cycle(quarter, world):
    contribution = _part(services.open_contributions(quarter), world.vhxh)
    head = world.people[Role.DEPARTMENT_HEAD]
    focal = world.people[Role.FOCAL]
    with pytest.raises(ValidationError):
        services.review_contribution(contribution, focal, accept=True)  # not submitted yet
    services.submit_contribution(contribution, head)
    with pytest.raises(ValidationError):
        services.save_contribution(contribution, {})  # submitted: locked for the department
    with pytest.raises(ValidationError) as error:
        services.review_contribution(contribution, focal, accept=False, reason="  ")
    assert "reason" in error.value.message_dict
    services.review_contribution(contribution, focal, accept=False, reason="Bổ sung số liệu")
    contribution.refresh_from_db()
    assert contribution.status == ContributionStatus.RETURNED
    assert contribution.return_reason == "Bổ sung số liệu"
    section = contribution.sections.first()
    services.save_contribution(
        contribution, {section.pk: services.SectionText(results="Đã ban hành 2 quy chế.")}
    )
    services.submit_contribution(contribution, head)
    services.review_contribution(contribution, focal, accept=True)
    contribution.refresh_from_db()
    assert contribution.status == ContributionStatus.ACCEPTED
    assert [d for d, _state in services.missing_contributions(quarter)] == [world.office]


def test_an_empty_part_cannot_be_sent(quarter, world):
    contribution = _part(services.open_contributions(quarter), world.vhxh)
    empty = {s.pk: services.SectionText() for s in contribution.sections.all()}
    services.save_contribution(contribution, empty)
    with pytest.raises(ValidationError, match=r"trống|empty"):
        services.submit_contribution(contribution, world.people[Role.DEPARTMENT_HEAD])


def test_the_report_is_assembled_approved_and_locked(quarter, world):
    created = services.open_contributions(quarter)
    contribution = _part(created, world.vhxh)
    office = _part(created, world.office)
    services.submit_contribution(office, world.people[Role.FOCAL], confirm_empty_areas=True)
    services.review_contribution(office, world.people[Role.FOCAL], accept=True)
    section = contribution.sections.get(area__order=1)
    services.save_contribution(
        contribution,
        {
            section.pk: services.SectionText(
                results="Ban hành 2 quy chế nội bộ.", proposals="Tập huấn"
            )
        },
    )
    report = services.assemble_report(quarter)
    assert report.addressee == "Sở Nội vụ thành phố Hải Phòng"
    # not accepted yet: the part is missing and approval is refused
    with pytest.raises(ValidationError, match="Phòng Văn hóa - Xã hội"):
        services.approve_report(report, world.people[Role.LEADER])
    built = documents.report_docx(report)
    assert built.is_draft and built.missing == ["Phòng Văn hóa - Xã hội (Đang soạn)"]
    text = _text(built.content)
    assert "DỰ THẢO" in text and "Còn thiếu phần báo cáo của: Phòng Văn hóa - Xã hội" in text

    services.submit_contribution(contribution, world.people[Role.DEPARTMENT_HEAD])
    services.review_contribution(contribution, world.people[Role.FOCAL], accept=True)
    report = services.assemble_report(quarter)
    headings = [s.heading for s in report.sections.all()]
    assert headings[0] == "I. KẾT QUẢ THỰC HIỆN NHIỆM VỤ CẢI CÁCH HÀNH CHÍNH"
    assert "IV. ĐỀ XUẤT, KIẾN NGHỊ" in headings
    area_text = report.sections.get(key="area:1").text
    assert "Ban hành 2 quy chế nội bộ." in area_text
    assert report.sections.get(key="proposals").text == "Tập huấn"

    services.approve_report(report, world.people[Role.LEADER])
    report.refresh_from_db()
    assert report.status == ReportStatus.APPROVED and report.issued_on == date(2026, 2, 1)
    with pytest.raises(ValidationError):
        services.save_report(report, services.ReportHeader(), {})
    with pytest.raises(ValidationError):
        services.assemble_report(quarter)
    built = documents.report_docx(report)
    assert not built.is_draft and "DỰ THẢO" not in _text(built.content)
    services.mark_sent(report)
    with pytest.raises(ValidationError):
        services.reopen_report(report)


def test_find_period_for_the_command(plan, world):
    with pytest.raises(ValidationError):  # a draft has no reports until it is activated
        services.find_period(world.thanhdong, 2026, PeriodKind.YEAR)
    plan.status = "approved"
    plan.save()
    period = services.find_period(world.thanhdong, 2026, PeriodKind.YEAR)
    assert period.plan == plan and period.end == date(2026, 12, 31)
    with pytest.raises(ValidationError):
        services.find_period(world.thanhdong, 2031, PeriodKind.YEAR)


def test_annexes_hold_the_task_table_and_the_targets(quarter):
    from openpyxl import load_workbook

    book = load_workbook(io.BytesIO(documents.annex_xlsx(quarter)))
    assert book.sheetnames == ["PL1 - Nhiệm vụ", "PL2 - Chỉ tiêu"]
    tasks = [c.value for c in book["PL1 - Nhiệm vụ"]["B"] if c.value]
    assert "Rà soát TTHC" in tasks
    targets = book["PL2 - Chỉ tiêu"]
    assert targets["B4"].value == "Tối thiểu 90% người dân hài lòng"
    assert targets["C4"].value == "93,5%" and targets["E4"].value == "Khảo sát"


def test_the_plan_is_reissued_with_its_task_table(plan):
    document = Document(io.BytesIO(documents.plan_docx(Plan.objects.get(pk=plan.pk))))
    texts = [p.text for p in document.paragraphs]
    assert "KẾ HOẠCH" in texts
    assert "Cải cách hành chính nhà nước phường Thành Đông năm 2026" in texts
    table = document.tables[1]
    assert table.cell(0, 1).text == "Nội dung công việc"
    assert table.cell(1, 0).text == "I"  # the area's row spans the table
    assert "Xây dựng và triển khai Kế hoạch" in table.cell(2, 1).text


def _text(data: bytes) -> str:
    document = Document(io.BytesIO(data))
    return "\n".join(p.text for p in document.paragraphs)
