"""The plan page and the dashboard as drawn: the plan's actions in one menu for what the person
may do, the parts that fold on a phone, the rows drawn in Python (the same data as the rules,
escaped), the task table's paging, and the dashboard's counts in one query."""

from __future__ import annotations

import re
from datetime import date, timedelta
from decimal import Decimal

from django.db.models import Count
from django.urls import reverse

from org.models import Role
from plans import dashboard, services
from plans.models import Milestone, PlanStatus, Task, TaskStatus
from plans.tables import target_rows, task_table


def _menu(html: str) -> str:
    """The actions menu of the page's head."""
    return re.search(r'<details class="action-menu".*?</details>', html, re.S).group(0)


def _beside_menu(html: str) -> str:
    """The head's actions that are not in the menu."""
    actions = re.search(r'<div class="actions">.*?</details>', html, re.S).group(0)
    return actions.replace(_menu(html), "")


def test_the_focal_officer_finds_every_action_in_one_menu(client, world, plan):
    client.force_login(world.people[Role.FOCAL])
    html = client.get(reverse("plan_detail", args=[plan.pk])).content.decode()
    menu = _menu(html)
    for name in ("plan_edit", "plan_import", "plan_export", "report_plan_document"):
        assert f'href="{reverse(name, args=[plan.pk])}"' in menu
    assert f'href="{reverse("history", args=["plan", plan.pk])}"' in menu
    assert f'action="{reverse("plan_roll_over", args=[plan.pk])}"' in menu
    # "Add task" is a button on a wide screen and a line of the menu on a phone
    add = reverse("task_create", args=[plan.pk])
    assert f'class="button wide-only" href="{add}"' in _beside_menu(html)
    assert f'class="phone-only" href="{add}"' in menu
    # a draft is approved by the leadership, not by the focal officer
    assert 'value="approved"' not in html
    assert html.count('class="action-menu"') == 1


def test_the_leader_approves_from_a_button_that_is_in_the_menu_on_a_phone(client, world, plan):
    client.force_login(world.people[Role.LEADER])
    html = client.get(reverse("plan_detail", args=[plan.pk])).content.decode()
    beside, menu = _beside_menu(html), _menu(html)
    assert 'class="wide-only"' in beside and 'value="approved"' in beside
    assert 'class="phone-only"' in menu and 'value="approved"' in menu
    # the leader does not edit the plan: neither the editing links nor "Add task"
    assert reverse("plan_edit", args=[plan.pk]) not in html
    assert reverse("task_create", args=[plan.pk]) not in html
    assert reverse("plan_export", args=[plan.pk]) in menu


def test_moves_back_or_to_the_end_wait_in_the_menu(client, world, plan):
    services.move_plan(plan, PlanStatus.APPROVED, world.people[Role.LEADER])
    client.force_login(world.people[Role.FOCAL])
    html = client.get(reverse("plan_detail", args=[plan.pk])).content.decode()
    beside, menu = _beside_menu(html), _menu(html)
    assert 'value="in_progress"' in beside and 'value="in_progress"' in menu
    assert 'value="draft"' in menu and 'value="draft"' not in beside
    services.move_plan(plan, PlanStatus.IN_PROGRESS, world.people[Role.FOCAL])
    html = client.get(reverse("plan_detail", args=[plan.pk])).content.decode()
    assert 'value="closed"' in _menu(html) and 'value="closed"' not in _beside_menu(html)


def test_an_officer_reads_the_plan_and_its_documents_only(client, world, plan):
    client.force_login(world.people[Role.OFFICER])
    html = client.get(reverse("plan_detail", args=[plan.pk])).content.decode()
    menu = _menu(html)
    assert reverse("plan_export", args=[plan.pk]) in menu
    assert reverse("plan_edit", args=[plan.pk]) not in html
    assert reverse("plan_roll_over", args=[plan.pk]) not in html
    assert reverse("plan_move", args=[plan.pk]) not in html
    assert _beside_menu(html).count("<a ") == 0


def test_on_a_phone_the_parts_fold_but_chosen_filters_stay_open(client, world, plan):
    client.force_login(world.people[Role.FOCAL])
    url = reverse("plan_detail", args=[plan.pk])
    html = client.get(url).content.decode()
    folds = re.findall(r"<details [^>]*data-fold-phone[^>]*>", html)
    assert len(folds) == 3
    assert 'id="areas"' in folds[0] and 'id="targets"' in folds[1] and "more-filters" in folds[2]
    assert all(" open" in fold for fold in folds)  # open on a wide screen, plans/plan.js folds
    assert "plans/plan.js" in html and "plans/plan.css" in html
    chosen = client.get(url, {"department": world.office.pk, "status": "overdue"}).content.decode()
    assert re.search(r'<details class="more-filters" open>', chosen)
    filters = re.search(r'<form method="get" class="filters".*?</form>', chosen, re.S).group(0)
    assert f'<option value="{world.office.pk}" selected>' in filters
    assert '<option value="overdue" selected>' in filters
    assert filters.count(" selected>") == 2
    searched = client.get(url, {"q": "ra soat"}).content.decode()
    assert re.search(r'<details class="more-filters" data-fold-phone open>', searched)


