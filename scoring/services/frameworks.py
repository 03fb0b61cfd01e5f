"""A province's criteria frameworks: their criteria trees, periods, and the copy for a new year."""

from __future__ import annotations

import re
from collections import defaultdict
from collections.abc import Sequence
from dataclasses import dataclass, field, replace
from datetime import date
from decimal import Decimal

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Count, Q
from django.utils.translation import gettext as _

from core.numbers import format_number
from org.models import Unit, UnitKind
from scoring.models import (
    Assessment,
    AssessmentStatus,
    Assignment,
    CriteriaSet,
    Criterion,
    CriterionKind,
    Framework,
    Method,
    Period,
    PeriodAudience,
    Rounding,
    Score,
    Source,
    UnitGroup,
)
from scoring.services.assignment import sync_submissions
from scoring.services.bindings import copy_bindings
from scoring.services.points import ZERO, points_for
from scoring.services.results import recompute


@dataclass
class CriterionData:
    code: str
    name: str
    max_points: Decimal
    method: str = Method.MANUAL
    tiers: list[dict] = field(default_factory=list)
    deduction: Decimal | None = None
    floor: Decimal = ZERO
    evidence_required: str = ""
    source: str = Source.SELF
    kind: str = CriterionKind.REGULAR
    evidence_when_none: bool = False


def _parent_code(code: str) -> str:
    return code.rpartition(".")[0]


def check_tree(rows: Sequence[CriterionData], set_max: Decimal = Decimal(100)) -> list[str]:
    """What is wrong with a criteria tree; empty when it can be saved."""
    errors: list[str] = []
    codes = [r.code for r in rows]
    by_code = {r.code: r for r in rows}
    for code in {c for c in codes if codes.count(c) > 1}:
        errors.append(_("The code %(code)s is used twice.") % {"code": code})
    children: dict[str, list[CriterionData]] = defaultdict(list)
    for row in rows:
        if not re.fullmatch(r"[0-9A-Za-z]+(\.[0-9A-Za-z]+)*", row.code or ""):
            errors.append(_("“%(code)s” is not a code like 1, 1.2 or 1.2.3.") % {"code": row.code})
            continue
        parent = _parent_code(row.code)
        if parent:
            if parent not in by_code:
                errors.append(
                    _("Criterion %(code)s has no parent %(parent)s.")
                    % {"code": row.code, "parent": parent}
                )
            children[parent].append(row)
        if not row.name.strip():
            errors.append(_("Criterion %(code)s has no name.") % {"code": row.code})
        if row.max_points < 0:
            errors.append(_("Criterion %(code)s has a negative maximum.") % {"code": row.code})
        if row.floor > row.max_points:
            errors.append(
                _("The floor of criterion %(code)s is above its maximum.") % {"code": row.code}
            )
    for row in rows:
        kids = children.get(row.code, [])
        if kids:
            total = sum((k.max_points for k in kids), ZERO)
            if total > row.max_points:
                errors.append(
                    _(
                        "The sub-criteria of %(code)s add up to %(total)s points, "
                        "more than its maximum of %(max)s."
                    )
                    % {
                        "code": row.code,
                        "total": format_number(total),
                        "max": format_number(row.max_points),
                    }
                )
            continue
        if row.method == Method.SUM:
            errors.append(
                _("Criterion %(code)s is scored as a sum but has no sub-criteria.")
                % {"code": row.code}
            )
        if row.method == Method.TIERS:
            if not row.tiers:
                errors.append(_("Criterion %(code)s needs its tiers.") % {"code": row.code})
            elif any(Decimal(t["points"]) > row.max_points for t in row.tiers):
                errors.append(
                    _("A tier of criterion %(code)s gives more than its maximum.")
                    % {"code": row.code}
                )
        if row.method == Method.DEDUCTION and not row.deduction:
            errors.append(
                _("Criterion %(code)s needs the points deducted per occurrence.")
                % {"code": row.code}
            )
        if row.method == Method.SURVEY and row.source != Source.SURVEY:
            row.source = Source.SURVEY
    top = [r for r in rows if "." not in r.code and r.kind == CriterionKind.REGULAR]
    total = sum((r.max_points for r in top), ZERO)
    if total > set_max:
        errors.append(
            _("The areas add up to %(total)s points, more than the set's %(max)s.")
            % {"total": format_number(total), "max": format_number(set_max)}
        )
    return errors


