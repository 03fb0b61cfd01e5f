"""Rounds (periodic or ad hoc), their team, the departments inspected and the documents kept
with a round."""

from __future__ import annotations

from collections.abc import Iterable
from datetime import date

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from core import clock
from core.files import EVIDENCE_KINDS, UploadedFile, store_upload
from inspections import handoffs
from inspections.models import (
    Answer,
    Attachment,
    ChecklistArea,
    FindingEvent,
    InspectionPlan,
    Round,
    RoundKind,
    RoundOrigin,
    RoundStatus,
    Subject,
    TeamMember,
    TeamRole,
)
from org.models import Department, User


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
    handoffs.self_check_asked(subject)
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


@transaction.atomic
def write_assessment(round_: Round, assessment: str, conclusion_number: str = "") -> Round:
    """The team's overall assessment and the number of the conclusion notice."""
    round_.assessment = assessment.strip()
    round_.conclusion_number = conclusion_number.strip()[:50]
    round_.save(update_fields=["assessment", "conclusion_number"])
    return round_


def move_round(round_: Round, status: str, *, on: date | None = None) -> Round:
    if status not in RoundStatus.values:
        raise ValidationError(_("Unknown status."))
    round_.status = status
    round_.concluded_on = (on or clock.today()) if status == RoundStatus.CONCLUDED else None
    round_.save(update_fields=["status", "concluded_on"])
    return round_


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
    return store_upload(record, upload.name, upload.stream, EVIDENCE_KINDS, by)
