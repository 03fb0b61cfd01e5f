"""Rules of the province's requests to its communes: sending to all or some communes with a due
date, a commune receiving and answering (with files, a link or its report; late when after the
due date), the province returning an answer, moving the due date or withdrawing the request."""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import date

from django.core.exceptions import ValidationError
from django.core.validators import URLValidator
from django.db import transaction
from django.utils.translation import gettext as _

from core import clock
from core.files import EVIDENCE_KINDS, UploadedFile, store_upload
from org.models import Unit, UnitLevel, User
from province_requests import handoffs
from province_requests.models import (
    OPEN_STATUSES,
    AnswerState,
    ProvinceRequest,
    Recipient,
    RecipientStatus,
    RequestFile,
    RequestKind,
)
from reports.models import Report

MAX_FILES = 10


@dataclass
class RequestData:
    kind: str
    title: str
    due: date
    body: str = ""
    period: str = ""
    letter_number: str = ""
    letter_date: date | None = None


@dataclass
class AnswerData:
    answer: str = ""
    link: str = ""
    report: Report | None = None


def communes_of(province: Unit) -> list[Unit]:
    """The active communes and wards of the province, by name."""
    return list(
        Unit.objects.filter(province=province, level=UnitLevel.COMMUNE, is_active=True).order_by(
            "name"
        )
    )


def _check_request(data: RequestData) -> None:
    errors: dict[str, str] = {}
    if data.kind not in RequestKind.values:
        errors["kind"] = _("Choose what is asked of the communes.")
    if not data.title.strip():
        errors["title"] = _("Write the subject of the request.")
    if data.due is None:
        errors["due"] = _("Give the date by which communes must answer.")
    elif data.due < clock.today():
        errors["due"] = _("The due date cannot be in the past.")
    if data.letter_date and data.letter_date > clock.today():
        errors["letter_date"] = _("The official letter cannot be dated in the future.")
    if errors:
        raise ValidationError(errors)


def _check_communes(province: Unit, communes: Sequence[Unit]) -> None:
    if not communes:
        raise ValidationError({"communes": _("Choose at least one commune.")})
    outside = [
        u.full_name
        for u in communes
        if u.province_id != province.pk or u.level != UnitLevel.COMMUNE or not u.is_active
    ]
    if outside:
        raise ValidationError(
            {
                "communes": _("Not communes of %(province)s now: %(names)s.")
                % {"province": province.full_name, "names": ", ".join(outside)}
            }
        )


def _store_files(
    request: ProvinceRequest, recipient: Recipient | None, files: Iterable[UploadedFile], by: User
) -> int:
    files = list(files)
    if len(files) > MAX_FILES:
        raise ValidationError(_("At most %(n)d files at a time.") % {"n": MAX_FILES})
    for upload in files:
        store_upload(
            RequestFile(request=request, recipient=recipient),
            upload.name,
            upload.stream,
            EVIDENCE_KINDS,
            by,
        )
    return len(files)


@transaction.atomic
def send_request(
    province: Unit,
    data: RequestData,
    *,
    communes: Sequence[Unit] | None = None,
    letter: Iterable[UploadedFile] = (),
    by: User,
) -> ProvinceRequest:
    """Send to `communes` (every active commune of the province when None). Each commune's focal
    officer has it to answer at once."""
    if province.level != UnitLevel.PROVINCE:
        raise ValidationError(_("Only a province sends requests to its communes."))
    _check_request(data)
    chosen = communes_of(province) if communes is None else list(communes)
    _check_communes(province, chosen)
    request = ProvinceRequest.objects.create(
        unit=province,
        kind=data.kind,
        title=data.title.strip(),
        body=data.body.strip(),
        period=data.period.strip(),
        letter_number=data.letter_number.strip(),
        letter_date=data.letter_date,
        due=data.due,
        sent_by=by,
        sent_at=clock.now(),
    )
    # One by one, so that each commune's copy has its history from the start.
    recipients = [
        Recipient.objects.create(request=request, unit=unit)
        for unit in {u.pk: u for u in chosen}.values()
    ]
    _store_files(request, None, letter, by)
    handoffs.to_answer(recipients)
    return request


def _check_still_of_province(recipient: Recipient) -> None:
    request, unit = recipient.request, recipient.unit
    if unit.province_id != request.unit_id:
        raise ValidationError(
            _("%(unit)s no longer belongs to %(province)s; the request no longer applies to it.")
            % {"unit": unit.full_name, "province": request.unit.full_name}
        )


def mark_seen(recipient: Recipient, *, by: User) -> bool:
    """The commune opened the request: received. Only its own people count."""
    if recipient.status != RecipientStatus.SENT or by.unit_id != recipient.unit_id:
        return False
    return bool(
        Recipient.objects.filter(pk=recipient.pk, status=RecipientStatus.SENT).update(
            status=RecipientStatus.SEEN, seen_at=clock.now()
        )
    )


