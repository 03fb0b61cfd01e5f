"""Periodic CCHC reports: periods of a plan, departments' contributions, the commune's report,
and the wording templates of every generated document."""

from __future__ import annotations

import uuid
from pathlib import PurePath

from django.conf import settings
from django.db import models
from django.db.models import F, Q
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from core.files import StoredFile
from core.scoping import UnitScoped
from core.text import roman
from org.models import Department, Unit
from plans.models import Plan, ReformArea


class PeriodKind(models.TextChoices):
    QUARTER = "quarter", _("Quarter")
    SIX_MONTH = "six_month", _("Six months")
    YEAR = "year", _("Year")


def period_label(kind: str, year: int, number: int) -> str:
    """How the interface names a period: "Quý I/2026", "6 tháng đầu năm 2026", "Năm 2026"."""
    if kind == PeriodKind.QUARTER:
        return gettext("Quarter %(numeral)s/%(year)s") % {
            "numeral": roman(number),
            "year": year,
        }
    if kind == PeriodKind.SIX_MONTH:
        if number == 2:
            return gettext("Last six months of %(year)s") % {"year": year}
        return gettext("First six months of %(year)s") % {"year": year}
    return gettext("Year %(year)s") % {"year": year}


class ReportingPeriod(UnitScoped, models.Model):
    """A quarter, half-year or year of a plan that departments and the commune report on."""

    plan = models.ForeignKey(Plan, on_delete=models.CASCADE, related_name="reporting_periods")
    unit = models.ForeignKey(Unit, on_delete=models.PROTECT, related_name="+")
    kind = models.CharField(_("kind"), max_length=20, choices=PeriodKind.choices)
    year = models.PositiveSmallIntegerField(_("year"))
    number = models.PositiveSmallIntegerField(default=0)  # quarter 1–4, half 1–2, 0 for a year
    start = models.DateField(_("start"))
    end = models.DateField(_("end"))
    department_due = models.DateField(_("departments send their part by"))
    unit_due = models.DateField(_("the report is sent by"))

    class Meta:
        verbose_name = _("reporting period")
        verbose_name_plural = _("reporting periods")
        ordering = ["plan", "end", "kind"]
        constraints = [
            models.UniqueConstraint(
                fields=["plan", "kind", "year", "number"], name="reporting_period_unique"
            )
        ]
        # A unit's periods of a year: the board's report facts and the ministry's reporting rate
        # look them up by commune, never by plan.
        indexes = [
            models.Index(fields=["unit", "year", "kind", "number"], name="reporting_period_unit")
        ]

    def __str__(self) -> str:
        return str(self.label)

    @property
    def label(self) -> str:
        return period_label(self.kind, self.year, self.number)


class ContributionStatus(models.TextChoices):
    DRAFT = "draft", _("Being written")
    SUBMITTED = "submitted", _("Submitted")
    RETURNED = "returned", _("Returned for changes")
    ACCEPTED = "accepted", _("Accepted")


# The parts sent after the due date they were held to, as a filter.
SENT_LATE = Q(sent_on__gt=F("due_when_sent"))


