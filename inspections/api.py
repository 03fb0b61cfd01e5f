"""CCHC inspections in the API: inspection plans, their rounds, and the findings with their
remediation. Read-only, scoped like the pages."""

from datetime import date

from ninja import Field, Router, Schema
from ninja.pagination import paginate

from core import clock
from core.api import Id, OptionalId, UnitRowOut, Year
from inspections.models import Finding, FindingStatus, InspectionPlan, Round
from org.shortcuts import visible_or_404, visible_rows

router = Router(tags=["inspections"])


class InspectionPlanOut(UnitRowOut):
    title: str
    year: int
    number: str
    issued_on: date | None


class InspectionRoundOut(Schema):
    id: int
    plan_id: int
    kind: str
    name: str
    start: date
    end: date
    status: str
    concluded_on: date | None
    conclusion_number: str


class FindingOut(Schema):
    id: int
    round_id: int
    unit_code: str = Field(..., alias="round.plan.unit.code")
    criterion_code: str
    description: str
    severity: str
    recommendation: str
    responsible_department: str | None = Field(None, alias="responsible_department.name")
    deadline: date
    status: str
    remediated_on: date | None
    closed_on: date | None
    late: bool

    @staticmethod
    def resolve_late(finding: Finding) -> bool:
        """Remedied after its deadline, or still open past it."""
        done = finding.remediated_on or finding.closed_on
        return (done or clock.today()) > finding.deadline


def _findings():
    return Finding.objects.select_related("round__plan__unit", "responsible_department")


@router.get("/inspections/plans", response=list[InspectionPlanOut], summary="Inspection plans")
@paginate
def list_inspection_plans(request, year: Year = None, unit: str = ""):
    plans = InspectionPlan.objects.select_related("unit")
    return visible_rows(request, plans, "-year", "unit__name", "pk", year=year, unit__code=unit)


@router.get("/inspections/plans/{plan_id}", response=InspectionPlanOut)
def get_inspection_plan(request, plan_id: Id):
    return visible_or_404(request, InspectionPlan.objects.select_related("unit"), plan_id)


@router.get("/inspections/plans/{plan_id}/rounds", response=list[InspectionRoundOut])
def inspection_rounds(request, plan_id: Id):
    plan = visible_or_404(request, InspectionPlan, plan_id)
    return plan.rounds.order_by("start", "pk")


@router.get("/inspections/rounds/{round_id}", response=InspectionRoundOut)
def get_round(request, round_id: Id):
    return visible_or_404(request, Round.objects.select_related("plan"), round_id)


@router.get("/inspections/findings", response=list[FindingOut], summary="Findings to remedy")
@paginate
def list_findings(request, status: FindingStatus | None = None, round: OptionalId = None):
    return visible_rows(
        request,
        _findings(),
        "deadline",
        "pk",
        unit_path="round__plan__unit",
        status=status,
        round_id=round,
    )


@router.get("/inspections/findings/{finding_id}", response=FindingOut)
def get_finding(request, finding_id: Id):
    return visible_or_404(request, _findings(), finding_id)
