"""Rules of inspections: plans, rounds, teams, checklists, self-checks, findings, remediation,
summaries and the conclusion. Callable without HTTP."""

from __future__ import annotations

import json
from collections import Counter, defaultdict
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from datetime import date, timedelta
from decimal import Decimal
from pathlib import Path
from typing import IO

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.files.base import ContentFile
from django.db import transaction
from django.db.models import Case, CharField, Count, F, Q, QuerySet, When
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from core import clock
from core.files import check_upload, store_upload
from core.numbers import format_number
from ingest.inspection_text import InspectionPlanDraft
from inspections.models import (
    REMEDIATED,
    Answer,
    Attachment,
    ChecklistArea,
    ChecklistItem,
    ChecklistTemplate,
    EventKind,
    Finding,
    FindingEvent,
    FindingStatus,
    InspectionPlan,
    ItemOrigin,
    Result,
    Round,
    RoundKind,
    RoundOrigin,
    RoundStatus,
    Severity,
    Subject,
    TeamMember,
    TeamRole,
    TemplateArea,
    TemplateItem,
)
from org.access import Action, can, is_system_admin
from org.models import Department, Role, RoleGrant, Unit, User
from org.services import DepartmentMatcher
from plans import services as plan_services
from plans.models import Task

ATTACHMENT_KINDS = {"pdf", "docx", "xlsx", "png", "jpg"}
DEFAULT_TEMPLATE_FILE = (
    Path(settings.BASE_DIR) / "fixtures" / "inspections" / "default_checklist.json"
)


@dataclass
class UploadedFile:
    name: str
    stream: IO[bytes]


# --- templates and plans ---------------------------------------------------------------------


@transaction.atomic
def default_template() -> ChecklistTemplate:
    """The shared default checklist (seed 003's section III), created on first use."""
    found = ChecklistTemplate.objects.filter(is_default=True, unit__isnull=True).first()
    if found is not None:
        return found
    data = json.loads(DEFAULT_TEMPLATE_FILE.read_text(encoding="utf-8"))
    template = ChecklistTemplate.objects.create(name=data["name"], is_default=True)
    for order, area in enumerate(data["areas"], start=1):
        row = TemplateArea.objects.create(
            template=template, order=order, code=area["code"], name=area["name"]
        )
        TemplateItem.objects.bulk_create(
            TemplateItem(area=row, order=i, text=item["text"], group=item.get("group", ""))
            for i, item in enumerate(area["items"], start=1)
        )
    return template


def templates_for(unit: Unit) -> QuerySet[ChecklistTemplate]:
    default_template()
    return ChecklistTemplate.objects.filter(Q(unit__isnull=True) | Q(unit=unit))


def copy_template(plan: InspectionPlan, template: ChecklistTemplate) -> list[ChecklistArea]:
    start = plan.areas.count()
    areas = []
    for offset, source in enumerate(template.areas.prefetch_related("items"), start=1):
        area = ChecklistArea.objects.create(
            plan=plan, order=start + offset, code=source.code, name=source.name
        )
        ChecklistItem.objects.bulk_create(
            ChecklistItem(
                area=area, order=i.order, text=i.text, group=i.group, origin=ItemOrigin.TEMPLATE
            )
            for i in source.items.all()
        )
        areas.append(area)
    return areas


@transaction.atomic
def create_plan(
    unit: Unit,
    *,
    title: str,
    year: int,
    template: ChecklistTemplate | None = None,
    **fields,
) -> InspectionPlan:
    if not title.strip():
        raise ValidationError({"title": _("Write the plan's title.")})
    lead = fields.get("lead_department")
    if lead is not None and lead.unit_id != unit.pk:
        raise ValidationError(
            {"lead_department": _("The department must belong to the plan's unit.")}
        )
    plan = InspectionPlan.objects.create(unit=unit, title=title.strip(), year=year, **fields)
    if template is not None:
        copy_template(plan, template)
    return plan


@dataclass
class ImportOutcome:
    plan: InspectionPlan
    rounds: list[Round]
    unmatched: list[str] = field(default_factory=list)


