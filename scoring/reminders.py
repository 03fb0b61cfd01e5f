"""What the PAR index reminds people of: self-scores due (department heads), submission due
(focal officers) 7, 3 and 1 days before, and the commune's answer to the appraisal (giải trình)."""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from datetime import date, timedelta

from django.conf import settings
from django.db.models import Q
from django.utils import translation
from django.utils.translation import gettext as _

from core.domains import Reminder
from notify.models import ReminderKind
from org.access import holders
from org.models import Role
from scoring.models import Assessment, AssessmentStatus, DepartmentSubmission, SubmissionStatus

DAYS_BEFORE = (7, 3, 1)


def _to(
    people: Iterable[int], *, key: str, title: str, assessment_id: int, due: date
) -> Iterator[Reminder]:
    for user_id in sorted(people):
        yield Reminder(
            user_id=user_id,
            kind=ReminderKind.ASSESSMENT,
            key=key,
            title=title,
            url=f"/scoring/assessments/{assessment_id}/",
            due=due,
        )


def reminders(on: date) -> Iterator[Reminder]:
    days = {on + timedelta(days=d): d for d in DAYS_BEFORE}
    with translation.override(settings.LANGUAGE_CODE):
        submissions = (
            DepartmentSubmission.objects.filter(
                status__in=[SubmissionStatus.DRAFT, SubmissionStatus.RETURNED],
                assessment__status=AssessmentStatus.DRAFT,
                assessment__period__closed_at=None,
            )
            .filter(
                Q(assessment__department_due__in=list(days))
                | Q(
                    assessment__department_due=None,
                    assessment__period__department_due__in=list(days),
                )
            )
            .select_related("assessment__period", "department")
        )
        heads = holders(Role.DEPARTMENT_HEAD, departments=[s.department_id for s in submissions])
        for s in submissions:
            due = s.assessment.departments_due
            yield from _to(
                heads.get(s.department_id, ()),
                key=f"scoring-dept:{s.pk}:due{days[due]}",
                title=_("PAR-index self-scores of %(dep)s due in %(n)d days (%(period)s)")
                % {"dep": s.department.name, "n": days[due], "period": s.assessment.period},
                assessment_id=s.assessment_id,
                due=due,
            )
        open_ones = (
            Assessment.objects.filter(
                status__in=[AssessmentStatus.DRAFT, AssessmentStatus.APPROVED],
                period__closed_at=None,
            )
            .filter(
                Q(submission_due__in=list(days))
                | Q(submission_due=None, period__submission_due__in=list(days))
            )
            .select_related("period")
        )
        focals = holders(Role.FOCAL, units=[a.unit_id for a in open_ones])
        for a in open_ones:
            due = a.due
            yield from _to(
                focals.get(a.unit_id, ()),
                key=f"scoring-submit:{a.pk}:due{days[due]}",
                title=_("PAR-index self-assessment to submit to the province in %(n)d days")
                % {"n": days[due]},
                assessment_id=a.pk,
                due=due,
            )
        answering = Assessment.objects.filter(
            status=AssessmentStatus.APPRAISED, answer_due__gte=on
        ).select_related("period")
        focals = holders(Role.FOCAL, units=[a.unit_id for a in answering])
        for a in answering:
            yield from _to(
                focals.get(a.unit_id, ()),
                key=f"scoring-answer:{a.pk}:{a.answer_due.isoformat()}",
                title=_("Answer the province's appraisal by %(due)s")
                % {"due": a.answer_due.strftime("%d/%m/%Y")},
                assessment_id=a.pk,
                due=a.answer_due,
            )
