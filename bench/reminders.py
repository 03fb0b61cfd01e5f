"""Benchmark of the daily reminder run over a province: 100 communes of 300 tasks each
(about 30,000 milestones). Prints the run's time, the reminders and digests it made, and, in the
same run, a floor: one bare query counting the open milestones. Last line: one JSON object.

    .venv/bin/python bench/reminders.py [--communes 100] [--tasks 300]
"""

from __future__ import annotations

import argparse
import json
import sys
import time
from datetime import date
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from bench import common

DAY = date(2026, 3, 28)


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--communes", type=int, default=100)
    parser.add_argument("--tasks", type=int, default=300)
    args = parser.parse_args()
    common.fresh_database(pages=False)
    figures = measure(args.communes, args.tasks)
    print(json.dumps(figures, sort_keys=True))


def measure(communes: int, tasks: int, prefix: str = "C") -> dict:
    """Build `communes` communes in the current database and time the daily run over them."""
    from bench.pages import build_commune
    from notify import services
    from notify.models import Digest, Notification
    from org.models import Department, Role, RoleGrant, User
    from plans.models import Milestone, Plan

    started = time.perf_counter()
    for n in range(communes):
        unit, plan, _focal, _officer = build_commune(f"{prefix}{n:03d}", tasks, 0, 0)
        Plan.objects.filter(pk=plan.pk).update(status="in_progress")
        # a head for every department, so unassigned work has someone to remind
        for department in Department.objects.filter(unit=unit):
            head = User.objects.create(
                username=f"head-{department.pk}",
                full_name="Trưởng phòng",
                unit=unit,
                department=department,
                email=f"head-{department.pk}@example.vn",
            )
            RoleGrant.objects.create(
                user=head, role=Role.DEPARTMENT_HEAD, unit=unit, department=department
            )
    build_s = time.perf_counter() - started
    milestones = Milestone.objects.count()
    print(f"built {communes} communes, {milestones} milestones in {build_s:.1f} s")

    started = time.perf_counter()
    open_count = Milestone.objects.filter(done_on__isnull=True, due__isnull=False).count()
    floor_s = time.perf_counter() - started

    started = time.perf_counter()
    result = services.run_daily(DAY)
    run_s = time.perf_counter() - started
    started = time.perf_counter()
    again = services.run_daily(DAY)
    rerun_s = time.perf_counter() - started
    figures = {
        "communes_count": communes,
        "milestones_count": milestones,
        "open_milestones_count": open_count,
        "daily_run_s": round(run_s, 3),
        "second_run_same_day_s": round(rerun_s, 3),
        "floor_count_query_s": round(floor_s, 4),
        "people_reminded_count": result.people,
        "reminders_count": result.reminders,
        "emails_sent_count": result.emails_sent,
        "second_run_people_count": again.people,
        "digests_count": Digest.objects.count(),
        "notifications_count": Notification.objects.count(),
    }
    print(
        f"daily run {run_s:.2f} s for {result.people} people / {result.reminders} reminders; "
        f"second run {rerun_s:.2f} s, {again.people} people; floor {floor_s * 1000:.1f} ms"
    )
    return figures


if __name__ == "__main__":
    main()
