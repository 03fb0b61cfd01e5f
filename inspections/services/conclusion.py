"""The conclusion notice of a round (Thông báo kết luận kiểm tra), made by the shared document
builder."""

from __future__ import annotations

import re
from datetime import date

from django.core.exceptions import ValidationError
from django.utils import translation
from django.utils.translation import gettext as _

from core import clock
from inspections.models import (
    Round,
    Severity,
    TeamRole,
)
from inspections.services.figures import checklist_grid, department_summary
from inspections.services.notice import normalise_notice_number, notice_signer
from inspections.services.self_check import SelfCheckState, self_check_state
from reports.builder import build_document

# Words a round's name may begin with that are common nouns, written in lower case inside the
# notice's title ("… năm 2026 (đợt 2 – kiểm tra đột xuất …)"); a name starting otherwise (a
# department's name, an abbreviation) keeps its capitals.
_COMMON_STARTS = ("đợt", "kiểm tra", "lần", "định kỳ", "đột xuất", "phúc tra", "rà soát")


def _vn_date(day: date | None) -> str:
    return day.strftime("%d/%m/%Y") if day else ""


def round_clause(name: str) -> str:
    """The round's name as a lower-case clause: "Đợt 1 – Kiểm tra 6 tháng" gives
    "đợt 1 – kiểm tra 6 tháng"; proper names keep their capitals."""
    parts = re.split(r"(\s*[–:—-]\s+|\s*:\s*)", name.strip())
    out = []
    for part in parts:
        lowered = part.lower()
        if any(lowered.startswith(word) for word in _COMMON_STARTS):
            part = part[:1].lower() + part[1:]
            for word in _COMMON_STARTS:  # "Kiểm tra Đột xuất": the common words after it too
                if lowered.startswith(word):
                    part = lowered[: len(word)] + part[len(word) :]
        out.append(part)
    return "".join(out)


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
            "sentence": f.description.rstrip(" .;") + ".",
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
        "round_clause": round_clause(round_.name),
        "year": round_.start.year,
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
    """The conclusion notice as a Word document, made by the shared document builder: dated as
    the official set it (else the day it was concluded), signed by the chosen leader."""
    with translation.override("vi"):  # the document is Vietnamese whatever the page's language
        context = conclusion_context(round_)
    try:
        number = normalise_notice_number(round_.conclusion_number)
    except ValidationError:  # a number kept before numbers were checked: printed as it is
        number = round_.conclusion_number
    return build_document(
        "inspection_conclusion",
        context,
        unit=round_.plan.unit,
        issued_on=round_.notice_on or round_.concluded_on or on or clock.today(),
        signer=notice_signer(round_.signer, round_.signer_capacity),
        number=number,
    )
