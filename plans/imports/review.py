"""The review step: a person corrects what was read, decides about unknown departments, and
confirms; then everything is saved in one transaction with the original file attached."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from django.core.exceptions import ValidationError
from django.core.files.base import ContentFile
from django.db import transaction
from django.utils.translation import gettext as _

from ingest.deadlines import parse_deadline
from ingest.drafts import draft_from_data, parse_day
from ingest.targets import parse_target
from org.models import Department, Unit, User
from org.services import DepartmentData, DepartmentMatcher, save_department
from plans.drafts import save_draft
from plans.imports.models import DocumentImport, ImportStatus
from plans.models import Plan
from plans.services import is_all_departments_lead


def unknown_departments(unit: Unit, data: Mapping[str, Any]) -> list[str]:
    """Department names the document uses that match no department of the unit."""
    matcher = DepartmentMatcher(unit)
    names: list[str] = []
    for task in data.get("tasks", []):
        for name in [task.get("lead", ""), *task.get("coordinators", [])]:
            if is_all_departments_lead(name):
                continue  # every department: not a name to decide about
            if name and matcher.match(name) is None and name not in names:
                names.append(name)
    for duty in data.get("duties", []):
        name = duty["department"]
        if name and matcher.match(name) is None and name not in names:
            names.append(name)
    return names


def _date(text: str) -> str | None:
    text = (text or "").strip()
    for pattern in ("%d/%m/%Y", "%Y-%m-%d"):
        try:
            return datetime.strptime(text, pattern).date().isoformat()
        except ValueError:
            continue
    return None


def apply_edits(data: dict[str, Any], post: Mapping[str, str]) -> dict[str, Any]:
    """The draft data with the person's corrections from the review form."""
    facts = dict(data["facts"])
    for key in ("title", "number", "signer", "plan_kind"):
        if key in post:
            facts[key] = post[key].strip()
    if "signing_capacity" in post:
        facts["signing_capacity"] = [
            part.strip() for part in post["signing_capacity"].split("/") if part.strip()
        ]
    for key in ("issued_on", "period_start", "period_end"):
        if key in post:
            facts[key] = _date(post[key])
    areas = [
        {
            "order": i + 1,
            "code": post.get(f"area-{i}-code", a["code"]).strip() or a["code"],
            "name": post.get(f"area-{i}-name", a["name"]).strip() or a["name"],
        }
        for i, a in enumerate(data.get("areas", []))
    ]
    # A lead chosen for a whole area fills the tasks of that area that name none.
    area_leads = {
        a["code"]: post[f"area-{i}-lead"].strip()
        for i, a in enumerate(data.get("areas", []))
        if post.get(f"area-{i}-lead", "").strip()
    }
    tasks = []
    for i, task in enumerate(data.get("tasks", [])):
        if post.get(f"task-{i}-present") and not post.get(f"task-{i}-include"):
            continue  # unticked: the person left this task out
        edited = dict(task)
        for field, key in (
            ("area_code", "area"),
            ("number", "number"),
            ("content", "content"),
            ("lead", "lead"),
            ("deadline_text", "deadline"),
            ("product", "product"),
        ):
            if f"task-{i}-{key}" in post:
                edited[field] = post[f"task-{i}-{key}"].strip()
        if not edited.get("lead") and edited.get("area_code") in area_leads:
            edited["lead"] = area_leads[edited["area_code"]]
        if f"task-{i}-coordinators" in post:
            edited["coordinators"] = [
                c.strip() for c in post[f"task-{i}-coordinators"].split(";") if c.strip()
            ]
        tasks.append(edited)
    targets = []
    for i, target in enumerate(data.get("targets", [])):
        if post.get(f"target-{i}-present") and not post.get(f"target-{i}-include"):
            continue
        edited = dict(target)
        if f"target-{i}-text" in post:
            edited["text"] = post[f"target-{i}-text"].strip()
        if f"target-{i}-area" in post:
            edited["area_code"] = post[f"target-{i}-area"].strip() or None
        targets.append(edited)
    return {**data, "facts": facts, "areas": areas, "tasks": tasks, "targets": targets}


@dataclass(frozen=True)
class DepartmentDecision:
    name: str  # as written in the document
    action: str  # "text" | "new" | "alias"
    department: Department | None = None


