"""PAR-index criteria frameworks, their assignment in a commune, self-assessment and appraisal.

A province issues a framework (Bộ tiêu chí) each year by decision; it holds one criteria set per
group of units (wards and communes; departments of the province), each a tree of areas →
criteria → sub-criteria. A commune assigns each criterion to a department, scores the leaves
twice a year with evidence, and the province's Department of Home Affairs appraises them.
"""

from __future__ import annotations

import uuid
from datetime import date, datetime
from decimal import ROUND_HALF_UP, Decimal
from pathlib import PurePath

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from core.files import StoredFile
from core.scoping import UnitScoped
from org.models import Department, Unit

POINTS = {"max_digits": 6, "decimal_places": 2}


class FrameworkStatus(models.TextChoices):
    DRAFT = "draft", _("Draft")
    IN_FORCE = "in_force", _("In force")


class Rounding(models.TextChoices):
    HALF_UP = "half_up", _("Round half up")
    DOWN = "down", _("Round down")


class Framework(UnitScoped, models.Model):
    """A province's criteria framework for one year, with the decision that issued it."""

    unit_path = "province_id"

    province = models.ForeignKey(
        Unit, verbose_name=_("province"), on_delete=models.PROTECT, related_name="frameworks"
    )
    year = models.PositiveSmallIntegerField(_("year"))
    name = models.CharField(_("name"), max_length=500)
    decision_number = models.CharField(_("decision number"), max_length=50, blank=True)
    decision_date = models.DateField(_("decision date"), null=True, blank=True)
    decision_issuer = models.CharField(_("issued by"), max_length=200, blank=True)
    decimals = models.PositiveSmallIntegerField(_("decimal places"), default=2)
    rounding = models.CharField(
        _("rounding"), max_length=10, choices=Rounding.choices, default=Rounding.HALF_UP
    )
    status = models.CharField(
        _("status"), max_length=10, choices=FrameworkStatus.choices, default=FrameworkStatus.DRAFT
    )
    is_sample = models.BooleanField(
        _("sample"), default=False, help_text=_("An example of the template, not an official text.")
    )
    copied_from = models.ForeignKey(
        "self", null=True, blank=True, on_delete=models.SET_NULL, related_name="copies"
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("criteria framework")
        verbose_name_plural = _("criteria frameworks")
        ordering = ["-year", "province__name"]
        constraints = [
            models.UniqueConstraint(fields=["province", "year"], name="framework_one_per_year")
        ]

    def __str__(self) -> str:
        return self.name

    def round(self, value: Decimal) -> Decimal:
        quantum = Decimal(1).scaleb(-self.decimals)
        mode = ROUND_HALF_UP if self.rounding == Rounding.HALF_UP else "ROUND_DOWN"
        return Decimal(value).quantize(quantum, rounding=mode)


class UnitGroup(models.TextChoices):
    COMMUNE_LEVEL = "commune_level", _("Wards and communes")
    WARD = "ward", _("Wards")
    COMMUNE = "commune", _("Communes")
    PROVINCE_DEPARTMENT = "province_department", _("Departments of the province")


class CriteriaSet(UnitScoped, models.Model):
    """The criteria for one group of units within a framework."""

    unit_path = "framework.province_id"

    framework = models.ForeignKey(Framework, on_delete=models.CASCADE, related_name="sets")
    group = models.CharField(_("group of units"), max_length=30, choices=UnitGroup.choices)
    name = models.CharField(_("name"), max_length=300)
    max_points = models.DecimalField(_("maximum points"), default=Decimal(100), **POINTS)

    class Meta:
        verbose_name = _("criteria set")
        verbose_name_plural = _("criteria sets")
        ordering = ["framework", "group"]
        constraints = [
            models.UniqueConstraint(fields=["framework", "group"], name="set_one_per_group")
        ]

    def __str__(self) -> str:
        return self.name


class Method(models.TextChoices):
    SUM = "sum", _("Sum of sub-criteria")
    YES_NO = "yes_no", _("Yes or no")
    TIERS = "tiers", _("Tiers by ratio")
    DEDUCTION = "deduction", _("Deduction per occurrence")
    MANUAL = "manual", _("Manual within the maximum")
    SURVEY = "survey", _("From the sociological survey")


class CriterionKind(models.TextChoices):
    REGULAR = "regular", _("Within the 100 points")
    BONUS = "bonus", _("Bonus points")
    PENALTY = "penalty", _("Penalty points")


class Source(models.TextChoices):
    SELF = "self", _("Self-assessed")
    SURVEY = "survey", _("Sociological survey")


def sort_key(code: str) -> str:
    """ "1.10" after "1.9": each number padded."""
    parts = []
    for part in code.split("."):
        parts.append(part.zfill(4) if part.isdigit() else part.rjust(4, "~"))
    return ".".join(parts)


class Rule(models.TextChoices):
    """What a leaf criterion may score itself from, among the records the system holds
    (`scoring.services.rules` gives each one its parameters and its computation)."""

    PLAN_ISSUED = "plan_issued", _("Plan issued by a date")
    TASKS_ON_TIME = "tasks_on_time", _("Share of tasks done on time")
    REPORTS_ON_TIME = "reports_on_time", _("Reports sent by their due dates")
    INSPECTION_HELD = "inspection_held", _("Self-check and inspection held")
    FINDINGS_FIXED = "findings_fixed", _("Share of findings fixed on time")
    SURVEY_SHARE = "survey_share", _("Share of satisfied survey answers")
    INITIATIVES = "initiatives", _("Initiatives recognised")
    TARGETS_MET = "targets_met", _("Targets met")


class Criterion(UnitScoped, models.Model):
    """An area (top level), criterion or sub-criterion; only leaves are scored."""

    unit_path = "criteria_set.framework.province_id"

    criteria_set = models.ForeignKey(CriteriaSet, on_delete=models.CASCADE, related_name="criteria")
    parent = models.ForeignKey(
        "self", null=True, blank=True, on_delete=models.CASCADE, related_name="children"
    )
    code = models.CharField(_("code"), max_length=30)
    name = models.TextField(_("name"))
    max_points = models.DecimalField(_("maximum points"), **POINTS)
    method = models.CharField(_("way of scoring"), max_length=20, choices=Method.choices)
    # Tiers: [{"min": "100", "points": "1"}, {"min": "80", "points": "0.5"}], highest first.
    tiers = models.JSONField(_("tiers"), default=list, blank=True)
    deduction = models.DecimalField(
        _("points deducted per occurrence"), null=True, blank=True, **POINTS
    )
    floor = models.DecimalField(_("floor"), default=Decimal(0), **POINTS)
    evidence_required = models.TextField(_("evidence asked for"), blank=True)
    # A deduction with nothing to deduct proves itself, unless the framework asks otherwise.
    evidence_when_none = models.BooleanField(
        _("evidence asked for even with nothing to deduct"), default=False
    )
    source = models.CharField(_("source"), max_length=10, choices=Source.choices, default="self")
    kind = models.CharField(
        _("kind"), max_length=10, choices=CriterionKind.choices, default=CriterionKind.REGULAR
    )
    rule = models.CharField(
        _("scored from the data"), max_length=20, choices=Rule.choices, blank=True
    )
    rule_params = models.JSONField(_("rule's parameters"), default=dict, blank=True)
    depth = models.PositiveSmallIntegerField(default=0, editable=False)
    sort = models.CharField(max_length=120, editable=False, db_index=True)
    is_leaf = models.BooleanField(default=True, editable=False)

    class Meta:
        verbose_name = _("criterion")
        verbose_name_plural = _("criteria")
        ordering = ["criteria_set", "sort"]
        constraints = [
            models.UniqueConstraint(fields=["criteria_set", "code"], name="criterion_unique_code")
        ]

    def __str__(self) -> str:
        return f"{self.code}. {self.name[:80]}"

    def save(self, *args, **kwargs) -> None:
        self.sort = sort_key(self.code)
        self.depth = self.code.count(".")
        super().save(*args, **kwargs)

    @property
    def area_code(self) -> str:
        return self.code.split(".")[0]


class Assignment(UnitScoped, models.Model):
    """Which department (and people) of a commune answers for a criterion."""

    department_paths = ("department_id",)

    unit = models.ForeignKey(Unit, on_delete=models.CASCADE, related_name="criterion_assignments")
    criterion = models.ForeignKey(Criterion, on_delete=models.CASCADE, related_name="assignments")
    department = models.ForeignKey(
        Department,
        verbose_name=_("lead department"),
        on_delete=models.PROTECT,
        related_name="criterion_assignments",
    )
    people = models.ManyToManyField(
        settings.AUTH_USER_MODEL, verbose_name=_("people"), blank=True, related_name="+"
    )
    duty = models.TextField(_("duty as written"), blank=True)
    matched = models.BooleanField(_("matched from the document"), default=False)

    class Meta:
        verbose_name = _("criterion assignment")
        verbose_name_plural = _("criterion assignments")
        constraints = [
            models.UniqueConstraint(fields=["unit", "criterion"], name="assignment_once")
        ]

    def __str__(self) -> str:
        return f"{self.criterion.code} → {self.department}"


class PeriodKind(models.TextChoices):
    SIX_MONTH = "six_month", _("Six-month")
    YEAR = "year", _("Year")


class PeriodAudience(models.TextChoices):
    """Which communes a period is open to: every one (each may start its own assessment), only
    those the province chose (they are given theirs), or none yet (copied from last year)."""

    PLANNED = "planned", _("Not opened yet")
    ALL = "all", _("Every commune of the province")
    CHOSEN = "chosen", _("The communes chosen")


class Period(UnitScoped, models.Model):
    """A self-assessment round of a framework with its deadlines; closed once, for good."""

    unit_path = "framework.province_id"

    framework = models.ForeignKey(Framework, on_delete=models.CASCADE, related_name="periods")
    kind = models.CharField(_("kind"), max_length=10, choices=PeriodKind.choices)
    name = models.CharField(_("name"), max_length=200)
    department_due = models.DateField(_("departments' self-scores due"))
    submission_due = models.DateField(_("submission to the province due"))
    answer_days = models.PositiveSmallIntegerField(
        _("days for the commune's answer to the appraisal"), default=5
    )
    opened_for = models.CharField(
        _("opened for"),
        max_length=10,
        choices=PeriodAudience.choices,
        default=PeriodAudience.ALL,
    )
    closed_at = models.DateTimeField(_("closed at"), null=True, blank=True)

    class Meta:
        verbose_name = _("assessment period")
        verbose_name_plural = _("assessment periods")
        ordering = ["framework", "submission_due"]
        constraints = [
            models.UniqueConstraint(fields=["framework", "kind"], name="period_one_per_kind")
        ]

    def __str__(self) -> str:
        return self.name

    @property
    def is_closed(self) -> bool:
        return self.closed_at is not None

    @property
    def is_open(self) -> bool:
        return self.opened_for != PeriodAudience.PLANNED and self.closed_at is None


class AssessmentStatus(models.TextChoices):
    DRAFT = "draft", _("Being self-assessed")
    APPROVED = "approved", _("Approved by the leadership")
    SUBMITTED = "submitted", _("Submitted to the province")
    APPRAISED = "appraised", _("Appraised, awaiting the commune's answer")
    ANSWERED = "answered", _("Answered by the commune")
    CLOSED = "closed", _("Closed with final scores")


LOCKED_STATUSES = {
    AssessmentStatus.SUBMITTED,
    AssessmentStatus.APPRAISED,
    AssessmentStatus.ANSWERED,
    AssessmentStatus.CLOSED,
}


class Assessment(UnitScoped, models.Model):
    """One commune's self-assessment and appraisal in one period."""

    period = models.ForeignKey(Period, on_delete=models.CASCADE, related_name="assessments")
    unit = models.ForeignKey(Unit, on_delete=models.PROTECT, related_name="assessments")
    criteria_set = models.ForeignKey(CriteriaSet, on_delete=models.PROTECT, related_name="+")
    status = models.CharField(
        _("status"),
        max_length=12,
        choices=AssessmentStatus.choices,
        default=AssessmentStatus.DRAFT,
    )
    approved_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    approved_at = models.DateTimeField(null=True, blank=True)
    submitted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    submitted_at = models.DateTimeField(null=True, blank=True)
    # The due date in force when sent: late is derived from it, whatever is extended later.
    due_when_submitted = models.DateField(null=True, blank=True, editable=False)
    # Set by the province for this commune only (the reasons are kept in Extension).
    department_due = models.DateField(_("departments' self-scores due"), null=True, blank=True)
    submission_due = models.DateField(_("submission to the province due"), null=True, blank=True)
    appraised_at = models.DateTimeField(null=True, blank=True)
    answer_due = models.DateField(_("answer due"), null=True, blank=True)
    answered_at = models.DateTimeField(null=True, blank=True)
    closed_at = models.DateTimeField(null=True, blank=True)
    # Kept current by services.recompute so that ranking 100 communes reads 100 rows.
    self_points = models.DecimalField(default=Decimal(0), **POINTS)
    points = models.DecimalField(_("points"), default=Decimal(0), **POINTS)
    survey_points = models.DecimalField(_("survey points"), default=Decimal(0), **POINTS)
    bonus_points = models.DecimalField(_("bonus points"), default=Decimal(0), **POINTS)
    penalty_points = models.DecimalField(_("penalty points"), default=Decimal(0), **POINTS)
    index = models.DecimalField(_("index"), default=Decimal(0), **POINTS)
    area_points = models.JSONField(default=dict, editable=False)

    class Meta:
        verbose_name = _("self-assessment")
        verbose_name_plural = _("self-assessments")
        ordering = ["period", "unit__name"]
        constraints = [
            models.UniqueConstraint(fields=["period", "unit"], name="assessment_once_per_period")
        ]
        indexes = [models.Index(fields=["period", "index"])]

    def __str__(self) -> str:
        return f"{self.unit} – {self.period}"

    @property
    def is_locked(self) -> bool:
        return self.status in LOCKED_STATUSES

    @property
    def departments_due(self) -> date:
        """The departments' due date for this commune: the period's unless extended."""
        return self.department_due or self.period.department_due

    @property
    def due(self) -> date:
        """The submission's due date for this commune: the period's unless extended."""
        return self.submission_due or self.period.submission_due

    @property
    def submitted_late(self) -> bool:
        return _late(self.submitted_at, self.due_when_submitted)


def _late(sent_at: datetime | None, due: date | None) -> bool:
    return bool(sent_at and due and timezone.localdate(sent_at) > due)


class DeadlineStage(models.TextChoices):
    DEPARTMENTS = "departments", _("Departments' self-scores")
    SUBMISSION = "submission", _("Submission to the province")
    ANSWER = "answer", _("Commune's answer to the appraisal")


class Extension(UnitScoped, models.Model):
    """A due date the province moved for one commune, with the reason."""

    unit_path = "assessment.unit_id"

    assessment = models.ForeignKey(Assessment, on_delete=models.CASCADE, related_name="extensions")
    stage = models.CharField(_("deadline"), max_length=12, choices=DeadlineStage.choices)
    previous_due = models.DateField(_("previous due date"))
    due = models.DateField(_("new due date"))
    reason = models.TextField(_("reason"))
    granted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    granted_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("deadline extension")
        verbose_name_plural = _("deadline extensions")
        ordering = ["assessment", "granted_at"]

    def __str__(self) -> str:
        return f"{self.get_stage_display()}: {self.previous_due} → {self.due}"


class SubmissionStatus(models.TextChoices):
    DRAFT = "draft", _("Being scored")
    SUBMITTED = "submitted", _("Submitted to the focal officer")
    RETURNED = "returned", _("Returned for correction")
    ACCEPTED = "accepted", _("Accepted")


class DepartmentSubmission(UnitScoped, models.Model):
    """A department's self-scores of its criteria, handed to the focal officer."""

    unit_path = "assessment.unit_id"
    department_paths = ("department_id",)

    assessment = models.ForeignKey(Assessment, on_delete=models.CASCADE, related_name="submissions")
    department = models.ForeignKey(Department, on_delete=models.PROTECT, related_name="+")
    status = models.CharField(
        _("status"), max_length=10, choices=SubmissionStatus.choices, default="draft"
    )
    submitted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    submitted_at = models.DateTimeField(null=True, blank=True)
    due_when_submitted = models.DateField(null=True, blank=True, editable=False)
    review_note = models.TextField(_("review note"), blank=True)

    class Meta:
        verbose_name = _("department submission")
        verbose_name_plural = _("department submissions")
        constraints = [
            models.UniqueConstraint(
                fields=["assessment", "department"], name="submission_once_per_department"
            )
        ]

    def __str__(self) -> str:
        return f"{self.department} – {self.get_status_display()}"

    @property
    def submitted_late(self) -> bool:
        return _late(self.submitted_at, self.due_when_submitted)


# An assessment's departments' parts handed in after the due date they were held to.
PARTS_LATE = models.Q(
    submissions__submitted_at__date__gt=models.F("submissions__due_when_submitted")
)


class Decision(models.TextChoices):
    ACCEPTED = "accepted", _("Answer accepted")
    KEPT = "kept", _("Appraised score kept")


class ProposalChoice(models.TextChoices):
    ACCEPTED = "accepted", _("Proposal accepted")
    OVERRIDDEN = "overridden", _("Proposal overridden")


class Score(UnitScoped, models.Model):
    """One leaf criterion of one assessment: self-score, appraisal, answer and final score."""

    unit_path = "assessment.unit_id"

    assessment = models.ForeignKey(Assessment, on_delete=models.CASCADE, related_name="scores")
    criterion = models.ForeignKey(Criterion, on_delete=models.CASCADE, related_name="scores")
    # What the department reports: 1/0, a ratio in %, a number of occurrences or the points.
    value = models.DecimalField(_("reported value"), max_digits=9, decimal_places=2, null=True)
    self_points = models.DecimalField(_("self-score"), null=True, blank=True, **POINTS)
    explanation = models.TextField(_("explanation"), blank=True)
    appraised_points = models.DecimalField(_("appraised score"), null=True, blank=True, **POINTS)
    appraisal_reason = models.TextField(_("appraisal reason"), blank=True)
    answer = models.TextField(_("commune's answer"), blank=True)
    decision = models.CharField(
        _("decision on the answer"), max_length=10, choices=Decision.choices, blank=True
    )
    decision_reason = models.TextField(_("reason for the decision"), blank=True)
    final_points = models.DecimalField(_("final score"), null=True, blank=True, **POINTS)
    # Proposed from the system's records by the criterion's rule: recomputed while the
    # self-assessment is a draft, kept as it stood once submitted.
    proposed_value = models.DecimalField(
        _("proposed value"), max_digits=9, decimal_places=2, null=True, blank=True
    )
    proposed_points = models.DecimalField(_("proposed score"), null=True, blank=True, **POINTS)
    proposal_figure = models.TextField(_("figure proposed from"), blank=True)
    proposal_period = models.CharField(_("period the figure covers"), max_length=60, blank=True)
    proposal_links = models.JSONField(_("records behind the figure"), default=list, blank=True)
    proposal_computed_at = models.DateTimeField(null=True, blank=True)
    proposal_frozen_at = models.DateTimeField(null=True, blank=True)
    proposal_choice = models.CharField(
        _("proposal"), max_length=10, choices=ProposalChoice.choices, blank=True
    )
    override_reason = models.TextField(_("why the proposal is overridden"), blank=True)
    updated_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name = _("score")
        verbose_name_plural = _("scores")
        constraints = [
            models.UniqueConstraint(fields=["assessment", "criterion"], name="score_once")
        ]

    def __str__(self) -> str:
        return f"{self.criterion.code}: {self.self_points}"

    @property
    def points(self) -> Decimal | None:
        """The score that counts now: final, else appraised, else self-assessed."""
        for value in (self.final_points, self.appraised_points, self.self_points):
            if value is not None:
                return value
        return None

    def _assignments(self) -> models.QuerySet[Assignment]:
        return Assignment.objects.filter(
            unit_id=self.assessment.unit_id, criterion_id=self.criterion_id
        )

    def scope_department_ids(self) -> list[int]:
        """The department the criterion is assigned to in the commune (none if not assigned)."""
        return list(self._assignments().values_list("department_id", flat=True))

    def scope_assignee_ids(self) -> list[int]:
        return list(self._assignments().values_list("people", flat=True))


def score_file_path(instance: ScoreEvidence, filename: str) -> str:
    suffix = PurePath(filename).suffix.lower()
    return f"scoring/{instance.score.assessment.unit_id}/{uuid.uuid4().hex}{suffix}"


class EvidenceStage(models.TextChoices):
    SELF = "self", _("Self-assessment")
    ANSWER = "answer", _("Answer to the appraisal")


class ScoreEvidence(UnitScoped, StoredFile):
    """A document proving a score: an uploaded file or a plan task's product already uploaded
    (then linked, not copied: the file stays the task's, its name, kind, size and hash are noted
    here)."""

    unit_path = "score.assessment.unit_id"

    score = models.ForeignKey(Score, on_delete=models.CASCADE, related_name="evidence")
    title = models.CharField(_("document"), max_length=500)
    document_number = models.CharField(_("document number"), max_length=60, blank=True)
    document_date = models.DateField(_("document date"), null=True, blank=True)
    file = models.FileField(upload_to=score_file_path, blank=True)
    link = models.URLField(_("link"), max_length=500, blank=True)
    stage = models.CharField(
        _("given with"), max_length=10, choices=EvidenceStage.choices, default=EvidenceStage.SELF
    )
    task_evidence = models.ForeignKey(
        "plans.Evidence",
        verbose_name=_("plan task's product"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )

    class Meta:
        verbose_name = _("score evidence")
        verbose_name_plural = _("score evidence")
        ordering = ["uploaded_at"]

    def __str__(self) -> str:
        return self.title

    @property
    def is_complete(self) -> bool:
        """Strong evidence names the document: its number and date."""
        return bool(self.document_number and self.document_date)

    def scope_department_ids(self) -> list[int]:
        return self.score.scope_department_ids()

    def scope_assignee_ids(self) -> list[int]:
        return self.score.scope_assignee_ids()
