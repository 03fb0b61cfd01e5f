from __future__ import annotations

from dataclasses import dataclass

import pytest

from org.models import Department, Role, Unit, UnitKind, User
from org.tests.factories import DepartmentFactory, UnitFactory, person_with_role


@dataclass
class World:
    haiphong: Unit
    thanhdong: Unit
    thaitan: Unit
    thanhhoa: Unit
    dongquang: Unit
    vhxh: Department
    office: Department
    other_vhxh: Department
    people: dict[str, User]


@pytest.fixture
def world(db) -> World:
    haiphong = UnitFactory(code="31", name="Hải Phòng", kind=UnitKind.CITY, parent=None)
    thanhdong = UnitFactory(code="31-TD", name="Thành Đông", kind=UnitKind.WARD, parent=haiphong)
    thaitan = UnitFactory(code="31-TT", name="Thái Tân", kind=UnitKind.COMMUNE, parent=haiphong)
    thanhhoa = UnitFactory(code="38", name="Thanh Hoá", kind=UnitKind.PROVINCE, parent=None)
    dongquang = UnitFactory(code="38-DQ", name="Đông Quang", kind=UnitKind.WARD, parent=thanhhoa)
    vhxh = DepartmentFactory(
        unit=thanhdong, name="Phòng Văn hóa - Xã hội", short_name="VHXH", aliases=["Phòng VH-XH"]
    )
    office = DepartmentFactory(
        unit=thanhdong, name="Văn phòng HĐND và UBND", short_name="VP", kind="office"
    )
    other_vhxh = DepartmentFactory(unit=dongquang, name="Phòng Văn hóa - Xã hội")
    people = {
        Role.ADMIN: person_with_role(Role.ADMIN, None, username="admin"),
        Role.APPRAISER: person_with_role(Role.APPRAISER, haiphong, username="appraiser"),
        Role.LEADER: person_with_role(Role.LEADER, thanhdong, office, username="leader"),
        Role.FOCAL: person_with_role(Role.FOCAL, thanhdong, vhxh, username="focal"),
        Role.DEPARTMENT_HEAD: person_with_role(
            Role.DEPARTMENT_HEAD, thanhdong, vhxh, username="head"
        ),
        Role.OFFICER: person_with_role(Role.OFFICER, thanhdong, office, username="officer"),
        "other_focal": person_with_role(Role.FOCAL, dongquang, other_vhxh, username="dq_focal"),
        Role.MINISTRY: person_with_role(Role.MINISTRY, None, username="ministry"),
    }
    return World(
        haiphong, thanhdong, thaitan, thanhhoa, dongquang, vhxh, office, other_vhxh, people
    )
