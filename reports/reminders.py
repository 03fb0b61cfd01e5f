"""What reports remind people of: a department's part due in 7, 3 and 1 days or late (to the
department's head), a part returned for changes, and the unit's report due or waiting for
approval (to the focal officer and the leadership)."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import date, timedelta

from django.conf import settings
from django.urls import reverse
from django.utils import translation
from django.utils.translation import gettext as _

from core.domains import Reminder
from notify.models import ReminderKind
from org.access import holders
from org.models import Role
from plans.models import Plan
from reports.models import Contribution, ContributionStatus, ReportingPeriod, ReportStatus

DAYS_BEFORE = (7, 3, 1)
OPEN = (ContributionStatus.DRAFT, ContributionStatus.RETURNED)


def _due_text(due: date, on: date) -> tuple[str, str]:
    """(key suffix, words) for a due date seen from `on`."""
    days = (due - on).days
    if days < 0:
        return "late", _("late since %(day)s") % {"day": due.strftime("%d/%m/%Y")}
    if days == 1:
        return "due1", _("due tomorrow")
    return f"due{days}", _("due in %(n)d days") % {"n": days}


def reminders(on: date) -> Iterator[Reminder]:
    watched = {on + timedelta(days=d) for d in DAYS_BEFORE}
    parts = list(
        Contribution.objects.filter(status__in=OPEN)
        .filter(period__department_due__lte=max(watched))
        .exclude(period__report__status__in=[ReportStatus.APPROVED, ReportStatus.SENT])
        .select_related("period")
    )
    parts = [p for p in parts if p.period.department_due in watched or p.period.department_due < on]
    heads = holders(Role.DEPARTMENT_HEAD, departments={p.department_id for p in parts})

    periods = list(
        ReportingPeriod.objects.filter(unit_due__lte=max(watched), unit_due__gte=on - timedelta(60))
        .filter(plan__in=Plan.objects.counted())
        .exclude(report__status__in=[ReportStatus.APPROVED, ReportStatus.SENT])
        .select_related("unit")
    )
    periods = [p for p in periods if p.unit_due in watched or p.unit_due < on]
    unit_ids = {p.unit_id for p in periods}
    focal = holders(Role.FOCAL, units=unit_ids)

    with translation.override(settings.LANGUAGE_CODE):
        for part in parts:
            suffix, words = _due_text(part.period.department_due, on)
            if part.status == ContributionStatus.RETURNED:
                words = _("returned for changes") + ", " + words
            title = _("Report part of %(period)s: %(words)s") % {
                "period": part.period.label,
                "words": words,
            }
            for user_id in sorted(heads.get(part.department_id, ())):
                yield Reminder(
                    user_id=user_id,
                    kind=ReminderKind.REPORT,
                    key=f"contribution:{part.pk}:{suffix}",
                    title=title,
                    url=reverse("report_contribution", args=[part.pk]),
                    due=part.period.department_due,
                )
        for period in periods:
            suffix, words = _due_text(period.unit_due, on)
            title = _("CCHC report of %(period)s to the Department of Home Affairs: %(words)s") % {
                "period": period.label,
                "words": words,
            }
            for user_id in sorted(focal.get(period.unit_id, ())):
                yield Reminder(
                    user_id=user_id,
                    kind=ReminderKind.REPORT,
                    key=f"report:{period.pk}:{suffix}",
                    title=title,
                    url=reverse("report_edit", args=[period.pk]),
                    due=period.unit_due,
                )
