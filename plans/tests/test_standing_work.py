"""The plan tasks a person carries, counted on "Việc của tôi" beside the work handed to them."""

from __future__ import annotations

import pytest
from django.urls import reverse

from org.models import Role
from plans import services, work
from plans.tests.conftest import TODAY

pytestmark = pytest.mark.django_db


def test_the_count_is_the_persons_tasks_and_the_late_ones(world, shared):
    head = world.people[Role.DEPARTMENT_HEAD]  # heads the culture division
    (counted,) = work.standing_work(head, world.thanhdong, TODAY)
    mine = services.tasks_of_person(head, world.thanhdong)
    assert counted.count == mine.count() == 2  # task 1 (late since 15/01) and the shared one
    assert counted.late == 1
    assert counted.url == reverse("my_tasks")
    (assigned,) = work.standing_work(world.people[Role.OFFICER], world.thanhdong, TODAY)
    assert (assigned.count, assigned.late) == (1, 0)  # task 4, due by the end of February


def test_a_plan_not_yet_in_force_counts_nothing(world, plan):
    (counted,) = work.standing_work(world.people[Role.DEPARTMENT_HEAD], world.thanhdong, TODAY)
    assert counted.count == 0


def test_my_work_shows_the_tasks_and_names_each_item_by_what_it_is(client, world, shared):
    client.force_login(world.people[Role.DEPARTMENT_HEAD])
    html = client.get(reverse("notify_work")).content.decode()
    assert 'id="standing-work"' in html
    assert "Nhiệm vụ kế hoạch</strong>: 2 việc cần thực hiện" in html
    assert "1 quá hạn" in html
    assert f'href="{reverse("my_tasks")}"' in html
    # the culture division's part of the shared task, handed to its head
    assert '<span class="badge reminder-due_soon">Nhiệm vụ kế hoạch</span>' in html
    assert "Sắp đến hạn (trước 7, 3 và 1 ngày)" not in html
    assert "Không có việc nào" not in html


def test_nothing_carried_and_nothing_handed_says_so(client, world, in_force):
    client.force_login(world.people[Role.LEADER])
    html = client.get(reverse("notify_work")).content.decode()
    assert 'id="standing-work"' not in html
    assert 'class="muted empty"' in html
