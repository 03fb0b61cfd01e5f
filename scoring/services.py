"""Rules of PAR-index frameworks, assignment, self-assessment, appraisal and results.

Points are Decimal everywhere and rounded the way the framework states (framework.round).
Callable without HTTP; every write is atomic and refuses bad input with a ValidationError.
"""

from __future__ import annotations

import hashlib
import re
from collections import defaultdict
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from datetime import date, timedelta
from decimal import Decimal, InvalidOperation
from typing import IO

from django.core.exceptions import ValidationError
from django.core.files.base import ContentFile
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from core import clock
from core.files import UploadRejected, check_upload
from core.numbers import format_number
from core.text import fold
from org.models import Department, Unit, UnitKind, User
from scoring.models import (
    Assessment,
    AssessmentStatus,
    Assignment,
    CriteriaSet,
    Criterion,
    CriterionKind,
    DepartmentSubmission,
    Framework,
    Method,
    Period,
    Score,
    ScoreEvidence,
    Source,
    SubmissionStatus,
    UnitGroup,
    sort_key,
)

EVIDENCE_KINDS = {"pdf", "docx", "xlsx", "png", "jpg"}
ZERO = Decimal(0)


def to_decimal(text: object) -> Decimal | None:
    """ "0,5", "0.5", 1 → Decimal; blank → None; anything else refused."""
    if text is None:
        return None
    if isinstance(text, Decimal):
        return text
    cleaned = str(text).strip().replace(" ", "").replace(",", ".")
    if not cleaned:
        return None
    try:
        value = Decimal(cleaned)
    except InvalidOperation as exc:
        raise ValidationError(_("“%(text)s” is not a number.") % {"text": text}) from exc
    if not value.is_finite():
        raise ValidationError(_("“%(text)s” is not a number.") % {"text": text})
    return value


# --- tiers ------------------------------------------------------------------------------------

_NUMBER = re.compile(r"\d+(?:[.,]\d+)?")


def parse_tiers(text: str) -> list[dict[str, str]]:
    """ "100%: 1; từ 80% đến dưới 100%: 0,5; dưới 80%: 0" → [{"min": "100", "points": "1"}, ...].

    Each tier is "<condition>: <points>"; the condition's first number is its lower bound, and a
    condition that is only an upper bound ("dưới 80%", "under 80%") starts at 0.
    """
    tiers = []
    for part in re.split(r"[;\n]", text or ""):
        if not part.strip():
            continue
        condition, colon, points = part.rpartition(":")
        if not colon:
            raise ValidationError(
                _("Write each tier as “condition: points”, e.g. “100%%: 1”; got “%(part)s”.")
                % {"part": part.strip()}
            )
        numbers = _NUMBER.findall(condition)
        folded = fold(condition)
        only_upper = bool(re.search(r"\b(duoi|under|below)\b|<", folded)) and not re.search(
            r"\b(tu|from)\b|>=|≥", folded
        )
        low = Decimal(0) if only_upper or not numbers else to_decimal(numbers[0])
        found = _NUMBER.search(points)
        value = to_decimal(found.group(0)) if found else None
        if value is None:
            raise ValidationError(_("A tier has no points: “%(part)s”.") % {"part": part.strip()})
        tiers.append({"min": str(low), "points": str(value)})
    tiers.sort(key=lambda t: Decimal(t["min"]), reverse=True)
    return tiers


def tiers_text(tiers: Sequence[dict]) -> str:
    return "; ".join(
        f"{format_number(Decimal(t['min']))}%: {format_number(Decimal(t['points']))}" for t in tiers
    )


# --- frameworks -------------------------------------------------------------------------------


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


# --- points -----------------------------------------------------------------------------------


def points_for(criterion: Criterion, value: Decimal, framework: Framework) -> Decimal:
    """The points a reported value earns under the criterion's way of scoring."""
    code, top = criterion.code, criterion.max_points
    if not criterion.is_leaf:
        raise ValidationError(
            _("Criterion %(code)s is the sum of its sub-criteria; score those.") % {"code": code}
        )
    if value < 0:
        raise ValidationError(
            _("The value for criterion %(code)s cannot be negative.") % {"code": code}
        )
    method = criterion.method
    if method == Method.YES_NO:
        if value not in (0, 1):
            raise ValidationError(_("Criterion %(code)s is answered yes or no.") % {"code": code})
        points = top if value == 1 else ZERO
    elif method == Method.TIERS:
        if value > 100:
            raise ValidationError(
                _("The ratio for criterion %(code)s is a percentage from 0 to 100.")
                % {"code": code}
            )
        points = ZERO
        for tier in sorted(criterion.tiers, key=lambda t: Decimal(t["min"]), reverse=True):
            if value >= Decimal(tier["min"]):
                points = Decimal(tier["points"])
                break
    elif method == Method.DEDUCTION:
        if value != value.to_integral_value():
            raise ValidationError(
                _("Criterion %(code)s counts occurrences: a whole number.") % {"code": code}
            )
        lost = value * (criterion.deduction or ZERO)
        if criterion.kind == CriterionKind.PENALTY:
            points = min(top, lost)
        else:
            points = max(criterion.floor, top - lost)
    else:
        points = value
    points = framework.round(points)
    check_points(criterion, points)
    return points


