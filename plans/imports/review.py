"""The review step: a person corrects what was read, decides about unknown departments, and
confirms; then everything is saved in one transaction with the original file attached."""

from __future__ import annotations

from collections.abc import Mapping
from datetime import datetime
from types import SimpleNamespace
from typing import Any

from django.core.exceptions import NON_FIELD_ERRORS, ValidationError
from django.core.files.base import ContentFile
from django.db import transaction
from django.utils.translation import gettext as _

from ingest.deadlines import parse_deadline
from ingest.drafts import draft_from_data, parse_day
from ingest.plan_text.tables import _parse_value as parse_aim
from ingest.targets import parse_target
from org.access import holders_of
from org.models import Department, Role, Unit, User
from org.services import DepartmentData, DepartmentMatcher, save_department
from plans.drafts import DraftOutcome, save_draft
from plans.imports.bodies import ALIAS, NEW, SAME, TEXT, Body, unknown_bodies
from plans.imports.models import DocumentImport, ImportStatus
from plans.models import Plan
from plans.services import describe_target, is_all_departments_lead, target_fields


def _date(text: str) -> str | None:
    text = (text or "").strip()
    for pattern in ("%d/%m/%Y", "%Y-%m-%d"):
        try:
            return datetime.strptime(text, pattern).date().isoformat()
        except ValueError:
            continue
    return None


def _area_of(read: str | None, typed: str | None, renamed: Mapping[str, str]) -> str | None:
    """The area code of a task or target: the one typed beside it when it was changed, else
    the code its area was given on the page."""
    typed = (typed or "").strip()
    if typed and typed != (read or ""):
        return typed
    return renamed.get(read or "", read) if read else (typed or None)


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
    areas = []
    renamed: dict[str, str] = {}  # an area's code as read -> as typed
    for i, a in enumerate(data.get("areas", [])):
        code = post.get(f"area-{i}-code", a["code"]).strip() or a["code"]
        renamed[a["code"]] = code
        name = post.get(f"area-{i}-name", a["name"]).strip() or a["name"]
        areas.append({"order": i + 1, "code": code, "name": name})
    tasks = []
    for i, task in enumerate(data.get("tasks", [])):
        if post.get(f"task-{i}-present") and not post.get(f"task-{i}-include"):
            continue  # unticked: the person left this task out
        edited = {**task, "review_index": task.get("review_index", i)}
        for field, key in (
            ("number", "number"),
            ("content", "content"),
            ("lead", "lead"),
            ("deadline_text", "deadline"),
            ("product", "product"),
        ):
            if f"task-{i}-{key}" in post:
                edited[field] = post[f"task-{i}-{key}"].strip()
        edited["area_code"] = _area_of(task.get("area_code"), post.get(f"task-{i}-area"), renamed)
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
        edited["area_code"] = _area_of(
            target.get("area_code"), post.get(f"target-{i}-area"), renamed
        )
        targets.append(edited)
    return {**data, "facts": facts, "areas": areas, "tasks": tasks, "targets": targets}


def read_choices(bodies: list[Body], post: Mapping[str, str]) -> dict[int, str]:
    """Each body's decision: the one chosen on the page for the same spellings, else the
    default. The page carries the spellings beside each choice, so a list that changed between
    two views never applies a choice to another body."""
    posted = {
        post.get(f"body-{j}-names", ""): post.get(f"body-{j}-action", "")
        for j in range(len(bodies) + 50)
        if f"body-{j}-names" in post
    }
    return {b.index: posted.get(b.key) or b.default for b in bodies}


def apply_choices(unit: Unit, bodies: list[Body], choices: Mapping[int, str]) -> None:
    """Create the new departments (one for all spellings of a body, and of the bodies said to
    be the same) and record the other names of existing ones. A refusal names its body."""
    departments = {str(d.pk): d for d in unit.departments.all()}

    def root(index: int, seen: frozenset[int] = frozenset()) -> int:
        choice = choices.get(index, TEXT)
        if choice.startswith(SAME) and choice[len(SAME) :].isdigit():
            target = int(choice[len(SAME) :])
            if target in choices and target not in seen | {index}:
                return root(target, seen | {index})
        return index

    names: dict[int, list[str]] = {}
    for body in bodies:
        names.setdefault(root(body.index), []).extend(body.names)
    errors: dict[str, list[str]] = {}
    for index, written in names.items():
        choice = choices.get(index, TEXT)
        try:
            if choice == NEW:
                save_department(unit, DepartmentData(name=written[0], aliases=written[1:]))
            elif choice.startswith(ALIAS) and choice[len(ALIAS) :] in departments:
                department = departments[choice[len(ALIAS) :]]
                save_department(
                    unit,
                    DepartmentData(
                        name=department.name,
                        short_name=department.short_name,
                        kind=department.kind,
                        aliases=[*department.aliases, *written],
                    ),
                    existing=department,
                )
        except ValidationError as exc:
            errors[f"body-{index}"] = exc.messages
    if errors:
        raise ValidationError(errors)


