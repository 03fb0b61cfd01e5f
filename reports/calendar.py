"""Report dates for the calendar feeds: a department's part due, and the unit's report due for
its focal officer and leadership."""

from __future__ import annotations

from django.utils import translation
from django.utils.translation import gettext as _

from core.domains import CalendarEvent
from org.models import Department, Role, User
from plans.models import Plan
from reports.models import Contribution, ContributionStatus, ReportingPeriod, ReportStatus

OPEN = (ContributionStatus.DRAFT, ContributionStatus.RETURNED)


def _part_events(department_ids) -> list[CalendarEvent]:
    parts = Contribution.objects.filter(department_id__in=department_ids, status__in=OPEN)
    return [
        CalendarEvent(
            uid=f"report-part-{part.pk}",
            day=part.period.department_due,
            summary=_("Send the report part of %(period)s") % {"period": part.period.label},
            description=part.department.name,
        )
        for part in parts.select_related("period", "department")
    ]


def department_events(department: Department) -> list[CalendarEvent]:
    with translation.override("vi"):
        return _part_events([department.pk])


def person_events(person: User) -> list[CalendarEvent]:
    grants = list(person.grants.all())
    headed = [g.department_id for g in grants if g.role == Role.DEPARTMENT_HEAD]
    units = [g.unit_id for g in grants if g.role in (Role.FOCAL, Role.LEADER)]
    with translation.override("vi"):
        events = _part_events(headed)
        periods = ReportingPeriod.objects.filter(
            unit_id__in=units, plan__in=Plan.objects.counted()
        ).exclude(report__status=ReportStatus.SENT)
        events += [
            CalendarEvent(
                uid=f"report-{period.pk}",
                day=period.unit_due,
                summary=_("CCHC report of %(period)s due") % {"period": period.label},
                description=period.plan.title,
            )
            for period in periods.select_related("plan")
        ]
    return events