def check_points(criterion: Criterion, points: Decimal) -> None:
    if points > criterion.max_points:
        raise ValidationError(
            _("%(points)s points is above the maximum of %(max)s for criterion %(code)s.")
            % {
                "points": format_number(points),
                "max": format_number(criterion.max_points),
                "code": criterion.code,
            }
        )
    if points < criterion.floor:
        raise ValidationError(
            _("%(points)s points is below the floor of %(floor)s for criterion %(code)s.")
            % {
                "points": format_number(points),
                "floor": format_number(criterion.floor),
                "code": criterion.code,
            }
        )


# --- assignment -------------------------------------------------------------------------------


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
    return report


# --- periods and assessments ------------------------------------------------------------------


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


@transaction.atomic
def open_assessment(period: Period, unit: Unit) -> Assessment:
    """The commune's assessment of the period, with a score row per leaf criterion."""
    if not unit.is_commune_level or unit.province_id != period.framework.province_id:
        raise ValidationError(_("Only communes of the framework's province are assessed."))
    assessment = Assessment.objects.filter(period=period, unit=unit).first()
    if assessment is None:
        criteria_set = set_for_unit(period.framework, unit)
        if criteria_set is None:
            raise ValidationError(_("The framework has no criteria for this kind of unit."))
        assessment = Assessment.objects.create(period=period, unit=unit, criteria_set=criteria_set)
    have = set(assessment.scores.values_list("criterion_id", flat=True))
    Score.objects.bulk_create(
        Score(assessment=assessment, criterion=c)
        for c in leaves(assessment.criteria_set)
        if c.pk not in have
    )
    sync_submissions(assessment)
    return assessment


def sync_submissions(assessment: Assessment) -> None:
    departments = set(
        Assignment.objects.filter(
            unit=assessment.unit, criterion__criteria_set=assessment.criteria_set
        ).values_list("department_id", flat=True)
    )
    have = set(assessment.submissions.values_list("department_id", flat=True))
    DepartmentSubmission.objects.bulk_create(
        DepartmentSubmission(assessment=assessment, department_id=d) for d in departments - have
    )


def _assignment_of(score: Score) -> Assignment | None:
    return Assignment.objects.filter(
        unit_id=score.assessment.unit_id, criterion_id=score.criterion_id
    ).first()


def _submission_of(score: Score) -> DepartmentSubmission | None:
    assignment = _assignment_of(score)
    if assignment is None:
        return None
    return DepartmentSubmission.objects.filter(
        assessment_id=score.assessment_id, department_id=assignment.department_id
    ).first()


def _refuse_if_locked(assessment: Assessment) -> None:
    if assessment.is_locked:
        raise ValidationError(
            _("The self-assessment is “%(status)s” and can no longer be changed.")
            % {"status": assessment.get_status_display()}
        )
    if assessment.status == AssessmentStatus.APPROVED:
        raise ValidationError(
            _("The leadership has approved the self-assessment; it can no longer be changed.")
        )


def _refuse_if_handed_in(score: Score) -> None:
    submission = _submission_of(score)
    if submission and submission.status in (SubmissionStatus.SUBMITTED, SubmissionStatus.ACCEPTED):
        raise ValidationError(
            _("The department has handed in its scores; the focal officer must return them first.")
        )


@transaction.atomic
def set_self_score(
    score: Score,
    by: User,
    *,
    value: Decimal | None,
    explanation: str | None = None,
) -> Score:
    """A department's self-score: the reported value becomes points by the criterion's rule."""
    score = (
        Score.objects.select_for_update()
        .select_related("assessment__period__framework", "criterion")
        .get(pk=score.pk)
    )
    assessment = score.assessment
    _refuse_if_locked(assessment)
    _refuse_if_handed_in(score)
    if score.criterion.source == Source.SURVEY:
        raise ValidationError(_("Survey points come from the province, not from self-assessment."))
    if value is None:
        score.value = score.self_points = None
    else:
        score.self_points = points_for(score.criterion, value, assessment.period.framework)
        score.value = value
    if explanation is not None:
        score.explanation = explanation.strip()
    score.updated_by = by
    score.save()
    recompute(assessment)
    return score


