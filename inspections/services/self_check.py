"""The inspected department's self-check, and the team's verdicts on the same checklist."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date, timedelta

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import QuerySet
from django.utils import timezone
from django.utils.translation import gettext as _

from core import clock
from core.files import EVIDENCE_KINDS, UploadedFile, check_upload
from inspections import handoffs
from inspections.models import (
    Answer,
    ChecklistItem,
    Result,
    Subject,
)
from inspections.services.rounds import store_attachment
from org.models import User


class SelfCheckState:
    NOT_DUE = "not_due"
    DUE = "due"
    LATE = "late"
    SENT = "sent"
    SENT_LATE = "sent_late"


def self_check_state(subject: Subject, on: date | None = None) -> str:
    on = on or clock.today()
    due = subject.round.self_check_due
    if subject.submitted_on:
        held_to = subject.due_when_sent or due
        return SelfCheckState.SENT_LATE if subject.submitted_on > held_to else SelfCheckState.SENT
    if on > due:
        return SelfCheckState.LATE
    if on >= due - timedelta(days=7):
        return SelfCheckState.DUE
    return SelfCheckState.NOT_DUE


def subject_items(subject: Subject) -> QuerySet[ChecklistItem]:
    return ChecklistItem.objects.filter(area__in=subject.areas.all()).select_related("area")


@dataclass
class AnswerData:
    item: ChecklistItem
    result: str
    note: str = ""


@transaction.atomic
def save_answers(
    subject: Subject,
    by: User,
    answers: Sequence[AnswerData],
    *,
    as_team: bool = False,
    files: Sequence[UploadedFile] = (),
) -> list[Answer]:
    """The department's own answers (self-check) or, as_team, the team's verdicts."""
    allowed = set(subject_items(subject).values_list("pk", flat=True))
    for data in answers:
        if data.result not in Result.values:
            raise ValidationError(_("Answer met, not met or not applicable."))
        if data.item.pk not in allowed:
            raise ValidationError(
                _("Item %(code)s is not among this department's items.") % {"code": data.item.code}
            )
        if data.result == Result.NOT_MET and not data.note.strip() and not as_team:
            raise ValidationError(
                _("Item %(code)s is not met: say why in the note.") % {"code": data.item.code}
            )
    for upload in files:  # check every file before writing anything
        check_upload(upload.name, upload.stream, EVIDENCE_KINDS)
    saved = []
    for data in answers:
        answer, _created = Answer.objects.get_or_create(subject=subject, item=data.item)
        if as_team:
            answer.team_result, answer.team_note = data.result, data.note.strip()
        else:
            answer.self_result, answer.self_note = data.result, data.note.strip()
        answer.save()
        saved.append(answer)
    for upload in files:
        store_attachment(subject.round, upload, by, subject=subject)
    return saved


@transaction.atomic
def submit_self_check(subject: Subject, by: User, *, note: str = "", on: date | None = None):
    """The department sends its self-check to the team; every item must be answered."""
    on = on or clock.today()
    items = subject_items(subject)
    answered = set(
        Answer.objects.filter(subject=subject)
        .exclude(self_result="")
        .values_list("item_id", flat=True)
    )
    missing = [i.code for i in items if i.pk not in answered]
    if missing:
        raise ValidationError(
            _("Answer every item before sending; still open: %(items)s.")
            % {"items": ", ".join(missing[:10]) + ("…" if len(missing) > 10 else "")}
        )
    subject.submitted_at = timezone.now()
    subject.submitted_on = on
    subject.due_when_sent = subject.round.self_check_due
    subject.submitted_by = by
    subject.self_check_note = note.strip()
    subject.save(
        update_fields=[
            "submitted_at",
            "submitted_on",
            "due_when_sent",
            "submitted_by",
            "self_check_note",
        ]
    )
    handoffs.self_check_sent(subject)
    return subject
