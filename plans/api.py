"""API endpoints for plans, tasks, targets and the deadline reader; scoped like the pages."""

from datetime import date
from decimal import Decimal

from django.core.exceptions import ValidationError
from django.db.models import Prefetch
from django.shortcuts import get_object_or_404
from django.utils.translation import gettext as _
from ninja import Field, Router, Schema
from ninja.errors import HttpError
from ninja.pagination import paginate
from pydantic import field_validator

from core.api import MAX_ID, Id, UnitRowOut
from ingest.deadlines import describe, parse_deadline
from org.access import Action, can
from org.shortcuts import visible_rows
from plans import services
from plans.models import Measurement, Plan, Target, Task, TaskPart

router = Router(tags=["plans"])


class PlanOut(UnitRowOut):
    kind: str
    title: str
    number: str
    issued_on: date | None
    period_start: date
    period_end: date
    status: str


class MilestoneOut(Schema):
    kind: str
    label: str
    start: date | None
    due: date | None
    done_on: date | None = None


class TaskMilestoneOut(MilestoneOut):
    """A task's milestone: its id names it among those to close when reporting 100%."""

    id: int
    done_period: str = ""
    needs_period: bool = False

    @staticmethod
    def resolve_needs_period(obj) -> bool:
        return services.needs_period(obj)


class PartOut(Schema):
    department_id: int
    department: str = Field(..., alias="department.name")
    progress_percent: int
    completed_on: date | None
    status: str


class TaskOut(Schema):
    id: int
    plan_id: int
    area_code: str = Field(..., alias="area.code")
    area_name: str = Field(..., alias="area.name")
    number: str
    content: str
    lead_department_id: int
    lead_department: str = Field(..., alias="lead_department.name")
    other_coordinators: str
    expected_product: str
    deadline_text: str
    needs_deadline_review: bool
    status: str
    progress_percent: int
    next_due: date | None
    milestones: list[TaskMilestoneOut]
    all_departments: bool = False
    parts: list[PartOut] = []

    @staticmethod
    def resolve_parts(obj) -> list:
        return list(obj.parts.all()) if obj.all_departments else []


class TargetOut(Schema):
    id: int
    code: str
    text: str
    comparator: str
    value: Decimal | None
    value_max: Decimal | None
    unit_label: str
    attainment: str
    latest_value: Decimal | None
    latest_period: str | None


class DeadlineOut(Schema):
    text: str
    description: str
    needs_review: bool
    milestones: list[MilestoneOut]


class ClosingIn(Schema):
    milestone_id: int = Field(..., ge=1, le=MAX_ID)
    period: str = ""  # what a recurring or continuous milestone was done for ("Quý IV/2026")


class ProgressIn(Schema):
    note: str = Field(..., min_length=1, max_length=5000, pattern=r"\S")
    percent: int = Field(..., ge=0, le=100)

    @field_validator("percent", mode="before")
    @classmethod
    def _a_json_integer(cls, value):
        # JSON's integers only: 56 and 56.0, never true or "56"
        if isinstance(value, bool) or not isinstance(value, int | float):
            raise ValueError("percent is a whole number from 0 to 100")
        if isinstance(value, float) and not value.is_integer():
            raise ValueError("percent is a whole number from 0 to 100")
        return int(value)

    # The open milestones done, as the page asks when progress reaches 100%: required then
    # while the task has open milestones.
    close: list[ClosingIn] | None = None


def _plan(request, plan_id: int) -> Plan:
    plan = get_object_or_404(Plan.objects.select_related("unit"), pk=plan_id)
    if not can(request.user, Action.VIEW, plan):
        raise HttpError(404, "Không tìm thấy kế hoạch")
    return plan


def _tasks():
    return Task.objects.select_related("area", "lead_department").prefetch_related(
        "milestones", Prefetch("parts", queryset=TaskPart.objects.select_related("department"))
    )


