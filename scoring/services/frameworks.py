"""A province's criteria frameworks: their criteria trees, periods, and the copy for a new year."""

from __future__ import annotations

import re
from collections import defaultdict
from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import date
from decimal import Decimal

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from core.numbers import format_number
from org.models import Unit, UnitKind
from scoring.models import (
    Assessment,
    CriteriaSet,
    Criterion,
    CriterionKind,
    Framework,
    Method,
    Period,
    Source,
    UnitGroup,
)
from scoring.services.points import ZERO


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


@transaction.atomic
def replace_criteria(criteria_set: CriteriaSet, rows: Sequence[CriterionData]) -> list[Criterion]:
    """The set's criteria become these rows (refused whole if anything is wrong)."""
    errors = check_tree(rows, criteria_set.max_points)
    if errors:
        raise ValidationError(errors)
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
    return [
        CriterionData(
            code=c.code,
            name=c.name,
            max_points=c.max_points,
            method=c.method,
            tiers=list(c.tiers),
            deduction=c.deduction,
            floor=c.floor,
            evidence_required=c.evidence_required,
            source=c.source,
            kind=c.kind,
            evidence_when_none=c.evidence_when_none,
        )
        for c in criteria_set.criteria.all()
    ]


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
    return Framework.objects.create(
        province=province,
        year=year,
        name=name.strip(),
        decision_number=decision_number,
        decision_date=decision_date,
        decision_issuer=decision_issuer,
        decimals=decimals,
        is_sample=is_sample,
    )


def add_set(
    framework: Framework, group: str, name: str, rows: Sequence[CriterionData] = ()
) -> CriteriaSet:
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
    """A new year's framework starting as a copy of this one (criteria and periods)."""
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
    for period in framework.periods.all():
        Period.objects.create(
            framework=new,
            kind=period.kind,
            name=period.name.replace(str(framework.year), str(year)),
            department_due=_shift_year(period.department_due, years),
            submission_due=_shift_year(period.submission_due, years),
            answer_days=period.answer_days,
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
