"""Demo requests of the provinces to their communes, relative to today. Hải Phòng asked for
figures three weeks ago, due a week ago, which Thành Đông answered late and Thái Tân has not
answered. Every province asked its communes for the year's report two days ago, due in twelve
days; Thành Đông has opened it."""

from __future__ import annotations

import io
from datetime import timedelta

from django.db import transaction
from docx import Document
from openpyxl import Workbook

from core import clock
from core.files import UploadedFile
from core.sheets import workbook_bytes
from org.models import Unit, User
from province_requests import services
from province_requests.models import ProvinceRequest, Recipient, RequestKind

APPRAISER = "sonoivu.haiphong"
# Each province's appraiser, who asks for the year's report.
PROVINCES = {"31": "sonoivu.haiphong", "38": "sonoivu.thanhhoa", "42": "sonoivu.hatinh"}


def _figures_workbook() -> bytes:
    workbook = Workbook()
    sheet = workbook.active
    sheet.title = "Số liệu TTHC"
    sheet.append(["Chỉ tiêu", "Số liệu"])
    for row in (
        ("Hồ sơ TTHC tiếp nhận", 1864),
        ("Hồ sơ giải quyết đúng hạn", 1831),
        ("Hồ sơ trực tuyến toàn trình", 1206),
        ("Hồ sơ được số hóa kết quả", 1790),
    ):
        sheet.append(list(row))
    return workbook_bytes(workbook)


def _letter(province: Unit, number: str, subject: str, body: str, day) -> UploadedFile:
    """The official letter as a Word document, as the Department sends it."""
    document = Document()
    document.add_paragraph(f"UBND {province.full_name.upper()}\nSỞ NỘI VỤ")
    document.add_paragraph(f"Số: {number}\nV/v {subject[:1].lower()}{subject[1:]}")
    document.add_paragraph(f"{province.name}, ngày {day:%d} tháng {day:%m} năm {day:%Y}")
    document.add_paragraph("Kính gửi: Ủy ban nhân dân các xã, phường.")
    document.add_paragraph(body)
    document.add_paragraph("KT. GIÁM ĐỐC\nPHÓ GIÁM ĐỐC")
    buffer = io.BytesIO()
    document.save(buffer)
    buffer.seek(0)
    return UploadedFile(f"{number.replace('/', '-')}.docx", buffer)


def _send(province: Unit, by: User, communes: list[Unit], sent_on, data) -> ProvinceRequest:
    """The request sent on its day, its official letter attached."""
    with clock.as_of(sent_on):
        return services.send_request(
            province,
            data,
            communes=communes,
            letter=[_letter(province, data.letter_number, data.title, data.body, sent_on)],
            by=by,
        )


@transaction.atomic
def load() -> None:
    province = Unit.objects.filter(code="31").first()
    appraiser = User.objects.filter(username=APPRAISER).first()
    if province is None or appraiser is None:
        return  # no demo organisations
    if ProvinceRequest.objects.filter(unit=province).exists():
        return  # loaded already
    today = clock.today()
    year = today.year
    thanhdong = Unit.objects.get(code="31-THANHDONG")
    communes = [thanhdong, Unit.objects.get(code="31-THAITAN")]
    focal = User.objects.get(username="thanhdong.daumoi")

    figures = _send(
        province,
        appraiser,
        communes,
        today - timedelta(days=21),
        services.RequestData(
            kind=RequestKind.FIGURES,
            title="Cung cấp số liệu giải quyết thủ tục hành chính và dịch vụ công trực tuyến "
            f"11 tháng năm {year}",
            due=today - timedelta(days=7),
            period=f"11 tháng năm {year}",
            letter_number="1287/SNV-CCHC",
            letter_date=today - timedelta(days=21),
            body="Để tổng hợp báo cáo UBND thành phố, Sở Nội vụ đề nghị UBND các xã, phường cung "
            "cấp số liệu giải quyết thủ tục hành chính và dịch vụ công trực tuyến 11 tháng theo "
            "biểu kèm theo, gửi về Sở qua hệ thống trước ngày hạn.",
        ),
    )
    copy = Recipient.objects.get(request=figures, unit=thanhdong)
    with clock.as_of(today - timedelta(days=18)):
        services.mark_seen(copy, by=focal)
    with clock.as_of(today - timedelta(days=5)):
        services.answer_request(
            copy,
            services.AnswerData(
                answer="UBND phường Thành Đông gửi số liệu theo biểu của Sở; gửi chậm do chờ "
                "tổng hợp số liệu của Trung tâm Phục vụ hành chính công."
            ),
            files=[UploadedFile("So-lieu-TTHC-Thanh-Dong.xlsx", io.BytesIO(_figures_workbook()))],
            by=focal,
        )

    for code, username in PROVINCES.items():
        _year_report(code, username, today)
    with clock.as_of(today - timedelta(days=1)):
        report = ProvinceRequest.objects.get(unit=province, kind=RequestKind.REPORT)
        services.mark_seen(Recipient.objects.get(request=report, unit=thanhdong), by=focal)


def _year_report(code: str, username: str, today) -> None:
    """The province asks every commune of its own for the year's report."""
    province = Unit.objects.filter(code=code).first()
    appraiser = User.objects.filter(username=username).first()
    if province is None or appraiser is None:
        return
    communes = services.communes_of(province)
    if not communes:
        return
    year = today.year
    _send(
        province,
        appraiser,
        communes,
        today - timedelta(days=2),
        services.RequestData(
            kind=RequestKind.REPORT,
            title=f"Báo cáo kết quả thực hiện công tác cải cách hành chính năm {year}",
            due=today + timedelta(days=12),
            period=f"Năm {year}",
            letter_number="1342/SNV-CCHC",
            letter_date=today - timedelta(days=2),
            body="Đề nghị UBND các xã, phường báo cáo kết quả công tác cải cách hành chính năm "
            "theo đề cương kèm theo; số liệu tính đến hết ngày 15/12; gửi bản điện tử có chữ ký "
            "số.",
        ),
    )
