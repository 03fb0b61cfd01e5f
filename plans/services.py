"""Rules of plans, tasks, deadlines, progress and targets. Callable without HTTP."""

from __future__ import annotations

import calendar
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from datetime import date, timedelta
from decimal import Decimal
from typing import Protocol

from django.core.exceptions import ValidationError
from django.core.files import File
from django.db import transaction
from django.db.models import Exists, OuterRef, Q, QuerySet
from django.utils import timezone, translation
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from core import clock
from core.files import (
    DOCUMENT_KINDS,
    EVIDENCE_KINDS,
    UploadedFile,
    UploadRejected,
    check_upload,
    store_upload,
)
from core.numbers import format_number
from core.text import fold, roman
from core.versions import fingerprint, refuse_if_changed
from ingest.deadlines import Cadence, ParsedDeadline, parse_deadline
from ingest.targets import Attainment, ParsedTarget, attainment, parse_target
from org.access import headed_departments
from org.models import Department, Unit, User
from plans import handoffs
from plans.models import (
    DEFAULT_AREAS,
    EIGHTH_AREA,
    Comment,
    Evidence,
    Measurement,
    Milestone,
    MilestoneKind,
    Plan,
    PlanStatus,
    ProgressUpdate,
    ReformArea,
    Target,
    Task,
    TaskPart,
    TaskStatus,
)

# --- plans and areas -------------------------------------------------------------------------


def add_default_areas(plan: Plan, *, include_impact: bool = False) -> list[ReformArea]:
    """The usual reform areas, stored in Vietnamese as the plan documents name them."""
    areas = [*DEFAULT_AREAS, EIGHTH_AREA] if include_impact else DEFAULT_AREAS
    with translation.override("vi"):
        return [
            ReformArea.objects.create(plan=plan, order=i, code=code, name=str(name))
            for i, (code, name) in enumerate(areas, start=1)
        ]


@transaction.atomic
def create_plan(
    unit: Unit,
    *,
    with_default_areas: bool = True,
    include_impact_area: bool = False,
    source: UploadedFile | None = None,
    **fields,
) -> Plan:
    """A new plan of `unit`, with the usual reform areas unless told otherwise."""
    plan = Plan(unit=unit, **fields)
    _save_plan(plan, source)
    if with_default_areas:
        add_default_areas(plan, include_impact=include_impact_area)
    return plan


@transaction.atomic
def update_plan(plan: Plan, *, source: UploadedFile | None = None, **fields) -> Plan:
    """Change a plan's particulars (and its source document when a new one is given)."""
    for name, value in fields.items():
        setattr(plan, name, value)
    _save_plan(plan, source)
    return plan


def _save_plan(plan: Plan, source: UploadedFile | None) -> None:
    if source is not None:
        try:
            check_upload(source.name, source.stream, DOCUMENT_KINDS)
        except UploadRejected as exc:
            raise ValidationError({"source_document": str(exc)}) from exc
        source.stream.seek(0)
        plan.source_document.save(source.name, File(source.stream), save=False)
        plan.source_name = source.name[:255]
    plan.full_clean(exclude=["source_document"])
    plan.save()


ALLOWED_PLAN_MOVES = {
    PlanStatus.DRAFT: {PlanStatus.APPROVED},
    PlanStatus.APPROVED: {PlanStatus.IN_PROGRESS, PlanStatus.DRAFT},
    PlanStatus.IN_PROGRESS: {PlanStatus.CLOSED},
    PlanStatus.CLOSED: {PlanStatus.IN_PROGRESS},
}


@transaction.atomic
def move_plan(plan: Plan, status: str, by: User) -> Plan:
    if status not in ALLOWED_PLAN_MOVES[PlanStatus(plan.status)]:
        raise ValidationError(
            _("A plan that is “%(old)s” cannot become “%(new)s”.")
            % {"old": plan.get_status_display(), "new": PlanStatus(status).label}
        )
    plan.status = status
    if status == PlanStatus.APPROVED:
        plan.approved_by, plan.approved_at = by, timezone.now()
    plan.save()
    return plan


# --- tasks and milestones --------------------------------------------------------------------


def parse_task_deadline(plan: Plan, text: str) -> ParsedDeadline:
    return parse_deadline(
        text,
        period_start=plan.period_start,
        period_end=plan.period_end,
        issued_on=plan.issued_on,
    )