@transaction.atomic
def create_plan_from_draft(
    unit: Unit,
    draft: InspectionPlanDraft,
    *,
    source: UploadedFile | None = None,
    include_rounds: bool = True,
) -> ImportOutcome:
    """An inspection plan from a read plan document: its checklist, rounds and lead."""
    facts = draft.facts
    year = draft.year or clock.today().year
    matcher = DepartmentMatcher(unit)
    unmatched: list[str] = []
    lead = matcher.match(draft.team_lead) if draft.team_lead else None
    if draft.team_lead and lead is None:
        unmatched.append(draft.team_lead)
    plan = InspectionPlan(
        unit=unit,
        title=(facts.title or _("Inspection plan %(year)s") % {"year": year})[:500],
        year=year,
        number=facts.number[:50],
        issued_on=facts.issued_on,
        signer=facts.signer[:150],
        lead_department=lead,
        self_check_days=draft.self_check_days,
        adhoc_contents="\n".join(draft.adhoc_contents),
    )
    if source is not None:
        check_upload(source.name, source.stream, {"pdf", "docx", "txt", "xlsx"})
        source.stream.seek(0)
        plan.source_document.save(source.name, ContentFile(source.stream.read()), save=False)
        plan.source_name = source.name[:255]
    plan.save()
    for order, area in enumerate(draft.areas, start=1):
        row = ChecklistArea.objects.create(plan=plan, order=order, code=area.code, name=area.name)
        ChecklistItem.objects.bulk_create(
            ChecklistItem(area=row, order=i, text=text, group=group, origin=ItemOrigin.DOCUMENT)
            for i, (text, group) in enumerate(zip(area.items, area.groups, strict=False), start=1)
        )
    rounds = []
    if include_rounds:
        for r in draft.rounds:
            if r.start and r.end:
                rounds.append(
                    add_round(plan, name=r.name, start=r.start, end=r.end, kind=RoundKind.PERIODIC)
                )
    return ImportOutcome(plan=plan, rounds=rounds, unmatched=unmatched)


def add_item(area: ChecklistArea, text: str, group: str = "") -> ChecklistItem:
    if not text.strip():
        raise ValidationError({"text": _("Write what is checked.")})
    order = (area.items.order_by("-order").values_list("order", flat=True).first() or 0) + 1
    return ChecklistItem.objects.create(
        area=area, order=order, text=text.strip(), group=group, origin=ItemOrigin.MANUAL
    )


# --- rounds, team, inspected departments -----------------------------------------------------


def _check_dates(start: date | None, end: date | None) -> None:
    if start is None or end is None:
        raise ValidationError(_("Give the round's first and last day."))
    if end < start:
        raise ValidationError(_("The round ends before it starts."))


@transaction.atomic
def add_round(
    plan: InspectionPlan,
    *,
    name: str,
    start: date,
    end: date,
    kind: str = RoundKind.PERIODIC,
    origin: str = "",
    origin_text: str = "",
    self_check_days: int | None = None,
) -> Round:
    _check_dates(start, end)
    if not name.strip():
        raise ValidationError({"name": _("Name the round.")})
    if kind == RoundKind.AD_HOC:
        origin = origin or RoundOrigin.OTHER
        if origin == RoundOrigin.PLAN:
            raise ValidationError(
                {"origin": _("Say what prompted the ad-hoc inspection: a complaint or a concern.")}
            )
        if not origin_text.strip():
            raise ValidationError(
                {"origin_text": _("Describe the complaint or concern behind the inspection.")}
            )
    else:
        origin = RoundOrigin.PLAN
    return Round.objects.create(
        plan=plan,
        kind=kind,
        name=name.strip(),
        start=start,
        end=end,
        origin=origin,
        origin_text=origin_text.strip(),
        self_check_days=self_check_days,
    )


def _overlapping(round_: Round, department: Department, start: date, end: date) -> Round | None:
    return (
        Round.objects.filter(subjects__department=department, start__lte=end, end__gte=start)
        .exclude(pk=round_.pk)
        .first()
    )


def _overlap_error(other: Round, department: Department) -> ValidationError:
    return ValidationError(
        _(
            "%(department)s is already inspected in “%(round)s” from %(start)s to %(end)s; "
            "two inspections of one department cannot overlap."
        )
        % {
            "department": department.name,
            "round": other.name,
            "start": other.start.strftime("%d/%m/%Y"),
            "end": other.end.strftime("%d/%m/%Y"),
        }
    )


