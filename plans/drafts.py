"""Saving a plan read from a document (ingest.plan_text.PlanDraft) as a structured plan."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

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
    if facts.period_start is None or facts.period_end is None:
        raise ValidationError(_("The plan's period could not be read; set it by hand."))
    plan = services.create_plan(
        unit,
        with_default_areas=not draft.areas,
        kind=_kind(draft),
        title=facts.title[:500] or _("Plan without a title"),
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
    areas: dict[str | None, ReformArea] = {
        a.code: ReformArea.objects.create(plan=plan, order=a.order, code=a.code, name=a.name)
        for a in draft.areas
    }
    matcher = DepartmentMatcher(unit)
    for target in draft.targets:
        monitoring = matcher.match(target.monitoring) if target.monitoring else None
        implementing = [d for d in map(matcher.match, target.implementing) if d]
        services.add_target(
            plan,
            target.text,
            area=areas.get(target.area_code),
            code=target.code,
            monitoring_department=monitoring,
            implementing_departments=implementing,
        )
    problems = []
    consolidator: list[Department | None] = []  # read once, when a task needs it
    for order, item in enumerate(draft.tasks, start=1):
        area = areas.get(item.area_code) or plan.areas.first()
        every = services.is_all_departments_lead(item.lead)
        lead = None if every else matcher.match(item.lead) if item.lead else None
        coordinators = [matcher.match(text) for text in item.coordinators]
        others = [
            text for text, found in zip(item.coordinators, coordinators, strict=True) if not found
        ]
        if every:
            lead = (area_leads or {}).get(item.area_code)
            if lead is None:
                if not consolidator:
                    consolidator.append(focal_department(unit))
                lead = consolidator[0]
        elif lead is None and area_leads and item.area_code in area_leads:
            lead = area_leads[item.area_code]
            if item.lead:
                others.insert(0, item.lead)
        if lead is None:
            problems.append(
                _("Task %(number)s of area %(area)s: “%(lead)s” is not a department of this unit.")
                % {"number": item.number or order, "area": item.area_code, "lead": item.lead}
            )
            continue
        outcome.tasks.append(
            services.save_task(
                plan,
                services.TaskData(
                    area=area,
                    number=item.number,
                    order=order,
                    content=item.content,
                    lead_department=lead,
                    coordinating_departments=[d for d in coordinators if d and d != lead],
                    other_coordinators="; ".join(others)[:500],
                    expected_product=item.product,
                    deadline_text=item.deadline_text,
                    all_departments=every,
                ),
            )
        )
    if problems:
        raise ValidationError(problems)
    return outcome
