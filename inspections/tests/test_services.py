"""Rules of inspections, without HTTP."""

from __future__ import annotations

import io
from datetime import date
from decimal import Decimal

import pytest
from auditlog.models import LogEntry
from django.core.exceptions import ValidationError

from core.files import UploadRejected
from ingest.inspection_text import parse_inspection_text
from inspections import services
from inspections.models import (
    Answer,
    ChecklistTemplate,
    FindingStatus,
    ItemOrigin,
    Result,
    RoundKind,
    RoundOrigin,
    Severity,
    TeamRole,
)
from inspections.tests.conftest import finding_data, pdf
from org.access import Action, can
from org.models import Role
from plans.models import Measurement

pytestmark = pytest.mark.django_db


# --- templates, plans, import ----------------------------------------------------------------


def test_default_template_is_seed_003_section_iii(db):
    template = services.default_template()
    assert services.default_template().pk == template.pk  # created once
    assert ChecklistTemplate.objects.count() == 1
    areas = list(template.areas.all())
    assert [a.code for a in areas] == ["1.1", "1.2", "1.3", "1.4", "1.5", "1.6", "1.7"]
    assert [a.items.count() for a in areas] == [7, 11, 10, 10, 7, 3, 12]


def test_plan_from_template_copies_items(inspection_plan):
    assert inspection_plan.areas.count() == 7
    item = inspection_plan.areas.get(code="1.3").items.get(order=1)
    assert item.text.startswith("Việc niêm yết, công khai TTHC")
    assert item.origin == ItemOrigin.TEMPLATE
    assert item.code == "1.3.1"


def test_plan_from_seed_003_document(world, seed_text, frozen_today):
    world.vhxh.aliases = ["Phòng Văn hoá - xã hội"]
    world.vhxh.save()
    draft = parse_inspection_text(seed_text("003"))
    outcome = services.create_plan_from_draft(
        world.thanhdong,
        draft,
        source=services.UploadedFile("ke-hoach.txt", io.BytesIO(seed_text("003").encode())),
    )
    plan = outcome.plan
    assert plan.title == "Kế hoạch Kiểm tra cải cách hành chính năm 2026"
    assert plan.year == 2026 and plan.self_check_days == 5
    assert plan.lead_department == world.vhxh
    assert plan.source_name == "ke-hoach.txt" and plan.source_document
    assert sum(a.items.count() for a in plan.areas.all()) == 60
    assert [(r.start, r.end) for r in outcome.rounds] == [
        (date(2026, 7, 1), date(2026, 7, 10)),
        (date(2026, 10, 20), date(2026, 10, 25)),
    ]
    assert outcome.rounds[0].self_check_due == date(2026, 6, 26)
    assert "kỷ luật, kỷ cương" in plan.adhoc_contents


# --- rounds and inspected departments --------------------------------------------------------


def ad_hoc(
    plan,
    start: date,
    end: date,
    *,
    name: str = "Đột xuất",
    origin: str = RoundOrigin.COMPLAINT,
    origin_text: str = "Đơn phản ánh",
):
    return services.add_round(
        plan,
        name=name,
        start=start,
        end=end,
        kind=RoundKind.AD_HOC,
        origin=origin,
        origin_text=origin_text,
    )


def test_overlapping_round_for_same_department_is_refused(world, round_):
    other = ad_hoc(round_.plan, date(2026, 7, 8), date(2026, 7, 9), name="Kiểm tra đột xuất")
    with pytest.raises(ValidationError) as caught:
        services.add_subject(other, world.office)
    assert "Đợt 1 – Kiểm tra 6 tháng" in str(caught.value)
    assert "01/07/2026" in str(caught.value)
    assert not other.subjects.exists()
    # moving another round onto the first one is refused too
    later = services.add_round(
        round_.plan, name="Đợt 2", start=date(2026, 10, 20), end=date(2026, 10, 25)
    )
    services.add_subject(later, world.office)
    with pytest.raises(ValidationError):
        services.change_round_dates(later, date(2026, 7, 10), date(2026, 7, 12))
    later.refresh_from_db()
    assert later.start == date(2026, 10, 20)
    services.change_round_dates(later, date(2026, 7, 11), date(2026, 7, 12))  # touching is fine