def replace_milestones(task: Task, parsed: ParsedDeadline) -> list[Milestone]:
    """The task's milestones become those of the deadline text; ones already done stay done."""
    done = {
        (m.kind, m.due, m.label): (m.done_on, m.done_period)
        for m in task.milestones.all()
        if m.done_on
    }
    task.milestones.all().delete()
    rows = []
    for i, m in enumerate(parsed.milestones):
        done_on, done_period = done.get((m.kind.value, m.due, m.label[:500]), (None, ""))
        rows.append(
            Milestone(
                task=task,
                order=i,
                kind=m.kind.value,
                label=m.label[:500],
                start=m.start,
                due=m.due,
                period=m.period,
                done_on=done_on,
                done_period=done_period,
            )
        )
    created = Milestone.objects.bulk_create(rows)
    task.needs_deadline_review = parsed.needs_review
    Task.objects.filter(pk=task.pk).update(needs_deadline_review=parsed.needs_review)
    return created


@dataclass
class TaskData:
    area: ReformArea
    content: str
    lead_department: Department | None
    number: str = ""
    coordinating_departments: Sequence[Department] = ()
    other_coordinators: str = ""
    expected_product: str = ""
    deadline_text: str = ""
    assignees: Sequence[User] = ()
    budget_estimate: Decimal | None = None
    budget_state: str = "none"
    order: int | None = None
    all_departments: bool = False


def check_task(plan: Plan, data: TaskData) -> dict[str, str]:
    """Vietnamese messages per field for what is wrong; empty when the task can be saved."""
    errors: dict[str, str] = {}
    if not data.content.strip():
        errors["content"] = _("Write what the task is.")
    if data.lead_department is None:
        errors["lead_department"] = _("Every task needs a lead department.")
    elif data.lead_department.unit_id != plan.unit_id:
        errors["lead_department"] = _("The lead department must belong to the plan's unit.")
    if any(d.unit_id != plan.unit_id for d in data.coordinating_departments):
        errors["coordinating_departments"] = _(
            "Coordinating departments must belong to the plan's unit."
        )
    if data.area.plan_id != plan.pk:
        errors["area"] = _("The reform area belongs to another plan.")
    if data.budget_estimate is not None and data.budget_estimate < 0:
        errors["budget_estimate"] = _("The budget estimate cannot be negative.")
    if any(u.unit_id != plan.unit_id for u in data.assignees):
        errors["assignees"] = _("Assignees must work in the plan's unit.")
    return errors


TASK_LABELS = {
    "area": gettext_lazy("Reform area"),
    "number": gettext_lazy("Number"),
    "content": gettext_lazy("Content"),
    "lead_department": gettext_lazy("Lead department"),
    "coordinating_departments": gettext_lazy("Coordinating departments"),
    "other_coordinators": gettext_lazy("Other coordinators"),
    "expected_product": gettext_lazy("Expected product"),
    "deadline_text": gettext_lazy("Deadline as written"),
    "assignees": gettext_lazy("Assignees"),
    "budget_estimate": gettext_lazy("Budget estimate (VND)"),
    "budget_state": gettext_lazy("Budget state"),
}


def task_values(task: Task) -> dict:
    """What the task form edits, as stored now."""
    return {
        "area": task.area,
        "number": task.number,
        "content": task.content,
        "lead_department": task.lead_department,
        "coordinating_departments": set(task.coordinating_departments.all()),
        "other_coordinators": task.other_coordinators,
        "expected_product": task.expected_product,
        "deadline_text": task.deadline_text,
        "assignees": set(task.assignees.all()),
        "budget_estimate": task.budget_estimate,
        "budget_state": task.budget_state,
    }


def task_version(task: Task) -> str:
    """The fingerprint the task form carries, checked when it is saved."""
    return fingerprint(task_values(task))


@transaction.atomic
def save_task(
    plan: Plan,
    data: TaskData,
    task: Task | None = None,
    *,
    on: date | None = None,
    seen: str | None = None,
) -> Task:
    """Create or change a task. `seen` is the fingerprint of the values the editor was shown:
    a save over someone else's change made since is refused (`EditConflict`)."""
    if task is not None:
        task = Task.objects.select_for_update().get(pk=task.pk)
        mine = {name: getattr(data, name) for name in TASK_LABELS}
        mine["coordinating_departments"] = set(data.coordinating_departments)
        mine["assignees"] = set(data.assignees)
        refuse_if_changed(seen, task_values(task), labels=TASK_LABELS, changed=[task], mine=mine)
    errors = check_task(plan, data)
    if errors:
        raise ValidationError(errors)
    creating = task is None
    task = task or Task(plan=plan)
    deadline_changed = creating or task.deadline_text != data.deadline_text
    task.area = data.area
    task.number = data.number
    task.content = data.content.strip()
    task.lead_department = data.lead_department
    task.other_coordinators = data.other_coordinators
    task.expected_product = data.expected_product
    task.deadline_text = data.deadline_text
    task.budget_estimate = data.budget_estimate
    task.budget_state = data.budget_state
    task.all_departments = data.all_departments
    if data.order is not None:
        task.order = data.order
    elif creating:
        task.order = plan.tasks.filter(area=data.area).count() + 1
    task.save()
    task.coordinating_departments.set(data.coordinating_departments)
    task.assignees.set(data.assignees)
    if deadline_changed:
        replace_milestones(task, parse_task_deadline(plan, data.deadline_text))
    ensure_parts(task)
    refresh_status(task, on=on)
    return task


