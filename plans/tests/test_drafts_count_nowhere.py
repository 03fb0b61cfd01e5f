"""A draft plan (typed or imported) counts nowhere until a person activates it: dashboards,
the follow-up board, reminders, the calendar and its feeds, the province's lists and board.
Each place is asked for the draft's work, then again once the plan is approved."""

from __future__ import annotations

from datetime import date

import pytest
from django.urls import reverse

from org.models import Role
from plans import dashboard, province
from plans import reminders as plan_reminders
from plans.ical import feed_token
from plans.models import Milestone, Plan, PlanStatus, Target, Task, TaskStatus
from plans.oversight import plan_facts
from plans.tests.conftest import TODAY


def _activate(plan: Plan) -> None:
    Plan.objects.filter(pk=plan.pk).update(status=PlanStatus.APPROVED)


@pytest.fixture
def overdue(plan):
    """The fixture plan is a draft; its first task was due on 15/01/2026, before TODAY."""
    Task.objects.filter(plan=plan, number="1").update(status=TaskStatus.OVERDUE)
    return plan


def test_the_querysets_leave_drafts_out(overdue):
    assert not Plan.objects.counted().exists() and not Task.objects.counted().exists()
    assert not Milestone.objects.in_force().exists() and not Target.objects.in_force().exists()
    _activate(overdue)
    assert Plan.objects.in_force().get() == overdue
    assert Task.objects.counted().count() == 2 == Task.objects.in_force().count()
    Plan.objects.filter(pk=overdue.pk).update(status=PlanStatus.CLOSED)
    assert Task.objects.counted().count() == 2 and not Task.objects.in_force().exists()


def test_dashboard_and_board(world, overdue):
    built = dashboard.build(world.thanhdong, on=TODAY)
    assert (built.total, built.by_area, built.upcoming) == (0, [], [])
    assert [q.count() for q in dashboard.board(world.thanhdong, on=TODAY)] == [0, 0]
    _activate(overdue)
    assert dashboard.build(world.thanhdong, on=TODAY).total == 2
    assert dashboard.board(world.thanhdong, on=TODAY)[0].count() == 1


def test_reminders(world, overdue):
    assert list(plan_reminders.reminders(TODAY)) == []
    _activate(overdue)
    assert list(plan_reminders.reminders(TODAY))


def test_month_calendar_and_feeds(client, world, overdue):
    client.force_login(world.people[Role.FOCAL])
    january = {"year": 2026, "month": 1}
    feed = reverse("ical_feed", args=[feed_token("department", world.vhxh.pk)])
    assert "Xây dựng và triển khai" not in client.get(reverse("calendar"), january).content.decode()
    assert b"BEGIN:VEVENT" not in client.get(feed).content
    _activate(overdue)
    assert "Xây dựng và triển khai" in client.get(reverse("calendar"), january).content.decode()
    assert b"BEGIN:VEVENT" in client.get(feed).content


def test_province_lists_and_board_facts(world, overdue):
    appraiser = world.people[Role.APPRAISER]
    communes = [world.thanhdong, world.thaitan, world.dongquang]
    assert not province.overdue_tasks(appraiser, communes).exists()
    assert not province.followed_plans(appraiser, communes).exists()
    facts = plan_facts([world.thanhdong.pk], 2026, on=TODAY)[world.thanhdong.pk]
    assert (facts.status, facts.tasks, facts.overdue) == ("draft", 0, 0)
    _activate(overdue)
    assert province.overdue_tasks(appraiser, communes).count() == 1
    facts = plan_facts([world.thanhdong.pk], 2026, on=TODAY)[world.thanhdong.pk]
    assert (facts.status, facts.tasks, facts.overdue) == ("approved", 2, 1)


def test_an_in_force_plan_stands_for_the_year_before_a_later_draft(world, overdue):
    _activate(overdue)
    later = Plan.objects.create(
        unit=world.thanhdong,
        title="Kế hoạch nhập từ văn bản",
        period_start=date(2026, 1, 1),
        period_end=date(2026, 12, 31),
        issued_on=date(2026, 3, 1),
    )
    facts = plan_facts([world.thanhdong.pk], 2026, on=TODAY)[world.thanhdong.pk]
    assert facts.plan_id == overdue.pk != later.pk