def _closings(task: Task, data: ProgressIn) -> list[services.Closing] | None:
    """The milestones to close, as the page's form gives them to the same service; at 100% with
    open milestones and none named, an empty list, which the service refuses saying why."""
    if data.close is None:
        return [] if data.percent >= 100 and services.open_milestones(task) else None
    milestones = {m.pk: m for m in task.milestones.all()}
    closings = []
    for item in data.close:
        milestone = milestones.get(item.milestone_id)
        if milestone is None:
            raise ValidationError(_("The milestone belongs to another task."))
        closings.append(services.Closing(milestone, item.period))
    return closings


@router.get("/plans", response=list[PlanOut], summary="Plans the caller may read")
@paginate
def list_plans(request, unit: str = ""):
    plans = Plan.objects.select_related("unit")
    return visible_rows(request, plans, "-period_start", "title", unit__code=unit)


@router.get("/plans/{plan_id}", response=PlanOut)
def get_plan(request, plan_id: Id):
    return _plan(request, plan_id)


@router.get("/plans/{plan_id}/tasks", response=list[TaskOut])
@paginate
def plan_tasks(request, plan_id: Id, status: str = "", overdue: bool = False, q: str = ""):
    plan = _plan(request, plan_id)
    criteria = services.TaskFilter(status=status, overdue=overdue, q=q)
    return services.filter_tasks(_tasks().filter(plan=plan), criteria).order_by(
        "area__order", "order"
    )


@router.get("/tasks/{task_id}", response=TaskOut)
def get_task(request, task_id: Id):
    task = get_object_or_404(_tasks().select_related("plan"), pk=task_id)
    if not can(request.user, Action.VIEW, task.plan):
        raise HttpError(404, "Không tìm thấy nhiệm vụ")
    return task


@router.post(
    "/tasks/{task_id}/progress",
    response=TaskOut,
    summary="Report progress (no files); at 100%, the open milestones done in `close`",
)
def report_progress(request, task_id: Id, data: ProgressIn):
    task = get_object_or_404(Task.objects.select_related("plan"), pk=task_id)
    if not can(request.user, Action.VIEW, task.plan):
        raise HttpError(404, "Không tìm thấy nhiệm vụ")
    if not can(request.user, Action.EDIT, task):
        raise HttpError(403, "Bạn không có quyền cập nhật nhiệm vụ này")
    try:
        services.add_progress(
            task,
            request.user,
            services.ProgressData(data.note, data.percent, closing=_closings(task, data)),
        )
    except ValidationError as exc:
        raise HttpError(409, " ".join(exc.messages)) from exc
    return _tasks().get(pk=task.pk)


@router.get("/plans/{plan_id}/targets", response=list[TargetOut])
def plan_targets(request, plan_id: Id):
    plan = _plan(request, plan_id)
    targets = plan.targets.prefetch_related(
        Prefetch("measurements", queryset=Measurement.objects.order_by("measured_on", "created_at"))
    )
    return [_target_out(t) for t in targets]


def _target_out(target: Target) -> dict:
    state = services.target_state(target, target.measurements.all())
    return {
        "id": target.pk,
        "code": target.code,
        "text": target.text,
        "comparator": target.comparator,
        "value": target.value,
        "value_max": target.value_max,
        "unit_label": target.unit_label,
        "attainment": state.attainment.value,
        "latest_value": state.latest.value if state.latest else None,
        "latest_period": state.latest.period_label if state.latest else None,
    }


@router.get("/deadlines/parse", response=DeadlineOut, summary="What a deadline text means")
def parse(request, text: str, period_start: date | None = None, period_end: date | None = None):
    parsed = parse_deadline(text, period_start=period_start, period_end=period_end)
    return {
        "text": parsed.text,
        "description": describe(parsed),
        "needs_review": parsed.needs_review,
        "milestones": [
            {
                "kind": m.kind.value,
                "label": m.label,
                "start": m.start,
                "due": m.due,
                "done_on": None,
            }
            for m in parsed.milestones
        ],
    }