# --- tasks carried out by every department ---------------------------------------------------

# How plans write "every department leads this" (folded: no diacritics, lower case).
ALL_DEPARTMENTS_LEADS = frozenset(
    {
        "cac phong chuyen mon, don vi",
        "cac phong chuyen mon, cac don vi",
        "cac phong, ban, don vi",
        "cac phong chuyen mon, don vi thuoc ubnd",
        "cac co quan, don vi",
        "cac phong, co quan, don vi",
        "cac phong chuyen mon",
        "tat ca cac phong chuyen mon, don vi",
    }
)


def is_all_departments_lead(text: str) -> bool:
    """Does a lead as written name every department ("Các phòng chuyên môn, đơn vị")?"""
    folded = " ".join(fold(text).replace(";", ",").strip(" .,:").split())
    folded = folded.replace(" ,", ",")
    return folded in ALL_DEPARTMENTS_LEADS


def ensure_parts(task: Task) -> list[TaskPart]:
    """A part for every active department of the unit when the task is carried out by every
    department; none otherwise (their progress notes stay in the task's history)."""
    if not task.all_departments:
        gone = list(task.parts.values_list("pk", flat=True))
        task.parts.all().delete()
        handoffs.parts_withdrawn(gone)
        return []
    have = set(task.parts.values_list("department_id", flat=True))
    departments = Department.objects.filter(unit_id=task.plan.unit_id, is_active=True)
    new = [TaskPart(task=task, department=d) for d in departments if d.pk not in have]
    TaskPart.objects.bulk_create(new)
    _sync_from_parts(task)
    parts = list(task.parts.select_related("department"))
    if new:
        refresh_status(task)  # the to-dos carry the task's next due date
        added = {d.department_id for d in new}
        handoffs.parts_given([p for p in parts if p.department_id in added])
    return parts


def add_department_parts(department: Department) -> list[TaskPart]:
    """A department added to a unit takes its part of the unit's every-department tasks that
    are still open."""
    tasks = (
        Task.objects.filter(all_departments=True, plan__unit_id=department.unit_id)
        .exclude(plan__status=PlanStatus.CLOSED)
        .exclude(parts__department=department)
    )
    created = []
    for task in tasks.select_related("plan", "area"):
        created.append(TaskPart.objects.create(task=task, department=department))
        _sync_from_parts(task)
        refresh_status(task)
    handoffs.parts_given(created)
    return created


def _sync_from_parts(task: Task) -> None:
    """The task's progress is the mean of its parts'; it is complete when every part is."""
    if not task.all_departments:
        return
    rows = list(task.parts.values_list("progress_percent", "completed_on"))
    if not rows:
        return
    facts = [PartFacts(percent, done) for percent, done in rows]
    percent, completed_on = parts_outcome(facts)
    if (percent, completed_on) != (task.progress_percent, task.completed_on):
        task.progress_percent, task.completed_on = percent, completed_on
        Task.objects.filter(pk=task.pk).update(progress_percent=percent, completed_on=completed_on)


def _record_percent(work: Task | TaskPart, percent: int, on: date) -> None:
    """The percent reported of a task or a department's part: complete on `on` when it first
    reaches 100, not complete again below it."""
    work.progress_percent = percent
    if percent >= 100 and not work.completed_on:
        work.completed_on = on
    elif percent < 100:
        work.completed_on = None
    work.save(update_fields=["progress_percent", "completed_on", "updated_at"])


@transaction.atomic
def add_part_progress(
    part: TaskPart, by: User, data: ProgressData, *, on: date | None = None
) -> ProgressUpdate:
    """A department reports its own part of an every-department task, with its files; the
    task's progress and status follow from all the parts."""
    on = on or clock.today()
    _check_progress(data)
    for upload in data.files:
        check_upload(upload.name, upload.stream, EVIDENCE_KINDS)
    part = TaskPart.objects.select_for_update().select_related("task__plan").get(pk=part.pk)
    task = part.task
    if not task.all_departments:
        raise ValidationError(_("This task is not carried out by every department."))
    update = ProgressUpdate.objects.create(
        task=task, part=part, author=by, note=data.note.strip(), percent=data.percent
    )
    for upload in data.files:
        store_evidence(task, upload, by, update)
    _record_percent(part, data.percent, on)
    _sync_from_parts(task)
    refresh_status(task, on=on)
    handoffs.part_reported(part)
    return update


@dataclass(frozen=True)
class MilestoneFacts:
    kind: str
    due: date | None
    done_on: date | None


@dataclass(frozen=True)
class PartFacts:
    """A department's part of an every-department task, as far as its status goes."""

    progress_percent: int
    completed_on: date | None