class Contribution(UnitScoped, models.Model):
    """A department's part of a period's report."""

    unit_path = "period.unit_id"
    department_paths = ("department_id",)

    period = models.ForeignKey(
        ReportingPeriod, on_delete=models.CASCADE, related_name="contributions"
    )
    department = models.ForeignKey(Department, on_delete=models.PROTECT, related_name="+")
    status = models.CharField(
        _("status"),
        max_length=20,
        choices=ContributionStatus.choices,
        default=ContributionStatus.DRAFT,
    )
    submitted_at = models.DateTimeField(_("submitted at"), null=True, blank=True)
    # Kept when sent: a due date moved later does not make a late part on time.
    sent_on = models.DateField(_("sent on"), null=True, blank=True)
    due_when_sent = models.DateField(null=True, blank=True)
    submitted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    reviewed_at = models.DateTimeField(null=True, blank=True)
    reviewed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    return_reason = models.TextField(_("reason for returning"), blank=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name = _("report contribution")
        verbose_name_plural = _("report contributions")
        ordering = ["period", "department__name"]
        constraints = [
            models.UniqueConstraint(
                fields=["period", "department"], name="contribution_one_per_department"
            )
        ]

    def __str__(self) -> str:
        return f"{self.department} – {self.period}"

    @property
    def sent_late(self) -> bool:
        return bool(self.sent_on and self.due_when_sent and self.sent_on > self.due_when_sent)

    @property
    def is_editable(self) -> bool:
        return self.status in (ContributionStatus.DRAFT, ContributionStatus.RETURNED)


class ContributionSection(UnitScoped, models.Model):
    """What a department writes about one reform area (or in general, without an area)."""

    unit_path = "contribution.period.unit_id"

    contribution = models.ForeignKey(
        Contribution, on_delete=models.CASCADE, related_name="sections"
    )
    area = models.ForeignKey(
        ReformArea, null=True, blank=True, on_delete=models.CASCADE, related_name="+"
    )
    order = models.PositiveSmallIntegerField(default=0)
    results = models.TextField(_("results"), blank=True)
    figures = models.TextField(_("figures"), blank=True)
    difficulties = models.TextField(_("difficulties"), blank=True)
    proposals = models.TextField(_("proposals"), blank=True)

    class Meta:
        ordering = ["contribution", "order"]
        constraints = [
            models.UniqueConstraint(fields=["contribution", "area"], name="section_one_per_area")
        ]

    def __str__(self) -> str:
        return str(self.area or _("General"))


class ReportStatus(models.TextChoices):
    DRAFT = "draft", _("Draft")
    APPROVED = "approved", _("Approved")
    SENT = "sent", _("Sent to the Department of Home Affairs")


class Report(UnitScoped, models.Model):
    """The commune's report of a period, assembled from contributions and data, then edited."""

    unit_path = "period.unit_id"

    period = models.OneToOneField(ReportingPeriod, on_delete=models.CASCADE, related_name="report")
    status = models.CharField(
        _("status"), max_length=20, choices=ReportStatus.choices, default=ReportStatus.DRAFT
    )
    number = models.CharField(_("number"), max_length=30, blank=True)
    issued_on = models.DateField(_("date"), null=True, blank=True)
    addressee = models.CharField(_("addressed to (Kính gửi)"), max_length=300, blank=True)
    recipients = models.TextField(_("recipients (one per line)"), blank=True)
    signer_capacity = models.CharField(_("signing capacity"), max_length=100, blank=True)
    signer_title = models.CharField(_("signer's title"), max_length=100, blank=True)
    signer_name = models.CharField(_("signer"), max_length=150, blank=True)
    assembled_at = models.DateTimeField(null=True, blank=True)
    # The day the figures were taken on when it was assembled: the period's end, or the day of
    # assembly when the period had not ended yet.
    figures_on = models.DateField(_("figures as of"), null=True, blank=True)
    approved_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    approved_at = models.DateTimeField(null=True, blank=True)
    sent_at = models.DateTimeField(null=True, blank=True)
    sent_late = models.BooleanField(_("sent late"), default=False)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name = _("report")
        verbose_name_plural = _("reports")

    def __str__(self) -> str:
        return f"{_('Report')} {self.period}"


class ReportSection(UnitScoped, models.Model):
    """A numbered part of the report's body; `level` 1 is "I.", 2 is "1."."""

    unit_path = "report.period.unit_id"

    report = models.ForeignKey(Report, on_delete=models.CASCADE, related_name="sections")
    order = models.PositiveSmallIntegerField(default=0)
    level = models.PositiveSmallIntegerField(default=1)
    key = models.CharField(max_length=40)
    heading = models.CharField(_("heading"), max_length=300)
    text = models.TextField(_("text"), blank=True)

    class Meta:
        ordering = ["report", "order"]
        constraints = [
            models.UniqueConstraint(fields=["report", "key"], name="report_section_unique_key")
        ]

    def __str__(self) -> str:
        return self.heading


def report_file_path(instance: ReportFile, filename: str) -> str:
    suffix = PurePath(filename).suffix.lower()
    return f"reports/{instance.report.period.unit_id}/{uuid.uuid4().hex}{suffix}"


class ReportFile(UnitScoped, StoredFile):
    """A document of the report as it was approved (the .docx, the annexes' .xlsx), kept byte
    for byte: what changes in the data later does not change an approved report."""

    unit_path = "report.period.unit_id"

    report = models.ForeignKey(Report, on_delete=models.CASCADE, related_name="files")
    file = models.FileField(upload_to=report_file_path)

    class Meta:
        verbose_name = _("approved report file")
        verbose_name_plural = _("approved report files")
        constraints = [
            models.UniqueConstraint(fields=["report", "kind"], name="report_file_one_per_kind")
        ]


class DocumentTemplate(models.Model):
    """An administrator's wording of a generated document, replacing the default shipped one."""

    key = models.CharField(_("template"), max_length=60, unique=True)
    text = models.TextField(_("wording"))
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name = _("document template")
        verbose_name_plural = _("document templates")
        ordering = ["key"]

    def __str__(self) -> str:
        return self.key
