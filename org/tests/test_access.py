"""The permission matrix: every role against its own unit, another unit and its parent province."""

from __future__ import annotations

import pytest
from django.contrib.auth.models import AnonymousUser

from org.access import Action, Scope, can, filter_visible, visible_units
from org.models import Role, UnitKind, User
from org.tests.factories import UnitFactory, person_with_role

A = Action
ALL = set(Action)

# The targets of the matrix, described in `_targets`.
TARGETS = ("unit", "own_dept", "other_dept", "assigned", "sibling", "other_province", "province")

# role -> target -> actions allowed.
MATRIX: dict[str, dict[str, set[Action]]] = {
    Role.ADMIN: {t: ALL for t in TARGETS},
    Role.APPRAISER: {
        "unit": {A.VIEW, A.APPRAISE},
        "own_dept": {A.VIEW, A.APPRAISE},
        "other_dept": {A.VIEW, A.APPRAISE},
        "assigned": {A.VIEW, A.APPRAISE},
        "sibling": {A.VIEW, A.APPRAISE},
        "other_province": set(),
        "province": {A.VIEW, A.ISSUE},
    },
    Role.LEADER: {
        "unit": {A.VIEW, A.APPROVE},
        "own_dept": {A.VIEW, A.APPROVE},
        "other_dept": {A.VIEW, A.APPROVE},
        "assigned": {A.VIEW, A.APPROVE},
        "sibling": set(),
        "other_province": set(),
        "province": set(),
    },
    Role.FOCAL: {
        "unit": {A.VIEW, A.EDIT, A.MANAGE},
        "own_dept": {A.VIEW, A.EDIT, A.MANAGE},
        "other_dept": {A.VIEW, A.EDIT, A.MANAGE},
        "assigned": {A.VIEW, A.EDIT, A.MANAGE},
        "sibling": set(),
        "other_province": set(),
        "province": set(),
    },
    Role.DEPARTMENT_HEAD: {
        "unit": {A.VIEW},
        "own_dept": {A.VIEW, A.EDIT, A.ANSWER},
        "other_dept": {A.VIEW},
        "assigned": {A.VIEW},
        "sibling": set(),
        "other_province": set(),
        "province": set(),
    },
    Role.OFFICER: {
        "unit": {A.VIEW},
        "own_dept": {A.VIEW},
        "other_dept": {A.VIEW},
        "assigned": {A.VIEW, A.EDIT, A.ANSWER},
        "sibling": set(),
        "other_province": set(),
        "province": set(),
    },
    # the ministry reads everything and does nothing else
    Role.MINISTRY: {t: {A.VIEW} for t in TARGETS},
}


def _targets(world) -> dict[str, Scope]:
    officer = world.people[Role.OFFICER]
    return {
        # the commune's own record (its plan, its report...)
        "unit": Scope(world.thanhdong.pk),
        # work led by the department head's department (VHXH)
        "own_dept": Scope(world.thanhdong.pk, frozenset({world.vhxh.pk})),
        # work of another department of the same commune
        "other_dept": Scope(world.thanhdong.pk, frozenset({world.office.pk})),
        # work assigned to the officer
        "assigned": Scope(
            world.thanhdong.pk, frozenset({world.office.pk}), frozenset({officer.pk})
        ),
        # another commune of the same province
        "sibling": Scope(world.thaitan.pk),
        # a commune of another province
        "other_province": Scope(world.dongquang.pk),
        # the parent province itself
        "province": Scope(world.haiphong.pk),
    }


CASES = [
    (role, target, action) for role, row in MATRIX.items() for target in row for action in Action
]


@pytest.mark.parametrize(
    ("role", "target", "action"), CASES, ids=[f"{r}-{t}-{a}" for r, t, a in CASES]
)
def test_permission_matrix(world, role, target, action):
    user = User.objects.get(pk=world.people[role].pk)
    allowed = action in MATRIX[role][target]
    assert can(user, action, _targets(world)[target]) is allowed


def test_matrix_covers_every_role():
    assert set(MATRIX) == set(Role.values)


