"""Who must act next in a PAR-index round, told through notify's hand-offs: a department asked to
score its criteria (again, when returned), the focal officer with scores to review, the
leadership with a self-assessment to approve, the focal officer with one to submit, the province
with one to appraise and to close, the commune with an appraisal to answer."""

from __future__ import annotations

from django.urls import reverse
from django.utils import translation
from django.utils.translation import gettext_lazy

from core.domains import Handoff
from notify import handoffs
from notify.models import ReminderKind
from org.access import department_heads, holder_ids
from org.models import Role
from scoring.models import (
    Assessment,
    AssessmentStatus,
    DeadlineStage,
    DepartmentSubmission,
    SubmissionStatus,
)

STEPS = ("approve", "submit", "appraise", "answer", "close")


def _key(assessment: Assessment, step: str) -> str:
    return f"par:{assessment.pk}:{step}"


def _part_key(submission: DepartmentSubmission, step: str) -> str:
    return f"par-part:{submission.pk}:{step}"


def _hand(assessment: Assessment, key: str, title: str, people, **more) -> None:
    handoffs.hand_off(
        Handoff(
            key=key,
            kind=ReminderKind.ASSESSMENT,
            title=title,
            people=frozenset(people),
            url=reverse("scoring_assessment", args=[assessment.pk]),
            **more,
        )
    )


def _words(text, **values) -> str:
    """A lazily translated sentence, in Vietnamese, with its values."""
    with translation.override("vi"):
        return str(text) % values


def department_to_score(submission: DepartmentSubmission, *, note: str = "") -> None:
    assessment, name = submission.assessment, submission.department.name
    if note:
        title = _words(
            gettext_lazy("PAR-index scores of %(department)s returned: %(note)s"),
            department=name,
            note=note,
        )
    else:
        title = _words(
            gettext_lazy("Score the PAR-index criteria of %(department)s"), department=name
        )
    # The heads are chased by scoring's own reminders of the departments' due date.
    _hand(
        assessment,
        _part_key(submission, "score"),
        title,
        department_heads(submission.department_id),
        due=assessment.departments_due,
        remind=False,
    )


def department_released(submission: DepartmentSubmission) -> None:
    """The department answers for no criterion any more: nothing is left for its heads to score."""
    handoffs.done(_part_key(submission, "score"))


def department_submitted(submission: DepartmentSubmission) -> None:
    assessment = submission.assessment
    handoffs.done(_part_key(submission, "score"))
    title = _words(
        gettext_lazy("Review the PAR-index scores of %(department)s"),
        department=submission.department.name,
    )
    focal = holder_ids(Role.FOCAL, assessment.unit_id)
    _hand(
        assessment,
        _part_key(submission, "review"),
        title,
        focal,
        due=assessment.due,
    )


def department_reviewed(submission: DepartmentSubmission, *, ready: bool) -> None:
    """Accepted or returned; when every department is accepted, the leadership approves."""
    handoffs.done(_part_key(submission, "review"))
    assessment = submission.assessment
    if ready:
        title = _words(
            gettext_lazy("Approve the PAR-index self-assessment of %(unit)s"), unit=assessment.unit
        )
        leaders = holder_ids(Role.LEADER, assessment.unit_id)
        _hand(
            assessment,
            _key(assessment, "approve"),
            title,
            leaders,
            due=assessment.due,
        )


def approved(assessment: Assessment) -> None:
    handoffs.done(_key(assessment, "approve"))
    title = _words(gettext_lazy("Submit the approved PAR-index self-assessment to the province"))
    _to_focal(assessment, "submit", title, assessment.due)


def submitted(assessment: Assessment) -> None:
    handoffs.done(_key(assessment, "submit"))
    title = _words(
        gettext_lazy("Appraise the PAR-index self-assessment of %(unit)s"), unit=assessment.unit
    )
    _hand(assessment, _key(assessment, "appraise"), title, _appraisers(assessment))


def withdrawn(assessment: Assessment) -> None:
    handoffs.done(*(_key(assessment, step) for step in STEPS))
    for submission in assessment.submissions.select_related("department"):
        department_to_score(
            submission, note=_words(gettext_lazy("the self-assessment was withdrawn"))
        )


def appraisal_sent(assessment: Assessment) -> None:
    handoffs.done(_key(assessment, "appraise"))
    title = _words(gettext_lazy("Answer the province's appraisal of the PAR-index self-assessment"))
    _to_focal(assessment, "answer", title, assessment.answer_due)


def answered(assessment: Assessment) -> None:
    handoffs.done(_key(assessment, "answer"))
    title = _words(gettext_lazy("Close the PAR-index appraisal of %(unit)s"), unit=assessment.unit)
    _hand(assessment, _key(assessment, "close"), title, _appraisers(assessment))


def closed(assessment: Assessment) -> None:
    handoffs.done(*(_key(assessment, step) for step in STEPS))


def period_closed(assessment: Assessment) -> None:
    """The period closed before the commune submitted: nothing is left for anyone to do."""
    handoffs.done(*(_key(assessment, step) for step in STEPS))
    for submission in assessment.submissions.all():
        handoffs.done(_part_key(submission, "score"), _part_key(submission, "review"))


def _to_focal(assessment: Assessment, step: str, title: str, due) -> None:
    """The commune's focal officer acts; the leadership is told once it is late."""
    _hand(
        assessment,
        _key(assessment, step),
        title,
        holder_ids(Role.FOCAL, assessment.unit_id),
        due=due,
        escalate_to=holder_ids(Role.LEADER, assessment.unit_id),
    )


def _appraisers(assessment: Assessment) -> frozenset[int]:
    return holder_ids(Role.APPRAISER, assessment.unit.province_id)


def deadline_moved(assessment: Assessment, stage: str) -> None:
    """The open work of that stage keeps its people and takes the new due date."""
    if stage == DeadlineStage.DEPARTMENTS:
        for submission in assessment.submissions.select_related("department").filter(
            status__in=[SubmissionStatus.DRAFT, SubmissionStatus.RETURNED]
        ):
            department_to_score(submission, note=submission.review_note)
    elif stage == DeadlineStage.SUBMISSION and assessment.status == AssessmentStatus.APPROVED:
        approved(assessment)
    elif stage == DeadlineStage.ANSWER:
        appraisal_sent(assessment)
