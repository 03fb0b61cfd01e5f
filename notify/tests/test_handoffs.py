"""Hand-offs: one to-do per person who must act, in the bell at once, once; cleared when done;
gathered in the daily digest, reminded, escalated."""

from __future__ import annotations

from datetime import date, timedelta

import pytest
from django.urls import reverse

from core import clock
from core.domains import Handoff
from notify import handoffs, services
from notify.models import Notification, ReminderKind, ToDo
from org.models import Role

DAY = date(2026, 3, 2)


def _handoff(world, **overrides) -> Handoff:
    fields = {
        "key": "report-part:1:send",
        "kind": ReminderKind.REPORT,
        "title": "Gửi phần báo cáo quý I/2026",
        "people": frozenset({world.people[Role.DEPARTMENT_HEAD].pk}),
        "url": "/reports/contributions/1/",
        "due": DAY + timedelta(days=3),
    }
    fields.update(overrides)
    return Handoff(**fields)


@pytest.fixture
def on_day(monkeypatch):
    monkeypatch.setattr(clock, "today", lambda: DAY)
    return DAY


def test_a_handoff_rings_the_bell_of_exactly_its_people_once(world):
    head, focal = world.people[Role.DEPARTMENT_HEAD], world.people[Role.FOCAL]
    assert handoffs.hand_off(_handoff(world)) == [head.pk]
    # A retry, or a second worker doing the same step, tells nobody again.
    assert handoffs.hand_off(_handoff(world)) == []
    assert Notification.objects.filter(user=head, read_at__isnull=True).count() == 1
    assert not Notification.objects.filter(user=focal).exists()
    assert [t.title for t in handoffs.open_work(head)] == ["Gửi phần báo cáo quý I/2026"]


def test_done_clears_the_work_and_its_notice_and_work_handed_again_rings_again(world):
    head = world.people[Role.DEPARTMENT_HEAD]
    handoffs.hand_off(_handoff(world))
    assert handoffs.done("report-part:1:send") == 1
    assert not handoffs.open_work(head).exists()
    assert not Notification.objects.filter(user=head, read_at__isnull=True).exists()
    # Returned for changes: the same work is handed again, and the bell rings again.
    assert handoffs.hand_off(_handoff(world, title="Trả lại: bổ sung số liệu")) == [head.pk]
    todo = ToDo.objects.get(user=head)
    assert todo.is_open and todo.title == "Trả lại: bổ sung số liệu"
    assert Notification.objects.filter(user=head, read_at__isnull=True).count() == 1


def test_an_open_handoff_takes_a_new_due_date_without_a_second_notice(world):
    head = world.people[Role.DEPARTMENT_HEAD]
    handoffs.hand_off(_handoff(world))
    handoffs.hand_off(_handoff(world, due=DAY + timedelta(days=10)))
    assert ToDo.objects.get(user=head).due == DAY + timedelta(days=10)
    assert Notification.objects.filter(user=head).count() == 1


def test_the_daily_digest_gathers_new_work_reminds_and_escalates(world, on_day):
    head, leader = world.people[Role.DEPARTMENT_HEAD], world.people[Role.LEADER]
    handoffs.hand_off(_handoff(world, due=DAY + timedelta(days=3)))
    handoffs.hand_off(
        _handoff(
            world,
            key="report:9:send",
            title="Gửi báo cáo đã phê duyệt",
            due=DAY - timedelta(days=10),
            escalate_to=frozenset({leader.pk}),
        )
    )
    sent = []
    services.run_daily(DAY, send=lambda digest, items: sent.append((digest.user_id, items)))
    by_user = {user_id: [n.key for n in items] for user_id, items in sent}
    head_keys = by_user[head.pk]
    # The two hand-offs (in the bell since they were handed) are gathered in the e-mail, once.
    assert sorted(k for k in head_keys if k.startswith("handoff:")) == [
        "handoff:report-part:1:send",
        "handoff:report:9:send",
    ]
    assert Notification.objects.filter(user=head, key__startswith="handoff:").count() == 2
    assert any(k.endswith(":due3") for k in head_keys)
    assert any(k.endswith(":late") for k in head_keys)
    assert [k for k in by_user[leader.pk] if k.endswith(":escalated")]
    # The next day's digest does not announce the same hand-offs again.
    sent.clear()
    services.run_daily(DAY + timedelta(days=1), send=lambda d, items: sent.append(items))
    assert not [n for items in sent for n in items if n.key.startswith("handoff:")]


def test_work_the_domain_already_chases_is_not_reminded_twice(world, on_day):
    handoffs.hand_off(_handoff(world, remind=False, due=DAY - timedelta(days=1)))
    sent = []
    services.run_daily(DAY, send=lambda digest, items: sent.append(items))
    keys = [n.key for items in sent for n in items]
    assert not [k for k in keys if k.startswith("todo:") and k.endswith(":late")]


def test_my_work_page_lists_open_work_across_apps(client, world, on_day):
    head = world.people[Role.DEPARTMENT_HEAD]
    handoffs.hand_off(_handoff(world, due=DAY - timedelta(days=1)))
    handoffs.hand_off(
        _handoff(world, key="finding:3:fix", kind=ReminderKind.FINDING, title="Khắc phục tồn tại")
    )
    handoffs.done("finding:3:fix")
    client.force_login(head)
    page = client.get(reverse("notify_work")).content.decode()
    assert "Gửi phần báo cáo quý I/2026" in page
    assert "Khắc phục tồn tại" in page  # under "done in the last two weeks"
    assert page.index("Gửi phần báo cáo") < page.index("Khắc phục tồn tại")
    client.force_login(world.people[Role.OFFICER])
    assert "Gửi phần báo cáo" not in client.get(reverse("notify_work")).content.decode()