@dataclass
class EvidenceData:
    title: str
    document_number: str = ""
    document_date: date | None = None


@transaction.atomic
def add_evidence_file(
    score: Score, by: User, name: str, stream: IO[bytes], data: EvidenceData
) -> ScoreEvidence:
    _refuse_if_locked(score.assessment)
    _refuse_if_handed_in(score)
    try:
        kind = check_upload(name, stream, EVIDENCE_KINDS)
    except UploadRejected as exc:
        raise ValidationError(str(exc)) from exc
    stream.seek(0)
    content = stream.read()
    evidence = ScoreEvidence(
        score=score,
        title=(data.title or name).strip()[:500],
        document_number=data.document_number.strip(),
        document_date=data.document_date,
        original_name=name[:255],
        kind=kind,
        size=len(content),
        sha256=hashlib.sha256(content).hexdigest(),
        added_by=by,
    )
    evidence.file.save(name, ContentFile(content), save=False)
    evidence.save()
    return evidence


@transaction.atomic
def link_task_evidence(score: Score, by: User, task_evidence, data: EvidenceData) -> ScoreEvidence:
    """Evidence that is a plan task's product already uploaded: linked, not copied."""
    _refuse_if_locked(score.assessment)
    _refuse_if_handed_in(score)
    if task_evidence.task.plan.unit_id != score.assessment.unit_id:
        raise ValidationError(_("The product belongs to another unit's plan."))
    return ScoreEvidence.objects.create(
        score=score,
        title=(data.title or task_evidence.original_name).strip()[:500],
        document_number=data.document_number.strip(),
        document_date=data.document_date,
        task_evidence=task_evidence,
        original_name=task_evidence.original_name,
        kind=task_evidence.kind,
        size=task_evidence.size,
        sha256=task_evidence.sha256,
        added_by=by,
    )


@transaction.atomic
def remove_evidence(evidence: ScoreEvidence) -> None:
    _refuse_if_locked(evidence.score.assessment)
    _refuse_if_handed_in(evidence.score)
    evidence.delete()


@dataclass(frozen=True)
class Problem:
    code: str
    name: str
    message: str
    score_id: int


def problems(scores: Iterable[Score]) -> list[Problem]:
    """Why these scores cannot be handed in: missing scores, evidence and explanations.

    Pass scores with `criterion` selected and `evidence` prefetched.
    """
    found = []
    for score in scores:
        criterion = score.criterion
        if criterion.source == Source.SURVEY:
            continue
        items = list(score.evidence.all())
        message = None
        if score.self_points is None:
            message = _("not scored yet")
        elif score.self_points > 0 and not items:
            message = _("scored above zero without evidence")
        elif score.self_points > 0 and not any(e.is_complete for e in items):
            if not score.explanation.strip():
                message = _(
                    "evidence without a document number and date needs a written explanation"
                )
        elif score.self_points == 0 and not items and not score.explanation.strip():
            message = _("no evidence: write an explanation")
        if message:
            found.append(Problem(criterion.code, criterion.name, str(message), score.pk))
    return sorted(found, key=lambda p: sort_key(p.code))


def department_scores(assessment: Assessment, department: Department):
    ids = Assignment.objects.filter(
        unit=assessment.unit, department=department, criterion__criteria_set=assessment.criteria_set
    ).values("criterion_id")
    return (
        assessment.scores.filter(criterion_id__in=ids)
        .select_related("criterion")
        .prefetch_related("evidence")
        .order_by("criterion__sort")
    )


def _problem_error(found: list[Problem]) -> ValidationError:
    lines = [f"{p.code}: {p.message}" for p in found]
    return ValidationError(
        [_("Nothing was handed in; fix these criteria first:"), *lines], code="problems"
    )


@transaction.atomic
def submit_department(submission: DepartmentSubmission, by: User) -> DepartmentSubmission:
    _refuse_if_locked(submission.assessment)
    if submission.status in (SubmissionStatus.SUBMITTED, SubmissionStatus.ACCEPTED):
        raise ValidationError(_("These scores have already been handed in."))
    found = problems(department_scores(submission.assessment, submission.department))
    if found:
        raise _problem_error(found)
    submission.status = SubmissionStatus.SUBMITTED
    submission.submitted_by, submission.submitted_at = by, timezone.now()
    submission.save()
    return submission


