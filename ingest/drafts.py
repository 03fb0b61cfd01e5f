"""A draft plan as plain data (JSON), so it can wait for review and come back as a PlanDraft.

Deadlines and targets are stored as written and read again on the way back, so an edit to the
words is always what decides their meaning.
"""

from __future__ import annotations

from datetime import date
from typing import Any

from ingest.deadlines import parse_deadline
from ingest.plan_text import (
    DatedEvent,
    DocumentFacts,
    DraftArea,
    DraftDuty,
    DraftTarget,
    DraftTask,
    PlanDraft,
)
from ingest.plan_text.tables import _parse_value as parse_aim
from ingest.targets import parse_target


def _day(value: date | None) -> str | None:
    return value.isoformat() if value else None


def parse_day(value: str | None) -> date | None:
    try:
        return date.fromisoformat(value) if value else None
    except ValueError:
        return None


def draft_to_data(draft: PlanDraft) -> dict[str, Any]:
    f = draft.facts
    return {
        "facts": {
            "kind": f.kind,
            "plan_kind": f.plan_kind,
            "number": f.number,
            "number_suffix": f.number_suffix,
            "place": f.place,
            "issued_on": _day(f.issued_on),
            "issuing_body": f.issuing_body,
            "unit_kind": f.unit_kind,
            "unit_name": f.unit_name,
            "title": f.title,
            "signer": f.signer,
            "signing_capacity": list(f.signing_capacity),
            "period_start": _day(f.period_start),
            "period_end": _day(f.period_end),
            "implements": list(f.implements),
            "recipients": list(f.recipients),
        },
        "areas": [{"order": a.order, "code": a.code, "name": a.name} for a in draft.areas],
        "targets": [
            {
                "area_code": t.area_code,
                "code": t.code,
                "text": t.text,
                # A target table's aim cell ("Trên 90%"), which the figures are read from.
                "aim": t.parsed.text if t.parsed.text != t.text else "",
                "monitoring": t.monitoring,
                "implementing": list(t.implementing),
            }
            for t in draft.targets
        ],
        "tasks": [
            {
                "area_code": t.area_code,
                "number": t.number,
                "content": t.content,
                "lead": t.lead,
                "coordinators": list(t.coordinators),
                "deadline_text": t.deadline_text,
                "product": t.product,
                "source": t.source,
                "warnings": list(t.warnings),
                "group": t.group,
            }
            for t in draft.tasks
        ],
        "duties": [{"department": d.department, "duties": list(d.duties)} for d in draft.duties],
        "events": [
            {"label": e.label, "start": _day(e.start), "end": _day(e.end), "text": e.text}
            for e in draft.events
        ],
        "warnings": list(draft.warnings),
    }


def draft_from_data(data: dict[str, Any]) -> PlanDraft:
    raw = data.get("facts", {})
    facts = DocumentFacts(
        kind=raw.get("kind", ""),
        plan_kind=raw.get("plan_kind", "other"),
        number=raw.get("number", ""),
        number_suffix=raw.get("number_suffix", ""),
        place=raw.get("place", ""),
        issued_on=parse_day(raw.get("issued_on")),
        issuing_body=raw.get("issuing_body", ""),
        unit_kind=raw.get("unit_kind", ""),
        unit_name=raw.get("unit_name", ""),
        title=raw.get("title", ""),
        signer=raw.get("signer", ""),
        signing_capacity=list(raw.get("signing_capacity", [])),
        period_start=parse_day(raw.get("period_start")),
        period_end=parse_day(raw.get("period_end")),
        implements=list(raw.get("implements", [])),
        recipients=list(raw.get("recipients", [])),
    )
    start, end = facts.period_start, facts.period_end
    return PlanDraft(
        facts=facts,
        areas=[DraftArea(a["order"], a["code"], a["name"]) for a in data.get("areas", [])],
        targets=[
            DraftTarget(
                area_code=t.get("area_code"),
                code=t.get("code", ""),
                text=t["text"],
                parsed=parse_aim(t["text"], t["aim"]) if t.get("aim") else parse_target(t["text"]),
                monitoring=t.get("monitoring", ""),
                implementing=list(t.get("implementing", [])),
            )
            for t in data.get("targets", [])
        ],
        tasks=[
            DraftTask(
                area_code=t.get("area_code"),
                number=t.get("number", ""),
                content=t["content"],
                lead=t.get("lead", ""),
                coordinators=list(t.get("coordinators", [])),
                deadline_text=t.get("deadline_text", ""),
                deadline=parse_deadline(
                    t.get("deadline_text", ""), period_start=start, period_end=end
                ),
                product=t.get("product", ""),
                source=t.get("source", "table"),
                warnings=list(t.get("warnings", [])),
                group=t.get("group", ""),
            )
            for t in data.get("tasks", [])
        ],
        duties=[DraftDuty(d["department"], list(d["duties"])) for d in data.get("duties", [])],
        events=[
            DatedEvent(e["label"], parse_day(e.get("start")), parse_day(e.get("end")), e["text"])
            for e in data.get("events", [])
        ],
        warnings=list(data.get("warnings", [])),
    )
