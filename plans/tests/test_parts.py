"""Tasks carried out by every department ("Các phòng chuyên môn, đơn vị"): each department's
part, the task's status from its parts, the lists, reminders, permissions and the API."""

from __future__ import annotations

import io
import json
from datetime import date

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse

from notify.models import ToDo
from org.api import issue_token
from org.models import Department, Role
from org.tests.factories import person_with_role
from plans import reminders, services
from plans.models import MilestoneKind, TaskPart, TaskStatus
from plans.services import MilestoneFacts, PartFacts, compute_status

ON = date(2026, 2, 1)
DUE = MilestoneFacts(MilestoneKind.DUE, date(2026, 6, 30), None)
PAST = MilestoneFacts(MilestoneKind.DUE, date(2026, 1, 15), None)


# --- the pure status ---------------------------------------------------------------------------


def test_a_task_of_parts_is_done_only_when_every_part_is():
    one_open = [PartFacts(100, date(2026, 1, 20)), PartFacts(40, None)]
    assert compute_status([DUE], 100, ON, True, ON, parts=one_open) == (
        TaskStatus.IN_PROGRESS,
        date(2026, 6, 30),
    )
    all_done = [PartFacts(100, date(2026, 1, 20)), PartFacts(100, date(2026, 1, 25))]
    assert compute_status([DUE], 0, None, True, ON, parts=all_done) == (TaskStatus.DONE, None)


def test_a_task_of_parts_is_late_by_its_last_part_and_overdue_while_one_is_open():
    late = [PartFacts(100, date(2026, 1, 10)), PartFacts(100, date(2026, 1, 20))]
    assert compute_status([PAST], 0, None, True, ON, parts=late)[0] == TaskStatus.DONE_LATE
    open_ = [PartFacts(100, date(2026, 1, 10)), PartFacts(0, None)]
    assert compute_status([PAST], 100, ON, True, ON, parts=open_)[0] == TaskStatus.OVERDUE
    assert services.parts_outcome(open_) == (50, None)
    assert services.parts_outcome([PartFacts(100, None), PartFacts(99, None)]) == (99, None)


@pytest.mark.parametrize(
    "text, expected",
    [
        ("Các phòng chuyên môn, đơn vị", True),
        ("các cơ quan, đơn vị", True),
        ("CÁC PHÒNG CHUYÊN MÔN, ĐƠN VỊ.", True),
        ("Cac phong chuyen mon , don vi", True),
        ("Phòng Văn hóa - Xã hội", False),
        ("Các tổ dân phố", False),
        ("", False),
    ],
)
def test_every_department_as_written(text, expected):
    assert services.is_all_departments_lead(text) is expected


# --- services ----------------------------------------------------------------------------------


def _part(task, department) -> TaskPart:
    return task.parts.get(department=department)


def test_every_department_of_the_unit_gets_its_part(shared, world):
    assert {p.department for p in shared.parts.all()} == {world.vhxh, world.office}
    # a department added later takes its part; another unit's does not
    added = Department.objects.create(unit=world.thanhdong, name="Phòng Kinh tế")
    Department.objects.create(unit=world.dongquang, name="Phòng Kinh tế")
    assert shared.parts.filter(department=added).exists()
    assert shared.parts.count() == 3
    # no longer every department's: the parts go
    data = services.TaskData(
        area=shared.area, content=shared.content, lead_department=world.vhxh, number="2"
    )
    services.save_task(shared.plan, data, shared)
    assert not shared.parts.exists()


def test_the_task_follows_its_parts(shared, world):
    head = world.people[Role.DEPARTMENT_HEAD]
    services.add_part_progress(
        _part(shared, world.vhxh), head, services.ProgressData("Đã quán triệt", 100)
    )
    shared.refresh_from_db()
    part = _part(shared, world.vhxh)
    assert part.status == TaskStatus.DONE and part.completed_on == ON
    assert shared.status == TaskStatus.IN_PROGRESS and shared.progress_percent == 50
    assert shared.completed_on is None
    focal = world.people[Role.FOCAL]
    update = services.add_part_progress(
        _part(shared, world.office), focal, services.ProgressData("Đã thực hiện", 100)
    )
    assert update.part.department == world.office and update.task == shared
    shared.refresh_from_db()
    assert shared.status == TaskStatus.DONE and shared.progress_percent == 100
    # a part reopened reopens the task
    services.add_part_progress(
        _part(shared, world.office), focal, services.ProgressData("Còn phải bổ sung", 80)
    )
    shared.refresh_from_db()
    assert shared.status == TaskStatus.IN_PROGRESS and shared.progress_percent == 90