@transaction.atomic
def review_department(
    submission: DepartmentSubmission, by: User, *, accept: bool, note: str = ""
) -> DepartmentSubmission:
    _refuse_if_locked(submission.assessment)
    if submission.status != SubmissionStatus.SUBMITTED and accept:
        raise ValidationError(_("Only handed-in scores can be accepted."))
    if submission.status not in (SubmissionStatus.SUBMITTED, SubmissionStatus.ACCEPTED):
        raise ValidationError(_("Only handed-in scores can be returned."))
    if not accept and not note.strip():
        raise ValidationError(_("Say what the department must correct."))
    submission.status = SubmissionStatus.ACCEPTED if accept else SubmissionStatus.RETURNED
    submission.review_note = note.strip()
    submission.save()
    return submission


def _all_scores(assessment: Assessment):
    return (
        assessment.scores.select_related("criterion")
        .prefetch_related("evidence")
        .order_by("criterion__sort")
    )


@transaction.atomic
def approve(assessment: Assessment, by: User) -> Assessment:
    """The leadership approves the consolidated self-assessment."""
    if assessment.status != AssessmentStatus.DRAFT:
        raise ValidationError(_("Only a self-assessment being prepared can be approved."))
    missing = [c.code for c in unassigned(assessment.unit, assessment.criteria_set)]
    if missing:
        raise ValidationError(
            _("Criteria not assigned to a department: %(codes)s.") % {"codes": ", ".join(missing)}
        )
    waiting = [
        s.department.name
        for s in assessment.submissions.select_related("department")
        if s.status != SubmissionStatus.ACCEPTED
    ]
    if waiting:
        raise ValidationError(
            _("The focal officer has not accepted the scores of: %(names)s.")
            % {"names": "; ".join(waiting)}
        )
    found = problems(_all_scores(assessment))
    if found:
        raise _problem_error(found)
    assessment.status = AssessmentStatus.APPROVED
    assessment.approved_by, assessment.approved_at = by, timezone.now()
    assessment.save()
    return assessment


@transaction.atomic
def submit(assessment: Assessment, by: User) -> Assessment:
    """Sent to the province; from now on the commune's scores are locked."""
    if assessment.status != AssessmentStatus.APPROVED:
        raise ValidationError(_("The leadership must approve the self-assessment first."))
    assessment.status = AssessmentStatus.SUBMITTED
    assessment.submitted_by, assessment.submitted_at = by, timezone.now()
    assessment.save()
    return assessment


@transaction.atomic
def withdraw(assessment: Assessment, by: User, *, on: date | None = None) -> Assessment:
    """Before the deadline and before appraisal, the commune takes its submission back."""
    on = on or clock.today()
    if assessment.status not in (AssessmentStatus.APPROVED, AssessmentStatus.SUBMITTED):
        raise ValidationError(_("Only an approved or submitted self-assessment can be withdrawn."))
    if on > assessment.period.submission_due:
        raise ValidationError(
            _("The deadline of %(due)s has passed; the submission can no longer be withdrawn.")
            % {"due": assessment.period.submission_due.strftime("%d/%m/%Y")}
        )
    if assessment.scores.exclude(appraised_points=None).exists():
        raise ValidationError(_("The province has started appraising; it cannot be withdrawn."))
    assessment.status = AssessmentStatus.DRAFT
    assessment.approved_by = assessment.approved_at = None
    assessment.submitted_by = assessment.submitted_at = None
    assessment.save()
    # Departments correct their scores: handed-in work goes back to them.
    assessment.submissions.update(status=SubmissionStatus.RETURNED)
    return assessment


# --- appraisal --------------------------------------------------------------------------------


@transaction.atomic
def appraise_score(score: Score, by: User, *, points: Decimal, reason: str = "") -> Score:
    """The province's score of one criterion; the commune's self-score is never touched."""
    score = (
        Score.objects.select_for_update()
        .select_related("assessment__period__framework", "criterion")
        .get(pk=score.pk)
    )
    if score.assessment.status != AssessmentStatus.SUBMITTED:
        raise ValidationError(_("Appraisal is done while the self-assessment is submitted."))
    points = score.assessment.period.framework.round(points)
    check_points(score.criterion, points)
    if (
        score.criterion.source != Source.SURVEY
        and points != score.self_points
        and not reason.strip()
    ):
        raise ValidationError(
            _("Give the reason for appraising criterion %(code)s differently.")
            % {"code": score.criterion.code}
        )
    score.appraised_points = points
    score.appraisal_reason = reason.strip()
    score.updated_by = by
    score.save()
    recompute(score.assessment)
    return score


