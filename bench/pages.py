"""Benchmark of the plan pages.

Builds a commune with 300 tasks, 60 targets and 2,000 progress updates, then times the plan page,
the dashboard, the task list (filtered and not), "my tasks", "my work" and a floor page (logged
in, base layout only) with Django's test client, warm. Query counts are measured at 30 and 3,000
tasks to show they do not grow with the commune. The last line is one JSON object with every
figure.

    .venv/bin/python bench/pages.py [--repeat 40]
"""

from __future__ import annotations

import argparse
import json
import sys
from datetime import date
from decimal import Decimal
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from bench import common

DEADLINES = [
    "Quý I/2026",
    "Trước ngày 15/01/2026",
    "Thường xuyên",
    "Theo chỉ đạo của cấp trên",
    "Trong tháng 2/2026",
    "Quý III, IV/2026",
    "Báo cáo định kỳ hàng quý, năm 2026",
]


def build_commune(code: str, tasks: int, targets: int, updates: int):
    from org.models import Department, Role, RoleGrant, Unit, User
    from plans import services
    from plans.models import Measurement, Milestone, Plan, ProgressUpdate, Target, Task

    province = Unit.objects.get_or_create(
        code="BENCH", defaults={"name": "Tỉnh Thử", "kind": "province"}
    )[0]
    unit = Unit.objects.create(code=code, name=f"Phường {code}", kind="ward", parent=province)
    departments = [Department.objects.create(unit=unit, name=f"Phòng số {i}") for i in range(8)]
    focal = User.objects.create(
        username=f"focal-{code}", full_name="Đầu mối", unit=unit, department=departments[0]
    )
    RoleGrant.objects.create(user=focal, role=Role.FOCAL, unit=unit)
    officer = User.objects.create(
        username=f"officer-{code}", full_name="Công chức", unit=unit, department=departments[1]
    )
    RoleGrant.objects.create(user=officer, role=Role.OFFICER, unit=unit)
    plan = services.create_plan(
        unit, title=f"Kế hoạch {code}", period_start=date(2026, 1, 1), period_end=date(2026, 12, 31)
    )
    areas = list(plan.areas.all())
    created = Task.objects.bulk_create(
        Task(
            plan=plan,
            area=areas[i % len(areas)],
            number=str(i + 1),
            order=i,
            content=f"Nhiệm vụ cải cách hành chính số {i + 1}",
            lead_department=departments[i % 8],
            deadline_text=DEADLINES[i % len(DEADLINES)],
            search_text=f"nhiem vu cai cach hanh chinh so {i + 1}",
        )
        for i in range(tasks)
    )
    milestones = []
    for task in created:
        parsed = services.parse_task_deadline(plan, task.deadline_text)
        milestones += [
            Milestone(
                task=task,
                order=j,
                kind=m.kind.value,
                label=m.label,
                start=m.start,
                due=m.due,
                period=m.period,
            )
            for j, m in enumerate(parsed.milestones)
        ]
    Milestone.objects.bulk_create(milestones)
    Task.coordinating_departments.through.objects.bulk_create(
        Task.coordinating_departments.through(task=task, department=departments[(i + 1) % 8])
        for i, task in enumerate(created)
    )
    Task.assignees.through.objects.bulk_create(
        Task.assignees.through(task=task, user=officer) for task in created[::3]
    )
    ProgressUpdate.objects.bulk_create(
        ProgressUpdate(
            task=created[i % len(created)],
            author=officer,
            note=f"Cập nhật {i}",
            percent=(i * 7) % 101,
        )
        for i in range(updates)
    )
    for i in range(targets):
        target = Target.objects.create(
            plan=plan,
            order=i,
            text=f"Tối thiểu {80 + i % 20}% hồ sơ",
            comparator="gte",
            value=Decimal(80 + i % 20),
            unit_label="%",
        )
        Measurement.objects.bulk_create(
            Measurement(
                target=target,
                period_label=f"Quý {q}",
                measured_on=date(2026, 3 * q, 1),
                value=Decimal(75 + (i + q) % 25),
                source="Báo cáo",
            )
            for q in (1, 2)
        )
    services.refresh_all_statuses(on=date(2026, 5, 10), plans=Plan.objects.filter(pk=plan.pk))
    return unit, plan, focal, officer


OFFICER_PAGES = {"my_tasks", "my_work"}


def pages(plan) -> dict[str, tuple[str, dict]]:
    from django.urls import reverse

    detail = reverse("plan_detail", args=[plan.pk])
    hx = {"HTTP_HX_REQUEST": "true"}
    return {
        "floor_page": (reverse("bench_floor"), {}),
        "plan_page": (detail, {}),
        "dashboard": (reverse("dashboard"), {}),
        "task_list": (detail, hx),
        "task_list_filtered": (detail + "?overdue=on&q=cai+cach", hx),
        "my_tasks": (reverse("my_tasks"), {}),
        "my_work": (reverse("notify_work"), {}),  # where a department's people sign in to
    }


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--repeat", type=int, default=40)
    args = parser.parse_args()
    common.fresh_database()

    figures: dict[str, float] = {}
    unit, plan, focal, officer = build_commune("B300", 300, 60, 2000)
    client, officer_client = common.signed_in(focal, unit), common.signed_in(officer, unit)
    for name, (url, headers) in pages(plan).items():
        who = officer_client if name in OFFICER_PAGES else client
        common.record(figures, name, common.measure(who, url, args.repeat, headers))
    common.over_floor(figures, pages(plan))

    for size in (30, 3000):
        unit, plan, focal, officer = build_commune(f"Q{size}", size, 10, size)
        client, officer_client = common.signed_in(focal, unit), common.signed_in(officer, unit)
        for name, (url, headers) in pages(plan).items():
            who = officer_client if name in OFFICER_PAGES else client
            figures[f"{name}_queries_at_{size}_tasks"] = common.queries_of(who, url, headers)
        print(
            f"queries at {size} tasks:",
            {k: v for k, v in figures.items() if k.endswith(f"_at_{size}_tasks")},
        )
    print(json.dumps(figures, sort_keys=True))


if __name__ == "__main__":
    main()
