"""A period's report tells the period as it stood on its figures' day, says which day that is,
reads like a report a person typed, and once approved stays what was approved."""

from __future__ import annotations

import io
from datetime import date
from decimal import Decimal

import pytest
from docx import Document
from openpyxl import load_workbook

from core import clock
from core.numbers import format_count
from org.models import Role
from plans import services as plan_services
from reports import builder, documents, services
from reports.facts import references
from reports.models import DocumentTemplate, ReportFile, ReportStatus
from reports.wording import figures_text, parse_sections


def _today(monkeypatch, day: date) -> None:
    monkeypatch.setattr(clock, "today", lambda: day)


def _task(plan, world, content: str, deadline: str, product: str = ""):
    return plan_services.save_task(
        plan,
        plan_services.TaskData(
            area=plan.areas.get(order=2),
            content=content,
            lead_department=world.office,
            deadline_text=deadline,
            expected_product=product,
        ),
        on=date(2026, 1, 5),
    )


def _done(task, world, on: date, note: str = "Đã hoàn thành") -> None:
    plan_services.add_progress(
        task,
        world.people[Role.FOCAL],
        plan_services.ProgressData(note=note, percent=100),
        on=on,
    )


@pytest.fixture
def scene(plan, world):
    """Three tasks of Cải cách thể chế: one done in March, one done in April (after the first
    quarter, past its due date), one due on 20 March never done; a target measured twice."""
    march = _task(
        plan,
        world,
        "Ban hành kế hoạch rà soát văn bản",
        "Trước ngày 15/3/2026",
        "- Kế hoạch của UBND phường, - Báo cáo kết quả",
    )
    _done(march, world, date(2026, 3, 10), "Đã ban hành Kế hoạch số 25/KH-UBND ngày 10/3/2026.")
    april = _task(plan, world, "Kiểm tra văn bản quy phạm pháp luật", "Trước ngày 25/3/2026")
    _done(april, world, date(2026, 4, 10))
    _task(plan, world, "Theo dõi thi hành pháp luật", "Trước ngày 20/3/2026")
    target = plan_services.add_target(plan, "Tối thiểu 90% người dân hài lòng")
    for value, day in (("88.6", date(2026, 3, 31)), ("93.1", date(2026, 4, 30))):
        plan_services.record_measurement(
            target,
            value=Decimal(value),
            period_label="Quý",
            source="Khảo sát tại Trung tâm",
            by=None,
            measured_on=day,
        )
    periods = services.ensure_periods(plan)
    return periods[0], periods[1]  # the first quarter, the first six months


def _area(facts, order: int):
    return next(a for a in facts.areas if a.area.order == order)


def test_the_quarter_is_told_as_it_stood_at_its_end(scene, monkeypatch):
    quarter, half = scene
    _today(monkeypatch, date(2026, 12, 3))  # downloaded in December
    facts = services.collect_facts(quarter)
    assert facts.on == date(2026, 3, 31)
    area = _area(facts, 2)
    assert [t.content for t in area.done] == ["Ban hành kế hoạch rà soát văn bản"]
    # Done on 10/4: on 31/3 it was not done, and past its due date.
    assert sorted(t.content for t in area.overdue) == [
        "Kiểm tra văn bản quy phạm pháp luật",
        "Theo dõi thi hành pháp luật",
    ]
    (target,) = facts.targets
    assert target.latest.value == Decimal("88.6") and target.met is False
    # The six months see the April work done, late.
    later = _area(services.collect_facts(half), 2)
    assert [t.content for t in later.done_late] == ["Kiểm tra văn bản quy phạm pháp luật"]
    assert services.collect_facts(half).targets[0].latest.value == Decimal("93.1")


def test_a_report_written_before_its_period_ends_takes_the_figures_of_that_day(
    scene, world, monkeypatch
):
    quarter, _half = scene
    _today(monkeypatch, date(2026, 3, 9))  # the report is due by the 10th of the last month
    report = services.assemble_report(quarter)
    assert report.figures_on == date(2026, 3, 9)
    area = _area(services.collect_facts(quarter, on=report.figures_on), 2)
    assert area.overdue == []  # nothing was due yet on 9/3
    assert [t.content for t in area.not_started] == [
        "Ban hành kế hoạch rà soát văn bản",
        "Kiểm tra văn bản quy phạm pháp luật",
        "Theo dõi thi hành pháp luật",
    ]
    # Assembled again after the quarter: its end.
    _today(monkeypatch, date(2026, 4, 20))
    assert services.assemble_report(quarter).figures_on == date(2026, 3, 31)


