"""The Ministry of Home Affairs reads every province and changes nothing."""

from __future__ import annotations

import pytest
from django.core.exceptions import ValidationError

from org import access, menu
from org.access import Action, can
from org.models import Role, RoleGrant, Unit
from org.tests.factories import person_with_role

CHANGES = [a for a in Action if a != Action.VIEW]


@pytest.fixture
def minister(world):
    return person_with_role(Role.MINISTRY, None, username="bonoivu")


def test_the_ministry_reads_every_province_and_commune(world, minister):
    assert set(access.visible_units(minister)) == set(Unit.objects.all())
    for unit in (world.haiphong, world.thanhdong, world.thanhhoa, world.dongquang):
        assert can(minister, Action.VIEW, unit)
    assert can(minister, Action.VIEW, world.vhxh)
    assert access.follows_communes(minister, world.thanhdong)
    assert access.needs_two_factor(minister)
    assert str(Role.MINISTRY.label) in access.roles_in(minister, world.dongquang)


@pytest.mark.parametrize("action", CHANGES)
def test_the_ministry_changes_nothing(world, minister, action):
    for obj in (world.haiphong, world.thanhdong, world.dongquang, world.vhxh, minister):
        assert not can(minister, action, obj)
    assert not access.is_system_admin(minister)


def test_a_ministry_grant_names_no_unit(world, minister):
    with pytest.raises(ValidationError):
        RoleGrant(user=minister, role=Role.MINISTRY, unit=world.haiphong).full_clean()
    RoleGrant(user=minister, role=Role.MINISTRY, unit=None).clean()


def test_the_ministry_menu_ranks_the_provinces_first(world, minister):
    items = menu.main_menu(minister, world.thanhdong, "ministry_ranking")
    keys = [i.key for i in items]
    assert keys[:3] == ["home", "ministry_ranking", "oversight_board"]
    assert menu.layout_for(minister, world.haiphong) is menu.MINISTRY
    assert next(i for i in items if i.key == "ministry_ranking").current


def test_only_the_ministry_and_the_administrator_open_the_ranking(world, minister, client):
    client.force_login(minister)
    assert client.get("/oversight/ministry/").status_code == 200
    client.force_login(world.people[Role.ADMIN])
    assert client.get("/oversight/ministry/").status_code == 200
    for role in (Role.APPRAISER, Role.LEADER, Role.FOCAL, Role.DEPARTMENT_HEAD, Role.OFFICER):
        client.force_login(world.people[role])
        assert client.get("/oversight/ministry/").status_code == 403, role


def test_the_ministry_opens_any_province_board_but_sends_nothing(world, minister, client):
    client.force_login(minister)
    client.post("/switch-unit/", {"unit": world.thanhhoa.pk})
    page = client.get("/oversight/")
    assert page.status_code == 200 and "Thanh Hoá" in page.content.decode()
    client.post("/switch-unit/", {"unit": world.thanhdong.pk})
    assert client.get("/plans/").status_code == 200
    assert client.post("/plans/new/", {"title": "x"}).status_code in (403, 404)


def test_the_ministry_starts_on_the_provinces_until_it_chooses_a_unit(world, minister, client):
    client.force_login(minister)
    assert client.get("/").url == "/oversight/ministry/"
    client.post("/switch-unit/", {"unit": world.thaitan.pk})
    page = client.get("/")
    assert page.status_code == 200 and "Thái Tân" in page.content.decode().split("<h1>")[1]