# An assessment holds to its criteria set once it has left the commune's hands (approved,
# submitted, appraised...) or its period is closed: what it was scored by stays as it was.
IN_USE = ~Q(status=AssessmentStatus.DRAFT) | Q(period__closed_at__isnull=False)


def _names(units) -> str:
    names = sorted({u.name for u in units})
    shown = ", ".join(names[:5])
    return f"{shown}, …" if len(names) > 5 else shown


def in_use(criteria_set: CriteriaSet) -> bool:
    return Assessment.objects.filter(criteria_set=criteria_set).filter(IN_USE).exists()


def refuse_if_in_use(criteria_set: CriteriaSet) -> None:
    """A set whose points an assessment past the draft (or of a closed period) holds to keeps
    its maxima, ways of scoring and criteria: refused, naming the communes."""
    used = Assessment.objects.filter(criteria_set=criteria_set).filter(IN_USE)
    if used.exists():
        raise ValidationError(
            _(
                "%(units)s already approved or submitted a self-assessment against these "
                "criteria: their maxima, ways of scoring and codes can no longer change, nor can "
                "criteria be added or deleted. Copy the framework for a new year instead."
            )
            % {"units": _names(Unit.objects.filter(assessments__in=used))}
        )


@transaction.atomic
def replace_criteria(criteria_set: CriteriaSet, rows: Sequence[CriterionData]) -> list[Criterion]:
    """The set's criteria become these rows (refused whole if anything is wrong)."""
    errors = check_tree(rows, criteria_set.max_points)
    if errors:
        raise ValidationError(errors)
    refuse_if_in_use(criteria_set)
    if Assessment.objects.filter(criteria_set=criteria_set).exists():
        raise ValidationError(
            _("Communes have already scored against this set; copy the framework instead.")
        )
    criteria_set.criteria.all().delete()
    parents = {_parent_code(r.code) for r in rows}
    created: dict[str, Criterion] = {}
    # Parents first: sorted by depth.
    for row in sorted(rows, key=lambda r: r.code.count(".")):
        kind = row.kind
        parent = created.get(_parent_code(row.code))
        if parent is not None:
            kind = parent.kind
        created[row.code] = Criterion.objects.create(
            criteria_set=criteria_set,
            parent=parent,
            code=row.code,
            name=row.name.strip(),
            max_points=row.max_points,
            method=Method.SUM if row.code in parents else row.method,
            tiers=list(row.tiers),
            deduction=row.deduction,
            floor=row.floor,
            evidence_required=row.evidence_required.strip(),
            source=Source.SURVEY if row.method == Method.SURVEY else row.source,
            kind=kind,
            evidence_when_none=row.evidence_when_none,
            is_leaf=row.code not in parents,
        )
    return list(created.values())


def criterion_rows(criteria_set: CriteriaSet) -> list[CriterionData]:
    return [_as_row(c) for c in criteria_set.criteria.all()]


@transaction.atomic
def create_framework(
    province: Unit,
    *,
    year: int,
    name: str,
    decision_number: str = "",
    decision_date: date | None = None,
    decision_issuer: str = "",
    decimals: int = 2,
    rounding: str = Rounding.HALF_UP,
    is_sample: bool = False,
) -> Framework:
    if province.parent_id is not None:
        raise ValidationError(_("A criteria framework belongs to a province."))
    if Framework.objects.filter(province=province, year=year).exists():
        raise ValidationError(
            _("%(province)s already has a framework for %(year)s.")
            % {"province": province.name, "year": year}
        )
    if not name.strip():
        raise ValidationError(_("Name the framework."))
    _check_rounding(decimals, rounding)
    return Framework.objects.create(
        province=province,
        year=year,
        name=name.strip(),
        decision_number=decision_number.strip(),
        decision_date=decision_date,
        decision_issuer=decision_issuer.strip(),
        decimals=decimals,
        rounding=rounding,
        is_sample=is_sample,
    )


def _check_rounding(decimals: int, rounding: str) -> None:
    if not 0 <= decimals <= 2:
        raise ValidationError(_("Points are kept with 0, 1 or 2 decimals."))
    if rounding not in Rounding.values:
        raise ValidationError(_("Choose how points are rounded."))


