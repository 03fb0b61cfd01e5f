"""A report's parts and sections carry what other apps know: inspections' findings, as they
stood on the report's figures' day."""

from __future__ import annotations

from datetime import date

from core import clock
from inspections import services as inspections
from inspections.models import Finding, FindingStatus
from org.models import Role
from reports import services


def test_findings_of_the_period_reach_the_department_part_and_the_report(
    world, plan, round_, monkeypatch
):
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
    # Today is 1/2/2026: the round (July) has not been held by the figures' day of either.
    assert services.collect_facts(half).other_lines == []
    assert services.collect_facts(third).other_lines == []
    monkeypatch.setattr(clock, "today", lambda: date(2026, 10, 5))
    assert services.collect_facts(half).other_lines == []  # the round is in July
    (line,) = services.collect_facts(third).other_lines
    # Two found, none fixed, both past their deadline on 30/9: no clause says "0".
    assert line.count("02") == 3 and " 0 " not in line and "00" not in line
    # A fix made after the figures' day does not count on it; one made before does.
    first, second = Finding.objects.order_by("pk")
    Finding.objects.filter(pk=first.pk).update(
        status=FindingStatus.VERIFIED, remediated_on=date(2026, 10, 2)
    )
    assert services.collect_facts(third).other_lines == [line]
    Finding.objects.filter(pk=second.pk).update(
        status=FindingStatus.VERIFIED, remediated_on=date(2026, 8, 10)
    )
    (fixed,) = services.collect_facts(third).other_lines
    assert fixed != line and fixed.count("01") == 3  # one fixed on time, one open and overdue
    Finding.objects.filter(pk=second.pk).update(status=FindingStatus.OPEN, remediated_on=None)
    services.open_contributions(third)
    office = third.contributions.get(department=world.office)
    general = office.sections.get(area=None)
    assert "01" in general.results and "02" not in general.results
    services.submit_contribution(office, team, confirm_empty_areas=True)
    services.review_contribution(office, team, accept=True)
    report = services.assemble_report(third)
    assert report.figures_on == date(2026, 9, 30)
    assert line in report.sections.get(key="other").text
    # The department's own line on the same findings is not said a second time.
    assert report.sections.get(key="other").text.count("\n") == 0
