"""The bell's two counts: right, read in one query, and not read where no count is shown."""

from __future__ import annotations

import pytest
from django.db import connection
from django.template import Context, Template
from django.test import RequestFactory
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from notify.context_processors import BellCounts, unread_notifications
from notify.models import Notification, ReminderKind, ToDo
from org.models import Role

pytestmark = pytest.mark.django_db


def _note(user, key: str, read: bool = False) -> Notification:
    return Notification.objects.create(
        user=user,
        kind=ReminderKind.DUE_SOON,
        key=key,
        title=key,
        read_at=timezone.now() if read else None,
    )


def _todo(user, key: str, done: bool = False) -> ToDo:
    return ToDo.objects.create(
        user=user,
        key=key,
        kind=ReminderKind.DUE_SOON,
        title=key,
        handed_at=timezone.now(),
        done_at=timezone.now() if done else None,
    )


def test_the_counts_are_each_persons_own_and_come_in_one_query(world):
    officer, head = world.people[Role.OFFICER], world.people[Role.DEPARTMENT_HEAD]
    for key in ("a", "b", "c"):
        _note(officer, key)
    _note(officer, "read", read=True)
    _note(head, "other")
    _todo(officer, "open")
    _todo(officer, "done", done=True)
    _todo(head, "theirs")
    counts = BellCounts(officer)
    with CaptureQueriesContext(connection) as queries:
        assert (counts.unread(), counts.open_work(), counts.unread()) == (3, 1, 3)
    assert len(queries) == 1


def test_nothing_to_count_is_zero(world):
    counts = BellCounts(world.people[Role.LEADER])
    assert (counts.unread(), counts.open_work()) == (0, 0)


def test_a_fragment_that_shows_no_count_reads_nothing(world):
    request = RequestFactory().get("/")
    request.user = world.people[Role.OFFICER]
    _note(request.user, "a")
    with CaptureQueriesContext(connection) as queries:
        context = unread_notifications(request)
        Template("<p>{{ today }}</p>").render(Context({**context, "today": "x"}))
    assert len(queries) == 0
    with CaptureQueriesContext(connection) as queries:
        html = Template("{% if unread_count %}{{ unread_count }}{% endif %}").render(
            Context(context)
        )
    assert html == "1" and len(queries) == 1


def test_the_page_shows_both_counts(client, world):
    officer = world.people[Role.OFFICER]
    _note(officer, "a")
    _note(officer, "b")
    _todo(officer, "open")
    client.force_login(officer)
    html = client.get("/").content.decode()
    assert '<span class="bell-count">2</span>' in html
    assert '<span class="nav-count">1</span>' in html