@transaction.atomic
def update_framework(
    framework: Framework,
    *,
    name: str,
    decision_number: str = "",
    decision_date: date | None = None,
    decision_issuer: str = "",
    decimals: int = 2,
    rounding: str = Rounding.HALF_UP,
) -> Framework:
    """The framework's name and decision may always be corrected; its rounding only until a
    commune has scored against it."""
    framework = Framework.objects.select_for_update().get(pk=framework.pk)
    if not name.strip():
        raise ValidationError(_("Name the framework."))
    _check_rounding(decimals, rounding)
    if (decimals, rounding) != (framework.decimals, framework.rounding):
        scored = Score.objects.filter(
            assessment__period__framework=framework, value__isnull=False
        ).exists()
        if scored:
            raise ValidationError(
                _(
                    "Communes have already scored against this framework: its rounding can no "
                    "longer change."
                )
            )
    framework.name = name.strip()
    framework.decision_number = decision_number.strip()
    framework.decision_date = decision_date
    framework.decision_issuer = decision_issuer.strip()
    framework.decimals = decimals
    framework.rounding = rounding
    framework.save()
    return framework


def add_set(
    framework: Framework, group: str, name: str, rows: Sequence[CriterionData] = ()
) -> CriteriaSet:
    if group not in UnitGroup.values:
        raise ValidationError(_("Choose the group of units the criteria are for."))
    if framework.sets.filter(group=group).exists():
        raise ValidationError(_("The framework already has criteria for this group of units."))
    if not name.strip():
        name = str(UnitGroup(group).label)
    with transaction.atomic():
        criteria_set = CriteriaSet.objects.create(framework=framework, group=group, name=name)
        if rows:
            replace_criteria(criteria_set, rows)
        return criteria_set


def _shift_year(day: date, years: int) -> date:
    try:
        return day.replace(year=day.year + years)
    except ValueError:  # 29/02
        return day.replace(year=day.year + years, day=28)


@transaction.atomic
def copy_framework(framework: Framework, year: int, *, name: str = "") -> Framework:
    """A new year's framework starting as a copy of this one (criteria with their data rules,
    and periods)."""
    years = year - framework.year
    new = create_framework(
        framework.province,
        year=year,
        name=name or framework.name.replace(str(framework.year), str(year)),
        decision_issuer=framework.decision_issuer,
        decimals=framework.decimals,
        is_sample=framework.is_sample,
    )
    new.rounding = framework.rounding
    new.copied_from = framework
    new.save()
    for criteria_set in framework.sets.all():
        add_set(new, criteria_set.group, criteria_set.name, criterion_rows(criteria_set))
    copy_bindings(framework, new)
    for period in framework.periods.all():
        Period.objects.create(
            framework=new,
            kind=period.kind,
            name=period.name.replace(str(framework.year), str(year)),
            department_due=_shift_year(period.department_due, years),
            submission_due=_shift_year(period.submission_due, years),
            answer_days=period.answer_days,
            # Dates to start from: the province opens the period when the time comes.
            opened_for=PeriodAudience.PLANNED,
        )
    return new


def set_for_unit(framework: Framework, unit: Unit) -> CriteriaSet | None:
    groups = {
        UnitKind.WARD: [UnitGroup.WARD, UnitGroup.COMMUNE_LEVEL],
        UnitKind.COMMUNE: [UnitGroup.COMMUNE, UnitGroup.COMMUNE_LEVEL],
    }.get(unit.kind, [UnitGroup.COMMUNE_LEVEL])
    sets = {s.group: s for s in framework.sets.all()}
    for group in groups:
        if group in sets:
            return sets[group]
    return None


@transaction.atomic
def create_period(
    framework: Framework,
    *,
    kind: str,
    name: str,
    department_due: date,
    submission_due: date,
    answer_days: int = 5,
) -> Period:
    if department_due > submission_due:
        raise ValidationError(
            _("Departments' self-scores must be due before the submission to the province.")
        )
    if framework.periods.filter(kind=kind).exists():
        raise ValidationError(_("This framework already has a period of that kind."))
    return Period.objects.create(
        framework=framework,
        kind=kind,
        name=name,
        department_due=department_due,
        submission_due=submission_due,
        answer_days=answer_days,
    )


# --- editing a criteria tree in place --------------------------------------------------------

# What a criterion's points depend on; its name and the evidence asked for are wording only.
_POINTS_FIELDS = (
    "code",
    "max_points",
    "method",
    "tiers",
    "deduction",
    "floor",
    "source",
    "kind",
    "evidence_when_none",
)


def _as_row(criterion: Criterion) -> CriterionData:
    return CriterionData(
        code=criterion.code,
        name=criterion.name,
        max_points=criterion.max_points,
        method=criterion.method,
        tiers=list(criterion.tiers),
        deduction=criterion.deduction,
        floor=criterion.floor,
        evidence_required=criterion.evidence_required,
        source=criterion.source,
        kind=criterion.kind,
        evidence_when_none=criterion.evidence_when_none,
    )


