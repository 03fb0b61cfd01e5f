"""The task table, prepared in Python: a commune's plan can hold hundreds of rows, and the
template engine is the slow part of drawing them, so each row arrives as plain strings."""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, field

from django.db.models import Prefetch, QuerySet

from plans.models import Measurement, Target, Task, TaskStatus
from plans.services import target_state

PAGE_SIZE = 50
ROW_FIELDS = (
    "id",
    "number",
    "content",
    "deadline_text",
    "expected_product",
    "other_coordinators",
    "status",
    "progress_percent",
    "next_due",
    "needs_deadline_review",
    "area_id",
    "area__code",
    "area__name",
    "area__order",
    "lead_department__name",
    "lead_department__short_name",
)


def _short(text: str, limit: int) -> str:
    return text if len(text) <= limit else text[: limit - 1].rstrip() + "…"


@dataclass(frozen=True)
class TaskRow:
    pk: int
    number: str
    content: str
    lead: str
    coordinators: str
    deadline_text: str
    next_due: str
    needs_review: bool
    product: str
    status: str
    status_label: str
    progress: int


@dataclass
class AreaGroup:
    area_id: int
    code: str
    name: str
    rows: list[TaskRow] = field(default_factory=list)


@dataclass
class TaskTable:
    groups: list[AreaGroup]
    total: int
    page: int
    pages: int

    @property
    def has_next(self) -> bool:
        return self.page < self.pages


def task_table(tasks: QuerySet[Task], *, page: int = 1, size: int = PAGE_SIZE) -> TaskTable:
    """One page of rows, grouped by reform area, in three queries whatever the plan's size."""
    ordered = tasks.order_by("plan_id", "area__order", "order", "id")
    total = ordered.count()
    pages = max(1, -(-total // size))
    page = min(max(page, 1), pages)
    rows = list(ordered.values(*ROW_FIELDS)[(page - 1) * size : page * size])
    coordinators: dict[int, list[str]] = defaultdict(list)
    through = Task.coordinating_departments.through
    for task_id, short, name in through.objects.filter(
        task_id__in=[r["id"] for r in rows]
    ).values_list("task_id", "department__short_name", "department__name"):
        coordinators[task_id].append(short or name)
    labels = {value: str(label) for value, label in TaskStatus.choices}
    groups: list[AreaGroup] = []
    for r in rows:
        if not groups or groups[-1].area_id != r["area_id"]:
            groups.append(
                AreaGroup(area_id=r["area_id"], code=r["area__code"], name=r["area__name"])
            )
        others = [r["other_coordinators"]] if r["other_coordinators"] else []
        groups[-1].rows.append(
            TaskRow(
                pk=r["id"],
                number=r["number"],
                content=_short(r["content"], 180),
                lead=r["lead_department__short_name"] or r["lead_department__name"],
                coordinators="; ".join(coordinators[r["id"]] + others),
                deadline_text=r["deadline_text"],
                next_due=r["next_due"].strftime("%d/%m/%Y") if r["next_due"] else "",
                needs_review=r["needs_deadline_review"],
                product=_short(r["expected_product"], 140),
                status=r["status"],
                status_label=labels[r["status"]],
                progress=r["progress_percent"],
            )
        )
    return TaskTable(groups=groups, total=total, page=page, pages=pages)


@dataclass(frozen=True)
class TargetRow:
    pk: int
    area_code: str
    text: str
    short_text: str
    meaning: str
    latest: str
    latest_note: str
    direction: str
    attainment: str
    attainment_label: str


def target_rows(plans) -> list[TargetRow]:
    """Targets of these plans with attainment, latest actual and trend, as plain strings."""
    targets = (
        Target.objects.filter(plan__in=plans)
        .select_related("area")
        .prefetch_related(
            Prefetch(
                "measurements", queryset=Measurement.objects.order_by("measured_on", "created_at")
            )
        )
        .order_by("plan_id", "order")
    )
    rows = []
    for target in targets:
        state = target_state(target, target.measurements.all())
        latest = state.latest
        rows.append(
            TargetRow(
                pk=target.pk,
                area_code=target.area.code if target.area else "",
                text=target.text,
                short_text=state.short_text,
                meaning=state.meaning,
                latest=state.latest_text,
                latest_note=f"{latest.period_label}; {latest.source}" if latest else "",
                direction=state.direction if len(state.trend) > 1 else "",
                attainment=state.attainment.value,
                attainment_label=state.attainment_label,
            )
        )
    return rows
