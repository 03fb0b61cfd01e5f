"""Saving a plan read from a document (ingest.plan_text.PlanDraft) as a structured plan."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from core.text import from_roman, roman, strip_markup
from ingest.plan_text import PlanDraft
from org.access import focal_department
from org.models import Department, Unit
from org.services import DepartmentMatcher
from plans import services
from plans.models import Plan, PlanKind, ReformArea, Task


@dataclass
class DraftOutcome:
    plan: Plan
    tasks: list[Task] = field(default_factory=list)
    warnings: list[str] = field(default_factory=list)


def area_key(code: str | None) -> str:
    """One key for the ways an area code is typed: "II", "ii", "II." are one area."""
    return (code or "").strip().rstrip(".").upper()


def find_area(areas: Mapping[str, ReformArea], code: str | None) -> ReformArea | None:
    """The area of a task's code; "2" finds area "II" (and "II" area "2") when the plan has no
    area of that very code."""
    key = area_key(code)
    if key in areas:
        return areas[key]
    number = from_roman(key)
    other = str(number) if number else (roman(int(key)) if key.isdigit() and key != "0" else "")
    return areas.get(other)


def _clean(text: str) -> str:
    return strip_markup(text).strip()


def _kind(draft: PlanDraft) -> str:
    kind = draft.facts.plan_kind
    return kind if kind in PlanKind.values else PlanKind.OTHER


@transaction.atomic
def save_draft(
    unit: Unit,
    draft: PlanDraft,
    *,
    status: str = "draft",
    area_leads: Mapping[str, Department] | None = None,
) -> DraftOutcome:
    """Create the plan, its areas, targets and tasks.

    A task led by "Các phòng chuyên môn, đơn vị" (or "các cơ quan, đơn vị") is carried out by
    every department, each reporting its own part, consolidated by the area's lead from
    `area_leads` or else by the focal officer's department. A task whose lead is another name
    that is not a department of the unit goes to the area's lead when given, keeping the written
    lead among the coordinators; otherwise nothing is saved and the message names the task.
    """
    facts = draft.facts
    if not _clean(facts.title):
        raise ValidationError({"title": _("The plan needs a title.")})
    if facts.period_start is None or facts.period_end is None:
        raise ValidationError(_("The plan's period could not be read; set it by hand."))
    plan = services.create_plan(
        unit,
        with_default_areas=not draft.areas,
        kind=_kind(draft),
        title=_clean(facts.title)[:500],
        number=facts.number,
        issued_on=facts.issued_on,
        signer=facts.signer,
        signer_capacity=" / ".join(facts.signing_capacity),
        period_start=facts.period_start,
        period_end=facts.period_end,
        implements="\n".join(facts.implements),
        status=status,
    )
    outcome = DraftOutcome(plan=plan, warnings=list(draft.warnings))
    areas: dict[str, ReformArea] = {}
    for a in draft.areas:
        area = ReformArea.objects.create(
            plan=plan, order=a.order, code=_clean(a.code)[:10], name=_clean(a.name)[:300]
        )
        areas.setdefault(area_key(a.code), area)
    leads_by_area = {area_key(code): d for code, d in (area_leads or {}).items()}
    matcher = DepartmentMatcher(unit)
    for target in draft.targets:
        monitoring = matcher.match(target.monitoring) if target.monitoring else None
        implementing = [d for d in map(matcher.match, target.implementing) if d]
        services.add_target(
            plan,
            _clean(target.text),
            parsed=target.parsed,
            area=areas.get(area_key(target.area_code)),
            code=target.code,
            monitoring_department=monitoring,
            implementing_departments=implementing,
        )
    problems: dict[str, list[str]] = {}
    first_area = plan.areas.first()
    consolidator: list[Department | None] = []  # read once, when a task needs it
    for order, item in enumerate(draft.tasks, start=1):
        key = f"task-{order - 1}"
        area = find_area(areas, item.area_code)
        if area is None and item.area_code and areas:
            # A code typed or read that names no area is never put under another one.
            problems[key] = [
                _("Area “%(code)s” is not one of the plan's areas; type one of: %(codes)s.")
                % {"code": item.area_code, "codes": ", ".join(a.code for a in areas.values())}
            ]
            continue
        area = area or first_area
        written_lead = _clean(item.lead)
        every = services.is_all_departments_lead(written_lead)
        lead = None if every else matcher.match(written_lead) if written_lead else None
        written = [_clean(text) for text in item.coordinators]
        coordinators = [matcher.match(text) for text in written]
        others = [text for text, found in zip(written, coordinators, strict=True) if not found]
        # The lead chosen for the task's area ("" when the plan's areas were not read).
        area_lead = leads_by_area.get(area_key(area.code) if areas else "")
        if every:
            # carried out by every department, consolidated by the area's lead or the focal
            # officer's department
            lead = area_lead
            if lead is None:
                if not consolidator:
                    consolidator.append(focal_department(unit))
                lead = consolidator[0]
        elif lead is None and area_lead:
            lead = area_lead
            if written_lead:
                others.insert(0, written_lead)
        if lead is None:
            problems[key] = [
                _("Task %(number)s of area %(area)s: “%(lead)s” is not a department of this unit.")
                % {"number": item.number or order, "area": item.area_code, "lead": item.lead}
                if item.lead
                else _("Task %(number)s of area %(area)s names no lead department.")
                % {"number": item.number or order, "area": item.area_code},
                _("Choose its lead department, or a lead for its area."),
            ]
            continue
        outcome.tasks.append(
            services.save_task(
                plan,
                services.TaskData(
                    area=area,
                    number=item.number,
                    order=order,
                    content=_clean(item.content),
                    lead_department=lead,
                    coordinating_departments=[d for d in coordinators if d and d != lead],
                    other_coordinators="; ".join(others)[:500],
                    expected_product=_clean(item.product),
                    deadline_text=_clean(item.deadline_text),
                    all_departments=every,
                ),
            )
        )
    if problems:
        raise ValidationError(problems)
    return outcome