def parts_outcome(parts: Sequence[PartFacts]) -> tuple[int, date | None]:
    """The progress of a task made of parts (their mean) and the day it was completed (the day
    its last part was, once every part is)."""
    if all(p.completed_on for p in parts):
        return 100, max(p.completed_on for p in parts if p.completed_on)
    mean = sum(p.progress_percent for p in parts) // len(parts)
    return min(mean, 99), None


def compute_status(
    milestones: Iterable[MilestoneFacts],
    progress_percent: int,
    completed_on: date | None,
    has_updates: bool,
    on: date,
    parts: Sequence[PartFacts] = (),
) -> tuple[str, date | None]:
    """The task's status and next due date, derived, never typed by hand. A task carried out by
    every department is given its parts: it is done only when every part is."""
    if parts:
        progress_percent, completed_on = parts_outcome(parts)
    milestones = list(milestones)
    open_dated = [m for m in milestones if m.due and not m.done_on]
    next_due = min((m.due for m in open_dated), default=None)
    final_due = max((m.due for m in milestones if m.due), default=None)
    if completed_on or progress_percent >= 100:
        finished = completed_on or on
        late = final_due is not None and finished > final_due
        return (TaskStatus.DONE_LATE if late else TaskStatus.DONE), None
    if any(m.due < on for m in open_dated):
        return TaskStatus.OVERDUE, next_due
    if milestones and all(m.kind == MilestoneKind.TRIGGER and not m.due for m in milestones):
        return TaskStatus.WAITING, None
    if progress_percent > 0 or has_updates or any(m.done_on for m in milestones):
        return TaskStatus.IN_PROGRESS, next_due
    return TaskStatus.NOT_STARTED, next_due


def _derived(
    task: Task, has_updates: bool, on: date, parts: Sequence[TaskPart] = ()
) -> tuple[str, date | None]:
    facts = [MilestoneFacts(m.kind, m.due, m.done_on) for m in task.milestones.all()]
    part_facts = [PartFacts(p.progress_percent, p.completed_on) for p in parts]
    return compute_status(
        facts, task.progress_percent, task.completed_on, has_updates, on, parts=part_facts
    )


def _part_statuses(task: Task, parts: Sequence[TaskPart], on: date) -> list[TaskPart]:
    """Each part's status, derived like a task's from the task's milestones and its own
    progress; the parts whose status changed."""
    facts = [MilestoneFacts(m.kind, m.due, m.done_on) for m in task.milestones.all()]
    changed = []
    for part in parts:
        status, _due = compute_status(
            facts, part.progress_percent, part.completed_on, part.progress_percent > 0, on
        )
        if status != part.status:
            part.status = status
            changed.append(part)
    return changed


def refresh_status(task: Task, *, on: date | None = None) -> Task:
    on = on or clock.today()
    parts = list(task.parts.all()) if task.all_departments else []
    status, next_due = _derived(task, task.updates.exists(), on, parts)
    if (status, next_due) != (task.status, task.next_due):
        Task.objects.filter(pk=task.pk).update(status=status, next_due=next_due)
        task.status, task.next_due = status, next_due
    TaskPart.objects.bulk_update(_part_statuses(task, parts, on), ["status"])
    return task


def refresh_all_statuses(*, on: date | None = None, plans: QuerySet | None = None) -> int:
    """Recompute every open task's status (run daily: yesterday's due dates become overdue)."""
    on = on or clock.today()
    tasks = Task.objects.exclude(status__in=[TaskStatus.DONE, TaskStatus.DONE_LATE])
    if plans is not None:
        tasks = tasks.filter(plan__in=plans)
    tasks = tasks.annotate(
        has_updates=Exists(ProgressUpdate.objects.filter(task=OuterRef("pk")))
    ).only("id", "status", "next_due", "progress_percent", "completed_on", "all_departments")
    changed: list[Task] = []
    changed_parts: list[TaskPart] = []
    for task in tasks.prefetch_related("milestones", "parts").iterator(chunk_size=500):
        parts = list(task.parts.all()) if task.all_departments else []
        after = _derived(task, task.has_updates, on, parts)
        if after != (task.status, task.next_due):
            task.status, task.next_due = after
            changed.append(task)
        changed_parts += _part_statuses(task, parts, on)
    Task.objects.bulk_update(changed, ["status", "next_due"], batch_size=500)
    TaskPart.objects.bulk_update(changed_parts, ["status"], batch_size=500)
    return len(changed)


def active_plans(unit: Unit) -> QuerySet[Plan]:
    return Plan.objects.in_force().filter(unit=unit)


def open_tasks_of_unit(unit: Unit, *, on: date | None = None) -> QuerySet[Task]:
    """The tasks of the unit's plans in force, their statuses brought up to date first."""
    plans = list(active_plans(unit))
    ensure_fresh_statuses(plans, on=on)
    return Task.objects.filter(plan__in=plans)


