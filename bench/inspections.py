"""Benchmark of the inspection pages.

Builds a commune with the default 60-item checklist, four rounds of 10 inspected departments
each (every item answered, 2,400 answers) and 400 findings with their remediation steps, then
times the inspection calendar, the round page with its department × area grid, the finding list
(whole and filtered), a department's view and the year-end summary, against a floor page (logged
in, base layout only), warm, with Django's test client. Query counts are measured at 40 and 800
findings to show they do not grow with the data. The last line is one JSON object.

    .venv/bin/python bench/inspections.py [--repeat 30]
"""

from __future__ import annotations

import argparse
import json
import sys
from datetime import date, timedelta
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from bench import common
from core import clock


def build_commune(code: str, findings: int):
    from inspections import services
    from inspections.models import (
        Answer,
        EventKind,
        Finding,
        FindingEvent,
        FindingStatus,
        Result,
        TeamMember,
        TeamRole,
    )
    from org.models import Department, Role, RoleGrant, Unit, User

    province = Unit.objects.get_or_create(
        code="BENCH", defaults={"name": "Tỉnh Thử", "kind": "province"}
    )[0]
    unit = Unit.objects.create(code=code, name=f"Phường {code}", kind="ward", parent=province)
    departments = [Department.objects.create(unit=unit, name=f"Phòng số {i}") for i in range(10)]
    focal = User.objects.create(
        username=f"focal-{code}", full_name="Đầu mối", unit=unit, department=departments[0]
    )
    RoleGrant.objects.create(user=focal, role=Role.FOCAL, unit=unit)
    plan = services.create_plan(
        unit, title=f"Kế hoạch kiểm tra {code}", year=2026, template=services.default_template()
    )
    areas = list(plan.areas.all())
    from inspections.models import ChecklistItem

    items = list(ChecklistItem.objects.filter(area__plan=plan))
    rounds = []
    for r in range(4):
        start = date(2026, 2 + 3 * r, 1)
        round_ = services.add_round(
            plan, name=f"Đợt {r + 1}", start=start, end=start + timedelta(days=9)
        )
        TeamMember.objects.create(round=round_, role=TeamRole.LEADER, user=focal, name="Đầu mối")
        for i, department in enumerate(departments):
            subject = services.add_subject(round_, department, areas=areas)
            Answer.objects.bulk_create(
                Answer(
                    subject=subject,
                    item=item,
                    self_result=[Result.MET, Result.NOT_MET, Result.NOT_APPLICABLE][(i + j) % 3],
                )
                for j, item in enumerate(items)
            )
        rounds.append(round_)
    created = Finding.objects.bulk_create(
        Finding(
            round=rounds[i % 4],
            department=departments[i % 10],
            responsible_department=departments[i % 10],
            item=items[i % len(items)],
            description=f"Tồn tại số {i}",
            deadline=date(2026, 3, 1) + timedelta(days=i % 200),
            status=[FindingStatus.OPEN, FindingStatus.RESPONDED, FindingStatus.CLOSED][i % 3],
            remediated_on=date(2026, 4, 1) if i % 3 == 2 else None,
            created_by=focal,
        )
        for i in range(findings)
    )
    FindingEvent.objects.bulk_create(
        FindingEvent(finding=f, kind=EventKind.RESPONSE, on=date(2026, 4, 1), by=focal, text="x")
        for f in created
        if f.status != FindingStatus.OPEN
    )
    return unit, plan, rounds[0], departments[3], focal


def pages(plan, round_, department) -> dict[str, tuple[str, dict]]:
    from django.urls import reverse

    findings = reverse("finding_list")
    return {
        "floor_page": (reverse("bench_floor"), {}),
        "inspection_home": (reverse("inspection_home") + "?year=2026", {}),
        "round_page": (reverse("inspection_round_detail", args=[round_.pk]), {}),
        "finding_list": (findings, {}),
        "finding_list_filtered": (
            findings + f"?state=overdue&department={department.pk}",
            {"HTTP_HX_REQUEST": "true"},
        ),
        "department_view": (reverse("inspection_department", args=[department.pk]), {}),
        "year_end_summary": (reverse("inspection_summary", args=[plan.pk]), {}),
    }


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--repeat", type=int, default=30)
    args = parser.parse_args()
    common.fresh_database()
    clock.today = lambda: date(2026, 9, 1)

    figures: dict[str, float] = {}
    unit, plan, round_, department, focal = build_commune("I400", 400)
    client = common.signed_in(focal, unit)
    for name, (url, headers) in pages(plan, round_, department).items():
        common.record(figures, name, common.measure(client, url, args.repeat, headers))
    common.over_floor(figures, pages(plan, round_, department))

    for size in (40, 800):
        unit, plan, round_, department, focal = build_commune(f"Q{size}", size)
        client = common.signed_in(focal, unit)
        for name, (url, headers) in pages(plan, round_, department).items():
            figures[f"{name}_queries_at_{size}_findings"] = common.queries_of(client, url, headers)
        print(
            f"queries at {size} findings:",
            {k: v for k, v in figures.items() if k.endswith(f"_at_{size}_findings")},
        )
    print(json.dumps(figures, sort_keys=True))


if __name__ == "__main__":
    main()