@transaction.atomic
def change_round_dates(round_: Round, start: date, end: date) -> Round:
    _check_dates(start, end)
    for subject in round_.subjects.select_related("department"):
        other = _overlapping(round_, subject.department, start, end)
        if other is not None:
            raise _overlap_error(other, subject.department)
    round_.start, round_.end = start, end
    round_.save(update_fields=["start", "end"])
    return round_


@transaction.atomic
def add_subject(
    round_: Round,
    department: Department | None,
    *,
    areas: Iterable[ChecklistArea] = (),
    person: User | None = None,
) -> Subject:
    """Inspect a department (and, where it applies, the person in charge) in this round."""
    unit_id = round_.plan.unit_id
    if department is None:
        raise ValidationError({"department": _("Choose the department inspected.")})
    if department.unit_id != unit_id:
        raise ValidationError({"department": _("The department must belong to the plan's unit.")})
    if person is not None and person.unit_id != unit_id:
        raise ValidationError({"person": _("The person must work in the plan's unit.")})
    if round_.subjects.filter(department=department).exists():
        raise ValidationError(
            {"department": _("This department is already inspected in this round.")}
        )
    other = _overlapping(round_, department, round_.start, round_.end)
    if other is not None:
        raise _overlap_error(other, department)
    areas = list(areas)
    if any(a.plan_id != round_.plan_id for a in areas):
        raise ValidationError({"areas": _("The area belongs to another plan.")})
    subject = Subject.objects.create(round=round_, department=department, person=person)
    subject.areas.set(areas or list(round_.plan.areas.all()))
    return subject


@transaction.atomic
def add_team_member(
    round_: Round,
    *,
    role: str,
    user: User | None = None,
    name: str = "",
    position: str = "",
    organisation: str = "",
) -> TeamMember:
    """A person of the unit (user) or a guest (name and organisation) joins the team."""
    if role not in TeamRole.values:
        raise ValidationError({"role": _("Choose the role in the team.")})
    if user is None and not name.strip():
        raise ValidationError({"name": _("Choose a person of the unit or write a guest's name.")})
    if user is not None:
        if user.unit_id != round_.plan.unit_id:
            raise ValidationError({"user": _("The person must work in the plan's unit.")})
        if round_.team.filter(user=user).exists():
            raise ValidationError({"user": _("This person is already in the team.")})
    if role == TeamRole.LEADER and round_.team.filter(role=TeamRole.LEADER).exists():
        raise ValidationError({"role": _("The team already has a leader.")})
    return TeamMember.objects.create(
        round=round_,
        role=role,
        user=user,
        name=(user.full_name or user.username) if user else name.strip(),
        position=position.strip() or (user.position if user else ""),
        organisation=organisation.strip(),
    )


def move_round(round_: Round, status: str, *, on: date | None = None) -> Round:
    if status not in RoundStatus.values:
        raise ValidationError(_("Unknown status."))
    round_.status = status
    round_.concluded_on = (on or clock.today()) if status == RoundStatus.CONCLUDED else None
    round_.save(update_fields=["status", "concluded_on"])
    return round_


# --- who may do what -------------------------------------------------------------------------


def is_team(user, round_: Round) -> bool:
    """Only the team (and a system administrator) records and edits findings."""
    if not user or not user.is_authenticated:
        return False
    if is_system_admin(user):
        return True
    return round_.team.filter(user_id=user.pk).exists()


def can_manage(user, plan: InspectionPlan) -> bool:
    """Plans, rounds and teams are organised by the unit's focal officer."""
    return can(user, Action.MANAGE, plan)


def can_answer(user, finding: Finding) -> bool:
    """The responsible department (its head, the person in charge) answers a finding."""
    if not user or not user.is_authenticated:
        return False
    if is_system_admin(user):
        return True
    if finding.responsible_person_id == user.pk:
        return True
    return RoleGrant.objects.filter(
        user=user, role=Role.DEPARTMENT_HEAD, department_id=finding.responsible_department_id
    ).exists()


