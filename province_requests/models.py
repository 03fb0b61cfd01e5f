"""Requests of the province to its communes (văn bản yêu cầu, đề nghị của tỉnh): a report, a
self-assessment, a document or figures asked for by a date, sent to all or some communes; each
commune's copy (`Recipient`) is received, seen, answered (on time or late) or returned."""

from __future__ import annotations

import uuid
from pathlib import PurePath

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from core import clock
from core.files import StoredFile
from core.scoping import UnitScoped
from org.models import Unit


class RequestKind(models.TextChoices):
    REPORT = "report", _("A periodic report")
    SELF_ASSESSMENT = "self_assessment", _("A PAR-index self-assessment")
    DOCUMENT = "document", _("A document")
    FIGURES = "figures", _("Figures")


class RecipientStatus(models.TextChoices):
    SENT = "sent", _("Not opened yet")
    SEEN = "seen", _("Received")
    ANSWERED = "answered", _("Answered")
    RETURNED = "returned", _("Returned for completion")


class AnswerState(models.TextChoices):
    """Where a commune's copy stands on a day, as the province reads it."""

    ON_TIME = "on_time", _("Answered on time")
    LATE = "late", _("Answered late")
    RETURNED = "returned", _("Returned for completion")
    WAITING = "waiting", _("Not answered, not yet due")
    MISSING = "missing", _("Not answered, overdue")


# What a commune still owes.
OPEN_STATUSES = (RecipientStatus.SENT, RecipientStatus.SEEN, RecipientStatus.RETURNED)


class ProvinceRequest(UnitScoped, models.Model):
    """What the province asked of its communes; belongs to the province unit."""

    unit = models.ForeignKey(
        Unit,
        verbose_name=_("province"),
        on_delete=models.PROTECT,
        related_name="requests_sent",
    )
    kind = models.CharField(_("what is asked"), max_length=20, choices=RequestKind.choices)
    title = models.CharField(_("subject"), max_length=300)
    body = models.TextField(_("content of the request"), blank=True)
    period = models.CharField(_("period"), max_length=60, blank=True)
    letter_number = models.CharField(_("official letter number"), max_length=60, blank=True)
    letter_date = models.DateField(_("official letter date"), null=True, blank=True)
    due = models.DateField(_("answer due by"))
    sent_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    sent_at = models.DateTimeField(_("sent at"))
    cancelled_at = models.DateTimeField(_("withdrawn at"), null=True, blank=True)
    cancel_reason = models.CharField(_("reason for withdrawal"), max_length=500, blank=True)

    class Meta:
        verbose_name = _("request to communes")
        verbose_name_plural = _("requests to communes")
        ordering = ["-sent_at"]
        indexes = [models.Index(fields=["unit", "due"])]

    def __str__(self) -> str:
        return self.title

    @property
    def is_open(self) -> bool:
        return self.cancelled_at is None


class Recipient(UnitScoped, models.Model):
    """One commune's copy of a request, and its answer."""

    request = models.ForeignKey(
        ProvinceRequest, on_delete=models.CASCADE, related_name="recipients"
    )
    unit = models.ForeignKey(
        Unit, verbose_name=_("commune"), on_delete=models.PROTECT, related_name="requests_received"
    )
    status = models.CharField(
        _("status"), max_length=10, choices=RecipientStatus.choices, default=RecipientStatus.SENT
    )
    seen_at = models.DateTimeField(_("received at"), null=True, blank=True)
    answer = models.TextField(_("answer"), blank=True)
    link = models.URLField(_("link"), max_length=500, blank=True)
    report = models.ForeignKey(
        "reports.Report",
        verbose_name=_("report sent"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    answered_at = models.DateTimeField(_("answered at"), null=True, blank=True)
    answered_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    # The due date in force when the answer was given: a later move keeps the mark.
    due_when_answered = models.DateField(null=True, blank=True)
    return_note = models.CharField(_("what is missing"), max_length=500, blank=True)
    returned_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        verbose_name = _("commune's copy of a request")
        verbose_name_plural = _("communes' copies of requests")
        ordering = ["unit__name"]
        constraints = [
            models.UniqueConstraint(fields=["request", "unit"], name="request_once_per_commune")
        ]
        indexes = [models.Index(fields=["unit", "status"])]

    def __str__(self) -> str:
        return f"{self.request} – {self.unit}"

    @property
    def answered_late(self) -> bool:
        return bool(
            self.answered_at
            and self.due_when_answered
            and timezone.localtime(self.answered_at).date() > self.due_when_answered
        )

    @property
    def is_open(self) -> bool:
        return self.status in OPEN_STATUSES

    @property
    def state(self) -> str:
        if self.status == RecipientStatus.ANSWERED:
            return AnswerState.LATE if self.answered_late else AnswerState.ON_TIME
        if self.status == RecipientStatus.RETURNED:
            return AnswerState.RETURNED
        return AnswerState.MISSING if self.request.due < clock.today() else AnswerState.WAITING

    @property
    def state_label(self) -> str:
        return AnswerState(self.state).label


def request_file_path(instance: RequestFile, filename: str) -> str:
    suffix = PurePath(filename).suffix.lower()
    return f"requests/{instance.request.unit_id}/{uuid.uuid4().hex}{suffix}"


class RequestFile(UnitScoped, StoredFile):
    """The province's official letter (no recipient) or a file of a commune's answer."""

    request = models.ForeignKey(ProvinceRequest, on_delete=models.CASCADE, related_name="files")
    recipient = models.ForeignKey(
        Recipient, null=True, blank=True, on_delete=models.CASCADE, related_name="files"
    )
    file = models.FileField(upload_to=request_file_path)

    class Meta:
        verbose_name = _("request file")
        verbose_name_plural = _("request files")
        ordering = ["uploaded_at"]

    def __str__(self) -> str:
        return self.original_name

    def scope_unit_id(self) -> int | None:
        # An answer's file is the commune's; the letter is the province's.
        return self.recipient.unit_id if self.recipient_id else self.request.unit_id
