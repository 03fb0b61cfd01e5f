"""Inspection plans and their checklists: the shared default template, a plan written by hand
or read from an issued plan document."""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from pathlib import Path

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.files.base import ContentFile
from django.db import transaction
from django.db.models import Q, QuerySet
from django.utils.translation import gettext as _

from core import clock
from core.files import DOCUMENT_KINDS, UploadedFile, check_upload
from ingest.inspection_text import InspectionPlanDraft
from inspections.models import (
    ChecklistArea,
    ChecklistItem,
    ChecklistTemplate,
    InspectionPlan,
    ItemOrigin,
    Round,
    RoundKind,
    TemplateArea,
    TemplateItem,
)
from inspections.services.rounds import add_round
from org.models import Unit
from org.services import DepartmentMatcher
from plans.models import Target

DEFAULT_TEMPLATE_FILE = (
    Path(settings.BASE_DIR) / "fixtures" / "inspections" / "default_checklist.json"
)


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


def _check_plan(unit: Unit, title: str, fields: dict) -> None:
    if not title.strip():
        raise ValidationError({"title": _("Write the plan's title.")})
    lead = fields.get("lead_department")
    if lead is not None and lead.unit_id != unit.pk:
        raise ValidationError(
            {"lead_department": _("The department must belong to the plan's unit.")}
        )


@transaction.atomic
def create_plan(
    unit: Unit,
    *,
    title: str,
    year: int,
    template: ChecklistTemplate | None = None,
    **fields,
) -> InspectionPlan:
    _check_plan(unit, title, fields)
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
        check_upload(source.name, source.stream, DOCUMENT_KINDS)
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
                    add_round(
                        plan,
                        name=r.name,
                        start=r.start,
                        end=r.end,
                        kind=RoundKind.PERIODIC,
                        # the rounds are as the issued plan says, even if read late
                        late_self_check_ok=True,
                    )
                )
    return ImportOutcome(plan=plan, rounds=rounds, unmatched=unmatched)


@transaction.atomic
def update_plan(plan: InspectionPlan, *, title: str, **fields) -> InspectionPlan:
    """Change what the plan says of itself (title, number, lead, self-check days, …)."""
    _check_plan(plan.unit, title, fields)
    plan.title = title.strip()
    for name, value in fields.items():
        setattr(plan, name, value)
    plan.save()
    return plan


@transaction.atomic
def link_target(plan: InspectionPlan, target: Target | None) -> InspectionPlan:
    """The CCHC plan target fed with the share of findings remediated on time (none: unlinked)."""
    plan.on_time_target = target
    plan.save(update_fields=["on_time_target"])
    return plan


def add_item(area: ChecklistArea, text: str, group: str = "") -> ChecklistItem:
    if not text.strip():
        raise ValidationError({"text": _("Write what is checked.")})
    order = (area.items.order_by("-order").values_list("order", flat=True).first() or 0) + 1
    return ChecklistItem.objects.create(
        area=area, order=order, text=text.strip(), group=group, origin=ItemOrigin.MANUAL
    )
