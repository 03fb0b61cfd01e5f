"""A department's criteria scored on one page: which rows a person may change (and why not),
what is left to complete, and whether the department may hand its scores in.

Reads only: every change goes through `scoring.services.assessment`. The page is read in a
handful of queries whatever the number of criteria: scores with their evidence, assignments
with their people, the departments' submissions and the plan's products.
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, field
from datetime import date
from decimal import Decimal

from django.db.models import QuerySet
from django.utils.translation import gettext as _

from core import clock
from core.numbers import format_number
from core.scoping import Scope
from org.access import Action, can, headed_departments
from org.models import Department, User
from plans.models import Evidence
from scoring.models import (
    Assessment,
    AssessmentStatus,
    Assignment,
    CriterionKind,
    DepartmentSubmission,
    Method,
    Score,
    Source,
    SubmissionStatus,
)
from scoring.services.assessment import Problem, department_scores, problems, score_version
from scoring.services.points import ZERO, tiers_text, to_decimal

HANDED_IN = (SubmissionStatus.SUBMITTED, SubmissionStatus.ACCEPTED)


@dataclass
class Row:
    """One criterion of the grid: its score, how it is scored, and whether it may change."""

    score: Score
    department_id: int | None
    editable: bool
    note: str  # why the row cannot be changed; empty when it can
    problem: Problem | None
    scoring: str  # the way of scoring in words

    @property
    def version(self) -> str:
        """The fingerprint the row's form carries (see `core.versions`)."""
        return score_version(self.score)


@dataclass
class Grid:
    assessment: Assessment
    department: Department | None
    choices: list[Department]
    may_choose_all: bool
    submission: DepartmentSubmission | None
    rows: list[Row] = field(default_factory=list)

    @property
    def editable(self) -> bool:
        return any(r.editable for r in self.rows)

    def summary(self) -> Summary:
        return summary_of([r.score for r in self.rows])


@dataclass(frozen=True)
class Summary:
    """What the top of the grid says about the rows shown: points so far and what is left."""

    self_points: Decimal
    max_points: Decimal
    problems: list[Problem]


def _scores(assessment: Assessment) -> QuerySet[Score]:
    return (
        assessment.scores.select_related("criterion")
        .prefetch_related("evidence")
        .order_by("criterion__sort")
    )


def _assignments(assessment: Assessment, criterion_ids=None) -> dict[int, tuple[int, set[int]]]:
    """{criterion id: (department id, people ids)}, read in one query."""
    found: dict[int, tuple[int, set[int]]] = {}
    rows = Assignment.objects.filter(
        unit_id=assessment.unit_id, criterion__criteria_set_id=assessment.criteria_set_id
    )
    if criterion_ids is not None:
        rows = rows.filter(criterion_id__in=criterion_ids)
    people: dict[int, set[int]] = defaultdict(set)
    for criterion_id, department_id, person_id in rows.values_list(
        "criterion_id", "department_id", "people"
    ):
        if person_id:
            people[criterion_id].add(person_id)
        found[criterion_id] = (department_id, people[criterion_id])
    return found


def scoring_text(criterion) -> str:
    """The way a criterion is scored, in words: its tiers, its deduction, else the method."""
    if criterion.method == Method.TIERS and criterion.tiers:
        return tiers_text(criterion.tiers)
    if criterion.method == Method.DEDUCTION:
        return f"−{format_number(criterion.deduction or ZERO)} / {_('occurrence')}"
    return str(criterion.get_method_display())


def _locked_note(assessment: Assessment) -> str:
    if assessment.period.closed_at is not None and not assessment.is_locked:
        return _("Locked: the period is closed.")
    if assessment.is_locked or assessment.status == AssessmentStatus.APPROVED:
        return _("Locked: %(status)s.") % {"status": assessment.get_status_display().lower()}
    return ""


class _Rules:
    """Who may change which row of one assessment, asked once per department and people."""

    def __init__(self, assessment: Assessment, user: User, submissions) -> None:
        self.assessment = assessment
        self.user = user
        self.locked = _locked_note(assessment)
        self.status = {s.department_id: s.status for s in submissions}
        self._can: dict[Scope, bool] = {}

    def may_edit(self, department_id: int | None, people: set[int]) -> bool:
        scope = Scope(
            unit_id=self.assessment.unit_id,
            department_ids=frozenset({department_id} - {None}),
            assignee_ids=frozenset(people),
        )
        if scope not in self._can:
            self._can[scope] = can(self.user, Action.EDIT, scope)
        return self._can[scope]

    def note(self, score: Score, department_id: int | None, people: set[int]) -> str:
        """Why the row cannot be changed; empty when it can."""
        if score.criterion.source == Source.SURVEY:
            return _("From the province's survey.")
        if self.locked:
            return self.locked
        if self.status.get(department_id) in HANDED_IN:
            return _("Handed in: the focal officer must return it first.")
        if not self.may_edit(department_id, people):
            return _("You cannot change this score.")
        return ""

    def row(self, score: Score, assignments: dict) -> Row:
        department_id, people = assignments.get(score.criterion_id, (None, set()))
        note = self.note(score, department_id, people)
        found = problems([score])
        return Row(
            score=score,
            department_id=department_id,
            editable=not note,
            note=note,
            problem=found[0] if found else None,
            scoring=scoring_text(score.criterion),
        )


