"""Hand-built communes for the board: plans with tasks and targets, reports, self-assessments,
findings and survey answers, each made directly so that every state is the one asked for."""

from __future__ import annotations

from datetime import date, datetime, time
from decimal import Decimal

import pytest
from django.utils import timezone

from core import clock
from inspections.models import Finding, FindingStatus, InspectionPlan, Round
from org.models import Department, Unit, UnitKind, User
from org.tests.factories import DepartmentFactory, UnitFactory, UserFactory
from plans import services as plan_services
from plans.models import Measurement, Milestone, MilestoneKind, Plan, Target, Task, TaskStatus
from reports.models import PeriodKind, Report, ReportingPeriod, ReportStatus
from scoring import services as scoring_services
from scoring.models import Assessment, CriteriaSet, Period, UnitGroup
from surveys.models import Campaign, Questionnaire, Response, ResponseSource

TODAY = date(2026, 7, 20)  # the first quarter's and the six months' reports are due, not Q3's


@pytest.fixture
def today(monkeypatch) -> date:
    monkeypatch.setattr(clock, "today", lambda: TODAY)
    return TODAY


def at(day: date) -> datetime:
    return timezone.make_aware(datetime.combine(day, time(9, 0)))


def department_of(unit: Unit) -> Department:
    return Department.objects.filter(unit=unit).first() or DepartmentFactory(unit=unit)


def author() -> User:
    return UserFactory(username="tester")


# --- plans -----------------------------------------------------------------------------------


def make_plan(unit: Unit, **fields) -> Plan:
    values = {
        "title": f"Kế hoạch CCHC năm 2026 của {unit.name}",
        "kind": "annual",
        "status": "in_progress",
        "number": "16/KH-UBND",
        "issued_on": date(2026, 1, 14),
        "period_start": date(2026, 1, 1),
        "period_end": date(2026, 12, 31),
    }
    values.update(fields)
    return plan_services.create_plan(unit, **values)


def add_task(
    plan: Plan,
    *,
    status: str = TaskStatus.NOT_STARTED,
    due: date | None = None,
    done_on: date | None = None,
    progress: int = 0,
    completed_on: date | None = None,
    number: str = "",
    content: str = "",
) -> Task:
    order = plan.tasks.count() + 1
    task = Task.objects.create(
        plan=plan,
        area=plan.areas.order_by("order").first(),
        number=number or str(order),
        order=order,
        content=content or f"Nhiệm vụ số {order}",
        lead_department=department_of(plan.unit),
        status=status,
        progress_percent=progress,
        completed_on=completed_on,
    )
    if due:
        Milestone.objects.create(task=task, kind=MilestoneKind.DUE, due=due, done_on=done_on)
    return task


def add_target(plan: Plan, value: int, actuals: list[int] = ()) -> Target:
    target = Target.objects.create(
        plan=plan,
        text=f"Tối thiểu {value}% hồ sơ đúng hạn",
        comparator="gte",
        value=Decimal(value),
        unit_label="%",
    )
    for month, actual in enumerate(actuals, start=3):
        Measurement.objects.create(
            target=target,
            period_label=f"Tháng {month}",
            measured_on=date(2026, month, 28),
            value=Decimal(actual),
            source="Báo cáo",
        )
    return target


# --- reports ---------------------------------------------------------------------------------

KINDS = {
    "q1": (PeriodKind.QUARTER, 1, date(2026, 1, 1), date(2026, 3, 31)),
    "h1": (PeriodKind.SIX_MONTH, 1, date(2026, 1, 1), date(2026, 6, 30)),
    "q3": (PeriodKind.QUARTER, 3, date(2026, 7, 1), date(2026, 9, 30)),
    "year": (PeriodKind.YEAR, 0, date(2026, 1, 1), date(2026, 12, 31)),
}


def add_report(
    plan: Plan,
    key: str,
    *,
    sent_on: date | None = None,
    late: bool = False,
    status: str | None = None,
    unit_due: date | None = None,
) -> ReportingPeriod:
    kind, number, start, end = KINDS[key]
    due = unit_due or date(end.year, end.month, 10)
    period = ReportingPeriod.objects.create(
        plan=plan,
        unit_id=plan.unit_id,
        kind=kind,
        year=2026,
        number=number,
        start=start,
        end=end,
        department_due=due,
        unit_due=due,
    )
    if sent_on or status:
        Report.objects.create(
            period=period,
            status=ReportStatus.SENT if sent_on else status,
            sent_at=at(sent_on) if sent_on else None,
            sent_late=late,
        )
    return period


# --- scoring ---------------------------------------------------------------------------------


def scoring_round(province: Unit) -> tuple[Period, Period, CriteriaSet]:
    framework = scoring_services.create_framework(province, year=2026, name="Bộ tiêu chí 2026")
    criteria_set = scoring_services.add_set(framework, UnitGroup.COMMUNE_LEVEL, "Xã, phường")
    six_month = scoring_services.create_period(
        framework,
        kind="six_month",
        name="6 tháng 2026",
        department_due=date(2026, 6, 21),
        submission_due=date(2026, 6, 30),
    )
    year = scoring_services.create_period(
        framework,
        kind="year",
        name="Năm 2026",
        department_due=date(2026, 12, 1),
        submission_due=date(2026, 12, 10),
    )
    return six_month, year, criteria_set