def _settled(rows: list[CriterionData]) -> list[CriterionData]:
    """The rows as they are stored: a parent is the sum of its children (one without children,
    an area added before its criteria or left without them, is scored by hand within its
    maximum), a sub-criterion takes its area's kind, a survey criterion its source, and only the
    method in use keeps its tiers, deduction and "evidence even with nothing to deduct"."""
    parents = {_parent_code(r.code) for r in rows}
    kinds = {r.code: r.kind for r in rows if "." not in r.code}
    settled = []
    for row in rows:
        if row.code in parents:
            method = Method.SUM
        else:
            method = Method.MANUAL if row.method == Method.SUM else row.method
        settled.append(
            replace(
                row,
                name=row.name.strip(),
                evidence_required=row.evidence_required.strip(),
                method=method,
                tiers=list(row.tiers) if method == Method.TIERS else [],
                deduction=row.deduction if method == Method.DEDUCTION else None,
                evidence_when_none=row.evidence_when_none and method == Method.DEDUCTION,
                source=Source.SURVEY if method == Method.SURVEY else row.source,
                kind=kinds.get(row.code.split(".")[0], row.kind),
            )
        )
    return settled


def _points_of(row: CriterionData) -> tuple:
    return tuple(getattr(row, name) for name in _POINTS_FIELDS)


def _scored(scores) -> dict[int, list[Score]]:
    """Scores a commune has started (a value, an explanation or evidence), by criterion."""
    found: dict[int, list[Score]] = defaultdict(list)
    started = scores.annotate(files=Count("evidence")).filter(
        Q(value__isnull=False) | Q(files__gt=0) | ~Q(explanation="")
    )
    for score in started.select_related("assessment__unit"):
        found[score.criterion_id].append(score)
    return found


@transaction.atomic
def _change_tree(
    criteria_set: CriteriaSet, target: list[tuple[int | None, CriterionData]]
) -> dict[str, Criterion]:
    """The set's criteria become `target` (each row with the id of the criterion it was, or None
    for a new one), keeping every criterion's id so that the communes' assignments and scores
    stay with it. Refused whole when the tree is wrong, when it would change the points of an
    assessment past the draft (`refuse_if_in_use`), or when it would drop or re-read what a
    commune already scored; the communes' drafts then follow: new leaves get a score row, the
    changed ones are re-scored from the values reported, and the totals are recomputed."""
    criteria_set = CriteriaSet.objects.select_for_update().get(pk=criteria_set.pk)
    rows = _settled([row for _pk, row in target])
    errors = check_tree(rows, criteria_set.max_points)
    if errors:
        raise ValidationError(errors)
    wanted = list(zip((pk for pk, _row in target), rows, strict=True))
    current = {c.pk: c for c in criteria_set.criteria.all()}
    # Compared as they would be stored: a stray value an import left unused is no change.
    before = dict(zip(current, _settled([_as_row(c) for c in current.values()]), strict=True))
    parents = {_parent_code(r.code) for r in rows}
    kept = {pk for pk, _row in wanted if pk is not None}
    removed = [c for pk, c in current.items() if pk not in kept]
    breaking: dict[int, Criterion] = {c.pk: c for c in removed if c.is_leaf}
    rescore: set[int] = set()
    edited: set[int] = set()
    for pk, row in wanted:
        if pk is None:
            continue
        old = current[pk]
        if old.is_leaf != (row.code not in parents) or _points_of(before[pk]) != _points_of(row):
            edited.add(pk)
            if old.is_leaf and (
                row.code in parents or row.method != old.method or row.source != old.source
            ):
                breaking[pk] = old
            elif old.is_leaf:
                rescore.add(pk)
    changes_points = bool(removed or edited or None in {pk for pk, _row in wanted})
    if changes_points:
        refuse_if_in_use(criteria_set)
    scores = Score.objects.filter(assessment__criteria_set=criteria_set)
    started = _scored(scores.filter(criterion_id__in=list(breaking)))
    problems = [
        _(
            "%(units)s already scored criterion %(code)s: it cannot be deleted, given "
            "sub-criteria or scored another way while those scores stand."
        )
        % {"units": _names(s.assessment.unit for s in found), "code": breaking[pk].code}
        for pk, found in sorted(started.items(), key=lambda item: breaking[item[0]].sort)
    ]
    if problems:
        raise ValidationError(problems)
    branched = [
        pk for pk, row in wanted if pk is not None and current[pk].is_leaf and row.code in parents
    ]

    # The criteria: deleted, renamed out of each other's way, then written where they change.
    for criterion in removed:
        if Criterion.objects.filter(pk=criterion.pk).exists():  # not gone with its parent
            criterion.delete()
    for pk, row in wanted:
        if pk is not None and current[pk].code != row.code:
            Criterion.objects.filter(pk=pk).update(code=f"~{pk}")
    saved: dict[str, Criterion] = {}
    for pk, row in sorted(wanted, key=lambda item: item[1].code.count(".")):
        criterion = current[pk] if pk is not None else Criterion(criteria_set=criteria_set)
        parent = saved.get(_parent_code(row.code))
        saved[row.code] = criterion
        if (
            pk is not None
            and before[pk] == row
            and criterion.parent_id == (parent.pk if parent else None)
            and criterion.is_leaf == (row.code not in parents)
        ):
            continue
        criterion.parent = parent
        for name in ("code", "name", "max_points", "method", "tiers", "deduction", "floor"):
            setattr(criterion, name, getattr(row, name))
        criterion.evidence_required = row.evidence_required
        criterion.source, criterion.kind = row.source, row.kind
        criterion.evidence_when_none = row.evidence_when_none
        criterion.is_leaf = row.code not in parents
        criterion.save()
    if not changes_points:
        return saved

    # A criterion that now has sub-criteria is no longer assigned nor scored by itself.
    Assignment.objects.filter(criterion_id__in=branched).delete()
    scores.filter(criterion_id__in=branched).delete()
    unfit = []
    for score in scores.filter(criterion_id__in=list(rescore), value__isnull=False).select_related(
        "assessment__unit", "assessment__period__framework", "criterion"
    ):
        try:
            score.self_points = points_for(
                score.criterion, score.value, score.assessment.period.framework
            )
        except ValidationError as exc:
            unfit.append(f"{score.assessment.unit.name}: {' '.join(exc.messages)}")
        else:
            score.save(update_fields=["self_points"])
    if unfit:
        raise ValidationError(
            [_("The scores already reported would not fit the new rule:"), *unfit]
        )
    leaves_now = [c for c in saved.values() if c.is_leaf]
    for assessment in Assessment.objects.filter(criteria_set=criteria_set).select_related(
        "period__framework", "criteria_set", "unit"
    ):
        have = set(assessment.scores.values_list("criterion_id", flat=True))
        Score.objects.bulk_create(
            Score(assessment=assessment, criterion=c) for c in leaves_now if c.pk not in have
        )
        sync_submissions(assessment)
        recompute(assessment)
    return saved


