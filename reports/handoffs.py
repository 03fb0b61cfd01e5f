"""Who must act next on a period's report: told through notify's hand-offs when a part is
asked for, sent, returned or accepted, and when the report waits for approval or sending."""

from __future__ import annotations

from django.urls import reverse
from django.utils import translation
from django.utils.translation import gettext as _

from core.domains import Handoff
from notify import handoffs
from notify.models import ReminderKind
from org.access import department_heads, holder_ids
from org.models import Role
from reports.models import Contribution, Report, ReportingPeriod


def _part_key(part: Contribution, step: str) -> str:
    return f"report-part:{part.pk}:{step}"


def _report_key(period: ReportingPeriod, step: str) -> str:
    return f"report:{period.pk}:{step}"


def writers(part: Contribution) -> tuple[frozenset[int], bool]:
    """Who writes a department's part: its heads; where the department has no head with an
    account, the focal officers write it for the department (second value True)."""
    heads = frozenset(department_heads(part.department_id))
    if heads:
        return heads, False
    return holder_ids(Role.FOCAL, part.period.unit_id), True


def part_asked(part: Contribution, *, reason: str = "") -> None:
    period = part.period
    people, for_department = writers(part)
    with translation.override("vi"):
        if for_department:
            title = _(
                "Write the report part of %(department)s for %(period)s (the department has no "
                "head with an account)"
            )
        elif reason:
            title = _("Report part of %(department)s for %(period)s returned: %(reason)s")
        else:
            title = _("Send the report part of %(department)s for %(period)s")
        title %= {"department": part.department.name, "period": period.label, "reason": reason}
    handoffs.hand_off(
        Handoff(
            key=_part_key(part, "send"),
            kind=ReminderKind.REPORT,
            title=title,
            people=people,
            url=reverse("report_contribution", args=[part.pk]),
            due=period.department_due,
            # The heads are chased by reports' own reminders; the focal officers are not.
            remind=for_department,
            escalate_to=holder_ids(Role.FOCAL, period.unit_id)
            if not for_department
            else frozenset(),
        )
    )


def _to_unit(period: ReportingPeriod, key: str, title: str, role: Role, url: str, **more) -> None:
    """Hand work of the unit's report to the holders of `role`, due with the report."""
    handoffs.hand_off(
        Handoff(
            key=key,
            kind=ReminderKind.REPORT,
            title=title,
            people=holder_ids(role, period.unit_id),
            url=url,
            due=period.unit_due,
            **more,
        )
    )


def part_sent(part: Contribution) -> None:
    period = part.period
    handoffs.done(_part_key(part, "send"))
    with translation.override("vi"):
        title = _("Review the report part of %(department)s for %(period)s") % {
            "department": part.department.name,
            "period": period.label,
        }
    url = reverse("report_contribution", args=[part.pk])
    _to_unit(period, _part_key(part, "review"), title, Role.FOCAL, url)


def part_returned(part: Contribution) -> None:
    handoffs.done(_part_key(part, "review"))
    part_asked(part, reason=part.return_reason)


def part_accepted(part: Contribution) -> None:
    handoffs.done(_part_key(part, "review"))


def offer_approval(period: ReportingPeriod) -> None:
    """The report is assembled from every part and up to date: the leadership approves it."""
    with translation.override("vi"):
        title = _("Approve the CCHC report of %(period)s") % {"period": period.label}
    url = reverse("report_edit", args=[period.pk])
    _to_unit(period, _report_key(period, "approve"), title, Role.LEADER, url)


def withdraw_approval(period: ReportingPeriod) -> None:
    handoffs.done(_report_key(period, "approve"))


def report_approved(report: Report) -> None:
    period = report.period
    handoffs.done(_report_key(period, "approve"))
    with translation.override("vi"):
        title = _("Send the approved CCHC report of %(period)s to the Department of Home Affairs")
        title %= {"period": period.label}
    url = reverse("report_edit", args=[period.pk])
    leaders = holder_ids(Role.LEADER, period.unit_id)
    _to_unit(period, _report_key(period, "send"), title, Role.FOCAL, url, escalate_to=leaders)


def report_closed(report: Report) -> None:
    """Sent, or back to a draft: nothing of it is waiting for approval or sending."""
    handoffs.done(_report_key(report.period, "send"), _report_key(report.period, "approve"))