def can_self_check(user, subject: Subject) -> bool:
    """The inspected department fills its own checklist (its head, the person in charge)."""
    if not user or not user.is_authenticated:
        return False
    if is_system_admin(user) or subject.person_id == user.pk:
        return True
    if can(user, Action.MANAGE, subject.round.plan):
        return True  # the focal officer may fill in for a department
    return RoleGrant.objects.filter(
        user=user, role=Role.DEPARTMENT_HEAD, department_id=subject.department_id
    ).exists() or (user.department_id == subject.department_id and can(user, Action.EDIT, subject))


# --- self-check ------------------------------------------------------------------------------


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
        return SelfCheckState.SENT_LATE if subject.submitted_on > due else SelfCheckState.SENT
    if on > due:
        return SelfCheckState.LATE
    if on >= due - timedelta(days=7):
        return SelfCheckState.DUE
    return SelfCheckState.NOT_DUE


def subject_items(subject: Subject) -> QuerySet[ChecklistItem]:
    return ChecklistItem.objects.filter(area__in=subject.areas.all()).select_related("area")


def store_attachment(
    round_: Round,
    upload: UploadedFile,
    by: User,
    *,
    subject: Subject | None = None,
    answer: Answer | None = None,
    event: FindingEvent | None = None,
) -> Attachment:
    record = Attachment(round=round_, subject=subject, answer=answer, event=event)
    return store_upload(record, upload.name, upload.stream, ATTACHMENT_KINDS, by)


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
        check_upload(upload.name, upload.stream, ATTACHMENT_KINDS)
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
    subject.submitted_by = by
    subject.self_check_note = note.strip()
    subject.save(update_fields=["submitted_at", "submitted_on", "submitted_by", "self_check_note"])
    return subject


# --- findings --------------------------------------------------------------------------------


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


def check_finding(round_: Round, data: FindingData) -> dict[str, str]:
    unit_id = round_.plan.unit_id
    errors: dict[str, str] = {}
    if not data.description.strip():
        errors["description"] = _("Describe the shortcoming found.")
    if data.department is None:
        errors["department"] = _("Say which department was found short.")
    elif data.department.unit_id != unit_id:
        errors["department"] = _("The department must belong to the plan's unit.")
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
    if data.responsible_person is not None and data.responsible_person.unit_id != unit_id:
        errors["responsible_person"] = _("The person must work in the plan's unit.")
    return errors


def _require_team(user, round_: Round) -> None:
    if not is_team(user, round_):
        raise ValidationError(_("Only the inspection team records and edits findings."))


@transaction.atomic
def record_finding(round_: Round, by: User, data: FindingData) -> Finding:
    _require_team(by, round_)
    errors = check_finding(round_, data)
    if errors:
        raise ValidationError(errors)
    return Finding.objects.create(round=round_, created_by=by, **_finding_fields(data))


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


@transaction.atomic
def update_finding(finding: Finding, by: User, data: FindingData) -> Finding:
    _require_team(by, finding.round)
    errors = check_finding(finding.round, data)
    if errors:
        raise ValidationError(errors)
    for name, value in _finding_fields(data).items():
        setattr(finding, name, value)
    finding.save()
    return finding


def _event(finding: Finding, kind: str, by: User, text: str, on: date) -> FindingEvent:
    return FindingEvent.objects.create(finding=finding, kind=kind, by=by, text=text.strip(), on=on)


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
    if not can_answer(by, finding):
        raise ValidationError(_("Only the responsible department answers this finding."))
    if finding.status in REMEDIATED:
        raise ValidationError(_("This finding is already settled."))
    if not text.strip():
        raise ValidationError({"text": _("Say what was done to fix it.")})
    for upload in files:
        check_upload(upload.name, upload.stream, ATTACHMENT_KINDS)
    event = _event(finding, EventKind.RESPONSE, by, text, on)
    subject = finding.round.subjects.filter(department=finding.department).first()
    for upload in files:
        store_attachment(finding.round, upload, by, subject=subject, event=event)
    finding.status = FindingStatus.RESPONDED
    finding.save(update_fields=["status", "updated_at"])
    return event