def tasks_of_person(
    user: User, unit: Unit, *, done: bool = False, on: date | None = None
) -> QuerySet[Task]:
    """The tasks `user` carries out in `unit` ("Nhiệm vụ của tôi"): assigned to them, led by a
    department they head, or a task every department carries out whose part of theirs is open.
    With `done`, those finished instead."""
    headed = list(headed_departments(user, unit))
    finished = Q(status__in=[TaskStatus.DONE, TaskStatus.DONE_LATE])
    wanted = finished if done else ~finished
    directly = Q(assignees=user) | Q(lead_department_id__in=headed)
    # A task every department carries out is the head's to do until the department's own part is
    # done, whatever the other parts.
    own_part = TaskPart.objects.filter(wanted, task=OuterRef("pk"), department_id__in=headed)
    return open_tasks_of_unit(unit, on=on).filter((directly & wanted) | Exists(own_part)).distinct()


def ensure_fresh_statuses(plans: Iterable[Plan], *, on: date | None = None) -> int:
    """Derive statuses again for plans not yet refreshed today; cheap when all are fresh."""
    on = on or clock.today()
    stale = [p.pk for p in plans if p.statuses_on != on]
    if not stale:
        return 0
    changed = refresh_all_statuses(on=on, plans=Plan.objects.filter(pk__in=stale))
    Plan.objects.filter(pk__in=stale).update(statuses_on=on)
    return changed


def set_trigger_date(milestone: Milestone, due: date) -> Milestone:
    """A milestone that waited for a trigger gets the date the trigger set."""
    milestone.due = due
    milestone.save(update_fields=["due"])
    refresh_status(milestone.task)
    return milestone


# --- progress and evidence -------------------------------------------------------------------

# Work that comes back (every quarter, "Thường xuyên"): marking it done says for which period.
PERIODIC_KINDS = frozenset({MilestoneKind.RECURRING, MilestoneKind.CONTINUOUS})
PERIOD_MAX_CHARS = 50


@dataclass(frozen=True)
class Closing:
    """A milestone the person confirmed done, with the period it covers when it recurs."""

    milestone: Milestone
    period: str = ""


@dataclass
class ProgressData:
    note: str
    percent: int
    files: list[UploadedFile] = field(default_factory=list)
    milestone: Milestone | None = None
    # The open milestones confirmed done when progress reaches 100%; None when none were offered.
    closing: list[Closing] | None = None


def needs_period(milestone: Milestone) -> bool:
    return milestone.kind in PERIODIC_KINDS


def open_milestones(task: Task) -> list[Milestone]:
    return list(task.milestones.filter(done_on__isnull=True))


def period_name(code: str) -> str:
    """A generated period of a recurring milestone in words: "2026-Q4" → "Quý IV/2026",
    "2026-03" → "Tháng 3/2026", "2026-H1" → "6 tháng đầu năm 2026", "2026" → "Năm 2026";
    anything else as it is."""
    year, _sep, part = code.partition("-")
    if not (year.isdigit() and len(year) == 4):
        return code
    if not part:
        return _("Year %(year)s") % {"year": year}
    if part[:1] == "Q" and part[1:] in {"1", "2", "3", "4"}:
        return _("Quarter %(numeral)s/%(year)s") % {"numeral": roman(int(part[1:])), "year": year}
    if part == "H1":
        return _("First six months of %(year)s") % {"year": year}
    if part == "H2":
        return _("Last six months of %(year)s") % {"year": year}
    if part.isdigit() and 1 <= int(part) <= 12:
        return _("Month %(month)s/%(year)s") % {"month": int(part), "year": year}
    return code


def _period_of_day(cadence: str, day: date) -> str:
    """The code of the month, quarter, half or year `day` falls in."""
    if cadence == Cadence.MONTH:
        return f"{day.year}-{day.month:02d}"
    if cadence == Cadence.QUARTER:
        return f"{day.year}-Q{(day.month - 1) // 3 + 1}"
    if cadence == Cadence.HALF_YEAR:
        return f"{day.year}-H{1 if day.month <= 6 else 2}"
    return str(day.year)


def suggested_period(milestone: Milestone, plan: Plan, on: date) -> str:
    """What to offer as the period a recurring or continuous milestone was done for: its own
    period when the plan's deadline generated one, else the month/quarter/half/year of `on` for
    its cadence, and the plan's year for continuous work. Empty for other milestones."""
    if milestone.kind == MilestoneKind.RECURRING:
        code = milestone.period
        if code in set(Cadence):
            code = _period_of_day(code, on)
        return period_name(code) if code else ""
    if milestone.kind == MilestoneKind.CONTINUOUS:
        same_year = plan.period_start.year == plan.period_end.year
        return period_name(str(plan.period_end.year if same_year else on.year))
    return ""


