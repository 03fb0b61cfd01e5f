"""Which department (and people) of a commune answers for each criterion, by hand or read from
the plan's list of duties."""

from __future__ import annotations

import re
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from core.text import fold
from org.models import Department, Unit, User
from scoring import handoffs
from scoring.models import (
    Assessment,
    Assignment,
    CriteriaSet,
    Criterion,
    DepartmentSubmission,
    Source,
    SubmissionStatus,
)


@transaction.atomic
def assign(
    unit: Unit,
    criterion: Criterion,
    department: Department,
    people: Sequence[User] = (),
    *,
    duty: str = "",
    matched: bool = False,
) -> Assignment:
    if department.unit_id != unit.pk:
        raise ValidationError(_("The department must belong to the commune."))
    if any(p.unit_id != unit.pk for p in people):
        raise ValidationError(_("Assigned people must work in the commune."))
    if criterion.criteria_set.framework.province_id != unit.province_id:
        raise ValidationError(_("The criterion belongs to another province's framework."))
    assignment, _created = Assignment.objects.update_or_create(
        unit=unit,
        criterion=criterion,
        defaults={"department": department, "duty": duty, "matched": matched},
    )
    assignment.people.set(people)
    return assignment


def leaves(criteria_set: CriteriaSet):
    return criteria_set.criteria.filter(is_leaf=True)


def assignable(criteria_set: CriteriaSet):
    """Criteria a commune department answers for (survey criteria come from the province)."""
    return leaves(criteria_set).exclude(source=Source.SURVEY)


def unassigned(unit: Unit, criteria_set: CriteriaSet) -> list[Criterion]:
    taken = Assignment.objects.filter(unit=unit).values("criterion_id")
    return list(assignable(criteria_set).exclude(pk__in=taken))


_STOP = {
    "va",
    "cua",
    "cac",
    "cho",
    "theo",
    "tren",
    "trong",
    "voi",
    "ve",
    "duoc",
    "thuc",
    "hien",
    "dam",
    "bao",
    "quy",
    "dinh",
    "phuong",
    "xa",
    "ubnd",
    "nam",
    "hang",
    "co",
    "tai",
    "nhu",
    "mot",
    "nhung",
    "de",
    "dung",
    "la",
}


def _words(text: str) -> set[str]:
    return {w for w in re.findall(r"[a-z0-9]+", fold(text)) if len(w) > 1 and w not in _STOP}


def _similarity(criterion_words: set[str], duty_words: set[str]) -> tuple[float, int]:
    """Share of the shorter text's words found in the other, then the number shared."""
    if not criterion_words or not duty_words:
        return 0.0, 0
    shared = len(criterion_words & duty_words)
    return shared / min(len(criterion_words), len(duty_words)), shared


@dataclass
class AssignmentReport:
    assigned: list[Assignment] = field(default_factory=list)
    unmatched_departments: list[str] = field(default_factory=list)
    unassigned: list[Criterion] = field(default_factory=list)


MATCH_THRESHOLD = 0.5


@transaction.atomic
def assign_from_document(
    unit: Unit, criteria_set: CriteriaSet, text: str, *, overwrite: bool = False
) -> AssignmentReport:
    """Assign criteria from a plan's section II ("department: its duties").

    Each criterion goes to the department whose written duty shares the most words with it;
    a criterion no duty resembles enough stays unassigned for a person to choose.
    """
    from ingest.criteria_text import parse_duties
    from org.services import DepartmentMatcher

    report = AssignmentReport()
    matcher = DepartmentMatcher(unit)
    duties: list[tuple[Department, str, set[str]]] = []
    for block in parse_duties(text):
        department = matcher.match(block.department)
        if department is None:
            report.unmatched_departments.append(block.department)
            continue
        for duty in block.duties:
            duties.append((department, duty, _words(duty)))
    existing = set(Assignment.objects.filter(unit=unit).values_list("criterion_id", flat=True))
    for criterion in assignable(criteria_set):
        if criterion.pk in existing and not overwrite:
            continue
        words = _words(criterion.name)
        best = max(
            ((_similarity(words, w), d, duty) for d, duty, w in duties),
            key=lambda t: t[0],
            default=None,
        )
        if best is None or best[0][0] < MATCH_THRESHOLD:
            continue
        report.assigned.append(assign(unit, criterion, best[1], duty=best[2], matched=True))
    report.unassigned = unassigned(unit, criteria_set)
    _sync_unit(unit, criteria_set)
    return report


@dataclass(frozen=True)
class AssignmentChanges:
    """What saving the assignment form did: criteria assigned (anew, to another department or
    to other people) and criteria left without a department."""

    assigned: int = 0
    unassigned: int = 0


@transaction.atomic
def save_assignments(
    unit: Unit, criteria_set: CriteriaSet, chosen: Mapping[int, tuple[int | None, Iterable[int]]]
) -> AssignmentChanges:
    """Assignments chosen by hand, as {criterion id: (department id, people ids)}: a criterion
    whose department or people changed is assigned again; one chosen without a department (None)
    loses its assignment and its people. A department that is not the commune's, and people who
    do not work in it, are passed over."""
    departments = {d.pk: d for d in unit.departments.filter(is_active=True)}
    people = {p.pk: p for p in User.objects.filter(unit=unit, is_active=True)}
    current = {
        a.criterion_id: a
        for a in Assignment.objects.filter(
            unit=unit, criterion__criteria_set=criteria_set
        ).prefetch_related("people")
    }
    assigned, dropped = 0, []
    for criterion in assignable(criteria_set).filter(pk__in=list(chosen)):
        department_id, people_ids = chosen[criterion.pk]
        existing = current.get(criterion.pk)
        if department_id is None:
            if existing is not None:
                dropped.append(existing.pk)
            continue
        department = departments.get(department_id)
        if department is None:
            continue
        picked = [people[i] for i in people_ids if i in people]
        if (
            existing is None
            or existing.department_id != department.pk
            or {p.pk for p in existing.people.all()} != {p.pk for p in picked}
        ):
            assign(unit, criterion, department, picked)
            assigned += 1
    Assignment.objects.filter(pk__in=dropped).delete()
    _sync_unit(unit, criteria_set)
    return AssignmentChanges(assigned=assigned, unassigned=len(dropped))


def _sync_unit(unit: Unit, criteria_set: CriteriaSet) -> None:
    """Every department answering for criteria has its submission in the unit's assessments."""
    for assessment in Assessment.objects.filter(unit=unit, criteria_set=criteria_set):
        sync_submissions(assessment)


def sync_submissions(assessment: Assessment) -> None:
    """A submission for every department answering for criteria of the assessment; a department
    left with none loses its submission while still being scored or returned (its heads' to-do
    is closed), never scores it has handed in or that were accepted."""
    departments = set(
        Assignment.objects.filter(
            unit=assessment.unit, criterion__criteria_set=assessment.criteria_set
        ).values_list("department_id", flat=True)
    )
    released = (
        assessment.submissions.exclude(department_id__in=list(departments))
        .filter(status__in=[SubmissionStatus.DRAFT, SubmissionStatus.RETURNED])
        .select_related("department")
    )
    for submission in released:
        handoffs.department_released(submission)
        submission.delete()
    have = set(assessment.submissions.values_list("department_id", flat=True))
    created = DepartmentSubmission.objects.bulk_create(
        DepartmentSubmission(assessment=assessment, department_id=d) for d in departments - have
    )
    for submission in DepartmentSubmission.objects.filter(
        assessment=assessment, department_id__in=[s.department_id for s in created]
    ).select_related("assessment__period", "department"):
        handoffs.department_to_score(submission)
