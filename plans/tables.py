"""The task table, prepared in Python: a commune's plan can hold hundreds of rows, and the
template engine is the slow part of drawing them, so each row arrives as plain strings and the
rows of the task and target tables are drawn here too (`rows_html`, `target_rows_html`): the
same markup the templates wrote, made in a tenth of the time."""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass, field
from decimal import Decimal
from html import escape
from typing import NamedTuple

from django.db.models import QuerySet
from django.utils.safestring import SafeString, mark_safe
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from plans.models import Target, Task, TaskStatus
from plans.services import attainment_labels, comparator_labels, describe_target, target_state

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
    "all_departments",
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

    def rows_html(self) -> SafeString:
        """The body's rows: each reform area's heading row, then its tasks."""
        return task_rows_html(self.groups)


def e(value: object) -> str:
    """Escaped for HTML as the templates escape (`django.utils.html.escape`), without its
    lazy-string check: a few thousand calls a page."""
    return escape(str(value))


def task_rows_html(groups: list[AreaGroup]) -> SafeString:
    review = f'<br><span class="badge status-review">{e(_("deadline to be clarified"))}</span>'
    lines = []
    for group in groups:
        lines.append(
            f'<tr class="group-row"><td colspan="7">{e(group.code)}. {e(group.name)}</td></tr>'
        )
        for t in group.rows:
            due = f'<br><strong class="due">{e(t.next_due)}</strong>' if t.next_due else ""
            progress = f"<br><small>{t.progress}%</small>" if t.progress else ""
            status = e(t.status)
            lines.append(
                f'<tr class="task-row status-row-{status}"><td>{e(t.number)}</td>'
                f'<td><a href="/plans/tasks/{t.pk}/">{e(t.content)}</a></td><td>{e(t.lead)}</td>'
                f"<td><small>{e(t.coordinators)}</small></td>"
                f'<td><small class="pre">{e(t.deadline_text)}</small>{due}'
                f"{review if t.needs_review else ''}</td>"
                f'<td><small class="pre">{e(t.product)}</small></td>'
                f'<td><span class="badge status-{status}">{e(t.status_label)}</span>{progress}</td>'
                "</tr>"
            )
    return mark_safe("\n".join(lines))  # every value above is escaped


def task_table(tasks: QuerySet[Task], *, page: int = 1, size: int = PAGE_SIZE) -> TaskTable:
    """One page of rows, grouped by reform area, in three queries whatever the plan's size.
    (A window count on the rows would save the count query but cost SQLite more: it reads
    every row of the plan for it.)"""
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
    every = str(_("Every department"))
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
                lead=every
                if r["all_departments"]
                else r["lead_department__short_name"] or r["lead_department__name"],
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


class TargetColumns(NamedTuple):
    """A target's own columns (services.TargetTerms), read without building a Target."""

    id: int
    text: str
    comparator: str
    value: Decimal | None
    value_max: Decimal | None
    unit_label: str
    baseline_year: int | None
    baseline_value: Decimal | None


class Reading(NamedTuple):
    """What a target's row reads of a measurement."""

    value: Decimal
    period_label: str
    source: str


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
    """Targets of these plans with attainment, latest actual and trend, as plain strings.

    One query: each target's row joined with its measurements, oldest first (a target without
    one comes once, with empty measurement columns). prefetch_related built a filtered queryset
    per target, the most of this function's time on a large plan."""
    joined = (
        Target.objects.filter(plan__in=plans)
        .order_by("plan_id", "order", "id", "measurements__measured_on", "measurements__created_at")
        .values_list(
            *TargetColumns._fields,
            "area__code",
            "measurements__id",
            "measurements__value",
            "measurements__period_label",
            "measurements__source",
        )
    )
    targets: dict[int, tuple[TargetColumns, str]] = {}
    readings: dict[int, list[Reading]] = defaultdict(list)
    width = len(TargetColumns._fields)
    for row in joined:
        if row[0] not in targets:
            targets[row[0]] = (TargetColumns(*row[:width]), row[width] or "")
        if row[width + 1] is not None:
            readings[row[0]].append(Reading(*row[width + 2 :]))
    labels, comparators = attainment_labels(), comparator_labels()
    rows = []
    for target, area_code in targets.values():
        state = target_state(target, readings[target.id])
        latest = state.latest
        rows.append(
            TargetRow(
                pk=target.id,
                area_code=area_code,
                text=target.text,
                short_text=state.short_text,
                meaning=describe_target(target, comparators),
                latest=state.latest_text,
                latest_note=f"{latest.period_label}; {latest.source}" if latest else "",
                direction=state.direction if len(state.trend) > 1 else "",
                attainment=state.attainment.value,
                attainment_label=labels[state.attainment],
            )
        )
    return rows


TRENDS = {"up": "▲", "down": "▼"}
# What the arrow says to a screen reader.
TREND_WORDS = {
    "up": gettext_lazy("higher than the previous measurement"),
    "down": gettext_lazy("lower than the previous measurement"),
    "same": gettext_lazy("same as the previous measurement"),
}


def target_rows_html(rows: list[TargetRow]) -> SafeString:
    """The plan page's targets table: as written, as understood, latest actual, attainment."""
    lines = []
    for t in rows:
        area = f'<small class="muted">{e(t.area_code)}.</small> ' if t.area_code else ""
        if t.latest:
            latest = f'{e(t.latest)} <small class="muted">({e(t.latest_note)})</small>'
            if t.direction:
                arrow = TRENDS.get(t.direction, "▶")
                words = TREND_WORDS.get(t.direction, TREND_WORDS["same"])
                latest += (
                    f' <span class="trend trend-{e(t.direction)}"><span aria-hidden="true">'
                    f'{arrow}</span><span class="visually-hidden">{e(words)}</span></span>'
                )
        else:
            latest = "—"
        lines.append(
            f"<tr><td>{area}{e(t.text)}</td><td>{e(t.meaning)}</td><td>{latest}</td>"
            f'<td><span class="badge attain-{e(t.attainment)}">{e(t.attainment_label)}</span></td>'
            "</tr>"
        )
    return mark_safe("\n".join(lines))  # every value above is escaped


SELECTED = " selected"


def options_html(choices: Iterable[tuple[object, object]], chosen: object = None) -> SafeString:
    """The <option>s of a <select>, the `chosen` value selected."""
    return mark_safe(  # every value below is escaped
        "".join(
            f'<option value="{e(value)}"{SELECTED if value == chosen else ""}>{e(label)}</option>'
            for value, label in choices
        )
    )


def target_items_html(rows: list[TargetRow]) -> SafeString:
    """The dashboard's list of targets: attainment, short text, latest actual."""
    items = []
    for t in rows:
        latest = ""
        if t.latest:
            latest = f' <small class="muted">– {e(t.latest)} ({e(t.latest_note)})</small>'
        items.append(
            f'<li><span class="badge attain-{e(t.attainment)}">{e(t.attainment_label)}</span> '
            f"{e(t.short_text)}{latest}</li>"
        )
    return mark_safe("".join(items))  # every value above is escaped
