"""Reminders of report parts and reports due, through the daily run."""

from __future__ import annotations

from datetime import date

from notify import services as notify_services
from notify.models import Notification
from org.models import Role
from reports import reminders, services


def test_parts_due_and_late_go_to_the_department_head(plan, in_force, world):
    period = services.ensure_periods(plan)[0]  # departments due 05/03, report due 10/03
    services.open_contributions(period)
    head = world.people[Role.DEPARTMENT_HEAD]
    focal = world.people[Role.FOCAL]

    found = list(reminders.reminders(date(2026, 3, 2)))
    mine = [r for r in found if r.user_id == head.pk]
    assert [r.key.rsplit(":", 1)[1] for r in mine] == ["due3"]
    assert "Quý I/2026" in mine[0].title and "3 ngày" in mine[0].title
    assert not [r for r in found if r.user_id == focal.pk]  # report due 10/03: not yet

    found = list(reminders.reminders(date(2026, 3, 7)))
    assert any(r.user_id == head.pk and r.key.endswith(":late") for r in found)
    assert any(r.user_id == focal.pk and r.key == f"report:{period.pk}:due3" for r in found)

    # a submitted part is no longer reminded of
    own = period.contributions.get(department=world.vhxh)
    services.submit_contribution(own, head)
    found = list(reminders.reminders(date(2026, 3, 7)))
    assert not any(r.key.startswith(f"contribution:{own.pk}:") for r in found)


def test_the_daily_run_carries_them_once(plan, world):
    period = services.ensure_periods(plan)[0]
    services.open_contributions(period)
    notify_services.run_daily(date(2026, 3, 4), send=lambda digest, items: None)
    notify_services.run_daily(date(2026, 3, 4), send=lambda digest, items: None)
    head = world.people[Role.DEPARTMENT_HEAD]
    reminded = Notification.objects.filter(user=head, kind="report")
    titles = list(reminded.exclude(key__startswith="handoff:").values_list("title", flat=True))
    assert len(titles) == 1 and "ngày mai" in titles[0]
    # The part was handed to the head when it was asked for: once, in the bell and the digest.
    handed = list(reminded.filter(key__startswith="handoff:"))
    assert len(handed) == 1 and handed[0].digest is not None


def test_the_calendar_feeds_carry_the_report_dates(client, plan, in_force, world):
    from django.urls import reverse

    from plans import ical

    period = services.ensure_periods(plan)[0]
    services.open_contributions(period)
    token = ical.feed_token("department", world.vhxh.pk)
    feed = client.get(reverse("ical_feed", args=[token])).content.decode()
    assert "SUMMARY:Gửi phần báo cáo Quý I/2026" in feed
    assert "DTSTART;VALUE=DATE:20260305" in feed
    token = ical.feed_token("person", world.people[Role.FOCAL].pk)
    feed = client.get(reverse("ical_feed", args=[token])).content.decode()
    assert "DTSTART;VALUE=DATE:20261210" in feed and "Báo cáo CCHC Năm 2026" in feed