def default_lead(unit: Unit, by: User | None) -> Department | None:
    """Who leads a task whose lead is not a department: the CCHC focal officer's department."""
    if by is not None and by.department_id and by.department.unit_id == unit.pk:
        return by.department
    for person in holders_of(Role.FOCAL, unit):
        if person.department_id and person.department.unit_id == unit.pk:
            return person.department
    return None


def read_area_leads(
    unit: Unit, data: Mapping[str, Any], post: Mapping[str, str], by: User | None
) -> dict[str, Department]:
    """The lead chosen per area for its tasks that name no department (default: see
    default_lead); the key "" stands for a plan whose areas were not read."""
    departments = {str(d.pk): d for d in unit.departments.filter(is_active=True)}
    fallback = default_lead(unit, by)
    codes = [a["code"] for a in data.get("areas", [])] or [""]
    leads = {}
    for i, code in enumerate(codes):
        chosen = post.get(f"area-{i}-lead")
        department = fallback if chosen is None else departments.get(chosen)
        if department is not None:
            leads[code] = department
    return leads


def _keyed(exc: ValidationError, data: Mapping[str, Any]) -> dict[str, list[str]]:
    """The refusal by the review page's items: a task's error under its index on the page."""
    if not hasattr(exc, "error_dict"):
        return {"": exc.messages}
    keyed: dict[str, list[str]] = {}
    tasks = data.get("tasks", [])
    for key, errors in exc.message_dict.items():
        if key.startswith("task-") and key[5:].isdigit() and int(key[5:]) < len(tasks):
            key = f"task-{tasks[int(key[5:])].get('review_index', key[5:])}"
        elif key == NON_FIELD_ERRORS:
            key = ""
        keyed.setdefault(key, []).extend(errors)
    return keyed


@transaction.atomic
def save_reviewed(
    unit: Unit,
    data: dict[str, Any],
    by: User | None,
    *,
    choices: Mapping[int, str] | None = None,
    area_leads: Mapping[str, Department] | None = None,
    status: str = "draft",
) -> DraftOutcome:
    """The one way a read draft (as data) becomes a plan, for the review page and the
    import_plan command alike: the bodies decided (by default as unknown_bodies says), each
    area's lead for tasks led by no department (by default default_lead), then save_draft."""
    bodies = unknown_bodies(unit, data)
    apply_choices(unit, bodies, choices if choices is not None else read_choices(bodies, {}))
    if area_leads is None:
        area_leads = read_area_leads(unit, data, {}, by)
    return save_draft(unit, draft_from_data(data), status=status, area_leads=area_leads)


@transaction.atomic
def confirm(
    document: DocumentImport,
    data: dict[str, Any],
    by: User | None,
    *,
    choices: Mapping[int, str] | None = None,
    area_leads: Mapping[str, Department] | None = None,
    status: str = "draft",
) -> Plan:
    """Save the reviewed draft as a plan, after the decisions about unknown bodies; on any
    refusal nothing at all is kept. Without choices or leads, the defaults apply."""
    if document.status == ImportStatus.SAVED:
        raise ValidationError(_("This document has already been saved as a plan."))
    unit = document.batch.unit
    plan = save_reviewed(unit, data, by, choices=choices, area_leads=area_leads, status=status).plan
    with document.file.open("rb") as stream:
        plan.source_document.save(document.original_name, ContentFile(stream.read()), save=False)
    plan.source_name = document.original_name[:255]
    plan.save()
    document.status, document.plan, document.draft = ImportStatus.SAVED, plan, data
    document.save()
    return plan