def choices(assessment: Assessment, user: User) -> tuple[list[DepartmentSubmission], bool]:
    """The departments whose criteria the person may open in the grid (by their submission),
    and whether all criteria at once may be shown: a department head sees the departments they
    head; the focal officer and anyone else who may view the assessment, every department."""
    submissions = list(
        assessment.submissions.select_related("department").order_by(
            "department__order", "department__name"
        )
    )
    headed = headed_departments(user, assessment.unit_id)
    if can(user, Action.MANAGE, assessment) or not headed:
        return submissions, True
    return [s for s in submissions if s.department_id in headed], False


def build(assessment: Assessment, user: User, department_id: int | None) -> Grid:
    """The grid of one department's criteria (or of all, where the person may see them all);
    an unknown or forbidden department falls back to the first one the person heads."""
    submissions, may_choose_all = choices(assessment, user)
    by_department = {s.department_id: s for s in submissions}
    chosen = by_department.get(department_id)
    if chosen is None:
        headed = headed_departments(user, assessment.unit_id)
        chosen = next((s for s in submissions if s.department_id in headed), None)
        if chosen is None and not may_choose_all and submissions:
            chosen = submissions[0]
    grid = Grid(
        assessment=assessment,
        department=chosen.department if chosen else None,
        choices=[s.department for s in submissions],
        may_choose_all=may_choose_all,
        submission=chosen,
    )
    if chosen is None and not may_choose_all:
        return grid
    assignments = _assignments(assessment)
    rules = _Rules(assessment, user, submissions)
    for score in _scores(assessment):
        department = assignments.get(score.criterion_id, (None, set()))[0]
        if chosen is not None and department != chosen.department_id:
            continue
        grid.rows.append(rules.row(score, assignments))
    return grid


def row(score: Score, user: User) -> Row:
    """One row of the grid, read afresh (after a change)."""
    assessment = score.assessment
    score = _scores(assessment).get(pk=score.pk)
    assignments = _assignments(assessment, [score.criterion_id])
    department_id = assignments.get(score.criterion_id, (None, set()))[0]
    submissions = assessment.submissions.filter(department_id=department_id)
    return _Rules(assessment, user, submissions).row(score, assignments)


def summary(assessment: Assessment, department: Department | int | None) -> Summary:
    """Points so far and what is left to complete, of one department's criteria (or of all)."""
    if department is None:
        return summary_of(list(_scores(assessment)))
    return summary_of(list(department_scores(assessment, department)))


def summary_of(scores: list[Score]) -> Summary:
    """Self-scores so far out of the maximum (penalties taken off, never counted in the maximum),
    and the problems left."""
    earned = top = ZERO
    for score in scores:
        criterion = score.criterion
        if criterion.source == Source.SURVEY:
            continue
        if criterion.kind == CriterionKind.PENALTY:
            earned -= score.self_points or ZERO
        else:
            earned += score.self_points or ZERO
            top += criterion.max_points
    return Summary(self_points=earned, max_points=top, problems=problems(scores))


def products(assessment: Assessment) -> list[Evidence]:
    """The plan tasks' products the commune already uploaded, offered as evidence: read once for
    the whole page."""
    return list(
        Evidence.objects.filter(task__plan__unit=assessment.unit)
        .select_related("task")
        .order_by("-uploaded_at")[:100]
    )


def may_hand_in(
    user: User, assessment: Assessment, submission: DepartmentSubmission | None
) -> bool:
    """The department's head or the focal officer hands the scores in, while the assessment is
    being prepared and the scores are not handed in already."""
    if submission is None:
        return False
    allowed = can(user, Action.MANAGE, assessment) or submission.department_id in (
        headed_departments(user, assessment.unit_id)
    )
    return (
        allowed
        and assessment.status == AssessmentStatus.DRAFT
        and submission.status in (SubmissionStatus.DRAFT, SubmissionStatus.RETURNED)
    )


def past_due(assessment: Assessment, submission: DepartmentSubmission | None) -> date | None:
    """The departments' due date when it has passed and the scores are still to hand in."""
    due = assessment.departments_due
    if submission is None or submission.status in HANDED_IN or clock.today() <= due:
        return None
    return due


def reported_value(criterion, text: str | None, ticked: bool) -> Decimal | None:
    """The value as entered in the grid: a ticked box is 1 and an empty one 0 (a yes-or-no
    criterion is answered by its box), else the number written, blank for none."""
    if criterion.method == Method.YES_NO:
        return Decimal(1) if ticked else ZERO
    return to_decimal(text)