def test_the_task_itself_takes_no_progress_and_bad_input_saves_nothing(shared, world):
    focal = world.people[Role.FOCAL]
    with pytest.raises(ValidationError, match=r"every department|tất cả các phòng"):
        services.add_progress(shared, focal, services.ProgressData("Đã làm", 50))
    part = _part(shared, world.office)
    for data in (services.ProgressData(" ", 50), services.ProgressData("Đã làm", 150)):
        with pytest.raises(ValidationError):
            services.add_part_progress(part, focal, data)
    part.refresh_from_db()
    assert part.progress_percent == 0 and not shared.updates.exists()


def test_statuses_refreshed_daily_make_open_parts_overdue(shared, world):
    head = world.people[Role.DEPARTMENT_HEAD]
    services.add_part_progress(
        _part(shared, world.vhxh), head, services.ProgressData("Đã quán triệt", 100)
    )
    services.refresh_all_statuses(on=date(2026, 7, 2))
    shared.refresh_from_db()
    assert shared.status == TaskStatus.OVERDUE
    assert _part(shared, world.office).status == TaskStatus.OVERDUE
    assert _part(shared, world.vhxh).status == TaskStatus.DONE


# --- lists -------------------------------------------------------------------------------------


def _office_head(world):
    return person_with_role(
        Role.DEPARTMENT_HEAD, world.thanhdong, world.office, username="office_head"
    )


def test_my_tasks_hold_the_department_part_until_it_is_done(client, plan, shared, world):
    plan.status = "in_progress"
    plan.save()
    office_head = _office_head(world)
    client.force_login(office_head)
    mine = client.get(reverse("my_tasks")).content.decode()
    assert "đạo đức công vụ" in mine
    services.add_part_progress(
        _part(shared, world.office), office_head, services.ProgressData("Xong", 100)
    )
    mine = client.get(reverse("my_tasks")).content.decode()
    assert "đạo đức công vụ" not in mine  # its part is done, the others' are not its to-do
    done = client.get(reverse("my_tasks") + "?done=1").content.decode()
    assert "đạo đức công vụ" in done


def test_department_lists_show_the_part(client, plan, shared, world):
    plan.status = "in_progress"
    plan.save()
    client.force_login(world.people[Role.OFFICER])
    page = client.get(reverse("department_tasks", args=[world.office.pk])).content.decode()
    parts = page[page.index('id="parts"') :]
    assert "đạo đức công vụ" in parts[: parts.index("</section>")]
    found = services.filter_tasks(plan.tasks.all(), services.TaskFilter(department=world.office.pk))
    assert shared in found


def test_the_task_page_shows_each_part_and_who_may_report_it(client, shared, world):
    head = world.people[Role.DEPARTMENT_HEAD]  # heads the culture division
    services.add_part_progress(
        _part(shared, world.vhxh), head, services.ProgressData("Đã quán triệt", 100)
    )
    client.force_login(head)
    page = client.get(reverse("task_detail", args=[shared.pk])).content.decode()
    assert world.vhxh.name in page and world.office.name in page
    assert "1 of 2 done" in page or "1/2" in page or "1 trên 2" in page
    own = reverse("task_part_progress", args=[_part(shared, world.vhxh).pk])
    other = reverse("task_part_progress", args=[_part(shared, world.office).pk])
    assert own in page and other not in page
    assert 'id="progress-form"' not in page  # the task as a whole is reported by its parts


# --- permissions -------------------------------------------------------------------------------


def test_each_department_reports_only_its_own_part(client, shared, world):
    own = _part(shared, world.vhxh)
    other = _part(shared, world.office)
    body = {"note": "Đã thực hiện", "percent": "60"}
    client.force_login(world.people[Role.DEPARTMENT_HEAD])
    url = reverse("task_part_progress", args=[other.pk])
    assert client.post(url, body).status_code == 403
    other.refresh_from_db()
    assert other.progress_percent == 0
    response = client.post(reverse("task_part_progress", args=[own.pk]), body)
    assert response.status_code == 302
    own.refresh_from_db()
    assert own.progress_percent == 60
    # an officer not assigned to the task reports nothing; the focal officer reports any part
    client.force_login(world.people[Role.OFFICER])
    assert client.post(url, body).status_code == 403
    client.force_login(world.people[Role.FOCAL])
    assert client.post(url, body).status_code == 302
    # another commune does not see it at all
    client.force_login(world.people["other_focal"])
    assert client.post(url, body).status_code == 404
    assert client.get(reverse("task_detail", args=[shared.pk])).status_code == 404


