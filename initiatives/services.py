"""Rules of the initiatives register (sáng kiến) and of the yearly goal that a plan target holds."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from decimal import Decimal

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import translation
from django.utils.translation import gettext as _

from core import clock
from core.files import EVIDENCE_KINDS, UploadedFile, store_upload
from initiatives.models import (
    SENT_STATUSES,
    Initiative,
    InitiativeDocument,
    InitiativeGoal,
    InitiativeStatus,
)
from org.models import Department, Unit, User
from plans import services as plan_services
from plans.models import Plan

ALLOWED_MOVES = {
    InitiativeStatus.PROPOSED: {InitiativeStatus.SENT},
    InitiativeStatus.SENT: {
        InitiativeStatus.RECOGNISED_COMMUNE,
        InitiativeStatus.RECOGNISED_PROVINCE,
        InitiativeStatus.NOT_RECOGNISED,
        InitiativeStatus.PROPOSED,
    },
    InitiativeStatus.RECOGNISED_COMMUNE: {InitiativeStatus.RECOGNISED_PROVINCE},
    InitiativeStatus.RECOGNISED_PROVINCE: set(),
    InitiativeStatus.NOT_RECOGNISED: {InitiativeStatus.SENT},
}


@dataclass
class InitiativeData:
    title: str
    authors: str
    problem: str
    solution: str
    department: Department | None = None
    reform_area: str = ""
    applied_on: date | None = None
    effect: str = ""


@transaction.atomic
def save_initiative(
    unit: Unit, data: InitiativeData, initiative: Initiative | None = None, *, by: User | None
) -> Initiative:
    errors: dict[str, str] = {}
    for name, message in (
        ("title", _("Write the initiative's title.")),
        ("authors", _("Name the authors.")),
        ("problem", _("Describe the problem it solves.")),
        ("solution", _("Describe the solution.")),
    ):
        if not getattr(data, name).strip():
            errors[name] = message
    if data.department is not None and data.department.unit_id != unit.pk:
        errors["department"] = _("The department must belong to the unit.")
    if data.applied_on and data.applied_on > clock.today():
        errors["applied_on"] = _("The date it was applied cannot be in the future.")
    if errors:
        raise ValidationError(errors)
    initiative = initiative or Initiative(unit=unit, created_by=by)
    initiative.title = data.title.strip()
    initiative.authors = data.authors.strip()
    initiative.problem = data.problem.strip()
    initiative.solution = data.solution.strip()
    initiative.department = data.department
    initiative.reform_area = data.reform_area.strip()
    initiative.applied_on = data.applied_on
    initiative.effect = data.effect.strip()
    initiative.save()
    return initiative


@transaction.atomic
def move_initiative(
    initiative: Initiative, status: str, *, on: date | None = None, note: str = ""
) -> Initiative:
    on = on or clock.today()
    current = InitiativeStatus(initiative.status)
    if status not in ALLOWED_MOVES[current]:
        raise ValidationError(
            _("An initiative that is “%(old)s” cannot become “%(new)s”.")
            % {"old": current.label, "new": InitiativeStatus(status).label}
        )
    initiative.status = status
    if status == InitiativeStatus.SENT:
        initiative.sent_on = on
        initiative.decided_on = None
    elif status == InitiativeStatus.PROPOSED:
        initiative.sent_on = None
    else:
        initiative.decided_on = on
    if note.strip():
        initiative.decision_note = note.strip()[:500]
    initiative.save()
    for goal in InitiativeGoal.objects.filter(unit_id=initiative.unit_id):
        sync_goal(goal)
    return initiative


@transaction.atomic
def add_document(initiative: Initiative, upload: UploadedFile, by: User) -> InitiativeDocument:
    record = InitiativeDocument(initiative=initiative)
    return store_upload(record, upload.name, upload.stream, EVIDENCE_KINDS, by)


# --- the yearly goal -------------------------------------------------------------------------


def sent_count(goal: InitiativeGoal) -> int:
    """Initiatives of the goal's year sent to the reviewing body on or before the due date."""
    return Initiative.objects.filter(
        unit_id=goal.unit_id,
        status__in=SENT_STATUSES,
        sent_on__year=goal.year,
        sent_on__lte=goal.due,
    ).count()


def goal_source(goal: InitiativeGoal) -> str:
    with translation.override(settings.LANGUAGE_CODE):
        return _("Initiatives register, %(year)d") % {"year": goal.year}


def sync_goal(goal: InitiativeGoal) -> None:
    if goal.target_id:
        plan_services.keep_measurement(
            goal.target,
            value=Decimal(sent_count(goal)),
            period_label=str(goal.year),
            source=goal_source(goal),
        )


@transaction.atomic
def set_goal(
    unit: Unit, *, year: int, minimum: int, due: date, plan: Plan | None = None
) -> InitiativeGoal:
    """The yearly goal; with a plan, it becomes (or updates) a target of that plan."""
    if minimum < 1:
        raise ValidationError({"minimum": _("The goal is at least one initiative.")})
    if due.year != year:
        raise ValidationError({"due": _("The due date must fall in the goal's year.")})
    if plan is not None and plan.unit_id != unit.pk:
        raise ValidationError({"plan": _("The plan belongs to another unit.")})
    goal, _created = InitiativeGoal.objects.get_or_create(
        unit=unit, year=year, defaults={"minimum": minimum, "due": due}
    )
    goal.minimum, goal.due = minimum, due
    with translation.override(settings.LANGUAGE_CODE):
        text = _("At least %(n)d initiative(s) sent to the reviewing body before %(due)s") % {
            "n": minimum,
            "due": f"{due:%d/%m/%Y}",
        }
    if plan is not None:
        if goal.target_id and goal.target.plan_id == plan.pk:
            target = goal.target
            target.text = text
            target.comparator, target.value, target.unit_label = "gte", Decimal(minimum), ""
            target.save()
        else:
            target = plan_services.add_target(plan, text)
            # The words say "at least n"; the number is what the register counts.
            target.comparator, target.value = "gte", Decimal(minimum)
            target.save(update_fields=["comparator", "value"])
        goal.target = target
    goal.save()
    sync_goal(goal)
    return goal
