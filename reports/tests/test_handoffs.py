"""A report cycle hands its work from person to person: each hand-off reaches exactly the people
who must act, is cleared when done; a late part stays late; a part accepted after assembly
blocks approval until the report is assembled again; the assessment says only what is true."""

from __future__ import annotations

import io
from datetime import date

import pytest
from django.core.exceptions import ValidationError
from docx import Document

from core import clock
from notify.handoffs import open_work
from notify.models import Notification
from org.models import Role
from org.tests.factories import person_with_role
from reports import documents, services
from reports.models import ContributionStatus, ReportStatus
from reports.tests.test_services import _part, quarter  # noqa: F401


def _work(person) -> list[str]:
    return sorted(t.key for t in open_work(person))


def _write(part, text: str) -> None:
    section = part.sections.filter(area__isnull=False).first() or part.sections.first()
    services.save_contribution(part, {section.pk: services.SectionText(results=text)})


def _send(part, by) -> None:
    services.submit_contribution(part, by, confirm_empty_areas=True)


def test_each_hand_off_reaches_the_person_who_must_act(quarter, world, monkeypatch):  # noqa: F811
    head, focal, leader = (world.people[r] for r in (Role.DEPARTMENT_HEAD, Role.FOCAL, Role.LEADER))
    created = services.open_contributions(quarter)
    own, office = _part(created, world.vhxh), _part(created, world.office)
    # Asked for the part: the head of VH-XH; the office has no head, so the focal officer writes it.
    assert _work(head) == [f"report-part:{own.pk}:send"]
    assert f"report-part:{office.pk}:send" in _work(focal)
    assert Notification.objects.filter(user=head, key__startswith="handoff:").count() == 1
    assert not _work(leader)

    _write(own, "Ban hành 2 quy chế nội bộ.")
    _send(own, head)
    assert _work(head) == []
    assert f"report-part:{own.pk}:review" in _work(focal)

    services.review_contribution(own, focal, accept=False, reason="Bổ sung số liệu")
    assert _work(head) == [f"report-part:{own.pk}:send"]
    assert "Bổ sung số liệu" in open_work(head).get().title
    assert f"report-part:{own.pk}:review" not in _work(focal)

    _send(own, head)
    services.review_contribution(own, focal, accept=True)
    _write(office, "Niêm yết công khai thủ tục hành chính.")
    _send(office, focal)
    services.review_contribution(office, focal, accept=True)
    assert _work(leader) == []  # not assembled yet: nothing to approve

    report = services.assemble_report(quarter, focal)
    assert _work(leader) == [f"report:{quarter.pk}:approve"]
    services.approve_report(report, leader)
    assert _work(leader) == []
    assert f"report:{quarter.pk}:send" in _work(focal)
    # The leadership may mark it sent too; then nobody has anything left of this report.
    services.mark_sent(report)
    assert _work(focal) == [] and _work(head) == [] and _work(leader) == []


def test_a_late_part_stays_late_and_the_report_says_so(quarter, world, monkeypatch):  # noqa: F811
    head, focal = world.people[Role.DEPARTMENT_HEAD], world.people[Role.FOCAL]
    created = services.open_contributions(quarter)
    own, office = _part(created, world.vhxh), _part(created, world.office)
    _write(office, "Niêm yết công khai thủ tục hành chính.")
    _send(office, focal)  # on time (1/2; due 5/3)
    monkeypatch.setattr(clock, "today", lambda: date(2026, 3, 9))
    _write(own, "Ban hành 2 quy chế nội bộ.")
    _send(own, head)  # four days late
    own.refresh_from_db()
    assert own.sent_late
    # Moving the due date later does not make a late part on time.
    services.change_due_dates(quarter, department_due=date(2026, 3, 10), unit_due=date(2026, 3, 12))
    services.review_contribution(own, focal, accept=True)
    services.review_contribution(office, focal, accept=True)
    own.refresh_from_db()
    assert own.sent_late and own.status == ContributionStatus.ACCEPTED

    report = services.assemble_report(quarter, focal)
    strengths = report.sections.get(key="strengths").text
    weaknesses = report.sections.get(key="weaknesses").text
    assert "đúng thời gian" not in strengths
    # Dates as documents write them in the text (Decree 30/2020): "09/3/2026".
    assert "Phòng Văn hóa - Xã hội gửi báo cáo chậm (ngày 09/3/2026; hạn 05/3/2026)" in weaknesses
    # Each overdue task is said once, with its department's full name, never a short code.
    assert weaknesses.count("Rà soát TTHC") == 1
    assert "(VHXH" not in weaknesses and "Rà soát TTHC (Phòng Văn hóa - Xã hội;" in weaknesses
    text = "\n".join(
        p.text for p in Document(io.BytesIO(documents.report_docx(report).content)).paragraphs
    )
    assert "gửi báo cáo chậm" in text and "đúng thời gian quy định" not in text