def test_the_report_names_what_was_done_and_what_is_late_without_zero_clauses(
    scene, world, monkeypatch
):
    quarter, _half = scene
    _today(monkeypatch, date(2026, 4, 20))
    report = services.assemble_report(quarter)
    text = report.sections.get(key="area:2").text
    assert text.startswith("Kế hoạch giao 03 nhiệm vụ: đã hoàn thành 01 nhiệm vụ, ")
    assert "02 nhiệm vụ quá hạn chưa hoàn thành" in text
    assert (
        "+ Ban hành kế hoạch rà soát văn bản: Văn phòng HĐND và UBND hoàn thành ngày "
        "10/3/2026; sản phẩm: Kế hoạch của UBND phường; Báo cáo kết quả "
        "(Kế hoạch số 25/KH-UBND ngày 10/3/2026)." in text
    )
    assert "+ Theo dõi thi hành pháp luật (Văn phòng HĐND và UBND chủ trì; hạn 20/3/2026)." in text
    everything = "\n".join(s.text for s in report.sections.all())
    assert " 0 " not in everything and "(trong đó 0" not in everything
    assert "kết quả 88,6%, chưa đạt chỉ tiêu (Khảo sát tại Trung tâm, ngày 31/3/2026)" in (
        report.sections.get(key="targets").text
    )
    headings = [s.heading for s in report.sections.all()]
    assert "III. PHƯƠNG HƯỚNG, NHIỆM VỤ TRỌNG TÂM QUÝ II NĂM 2026" in headings


def _approved(quarter, world, monkeypatch, day: date = date(2026, 4, 5)):
    _today(monkeypatch, day)
    focal = world.people[Role.FOCAL]
    for part in services.open_contributions(quarter):
        services.submit_contribution(part, focal, confirm_empty_areas=True)
        services.review_contribution(part, focal, accept=True)
    report = services.assemble_report(quarter, focal)
    return services.approve_report(report, world.people[Role.LEADER])


def test_the_document_says_its_figures_day_and_carries_its_own_date(scene, world, monkeypatch):
    quarter, _half = scene
    report = _approved(quarter, world, monkeypatch, date(2026, 4, 2))
    _today(monkeypatch, date(2026, 12, 3))  # downloaded in December
    document = Document(io.BytesIO(documents.report_docx(report).content))
    texts = [p.text for p in document.paragraphs]
    assert "(Số liệu tính đến ngày 31/3/2026)" in texts
    assert document.tables[0].cell(1, 1).text == "Thành Đông, ngày 02 tháng 4 năm 2026"
    assert any(
        t.startswith("Thực hiện Quyết định số 16/QĐ-UBND của Ủy ban nhân dân") for t in texts
    )


def test_an_approved_report_and_its_annexes_stay_as_approved(scene, world, monkeypatch):
    quarter, _half = scene
    report = _approved(quarter, world, monkeypatch)
    docx, annex = documents.report_docx(report).content, documents.annex_xlsx(quarter)
    assert {f.kind for f in ReportFile.objects.filter(report=report)} == {"docx", "xlsx"}
    sheet = load_workbook(io.BytesIO(annex))["PL1 - Nhiệm vụ"]
    statuses = {row[1].value: row[6].value for row in sheet.iter_rows(min_row=4) if row[6].value}
    assert statuses["Kiểm tra văn bản quy phạm pháp luật"] == "Quá hạn"  # as on 31/3
    # Later the data and the wording change; the approved report does not.
    _today(monkeypatch, date(2026, 12, 3))
    late = quarter.plan.tasks.get(content="Theo dõi thi hành pháp luật")
    _done(late, world, date(2026, 12, 1))
    DocumentTemplate.objects.create(key="cchc_report", text="title: KHÁC\n---\nKhác.")
    assert documents.report_docx(report).content == docx
    assert documents.annex_xlsx(quarter) == annex
    assert documents.build_report_docx(report).content != docx  # a new build would differ
    # Back to draft: the kept documents go, and a new approval keeps new ones.
    services.reopen_report(report)
    assert not ReportFile.objects.filter(report=report).exists()
    assert "KHÁC" in "\n".join(
        p.text for p in Document(io.BytesIO(documents.report_docx(report).content)).paragraphs
    )
    report.refresh_from_db()
    assert report.status == ReportStatus.DRAFT