def evidence_of(finding: Finding) -> QuerySet[Attachment]:
    return Attachment.objects.filter(event__finding=finding)


def _last_response(finding: Finding) -> FindingEvent | None:
    return finding.events.filter(kind=EventKind.RESPONSE).order_by("-created_at", "-pk").first()


@transaction.atomic
def verify(finding: Finding, by: User, text: str = "", *, on: date | None = None) -> Finding:
    """The team checked the fix: it counts as remediated on the day it was answered."""
    on = on or clock.today()
    _require_team(by, finding.round)
    response = _last_response(finding)
    if finding.status != FindingStatus.RESPONDED or response is None:
        raise ValidationError(_("The department has not answered this finding yet."))
    if not evidence_of(finding).exists():
        raise ValidationError(
            _("No evidence was attached to the answers; a fix is verified on evidence.")
        )
    _event(finding, EventKind.VERIFIED, by, text, on)
    finding.status = FindingStatus.VERIFIED
    finding.remediated_on = response.on
    finding.save(update_fields=["status", "remediated_on", "updated_at"])
    return finding


@transaction.atomic
def return_finding(finding: Finding, by: User, text: str, *, on: date | None = None) -> Finding:
    """The team finds the answer insufficient: the finding is open again."""
    _require_team(by, finding.round)
    if not text.strip():
        raise ValidationError({"text": _("Say what is still missing.")})
    if finding.status not in (FindingStatus.RESPONDED, FindingStatus.VERIFIED):
        raise ValidationError(_("Only an answered finding can be returned."))
    _event(finding, EventKind.RETURNED, by, text, on or clock.today())
    finding.status = FindingStatus.OPEN
    finding.remediated_on = None
    finding.save(update_fields=["status", "remediated_on", "updated_at"])
    return finding


@transaction.atomic
def close_finding(finding: Finding, by: User, text: str = "", *, on: date | None = None) -> Finding:
    on = on or clock.today()
    _require_team(by, finding.round)
    if not evidence_of(finding).exists():
        raise ValidationError(
            _("A finding is closed only on evidence: the department has attached none.")
        )
    if finding.status == FindingStatus.CLOSED:
        raise ValidationError(_("This finding is already closed."))
    if finding.status != FindingStatus.VERIFIED:
        verify(finding, by, on=on)
    _event(finding, EventKind.CLOSED, by, text, on)
    finding.status = FindingStatus.CLOSED
    finding.closed_on = on
    finding.save(update_fields=["status", "closed_on", "updated_at"])
    return finding


@transaction.atomic
def reopen_finding(finding: Finding, by: User, text: str, *, on: date | None = None) -> Finding:
    _require_team(by, finding.round)
    if not text.strip():
        raise ValidationError({"text": _("Say why it is reopened.")})
    _event(finding, EventKind.REOPENED, by, text, on or clock.today())
    finding.status = FindingStatus.OPEN
    finding.remediated_on = finding.closed_on = None
    finding.save(update_fields=["status", "remediated_on", "closed_on", "updated_at"])
    return finding


# --- queries and figures ---------------------------------------------------------------------


@dataclass
class FindingFilter:
    state: str = ""  # "" | open | overdue | remediated
    department: int | None = None
    round: int | None = None
    severity: str = ""


def filter_findings(
    findings: QuerySet[Finding], f: FindingFilter, *, on: date | None = None
) -> QuerySet[Finding]:
    on = on or clock.today()
    if f.state == "open":
        findings = findings.exclude(status__in=REMEDIATED)
    elif f.state == "overdue":
        findings = findings.filter(status=FindingStatus.OPEN, deadline__lt=on)
    elif f.state == "remediated":
        findings = findings.filter(status__in=REMEDIATED)
    if f.department:
        findings = findings.filter(responsible_department_id=f.department)
    if f.round:
        findings = findings.filter(round_id=f.round)
    if f.severity:
        findings = findings.filter(severity=f.severity)
    return findings