def test_the_rows_drawn_in_python_are_escaped(client, world, plan):
    task = plan.tasks.get(number="1")
    task.content = 'Rà soát <script>alert("x")</script> & báo cáo'
    task.save()
    services.add_target(plan, "Tối thiểu 90% hồ sơ <b>đúng hạn</b>")
    client.force_login(world.people[Role.FOCAL])
    html = client.get(reverse("plan_detail", args=[plan.pk])).content.decode()
    assert "<script>alert" not in html and "<b>đúng" not in html
    assert "Rà soát &lt;script&gt;alert(&quot;x&quot;)&lt;/script&gt; &amp; báo cáo" in html
    assert "Tối thiểu 90% hồ sơ &lt;b&gt;đúng hạn&lt;/b&gt;" in html


def test_target_rows_say_what_the_rules_say(world, plan):
    """One row a target, read in one query, with what services.target_state finds for it."""
    area = plan.areas.get(order=3)
    unmeasured = services.add_target(plan, "Tối thiểu 95% hồ sơ trực tuyến", area=area)
    rising = services.add_target(plan, "Mức độ hài lòng đạt tối thiểu 90%")
    falling = services.add_target(plan, "Tối đa 5% hồ sơ quá hạn")
    focal = world.people[Role.FOCAL]
    # entered out of order: the latest is the one measured last, not the one typed last
    for target, readings in (
        (rising, [("Quý II", date(2026, 6, 30), "92"), ("Quý I", date(2026, 3, 31), "85")]),
        (falling, [("Quý I", date(2026, 3, 31), "4"), ("Quý II", date(2026, 6, 30), "3,5")]),
    ):
        for period, on, value in readings:
            services.record_measurement(
                target,
                value=Decimal(value.replace(",", ".")),
                period_label=period,
                source="Báo cáo quý",
                by=focal,
                measured_on=on,
            )
    rows = {row.pk: row for row in target_rows([plan])}
    assert list(rows) == [unmeasured.pk, rising.pk, falling.pk]
    for target in (unmeasured, rising, falling):
        state = services.target_state(target)
        row = rows[target.pk]
        assert row.attainment == state.attainment.value
        assert row.attainment_label == state.attainment_label
        assert row.latest == state.latest_text and row.meaning == state.meaning
    assert rows[unmeasured.pk].area_code == area.code and rows[rising.pk].area_code == ""
    assert rows[unmeasured.pk].latest == "" and rows[unmeasured.pk].direction == ""
    assert rows[rising.pk].latest == "92%" and rows[rising.pk].direction == "up"
    assert rows[rising.pk].latest_note == "Quý II; Báo cáo quý"
    assert rows[falling.pk].latest == "3,5%" and rows[falling.pk].direction == "down"


def test_target_state_takes_the_measurements_as_a_queryset_too(world, plan):
    """The API hands the target's prefetched measurements over as they are."""
    target = services.add_target(plan, "Tối thiểu 90% hồ sơ đúng hạn")
    for period, value in (("Quý I", "80"), ("Quý II", "95")):
        services.record_measurement(
            target,
            value=Decimal(value),
            period_label=period,
            source="Báo cáo",
            by=world.people[Role.FOCAL],
        )
    state = services.target_state(target, target.measurements.order_by("created_at"))
    assert state.latest.period_label == "Quý II" and state.direction == "up"
    assert state.attainment.value == "met"


def _more_tasks(plan, world, n: int) -> None:
    area = plan.areas.get(order=2)
    Task.objects.bulk_create(
        Task(
            plan=plan,
            area=area,
            number=str(10 + i),
            order=10 + i,
            content=f"Việc thêm {i}",
            lead_department=world.vhxh,
        )
        for i in range(n)
    )


def test_the_task_table_pages_in_three_queries(world, plan, django_assert_num_queries):
    _more_tasks(plan, world, 53)  # 55 tasks with the plan's two
    with django_assert_num_queries(3):  # the count, the rows, their coordinators
        first = task_table(plan.tasks.all(), page=1)
    assert (first.total, first.pages, first.page) == (55, 2, 1)
    assert sum(len(g.rows) for g in first.groups) == 50
    last = task_table(plan.tasks.all(), page=2)
    assert sum(len(g.rows) for g in last.groups) == 5 and not last.has_next
    # a page beyond the last shows the last; before the first, the first
    beyond = task_table(plan.tasks.all(), page=9)
    assert (beyond.page, beyond.total) == (2, 55)
    assert [r.pk for g in beyond.groups for r in g.rows] == [
        r.pk for g in last.groups for r in g.rows
    ]
    assert task_table(plan.tasks.all(), page=0).page == 1
    empty = task_table(plan.tasks.none())
    assert (empty.total, empty.pages, empty.page, empty.groups) == (0, 1, 1, [])


