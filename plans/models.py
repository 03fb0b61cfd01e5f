"""Plans, their reform areas, tasks, milestones, targets and progress."""

from __future__ import annotations

import uuid
from pathlib import PurePath

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models
from django.utils.translation import gettext_lazy as _

from core.files import StoredFile
from core.scoping import UnitScoped
from core.text import search_key
from org.models import Department, Unit


class PlanKind(models.TextChoices):
    ANNUAL = "annual", _("Annual CCHC plan")
    SIX_MONTH = "six_month", _("Six-month CCHC plan")
    CRITERIA = "criteria", _("PAR-index criteria implementation plan")
    INSPECTION = "inspection", _("Inspection plan")
    COMMUNICATION = "communication", _("Communication plan")
    OTHER = "other", _("Other plan")


class PlanStatus(models.TextChoices):
    DRAFT = "draft", _("Draft")
    APPROVED = "approved", _("Approved")
    IN_PROGRESS = "in_progress", _("In progress")
    CLOSED = "closed", _("Closed")


# A plan counts (dashboards, boards, reminders, reports, calendars) once a person has activated
# it; a draft, typed or imported, counts nowhere. "In force" leaves the closed ones out too.
COUNTED_STATUSES = (PlanStatus.APPROVED, PlanStatus.IN_PROGRESS, PlanStatus.CLOSED)
IN_FORCE_STATUSES = (PlanStatus.APPROVED, PlanStatus.IN_PROGRESS)


def _through_plan(path: str, name: str):
    """A queryset class whose rows count only through an activated plan reached by `path`."""

    class Counted(models.QuerySet):
        def counted(self):
            """Rows of plans that count: activated, closed ones included."""
            return self.filter(**{f"{path}status__in": COUNTED_STATUSES})

        def in_force(self):
            """Rows of plans being carried out now: activated and not closed."""
            return self.filter(**{f"{path}status__in": IN_FORCE_STATUSES})

    Counted.__name__ = Counted.__qualname__ = name
    return Counted


PlanQuerySet = _through_plan("", "PlanQuerySet")
TaskQuerySet = _through_plan("plan__", "TaskQuerySet")
TargetQuerySet = _through_plan("plan__", "TargetQuerySet")
MilestoneQuerySet = _through_plan("task__plan__", "MilestoneQuerySet")


# The seven usual reform areas (an eighth, impact assessment, is offered too).
DEFAULT_AREAS = [
    ("1", _("Direction and management")),
    ("2", _("Institutional reform")),
    ("3", _("Administrative procedure reform")),
    ("4", _("Reform of the state apparatus")),
    ("5", _("Civil service reform")),
    ("6", _("Public finance reform")),
    ("7", _("Building e-government and digital government")),
]
EIGHTH_AREA = ("8", _("Assessing the impact of administrative reform"))


def source_path(instance: Plan, filename: str) -> str:
    # A random name: uploaded file names are neither trusted nor guessable.
    return f"plans/{instance.unit_id}/{uuid.uuid4().hex}{PurePath(filename).suffix.lower()}"


