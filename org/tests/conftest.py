from __future__ import annotations

import time
from dataclasses import dataclass

import pytest
from django_otp.oath import TOTP
from django_otp.plugins.otp_totp.models import TOTPDevice

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


def login(client, world: World, role: str):
    """The test client, signed in as the world's person of `role`."""
    client.force_login(world.people[role])
    return client


def next_code(device: TOTPDevice) -> str:
    """The code an authenticator app shows, at the first time step the device has not used."""
    device.refresh_from_db()
    totp = TOTP(device.bin_key, device.step, device.t0, device.digits, device.drift)
    totp.time = time.time()
    while totp.t() <= device.last_t:
        totp.time += device.step
    return f"{totp.token():0{device.digits}d}"