def check_closings(task: Task, closings: Sequence[Closing], *, complete: bool) -> dict[str, str]:
    """Messages keyed "close" or "period_<milestone id>"; empty when the closings can be saved.
    `complete`: the task is reported at 100%, so at least one milestone must be chosen."""
    errors: dict[str, str] = {}
    if complete and not closings:
        errors["close"] = _(
            "Choose the milestones that are done, or report the task as not yet complete."
        )
    for closing in closings:
        milestone, period = closing.milestone, closing.period.strip()
        key = f"period_{milestone.pk}"
        if milestone.task_id != task.pk:
            errors["close"] = _("The milestone belongs to another task.")
        elif needs_period(milestone) and not period:
            errors[key] = _("Say which period this recurring milestone was done for.")
        elif len(period) > PERIOD_MAX_CHARS:
            errors[key] = _("Write the period in at most %(n)d characters.") % {
                "n": PERIOD_MAX_CHARS
            }
    return errors


def _close(task: Task, closings: Sequence[Closing], on: date) -> list[Milestone]:
    """Mark the milestones done; one already done (meanwhile, by someone else) stays as it was."""
    wanted = {c.milestone.pk: c.period.strip() for c in closings}
    closed = []
    for milestone in Milestone.objects.select_for_update().filter(
        task=task, pk__in=wanted, done_on__isnull=True
    ):
        milestone.done_on = on
        milestone.done_period = wanted[milestone.pk] if needs_period(milestone) else ""
        milestone.save(update_fields=["done_on", "done_period"])
        closed.append(milestone)
    return closed


@transaction.atomic
def close_milestones(
    task: Task, closings: Sequence[Closing], *, on: date | None = None
) -> list[Milestone]:
    """Mark the chosen milestones done, each recurring one with its period, all or none; the
    task's status follows."""
    on = on or clock.today()
    errors = check_closings(task, closings, complete=False)
    if errors:
        raise ValidationError(errors)
    closed = _close(task, closings, on)
    refresh_status(task, on=on)
    return closed


def store_evidence(
    task: Task, upload: UploadedFile, by: User, update: ProgressUpdate | None
) -> Evidence:
    record = Evidence(task=task, update=update)
    return store_upload(record, upload.name, upload.stream, EVIDENCE_KINDS, by)


def _check_progress(data: ProgressData) -> None:
    if not data.note.strip():
        raise ValidationError({"note": _("Write what was done.")})
    if not 0 <= data.percent <= 100:
        raise ValidationError({"percent": _("Progress is a percentage from 0 to 100.")})


@transaction.atomic
def add_progress(
    task: Task, by: User, data: ProgressData, *, on: date | None = None
) -> ProgressUpdate:
    """Record progress with its files and the milestones confirmed done; anything refused
    leaves nothing saved."""
    on = on or clock.today()
    _check_progress(data)
    if task.all_departments:
        raise ValidationError(
            _("This task is carried out by every department: each department reports its own part.")
        )
    if data.milestone is not None and data.milestone.task_id != task.pk:
        raise ValidationError({"milestone": _("The milestone belongs to another task.")})
    if data.closing is not None:
        errors = check_closings(task, data.closing, complete=data.percent >= 100)
        if errors:
            raise ValidationError(errors)
    for upload in data.files:  # check all files before writing anything
        check_upload(upload.name, upload.stream, EVIDENCE_KINDS)
    update = ProgressUpdate.objects.create(
        task=task, author=by, note=data.note.strip(), percent=data.percent, milestone=data.milestone
    )
    for upload in data.files:
        store_evidence(task, upload, by, update)
    closing = data.closing or []
    _close(task, closing, on)
    reached = data.milestone
    if (
        reached is not None
        and not reached.done_on
        and reached.pk not in {c.milestone.pk for c in closing}
    ):
        reached.done_on = on
        reached.save(update_fields=["done_on"])
    _record_percent(task, data.percent, on)
    refresh_status(task, on=on)
    return update


def add_comment(task: Task, by: User, text: str) -> Comment:
    if not text.strip():
        raise ValidationError({"text": _("The comment is empty.")})
    return Comment.objects.create(task=task, author=by, text=text.strip())


# --- targets ---------------------------------------------------------------------------------


def target_fields(parsed: ParsedTarget) -> dict:
    return {
        "text": parsed.text,
        "comparator": parsed.comparator.value,
        "value": parsed.value,
        "value_max": parsed.value_max,
        "unit_label": parsed.unit[:50],
        "baseline_year": parsed.baseline_year,
    }


