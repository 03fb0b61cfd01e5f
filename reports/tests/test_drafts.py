"""A draft plan has no reports and no words in another plan's report until it is activated."""

from __future__ import annotations

from datetime import date, timedelta

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse

from org.models import Role
from plans import services as plan_services
from plans.models import Plan, PlanStatus
from reports import services, wording
from reports.models import PeriodKind


def test_a_draft_gets_no_reporting_period_and_no_line_on_the_reports_page(client, world, plan):
    with pytest.raises(ValidationError):
        services.find_period(world.thanhdong, 2026, PeriodKind.QUARTER, 1)
    client.force_login(world.people[Role.FOCAL])
    assert "Quý I/2026" not in client.get(reverse("report_home")).content.decode()
    Plan.objects.filter(pk=plan.pk).update(status=PlanStatus.APPROVED)
    assert services.find_period(world.thanhdong, 2026, PeriodKind.QUARTER, 1).plan_id == plan.pk
    assert "Quý I/2026" in client.get(reverse("report_home")).content.decode()


def test_a_draft_says_nothing_of_the_work_ahead(world, plan, in_force):
    period = services.find_period(world.thanhdong, 2026, PeriodKind.QUARTER, 1)
    draft = plan_services.create_plan(
        world.thanhdong,
        title="Kế hoạch tuyên truyền CCHC năm 2026 (dự thảo nhập từ văn bản)",
        period_start=date(2026, 1, 1),
        period_end=date(2026, 12, 31),
    )
    plan_services.save_task(
        draft,
        plan_services.TaskData(
            area=draft.areas.first(),
            number="9",
            content="Việc của bản dự thảo",
            lead_department=world.vhxh,
            deadline_text="Tháng 4/2026",
        ),
    )
    ahead = wording.upcoming_tasks(period, date(2026, 3, 31), date(2026, 6, 30))
    assert "Việc của bản dự thảo" not in [t.task.content for t in ahead]
    Plan.objects.filter(pk=draft.pk).update(status=PlanStatus.IN_PROGRESS)
    ahead = wording.upcoming_tasks(period, date(2026, 3, 31), date(2026, 6, 30))
    assert "Việc của bản dự thảo" in [t.task.content for t in ahead]


def test_a_plan_back_in_draft_has_no_report_reminder_or_calendar_day(world, plan, in_force):
    from reports import calendar, reminders

    period = services.find_period(world.thanhdong, 2026, PeriodKind.QUARTER, 1)
    focal = world.people[Role.FOCAL]
    on = period.unit_due - timedelta(days=3)
    assert [r for r in reminders.reminders(on) if r.user_id == focal.pk]
    assert calendar.person_events(focal)
    Plan.objects.filter(pk=plan.pk).update(status=PlanStatus.DRAFT)
    assert not [r for r in reminders.reminders(on) if r.user_id == focal.pk]
    assert calendar.person_events(focal) == []