def test_round_rules(world, inspection_plan):
    with pytest.raises(ValidationError):
        services.add_round(inspection_plan, name="X", start=date(2026, 7, 5), end=date(2026, 7, 1))
    with pytest.raises(ValidationError) as caught:
        ad_hoc(inspection_plan, date(2026, 7, 5), date(2026, 7, 5), origin_text="")
    assert "origin_text" in caught.value.message_dict
    adhoc = ad_hoc(
        inspection_plan,
        date(2026, 7, 5),
        date(2026, 7, 5),
        origin=RoundOrigin.DISCIPLINE,
        origin_text="Đi muộn nhiều lần",
    )
    assert adhoc.is_ad_hoc and adhoc.origin == RoundOrigin.DISCIPLINE


def test_team_rules(world, round_):
    with pytest.raises(ValidationError):  # one leader
        services.add_team_member(round_, role=TeamRole.LEADER, user=world.people[Role.LEADER])
    with pytest.raises(ValidationError):  # once
        services.add_team_member(round_, role=TeamRole.MEMBER, user=world.people[Role.FOCAL])
    with pytest.raises(ValidationError):  # another unit
        services.add_team_member(round_, role=TeamRole.MEMBER, user=world.people["other_focal"])
    secretary = services.add_team_member(
        round_, role=TeamRole.SECRETARY, user=world.people[Role.OFFICER]
    )
    assert not secretary.is_guest and round_.team.filter(user__isnull=True).get().is_guest
    assert can(world.people[Role.OFFICER], Action.INSPECT, round_)
    assert not can(world.people[Role.DEPARTMENT_HEAD], Action.INSPECT, round_)


# --- self-check ------------------------------------------------------------------------------


def test_self_check_due_late_and_submit(world, round_):
    office = round_.subjects.get(department=world.office)
    assert round_.self_check_due == date(2026, 6, 26)
    assert services.self_check_state(office, date(2026, 6, 1)) == "not_due"
    assert services.self_check_state(office, date(2026, 6, 20)) == "due"
    assert services.self_check_state(office, date(2026, 6, 27)) == "late"
    items = list(services.subject_items(office))
    assert len(items) == 17  # 1.1 (7) + 1.3 (10)
    officer = world.people[Role.OFFICER]
    with pytest.raises(ValidationError):  # not every item answered
        services.submit_self_check(office, officer, on=date(2026, 6, 25))
    with pytest.raises(ValidationError):  # not met needs a reason
        services.save_answers(office, officer, [services.AnswerData(items[0], Result.NOT_MET)])
    services.save_answers(
        office,
        officer,
        [services.AnswerData(i, Result.MET) for i in items[1:]]
        + [services.AnswerData(items[0], Result.NOT_MET, "Chưa ban hành kế hoạch tuyên truyền")],
        files=[pdf("bao-cao-tu-kiem-tra.pdf")],
    )
    assert office.attachments.get().original_name == "bao-cao-tu-kiem-tra.pdf"
    services.submit_self_check(office, officer, note="Báo cáo", on=date(2026, 6, 27))
    assert services.self_check_state(office) == "sent_late"
    # an item of an area the department does not answer for is refused
    foreign = round_.plan.areas.get(code="1.5").items.first()
    with pytest.raises(ValidationError):
        services.save_answers(office, officer, [services.AnswerData(foreign, Result.MET)])


def test_refused_file_saves_nothing(world, round_):
    office = round_.subjects.get(department=world.office)
    item = services.subject_items(office).first()
    with pytest.raises(UploadRejected):
        services.save_answers(
            office,
            world.people[Role.OFFICER],
            [services.AnswerData(item, Result.MET)],
            files=[services.UploadedFile("virus.exe", io.BytesIO(b"MZ\x90\x00" * 10))],
        )
    assert not Answer.objects.exists()


