"""Department names as the seeds write them all lead to the same department."""

from __future__ import annotations

import pytest
from django.core.exceptions import ValidationError

from org.services import DepartmentData, DepartmentMatcher, save_department
from org.tests.factories import DepartmentFactory, UnitFactory

WARD_DEPARTMENTS = [
    ("Văn phòng HĐND và UBND", "VP HĐND-UBND", ["Văn phòng HĐND-UBND"]),
    ("Phòng Văn hóa - Xã hội", "VHXH", ["Phòng VH-XH"]),
    ("Phòng Kinh tế, Hạ tầng và Đô thị", "KT-HT-ĐT", []),
    ("Trung tâm Phục vụ hành chính công", "TTPVHCC", ["Trung tâm PV HCC"]),
    ("Trung tâm Dịch vụ sự nghiệp công", "", []),
]


@pytest.fixture
def matcher(db):
    unit = UnitFactory(code="31-TD", name="Thành Đông")
    for name, short, aliases in WARD_DEPARTMENTS:
        DepartmentFactory(unit=unit, name=name, short_name=short, aliases=aliases)
    return DepartmentMatcher(unit)


@pytest.mark.parametrize(
    ("written", "expected"),
    [
        # every way the seeds write the culture-society division
        ("Phòng Văn hóa - Xã hội", "Phòng Văn hóa - Xã hội"),
        ("Phòng Văn hoá – xã hội", "Phòng Văn hóa - Xã hội"),
        ("phòng Văn hóa - Xã hội", "Phòng Văn hóa - Xã hội"),
        ("Phòng VH-XH", "Phòng Văn hóa - Xã hội"),
        ("VHXH", "Phòng Văn hóa - Xã hội"),
        ("Phòng Văn hoá - xã hội", "Phòng Văn hóa - Xã hội"),
        ("phòng Văn hoá - Xã hội", "Phòng Văn hóa - Xã hội"),
        ("PHÒNG VĂN HÓA  -  XÃ HỘI", "Phòng Văn hóa - Xã hội"),
        ("Phong van hoa xa hoi", "Phòng Văn hóa - Xã hội"),
        # the office, written four ways
        ("Văn phòng HĐND và UBND phường", "Văn phòng HĐND và UBND"),
        ("Văn phòng HĐND-UBND phường", "Văn phòng HĐND và UBND"),
        ("Văn phòng HĐND&UBND phường", "Văn phòng HĐND và UBND"),
        ("Văn phòng HĐND và UBND phường Thành Đông", "Văn phòng HĐND và UBND"),
        # the one-stop centre
        ("Trung tâm PV HCC", "Trung tâm Phục vụ hành chính công"),
        ("Trung tâm phục vụ hành chính công phường", "Trung tâm Phục vụ hành chính công"),
        ("Trung tâm Phục vụ hành chính công", "Trung tâm Phục vụ hành chính công"),
        ("TTPVHCC", "Trung tâm Phục vụ hành chính công"),
        # economy, written short
        ("Phòng Kinh tế, hạ tầng và đô thị", "Phòng Kinh tế, Hạ tầng và Đô thị"),
        ("Phòng Kinh tế, Hạ tầng và Đô thị.", "Phòng Kinh tế, Hạ tầng và Đô thị"),
        ("Phòng KT-HT-ĐT", "Phòng Kinh tế, Hạ tầng và Đô thị"),
        ("Phòng Kinh tế", "Phòng Kinh tế, Hạ tầng và Đô thị"),
        ("Trung tâm dịch vụ sự nghiệp công", "Trung tâm Dịch vụ sự nghiệp công"),
    ],
)
def test_written_names_match(matcher, written, expected):
    found = matcher.match(written)
    assert found is not None, written
    assert found.name == expected


@pytest.mark.parametrize(
    "written",
    ["", "Các tổ dân phố", "Ban biên tập trang TTĐT", "Sở Nội vụ", "Phòng"],
)
def test_unknown_names_do_not_match(matcher, written):
    assert matcher.match(written) is None


def test_duplicate_department_is_refused_in_vietnamese(matcher):
    unit = matcher.unit
    with pytest.raises(ValidationError) as caught:
        save_department(unit, DepartmentData(name="Phòng Văn hoá – xã hội"))
    assert (
        "đã được dùng" in caught.value.messages[0]
        or "Phòng Văn hóa - Xã hội" in caught.value.messages[0]
    )
    assert unit.departments.count() == len(WARD_DEPARTMENTS)


def test_alias_that_names_another_department_is_refused(matcher):
    with pytest.raises(ValidationError):
        save_department(matcher.unit, DepartmentData(name="Ban Tuyên truyền", aliases=["VHXH"]))


def test_same_name_in_another_unit_is_fine(matcher):
    other = UnitFactory(code="31-TT", name="Thái Tân", kind="commune")
    saved = save_department(other, DepartmentData(name="Phòng Văn hóa - Xã hội", short_name="VHXH"))
    assert saved.unit == other
    assert saved.kind == "division"
