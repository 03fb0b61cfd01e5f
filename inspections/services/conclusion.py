"""The conclusion notice of a round (Thông báo kết luận kiểm tra), made by the shared document
builder."""

from __future__ import annotations

from datetime import date

from django.utils import translation
from django.utils.translation import gettext as _

from core import clock
from inspections.models import (
    Round,
    Severity,
    TeamRole,
)
from inspections.services.figures import checklist_grid, department_summary
from inspections.services.self_check import SelfCheckState, self_check_state
from reports.builder import Signer, build_document


def _vn_date(day: date | None) -> str:
    return day.strftime("%d/%m/%Y") if day else ""


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
    """The conclusion notice as a Word document, made by the shared document builder."""
    with translation.override("vi"):  # the document is Vietnamese whatever the page's language
        context = conclusion_context(round_)
    return build_document(
        "inspection_conclusion",
        context,
        unit=round_.plan.unit,
        issued_on=round_.concluded_on or on or clock.today(),
        # Signed for the People's Committee; the name is written by whoever signs.
        signer=Signer(capacity="TM. ỦY BAN NHÂN DÂN", title="CHỦ TỊCH", name=""),
        number=round_.conclusion_number,
    )