@dataclass
class RemediationStats:
    total: int = 0
    remediated: int = 0
    on_time: int = 0
    late: int = 0
    open: int = 0
    overdue: int = 0
    due: int = 0  # remediated, or past their deadline: the ones the share is measured on

    @property
    def on_time_share(self) -> Decimal | None:
        """Share of findings remediated on time, of those remediated or past their deadline."""
        if not self.due:
            return None
        return (Decimal(self.on_time) * 100 / self.due).quantize(Decimal("0.1"))

    @property
    def on_time_percent(self) -> str:
        share = self.on_time_share
        return "—" if share is None else f"{format_number(share)}%"


def remediation_stats(findings: Iterable[Finding], *, on: date | None = None) -> RemediationStats:
    on = on or clock.today()
    if isinstance(findings, QuerySet):  # three columns are enough: no model instances
        rows = findings.values_list("status", "remediated_on", "deadline")
    else:
        rows = ((f.status, f.remediated_on, f.deadline) for f in findings)
    stats = RemediationStats()
    for status, remediated_on, deadline in rows:
        stats.total += 1
        if status in REMEDIATED and remediated_on is not None:
            stats.remediated += 1
            stats.due += 1
            if remediated_on <= deadline:
                stats.on_time += 1
            else:
                stats.late += 1
        else:
            stats.open += 1
            if deadline < on:
                stats.due += 1
                if status == FindingStatus.OPEN:
                    stats.overdue += 1
    return stats


def unit_findings(unit: Unit) -> QuerySet[Finding]:
    return Finding.objects.filter(round__plan__unit=unit)


@transaction.atomic
def record_on_time_share(plan: InspectionPlan, by: User | None, *, on: date | None = None):
    """Feed the share of findings remediated on time into the CCHC plan target linked to it."""
    on = on or clock.today()
    if plan.on_time_target is None:
        raise ValidationError(_("Link a plan target first."))
    stats = remediation_stats(Finding.objects.filter(round__plan=plan), on=on)
    if stats.on_time_share is None:
        raise ValidationError(_("No finding is due yet: there is nothing to measure."))
    return plan_services.record_measurement(
        plan.on_time_target,
        value=stats.on_time_share,
        period_label=on.strftime("%d/%m/%Y"),
        source=_("Inspections: %(title)s") % {"title": plan.title},
        by=by,
        measured_on=on,
    )


@dataclass
class GridCell:
    area: ChecklistArea
    applies: bool
    met: int = 0
    not_met: int = 0
    na: int = 0
    blank: int = 0

    @property
    def state(self) -> str:
        if not self.applies:
            return "none"
        if self.not_met:
            return "not_met"
        if self.blank:
            return "blank"
        return "met"


@dataclass
class GridRow:
    subject: Subject
    state: str
    cells: list[GridCell]
    findings: int = 0


def checklist_grid(
    round_: Round, *, on: date | None = None
) -> tuple[list[ChecklistArea], list[GridRow]]:
    """Department × area: how many items are met, not met, not applicable or unanswered."""
    areas = list(round_.plan.areas.all())
    item_area = dict(
        ChecklistItem.objects.filter(area__plan=round_.plan).values_list("pk", "area_id")
    )
    per_area = Counter(item_area.values())
    subjects = list(
        round_.subjects.select_related("department", "person", "round__plan").prefetch_related(
            "areas"
        )
    )
    results: dict[tuple[int, int], Counter] = defaultdict(Counter)
    for subject_id, item_id, team, own in Answer.objects.filter(subject__round=round_).values_list(
        "subject_id", "item_id", "team_result", "self_result"
    ):
        results[(subject_id, item_area[item_id])][team or own] += 1
    finding_counts = Counter(round_.findings.values_list("department_id", flat=True))
    rows = []
    for subject in subjects:
        chosen = {a.pk for a in subject.areas.all()}
        cells = []
        for area in areas:
            counts = results[(subject.pk, area.pk)]
            answered = counts[Result.MET] + counts[Result.NOT_MET] + counts[Result.NOT_APPLICABLE]
            cells.append(
                GridCell(
                    area=area,
                    applies=area.pk in chosen,
                    met=counts[Result.MET],
                    not_met=counts[Result.NOT_MET],
                    na=counts[Result.NOT_APPLICABLE],
                    blank=max(per_area[area.pk] - answered, 0) if area.pk in chosen else 0,
                )
            )
        rows.append(
            GridRow(
                subject=subject,
                state=self_check_state(subject, on),
                cells=cells,
                findings=finding_counts[subject.department_id],
            )
        )
    return areas, rows


