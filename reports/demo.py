"""Demo reports: Thành Đông's periods of 2026 (the six-month report sent, the third quarter's
parts coming in, the year not yet asked for), Thái Tân's closed 2025 year report, and the 2026
periods of the communes that issued seed 001's plan as their own:

- Thái Tân: the first quarter, six months and third quarter sent; the year's parts asked for;
- Đông Quang: the first quarter and six months sent (one part late); the third quarter's report
  assembled, waiting for the leadership's approval; the year's parts sent, waiting for review;
- Thành Sen: the first quarter, six months and third quarter sent; the year's parts asked for
  (it has no department head with an account: the focal officer writes them).
"""

from __future__ import annotations

from datetime import timedelta

from django.db import transaction

from core import clock
from org.access import holders_of
from org.models import Role, User
from plans.models import Plan
from reports import services
from reports.models import PeriodKind

TRAINING = "Tổ chức hội nghị triển khai kế hoạch và tập huấn nghiệp vụ CCHC cho công chức."


def _holder(plan: Plan, role: Role) -> User | None:
    people = holders_of(role, plan.unit_id)
    return people[0] if people else None


def _finish(
    period, focal, leader, *, send: bool, late: int | None = None, approve: bool = True
) -> None:
    """Every part written, accepted, the report assembled and approved (and sent), each step on
    the day it would have happened: the parts a day before their due date (part number `late`
    three days after it), the report the day before the unit's due date. Without `approve` the
    report waits, assembled, for the leadership."""
    with clock.as_of(period.department_due - timedelta(days=10)):
        services.open_contributions(period)
    for index, part in enumerate(period.contributions.order_by("pk")):
        section = part.sections.exclude(area=None).first() or part.sections.first()
        if section is not None and not section.proposals:
            section.proposals = "Đề nghị tiếp tục tổ chức tập huấn nghiệp vụ CCHC."
            section.save()
        sent = period.department_due + timedelta(days=3 if index == late else -1)
        with clock.as_of(sent):
            services.submit_contribution(part, focal, confirm_empty_areas=True)
            services.review_contribution(part, focal, accept=True)
    with clock.as_of(
        max(period.unit_due - timedelta(days=1), period.department_due + timedelta(3))
    ):
        report = services.assemble_report(period, focal)
        report.number = report.number or "58"
        report.save()
        if not approve:
            return
        services.approve_report(report, leader)
        if send:
            services.mark_sent(report)


def _thanh_dong() -> None:
    plan = Plan.objects.filter(unit__code="31-THANHDONG").order_by("-period_end").first()
    if plan is None:
        return
    focal, leader = _holder(plan, Role.FOCAL), _holder(plan, Role.LEADER)
    periods = {(p.kind, p.number): p for p in services.ensure_periods(plan)}
    half = periods[(PeriodKind.SIX_MONTH, 1)]
    if not half.contributions.exists():
        _finish(periods[(PeriodKind.QUARTER, 1)], focal, leader, send=True, late=1)
        _finish(half, focal, leader, send=True)
    third = periods[(PeriodKind.QUARTER, 3)]
    if not third.contributions.exists():
        services.open_contributions(third)
        parts = list(third.contributions.select_related("department").order_by("pk"))
        for index, part in enumerate(parts):
            if index % 3 == 2:
                continue  # still being written
            section = part.sections.exclude(area=None).first() or part.sections.first()
            section.results = f"{TRAINING}\n{section.results}"
            section.save()
            services.submit_contribution(part, focal, confirm_empty_areas=True)
            if index % 3 == 0:
                services.review_contribution(part, focal, accept=True)


def _thai_tan() -> None:
    plan = Plan.objects.filter(unit__code="31-THAITAN", period_end__year=2025).first()
    if plan is None:
        return
    periods = {(p.kind, p.number): p for p in services.ensure_periods(plan)}
    year = periods.get((PeriodKind.YEAR, 0))
    if year is not None and not year.contributions.exists():
        _finish(year, _holder(plan, Role.FOCAL), _holder(plan, Role.LEADER), send=True)


QUARTER_1, HALF, QUARTER_3, YEAR = (
    (PeriodKind.QUARTER, 1),
    (PeriodKind.SIX_MONTH, 1),
    (PeriodKind.QUARTER, 3),
    (PeriodKind.YEAR, 0),
)


def _year_2026(code: str, *, late_half: bool = False, waiting: bool = False) -> None:
    """The commune's 2026 periods: the first quarter and six months sent (a part of the six
    months late with `late_half`); the third quarter sent, or with `waiting` assembled for the
    leadership's approval while the year's parts, sent, wait for review; else the year's parts
    are asked for."""
    plan = Plan.objects.filter(unit__code=code, period_start__year=2026).first()
    if plan is None:
        return
    periods = {(p.kind, p.number): p for p in services.ensure_periods(plan)}
    if periods[YEAR].contributions.exists():
        return  # already loaded
    focal, leader = _holder(plan, Role.FOCAL), _holder(plan, Role.LEADER)
    _finish(periods[QUARTER_1], focal, leader, send=True)
    _finish(periods[HALF], focal, leader, send=True, late=1 if late_half else None)
    _finish(periods[QUARTER_3], focal, leader, send=not waiting, approve=not waiting)
    services.open_contributions(periods[YEAR])
    if waiting:
        for part in periods[YEAR].contributions.order_by("pk"):
            section = part.sections.exclude(area=None).first() or part.sections.first()
            section.results = f"{TRAINING}\n{section.results}"
            section.save()
            services.submit_contribution(part, focal, confirm_empty_areas=True)


@transaction.atomic
def load() -> None:
    _thanh_dong()
    _thai_tan()
    _year_2026("31-THAITAN")
    _year_2026("38-DONGQUANG", late_half=True, waiting=True)
    _year_2026("42-THANHSEN")