@transaction.atomic
def answer_request(
    recipient: Recipient,
    data: AnswerData,
    *,
    files: Iterable[UploadedFile] = (),
    by: User,
) -> Recipient:
    """The commune answers with a file, a link or its report (and words); after the due date the
    answer is accepted and marked late for good."""
    recipient = (
        Recipient.objects.select_for_update()
        .select_related("request__unit", "unit")
        .get(pk=recipient.pk)
    )
    request = recipient.request
    if not request.is_open:
        raise ValidationError(_("The province withdrew this request; it needs no answer."))
    if recipient.status == RecipientStatus.ANSWERED:
        raise ValidationError(_("This request is already answered."))
    _check_still_of_province(recipient)
    files = list(files)
    link = data.link.strip()
    errors: dict[str, str] = {}
    if link:
        try:
            URLValidator(schemes=["http", "https"])(link)
        except ValidationError:
            errors["link"] = _("The link must be a web address starting with http:// or https://.")
    if data.report is not None and data.report.period.unit_id != recipient.unit_id:
        errors["report"] = _("Choose one of your commune's own reports.")
    has_files = bool(files) or recipient.files.exists()
    if not (has_files or link or data.report is not None):
        errors["files"] = _(
            "Attach the document asked for, give a link to it or choose your report."
        )
    if errors:
        raise ValidationError(errors)
    _store_files(request, recipient, files, by)
    recipient.answer = data.answer.strip()
    recipient.link = link
    recipient.report = data.report
    recipient.status = RecipientStatus.ANSWERED
    recipient.answered_at = clock.now()
    recipient.answered_by = by
    recipient.due_when_answered = request.due
    recipient.seen_at = recipient.seen_at or recipient.answered_at
    recipient.save(
        update_fields=[
            "answer",
            "link",
            "report",
            "status",
            "answered_at",
            "answered_by",
            "due_when_answered",
            "seen_at",
        ]
    )
    handoffs.answered(recipient)
    return recipient


@transaction.atomic
def return_answer(recipient: Recipient, note: str, *, by: User) -> Recipient:
    """The province asks the commune to complete its answer; it answers again (late if after the
    due date)."""
    recipient = Recipient.objects.select_for_update().select_related("request").get(pk=recipient.pk)
    if recipient.status != RecipientStatus.ANSWERED:
        raise ValidationError(_("Only an answer given can be returned."))
    if not recipient.request.is_open:
        raise ValidationError(_("The request was withdrawn."))
    if not note.strip():
        raise ValidationError({"note": _("Say what is missing from the answer.")})
    recipient.status = RecipientStatus.RETURNED
    recipient.return_note = note.strip()[:500]
    recipient.returned_at = clock.now()
    recipient.save(update_fields=["status", "return_note", "returned_at"])
    handoffs.to_answer([recipient], note=recipient.return_note)
    return recipient


@transaction.atomic
def move_due(request: ProvinceRequest, due: date, reason: str, *, by: User) -> ProvinceRequest:
    """A later due date for every commune that has not answered; answers given keep their mark."""
    request = ProvinceRequest.objects.select_for_update().get(pk=request.pk)
    if not request.is_open:
        raise ValidationError(_("The request was withdrawn."))
    if not reason.strip():
        raise ValidationError({"reason": _("Give the reason for moving the due date.")})
    if due is None or due <= request.due:
        raise ValidationError({"due": _("The new due date must be later than the current one.")})
    request.due = due
    request.save(update_fields=["due"])
    handoffs.to_answer(
        request.recipients.filter(status__in=OPEN_STATUSES).select_related("request")
    )
    return request


@transaction.atomic
def withdraw_request(request: ProvinceRequest, reason: str, *, by: User) -> ProvinceRequest:
    request = ProvinceRequest.objects.select_for_update().get(pk=request.pk)
    if not request.is_open:
        raise ValidationError(_("The request is already withdrawn."))
    if not reason.strip():
        raise ValidationError({"reason": _("Give the reason for withdrawing the request.")})
    request.cancelled_at = clock.now()
    request.cancel_reason = reason.strip()[:500]
    request.save(update_fields=["cancelled_at", "cancel_reason"])
    handoffs.withdrawn(request.recipients.all())
    return request


@dataclass(frozen=True)
class Tally:
    """How the communes stand on one request, as DHIS2 shows reporting rates."""

    sent: int
    on_time: int
    late: int
    returned: int
    waiting: int  # not answered, not yet due
    missing: int  # not answered, past due

    @property
    def answered(self) -> int:
        return self.on_time + self.late


def tally(recipients: Iterable[Recipient]) -> Tally:
    counts = Counter(r.state for r in recipients)
    return Tally(
        sent=sum(counts.values()),
        on_time=counts[AnswerState.ON_TIME],
        late=counts[AnswerState.LATE],
        returned=counts[AnswerState.RETURNED],
        waiting=counts[AnswerState.WAITING],
        missing=counts[AnswerState.MISSING],
    )