@dataclass
class SummaryRow:
    name: str
    department: str = ""
    met: int = 0
    not_met: int = 0
    findings: int = 0
    serious: int = 0
    stats: RemediationStats = field(default_factory=RemediationStats)


def _answer_counts(rounds: list[Round], path: str) -> list[dict]:
    """Items met and not met per department (or person), counted in the database."""
    effective = Case(
        When(~Q(team_result=""), then=F("team_result")),
        default=F("self_result"),
        output_field=CharField(),
    )
    rows = (
        Answer.objects.filter(subject__round__in=rounds, **{f"{path}__isnull": False})
        .annotate(effective=effective)
        .values(f"{path}_id", "effective")
        .annotate(n=Count("pk"))
    )
    counts: dict[int, dict] = {}
    for row in rows:
        key = row[f"{path}_id"]
        entry = counts.setdefault(key, {"key": key, "met": 0, "not_met": 0})
        if row["effective"] == Result.MET:
            entry["met"] += row["n"]
        elif row["effective"] == Result.NOT_MET:
            entry["not_met"] += row["n"]
    model = Department if path.endswith("department") else User
    names = {o.pk: o for o in model.objects.filter(pk__in=counts)}
    for key, entry in counts.items():
        entry["name"] = str(names[key].name if model is Department else names[key])
        entry["object"] = names[key]
    return list(counts.values())


def department_summary(rounds: Iterable[Round], *, on: date | None = None) -> list[SummaryRow]:
    """Per inspected department, for the year-end rating: checklist results and findings."""
    rounds = list(rounds)
    rows: dict[int, SummaryRow] = {}

    def row(department: Department) -> SummaryRow:
        return rows.setdefault(department.pk, SummaryRow(name=department.name))

    for row_ in _answer_counts(rounds, "subject__department"):
        r = rows.setdefault(row_["key"], SummaryRow(name=row_["name"]))
        r.met += row_["met"]
        r.not_met += row_["not_met"]
    by_department: dict[int, list[Finding]] = defaultdict(list)
    for finding in Finding.objects.filter(round__in=rounds).select_related(
        "responsible_department"
    ):
        r = row(finding.responsible_department)
        r.findings += 1
        r.serious += finding.severity == Severity.HIGH
        by_department[finding.responsible_department_id].append(finding)
    for pk, findings in by_department.items():
        rows[pk].stats = remediation_stats(findings, on=on)
    return sorted(rows.values(), key=lambda r: r.name)


def person_summary(rounds: Iterable[Round], *, on: date | None = None) -> list[SummaryRow]:
    """Per person in charge (of an inspected department or of a finding)."""
    rounds = list(rounds)
    rows: dict[int, SummaryRow] = {}
    findings_of: dict[int, list[Finding]] = defaultdict(list)
    departments = dict(
        Subject.objects.filter(round__in=rounds, person__isnull=False).values_list(
            "person_id", "department__name"
        )
    )
    for row_ in _answer_counts(rounds, "subject__person"):
        r = rows.setdefault(
            row_["key"],
            SummaryRow(name=row_["name"], department=departments.get(row_["key"], "")),
        )
        r.met += row_["met"]
        r.not_met += row_["not_met"]
    for finding in Finding.objects.filter(
        round__in=rounds, responsible_person__isnull=False
    ).select_related("responsible_person", "responsible_department"):
        r = rows.setdefault(
            finding.responsible_person_id,
            SummaryRow(
                name=str(finding.responsible_person),
                department=finding.responsible_department.name,
            ),
        )
        r.findings += 1
        r.serious += finding.severity == Severity.HIGH
        findings_of[finding.responsible_person_id].append(finding)
    for pk, findings in findings_of.items():
        rows[pk].stats = remediation_stats(findings, on=on)
    return sorted(rows.values(), key=lambda r: r.name)


# --- the conclusion notice -------------------------------------------------------------------


def _vn_date(day: date | None) -> str:
    return day.strftime("%d/%m/%Y") if day else ""


