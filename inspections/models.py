"""CCHC inspections: yearly inspection plans, rounds, teams, checklists, self-checks, findings
and their remediation (seed 003, Thành Sen)."""

from __future__ import annotations

import uuid
from datetime import date, timedelta
from pathlib import PurePath

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from core.files import StoredFile
from core.scoping import UnitScoped
from org.models import Department, Unit

DEFAULT_SELF_CHECK_DAYS = 5


def source_path(instance: InspectionPlan, filename: str) -> str:
    return f"inspections/{instance.unit_id}/{uuid.uuid4().hex}{PurePath(filename).suffix.lower()}"


class InspectionPlan(UnitScoped, models.Model):
    """A unit's yearly inspection plan (Kế hoạch kiểm tra CCHC năm …)."""

    unit = models.ForeignKey(
        Unit, verbose_name=_("unit"), on_delete=models.PROTECT, related_name="inspection_plans"
    )
    title = models.CharField(_("title"), max_length=500)
    year = models.PositiveSmallIntegerField(_("year"))
    number = models.CharField(_("number"), max_length=50, blank=True)
    issued_on = models.DateField(_("issued on"), null=True, blank=True)
    signer = models.CharField(_("signer"), max_length=150, blank=True)
    lead_department = models.ForeignKey(
        Department,
        verbose_name=_("department leading the inspections"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    self_check_days = models.PositiveSmallIntegerField(
        _("self-check due (days before the round)"), default=DEFAULT_SELF_CHECK_DAYS
    )
    adhoc_contents = models.TextField(_("contents of ad-hoc inspections"), blank=True)
    cchc_plan = models.ForeignKey(
        "plans.Plan",
        verbose_name=_("CCHC plan whose tasks findings may cite"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    on_time_target = models.ForeignKey(
        "plans.Target",
        verbose_name=_("target fed with the share of findings remediated on time"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    source_document = models.FileField(_("source document"), upload_to=source_path, blank=True)
    source_name = models.CharField(max_length=255, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name = _("inspection plan")
        verbose_name_plural = _("inspection plans")
        ordering = ["-year", "title"]

    def __str__(self) -> str:
        return self.title


class ChecklistArea(UnitScoped, models.Model):
    """A reform area of a plan's checklist ("1.3. Cải cách thủ tục hành chính")."""

    unit_path = "plan.unit_id"

    plan = models.ForeignKey(InspectionPlan, on_delete=models.CASCADE, related_name="areas")
    order = models.PositiveSmallIntegerField(_("order"))
    code = models.CharField(_("code"), max_length=10)
    name = models.CharField(_("name"), max_length=300)

    class Meta:
        verbose_name = _("checklist area")
        verbose_name_plural = _("checklist areas")
        ordering = ["plan", "order"]

    def __str__(self) -> str:
        return f"{self.code}. {self.name}"


class ItemOrigin(models.TextChoices):
    DOCUMENT = "document", _("From the plan document")
    TEMPLATE = "template", _("From a template")
    MANUAL = "manual", _("Added by hand")


class ChecklistItem(UnitScoped, models.Model):
    unit_path = "area.plan.unit_id"

    area = models.ForeignKey(ChecklistArea, on_delete=models.CASCADE, related_name="items")
    order = models.PositiveSmallIntegerField(_("order"))
    text = models.TextField(_("what is checked"))
    group = models.CharField(_("sub-heading"), max_length=300, blank=True)
    origin = models.CharField(
        _("origin"), max_length=20, choices=ItemOrigin.choices, default=ItemOrigin.MANUAL
    )

    class Meta:
        verbose_name = _("checklist item")
        verbose_name_plural = _("checklist items")
        ordering = ["area__order", "order"]

    def __str__(self) -> str:
        return f"{self.area.code}.{self.order} {self.text[:80]}"

    @property
    def code(self) -> str:
        return f"{self.area.code}.{self.order}"


class ChecklistTemplate(models.Model):
    """A reusable checklist; the shared default is seed 003's section III."""

    name = models.CharField(_("name"), max_length=300)
    unit = models.ForeignKey(
        Unit,
        verbose_name=_("unit"),
        null=True,
        blank=True,
        on_delete=models.CASCADE,
        help_text=_("Empty: offered to every unit."),
    )
    is_default = models.BooleanField(_("default"), default=False)

    class Meta:
        verbose_name = _("checklist template")
        verbose_name_plural = _("checklist templates")
        ordering = ["-is_default", "name"]

    def __str__(self) -> str:
        return self.name


class TemplateArea(models.Model):
    template = models.ForeignKey(ChecklistTemplate, on_delete=models.CASCADE, related_name="areas")
    order = models.PositiveSmallIntegerField(_("order"))
    code = models.CharField(_("code"), max_length=10)
    name = models.CharField(_("name"), max_length=300)

    class Meta:
        ordering = ["template", "order"]

    def __str__(self) -> str:
        return f"{self.code}. {self.name}"


class TemplateItem(models.Model):
    area = models.ForeignKey(TemplateArea, on_delete=models.CASCADE, related_name="items")
    order = models.PositiveSmallIntegerField(_("order"))
    text = models.TextField(_("what is checked"))
    group = models.CharField(_("sub-heading"), max_length=300, blank=True)

    class Meta:
        ordering = ["area", "order"]

    def __str__(self) -> str:
        return self.text[:80]


class RoundKind(models.TextChoices):
    PERIODIC = "periodic", _("Periodic")
    AD_HOC = "ad_hoc", _("Ad hoc")


class RoundOrigin(models.TextChoices):
    PLAN = "plan", _("The inspection plan")
    COMPLAINT = "complaint", _("A citizen's complaint or petition")
    DISCIPLINE = "discipline", _("A discipline concern")
    OTHER = "other", _("Other request")


class RoundStatus(models.TextChoices):
    PLANNED = "planned", _("Planned")
    IN_PROGRESS = "in_progress", _("Inspecting")
    CONCLUDED = "concluded", _("Concluded")


class SigningCapacity(models.TextChoices):
    """How the notice is signed (Decree 30/2020/NĐ-CP): for the committee, or for the chair."""

    CHAIR = "chair", _("TM. ỦY BAN NHÂN DÂN / CHỦ TỊCH (the chair signs)")
    VICE_CHAIR = "vice_chair", _("KT. CHỦ TỊCH / PHÓ CHỦ TỊCH (a vice-chair signs)")


class Round(UnitScoped, models.Model):
    """One inspection: a periodic round of the plan or an ad-hoc inspection."""

    unit_path = "plan.unit_id"

    plan = models.ForeignKey(InspectionPlan, on_delete=models.CASCADE, related_name="rounds")
    kind = models.CharField(
        _("kind"), max_length=20, choices=RoundKind.choices, default=RoundKind.PERIODIC
    )
    name = models.CharField(_("name"), max_length=300)
    start = models.DateField(_("from"))
    end = models.DateField(_("to"))
    status = models.CharField(
        _("status"), max_length=20, choices=RoundStatus.choices, default=RoundStatus.PLANNED
    )
    origin = models.CharField(
        _("started by"), max_length=20, choices=RoundOrigin.choices, default=RoundOrigin.PLAN
    )
    origin_text = models.TextField(_("what prompted it"), blank=True)
    self_check_days = models.PositiveSmallIntegerField(
        _("self-check due (days before the round)"), null=True, blank=True
    )
    assessment = models.TextField(_("overall assessment"), blank=True)
    concluded_on = models.DateField(_("concluded on"), null=True, blank=True)
    conclusion_number = models.CharField(_("conclusion notice number"), max_length=50, blank=True)
    notice_on = models.DateField(_("notice dated"), null=True, blank=True)
    signer = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("notice signed by"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    signer_capacity = models.CharField(
        _("signing as"), max_length=20, choices=SigningCapacity.choices, blank=True
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("inspection round")
        verbose_name_plural = _("inspection rounds")
        ordering = ["start", "name"]
        indexes = [models.Index(fields=["plan", "start"])]

    def __str__(self) -> str:
        return self.name

    @property
    def days_before(self) -> int:
        if self.self_check_days is not None:
            return self.self_check_days
        return self.plan.self_check_days

    @property
    def self_check_due(self) -> date:
        return self.start - timedelta(days=self.days_before)

    @property
    def is_ad_hoc(self) -> bool:
        return self.kind == RoundKind.AD_HOC

    def is_overdue(self, on: date) -> bool:
        """Past its last day and not concluded."""
        return self.status != RoundStatus.CONCLUDED and self.end < on

    def scope_team_ids(self):
        """Only the team records and edits findings (Action.INSPECT)."""
        return self.team.filter(user__isnull=False).values_list("user_id", flat=True)


class TeamRole(models.TextChoices):
    LEADER = "leader", _("Team leader")
    MEMBER = "member", _("Member")
    SECRETARY = "secretary", _("Secretary")


class TeamMember(models.Model):
    round = models.ForeignKey(Round, on_delete=models.CASCADE, related_name="team")
    role = models.CharField(_("role"), max_length=20, choices=TeamRole.choices)
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("person of the unit"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="inspection_teams",
    )
    name = models.CharField(_("name"), max_length=150)
    position = models.CharField(_("position"), max_length=200, blank=True)
    organisation = models.CharField(_("organisation (guests)"), max_length=200, blank=True)

    class Meta:
        verbose_name = _("team member")
        verbose_name_plural = _("team members")
        ordering = ["round", "role", "name"]
        constraints = [
            models.UniqueConstraint(
                fields=["round", "user"],
                condition=models.Q(user__isnull=False),
                name="team_member_once",
            )
        ]

    def __str__(self) -> str:
        return f"{self.name} ({self.get_role_display()})"

    @property
    def is_guest(self) -> bool:
        return self.user_id is None

    def get_additional_data(self) -> dict:
        return {"unit_id": self.round.plan.unit_id}


class Subject(UnitScoped, models.Model):
    """A department, unit or person inspected in a round, and its self-check."""

    unit_path = "round.plan.unit_id"
    department_paths = ("department_id",)
    assignee_paths = ("person_id",)

    round = models.ForeignKey(Round, on_delete=models.CASCADE, related_name="subjects")
    department = models.ForeignKey(
        Department,
        verbose_name=_("department"),
        on_delete=models.PROTECT,
        related_name="inspections",
    )
    person = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("person in charge"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="inspections",
    )
    areas = models.ManyToManyField(
        ChecklistArea, verbose_name=_("areas it answers for"), related_name="subjects"
    )
    submitted_at = models.DateTimeField(_("self-check sent"), null=True, blank=True)
    submitted_on = models.DateField(null=True, blank=True)
    # The due date the self-check was held to when sent: moving the round later does not make a
    # late self-check on time.
    due_when_sent = models.DateField(null=True, blank=True)
    submitted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    self_check_note = models.TextField(_("self-check report"), blank=True)

    class Meta:
        verbose_name = _("inspected department")
        verbose_name_plural = _("inspected departments")
        ordering = ["round", "department__order", "department__name"]
        constraints = [
            models.UniqueConstraint(fields=["round", "department"], name="subject_once_per_round")
        ]

    def __str__(self) -> str:
        if self.person_id:
            return f"{self.department} – {self.person}"
        return str(self.department)


class Result(models.TextChoices):
    BLANK = "", _("Not answered")
    MET = "met", _("Met")
    NOT_MET = "not_met", _("Not met")
    NOT_APPLICABLE = "na", _("Not applicable")


class Answer(UnitScoped, models.Model):
    """One checklist item for one inspected department: its own answer, then the team's."""

    unit_path = "subject.round.plan.unit_id"

    subject = models.ForeignKey(Subject, on_delete=models.CASCADE, related_name="answers")
    item = models.ForeignKey(ChecklistItem, on_delete=models.CASCADE, related_name="answers")
    self_result = models.CharField(
        _("self-check"), max_length=10, choices=Result.choices, blank=True, default=""
    )
    self_note = models.TextField(_("note"), blank=True)
    team_result = models.CharField(
        _("team's verdict"), max_length=10, choices=Result.choices, blank=True, default=""
    )
    team_note = models.TextField(_("team's note"), blank=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name = _("checklist answer")
        verbose_name_plural = _("checklist answers")
        constraints = [
            models.UniqueConstraint(fields=["subject", "item"], name="answer_once_per_item")
        ]

    def __str__(self) -> str:
        return f"{self.subject} – {self.item.code}"

    @property
    def result(self) -> str:
        """What counts: the team's verdict once given, else the department's own answer."""
        return self.team_result or self.self_result

    def scope_department_ids(self):
        return self.subject.scope_department_ids()

    def scope_assignee_ids(self):
        return self.subject.scope_assignee_ids()


class Severity(models.TextChoices):
    LOW = "low", _("Minor")
    MEDIUM = "medium", _("Significant")
    HIGH = "high", _("Serious")


class FindingStatus(models.TextChoices):
    OPEN = "open", _("To be fixed")
    RESPONDED = "responded", _("Answered, awaiting verification")
    VERIFIED = "verified", _("Fix verified")
    CLOSED = "closed", _("Closed")


REMEDIATED = (FindingStatus.VERIFIED, FindingStatus.CLOSED)


class Finding(UnitScoped, models.Model):
    """A shortcoming (tồn tại, hạn chế) the team found, and what is done about it."""

    unit_path = "round.plan.unit_id"
    department_paths = ("responsible_department_id",)
    assignee_paths = ("responsible_person_id",)

    round = models.ForeignKey(Round, on_delete=models.CASCADE, related_name="findings")
    department = models.ForeignKey(
        Department,
        verbose_name=_("inspected department"),
        on_delete=models.PROTECT,
        related_name="inspection_findings",
    )
    item = models.ForeignKey(
        ChecklistItem,
        verbose_name=_("checklist item"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="findings",
    )
    task = models.ForeignKey(
        "plans.Task",
        verbose_name=_("plan task"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="inspection_findings",
    )
    # The PAR-index criterion of the unit's framework it concerns, when there is one; the code
    # as written otherwise.
    criterion = models.ForeignKey(
        "scoring.Criterion",
        verbose_name=_("scoring criterion"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="findings",
    )
    criterion_code = models.CharField(_("scoring criterion code"), max_length=30, blank=True)
    description = models.TextField(_("shortcoming found"))
    severity = models.CharField(
        _("severity"), max_length=10, choices=Severity.choices, default=Severity.MEDIUM
    )
    recommendation = models.TextField(_("recommendation"), blank=True)
    responsible_department = models.ForeignKey(
        Department,
        verbose_name=_("responsible department"),
        on_delete=models.PROTECT,
        related_name="findings_to_fix",
    )
    responsible_person = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("responsible person"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="findings_to_fix",
    )
    deadline = models.DateField(_("fix by"))
    status = models.CharField(
        _("status"), max_length=20, choices=FindingStatus.choices, default=FindingStatus.OPEN
    )
    remediated_on = models.DateField(_("fixed on"), null=True, blank=True)
    closed_on = models.DateField(_("closed on"), null=True, blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name = _("finding")
        verbose_name_plural = _("findings")
        ordering = ["deadline", "pk"]
        indexes = [
            models.Index(fields=["status", "deadline"]),
            models.Index(fields=["responsible_department", "status"]),
        ]

    def __str__(self) -> str:
        return self.description[:80]

    @property
    def unit_id(self) -> int:
        return self.round.plan.unit_id

    def is_overdue(self, on: date) -> bool:
        return self.status == FindingStatus.OPEN and self.deadline < on

    @property
    def on_time(self) -> bool | None:
        if self.remediated_on is None:
            return None
        return self.remediated_on <= self.deadline

    def scope_team_ids(self):
        return self.round.scope_team_ids()


class EventKind(models.TextChoices):
    RESPONSE = "response", _("Answer of the department")
    VERIFIED = "verified", _("Fix verified by the team")
    RETURNED = "returned", _("Returned by the team")
    CLOSED = "closed", _("Closed")
    REOPENED = "reopened", _("Reopened")


class FindingEvent(models.Model):
    """One step of the remediation trail."""

    finding = models.ForeignKey(Finding, on_delete=models.CASCADE, related_name="events")
    kind = models.CharField(_("kind"), max_length=20, choices=EventKind.choices)
    text = models.TextField(_("text"), blank=True)
    on = models.DateField(_("date"))
    by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("remediation step")
        verbose_name_plural = _("remediation steps")
        ordering = ["created_at", "pk"]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} {self.on:%d/%m/%Y}"

    def get_additional_data(self) -> dict:
        return {"unit_id": self.finding.round.plan.unit_id}


def attachment_path(instance: Attachment, filename: str) -> str:
    unit_id = instance.round.plan.unit_id
    return f"inspections/{unit_id}/{uuid.uuid4().hex}{PurePath(filename).suffix.lower()}"


class Attachment(StoredFile):
    """A document a department attaches to its self-check or to its answer to a finding."""

    round = models.ForeignKey(Round, on_delete=models.CASCADE, related_name="attachments")
    subject = models.ForeignKey(
        Subject, null=True, blank=True, on_delete=models.CASCADE, related_name="attachments"
    )
    answer = models.ForeignKey(
        Answer, null=True, blank=True, on_delete=models.SET_NULL, related_name="attachments"
    )
    event = models.ForeignKey(
        FindingEvent, null=True, blank=True, on_delete=models.CASCADE, related_name="attachments"
    )
    file = models.FileField(upload_to=attachment_path)

    class Meta:
        verbose_name = _("inspection document")
        verbose_name_plural = _("inspection documents")
        ordering = ["uploaded_at"]

    def get_additional_data(self) -> dict:
        return {"unit_id": self.round.plan.unit_id}