def test_team_verdict_overrides_in_grid(world, round_):
    office = round_.subjects.get(department=world.office)
    items = list(services.subject_items(office))
    services.save_answers(
        office, world.people[Role.OFFICER], [services.AnswerData(i, Result.MET) for i in items[:3]]
    )
    services.save_answers(
        office,
        world.people[Role.FOCAL],
        [services.AnswerData(items[0], Result.NOT_MET)],
        as_team=True,
    )
    areas, rows = services.checklist_grid(round_)
    row = next(r for r in rows if r.subject == office)
    cell = row.cells[[a.code for a in areas].index("1.1")]
    assert (cell.met, cell.not_met, cell.blank) == (2, 1, 4)
    assert cell.state == "not_met"
    assert not row.cells[[a.code for a in areas].index("1.2")].applies


# --- findings and remediation ----------------------------------------------------------------


def test_finding_needs_responsible_department_and_team(world, round_):
    focal = world.people[Role.FOCAL]
    with pytest.raises(ValidationError) as caught:
        services.record_finding(round_, focal, finding_data(world, responsible_department=None))
    assert "responsible_department" in caught.value.message_dict
    with pytest.raises(ValidationError) as caught:
        services.record_finding(round_, world.people[Role.DEPARTMENT_HEAD], finding_data(world))
    assert "Chỉ Đoàn kiểm tra" in str(caught.value)
    with pytest.raises(ValidationError):
        services.record_finding(
            round_, focal, finding_data(world, responsible_department=world.other_vhxh)
        )
    finding = services.record_finding(round_, focal, finding_data(world, criterion_code="3.1.2"))
    assert finding.status == FindingStatus.OPEN and finding.criterion_code == "3.1.2"


def test_remediation_trail(world, round_):
    focal, officer = world.people[Role.FOCAL], world.people[Role.OFFICER]
    head = world.people[Role.DEPARTMENT_HEAD]
    finding = services.record_finding(round_, focal, finding_data(world))
    with pytest.raises(ValidationError):  # another department's head does not answer
        services.respond(finding, head, "Đã khắc phục")
    with pytest.raises(ValidationError):  # nothing to verify yet
        services.verify(finding, focal)
    services.respond(finding, officer, "Đã niêm yết bổ sung", on=date(2026, 8, 1))
    with pytest.raises(ValidationError) as caught:  # closing without evidence
        services.close_finding(finding, focal, on=date(2026, 8, 2))
    assert "minh chứng" in str(caught.value)
    finding.refresh_from_db()
    assert finding.status == FindingStatus.RESPONDED
    services.return_finding(finding, focal, "Chưa có ảnh chụp bảng niêm yết", on=date(2026, 8, 2))
    assert finding.status == FindingStatus.OPEN
    services.respond(
        finding, officer, "Gửi ảnh chụp", files=[pdf("anh-niem-yet.pdf")], on=date(2026, 8, 20)
    )
    with pytest.raises(ValidationError):  # the department cannot close its own finding
        services.close_finding(finding, officer)
    services.close_finding(finding, focal, "Đạt", on=date(2026, 8, 21))
    finding.refresh_from_db()
    assert finding.status == FindingStatus.CLOSED
    assert finding.remediated_on == date(2026, 8, 20) and finding.on_time is False
    kinds = list(finding.events.values_list("kind", flat=True))
    assert kinds == ["response", "returned", "response", "verified", "closed"]
    assert LogEntry.objects.get_for_object(finding).count() >= 4  # every change is recorded