def _rows_of(criteria_set: CriteriaSet) -> list[tuple[int | None, CriterionData]]:
    return [(c.pk, _as_row(c)) for c in criteria_set.criteria.all()]


@transaction.atomic
def save_criterion(
    criteria_set: CriteriaSet, data: CriterionData, criterion: Criterion | None = None
) -> Criterion:
    """A criterion added to the set, or `criterion` changed (its sub-criteria follow a new
    code). See `_change_tree` for what is refused."""
    target = _rows_of(criteria_set)
    if criterion is None:
        if any(row.code == data.code for _pk, row in target):
            raise ValidationError(_("The code %(code)s is used twice.") % {"code": data.code})
        target.append((None, data))
    else:
        if criterion.criteria_set_id != criteria_set.pk:
            raise ValidationError(_("The criterion belongs to another set."))
        old = criterion.code
        changed = []
        for pk, row in target:
            if pk == criterion.pk:
                row = data
            elif row.code.startswith(old + "."):
                row = replace(row, code=data.code + row.code[len(old) :])
            changed.append((pk, row))
        target = changed
    saved = _change_tree(criteria_set, target)
    return saved[data.code]


def subtree(criterion: Criterion) -> list[Criterion]:
    """The criterion and everything under it, in order."""
    return list(
        criterion.criteria_set.criteria.filter(
            Q(pk=criterion.pk) | Q(code__startswith=criterion.code + ".")
        )
    )


@transaction.atomic
def delete_criterion(criterion: Criterion) -> list[str]:
    """The criterion and its sub-criteria deleted; a parent left without sub-criteria becomes a
    criterion scored by hand within its maximum. Returns the codes deleted."""
    criteria_set = criterion.criteria_set
    gone = subtree(criterion)
    target = [(pk, row) for pk, row in _rows_of(criteria_set) if pk not in {c.pk for c in gone}]
    _change_tree(criteria_set, target)
    return [c.code for c in gone]
