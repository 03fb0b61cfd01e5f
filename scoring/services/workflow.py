"""The next step of a self-assessment as one person sees it: what they may do now and, when it is
someone else's turn, who that is. The pages show only the buttons named here."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import date

from django.utils import timezone
from django.utils.translation import gettext as _

from core import clock
from org.access import Action, can, headed_departments, holders
from org.models import Role, User
from scoring.models import Assessment, AssessmentStatus, DepartmentSubmission, SubmissionStatus
from scoring.services.assignment import unassigned


@dataclass(frozen=True)
class NextStep:
    """`actions`: the workflow steps the person may take now (names of the assessment page's
    buttons); `hand_in` and `review`: the departments' parts they may hand in or review;
    `message`: what comes next, in words; `who`: the people whose turn it is when not theirs."""

    message: str
    actions: frozenset[str] = frozenset()
    hand_in: frozenset[int] = frozenset()
    review: frozenset[int] = frozenset()
    who: list[str] = field(default_factory=list)

    @property
    def can_act(self) -> bool:
        return bool(self.actions or self.hand_in or self.review)


def _names(user_ids: Iterable[int]) -> list[str]:
    people = User.objects.filter(pk__in=list(user_ids), is_active=True).order_by("full_name")
    return [p.full_name or p.username for p in people]


def _holders(role: str, unit_id: int) -> list[str]:
    return _names(holders(role, units=[unit_id]).get(unit_id, set()))


def _day(value: date) -> str:
    return value.strftime("%d/%m/%Y")


def next_step(assessment: Assessment, user, *, on: date | None = None) -> NextStep:
    on = on or clock.today()
    manage = can(user, Action.MANAGE, assessment)
    approve = can(user, Action.APPROVE, assessment)
    appraise = can(user, Action.APPRAISE, assessment)
    status = assessment.status
    unit_id, province_id = assessment.unit_id, assessment.unit.province_id
    extend = frozenset({"extend"}) if appraise else frozenset()
    closed = assessment.period.closed_at
    if closed is not None and status != AssessmentStatus.CLOSED:
        return NextStep(
            _("The period was closed on %(day)s; nothing in it can change any more.")
            % {"day": _day(timezone.localdate(closed))}
        )
    if status == AssessmentStatus.DRAFT:
        return _draft(assessment, user, manage, approve, extend)
    if status == AssessmentStatus.APPROVED:
        withdraw = {"withdraw"} if on <= assessment.due else set()
        if manage or approve:
            return NextStep(
                _("Approved by the leadership: submit it to the province by %(due)s.")
                % {"due": _day(assessment.due)},
                frozenset({"submit"} | withdraw) | extend,
            )
        return NextStep(
            _("Approved by the leadership; the focal officer submits it to the province."),
            extend,
            who=_holders(Role.FOCAL, unit_id),
        )
    if status == AssessmentStatus.SUBMITTED:
        if appraise:
            return NextStep(
                _("Appraise the criteria you score differently, then send the appraisal."),
                frozenset({"send_appraisal"}),
            )
        started = assessment.scores.exclude(appraised_points=None).exists()
        actions = (
            frozenset({"withdraw"})
            if (manage or approve) and on <= assessment.due and not started
            else frozenset()
        )
        return NextStep(
            _("Submitted to the province; the Department of Home Affairs appraises it."),
            actions,
            who=_holders(Role.APPRAISER, province_id),
        )
    if status == AssessmentStatus.APPRAISED:
        due = assessment.answer_due
        open_ = due is None or on <= due
        if appraise:
            if open_:
                return NextStep(
                    _("The commune may answer until %(due)s; close after that.")
                    % {"due": _day(due) if due else "—"},
                    extend,
                    who=_holders(Role.FOCAL, unit_id),
                )
            return NextStep(
                _("The time to answer has passed: close with the appraised scores."),
                frozenset({"close"}) | extend,
            )
        if manage and open_:
            return NextStep(
                _(
                    "Answer the criteria you disagree with on their pages (text and evidence) "
                    "by %(due)s, then send the answer once."
                )
                % {"due": _day(due) if due else "—"},
                frozenset({"answer"}),
            )
        if open_:
            return NextStep(
                _("The focal officer answers the appraisal by %(due)s.")
                % {"due": _day(due) if due else "—"},
                who=_holders(Role.FOCAL, unit_id),
            )
        return NextStep(
            _("The time to answer has passed; the province closes with final scores."),
            who=_holders(Role.APPRAISER, province_id),
        )
    if status == AssessmentStatus.ANSWERED:
        if appraise:
            undecided = assessment.scores.exclude(answer="").filter(decision="").count()
            if undecided:
                message = _(
                    "The commune answered: decide each answered criterion on its page (%(n)d "
                    "left), then close."
                ) % {"n": undecided}
            else:
                message = _("Every answer is decided: close with the final scores.")
            return NextStep(message, frozenset({"close"}))
        return NextStep(
            _("The commune has answered; the province decides and closes with final scores."),
            who=_holders(Role.APPRAISER, province_id),
        )
    return NextStep(
        _("Closed with final scores on %(day)s.")
        % {"day": _day(timezone.localdate(assessment.closed_at)) if assessment.closed_at else "—"}
    )


def _draft(assessment: Assessment, user, manage: bool, approve: bool, extend) -> NextStep:
    submissions = list(assessment.submissions.select_related("department"))
    heads = headed_departments(user, assessment.unit_id)
    hand_in = frozenset(
        s.pk
        for s in submissions
        if s.status in (SubmissionStatus.DRAFT, SubmissionStatus.RETURNED)
        and (manage or s.department_id in heads)
    )
    review = frozenset(
        s.pk for s in submissions if manage and s.status == SubmissionStatus.SUBMITTED
    )
    waiting = [s for s in submissions if s.status != SubmissionStatus.ACCEPTED]
    due = _day(assessment.departments_due)
    if not submissions or unassigned(assessment.unit, assessment.criteria_set):
        return NextStep(
            _("Assign every criterion to a department first."),
            extend,
            who=[] if manage else _holders(Role.FOCAL, assessment.unit_id),
        )
    if not waiting:
        if approve:
            return NextStep(
                _("Every department's scores are accepted: approve the self-assessment."),
                frozenset({"approve"}) | extend,
            )
        return NextStep(
            _("Every department's scores are accepted; the leadership approves next."),
            extend,
            who=_holders(Role.LEADER, assessment.unit_id),
        )
    mine = [s for s in submissions if s.pk in hand_in and s.department_id in heads]
    if mine:
        return NextStep(
            _("Score your department's criteria and hand them in by %(due)s.") % {"due": due},
            extend,
            hand_in,
            review,
        )
    if review:
        return NextStep(
            _("Review what the departments handed in: %(names)s.")
            % {"names": "; ".join(s.department.name for s in submissions if s.pk in review)},
            extend,
            hand_in,
            review,
        )
    return NextStep(
        _("Waiting for the departments' scores (due %(due)s): %(names)s.")
        % {"due": due, "names": "; ".join(s.department.name for s in waiting)},
        extend,
        hand_in,
        review,
        who=_department_heads(waiting),
    )


def _department_heads(submissions: list[DepartmentSubmission]) -> list[str]:
    found = holders(Role.DEPARTMENT_HEAD, departments=[s.department_id for s in submissions])
    return _names(set().union(*found.values()) if found else set())
