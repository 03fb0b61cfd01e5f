"""Daily reminders: who hears of what, once a day, by e-mail through a real SMTP server."""

from __future__ import annotations

import socket
from datetime import date, timedelta

import pytest
from aiosmtpd.controller import Controller
from django.urls import reverse

from notify import services
from notify.models import Digest, Notification, ReminderKind, ReminderSettings
from notify.tasks import daily_reminders, ensure_scheduled
from org.models import Role
from plans import services as plan_services
from plans.models import Plan

DAY = date(2026, 3, 28)  # Quý I ends on 31/3: three days ahead


@pytest.fixture
def plan(world) -> Plan:
    plan = plan_services.create_plan(
        world.thanhdong,
        title="Kế hoạch CCHC năm 2026",
        period_start=date(2026, 1, 1),
        period_end=date(2026, 12, 31),
        status="in_progress",
    )
    areas = list(plan.areas.all())
    officer = world.people[Role.OFFICER]

    def task(content, deadline, lead, assignees=()):
        data = plan_services.TaskData(
            area=areas[0],
            content=content,
            lead_department=lead,
            deadline_text=deadline,
            assignees=list(assignees),
        )
        return plan_services.save_task(plan, data, on=DAY)

    task("Ban hành kế hoạch tuyên truyền", "Quý I/2026", world.office, [officer])
    task("Rà soát văn bản", "Trước ngày 30/3/2026", world.vhxh)
    task("Báo cáo tháng 2", "Trước ngày 25/3/2026", world.vhxh, [officer])
    task("Báo cáo tháng 1", "Trước ngày 10/3/2026", world.vhxh)
    return plan


def _titles(user) -> list[str]:
    return list(Notification.objects.filter(user=user).values_list("title", flat=True))


def test_who_is_reminded_of_what(world, plan):
    services.run_daily(DAY, send=lambda digest, items: None)
    officer, head = world.people[Role.OFFICER], world.people[Role.DEPARTMENT_HEAD]
    officer_titles = _titles(officer)
    assert any("Còn 3 ngày" in t and "tuyên truyền" in t for t in officer_titles)
    assert any("Quá hạn 3 ngày" in t and "tháng 2" in t for t in officer_titles)
    head_titles = _titles(head)
    # no assignee: the head of the lead department is told; 18 days late: escalated too
    assert not any("Rà soát văn bản" in t for t in head_titles)  # due in 2 days: no reminder
    assert any("Quá hạn 18 ngày" in t and "tháng 1" in t for t in head_titles)
    kinds = set(Notification.objects.filter(user=head).values_list("kind", flat=True))
    assert kinds == {"overdue", "escalation"}


def test_a_second_run_the_same_day_sends_nothing_twice(world, plan, mailoutbox):
    first = services.run_daily(DAY)
    assert first.people == 2 and len(mailoutbox) == 2
    count = Notification.objects.count()
    second = services.run_daily(DAY)
    assert second.people == 0 and len(mailoutbox) == 2
    assert Notification.objects.count() == count
    assert Digest.objects.filter(day=DAY).count() == 2


def test_turned_off_kinds_are_left_out(world, plan):
    officer = world.people[Role.OFFICER]
    ReminderSettings.objects.create(user=officer, disabled_kinds=["overdue"])
    services.run_daily(DAY, send=lambda digest, items: None)
    assert set(Notification.objects.filter(user=officer).values_list("kind", flat=True)) == {
        "due_soon"
    }


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


class Inbox:
    def __init__(self):
        self.messages = []

    async def handle_DATA(self, server, session, envelope):  # aiosmtpd calls it by this name
        self.messages.append(envelope)
        return "250 OK"


def test_email_through_a_real_smtp_server_and_retry_when_it_was_down(world, plan, settings):
    port = _free_port()
    settings.EMAIL_BACKEND = "django.core.mail.backends.smtp.EmailBackend"
    settings.EMAIL_HOST, settings.EMAIL_PORT, settings.EMAIL_TIMEOUT = "127.0.0.1", port, 5
    # the server is down: nothing is lost, the digests wait
    result = services.run_daily(DAY)
    assert result.emails_failed == 2 and result.emails_sent == 0
    assert Digest.objects.filter(sent_at__isnull=True, attempts=1).count() == 2
    inbox = Inbox()
    controller = Controller(inbox, hostname="127.0.0.1", port=port)
    controller.start()
    try:
        retried = services.retry_pending(on=DAY)
        again = services.retry_pending(on=DAY)
    finally:
        controller.stop()
    assert retried.emails_sent == 2 and again.emails_sent == 0
    assert len(inbox.messages) == 2
    body = inbox.messages[0].content.decode("utf-8", "replace")
    assert "Subject:" in body
    assert {m.rcpt_tos[0] for m in inbox.messages} == {"officer@example.vn", "head@example.vn"}


def test_bell_and_inbox(client, world, plan):
    services.run_daily(DAY, send=lambda digest, items: None)
    officer = world.people[Role.OFFICER]
    client.force_login(officer)
    unread = Notification.objects.filter(user=officer).count()
    html = client.get(reverse("home")).content.decode()
    assert f'<span class="bell-count">{unread}</span>' in html
    inbox = client.get(reverse("notify_inbox")).content.decode()
    assert "tuyên truyền" in inbox
    client.post(reverse("notify_mark_read"))
    assert 'class="bell-count"' not in client.get(reverse("home")).content.decode()
    client.post(reverse("notify_preferences"), {"kinds": ["due_soon"]})
    disabled = ReminderSettings.objects.get(user=officer).disabled_kinds
    assert disabled == [k for k in ReminderKind.values if k != "due_soon"]


def test_the_schedule_keeps_itself(world, plan, settings):
    from django_tasks_db.models import DBTaskResult

    ensure_scheduled()
    ensure_scheduled()  # booking twice books once
    booked = DBTaskResult.objects.filter(task_path="notify.tasks.daily_reminders")
    days = sorted(row.args_kwargs["args"][0] for row in booked)
    assert len(days) == len(set(days)) >= 1
    booked.delete()
    daily_reminders.call(DAY.isoformat())
    next_day = (DAY + timedelta(days=1)).isoformat()
    assert [r.args_kwargs["args"] for r in DBTaskResult.objects.all()] == [
        [next_day, f"daily-reminders:{next_day}"]
    ]
    # The same run queued twice (two hosts starting at once) runs once.
    assert daily_reminders.call(next_day, f"daily-reminders:{next_day}")["people"] >= 0
    assert daily_reminders.call(next_day, f"daily-reminders:{next_day}") == {"skipped": True}
