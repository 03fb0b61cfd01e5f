"""PAR-index scoring in the API: frameworks and their criteria, periods, self-assessments, scores,
results and the ranking. Read-only, scoped like the pages."""

from datetime import date, datetime
from decimal import Decimal

from django.shortcuts import get_object_or_404
from ninja import Field, Router, Schema
from ninja.pagination import paginate

from core.api import Id, OptionalId, Year
from org.access import followed_provinces
from org.shortcuts import visible_or_404, visible_rows
from scoring import services
from scoring.models import Assessment, Criterion, Framework, Period

router = Router(tags=["scoring"])


class FrameworkOut(Schema):
    id: int
    province_code: str = Field(..., alias="province.code")
    year: int
    name: str
    decision_number: str
    decision_date: date | None
    status: str


class CriterionOut(Schema):
    id: int
    group: str = Field(..., alias="criteria_set.group")
    code: str
    name: str
    parent_id: int | None
    max_points: Decimal
    method: str
    source: str
    kind: str
    is_leaf: bool


class ScoringPeriodOut(Schema):
    id: int
    framework_id: int
    kind: str
    name: str
    department_due: date
    submission_due: date
    closed_at: datetime | None


class AssessmentOut(Schema):
    id: int
    period_id: int
    unit_code: str = Field(..., alias="unit.code")
    unit_name: str = Field(..., alias="unit.name")
    status: str
    submitted_at: datetime | None
    self_points: Decimal
    points: Decimal
    survey_points: Decimal
    bonus_points: Decimal
    penalty_points: Decimal
    index: Decimal


class ScoreOut(Schema):
    id: int
    criterion_id: int
    criterion_code: str = Field(..., alias="criterion.code")
    value: Decimal | None
    self_points: Decimal | None
    explanation: str
    appraised_points: Decimal | None
    appraisal_reason: str
    final_points: Decimal | None


class AreaPointsOut(Schema):
    code: str
    name: str
    max_points: Decimal
    points: Decimal


class AssessmentResultsOut(Schema):
    assessment: AssessmentOut
    areas: list[AreaPointsOut]


class RankOut(Schema):
    rank: int
    unit_code: str
    unit_name: str
    index: Decimal
    status: str


class RankingOut(Schema):
    period_id: int
    rows: list[RankOut]


def _frameworks(user):
    """The frameworks a person reads: those of the provinces they follow or belong to."""
    return Framework.objects.filter(province_id__in=followed_provinces(user)).select_related(
        "province"
    )


def _framework(request, framework_id: int) -> Framework:
    return get_object_or_404(_frameworks(request.user), pk=framework_id)


def _assessment(request, assessment_id: int) -> Assessment:
    assessments = Assessment.objects.select_related("unit", "period__framework", "criteria_set")
    return visible_or_404(request, assessments, assessment_id)


@router.get("/scoring/frameworks", response=list[FrameworkOut], summary="PAR-index frameworks")
@paginate
def list_frameworks(request, year: Year = None):
    frameworks = _frameworks(request.user)
    if year:
        frameworks = frameworks.filter(year=year)
    return frameworks.order_by("-year", "province__name")


@router.get("/scoring/frameworks/{framework_id}", response=FrameworkOut)
def get_framework(request, framework_id: Id):
    return _framework(request, framework_id)


@router.get("/scoring/frameworks/{framework_id}/criteria", response=list[CriterionOut])
def framework_criteria(request, framework_id: Id):
    framework = _framework(request, framework_id)
    return (
        Criterion.objects.filter(criteria_set__framework=framework)
        .select_related("criteria_set")
        .order_by("criteria_set__group", "sort")
    )


@router.get("/scoring/periods", response=list[ScoringPeriodOut], summary="Assessment periods")
@paginate
def list_periods(request, framework: OptionalId = None):
    periods = Period.objects.filter(framework__in=_frameworks(request.user))
    if framework:
        periods = periods.filter(framework_id=framework)
    return periods.order_by("-department_due", "pk")


@router.get("/scoring/periods/{period_id}/ranking", response=RankingOut)
def period_ranking(request, period_id: Id):
    period = services.period_for_ranking(request.user, period_id)
    ranking = services.ranking(period)
    return {
        "period_id": period.pk,
        "rows": [
            {
                "rank": row.rank,
                "unit_code": row.assessment.unit.code,
                "unit_name": row.assessment.unit.name,
                "index": row.assessment.index,
                "status": row.assessment.status,
            }
            for row in ranking.rows
        ],
    }


@router.get("/scoring/assessments", response=list[AssessmentOut], summary="Self-assessments")
@paginate
def list_assessments(request, period: OptionalId = None, unit: str = ""):
    assessments = Assessment.objects.select_related("unit")
    order = ("-period__department_due", "unit__name", "pk")
    return visible_rows(request, assessments, *order, period_id=period, unit__code=unit)


@router.get("/scoring/assessments/{assessment_id}", response=AssessmentOut)
def get_assessment(request, assessment_id: Id):
    return _assessment(request, assessment_id)


@router.get("/scoring/assessments/{assessment_id}/scores", response=list[ScoreOut])
def assessment_scores(request, assessment_id: Id):
    assessment = _assessment(request, assessment_id)
    return assessment.scores.select_related("criterion").order_by("criterion__sort")


@router.get("/scoring/assessments/{assessment_id}/results", response=AssessmentResultsOut)
def assessment_results(request, assessment_id: Id):
    assessment = _assessment(request, assessment_id)
    result = services.results(assessment)
    return {
        "assessment": assessment,
        "areas": [
            {
                "code": row.criterion.code,
                "name": row.criterion.name,
                "max_points": row.criterion.max_points,
                "points": row.points,
            }
            for row in result.areas
        ],
    }
