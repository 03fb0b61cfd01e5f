"""What the PAR index reminds people of: self-scores due (department heads), submission due
(focal officers) 7, 3 and 1 days before, and the commune's answer to the appraisal (giải trình)."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import date, timedelta

from django.conf import settings
from django.utils import translation
from django.utils.translation import gettext as _

from core.domains import Reminder
from notify.models import ReminderKind
from org.models import Role, RoleGrant
from scoring.models import Assessment, AssessmentStatus, DepartmentSubmission, SubmissionStatus

DAYS_BEFORE = (7, 3, 1)


def _grants(role: str, **filters) -> dict[int, list[int]]:
    found: dict[int, list[int]] = {}
    key = "department_id" if role == Role.DEPARTMENT_HEAD else "unit_id"
    for grant in RoleGrant.objects.filter(role=role, user__is_active=True, **filters):
        found.setdefault(getattr(grant, key), []).append(grant.user_id)
    return found


def reminders(on: date) -> Iterator[Reminder]:
    days = {on + timedelta(days=d): d for d in DAYS_BEFORE}
    with translation.override(settings.LANGUAGE_CODE):
        submissions = DepartmentSubmission.objects.filter(
            status__in=[SubmissionStatus.DRAFT, SubmissionStatus.RETURNED],
            assessment__status=AssessmentStatus.DRAFT,
            assessment__period__department_due__in=list(days),
        ).select_related("assessment__period", "department")
        heads = _grants(
            Role.DEPARTMENT_HEAD, department_id__in=[s.department_id for s in submissions]
        )
        for s in submissions:
            due = s.assessment.period.department_due
            for user_id in heads.get(s.department_id, []):
                yield Reminder(
                    user_id=user_id,
                    kind=ReminderKind.ASSESSMENT,
                    key=f"scoring-dept:{s.pk}:due{days[due]}",
                    title=_("PAR-index self-scores of %(dep)s due in %(n)d days (%(period)s)")
                    % {"dep": s.department.name, "n": days[due], "period": s.assessment.period},
                    url=f"/scoring/assessments/{s.assessment_id}/",
                    due=due,
                )
        open_ones = Assessment.objects.filter(
            status__in=[AssessmentStatus.DRAFT, AssessmentStatus.APPROVED],
            period__submission_due__in=list(days),
        ).select_related("period")
        focals = _grants(Role.FOCAL, unit_id__in=[a.unit_id for a in open_ones])
        for a in open_ones:
            due = a.period.submission_due
            for user_id in focals.get(a.unit_id, []):
                yield Reminder(
                    user_id=user_id,
                    kind=ReminderKind.ASSESSMENT,
                    key=f"scoring-submit:{a.pk}:due{days[due]}",
                    title=_("PAR-index self-assessment to submit to the province in %(n)d days")
                    % {"n": days[due]},
                    url=f"/scoring/assessments/{a.pk}/",
                    due=due,
                )
        answering = Assessment.objects.filter(
            status=AssessmentStatus.APPRAISED, answer_due__gte=on
        ).select_related("period")
        focals = _grants(Role.FOCAL, unit_id__in=[a.unit_id for a in answering])
        for a in answering:
            for user_id in focals.get(a.unit_id, []):
                yield Reminder(
                    user_id=user_id,
                    kind=ReminderKind.ASSESSMENT,
                    key=f"scoring-answer:{a.pk}:{a.answer_due.isoformat()}",
                    title=_("Answer the province's appraisal by %(due)s")
                    % {"due": a.answer_due.strftime("%d/%m/%Y")},
                    url=f"/scoring/assessments/{a.pk}/",
                    due=a.answer_due,
                )
