"""The main menu: the commune works on its plans, the province follows its communes."""

from __future__ import annotations

import pytest

from org import access, menu
from org.models import Role, RoleGrant


def outline(items) -> list:
    """A menu as URL names, a group as (its key, [its URL names])."""
    return [(i.key, [link.key for link in i.links]) if i.is_group else i.key for i in items]


def test_a_commune_focal_officer_finds_the_plans_first(world):
    items = menu.main_menu(world.people[Role.FOCAL], world.thanhdong, "home")
    assert outline(items) == [
        "home",
        "notify_work",
        ("plans", ["plan_list", "my_tasks", "board", "calendar"]),
        "dashboard",
        ("reporting", ["report_home", "request_list"]),
        ("evaluation", ["scoring_home", "inspection_home", "survey_home"]),
        ("directory", ["unit_list", "person_list"]),
    ]
    assert [i.label for i in items if i.is_group] == [
        "Kế hoạch",
        "Báo cáo, yêu cầu",
        "Đánh giá",
        "Danh mục",
    ]


def test_a_department_head_finds_the_tasks_handed_to_the_department_first(world):
    items = menu.main_menu(world.people[Role.DEPARTMENT_HEAD], world.thanhdong, "home")
    assert outline(items) == [
        "home",
        "notify_work",
        "my_tasks",
        ("plans", ["plan_list", "board", "calendar", "dashboard"]),
        ("reporting", ["report_home", "request_list"]),
        ("evaluation", ["scoring_home", "inspection_home", "survey_home"]),
        ("directory", ["unit_list", "person_list"]),
    ]


def test_a_province_appraiser_finds_the_board_appraisal_and_reports_first(world):
    appraiser = world.people[Role.APPRAISER]
    expected = [
        "home",
        "notify_work",
        "oversight_board",
        "request_list",
        "scoring_home",
        "report_home",
        (
            "communes",
            [
                "plan_list",
                "board",
                "inspection_home",
                "dashboard",
                "calendar",
                "survey_home",
                "unit_list",
                "person_list",
            ],
        ),
    ]
    assert outline(menu.main_menu(appraiser, world.haiphong, "home")) == expected
    # looking at one commune through the unit switcher changes nothing
    assert outline(menu.main_menu(appraiser, world.thaitan, "home")) == expected


def test_the_system_administrator_finds_the_directory_first(world):
    items = menu.main_menu(world.people[Role.ADMIN], None, "home")
    assert outline(items) == [
        "home",
        "notify_work",
        "unit_list",
        "person_list",
        ("reporting", ["report_home", "request_list"]),
        ("plans", ["dashboard", "plan_list", "board", "calendar"]),
        ("evaluation", ["scoring_home", "inspection_home", "survey_home"]),
    ]


@pytest.mark.parametrize("layout", ["COMMUNE", "DEPARTMENT", "PROVINCE", "ADMIN", "MINISTRY"])
def test_no_layout_has_more_than_seven_top_entries_nor_repeats_one(layout):
    items = getattr(menu, layout)
    assert len(items) <= 7
    names = [e.url_name for i in items for e in (i.entries if isinstance(i, menu.Group) else [i])]
    assert len(names) == len(set(names))


def test_province_leadership_follows_communes_too(world):
    leader = world.people[Role.LEADER]
    RoleGrant.objects.filter(user=leader).update(unit=world.haiphong)
    access.forget(leader)
    assert menu.layout_for(leader, world.haiphong) is menu.PROVINCE


def test_someone_in_a_commune_and_at_the_province_gets_the_menu_of_the_unit_worked_on(world):
    focal = world.people[Role.FOCAL]
    RoleGrant.objects.create(user=focal, role=Role.APPRAISER, unit=world.haiphong)
    access.forget(focal)
    assert menu.layout_for(focal, world.thanhdong) is menu.COMMUNE
    assert menu.layout_for(focal, world.thaitan) is menu.PROVINCE
    assert menu.layout_for(focal, world.haiphong) is menu.PROVINCE


def test_officers_get_the_department_menu_and_people_without_a_role_the_commune_one(world):
    assert menu.layout_for(world.people[Role.OFFICER], world.thanhdong) is menu.DEPARTMENT
    assert menu.layout_for(world.people[Role.LEADER], world.thanhdong) is menu.COMMUNE
    nobody = world.people[Role.OFFICER]
    RoleGrant.objects.filter(user=nobody).delete()
    access.forget(nobody)
    assert menu.layout_for(nobody, None) is menu.COMMUNE


@pytest.mark.parametrize(
    ("url_name", "entry", "group"),
    [
        ("home", "home", None),
        ("task_detail", "plan_list", "plans"),
        ("import_review", "plan_list", "plans"),
        ("my_tasks", "my_tasks", "plans"),
        ("inspection_plan_detail", "inspection_home", "evaluation"),
        ("finding_detail", "inspection_home", "evaluation"),
        ("initiative_list", "survey_home", "evaluation"),
        ("report_period", "report_home", "reporting"),
        ("request_answer", "request_list", "reporting"),
        ("department_tasks", "unit_list", "directory"),
        ("person_detail", "person_list", "directory"),
        ("history", None, None),
        (None, None, None),
    ],
)
def test_the_page_shown_marks_one_entry_and_its_group(world, url_name, entry, group):
    items = menu.main_menu(world.people[Role.FOCAL], world.thanhdong, url_name)
    links = [link for i in items for link in (i.links if i.is_group else [i])]
    assert [link.key for link in links if link.current] == ([entry] if entry else [])
    assert [i.key for i in items if i.is_group and i.current] == ([group] if group else [])


def test_an_entry_whose_page_does_not_exist_is_left_out():
    layout = (
        menu.HOME,
        menu.Entry("no_such_page", "Nowhere"),
        menu.Group("later", "Later", (menu.Entry("no_such_page", "Nowhere"),)),
        menu.Group("some", "Some", (menu.Entry("no_such_page", "Nowhere"), menu.BOARD)),
    )
    assert outline(menu.build(layout, "board")) == ["home", ("some", ["board"])]
