"""Findings and their remediation: the team records them, the responsible department answers
with evidence, the team verifies, returns, closes or reopens them."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import QuerySet
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from core import clock
from core.files import EVIDENCE_KINDS, UploadedFile, check_upload
from core.versions import fingerprint, refuse_if_changed
from inspections import handoffs
from inspections.models import (
    REMEDIATED,
    Attachment,
    ChecklistItem,
    EventKind,
    Finding,
    FindingEvent,
    FindingStatus,
    Round,
    Severity,
)
from inspections.services.rounds import store_attachment
from org.access import Action, can
from org.models import Department, User
from plans.models import Task
from scoring.models import Criterion, Framework
from scoring.services.frameworks import set_for_unit


@dataclass
class FindingData:
    description: str
    department: Department | None
    responsible_department: Department | None
    deadline: date | None
    severity: str = Severity.MEDIUM
    recommendation: str = ""
    item: ChecklistItem | None = None
    task: Task | None = None
    criterion_code: str = ""
    responsible_person: User | None = None
    criterion: Criterion | None = None  # found from the code when not given


def check_finding(round_: Round, data: FindingData) -> dict[str, str]:
    unit_id = round_.plan.unit_id
    errors: dict[str, str] = {}
    if not data.description.strip():
        errors["description"] = _("Describe the shortcoming found.")
    if data.department is None:
        errors["department"] = _("Say which department was found short.")
    elif data.department.unit_id != unit_id:
        errors["department"] = _("The department must belong to the plan's unit.")
    elif (
        round_.subjects.exists() and not round_.subjects.filter(department=data.department).exists()
    ):
        errors["department"] = _("The department was not inspected in this round.")
    if data.responsible_department is None:
        errors["responsible_department"] = _(
            "Every finding needs a department responsible for fixing it."
        )
    elif data.responsible_department.unit_id != unit_id:
        errors["responsible_department"] = _("The department must belong to the plan's unit.")
    if data.deadline is None:
        errors["deadline"] = _("Set the date by which it must be fixed.")
    if data.severity not in Severity.values:
        errors["severity"] = _("Choose the severity.")
    if data.item is not None and data.item.area.plan_id != round_.plan_id:
        errors["item"] = _("The checklist item belongs to another plan.")
    if data.task is not None and data.task.plan.unit_id != unit_id:
        errors["task"] = _("The task belongs to another unit's plan.")
    if (
        data.criterion is not None
        and not _unit_criteria(round_).filter(pk=data.criterion.pk).exists()
    ):
        errors["criterion_code"] = _(
            "Criterion %(code)s is not one of the unit's framework for %(year)s."
        ) % {"code": data.criterion.code, "year": round_.start.year}
    if data.responsible_person is not None and data.responsible_person.unit_id != unit_id:
        errors["responsible_person"] = _("The person must work in the plan's unit.")
    return errors


def _unit_criteria(round_: Round):
    """The leaf criteria of the framework the round's unit is scored by in the round's year."""
    unit = round_.plan.unit
    framework = Framework.objects.filter(
        province_id=unit.province_id, year=round_.start.year
    ).first()
    criteria_set = set_for_unit(framework, unit) if framework else None
    if criteria_set is None:
        return Criterion.objects.none()
    return Criterion.objects.filter(criteria_set=criteria_set, is_leaf=True)


def _criterion_of(round_: Round, data: FindingData) -> Criterion | None:
    """The criterion given, else the one of the unit's framework the code names, if any."""
    if data.criterion is not None:
        return data.criterion
    code = data.criterion_code.strip()
    return _unit_criteria(round_).filter(code=code).first() if code else None


def _require_team(user, obj: Round | Finding) -> None:
    """Only the inspection team (and a system administrator) records and edits findings."""
    if not can(user, Action.INSPECT, obj):
        raise ValidationError(_("Only the inspection team records and edits findings."))


@transaction.atomic
def record_finding(round_: Round, by: User, data: FindingData) -> Finding:
    _require_team(by, round_)
    errors = check_finding(round_, data)
    if errors:
        raise ValidationError(errors)
    finding = Finding.objects.create(
        round=round_, created_by=by, criterion=_criterion_of(round_, data), **_finding_fields(data)
    )
    handoffs.finding_to_fix(finding)
    return finding


def _finding_fields(data: FindingData) -> dict:
    return {
        "description": data.description.strip(),
        "department": data.department,
        "responsible_department": data.responsible_department,
        "responsible_person": data.responsible_person,
        "deadline": data.deadline,
        "severity": data.severity,
        "recommendation": data.recommendation.strip(),
        "item": data.item,
        "task": data.task,
        "criterion_code": data.criterion_code.strip()[:30],
    }


FINDING_LABELS = {
    "department": gettext_lazy("Inspected department"),
    "item": gettext_lazy("Checklist item"),
    "description": gettext_lazy("Shortcoming found"),
    "severity": gettext_lazy("Severity"),
    "recommendation": gettext_lazy("Recommendation"),
    "responsible_department": gettext_lazy("Responsible department"),
    "responsible_person": gettext_lazy("Responsible person"),
    "deadline": gettext_lazy("Fix by"),
    "task": gettext_lazy("Plan task concerned"),
    "criterion_code": gettext_lazy("Scoring criterion code"),
}


def _finding_values(finding: Finding) -> dict:
    return {name: getattr(finding, name) for name in FINDING_LABELS}


def finding_version(finding: Finding) -> str:
    """The fingerprint the finding's form carries, checked when it is saved."""
    return fingerprint(_finding_values(finding))


