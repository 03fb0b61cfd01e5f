"""Two people saving the same task at once: the second save is refused, never lost in silence."""

from __future__ import annotations

import re

from django.test import Client
from django.urls import reverse

from org.models import Role
from plans import services
from plans.models import Task


def _version(page: str) -> str:
    return re.search(r'name="version" value="([0-9a-f]+)"', page).group(1)


def _post(task: Task, version: str, **changes) -> dict:
    data = {
        "area": task.area_id,
        "number": task.number,
        "content": task.content,
        "lead_department": task.lead_department_id,
        "coordinating_departments": [d.pk for d in task.coordinating_departments.all()],
        "deadline_text": task.deadline_text,
        "budget_state": task.budget_state,
        "version": version,
    }
    data.update(changes)
    return data


def test_second_save_of_a_task_is_refused_with_the_first_shown(world, plan):
    task = Task.objects.get(number="1")
    url = reverse("task_edit", args=[task.pk])
    focal, head = Client(), Client()
    focal.force_login(world.people[Role.FOCAL])
    head.force_login(world.people[Role.DEPARTMENT_HEAD])
    seen_by_focal = _version(focal.get(url).content.decode())
    seen_by_head = _version(head.get(url).content.decode())
    assert seen_by_focal == seen_by_head == services.task_version(task)

    first = head.post(url, _post(task, seen_by_head, content="Nội dung do trưởng phòng sửa"))
    assert first.status_code == 302

    second = focal.post(url, _post(task, seen_by_focal, content="Nội dung do đầu mối sửa"))
    page = second.content.decode()
    assert second.status_code == 409
    task.refresh_from_db()
    assert task.content == "Nội dung do trưởng phòng sửa"  # the first save stands
    head_name = world.people[Role.DEPARTMENT_HEAD].full_name or "head"
    assert head_name in page  # who changed it last
    assert "Nội dung do trưởng phòng sửa" in page  # their version shown
    assert "Nội dung do đầu mối sửa" in page  # this person's input kept
    # The form now carries the current fingerprint: saving again, knowingly, goes through.
    again = _version(page)
    assert again == services.task_version(task) != seen_by_focal
    third = focal.post(url, _post(task, again, content="Nội dung do đầu mối sửa"))
    assert third.status_code == 302
    task.refresh_from_db()
    assert task.content == "Nội dung do đầu mối sửa"


def test_a_status_refresh_between_does_not_block_the_save(world, plan):
    task = Task.objects.get(number="1")
    url = reverse("task_edit", args=[task.pk])
    client = Client()
    client.force_login(world.people[Role.FOCAL])
    seen = _version(client.get(url).content.decode())
    services.refresh_status(task)  # not an edit of the form's values
    response = client.post(url, _post(task, seen, number="1a"))
    assert response.status_code == 302
    assert Task.objects.get(pk=task.pk).number == "1a"


def test_an_assignee_added_meanwhile_is_a_change_too(world, plan):
    task = Task.objects.get(number="1")
    url = reverse("task_edit", args=[task.pk])
    client = Client()
    client.force_login(world.people[Role.FOCAL])
    seen = _version(client.get(url).content.decode())
    task.assignees.add(world.people[Role.OFFICER])
    response = client.post(url, _post(task, seen, number="1b"))
    assert response.status_code == 409
    assert Task.objects.get(pk=task.pk).number == "1"