def read_decisions(
    unit: Unit, names: list[str], post: Mapping[str, str]
) -> list[DepartmentDecision]:
    departments = {str(d.pk): d for d in unit.departments.all()}
    decisions = []
    for j, name in enumerate(names):
        choice = post.get(f"dept-{j}-action", "text")
        if choice == "new":
            decisions.append(DepartmentDecision(name, "new"))
        elif choice.startswith("alias:") and choice[6:] in departments:
            decisions.append(DepartmentDecision(name, "alias", departments[choice[6:]]))
        else:
            decisions.append(DepartmentDecision(name, "text"))
    return decisions


def _apply_decision(unit: Unit, decision: DepartmentDecision) -> None:
    if decision.action == "new":
        save_department(unit, DepartmentData(name=decision.name))
    elif decision.action == "alias" and decision.department is not None:
        department = decision.department
        save_department(
            unit,
            DepartmentData(
                name=department.name,
                short_name=department.short_name,
                kind=department.kind,
                aliases=[*department.aliases, decision.name],
            ),
            existing=department,
        )


@transaction.atomic
def confirm(
    document: DocumentImport,
    data: dict[str, Any],
    decisions: list[DepartmentDecision],
    by: User,
    *,
    status: str = "draft",
) -> Plan:
    """Save the reviewed draft as a plan; on any refusal nothing at all is kept."""
    if document.status == ImportStatus.SAVED:
        raise ValidationError(_("This document has already been saved as a plan."))
    unit = document.batch.unit
    for decision in decisions:
        _apply_decision(unit, decision)
    draft = draft_from_data(data)
    if not draft.facts.title:
        raise ValidationError(_("The plan needs a title."))
    outcome = save_draft(unit, draft, status=status)
    plan = outcome.plan
    with document.file.open("rb") as stream:
        plan.source_document.save(document.original_name, ContentFile(stream.read()), save=False)
    plan.source_name = document.original_name[:255]
    plan.save()
    document.status, document.plan, document.draft = ImportStatus.SAVED, plan, data
    document.save()
    return plan


def confirm_form(document: DocumentImport, data: dict[str, Any], post: Mapping[str, str], by: User):
    """Confirm with the department decisions the review form carries."""
    unit = document.batch.unit
    names = unknown_departments(unit, document.draft)
    return confirm(document, data, read_decisions(unit, names, post), by)


def keep_edits(document: DocumentImport, data: dict[str, Any]) -> None:
    """Keep the corrections made so far, without saving any plan."""
    document.draft = data
    document.save(update_fields=["draft", "updated_at"])


def page_context(document: DocumentImport, data: dict[str, Any], errors: list[str]) -> dict:
    """What the review page shows: the draft, each task and target as read, the unknowns."""
    unit = document.batch.unit
    facts = data["facts"]
    start = parse_day(facts.get("period_start"))
    end = parse_day(facts.get("period_end"))
    departments = list(unit.departments.filter(is_active=True))
    matcher = DepartmentMatcher(unit, departments)
    tasks = []
    for i, task in enumerate(data.get("tasks", [])):
        parsed = parse_deadline(task.get("deadline_text", ""), period_start=start, period_end=end)
        lead = matcher.match(task.get("lead", "")) if task.get("lead") else None
        every = is_all_departments_lead(task.get("lead", ""))
        tasks.append(
            {
                "index": i,
                "data": task,
                "coordinators": "; ".join(task.get("coordinators", [])),
                "lead_department": lead,
                "all_departments": every,
                "deadline": parsed,
                "unsure": parsed.needs_review
                or (lead is None and not every)
                or bool(task.get("warnings")),
            }
        )
    targets = [
        {"index": i, "data": target, "parsed": parse_target(target["text"])}
        for i, target in enumerate(data.get("targets", []))
    ]
    shown = dict(facts)
    for key in ("issued_on", "period_start", "period_end"):
        day = parse_day(facts.get(key))
        shown[key] = day.strftime("%d/%m/%Y") if day else ""
    return {
        "document": document,
        "unit": unit,
        "data": data,
        "facts": shown,
        "tasks": tasks,
        "targets": targets,
        "departments": departments,
        "unknown": list(enumerate(unknown_departments(unit, data))),
        "errors": errors,
        "unsure_count": sum(t["unsure"] for t in tasks),
        "tasks_without_lead": any(not t["data"].get("lead") for t in tasks),
    }