@transaction.atomic
def update_finding(
    finding: Finding, by: User, data: FindingData, *, seen: str | None = None
) -> Finding:
    """Change a finding. `seen` is the fingerprint of the values the editor was shown: a save
    over someone else's change made since is refused (`EditConflict`)."""
    _require_team(by, finding)
    finding = Finding.objects.select_for_update().select_related("round__plan").get(pk=finding.pk)
    refuse_if_changed(
        seen,
        _finding_values(finding),
        labels=FINDING_LABELS,
        changed=[finding],
        mine=_finding_fields(data),
    )
    errors = check_finding(finding.round, data)
    if errors:
        raise ValidationError(errors)
    for name, value in _finding_fields(data).items():
        setattr(finding, name, value)
    finding.criterion = _criterion_of(finding.round, data)
    finding.save()
    if finding.status == FindingStatus.OPEN:
        handoffs.finding_to_fix(finding)  # the department or the deadline may have changed
    return finding


def _event(finding: Finding, kind: str, by: User, text: str, on: date) -> FindingEvent:
    return FindingEvent.objects.create(finding=finding, kind=kind, by=by, text=text.strip(), on=on)


def _move(
    finding: Finding, kind: str, by: User, text: str, on: date, status: str, **fields
) -> FindingEvent:
    """A step of the team on the trail: the event recorded, the finding moved to `status`."""
    event = _event(finding, kind, by, text, on)
    finding.status = status
    for name, value in fields.items():
        setattr(finding, name, value)
    finding.save(update_fields=["status", *fields, "updated_at"])
    return event


@transaction.atomic
def respond(
    finding: Finding,
    by: User,
    text: str,
    *,
    files: Sequence[UploadedFile] = (),
    on: date | None = None,
) -> FindingEvent:
    """The responsible department says what it did, with its evidence."""
    on = on or clock.today()
    if not can(by, Action.ANSWER, finding):
        raise ValidationError(_("Only the responsible department answers this finding."))
    if finding.status in REMEDIATED:
        raise ValidationError(_("This finding is already settled."))
    if not text.strip():
        raise ValidationError({"text": _("Say what was done to fix it.")})
    for upload in files:
        check_upload(upload.name, upload.stream, EVIDENCE_KINDS)
    event = _event(finding, EventKind.RESPONSE, by, text, on)
    subject = finding.round.subjects.filter(department=finding.department).first()
    for upload in files:
        store_attachment(finding.round, upload, by, subject=subject, event=event)
    finding.status = FindingStatus.RESPONDED
    finding.save(update_fields=["status", "updated_at"])
    handoffs.finding_answered(finding)
    return event


def evidence_of(finding: Finding) -> QuerySet[Attachment]:
    return Attachment.objects.filter(event__finding=finding)


def _last_response(finding: Finding) -> FindingEvent | None:
    return finding.events.filter(kind=EventKind.RESPONSE).order_by("-created_at", "-pk").first()


@transaction.atomic
def verify(finding: Finding, by: User, text: str = "", *, on: date | None = None) -> Finding:
    """The team checked the fix: it counts as remediated on the day it was answered."""
    on = on or clock.today()
    _require_team(by, finding)
    response = _last_response(finding)
    if finding.status != FindingStatus.RESPONDED or response is None:
        raise ValidationError(_("The department has not answered this finding yet."))
    if not evidence_of(finding).exists():
        raise ValidationError(
            _("No evidence was attached to the answers; a fix is verified on evidence.")
        )
    _move(
        finding, EventKind.VERIFIED, by, text, on, FindingStatus.VERIFIED, remediated_on=response.on
    )
    handoffs.finding_settled(finding)
    return finding


@transaction.atomic
def return_finding(finding: Finding, by: User, text: str, *, on: date | None = None) -> Finding:
    """The team finds the answer insufficient: the finding is open again."""
    _require_team(by, finding)
    if not text.strip():
        raise ValidationError({"text": _("Say what is still missing.")})
    if finding.status not in (FindingStatus.RESPONDED, FindingStatus.VERIFIED):
        raise ValidationError(_("Only an answered finding can be returned."))
    on = on or clock.today()
    _move(finding, EventKind.RETURNED, by, text, on, FindingStatus.OPEN, remediated_on=None)
    handoffs.finding_to_fix(finding, reason=text.strip())
    return finding


@transaction.atomic
def close_finding(finding: Finding, by: User, text: str = "", *, on: date | None = None) -> Finding:
    on = on or clock.today()
    _require_team(by, finding)
    if not evidence_of(finding).exists():
        raise ValidationError(
            _("A finding is closed only on evidence: the department has attached none.")
        )
    if finding.status == FindingStatus.CLOSED:
        raise ValidationError(_("This finding is already closed."))
    if finding.status != FindingStatus.VERIFIED:
        verify(finding, by, on=on)
    _move(finding, EventKind.CLOSED, by, text, on, FindingStatus.CLOSED, closed_on=on)
    handoffs.finding_settled(finding)
    return finding


@transaction.atomic
def reopen_finding(finding: Finding, by: User, text: str, *, on: date | None = None) -> Finding:
    _require_team(by, finding)
    if not text.strip():
        raise ValidationError({"text": _("Say why it is reopened.")})
    on = on or clock.today()
    _move(
        finding,
        EventKind.REOPENED,
        by,
        text,
        on,
        FindingStatus.OPEN,
        remediated_on=None,
        closed_on=None,
    )
    handoffs.finding_to_fix(finding, reason=text.strip())
    return finding