class Plan(UnitScoped, models.Model):
    unit = models.ForeignKey(
        Unit, verbose_name=_("unit"), on_delete=models.PROTECT, related_name="plans"
    )
    kind = models.CharField(
        _("kind"), max_length=20, choices=PlanKind.choices, default=PlanKind.ANNUAL
    )
    title = models.CharField(_("title"), max_length=500)
    number = models.CharField(_("number"), max_length=50, blank=True)
    issued_on = models.DateField(_("issued on"), null=True, blank=True)
    signer = models.CharField(_("signer"), max_length=150, blank=True)
    signer_capacity = models.CharField(_("signing capacity"), max_length=200, blank=True)
    period_start = models.DateField(_("period start"))
    period_end = models.DateField(_("period end"))
    implements = models.TextField(
        _("implements"), blank=True, help_text=_("The higher-level documents this plan implements.")
    )
    parent = models.ForeignKey(
        "self",
        verbose_name=_("previous period's plan"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="next_plans",
    )
    status = models.CharField(
        _("status"), max_length=20, choices=PlanStatus.choices, default=PlanStatus.DRAFT
    )
    source_document = models.FileField(_("source document"), upload_to=source_path, blank=True)
    source_name = models.CharField(max_length=255, blank=True)
    approved_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    approved_at = models.DateTimeField(null=True, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)
    search_text = models.CharField(max_length=800, editable=False, default="")
    # The day task statuses were last derived; a new day turns passed due dates overdue.
    statuses_on = models.DateField(null=True, blank=True, editable=False)

    objects = PlanQuerySet.as_manager()

    class Meta:
        verbose_name = _("plan")
        verbose_name_plural = _("plans")
        ordering = ["-period_start", "-issued_on", "title"]
        indexes = [models.Index(fields=["unit", "status"])]

    def __str__(self) -> str:
        return self.title

    def save(self, *args, **kwargs) -> None:
        self.search_text = search_key(self.title, self.number)
        super().save(*args, **kwargs)

    def clean(self) -> None:
        if self.period_start and self.period_end and self.period_end < self.period_start:
            raise ValidationError({"period_end": _("The period ends before it starts.")})


class ReformArea(UnitScoped, models.Model):
    unit_path = "plan.unit_id"

    plan = models.ForeignKey(Plan, on_delete=models.CASCADE, related_name="areas")
    order = models.PositiveSmallIntegerField(_("order"))
    code = models.CharField(_("code"), max_length=10)
    name = models.CharField(_("name"), max_length=300)

    class Meta:
        verbose_name = _("reform area")
        verbose_name_plural = _("reform areas")
        ordering = ["plan", "order"]
        constraints = [models.UniqueConstraint(fields=["plan", "order"], name="area_unique_order")]

    def __str__(self) -> str:
        return f"{self.code}. {self.name}"


class TaskStatus(models.TextChoices):
    NOT_STARTED = "not_started", _("Not started")
    IN_PROGRESS = "in_progress", _("In progress")
    DONE = "done", _("Done")
    DONE_LATE = "done_late", _("Done late")
    OVERDUE = "overdue", _("Overdue")
    WAITING = "waiting", _("Waiting for a trigger")


class BudgetState(models.TextChoices):
    NONE = "none", _("No budget")
    PROPOSED = "proposed", _("Estimate proposed")
    APPRAISED = "appraised", _("Appraised by the economy division")
    APPROVED = "approved", _("Approved")
    REJECTED = "rejected", _("Rejected")


class Task(UnitScoped, models.Model):
    unit_path = "plan.unit_id"

    plan = models.ForeignKey(Plan, on_delete=models.CASCADE, related_name="tasks")
    area = models.ForeignKey(
        ReformArea, verbose_name=_("reform area"), on_delete=models.PROTECT, related_name="tasks"
    )
    number = models.CharField(_("number"), max_length=20, blank=True)
    order = models.PositiveIntegerField(_("order"), default=0)
    content = models.TextField(_("content"))
    lead_department = models.ForeignKey(
        Department,
        verbose_name=_("lead department"),
        on_delete=models.PROTECT,
        related_name="led_tasks",
    )
    coordinating_departments = models.ManyToManyField(
        Department,
        verbose_name=_("coordinating departments"),
        blank=True,
        related_name="coordinated_tasks",
    )
    other_coordinators = models.CharField(
        _("other coordinators"),
        max_length=500,
        blank=True,
        help_text=_("Bodies outside the unit, as written."),
    )
    expected_product = models.TextField(_("expected product"), blank=True)
    # "Các phòng chuyên môn, đơn vị": every department carries out its own part (TaskPart); the
    # lead department consolidates.
    all_departments = models.BooleanField(
        _("carried out by every department"),
        default=False,
        help_text=_(
            "Each department of the unit reports its own part; the task is done when every part "
            "is done."
        ),
    )
    deadline_text = models.TextField(_("deadline as written"), blank=True)
    needs_deadline_review = models.BooleanField(_("deadline to be clarified"), default=False)
    assignees = models.ManyToManyField(
        settings.AUTH_USER_MODEL,
        verbose_name=_("assignees"),
        blank=True,
        related_name="assigned_tasks",
    )
    budget_estimate = models.DecimalField(
        _("budget estimate (VND)"), max_digits=15, decimal_places=0, null=True, blank=True
    )
    budget_state = models.CharField(
        _("budget state"), max_length=20, choices=BudgetState.choices, default=BudgetState.NONE
    )
    progress_percent = models.PositiveSmallIntegerField(_("progress (%)"), default=0)
    completed_on = models.DateField(_("completed on"), null=True, blank=True)
    # Derived from milestones and updates by plans.services.refresh_status; stored for filtering.
    status = models.CharField(
        _("status"),
        max_length=20,
        choices=TaskStatus.choices,
        default=TaskStatus.NOT_STARTED,
        editable=False,
    )
    next_due = models.DateField(_("next due date"), null=True, blank=True, editable=False)
    search_text = models.TextField(editable=False, default="")
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    objects = TaskQuerySet.as_manager()

    class Meta:
        verbose_name = _("task")
        verbose_name_plural = _("tasks")
        ordering = ["plan", "area__order", "order"]
        indexes = [
            models.Index(fields=["plan", "status"]),
            models.Index(fields=["lead_department", "status"]),
            models.Index(fields=["next_due"]),
        ]

    def __str__(self) -> str:
        return (
            f"{self.area.code}.{self.number} {self.content[:80]}"
            if self.area_id
            else self.content[:80]
        )

    def save(self, *args, **kwargs) -> None:
        self.search_text = search_key(
            self.content, self.expected_product, self.deadline_text, self.other_coordinators
        )
        super().save(*args, **kwargs)

    def scope_department_ids(self) -> set[int | None]:
        department_ids = {self.lead_department_id}
        if self.pk:
            department_ids |= {d.pk for d in self.coordinating_departments.all()}
        return department_ids

    def scope_assignee_ids(self) -> set[int]:
        return {u.pk for u in self.assignees.all()} if self.pk else set()


class TaskPart(UnitScoped, models.Model):
    """One department's part of a task carried out by every department: its own progress and
    status. The task is done when every part is done."""

    unit_path = "task.plan.unit_id"
    department_paths = ("department_id",)

    task = models.ForeignKey(Task, on_delete=models.CASCADE, related_name="parts")
    department = models.ForeignKey(
        Department,
        verbose_name=_("department"),
        on_delete=models.CASCADE,
        related_name="task_parts",
    )
    progress_percent = models.PositiveSmallIntegerField(_("progress (%)"), default=0)
    completed_on = models.DateField(_("completed on"), null=True, blank=True)
    # Derived like the task's (plans.services.refresh_status); stored for the lists.
    status = models.CharField(
        _("status"),
        max_length=20,
        choices=TaskStatus.choices,
        default=TaskStatus.NOT_STARTED,
        editable=False,
    )
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name = _("department's part of a task")
        verbose_name_plural = _("departments' parts of tasks")
        ordering = ["task", "department__order", "department__name"]
        constraints = [
            models.UniqueConstraint(fields=["task", "department"], name="task_part_one_per_dept")
        ]
        indexes = [models.Index(fields=["department", "status"])]

    def __str__(self) -> str:
        return f"{self.department} – {self.task}"

    def scope_assignee_ids(self) -> set[int]:
        return set(self.task.scope_assignee_ids())


class MilestoneKind(models.TextChoices):
    DUE = "due", _("Due date")
    RANGE = "range", _("Date range")
    CONTINUOUS = "continuous", _("Continuous")
    RECURRING = "recurring", _("Recurring")
    TRIGGER = "trigger", _("Waits for a trigger")
    UNREADABLE = "unreadable", _("Deadline to be clarified")


class Milestone(UnitScoped, models.Model):
    unit_path = "task.plan.unit_id"

    task = models.ForeignKey(Task, on_delete=models.CASCADE, related_name="milestones")
    order = models.PositiveSmallIntegerField(default=0)
    kind = models.CharField(_("kind"), max_length=20, choices=MilestoneKind.choices)
    label = models.CharField(_("label"), max_length=500, blank=True)
    start = models.DateField(_("start"), null=True, blank=True)
    due = models.DateField(_("due"), null=True, blank=True)
    period = models.CharField(_("period"), max_length=20, blank=True)
    done_on = models.DateField(_("done on"), null=True, blank=True)
    # What a recurring or continuous milestone was done for, as the person wrote it ("Quý IV/2026").
    done_period = models.CharField(_("period covered"), max_length=50, blank=True)

    objects = MilestoneQuerySet.as_manager()

    class Meta:
        verbose_name = _("milestone")
        verbose_name_plural = _("milestones")
        ordering = ["task", "order", "due"]
        indexes = [
            models.Index(fields=["due", "done_on"]),
            # The open milestones of given tasks (the board's oldest overdue task): a small
            # partial index, since most past milestones are done.
            models.Index(
                fields=["task", "due"],
                condition=models.Q(done_on__isnull=True),
                name="milestone_open_by_task",
            ),
        ]

    def __str__(self) -> str:
        return self.label or self.get_kind_display()


def evidence_path(instance: Evidence, filename: str) -> str:
    suffix = PurePath(filename).suffix.lower()
    return f"evidence/{instance.task.plan.unit_id}/{uuid.uuid4().hex}{suffix}"


class ProgressUpdate(UnitScoped, models.Model):
    unit_path = "task.plan.unit_id"

    task = models.ForeignKey(Task, on_delete=models.CASCADE, related_name="updates")
    author = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)
    note = models.TextField(_("note"))
    percent = models.PositiveSmallIntegerField(_("progress (%)"))
    # The department's part reported, for a task carried out by every department.
    part = models.ForeignKey(
        TaskPart, null=True, blank=True, on_delete=models.SET_NULL, related_name="updates"
    )
    milestone = models.ForeignKey(
        Milestone,
        verbose_name=_("milestone reached"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )

    class Meta:
        verbose_name = _("progress update")
        verbose_name_plural = _("progress updates")
        ordering = ["-created_at"]

    def __str__(self) -> str:
        return f"{self.percent}% – {self.note[:60]}"


class Evidence(UnitScoped, StoredFile):
    """A product or evidence file of a task; stored under a random name."""

    unit_path = "task.plan.unit_id"

    task = models.ForeignKey(Task, on_delete=models.CASCADE, related_name="evidence")
    update = models.ForeignKey(
        ProgressUpdate, null=True, blank=True, on_delete=models.CASCADE, related_name="files"
    )
    file = models.FileField(upload_to=evidence_path)

    class Meta:
        verbose_name = _("evidence file")
        verbose_name_plural = _("evidence files")
        ordering = ["-uploaded_at"]


class Comment(UnitScoped, models.Model):
    unit_path = "task.plan.unit_id"

    task = models.ForeignKey(Task, on_delete=models.CASCADE, related_name="comments")
    author = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    text = models.TextField(_("comment"))
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("comment")
        verbose_name_plural = _("comments")
        ordering = ["created_at"]

    def __str__(self) -> str:
        return self.text[:60]


class Comparator(models.TextChoices):
    AT_LEAST = "gte", _("at least")
    MORE_THAN = "gt", _("more than")
    AT_MOST = "lte", _("at most")
    LESS_THAN = "lt", _("less than")
    EXACTLY = "eq", _("exactly")
    BETWEEN = "between", _("between")
    HIGHER_THAN_BASELINE = "higher_than_baseline", _("higher than the baseline")
    LOWER_THAN_BASELINE = "lower_than_baseline", _("lower than the baseline")
    UNKNOWN = "unknown", _("to be clarified")


class Target(UnitScoped, models.Model):
    unit_path = "plan.unit_id"
    department_paths = ("monitoring_department_id",)

    plan = models.ForeignKey(Plan, on_delete=models.CASCADE, related_name="targets")
    area = models.ForeignKey(
        ReformArea,
        verbose_name=_("reform area"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="targets",
    )
    order = models.PositiveIntegerField(default=0)
    code = models.CharField(_("code"), max_length=20, blank=True)
    text = models.TextField(_("target as written"))
    # A target table's "Chỉ tiêu phấn đấu" cell ("Trên 90%"), which the figures were read from.
    aim_text = models.CharField(_("aim as written"), max_length=300, blank=True)
    comparator = models.CharField(_("comparator"), max_length=30, choices=Comparator.choices)
    value = models.DecimalField(_("value"), max_digits=18, decimal_places=4, null=True, blank=True)
    value_max = models.DecimalField(
        _("upper value"), max_digits=18, decimal_places=4, null=True, blank=True
    )
    unit_label = models.CharField(_("unit of measure"), max_length=50, blank=True)
    baseline_year = models.PositiveSmallIntegerField(_("baseline year"), null=True, blank=True)
    baseline_value = models.DecimalField(
        _("baseline value"), max_digits=18, decimal_places=4, null=True, blank=True
    )
    monitoring_department = models.ForeignKey(
        Department,
        verbose_name=_("monitoring department"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="monitored_targets",
    )
    implementing_departments = models.ManyToManyField(
        Department,
        verbose_name=_("implementing departments"),
        blank=True,
        related_name="implemented_targets",
    )

    objects = TargetQuerySet.as_manager()

    class Meta:
        verbose_name = _("target")
        verbose_name_plural = _("targets")
        ordering = ["plan", "order"]

    def __str__(self) -> str:
        return self.text[:80]


class Measurement(UnitScoped, models.Model):
    """An actual value of a target for a period, with where it comes from."""

    unit_path = "target.plan.unit_id"

    target = models.ForeignKey(Target, on_delete=models.CASCADE, related_name="measurements")
    period_label = models.CharField(_("period"), max_length=50)
    measured_on = models.DateField(_("measured on"))
    value = models.DecimalField(_("actual value"), max_digits=18, decimal_places=4)
    source = models.CharField(_("source"), max_length=300)
    entered_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("measurement")
        verbose_name_plural = _("measurements")
        ordering = ["target", "measured_on", "created_at"]

    def __str__(self) -> str:
        return f"{self.period_label}: {self.value}"


class FeedKind(models.TextChoices):
    PERSON = "person", _("person")
    DEPARTMENT = "department", _("department")


class CalendarFeed(models.Model):
    """Which version of one calendar feed's link works: a person's tasks or a department's.

    A feed link carries a signed token naming the feed and this version; revoking the link moves
    the version on, so the old link stops working while every other feed keeps its own. A feed
    never revoked has no row (version 0)."""

    kind = models.CharField(_("kind"), max_length=20, choices=FeedKind.choices)
    owner_id = models.PositiveBigIntegerField(_("person or department"))
    generation = models.PositiveIntegerField(default=0)
    revoked_at = models.DateTimeField(_("link last revoked"), null=True, blank=True)
    revoked_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )

    class Meta:
        verbose_name = _("calendar feed")
        verbose_name_plural = _("calendar feeds")
        constraints = [
            models.UniqueConstraint(fields=["kind", "owner_id"], name="calendar_feed_unique")
        ]

    def __str__(self) -> str:
        return f"{self.kind}.{self.owner_id}.{self.generation}"


from plans.imports.models import DocumentImport, ImportBatch, ImportStatus  # noqa: E402, F401
