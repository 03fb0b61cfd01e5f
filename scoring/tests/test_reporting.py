"""The self-assessment's figures reach the periodic report of the same kind and year."""

from __future__ import annotations

from decimal import Decimal
from types import SimpleNamespace

from django.utils import translation

from core.numbers import format_number
from scoring import reporting, services


def _period(scene, kind: str, year: int = 2026):
    return SimpleNamespace(kind=kind, year=year, unit_id=scene.unit.pk)


def test_the_six_month_report_carries_the_self_assessment(scene):
    score = scene.score("1.1")
    services.set_self_score(score, scene.head, value=Decimal(1))
    scene.assessment.refresh_from_db()
    with translation.override("vi"):
        (line,) = reporting.report_lines(_period(scene, "six_month"))
    points = scene.assessment.self_points
    assert line.startswith("Chỉ số CCHC (6 tháng 2026)")
    assert format_number(points) in line or str(points).rstrip("0").rstrip(".") in line
    assert reporting.report_lines(_period(scene, "quarter")) == []
    assert reporting.report_lines(_period(scene, "year")) == []
    assert reporting.report_lines(_period(scene, "six_month", 2027)) == []
    # a department's part does not repeat the unit's index
    assert reporting.report_lines(_period(scene, "six_month"), department=scene.vhxh) == []


def test_a_report_of_an_earlier_day_does_not_carry_todays_points(scene, frozen_today):
    from datetime import timedelta

    score = scene.score("1.1")
    services.set_self_score(score, scene.head, value=Decimal(1))
    scene.assessment.refresh_from_db()
    points = f" {format_number(scene.assessment.self_points)} "
    period = _period(scene, "six_month")
    (live,) = reporting.report_lines(period, on=frozen_today)
    (earlier,) = reporting.report_lines(period, on=frozen_today - timedelta(days=1))
    # Not sent to the province by then: the state is told, not points that may have changed.
    assert points in live and points not in earlier
    assert "(6 tháng 2026)" in earlier