def conclusion_context(round_: Round) -> dict:
    """Everything the conclusion notice (Thông báo kết luận kiểm tra) says about a round."""
    plan = round_.plan
    unit = plan.unit
    team = list(round_.team.select_related("user").order_by("role", "name"))
    order = {TeamRole.LEADER: 0, TeamRole.MEMBER: 1, TeamRole.SECRETARY: 2}
    team.sort(key=lambda m: (order.get(m.role, 9), m.name))
    subjects = list(round_.subjects.select_related("department", "person"))
    findings = list(
        round_.findings.select_related(
            "department", "responsible_department", "responsible_person", "item__area"
        ).order_by("department__order", "department__name", "deadline", "pk")
    )
    areas, grid = checklist_grid(round_)
    by_area: list[dict] = []
    for index, area in enumerate(areas):
        cells = [row.cells[index] for row in grid if row.cells[index].applies]
        if not cells:
            continue  # no department answered for this area in this round
        area_findings = [f for f in findings if f.item_id and f.item.area_id == area.pk]
        by_area.append(
            {
                "code": area.code,
                "name": area.name,
                "met": sum(c.met for c in cells),
                "not_met": sum(c.not_met for c in cells),
                "na": sum(c.na for c in cells),
                "blank": sum(c.blank for c in cells),
                "findings": [f.description for f in area_findings],
            }
        )
    finding_rows = [
        {
            "number": i,
            "description": f.description,
            "department": f.department.name,
            "responsible": f.responsible_department.name,
            "person": str(f.responsible_person) if f.responsible_person else "",
            "severity": f.get_severity_display(),
            "recommendation": f.recommendation,
            "deadline": _vn_date(f.deadline),
            "item": f.item.code if f.item else "",
            "status": f.get_status_display(),
        }
        for i, f in enumerate(findings, start=1)
    ]
    departments = [
        {
            "name": s.department.name,
            "person": str(s.person) if s.person else "",
            "self_check": {
                SelfCheckState.SENT: _("sent on time"),
                SelfCheckState.SENT_LATE: _("sent late"),
            }.get(self_check_state(s), _("not sent")),
            "submitted_on": _vn_date(s.submitted_on),
        }
        for s in subjects
    ]
    summary = department_summary([round_])
    leader = next((m for m in team if m.role == TeamRole.LEADER), None)
    return {
        "unit": unit,
        "unit_name": f"{unit.get_kind_display().lower()} {unit.name}",
        "plan": plan,
        "plan_title": plan.title,
        "plan_number": plan.number,
        "round": round_,
        "round_name": round_.name,
        "is_ad_hoc": round_.is_ad_hoc,
        "origin": round_.get_origin_display(),
        "origin_text": round_.origin_text,
        "start": _vn_date(round_.start),
        "end": _vn_date(round_.end),
        "self_check_due": _vn_date(round_.self_check_due),
        "team": [
            {
                "name": m.name,
                "role": m.get_role_display(),
                "position": m.position,
                "organisation": m.organisation,
            }
            for m in team
        ],
        "leader": leader.name if leader else "",
        "departments": departments,
        "areas": by_area,
        "findings": finding_rows,
        "finding_count": len(findings),
        "serious_count": sum(1 for f in findings if f.severity == Severity.HIGH),
        "assessment": round_.assessment,
        "summary": [
            {
                "name": r.name,
                "met": r.met,
                "not_met": r.not_met,
                "findings": r.findings,
                "serious": r.serious,
            }
            for r in summary
        ],
        "lead_department": plan.lead_department.name if plan.lead_department else "",
    }


def conclusion_document(round_: Round, *, on: date | None = None) -> bytes:
    """The conclusion notice as a Word document, made by the shared document builder."""
    from reports.builder import Signer, build_document

    with translation.override("vi"):  # the document is Vietnamese whatever the page's language
        context = conclusion_context(round_)
    return build_document(
        "inspection_conclusion",
        context,
        unit=round_.plan.unit,
        issued_on=round_.concluded_on or on or clock.today(),
        # Signed for the People's Committee; the name is written by whoever signs.
        signer=Signer(capacity="TM. ỦY BAN NHÂN DÂN", title="CHỦ TỊCH", name=""),
        number=round_.conclusion_number,
    )