@transaction.atomic
def add_target(
    plan: Plan,
    text: str,
    *,
    area: ReformArea | None = None,
    code: str = "",
    parsed: ParsedTarget | None = None,
    **extra,
) -> Target:
    """A target of the plan; `parsed`, when given, is what a document's aim cell was read as
    (its text is the cell as written), else the sentence itself is read."""
    text = text.strip()
    if not text:
        raise ValidationError({"text": _("Write the target.")})
    implementing = extra.pop("implementing_departments", ())
    if parsed is None:
        fields = target_fields(parse_target(text))
    else:
        aim = parsed.text.strip()
        fields = {**target_fields(parsed), "text": text}
        fields["aim_text"] = aim[:300] if aim != text else ""
    target = Target.objects.create(
        plan=plan,
        area=area,
        code=code,
        order=plan.targets.count() + 1,
        **fields,
        **extra,
    )
    target.implementing_departments.set(implementing)
    return target


class TargetTerms(Protocol):
    """What a target says and is measured against: a Target, or its columns read without one
    (a table of targets reads them in one query)."""

    text: str
    comparator: str
    value: Decimal | None
    value_max: Decimal | None
    unit_label: str
    baseline_year: int | None
    baseline_value: Decimal | None


class Reading(Protocol):
    """What a target's state reads of a measurement."""

    value: Decimal


def as_parsed(target: TargetTerms) -> ParsedTarget:
    from ingest.targets import Comparator as ParsedComparator

    return ParsedTarget(
        text=target.text,
        comparator=ParsedComparator(target.comparator),
        value=target.value,
        value_max=target.value_max,
        unit=target.unit_label,
        baseline_year=target.baseline_year,
    )


@transaction.atomic
def record_measurement(
    target: Target,
    *,
    value: Decimal,
    period_label: str,
    source: str,
    by: User | None,
    measured_on: date | None = None,
) -> Measurement:
    if not source.strip():
        raise ValidationError({"source": _("Say where the figure comes from.")})
    if not period_label.strip():
        raise ValidationError({"period_label": _("Say which period the figure is for.")})
    return Measurement.objects.create(
        target=target,
        value=value,
        period_label=period_label.strip(),
        source=source.strip(),
        entered_by=by,
        measured_on=measured_on or clock.today(),
    )


@transaction.atomic
def keep_measurement(
    target: Target,
    *,
    value: Decimal | None,
    period_label: str,
    source: str,
    by: User | None = None,
    measured_on: date | None = None,
) -> Measurement | None:
    """The actual value a live source (a survey, a register) keeps current: one row per target
    and source, updated in place when the figure changes, removed when there is none any more."""
    current = target.measurements.filter(source=source.strip()).order_by("-created_at").first()
    if value is None:
        if current is not None:
            current.delete()
        return None
    if current is None:
        return record_measurement(
            target,
            value=value,
            period_label=period_label,
            source=source,
            by=by,
            measured_on=measured_on,
        )
    if current.value != value or current.period_label != period_label.strip():
        current.value = value
        current.period_label = period_label.strip()
        current.measured_on = measured_on or clock.today()
        current.save(update_fields=["value", "period_label", "measured_on"])
    return current


@dataclass(frozen=True)
class TargetState:
    target: TargetTerms
    attainment: Attainment
    latest: Reading | None
    trend: list[Decimal]  # oldest first

    @property
    def direction(self) -> str:
        if len(self.trend) < 2 or self.trend[-1] == self.trend[-2]:
            return "flat"
        return "up" if self.trend[-1] > self.trend[-2] else "down"

    @property
    def attainment_label(self) -> str:
        return attainment_labels()[self.attainment]

    @property
    def meaning(self) -> str:
        return describe_target(self.target)

    @property
    def short_text(self) -> str:
        text = self.target.text
        return text if len(text) <= 110 else text[:109].rstrip() + "…"

    @property
    def latest_text(self) -> str:
        if self.latest is None:
            return ""
        percent = "%" if self.target.unit_label == "%" else ""
        return format_number(self.latest.value) + percent


def attainment_labels() -> dict[Attainment, str]:
    """The word for each attainment in the active language (a table of targets asks once)."""
    return {
        Attainment.MET: _("met"),
        Attainment.NOT_MET: _("not met"),
        Attainment.NOT_MEASURED: _("not yet measured"),
    }


def comparator_labels() -> dict[str, str]:
    """The word for each comparator in the active language (a table of targets asks once)."""
    from plans.models import Comparator

    return {c.value: str(c.label) for c in Comparator}


def describe_target(target: TargetTerms, labels: Mapping[str, str] | None = None) -> str:
    """What the system understood a target to mean, in words. `labels`: comparator_labels(),
    when the caller describes many targets."""
    from plans.models import Comparator

    unit = target.unit_label
    suffix = unit if unit == "%" else (f" {unit}" if unit else "")
    if labels is None:
        labels = {target.comparator: str(Comparator(target.comparator).label)}
    if target.comparator == Comparator.BETWEEN:
        return _("from %(low)s to %(high)s") % {
            "low": format_number(target.value),
            "high": format_number(target.value_max) + suffix,
        }
    label = labels[target.comparator]
    if target.comparator == Comparator.UNKNOWN:
        return label
    if target.comparator in (Comparator.HIGHER_THAN_BASELINE, Comparator.LOWER_THAN_BASELINE):
        return f"{label} ({target.baseline_year})" if target.baseline_year else label
    return f"{label} {format_number(target.value)}{suffix}"