def add_assessment(
    period: Period,
    unit: Unit,
    criteria_set: CriteriaSet,
    status: str,
    index: str,
    *,
    submitted_on: date | None = None,
) -> Assessment:
    return Assessment.objects.create(
        period=period,
        unit=unit,
        criteria_set=criteria_set,
        status=status,
        index=Decimal(index),
        submitted_at=at(submitted_on) if submitted_on else None,
        due_when_submitted=period.submission_due if submitted_on else None,
    )


# --- inspections -----------------------------------------------------------------------------


def add_finding(unit: Unit, status: str, deadline: date, *, year: int = 2026) -> Finding:
    plan = InspectionPlan.objects.filter(unit=unit, year=year).first()
    if plan is None:
        plan = InspectionPlan.objects.create(unit=unit, title=f"Kiểm tra {year}", year=year)
    round_ = plan.rounds.first() or Round.objects.create(
        plan=plan, name="Đợt 1", start=date(year, 3, 1), end=date(year, 3, 10)
    )
    department = department_of(unit)
    return Finding.objects.create(
        round=round_,
        department=department,
        responsible_department=department,
        description="Chưa niêm yết đầy đủ thủ tục hành chính",
        deadline=deadline,
        status=status,
        created_by=author(),
    )


# --- surveys ---------------------------------------------------------------------------------


def add_survey(
    unit: Unit,
    answers: list[tuple[int, int]],
    *,
    year: int = 2026,
    excluded: list[tuple[int, int]] = (),
) -> Campaign:
    """A campaign of `year` with one response per (rating answers, satisfied ones)."""
    questionnaire = Questionnaire.objects.create(unit=unit, title="Phiếu khảo sát")
    campaign = Campaign.objects.create(
        unit=unit,
        questionnaire=questionnaire,
        title=f"Khảo sát {year}",
        starts_on=date(year, 3, 1),
        ends_on=date(year, 5, 31),
    )
    rows = [(a, False) for a in answers] + [(a, True) for a in excluded]
    Response.objects.bulk_create(
        Response(
            campaign=campaign,
            submitted_at=at(date(year, 4, 1)),
            submitted_on=date(year, 4, 1),
            source=ResponseSource.WEB,
            rating_count=ratings,
            rating_sum=ratings * 4,
            satisfied_count=satisfied,
            excluded=is_excluded,
        )
        for (ratings, satisfied), is_excluded in rows
    )
    return campaign


# --- a whole commune -------------------------------------------------------------------------


def full_commune(province: Unit, n: int, periods: tuple[Period, CriteriaSet]) -> Unit:
    """A commune with something of everything; every other one has something late."""
    unit = UnitFactory(
        code=f"{province.code}-X{n:02d}", name=f"Số {n:02d}", kind=UnitKind.COMMUNE, parent=province
    )
    plan = make_plan(unit)
    add_task(plan, status=TaskStatus.DONE, due=date(2026, 3, 31), done_on=date(2026, 3, 20))
    add_task(plan, due=date(2026, 12, 31))
    if n % 2:
        add_task(plan, status=TaskStatus.OVERDUE, due=date(2026, 5, 31))
    add_target(plan, 90, [95])
    add_report(plan, "q1", sent_on=date(2026, 3, 5))
    add_report(plan, "h1", sent_on=date(2026, 6, 12) if n % 2 else date(2026, 6, 8), late=n % 2)
    period, criteria_set = periods
    add_assessment(
        period, unit, criteria_set, "submitted", f"{70 + n}", submitted_on=date(2026, 6, 25)
    )
    add_finding(unit, FindingStatus.OPEN, date(2026, 9, 1))
    add_survey(unit, [(10, 9), (10, 8)])
    return unit


# --- Hải Phòng's two communes ------------------------------------------------------------


@pytest.fixture
def province(world, today):
    """Hải Phòng in July 2026: Thành Đông is behind, Thái Tân is not."""
    td = make_plan(world.thanhdong)
    add_task(td, status=TaskStatus.DONE, due=date(2026, 3, 31), done_on=date(2026, 3, 20))
    add_task(td, status=TaskStatus.OVERDUE, due=date(2026, 5, 31), content="Số hóa hồ sơ")
    add_target(td, 90, [95])
    add_report(td, "q1", sent_on=date(2026, 3, 5))
    add_report(td, "h1", sent_on=date(2026, 6, 15), late=True)
    add_finding(world.thanhdong, FindingStatus.OPEN, date(2026, 6, 1))
    tt = make_plan(world.thaitan, number="9/KH-UBND")
    add_task(tt, status=TaskStatus.DONE, due=date(2026, 3, 31), done_on=date(2026, 3, 20))
    add_task(tt, due=date(2026, 12, 31))
    add_report(tt, "q1", sent_on=date(2026, 3, 9))
    add_report(tt, "h1", sent_on=date(2026, 6, 1))
    six_month, _year, criteria_set = scoring_round(world.haiphong)
    add_assessment(
        six_month, world.thanhdong, criteria_set, "appraised", "75.5", submitted_on=TODAY
    )
    add_assessment(
        six_month, world.thaitan, criteria_set, "submitted", "82", submitted_on=date(2026, 6, 28)
    )
    add_survey(world.thaitan, [(10, 9)])
    # Thanh Hoá's commune must never show on Hải Phòng's board.
    make_plan(world.dongquang, number="99/KH-DQ")
    return world.haiphong
