"""Results of assessments: points of every node of the criteria tree, the stored totals, a
commune's results against earlier periods, the province's ranking, and points by department and
by person."""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from decimal import Decimal

from django.http import Http404
from django.shortcuts import get_object_or_404
from django.utils.translation import gettext as _

from org.access import sees_ranking
from org.models import Department, User
from scoring.models import (
    Assessment,
    Assignment,
    CriteriaSet,
    Criterion,
    CriterionKind,
    Framework,
    Period,
    Score,
    Source,
)
from scoring.services.points import ZERO


def tree_points(
    criteria: Sequence[Criterion], leaf_points: dict[int, Decimal], framework: Framework
) -> dict[int, Decimal]:
    """Points of every node: a leaf's own, a parent's the sum of its children capped at its max."""
    totals: dict[int, Decimal] = {}
    for criterion in sorted(criteria, key=lambda c: -c.depth):
        if criterion.is_leaf:
            totals[criterion.pk] = leaf_points.get(criterion.pk, ZERO)
        else:
            totals.setdefault(criterion.pk, ZERO)
        parent = criterion.parent_id
        if parent is not None:
            totals[parent] = totals.get(parent, ZERO) + totals[criterion.pk]
        if not criterion.is_leaf or parent is None:
            totals[criterion.pk] = framework.round(min(totals[criterion.pk], criterion.max_points))
    return totals


@dataclass
class Totals:
    area_points: dict[int, Decimal]
    points: Decimal
    survey: Decimal
    bonus: Decimal
    penalty: Decimal
    index: Decimal


def compute_totals(
    criteria: Sequence[Criterion],
    leaf_points: dict[int, Decimal],
    framework: Framework,
    set_max: Decimal,
) -> Totals:
    nodes = tree_points(criteria, leaf_points, framework)
    tops = [c for c in criteria if c.parent_id is None]
    sums = defaultdict(lambda: ZERO)
    for top in tops:
        if top.kind == CriterionKind.REGULAR:
            key = "survey" if top.source == Source.SURVEY or _all_survey(top, criteria) else "self"
        else:
            key = top.kind
        sums[key] += nodes[top.pk]
    total = sums["self"] + sums["survey"] + sums["bonus"] - sums["penalty"]
    index = framework.round(total / set_max * 100) if set_max else ZERO
    return Totals(
        {t.pk: nodes[t.pk] for t in tops},
        framework.round(sums["self"]),
        framework.round(sums["survey"]),
        framework.round(sums["bonus"]),
        framework.round(sums["penalty"]),
        index,
    )


def _all_survey(top: Criterion, criteria: Sequence[Criterion]) -> bool:
    inside = [c for c in criteria if c.is_leaf and c.code.startswith(top.code + ".")]
    return bool(inside) and all(c.source == Source.SURVEY for c in inside)


def recompute(assessment: Assessment) -> Assessment:
    """Store the assessment's totals so that ranking reads one row per commune."""
    framework = assessment.period.framework
    criteria = list(assessment.criteria_set.criteria.all())
    rows = list(
        assessment.scores.values_list(
            "criterion_id", "self_points", "appraised_points", "final_points"
        )
    )
    current = {cid: next((v for v in (f, a, s) if v is not None), ZERO) for cid, s, a, f in rows}
    own = {cid: s or ZERO for cid, s, _a, _f in rows}
    totals = compute_totals(criteria, current, framework, assessment.criteria_set.max_points)
    self_totals = compute_totals(criteria, own, framework, assessment.criteria_set.max_points)
    assessment.area_points = {str(k): str(v) for k, v in totals.area_points.items()}
    assessment.points = totals.points
    assessment.survey_points = totals.survey
    assessment.bonus_points = totals.bonus
    assessment.penalty_points = totals.penalty
    assessment.index = totals.index
    assessment.self_points = self_totals.points + self_totals.bonus - self_totals.penalty
    Assessment.objects.filter(pk=assessment.pk).update(
        area_points=assessment.area_points,
        points=assessment.points,
        survey_points=assessment.survey_points,
        bonus_points=assessment.bonus_points,
        penalty_points=assessment.penalty_points,
        index=assessment.index,
        self_points=assessment.self_points,
    )
    return assessment


@dataclass
class ResultRow:
    criterion: Criterion
    self_points: Decimal | None
    appraised: Decimal | None
    final: Decimal | None
    points: Decimal
    department: Department | None
    score: Score | None = None

    @property
    def lost(self) -> Decimal:
        return self.criterion.max_points - self.points

    @property
    def percent(self) -> int:
        top = self.criterion.max_points
        return int(self.points / top * 100) if top else 0


@dataclass
class Results:
    assessment: Assessment
    rows: list[ResultRow]
    areas: list[ResultRow]
    previous: Assessment | None
    last_year: Assessment | None

    @property
    def change_since_previous(self) -> Decimal | None:
        return self.assessment.index - self.previous.index if self.previous else None

    @property
    def change_since_last_year(self) -> Decimal | None:
        return self.assessment.index - self.last_year.index if self.last_year else None

    def points_lost(self) -> list[ResultRow]:
        """Leaves below their maximum, biggest losses first: what the commune must fix."""
        lost = [
            r
            for r in self.rows
            if r.criterion.is_leaf and r.criterion.kind == CriterionKind.REGULAR and r.lost > 0
        ]
        return sorted(lost, key=lambda r: (-r.lost, r.criterion.sort))