def test_a_distinct_task_list_is_counted_once_a_task(world, plan):
    task = plan.tasks.get(number="1")
    task.coordinating_departments.add(world.vhxh)  # two coordinators: two joined rows
    tasks = Task.objects.filter(
        plan=plan, coordinating_departments__in=[world.office, world.vhxh]
    ).distinct()
    table = task_table(tasks)
    assert table.total == 1 == sum(len(g.rows) for g in table.groups)


def test_the_dashboard_counts_what_the_tasks_say(world, plan, in_force):
    _more_tasks(plan, world, 4)
    Task.objects.filter(number__in=["10", "11"]).update(status=TaskStatus.DONE)
    Task.objects.filter(number="12").update(status=TaskStatus.OVERDUE)
    on = date(2026, 1, 5)
    data = dashboard.build(plan.unit, on=on)
    tasks = Task.objects.filter(plan=plan)
    assert dict(data.status_counts) == dict(
        tasks.values_list("status").annotate(n=Count("id")).order_by()
    )
    assert data.total == tasks.count()
    for rows, key, label in (
        (data.by_area, "area", "area__name"),
        (data.by_department, "lead_department", "lead_department__name"),
    ):
        expected = {}
        for status, name in tasks.values_list("status", label):
            total, done, overdue = expected.get(name, (0, 0, 0))
            expected[name] = (
                total + 1,
                done + (status in (TaskStatus.DONE, TaskStatus.DONE_LATE)),
                overdue + (status == TaskStatus.OVERDUE),
            )
        assert {c.label: (c.total, c.done, c.overdue) for c in rows} == expected, key
    assert [c.label for c in data.by_area] == [
        a.name for a in plan.areas.order_by("order") if a.tasks.exists()
    ]
    due = Milestone.objects.filter(
        task__plan=plan, done_on__isnull=True, due__gte=on, due__lte=on + timedelta(days=14)
    ).order_by("due")
    assert [(m.due, m.task_id, m.task.area.code, m.task.number) for m in due] == [
        (u.due, u.task_id, u.area_code, u.number) for u in data.upcoming
    ]
    assert data.upcoming and data.upcoming[0].lead == "VHXH"


def test_the_dashboard_page_lists_the_targets_drawn_in_python(client, world, plan, in_force):
    services.add_target(plan, "Tối thiểu 90% hồ sơ <đúng hạn>")
    client.force_login(world.people[Role.FOCAL])
    html = client.get(reverse("dashboard")).content.decode()
    assert 'data-done="0" data-total="2"' in html
    targets = re.search(r'<ul class="targets">.*?</ul>', html, re.S).group(0)
    assert '<span class="badge attain-not_measured">' in targets
    assert "Tối thiểu 90% hồ sơ &lt;đúng hạn&gt;</li>" in targets


def test_a_commune_without_a_plan_is_offered_to_make_one_on_its_dashboard(client, world):
    client.force_login(world.people[Role.FOCAL])
    html = client.get(reverse("dashboard")).content.decode()
    assert "Không có kế hoạch nào đang thực hiện." in html
    assert f'href="{reverse("import_upload")}"' in html
    assert f'href="{reverse("plan_create")}"' in html
    client.force_login(world.people[Role.OFFICER])  # who cannot make one is not offered it
    assert (
        f'href="{reverse("plan_create")}"' not in client.get(reverse("dashboard")).content.decode()
    )


def test_a_commune_with_a_plan_is_not_offered_another_on_its_dashboard(
    client, world, plan, in_force
):
    client.force_login(world.people[Role.FOCAL])
    html = client.get(reverse("dashboard")).content.decode()
    assert f'href="{reverse("plan_create")}"' not in html


def test_a_task_due_days_after_signing_counts_from_the_plans_signing_day(world, plan):
    from plans.models import Plan

    Plan.objects.filter(pk=plan.pk).update(issued_on=date(2026, 1, 9))
    plan.refresh_from_db()
    task = services.save_task(
        plan,
        services.TaskData(
            area=plan.areas.get(order=1),
            number="9",
            content="Phổ biến kế hoạch đến các phòng",
            lead_department=world.vhxh,
            deadline_text="Trong 15 ngày kể từ ngày ban hành kế hoạch",
        ),
    )
    assert [m.due for m in task.milestones.all()] == [date(2026, 1, 24)]