def test_on_time_parts_are_said_to_be_on_time(quarter, world):  # noqa: F811
    focal = world.people[Role.FOCAL]
    for part in services.open_contributions(quarter):
        _write(part, "Đã thực hiện.")
        _send(part, focal)
        services.review_contribution(part, focal, accept=True)
    report = services.assemble_report(quarter, focal)
    assert "đúng thời gian quy định" in report.sections.get(key="strengths").text


def test_a_part_accepted_after_assembly_blocks_approval(quarter, world, monkeypatch):  # noqa: F811
    head, focal, leader = (world.people[r] for r in (Role.DEPARTMENT_HEAD, Role.FOCAL, Role.LEADER))
    created = services.open_contributions(quarter)
    own, office = _part(created, world.vhxh), _part(created, world.office)
    for part, by in ((own, head), (office, focal)):
        _write(part, "Đã thực hiện.")
        _send(part, by)
        services.review_contribution(part, focal, accept=True)
    report = services.assemble_report(quarter, focal)
    # The focal officer takes the office's part back and accepts a new text after assembly.
    services.reopen_report(report)
    office.status = ContributionStatus.SUBMITTED
    office.save()
    services.review_contribution(office, focal, accept=False, reason="Thiếu số liệu")
    _write(office, "Đã niêm yết 100% thủ tục.")
    _send(office, focal)
    services.review_contribution(office, focal, accept=True)
    report.refresh_from_db()
    assert services.is_out_of_date(report)
    assert f"report:{quarter.pk}:approve" not in _work(leader)
    with pytest.raises(ValidationError, match="tổng hợp lại"):
        services.approve_report(report, leader)
    report = services.assemble_report(quarter, focal)
    assert "Đã niêm yết 100% thủ tục." in report.sections.get(key="area:1").text + "".join(
        s.text for s in report.sections.all()
    )
    assert _work(leader) == [f"report:{quarter.pk}:approve"]
    services.approve_report(report, leader)
    assert report.__class__.objects.get(pk=report.pk).status == ReportStatus.APPROVED


def test_a_part_with_empty_areas_asks_for_confirmation(quarter, world):  # noqa: F811
    own = _part(services.open_contributions(quarter), world.vhxh)
    head = world.people[Role.DEPARTMENT_HEAD]
    person_with_role(Role.DEPARTMENT_HEAD, world.thanhdong, world.vhxh, username="head2")
    section = own.sections.get(area__order=1)
    services.save_contribution(own, {section.pk: services.SectionText(results="Đã thực hiện.")})
    if services.empty_areas(own):
        with pytest.raises(ValidationError, match="xác nhận"):
            services.submit_contribution(own, head)
    services.submit_contribution(own, head, confirm_empty_areas=True)


def test_the_annex_is_headed_with_the_report_it_goes_with(quarter, world):  # noqa: F811
    from openpyxl import load_workbook

    report = services.assemble_report(quarter, world.people[Role.FOCAL])
    report.number, report.issued_on = "125", date(2026, 3, 9)
    report.save()
    sheet = load_workbook(io.BytesIO(documents.annex_xlsx(quarter))).worksheets[0]
    assert sheet["A2"].value == (
        "(Kèm theo Báo cáo số 125/BC-UBND ngày 09/03/2026 của Ủy ban nhân dân phường Thành Đông)"
    )
