from __future__ import annotations

from datetime import date

import pytest

from core import clock
from org.models import Role
from org.tests.conftest import World
from plans import services
from plans.models import Plan, PlanStatus

TODAY = date(2026, 2, 1)


@pytest.fixture
def frozen_today(monkeypatch) -> date:
    """Statuses are derived against this day instead of the real one."""
    monkeypatch.setattr(clock, "today", lambda: TODAY)
    return TODAY


@pytest.fixture
def plan(world: World, frozen_today) -> Plan:
    plan = services.create_plan(
        world.thanhdong,
        title="Kế hoạch Cải cách hành chính nhà nước phường Thành Đông năm 2026",
        number="16/QĐ-UBND",
        period_start=date(2026, 1, 1),
        period_end=date(2026, 12, 31),
    )
    area = plan.areas.get(order=1)
    services.save_task(
        plan,
        services.TaskData(
            area=area,
            number="1",
            content="Xây dựng và triển khai Kế hoạch cải cách hành chính",
            lead_department=world.vhxh,
            coordinating_departments=[world.office],
            deadline_text="Trước ngày 15/01/2026",
        ),
        on=date(2026, 2, 1),
    )
    services.save_task(
        plan,
        services.TaskData(
            area=plan.areas.get(order=3),
            number="4",
            content="Xây dựng kế hoạch rà soát đánh giá thủ tục hành chính",
            lead_department=world.office,
            deadline_text="Trong tháng 2/2026",
            assignees=[world.people[Role.OFFICER]],
        ),
        on=date(2026, 2, 1),
    )
    return plan


@pytest.fixture
def in_force(plan: Plan) -> Plan:
    """The plan activated: only then do its tasks count in dashboards, reports and reminders."""
    Plan.objects.filter(pk=plan.pk).update(status=PlanStatus.IN_PROGRESS)
    plan.refresh_from_db()
    return plan


@pytest.fixture
def shared(in_force, world):
    """Task V-like: carried out by every department, consolidated by the culture division."""
    return services.save_task(
        in_force,
        services.TaskData(
            area=in_force.areas.get(order=5),
            number="2",
            content="Thực hiện nghiêm quy định về đạo đức công vụ",
            lead_department=world.vhxh,
            deadline_text="Trước ngày 30/6/2026",
            all_departments=True,
        ),
    )
