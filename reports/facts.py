"""What the data says of a reporting period as it stood on one day: the tasks done, late and
overdue then, the targets measured by then, what other domains tell, and the parts still owed.

A report is written as of its figures' day (`figures_day`): the end of its period, or the day
it is assembled when that comes first (a quarter's report is due before the quarter ends, seed
001). Nothing that happened after that day counts. A task keeps no history of its status, so its
status then is derived again (`plans.services.compute_status`) from the dates it does keep:

- finished by the day: `Task.completed_on` on or before it (late when after its last due date);
- a milestone met by the day: `Milestone.done_on` on or before it;
- started by the day: a milestone met then, or a progress update recorded by then
  (`ProgressUpdate.created_at`, the only date an update has);
- overdue on the day: a dated milestone still open then whose due date had passed.

The percentage then is the last update's recorded by the day. A finished task's documents (the
"Kế hoạch số 15/KH-UBND ngày 20/01/2026" its updates name) and evidence files are cited
whenever they were filed: a document filed after the day still proves work done by it.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import date

from django.db.models import Count, Prefetch, Q, QuerySet
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from core import clock
from core.domains import ReportFacts, plugins
from core.text import roman
from org.models import Department, Unit
from plans.models import Measurement, ProgressUpdate, ReformArea, Target, Task, TaskStatus
from plans.services import MilestoneFacts, compute_status, target_state
from reports.builder import document_day
from reports.models import (
    Contribution,
    ContributionStatus,
    PeriodKind,
    ReportingPeriod,
    period_label,
)

DONE = (TaskStatus.DONE, TaskStatus.DONE_LATE)


def period_title(period: ReportingPeriod) -> str:
    """The period as the report's title says it: "quý I năm 2026", "năm 2026"."""
    with translation.override("vi"):
        label = period_label(period.kind, period.year, period.number)
    if period.kind == PeriodKind.QUARTER:
        return f"quý {roman(period.number)} năm {period.year}"
    return label[0].lower() + label[1:]


def unit_title(unit: Unit) -> str:
    """ "phường Thành Đông": the unit as it reads after "Ủy ban nhân dân"."""
    with translation.override("vi"):
        name = unit.full_name
    return name[0].lower() + name[1:]


def unit_kind(unit: Unit) -> str:
    """ "phường", "xã": how a document names the unit once its full name has been said."""
    with translation.override("vi"):
        return str(unit.get_kind_display()).lower()


def figures_day(period: ReportingPeriod, today: date | None = None) -> date:
    """The day a report written today takes its figures on: the period's end, or today when
    the period has not ended yet."""
    return min(period.end, today or clock.today())


# -- the documents a task's updates name ----------------------------------------------------

# The kinds of document a commune issues, and the short codes their numbers carry (Decree
# 30/2020, appendix III), to name a document cited only by its number ("số 15/KH-UBND").
_KIND_OF_CODE = {
    "KH": "Kế hoạch",
    "QĐ": "Quyết định",
    "BC": "Báo cáo",
    "TB": "Thông báo",
    "TTr": "Tờ trình",
    "CT": "Chỉ thị",
    "HD": "Hướng dẫn",
    "NQ": "Nghị quyết",
    "CTr": "Chương trình",
    "ĐA": "Đề án",
}
_REFERENCE = re.compile(
    r"(?:\b(?P<kind>kế hoạch|quyết định|báo cáo|công văn|thông báo|tờ trình|chỉ thị|hướng dẫn"
    r"|văn bản|nghị quyết|chương trình|đề án)\s+)?số\s+(?P<number>\d+[\w.\-]*/[\w\-/]*\w)"
    r"(?:,?\s+ngày\s+(?P<day>\d{1,2})\s*/\s*(?P<month>\d{1,2})\s*/\s*(?P<year>\d{4}))?",
    re.IGNORECASE,
)


