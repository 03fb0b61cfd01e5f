"""Importing units and departments: per-row errors, all-or-nothing, .xlsx and .csv."""

from __future__ import annotations

import io

import pytest

from core.files import UploadRejected
from core.sheets import rows_xlsx
from org.imports import import_departments, import_units
from org.models import Department, Unit, UnitKind
from org.tests.factories import DepartmentFactory, UnitFactory


def xlsx(rows: list[list[str]]) -> io.BytesIO:
    return io.BytesIO(rows_xlsx(rows))


def csv_bytes(text: str) -> io.BytesIO:
    return io.BytesIO(text.encode("utf-8-sig"))


UNITS = [
    ["Mã", "Tên", "Loại", "Mã đơn vị cấp trên"],
    ["31", "Hải Phòng", "Thành phố", ""],
    ["31-TD", "Thành Đông", "Phường", "31"],
    ["31-TT", "Thái Tân", "Xã", "31"],
]


@pytest.mark.django_db
def test_units_from_xlsx_build_the_tree():
    report = import_units("donvi.xlsx", xlsx(UNITS))
    assert report.saved, report.error_rows
    assert report.created == 3
    haiphong = Unit.objects.get(code="31")
    assert haiphong.kind == UnitKind.CITY and haiphong.province_id == haiphong.pk
    ward = Unit.objects.get(code="31-TD")
    assert ward.parent == haiphong and ward.province_id == haiphong.pk and ward.level == 3


@pytest.mark.django_db
def test_units_from_csv_with_children_before_parents_and_three_levels():
    text = (
        "Mã đơn vị;Tên đơn vị;Cấp;Mã cấp trên\n"
        "42-HL-BH;Bắc Hồng;Phường;42-HL\n"
        "42-HL;Hồng Lĩnh;Thị xã;42\n"
        "42;Hà Tĩnh;Tỉnh;\n"
    )
    report = import_units("donvi.csv", csv_bytes(text))
    assert report.saved, [r.errors for r in report.error_rows]
    commune = Unit.objects.get(code="42-HL-BH")
    assert commune.parent.kind == UnitKind.TOWN
    assert commune.province.code == "42"


@pytest.mark.django_db
def test_a_bad_row_saves_nothing_and_names_every_problem():
    rows = [
        *UNITS,
        ["31-X", "", "Phường", "31"],  # no name
        ["31-Y", "Vô Danh", "Làng", "31"],  # unknown kind
        ["31-Z", "Mồ Côi", "Xã", "99"],  # unknown parent
        ["31-TD", "Thành Đông", "Phường", "31"],  # duplicate code in the file
        ["38", "Thanh Hoá", "Tỉnh", "31"],  # a province under another
    ]
    report = import_units("donvi.xlsx", xlsx(rows))
    assert not report.saved
    assert Unit.objects.count() == 0
    errors = {r.number: r.errors for r in report.error_rows}
    assert set(errors) == {5, 6, 7, 8, 9}
    assert len(errors[5]) == 1 and len(errors[6]) == 1 and len(errors[7]) == 1


@pytest.mark.django_db
def test_reimporting_updates_instead_of_duplicating():
    import_units("donvi.xlsx", xlsx(UNITS))
    renamed = [row[:] for row in UNITS]
    renamed[2][1] = "Thành Đông mới"
    report = import_units("donvi.xlsx", xlsx(renamed))
    assert report.saved and report.updated == 3 and report.created == 0
    assert Unit.objects.get(code="31-TD").name == "Thành Đông mới"
    assert Unit.objects.count() == 3


@pytest.mark.django_db
def test_wrong_columns_are_refused_with_their_names():
    with pytest.raises(UploadRejected) as caught:
        import_units("donvi.xlsx", xlsx([["STT", "Họ tên"], ["1", "A"]]))
    assert "Code" in str(caught.value) or "Mã" in str(caught.value)


@pytest.mark.django_db
def test_a_text_file_named_xlsx_is_refused():
    with pytest.raises(UploadRejected):
        import_units("donvi.xlsx", io.BytesIO(b"Ma,Ten\n1,2\n"))


@pytest.mark.django_db
def test_csv_in_a_legacy_encoding_is_refused_clearly():
    with pytest.raises(UploadRejected) as caught:
        import_units("donvi.csv", io.BytesIO(b"M\xe3,T\xean,Lo\xe0i\n"))
    assert "UTF-8" in str(caught.value)


@pytest.fixture
def ward(db):
    return UnitFactory(code="31-TD", name="Thành Đông")


def test_departments_imported_with_aliases(ward):
    text = (
        "Tên phòng ban,Tên viết tắt,Loại,Tên gọi khác\n"
        "Phòng Văn hóa - Xã hội,VHXH,Phòng,Phòng VH-XH; Phòng Văn hoá – xã hội\n"
        "Trung tâm Phục vụ hành chính công,TTPVHCC,,Trung tâm PV HCC\n"
    )
    report = import_departments(ward, "pb.csv", csv_bytes(text))
    assert report.saved and report.created == 2
    centre = Department.objects.get(unit=ward, short_name="TTPVHCC")
    assert centre.kind == "centre"
    assert centre.aliases == ["Trung tâm PV HCC"]


def test_duplicate_departments_in_the_file_are_refused(ward):
    text = "Tên phòng ban,Tên viết tắt\nPhòng Văn hóa - Xã hội,VHXH\nPhòng Văn hoá – xã hội,\n"
    report = import_departments(ward, "pb.csv", csv_bytes(text))
    assert not report.saved
    assert [r.number for r in report.error_rows] == [3]
    assert Department.objects.filter(unit=ward).count() == 0


def test_department_clashing_with_an_existing_alias_is_refused(ward):
    DepartmentFactory(unit=ward, name="Phòng Văn hóa - Xã hội", short_name="VHXH")
    text = "Tên phòng ban,Tên viết tắt\nBan Văn hóa,VHXH\nPhòng Kinh tế,KT\n"
    report = import_departments(ward, "pb.csv", csv_bytes(text))
    assert not report.saved
    assert [r.number for r in report.error_rows] == [2]
    assert Department.objects.filter(unit=ward).count() == 1


def test_unknown_department_kind_is_an_error(ward):
    text = "Tên phòng ban,Loại\nPhòng Kinh tế,Hợp tác xã\n"
    report = import_departments(ward, "pb.csv", csv_bytes(text))
    assert not report.saved and report.error_rows[0].number == 2


def test_reimport_with_blank_cells_keeps_recorded_values(ward):
    DepartmentFactory(
        unit=ward, name="Phòng Văn hóa - Xã hội", short_name="VHXH", aliases=["VH-XH"]
    )
    report = import_departments(
        ward, "pb.csv", csv_bytes("Tên phòng ban,Tên viết tắt\nPhòng Văn hoá – xã hội,\n")
    )
    assert report.saved and report.updated == 1
    department = Department.objects.get(unit=ward)
    assert department.short_name == "VHXH" and department.aliases == ["VH-XH"]