def previous_assessments(assessment: Assessment) -> tuple[Assessment | None, Assessment | None]:
    period = assessment.period
    earlier = (
        Assessment.objects.filter(
            unit=assessment.unit, period__submission_due__lt=period.submission_due
        )
        .select_related("period__framework")
        .order_by("-period__submission_due")
    )
    previous = earlier.first()
    last_year = earlier.filter(
        period__framework__year=period.framework.year - 1, period__kind=period.kind
    ).first()
    return previous, last_year


def results(assessment: Assessment) -> Results:
    framework = assessment.period.framework
    criteria = list(assessment.criteria_set.criteria.all())
    scores = {s.criterion_id: s for s in assessment.scores.all()}
    current = {cid: s.points or ZERO for cid, s in scores.items()}
    nodes = tree_points(criteria, current, framework)
    departments = {
        a.criterion_id: a.department
        for a in Assignment.objects.filter(
            unit=assessment.unit, criterion__criteria_set=assessment.criteria_set
        ).select_related("department")
    }
    rows = []
    for c in criteria:
        s = scores.get(c.pk)
        rows.append(
            ResultRow(
                criterion=c,
                self_points=s.self_points if s else None,
                appraised=s.appraised_points if s else None,
                final=s.final_points if s else None,
                points=nodes[c.pk],
                department=departments.get(c.pk),
                score=s,
            )
        )
    previous, last_year = previous_assessments(assessment)
    return Results(
        assessment, rows, [r for r in rows if r.criterion.parent_id is None], previous, last_year
    )


@dataclass
class RankRow:
    rank: int
    assessment: Assessment
    area_points: list[Decimal]


@dataclass
class Spread:
    area: Criterion
    low: Decimal
    high: Decimal
    mean: Decimal


@dataclass
class Ranking:
    period: Period
    areas: list[Criterion]
    rows: list[RankRow]
    spreads: list[Spread]


def period_for_ranking(user: User, pk: int) -> Period:
    """The period whose ranking the person asked for, or a 404 when they may not see it."""
    period = get_object_or_404(Period.objects.select_related("framework__province"), pk=pk)
    ranked = Assessment.objects.filter(period=period)
    if not sees_ranking(user, period.framework.province, ranked):
        raise Http404
    return period


def ranking(period: Period, criteria_set: CriteriaSet | None = None) -> Ranking:
    """The province's communes by index, with the spread of points per area."""
    framework = period.framework
    sets = [criteria_set] if criteria_set else list(framework.sets.all())
    areas = list(
        Criterion.objects.filter(criteria_set__in=sets, parent=None).order_by(
            "criteria_set", "sort"
        )
    )
    assessments = list(
        Assessment.objects.filter(period=period, criteria_set__in=sets)
        .select_related("unit")
        .order_by("-index", "unit__name")
    )
    rows = []
    rank = 0
    previous = None
    for position, assessment in enumerate(assessments, start=1):
        if assessment.index != previous:
            rank, previous = position, assessment.index
        stored = assessment.area_points
        rows.append(RankRow(rank, assessment, [Decimal(stored.get(str(a.pk), "0")) for a in areas]))
    spreads = []
    for i, area in enumerate(areas):
        values = [r.area_points[i] for r in rows]
        if values:
            mean = framework.round(sum(values, ZERO) / len(values))
            spreads.append(Spread(area, min(values), max(values), mean))
    return Ranking(period, areas, rows, spreads)


@dataclass
class GroupResult:
    name: str
    max_points: Decimal
    points: Decimal
    criteria: int
    below_max: int

    @property
    def percent(self) -> int:
        return int(self.points / self.max_points * 100) if self.max_points else 0

    def add(self, row: ResultRow) -> None:
        top = row.criterion.max_points
        self.max_points += top
        self.points += row.points
        self.criteria += 1
        self.below_max += int(row.points < top)


def _ranked(groups: Iterable[GroupResult]) -> list[GroupResult]:
    return sorted(groups, key=lambda g: (-g.percent, g.name))


def by_department(result: Results) -> list[GroupResult]:
    """Points of the criteria each department answers for: feeds its year-end rating."""
    groups: dict[str, GroupResult] = {}
    for row in result.rows:
        c = row.criterion
        if not c.is_leaf or c.kind != CriterionKind.REGULAR or c.source == Source.SURVEY:
            continue
        name = row.department.name if row.department else _("Not assigned")
        groups.setdefault(name, GroupResult(name, ZERO, ZERO, 0, 0)).add(row)
    return _ranked(groups.values())


def by_person(result: Results) -> list[GroupResult]:
    """Points of the criteria each assigned person answers for."""
    through = Assignment.people.through
    people: dict[int, list[tuple[int, str]]] = defaultdict(list)
    for criterion_id, user_id, full_name, username in through.objects.filter(
        assignment__unit=result.assessment.unit,
        assignment__criterion__criteria_set=result.assessment.criteria_set,
    ).values_list("assignment__criterion_id", "user_id", "user__full_name", "user__username"):
        people[criterion_id].append((user_id, full_name or username))
    groups: dict[int, GroupResult] = {}
    for row in result.rows:
        c = row.criterion
        if not c.is_leaf or c.kind != CriterionKind.REGULAR:
            continue
        for user_id, name in people.get(c.pk, []):
            groups.setdefault(user_id, GroupResult(name, ZERO, ZERO, 0, 0)).add(row)
    return _ranked(groups.values())