@pytest.mark.parametrize(
    ("role", "expected"),
    [
        (Role.ADMIN, {"31", "31-TD", "31-TT", "38", "38-DQ"}),
        (Role.APPRAISER, {"31", "31-TD", "31-TT"}),
        (Role.LEADER, {"31-TD"}),
        (Role.FOCAL, {"31-TD"}),
        (Role.DEPARTMENT_HEAD, {"31-TD"}),
        (Role.OFFICER, {"31-TD"}),
    ],
)
def test_visible_units(world, role, expected):
    user = User.objects.get(pk=world.people[role].pk)
    assert set(visible_units(user).values_list("code", flat=True)) == expected


def test_people_of_another_commune_are_never_visible(world):
    focal = world.people[Role.FOCAL]
    visible = filter_visible(focal, User.objects.all())
    assert world.people["other_focal"] not in visible
    assert world.people[Role.OFFICER] in visible
    assert not can(focal, Action.VIEW, world.people["other_focal"])
    assert not can(focal, Action.VIEW, world.other_vhxh)


def test_anonymous_and_inactive_people_can_do_nothing(world):
    assert not can(AnonymousUser(), Action.VIEW, world.thanhdong)
    assert visible_units(AnonymousUser()).count() == 0
    leader = world.people[Role.LEADER]
    leader.is_active = False
    leader.save()
    assert not can(leader, Action.VIEW, world.thanhdong)


def test_appraiser_reaches_communes_through_a_district(db):
    """The three-level tree of documents before 7/2025: province → district → commune."""
    province = UnitFactory(code="42", name="Hà Tĩnh", kind=UnitKind.PROVINCE, parent=None)
    district = UnitFactory(code="42-HK", name="Hồng Lĩnh", kind=UnitKind.TOWN, parent=province)
    commune = UnitFactory(code="42-HK-BL", name="Bắc Hồng", kind=UnitKind.WARD, parent=district)
    appraiser = person_with_role(Role.APPRAISER, province)
    assert commune.province_id == province.pk
    assert can(appraiser, Action.APPRAISE, commune)
    assert not can(appraiser, Action.APPRAISE, district)
    assert can(appraiser, Action.VIEW, district)
    assert set(visible_units(appraiser).values_list("code", flat=True)) == {
        "42",
        "42-HK",
        "42-HK-BL",
    }


def test_only_the_team_inspects(world):
    officer = User.objects.get(pk=world.people[Role.OFFICER].pk)
    focal = User.objects.get(pk=world.people[Role.FOCAL].pk)
    round_scope = Scope(world.thanhdong.pk, team_ids=frozenset({officer.pk}))
    assert can(officer, A.INSPECT, round_scope)
    assert not can(focal, A.INSPECT, round_scope)
    assert not can(officer, A.INSPECT, Scope(world.thanhdong.pk))


def test_headed_departments_and_holders(world):
    from org.access import headed_departments, holders, holders_of

    head = User.objects.get(pk=world.people[Role.DEPARTMENT_HEAD].pk)
    assert headed_departments(head) == {world.vhxh.pk}
    assert headed_departments(head, world.thaitan) == set()
    assert holders(Role.DEPARTMENT_HEAD, departments=[world.vhxh.pk]) == {world.vhxh.pk: {head.pk}}
    focal = world.people[Role.FOCAL]
    assert focal.pk in holders(Role.FOCAL, units=[world.thanhdong.pk])[world.thanhdong.pk]
    assert [p.pk for p in holders_of(Role.FOCAL, world.thanhdong)] == [focal.pk]


def test_only_the_province_appraisers_issue_its_frameworks(world):
    """ISSUE (a PAR-index framework, its criteria and periods) belongs to the province's
    appraisers: not to another province's, nor to roles held in the province unit itself, and it
    never opens the province's directory (MANAGE)."""
    province = Scope(world.haiphong.pk)
    appraiser = User.objects.get(pk=world.people[Role.APPRAISER].pk)
    assert can(appraiser, A.ISSUE, province)
    assert not can(appraiser, A.MANAGE, province)
    assert not can(appraiser, A.ISSUE, Scope(world.thanhhoa.pk))
    assert not can(appraiser, A.ISSUE, Scope(world.thanhdong.pk))
    for role in (Role.FOCAL, Role.LEADER, Role.DEPARTMENT_HEAD, Role.OFFICER):
        someone = person_with_role(role, world.haiphong, username=f"province-{role}")
        assert not can(someone, A.ISSUE, province), role
    assert can(world.people[Role.ADMIN], A.ISSUE, province)
