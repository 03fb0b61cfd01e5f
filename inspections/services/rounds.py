"""Rounds (periodic or ad hoc), their team, the departments inspected and the documents kept
with a round."""

from __future__ import annotations

from collections.abc import Iterable
from datetime import date, timedelta

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from core import clock
from core.files import EVIDENCE_KINDS, UploadedFile, store_upload
from inspections import handoffs
from inspections.models import (
    DEFAULT_SELF_CHECK_DAYS,
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
from inspections.services.notice import check_signer, normalise_notice_number
from org.access import Action, can
from org.models import Department, User

LATE_SELF_CHECK_FIELD = "late_self_check_ok"


def _check_dates(start: date | None, end: date | None) -> None:
    if start is None or end is None:
        raise ValidationError(_("Give the round's first and last day."))
    if end < start:
        raise ValidationError(_("The round ends before it starts."))


def _check_self_check_due(start: date, days: int, confirmed: bool, on: date | None) -> None:
    """A round whose self-check is already overdue is set only when the official confirms it."""
    due = start - timedelta(days=days)
    on = on or clock.today()
    if due < on and not confirmed:
        raise ValidationError(
            {
                LATE_SELF_CHECK_FIELD: _(
                    "The self-check is due %(days)d days before the start, on %(due)s, which has "
                    "already passed. Tick “I know the self-check due date has passed” to go on."
                )
                % {"days": days, "due": due.strftime("%d/%m/%Y")}
            }
        )


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
    late_self_check_ok: bool = False,
    on: date | None = None,
) -> Round:
    """A round of the plan; refused, unless `late_self_check_ok`, when its self-check due date
    has already passed."""
    _check_dates(start, end)
    days = self_check_days if self_check_days is not None else plan.self_check_days
    _check_self_check_due(
        start, DEFAULT_SELF_CHECK_DAYS if days is None else days, late_self_check_ok, on
    )
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
def change_round_dates(
    round_: Round,
    start: date,
    end: date,
    *,
    late_self_check_ok: bool = False,
    on: date | None = None,
) -> Round:
    _check_dates(start, end)
    if (start, end) == (round_.start, round_.end):
        return round_
    if start != round_.start and round_.status == RoundStatus.PLANNED:
        _check_self_check_due(start, round_.days_before, late_self_check_ok, on)
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
def write_assessment(
    round_: Round,
    assessment: str,
    conclusion_number: str = "",
    *,
    signer: User | None = None,
    signer_capacity: str = "",
    notice_on: date | None = None,
) -> Round:
    """The team's overall assessment and what the conclusion notice says of itself: its number
    (the number alone: "125/TB-UBND" is kept as "125"), its date and who signs it."""
    number = normalise_notice_number(conclusion_number)
    if notice_on is not None and notice_on < round_.start:
        raise ValidationError(
            {
                "notice_on": _(
                    "The notice cannot be dated before the inspection began (%(start)s)."
                )
                % {"start": round_.start.strftime("%d/%m/%Y")}
            }
        )
    capacity = check_signer(round_.plan.unit, signer, signer_capacity)
    round_.assessment = assessment.strip()
    round_.conclusion_number = number
    round_.notice_on = notice_on
    round_.signer = signer
    round_.signer_capacity = capacity
    round_.save(
        update_fields=[
            "assessment",
            "conclusion_number",
            "notice_on",
            "signer",
            "signer_capacity",
        ]
    )
    return round_


def conclude_refusal(round_: Round, on: date | None = None) -> str:
    """Why the round cannot be concluded today ("" when it can)."""
    on = on or clock.today()
    if round_.status == RoundStatus.CONCLUDED:
        return _("The round is already concluded.")
    if on < round_.end:
        return _("The round can be concluded from its last day, %(end)s.") % {
            "end": round_.end.strftime("%d/%m/%Y")
        }
    return ""


@transaction.atomic
def move_round(round_: Round, status: str, *, on: date | None = None) -> Round:
    if status not in RoundStatus.values:
        raise ValidationError(_("Unknown status."))
    on = on or clock.today()
    if status == round_.status:
        return round_
    if status == RoundStatus.CONCLUDED:
        reason = conclude_refusal(round_, on)
        if reason:
            raise ValidationError({"status": reason})
    round_.status = status
    round_.concluded_on = on if status == RoundStatus.CONCLUDED else None
    round_.save(update_fields=["status", "concluded_on"])
    return round_


def deletion_refusal(round_: Round) -> str:
    """Why the round cannot be deleted ("" when it is empty: no finding, no self-check sent, no
    answer, no document)."""
    if round_.findings.exists():
        return _("Findings are recorded in this round.")
    if round_.subjects.filter(submitted_at__isnull=False).exists():
        return _("A department has sent its self-check in this round.")
    answered = Answer.objects.filter(subject__round=round_).exclude(self_result="", team_result="")
    if answered.exists():
        return _("Checklist answers are recorded in this round.")
    if round_.attachments.exists():
        return _("Documents are attached to this round.")
    return ""


@transaction.atomic
def delete_round(round_: Round, by: User) -> None:
    """The focal officer deletes an empty round (its team and departments go with it)."""
    if not can(by, Action.MANAGE, round_):
        raise ValidationError(_("Only the focal officer deletes a round."))
    reason = deletion_refusal(round_)
    if reason:
        raise ValidationError(_("The round cannot be deleted: %(reason)s") % {"reason": reason})
    round_.delete()


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