def test_documents_cited_in_updates_are_named_once_with_their_date():
    assert references(
        [
            "Đã ban hành kế hoạch số 25/KH-UBND ngày 10/3/2026; gửi kèm Quyết định số "
            "7/QĐ-UBND ngày 2/02/2026.",
            "Bổ sung số 25/KH-UBND và văn bản số 123/UBND-VHXH.",
        ]
    ) == [
        "Kế hoạch số 25/KH-UBND ngày 10/3/2026",
        "Quyết định số 7/QĐ-UBND ngày 02/02/2026",
        "Văn bản số 123/UBND-VHXH",
    ]


def test_counts_dates_and_clauses_as_documents_write_them(db):
    assert [format_count(n) for n in (1, 9, 10, 1250)] == ["01", "09", "10", "1.250"]
    assert builder.document_day(date(2026, 3, 9)) == "09/3/2026"
    assert builder.document_day(date(2026, 1, 15)) == "15/01/2026"
    assert builder.date_line("Thành Đông", date(2026, 12, 5)) == (
        "Thành Đông, ngày 05 tháng 12 năm 2026"
    )
    rendered = builder.render_text(
        '{% joined "; " %}\na\n\n{% if x %}b{% endif %}\nc\n{% endjoined %}', {}
    )
    assert rendered == "a; c"
    zeros = {"tasks": 4, "done": 1, "done_late": 0, "in_progress": 0, "overdue": 3}
    assert figures_text(zeros) == (
        "04 nhiệm vụ: đã hoàn thành 01 nhiệm vụ, 03 nhiệm vụ quá hạn chưa hoàn thành."
    )
    assert figures_text({"tasks": 2, "not_started": 2}) == (
        "02 nhiệm vụ, đều chưa đến thời hạn thực hiện."
    )
    assert figures_text({"tasks": 0}) == ""


def test_sections_are_numbered_and_empty_ones_left_out():
    sections = parse_sections("@a\n# MỘT\nx\n@b\n## Hai\n\n@c\n## Ba\ny\n# BỐN\n## Năm\nz\n")
    assert sections == [
        ("a", 1, "I. MỘT", "x"),
        ("c", 2, "1. Ba", "y"),
        ("section:4", 1, "II. BỐN", ""),
        ("section:5", 2, "1. Năm", "z"),
    ]


def test_a_part_restating_a_late_task_is_said_once_and_its_causes_stay(scene, world, monkeypatch):
    quarter, _half = scene
    _today(monkeypatch, date(2026, 4, 5))
    focal = world.people[Role.FOCAL]
    cause = (
        "- Theo dõi thi hành pháp luật chậm do chưa có hướng dẫn của cấp trên về biểu mẫu theo dõi."
    )
    for part in services.open_contributions(quarter):
        if part.department == world.office:
            section = part.sections.get(area__order=2)
            assert "Theo dõi thi hành pháp luật" in section.difficulties  # pre-filled
            services.save_contribution(
                part,
                {
                    section.pk: services.SectionText(
                        results=section.results,
                        difficulties=f"{section.difficulties}\n{cause}",
                    )
                },
            )
        services.submit_contribution(part, focal, confirm_empty_areas=True)
        services.review_contribution(part, focal, accept=True)
    weaknesses = services.assemble_report(quarter, focal).sections.get(key="weaknesses").text
    assert cause in weaknesses
    # the unit's list and the department's cause; the pre-filled restatement is dropped
    assert weaknesses.count("Theo dõi thi hành pháp luật") == 2