def confirm_form(
    document: DocumentImport, data: dict[str, Any], post: Mapping[str, str], by: User
) -> Plan:
    """Confirm with the decisions the review form carries; a refusal is a ValidationError
    keyed by the page's items ("task-3", "body-1", "area-0", "" for the plan as a whole)."""
    unit = document.batch.unit
    try:
        return confirm(
            document,
            data,
            by,
            choices=read_choices(unknown_bodies(unit, data), post),
            area_leads=read_area_leads(unit, data, post, by),
        )
    except ValidationError as exc:
        raise ValidationError(_keyed(exc, data)) from exc


def keep_edits(document: DocumentImport, data: dict[str, Any]) -> None:
    """Keep the corrections made so far, without saving any plan."""
    document.draft = data
    document.save(update_fields=["draft", "updated_at"])


def _options(body: Body, bodies: list[Body], departments: list[Department]) -> list:
    return [
        (TEXT, _("keep as written (not a department)")),
        (NEW, _("add as a new department")),
        *((f"{ALIAS}{d.pk}", f"{_('another name of')} {d.name}") for d in departments),
        *(
            (f"{SAME}{o.index}", _("the same body as %(name)s") % {"name": o.names[0]})
            for o in bodies
            if o.index != body.index
        ),
    ]


def page_context(
    document: DocumentImport,
    data: dict[str, Any],
    errors: Mapping[str, list[str]],
    post: Mapping[str, str] | None = None,
    by: User | None = None,
) -> dict:
    """What the review page shows: the draft, each task and target as read, the unknown
    bodies with their decision (the default, or what was chosen), and errors by item."""
    post = post or {}
    unit = document.batch.unit
    facts = data["facts"]
    start = parse_day(facts.get("period_start"))
    end = parse_day(facts.get("period_end"))
    issued = parse_day(facts.get("issued_on"))
    departments = list(unit.departments.filter(is_active=True))
    matcher = DepartmentMatcher(unit, departments)
    bodies = unknown_bodies(unit, data)
    choices = read_choices(bodies, post)
    body_of = {name: b for b in bodies for name in b.names}
    tasks = []
    for i, task in enumerate(data.get("tasks", [])):
        index = task.get("review_index", i)
        parsed = parse_deadline(
            task.get("deadline_text", ""), period_start=start, period_end=end, issued_on=issued
        )
        lead = matcher.match(task.get("lead", "")) if task.get("lead") else None
        every = is_all_departments_lead(task.get("lead", ""))
        tasks.append(
            {
                "index": i,
                "data": task,
                "coordinators": "; ".join(task.get("coordinators", [])),
                "lead_department": lead,
                "lead_body": None if every else body_of.get((task.get("lead") or "").strip()),
                "all_departments": every,
                "deadline": parsed,
                "errors": errors.get(f"task-{index}", []),
                "unsure": parsed.needs_review
                or (lead is None and not every)
                or bool(task.get("warnings")),
            }
        )
    targets = []
    for i, target in enumerate(data.get("targets", [])):
        aim = target.get("aim", "")
        parsed = parse_aim(target["text"], aim) if aim else parse_target(target["text"])
        targets.append(
            {
                "index": i,
                "data": target,
                "parsed": parsed,
                "understood": describe_target(
                    SimpleNamespace(**target_fields(parsed), baseline_value=None)
                ),
            }
        )
    shown = dict(facts)
    for key in ("issued_on", "period_start", "period_end"):
        day = parse_day(facts.get(key))
        shown[key] = day.strftime("%d/%m/%Y") if day else ""
    leads = read_area_leads(unit, data, post, by)
    areas = [
        {"index": i, "data": a, "lead": leads.get(a["code"]), "errors": errors.get(f"area-{i}", [])}
        for i, a in enumerate(data.get("areas", []))
    ]
    item_errors = sum(len(v) for k, v in errors.items() if k and k not in ("title", "__all__"))
    return {
        "document": document,
        "unit": unit,
        "data": data,
        "facts": shown,
        "tasks": tasks,
        "targets": targets,
        "areas": areas,
        "no_area_lead": leads.get(""),
        "departments": departments,
        "bodies": [
            {
                "body": b,
                "choice": choices[b.index],
                "options": _options(b, bodies, departments),
                "errors": errors.get(f"body-{b.index}", []),
            }
            for b in bodies
        ],
        "errors": [e for k, v in errors.items() if k in ("", "title", "__all__") for e in v],
        "item_errors": item_errors,
        "unsure_count": sum(t["unsure"] for t in tasks),
    }