def test_remediation_stats_and_target(world, round_, plan):
    focal, officer = world.people[Role.FOCAL], world.people[Role.OFFICER]
    on_time = services.record_finding(round_, focal, finding_data(world, deadline=date(2026, 8, 1)))
    late = services.record_finding(round_, focal, finding_data(world, deadline=date(2026, 8, 1)))
    overdue = services.record_finding(round_, focal, finding_data(world, deadline=date(2026, 8, 1)))
    services.record_finding(round_, focal, finding_data(world, deadline=date(2026, 12, 1)))
    services.respond(on_time, officer, "Xong", files=[pdf()], on=date(2026, 7, 30))
    services.verify(on_time, focal, on=date(2026, 7, 31))
    services.respond(late, officer, "Xong", files=[pdf()], on=date(2026, 8, 5))
    services.close_finding(late, focal, on=date(2026, 8, 6))
    stats = services.remediation_stats(round_.findings.all(), on=date(2026, 9, 1))
    assert (stats.total, stats.remediated, stats.on_time, stats.late) == (4, 2, 1, 1)
    assert (stats.open, stats.overdue, stats.due) == (2, 1, 3)
    assert stats.on_time_share == Decimal("33.3")
    found = services.filter_findings(
        round_.findings.all(), services.FindingFilter(state="overdue"), on=date(2026, 9, 1)
    )
    assert list(found) == [overdue]
    # fed into the CCHC plan's target
    from plans import services as plan_services

    target = plan_services.add_target(plan, "Khắc phục đúng hạn 100% tồn tại sau kiểm tra")
    round_.plan.on_time_target = target
    round_.plan.save()
    services.record_on_time_share(round_.plan, focal, on=date(2026, 9, 1))
    assert Measurement.objects.get(target=target).value == Decimal("33.3")


def test_summaries_per_department_and_person(world, round_):
    focal, officer = world.people[Role.FOCAL], world.people[Role.OFFICER]
    office = round_.subjects.get(department=world.office)
    items = list(services.subject_items(office))
    services.save_answers(office, officer, [services.AnswerData(i, Result.MET) for i in items[:5]])
    services.record_finding(round_, focal, finding_data(world, severity=Severity.HIGH))
    rows = {r.name: r for r in services.department_summary([round_], on=date(2026, 9, 1))}
    assert rows[world.office.name].met == 5
    assert rows[world.office.name].findings == 1 and rows[world.office.name].serious == 1
    assert rows[world.office.name].stats.overdue == 1
    people = {r.name: r for r in services.person_summary([round_], on=date(2026, 9, 1))}
    assert people[str(officer)].met == 5 and people[str(officer)].findings == 1


# --- conclusion ------------------------------------------------------------------------------


def test_conclusion_context(world, round_):
    focal, officer = world.people[Role.FOCAL], world.people[Role.OFFICER]
    office = round_.subjects.get(department=world.office)
    items = list(services.subject_items(office))
    services.save_answers(office, officer, [services.AnswerData(i, Result.MET) for i in items])
    services.submit_self_check(office, officer, on=date(2026, 6, 20))
    services.record_finding(round_, focal, finding_data(world, item=items[8]))
    round_.assessment = "Các phòng cơ bản thực hiện tốt."
    context = services.conclusion_context(round_)
    assert context["round_name"] == "Đợt 1 – Kiểm tra 6 tháng"
    assert context["start"] == "01/07/2026" and context["end"] == "10/07/2026"
    assert context["unit_name"] == "phường Thành Đông"
    assert context["team"][0]["name"] == str(focal.full_name or focal.username)
    assert context["leader"] == context["team"][0]["name"]
    assert context["team"][1]["organisation"] == "Sở Nội vụ"
    assert [d["name"] for d in context["departments"]] == [world.vhxh.name, world.office.name] or [
        d["name"] for d in context["departments"]
    ] == [world.office.name, world.vhxh.name]
    office_row = next(d for d in context["departments"] if d["name"] == world.office.name)
    assert office_row["submitted_on"] == "20/06/2026"
    area_13 = next(a for a in context["areas"] if a["code"] == "1.3")
    assert area_13["met"] == 10 and area_13["findings"] == [
        "Chưa niêm yết đầy đủ TTHC tại Bộ phận một cửa"
    ]
    area_12 = next(a for a in context["areas"] if a["code"] == "1.2")
    assert area_12["blank"] == 11  # VHXH answered nothing
    assert [a["code"] for a in context["areas"]] == ["1.1", "1.2", "1.3"]  # areas inspected
    (row,) = context["findings"]
    assert row["deadline"] == "15/08/2026" and row["item"] == "1.3.2"
    assert row["responsible"] == world.office.name and row["person"] == str(officer)
    assert context["finding_count"] == 1