def test_a_refused_part_report_says_why(client, shared, world):
    client.force_login(world.people[Role.FOCAL])
    part = _part(shared, world.office)
    response = client.post(
        reverse("task_part_progress", args=[part.pk]), {"note": "", "percent": "60"}, follow=True
    )
    messages = [str(m) for m in response.context["messages"]]
    assert any(world.office.name in m for m in messages)
    part.refresh_from_db()
    assert part.progress_percent == 0


def test_my_work_holds_the_department_part_until_it_is_done(client, world, plan):
    office_head = _office_head(world)
    shared = services.save_task(
        plan,
        services.TaskData(
            area=plan.areas.get(order=5),
            number="3",
            content="Thực hiện quy chế văn hóa công vụ",
            lead_department=world.vhxh,
            deadline_text="Trước ngày 30/6/2026",
            all_departments=True,
        ),
    )
    client.force_login(office_head)
    work = client.get(reverse("notify_work")).content.decode()
    assert "văn hóa công vụ" in work and world.office.name in work
    assert "30/06/2026" in work
    services.add_part_progress(
        _part(shared, world.office), office_head, services.ProgressData("Xong", 100)
    )
    assert client.get(reverse("notify_work")).status_code == 200
    assert not ToDo.objects.filter(user=office_head, done_at__isnull=True).exists()
    assert ToDo.objects.filter(user=office_head, done_at__isnull=False).count() == 1
    # reopened below 100%: back on the list
    services.add_part_progress(
        _part(shared, world.office), office_head, services.ProgressData("Bổ sung", 70)
    )
    assert ToDo.objects.filter(user=office_head, done_at__isnull=True).count() == 1


# --- reminders ---------------------------------------------------------------------------------


def test_reminders_go_to_the_heads_of_the_parts_not_done(shared, world):
    office_head = _office_head(world)
    culture_head = world.people[Role.DEPARTMENT_HEAD]
    services.add_part_progress(
        _part(shared, world.vhxh), culture_head, services.ProgressData("Xong", 100)
    )
    soon = list(reminders.reminders(date(2026, 6, 27)))  # three days before 30/6
    to = {r.user_id for r in soon if "đạo đức công vụ" in r.title}
    assert to == {office_head.pk}
    late = list(reminders.reminders(date(2026, 7, 10)))
    to = {r.user_id for r in late if "đạo đức công vụ" in r.title}
    assert to == {office_head.pk}
    assert any(r.kind == "escalation" for r in late if "đạo đức công vụ" in r.title)


# --- import and export -------------------------------------------------------------------------


def test_the_task_sheet_reads_and_writes_every_department(plan, world):
    from openpyxl import load_workbook

    from plans import excel

    text = (
        "STT,Nội dung,Đơn vị chủ trì,Đơn vị phối hợp,Thời gian thực hiện\n"
        "I,Chỉ đạo điều hành,,,\n"
        '5,Thực hiện quy chế văn hóa công vụ,"các cơ quan, đơn vị",,Năm 2026\n'
    )
    report = excel.import_tasks(plan, "nhiem-vu.csv", io.BytesIO(text.encode("utf-8-sig")))
    assert report.saved, [r.errors for r in report.rows]
    task = plan.tasks.get(content="Thực hiện quy chế văn hóa công vụ")
    assert task.all_departments and task.parts.count() == 2
    assert task.lead_department == world.vhxh  # the focal officer's division consolidates
    exported = load_workbook(io.BytesIO(excel.export_tasks(plan))).active
    leads = [row[2].value for row in exported.iter_rows() if row[1].value == task.content]
    assert leads == ["Các phòng chuyên môn, đơn vị"]


# --- the API -----------------------------------------------------------------------------------


def _api(client, world, role, method, url, body=None):
    headers = {"HTTP_AUTHORIZATION": f"Bearer {issue_token(world.people[role], 'test')}"}
    if method == "get":
        return client.get(url, **headers)
    return client.post(url, json.dumps(body), content_type="application/json", **headers)


def test_the_api_shows_the_parts_and_refuses_progress_of_the_whole(client, shared, world):
    out = _api(client, world, Role.FOCAL, "get", f"/api/tasks/{shared.pk}").json()
    assert out["all_departments"] is True
    assert {p["department"] for p in out["parts"]} == {world.vhxh.name, world.office.name}
    response = _api(
        client,
        world,
        Role.FOCAL,
        "post",
        f"/api/tasks/{shared.pk}/progress",
        {"note": "Đã làm", "percent": 50},
    )
    assert response.status_code == 409