def references(texts: Iterable[str]) -> list[str]:
    """The documents the texts cite by number, each once, as a report cites them:
    "Kế hoạch số 15/KH-UBND ngày 20/01/2026"."""
    found: dict[str, str] = {}  # by number; a mention with its date wins over one without
    for text in texts:
        for match in _REFERENCE.finditer(text or ""):
            number = match["number"]
            kind = match["kind"]
            if kind:
                kind = kind[0].upper() + kind[1:].lower()
            else:
                code = number.split("/", 1)[1].split("-", 1)[0]
                kind = _KIND_OF_CODE.get(code, "Văn bản")
            reference = f"{kind} số {number}"
            if match["year"]:
                try:
                    day = date(int(match["year"]), int(match["month"]), int(match["day"]))
                    reference += f" ngày {document_day(day)}"
                except ValueError:
                    pass
            if number not in found or len(reference) > len(found[number]):
                found[number] = reference
    return list(found.values())


# -- tasks as they stood on a day ---------------------------------------------------------------


@dataclass
class TaskThen:
    """A task as it stood on the figures' day."""

    task: Task
    status: str
    next_due: date | None
    final_due: date | None
    done_on: date | None
    percent: int
    references: list[str] = field(default_factory=list)
    evidence: int = 0

    @property
    def is_done(self) -> bool:
        return self.status in DONE

    @property
    def content(self) -> str:
        return self.task.content.strip().rstrip(".;")

    @property
    def lead(self) -> str:
        # The department's full name: short codes are for the officials' screens, not documents.
        return self.task.lead_department.name if self.task.lead_department_id else ""


def states_on(tasks: QuerySet[Task], on: date) -> list[TaskThen]:
    """Each task of `tasks` as it stood on `on`, in a fixed number of queries."""
    rows = (
        tasks.select_related("lead_department", "area")
        .prefetch_related(
            "milestones",
            Prefetch(
                "updates",
                queryset=ProgressUpdate.objects.only(
                    "id", "task_id", "created_at", "percent", "note"
                ).order_by("created_at", "pk"),
            ),
        )
        .annotate(evidence_count=Count("evidence", distinct=True))
    )
    found = []
    for task in rows:
        updates = list(task.updates.all())
        recorded = [u for u in updates if timezone.localdate(u.created_at) <= on]
        completed = task.completed_on if task.completed_on and task.completed_on <= on else None
        milestones = [
            MilestoneFacts(m.kind, m.due, m.done_on if m.done_on and m.done_on <= on else None)
            for m in task.milestones.all()
        ]
        percent = 100 if completed else min(recorded[-1].percent if recorded else 0, 99)
        status, next_due = compute_status(milestones, percent, completed, bool(recorded), on)
        found.append(
            TaskThen(
                task=task,
                status=status,
                next_due=next_due,
                final_due=max((m.due for m in milestones if m.due), default=None),
                done_on=completed,
                percent=percent,
                references=references(u.note for u in updates),
                evidence=task.evidence_count,
            )
        )
    return found


@dataclass
class AreaFacts:
    area: ReformArea
    tasks: int = 0
    done: list[TaskThen] = field(default_factory=list)  # on time
    done_late: list[TaskThen] = field(default_factory=list)
    in_progress: list[TaskThen] = field(default_factory=list)
    overdue: list[TaskThen] = field(default_factory=list)
    not_started: list[TaskThen] = field(default_factory=list)  # nothing due yet
    unrecorded: list[TaskThen] = field(default_factory=list)  # no due date, nothing recorded
    waiting: list[TaskThen] = field(default_factory=list)  # for a higher body's instruction

    @property
    def done_count(self) -> int:
        return len(self.done) + len(self.done_late)

    def finished_between(self, start: date, end: date) -> list[TaskThen]:
        """The tasks finished in [start, end], in the plan's order."""
        finished = self.done + self.done_late
        order = {id(t): i for i, t in enumerate(self.all)}
        return sorted(
            (t for t in finished if t.done_on and start <= t.done_on <= end),
            key=lambda t: order[id(t)],
        )

    @property
    def all(self) -> list[TaskThen]:
        return sorted(
            self.done
            + self.done_late
            + self.in_progress
            + self.overdue
            + self.not_started
            + self.unrecorded
            + self.waiting,
            key=lambda t: (t.task.order, t.task.pk),
        )

    def counts(self) -> dict[str, int]:
        return {
            "tasks": self.tasks,
            "done": self.done_count,
            "done_late": len(self.done_late),
            "in_progress": len(self.in_progress),
            "overdue": len(self.overdue),
            "not_started": len(self.not_started),
            "unrecorded": len(self.unrecorded),
            "waiting": len(self.waiting),
        }