def test_conclusion_template_renders(world, round_):
    from pathlib import Path

    from django.template import Context, Engine

    source = (
        Path(__file__).parents[1] / "document_templates" / "inspection_conclusion.txt"
    ).read_text(encoding="utf-8")
    services.record_finding(round_, world.people[Role.FOCAL], finding_data(world))
    engine = Engine(autoescape=False)
    text = engine.from_string(source).render(Context(services.conclusion_context(round_)))
    header, body = text.split("\n---\n", 1)
    assert "kind: TB-UBND" in header and "title: THÔNG BÁO" in header
    assert (
        "subtitle: Kết luận kiểm tra công tác cải cách hành chính năm 2026 "
        "(đợt 1 – kiểm tra 6 tháng)" in header
    )
    assert "- Văn phòng HĐND và UBND;" in header
    assert "# III. KIẾN NGHỊ VÀ YÊU CẦU KHẮC PHỤC" in body
    assert "| 1 | Chưa niêm yết đầy đủ TTHC tại Bộ phận một cửa |" in body
    assert "15/08/2026 |" in body
    assert "&" not in body.replace("HĐND và UBND", "")  # no HTML escaping


# --- reminders -------------------------------------------------------------------------------


def test_reminders_for_self_checks_and_findings(world, round_):
    from inspections.reminders import reminders
    from notify.models import ReminderKind

    head, officer = world.people[Role.DEPARTMENT_HEAD], world.people[Role.OFFICER]
    # self-check due 26/06: 3 days before, the VHXH head and the office's person in charge
    found = list(reminders(date(2026, 6, 23)))
    assert {(r.user_id, r.key) for r in found} == {
        (head.pk, f"selfcheck:{round_.subjects.get(department=world.vhxh).pk}:due3"),
        (officer.pk, f"selfcheck:{round_.subjects.get(department=world.office).pk}:due3"),
    }
    assert all(r.kind == ReminderKind.SELF_CHECK for r in found)
    assert list(reminders(date(2026, 6, 24))) == []  # 2 days before: no reminder
    late = list(reminders(date(2026, 6, 28)))
    assert {r.key.rsplit(":", 1)[1] for r in late} == {"late"}
    assert "trễ 2 ngày" in late[0].title
    for subject in round_.subjects.all():  # sent: no more reminders
        subject.submitted_on = date(2026, 6, 25)
        subject.submitted_at = subject.round.created_at
        subject.save()
    assert list(reminders(date(2026, 6, 28))) == []

    finding = services.record_finding(
        round_,
        world.people[Role.FOCAL],
        finding_data(world, responsible_department=world.vhxh, responsible_person=None),
    )
    (due,) = reminders(date(2026, 8, 14))
    assert (due.user_id, due.kind, due.key) == (
        head.pk,
        ReminderKind.FINDING,
        f"finding:{finding.pk}:due1",
    )
    (overdue,) = reminders(date(2026, 8, 20))
    assert overdue.key == f"finding:{finding.pk}:overdue"
    assert overdue.url == f"/inspections/findings/{finding.pk}/"
    services.respond(finding, head, "Đã khắc phục", on=date(2026, 8, 20))
    assert list(reminders(date(2026, 8, 21))) == []  # answered: the team has it now


def test_conclusion_document_is_built(world, round_):
    import io as _io

    from docx import Document

    services.record_finding(round_, world.people[Role.FOCAL], finding_data(world))
    round_.conclusion_number = "215"
    round_.concluded_on = date(2026, 7, 15)
    data = services.conclusion_document(round_)
    document = Document(_io.BytesIO(data))
    text = "\n".join(p.text for p in document.paragraphs)
    cells = [c.text for t in document.tables for row in t.rows for c in row.cells]
    everything = text + "\n".join(cells)
    assert "215/TB-UBND" in everything and "THÔNG BÁO" in text
    assert "ngày 15 tháng 7 năm 2026" in everything or "ngày 15 tháng 07 năm 2026" in everything
    assert "III. KIẾN NGHỊ VÀ YÊU CẦU KHẮC PHỤC" in text
    assert "UBND phường Thành Đông thông báo" in text
    assert "Chưa niêm yết đầy đủ TTHC tại Bộ phận một cửa" in cells
    assert "15/08/2026" in cells
