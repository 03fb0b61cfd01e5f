"""A report's parts and sections carry what other apps know: inspections' findings."""

from __future__ import annotations

from datetime import date

from inspections import services as inspections
from org.models import Role
from reports import services


def test_findings_of_the_period_reach_the_department_part_and_the_report(world, plan, round_):
    team = world.people[Role.FOCAL]
    for text, department in (
        ("Chưa niêm yết TTHC", world.office),
        ("Thiếu sổ theo dõi", world.vhxh),
    ):
        inspections.record_finding(
            round_,
            team,
            inspections.FindingData(
                description=text,
                department=department,
                responsible_department=department,
                deadline=date(2026, 8, 15),
            ),
        )
    half = next(p for p in services.ensure_periods(plan) if p.kind == "six_month")
    third = next(p for p in services.ensure_periods(plan) if p.number == 3)
    assert services.collect_facts(half).other_lines == []  # the round is in July
    lines = services.collect_facts(third).other_lines
    assert lines == [
        "Kiểm tra CCHC trong kỳ: phát hiện 2 tồn tại, hạn chế; đã khắc phục 0 (đúng hạn 0), "
        "còn 2 chưa khắc phục, trong đó 0 quá hạn."
    ]
    services.open_contributions(third)
    office = third.contributions.get(department=world.office)
    general = office.sections.get(area=None)
    assert "phát hiện 1 tồn tại, hạn chế" in general.results
    report = services.assemble_report(third)
    assert "phát hiện 2 tồn tại" in report.sections.get(key="other").text