@dataclass
class TargetFact:
    target: Target
    latest: Measurement | None
    attainment: str  # as the interface names it
    met: bool | None = None  # None: not measured, or not comparable


@dataclass
class Facts:
    on: date
    areas: list[AreaFacts]
    targets: list[TargetFact]
    other_lines: list[str]  # from other domains (inspections' findings, scoring, …)

    def _sum(self, name: str) -> int:
        return sum(a.counts()[name] for a in self.areas)

    @property
    def tasks(self) -> int:
        return self._sum("tasks")

    @property
    def done(self) -> int:
        return self._sum("done")

    @property
    def overdue(self) -> int:
        return self._sum("overdue")

    @property
    def done_late(self) -> int:
        return self._sum("done_late")

    def counts(self) -> dict[str, int]:
        return {name: self._sum(name) for name in AreaFacts(area=None).counts()}


_BUCKET = {
    TaskStatus.DONE: "done",
    TaskStatus.DONE_LATE: "done_late",
    TaskStatus.OVERDUE: "overdue",
    TaskStatus.IN_PROGRESS: "in_progress",
    TaskStatus.NOT_STARTED: "not_started",
    TaskStatus.WAITING: "waiting",
}


def collect_facts(
    period: ReportingPeriod, department: Department | None = None, *, on: date | None = None
) -> Facts:
    """Tasks, targets and other domains' facts of the period as they stood on `on` (by default
    the figures' day of a report written today), for one department or all."""
    on = on or figures_day(period)
    plan = period.plan
    areas = list(plan.areas.order_by("order"))
    buckets = {a.pk: AreaFacts(a) for a in areas}
    tasks = plan.tasks.order_by("area__order", "order", "pk")
    if department is not None:
        # a task every department carries out is in each department's part
        tasks = tasks.filter(
            Q(lead_department=department) | Q(parts__department=department)
        ).distinct()
    for state in states_on(tasks, on):
        bucket = buckets[state.task.area_id]
        bucket.tasks += 1
        name = _BUCKET[state.status]
        if name == "not_started" and state.next_due is None:
            name = "unrecorded"
        getattr(bucket, name).append(state)

    targets = plan.targets.order_by("order", "pk").prefetch_related(
        Prefetch(
            "measurements",
            queryset=Measurement.objects.filter(measured_on__lte=on).order_by(
                "measured_on", "created_at"
            ),
        )
    )
    if department is not None:
        targets = targets.filter(
            Q(monitoring_department=department) | Q(implementing_departments=department)
        ).distinct()
    target_facts = []
    for target in targets:
        state = target_state(target, list(target.measurements.all()))
        met = {"met": True, "not_met": False}.get(str(state.attainment))
        target_facts.append(TargetFact(target, state.latest, state.attainment_label, met))

    other: list[str] = []
    for source in plugins(ReportFacts):
        other.extend(source.report_lines(period, department, on=on))
    return Facts(on, [buckets[a.pk] for a in areas], target_facts, other)


# -- the parts owed -------------------------------------------------------------------------


def expected_departments(period: ReportingPeriod) -> list[Department]:
    """Departments that lead work in the plan: each owes its part of the report."""
    ids = set(period.plan.tasks.values_list("lead_department_id", flat=True))
    ids |= set(
        period.plan.tasks.filter(all_departments=True).values_list(
            "parts__department_id", flat=True
        )
    ) - {None}
    ids |= set(period.contributions.values_list("department_id", flat=True))
    return list(Department.objects.filter(pk__in=ids).order_by("order", "name"))


def missing_contributions(period: ReportingPeriod) -> list[tuple[Department, str]]:
    """(department, state) of every expected part not yet accepted."""
    by_department = {c.department_id: c for c in period.contributions.all()}
    missing = []
    for department in expected_departments(period):
        contribution: Contribution | None = by_department.get(department.pk)
        if contribution is None:
            missing.append((department, _("not asked yet")))
        elif contribution.status != ContributionStatus.ACCEPTED:
            missing.append((department, contribution.get_status_display()))
    return missing
