"""Reminders: what each person is told each day, in the app (the bell) and by e-mail."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _


class ReminderKind(models.TextChoices):
    DUE_SOON = "due_soon", _("Deadlines coming (7, 3 and 1 days before)")
    OVERDUE = "overdue", _("Overdue work")
    ESCALATION = "escalation", _("Overdue work of my department (for department heads)")
    REPORT = "report", _("Report contributions and reports due")
    ASSESSMENT = "assessment", _("PAR-index self-assessment and appraisal answers due")
    SELF_CHECK = "self_check", _("Inspection self-checks due")
    FINDING = "finding", _("Inspection findings to fix")
    REQUEST = "request", _("Requests of the province to answer")


# What an item of "My work" is, in a word (the kinds above name what a person may choose to hear).
WORK_LABELS = {
    ReminderKind.DUE_SOON: _("Plan task"),
    ReminderKind.OVERDUE: _("Overdue work"),
    ReminderKind.ESCALATION: _("Overdue work of my department"),
    ReminderKind.REPORT: _("Report"),
    ReminderKind.ASSESSMENT: _("PAR index"),
    ReminderKind.SELF_CHECK: _("Self-check"),
    ReminderKind.FINDING: _("Finding to fix"),
    ReminderKind.REQUEST: _("Request of the province"),
}


class Digest(models.Model):
    """One person's reminders of one day; its uniqueness makes sending idempotent."""

    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+")
    day = models.DateField()
    created_at = models.DateTimeField(auto_now_add=True)
    sent_at = models.DateTimeField(null=True, blank=True)
    # Set by the worker sending it, so that a second worker leaves it alone (see _deliver).
    claimed_at = models.DateTimeField(null=True, blank=True)
    attempts = models.PositiveSmallIntegerField(default=0)
    last_error = models.TextField(blank=True)

    class Meta:
        verbose_name = _("daily reminder")
        verbose_name_plural = _("daily reminders")
        constraints = [models.UniqueConstraint(fields=["user", "day"], name="digest_once_a_day")]
        indexes = [models.Index(fields=["sent_at", "day"])]

    def __str__(self) -> str:
        return f"{self.user} {self.day:%d/%m/%Y}"


class Notification(models.Model):
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="notifications"
    )
    digest = models.ForeignKey(
        Digest, null=True, blank=True, on_delete=models.CASCADE, related_name="notifications"
    )
    kind = models.CharField(_("kind"), max_length=20, choices=ReminderKind.choices)
    key = models.CharField(max_length=100)  # what it is about, e.g. "milestone:42:due3"
    title = models.CharField(_("title"), max_length=300)
    url = models.CharField(max_length=300, blank=True)
    due = models.DateField(_("due"), null=True, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    read_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        verbose_name = _("notification")
        verbose_name_plural = _("notifications")
        ordering = ["-created_at", "due"]
        constraints = [
            models.UniqueConstraint(fields=["digest", "key"], name="notification_once_per_digest")
        ]
        indexes = [models.Index(fields=["user", "read_at"])]

    def __str__(self) -> str:
        return self.title


class ToDo(models.Model):
    """Work handed to one person, open until the act is done (`done_at`); shown in the bell when
    handed, listed on "my work", gathered in the daily digest, escalated once late."""

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="todos"
    )
    key = models.CharField(max_length=150)  # the work, e.g. "report-part:12:send"
    kind = models.CharField(_("kind"), max_length=20, choices=ReminderKind.choices)
    title = models.CharField(_("title"), max_length=300)
    url = models.CharField(max_length=300, blank=True)
    due = models.DateField(_("due"), null=True, blank=True)
    remind = models.BooleanField(default=True)
    escalate_to = models.JSONField(default=list, blank=True)
    handed_at = models.DateTimeField(_("handed over at"))
    done_at = models.DateTimeField(_("done at"), null=True, blank=True)

    class Meta:
        verbose_name = _("work to do")
        verbose_name_plural = _("work to do")
        ordering = ["done_at", "due", "-handed_at"]
        constraints = [models.UniqueConstraint(fields=["user", "key"], name="todo_once_per_person")]
        indexes = [
            models.Index(fields=["user", "done_at"]),
            models.Index(fields=["done_at", "due"]),
            models.Index(fields=["key"]),
        ]

    def __str__(self) -> str:
        return self.title

    @property
    def is_open(self) -> bool:
        return self.done_at is None

    @property
    def work_label(self) -> str:
        return str(WORK_LABELS.get(self.kind, self.get_kind_display()))


class ReminderSettings(models.Model):
    user = models.OneToOneField(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="reminder_settings"
    )
    disabled_kinds = models.JSONField(default=list, blank=True)

    class Meta:
        verbose_name = _("reminder settings")
        verbose_name_plural = _("reminder settings")

    def __str__(self) -> str:
        return str(self.user)


class DailyRun(models.Model):
    """When the daily reminder run happened, for the schedule and for people to check."""

    day = models.DateField(unique=True)
    started_at = models.DateTimeField(auto_now_add=True)
    finished_at = models.DateTimeField(null=True, blank=True)
    people = models.PositiveIntegerField(default=0)
    reminders = models.PositiveIntegerField(default=0)

    class Meta:
        ordering = ["-day"]

    def __str__(self) -> str:
        return f"{self.day:%d/%m/%Y}"


class ScheduledRun(models.Model):
    """One booked run of a scheduled job, under a key naming the job and its time (e.g.
    "daily-reminders:2026-12-03"); booking inserts the key and running claims it, so however
    many workers or start-ups book it, it is queued once and runs once."""

    key = models.CharField(max_length=100, unique=True)
    booked_at = models.DateTimeField(auto_now_add=True)
    started_at = models.DateTimeField(null=True, blank=True)
    finished_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-booked_at"]

    def __str__(self) -> str:
        return self.key