@transaction.atomic
def send_appraisal(assessment: Assessment, by: User, *, on: date | None = None) -> Assessment:
    """Send the appraised scores to the commune, which may answer once within the set days."""
    on = on or clock.today()
    if assessment.status != AssessmentStatus.SUBMITTED:
        raise ValidationError(_("Only a submitted self-assessment can be appraised."))
    missing_survey = assessment.scores.filter(
        criterion__source=Source.SURVEY, appraised_points=None
    ).select_related("criterion")
    if missing_survey:
        raise ValidationError(
            _("Enter the survey points first: %(codes)s.")
            % {"codes": ", ".join(s.criterion.code for s in missing_survey)}
        )
    # Criteria the appraiser left alone keep the commune's score.
    for score in assessment.scores.filter(appraised_points=None):
        score.appraised_points = score.self_points or ZERO
        score.updated_by = by
        score.save()
    assessment.status = AssessmentStatus.APPRAISED
    assessment.appraised_at = timezone.now()
    assessment.answer_due = on + timedelta(days=assessment.period.answer_days)
    assessment.save()
    recompute(assessment)
    return assessment


@transaction.atomic
def answer_appraisal(
    assessment: Assessment, by: User, answers: dict[int, str], *, on: date | None = None
) -> Assessment:
    """The commune's one answer (giải trình) to the appraisal, within the set time."""
    on = on or clock.today()
    if assessment.status == AssessmentStatus.ANSWERED:
        raise ValidationError(_("The commune has already answered the appraisal once."))
    if assessment.status != AssessmentStatus.APPRAISED:
        raise ValidationError(_("There is no appraisal to answer."))
    if assessment.answer_due and on > assessment.answer_due:
        raise ValidationError(
            _("The time to answer ended on %(due)s.")
            % {"due": assessment.answer_due.strftime("%d/%m/%Y")}
        )
    texts = {pk: text.strip() for pk, text in answers.items() if text and text.strip()}
    if not texts:
        raise ValidationError(_("Write the answer for at least one criterion."))
    scores = {s.pk: s for s in assessment.scores.filter(pk__in=list(texts))}
    if len(scores) != len(texts):
        raise ValidationError(_("An answer refers to a criterion of another assessment."))
    for pk, text in texts.items():
        score = scores[pk]
        score.answer = text
        score.updated_by = by
        score.save()
    assessment.status = AssessmentStatus.ANSWERED
    assessment.answered_at = timezone.now()
    assessment.save()
    return assessment


@transaction.atomic
def close(
    assessment: Assessment,
    by: User,
    finals: dict[int, Decimal] | None = None,
    *,
    on: date | None = None,
) -> Assessment:
    """The province closes with final scores (the appraised ones unless changed here)."""
    on = on or clock.today()
    finals = finals or {}
    if assessment.status not in (AssessmentStatus.APPRAISED, AssessmentStatus.ANSWERED):
        raise ValidationError(_("Only an appraised self-assessment can be closed."))
    if (
        assessment.status == AssessmentStatus.APPRAISED
        and assessment.answer_due
        and on <= assessment.answer_due
    ):
        raise ValidationError(
            _("The commune may still answer until %(due)s.")
            % {"due": assessment.answer_due.strftime("%d/%m/%Y")}
        )
    framework = assessment.period.framework
    for score in assessment.scores.select_related("criterion"):
        final = finals.get(score.pk)
        final = score.appraised_points if final is None else framework.round(final)
        check_points(score.criterion, final)
        if final != score.final_points:
            score.final_points = final
            score.updated_by = by
            score.save()
    assessment.status = AssessmentStatus.CLOSED
    assessment.closed_at = timezone.now()
    assessment.save()
    recompute(assessment)
    return assessment


# --- results ----------------------------------------------------------------------------------


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


def by_department(result: Results) -> list[GroupResult]:
    """Points of the criteria each department answers for: feeds its year-end rating."""
    groups: dict[str, GroupResult] = {}
    for row in result.rows:
        c = row.criterion
        if not c.is_leaf or c.kind != CriterionKind.REGULAR or c.source == Source.SURVEY:
            continue
        name = row.department.name if row.department else _("Not assigned")
        g = groups.setdefault(name, GroupResult(name, ZERO, ZERO, 0, 0))
        g.max_points += c.max_points
        g.points += row.points
        g.criteria += 1
        g.below_max += int(row.points < c.max_points)
    return sorted(groups.values(), key=lambda g: (-g.percent, g.name))


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
            g = groups.setdefault(user_id, GroupResult(name, ZERO, ZERO, 0, 0))
            g.max_points += c.max_points
            g.points += row.points
            g.criteria += 1
            g.below_max += int(row.points < c.max_points)
    return sorted(groups.values(), key=lambda g: (-g.percent, g.name))