def target_state(target: TargetTerms, measurements: Sequence[Reading] | None = None) -> TargetState:
    """A target's attainment, latest measurement and trend. `measurements` are oldest first;
    without them, `target` is a saved Target and they are read from it."""
    if measurements is None:
        measurements = target.measurements.all()  # type: ignore[attr-defined]
    measurements = list(measurements)
    latest = measurements[-1] if measurements else None
    result = attainment(as_parsed(target), latest.value if latest else None, target.baseline_value)
    return TargetState(target, result, latest, [m.value for m in measurements])


# --- roll-over -------------------------------------------------------------------------------


def add_months(day: date, months: int) -> date:
    """Shift a date by whole months, keeping month ends at month ends."""
    index = day.year * 12 + day.month - 1 + months
    year, month = divmod(index, 12)
    month += 1
    last = calendar.monthrange(year, month)[1]
    was_last = day.day == calendar.monthrange(day.year, day.month)[1]
    return date(year, month, last if was_last else min(day.day, last))


@transaction.atomic
def roll_over(plan: Plan, *, title: str | None = None) -> Plan:
    """Copy a plan to the next period with its areas, tasks and targets; dates move with it."""
    months = (
        (plan.period_end.year - plan.period_start.year) * 12
        + (plan.period_end.month - plan.period_start.month)
        + 1
    )
    new = Plan.objects.create(
        unit=plan.unit,
        kind=plan.kind,
        title=title or _("%(title)s (next period)") % {"title": plan.title},
        period_start=add_months(plan.period_start, months),
        period_end=add_months(plan.period_end, months),
        implements=plan.implements,
        signer_capacity=plan.signer_capacity,
        parent=plan,
        status=PlanStatus.DRAFT,
    )
    area_map = {}
    for area in plan.areas.all():
        area_map[area.pk] = ReformArea.objects.create(
            plan=new, order=area.order, code=area.code, name=area.name
        )
    for task in plan.tasks.prefetch_related("milestones", "coordinating_departments", "assignees"):
        copy = Task.objects.create(
            plan=new,
            area=area_map[task.area_id],
            number=task.number,
            order=task.order,
            content=task.content,
            lead_department=task.lead_department,
            other_coordinators=task.other_coordinators,
            expected_product=task.expected_product,
            deadline_text=task.deadline_text,
            needs_deadline_review=task.needs_deadline_review,
            budget_estimate=task.budget_estimate,
        )
        copy.coordinating_departments.set(task.coordinating_departments.all())
        copy.assignees.set(task.assignees.all())
        Milestone.objects.bulk_create(
            Milestone(
                task=copy,
                order=m.order,
                kind=m.kind,
                label=m.label,
                start=add_months(m.start, months) if m.start else None,
                due=add_months(m.due, months) if m.due else None,
                period=m.period,
            )
            for m in task.milestones.all()
        )
        refresh_status(copy)
    for target in plan.targets.prefetch_related("implementing_departments"):
        implementing = list(target.implementing_departments.all())
        target.pk = None
        target.plan = new
        target.area = area_map.get(target.area_id)
        target.save()
        target.implementing_departments.set(implementing)
    return new


# --- queries ---------------------------------------------------------------------------------


@dataclass
class TaskFilter:
    area: int | None = None
    department: int | None = None
    status: str = ""
    overdue: bool = False
    due_within: int | None = None
    q: str = ""
    assignee: int | None = None


def filter_tasks(tasks: QuerySet[Task], f: TaskFilter, *, on: date | None = None) -> QuerySet[Task]:
    on = on or clock.today()
    if f.area:
        tasks = tasks.filter(area_id=f.area)
    if f.department:
        tasks = tasks.filter(
            Q(lead_department_id=f.department)
            | Q(coordinating_departments__id=f.department)
            | Q(parts__department_id=f.department)
        ).distinct()
    if f.status:
        tasks = tasks.filter(status=f.status)
    if f.overdue:
        tasks = tasks.filter(status=TaskStatus.OVERDUE)
    if f.due_within is not None:
        tasks = tasks.filter(next_due__gte=on, next_due__lte=on + timedelta(days=f.due_within))
    if f.assignee:
        tasks = tasks.filter(assignees__id=f.assignee)
    if f.q.strip():
        tasks = tasks.filter(search_text__contains=fold(f.q).strip())
    return tasks
