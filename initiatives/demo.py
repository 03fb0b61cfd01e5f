"""Demo initiatives for Thành Đông: three initiatives, one of them sent before the yearly goal's
date, the goal a target of the seed-001 plan. Dates are relative to today."""

from __future__ import annotations

from datetime import date, timedelta

from django.db import transaction

from core import clock
from initiatives import services
from initiatives.models import Initiative, InitiativeStatus
from org.demo import unit_to_fill
from org.models import Unit, User
from org.services import DepartmentMatcher
from plans.models import Plan


def _initiatives(unit: Unit, focal: User) -> None:
    today = clock.today()
    matcher = DepartmentMatcher(unit)
    centre = matcher.match("Trung tâm Phục vụ hành chính công")
    culture = matcher.match("Phòng Văn hóa - Xã hội")
    plan = Plan.objects.filter(unit=unit).order_by("-period_start").first()
    services.set_goal(unit, year=today.year, minimum=1, due=date(today.year, 11, 20), plan=plan)
    rows = [
        (
            "Tra cứu tiến độ hồ sơ bằng mã QR in trên giấy tiếp nhận",
            "Vũ Thị Lan, Ngô Thị Thu",
            centre,
            "Người dân phải gọi điện hoặc quay lại Trung tâm để hỏi tiến độ giải quyết hồ sơ.",
            "In mã QR trên giấy tiếp nhận, dẫn tới trang tra cứu của Hệ thống thông tin giải "
            "quyết TTHC; hướng dẫn người dân quét mã ngay tại quầy.",
            "3. Cải cách thủ tục hành chính",
            InitiativeStatus.RECOGNISED_COMMUNE,
            120,
        ),
        (
            "Sổ tay điện tử hướng dẫn thành phần hồ sơ lĩnh vực hộ tịch",
            "Đỗ Thị Mai",
            culture,
            "Hồ sơ hộ tịch thường phải bổ sung vì người dân không rõ giấy tờ cần có.",
            "Biên soạn sổ tay điện tử theo từng thủ tục, đăng trên Trang thông tin điện tử "
            "phường và dán mã QR tại quầy.",
            "3. Cải cách thủ tục hành chính",
            InitiativeStatus.SENT,
            40,
        ),
        (
            "Nhắc hạn nhiệm vụ CCHC qua nhóm Zalo của các phòng chuyên môn",
            "Trần Văn Hải",
            culture,
            "Nhiều nhiệm vụ trong kế hoạch bị chậm vì các phòng không theo dõi hạn.",
            "Đầu mối CCHC gửi nhắc hạn hằng tuần kèm danh sách nhiệm vụ sắp đến hạn.",
            "1. Chỉ đạo, điều hành",
            InitiativeStatus.PROPOSED,
            0,
        ),
    ]
    for title, authors, department, problem, solution, area, status, days in rows:
        initiative = services.save_initiative(
            unit,
            services.InitiativeData(
                title=title,
                authors=authors,
                problem=problem,
                solution=solution,
                department=department,
                reform_area=area,
                applied_on=today - timedelta(days=days + 60) if days else None,
                effect="Giảm số lượt người dân phải quay lại hỏi; được phản ánh tích cực "
                "trong phiếu khảo sát."
                if days
                else "",
            ),
            by=focal,
        )
        if status != InitiativeStatus.PROPOSED:
            sent = min(today - timedelta(days=days), date(today.year, 11, 19))
            services.move_initiative(initiative, InitiativeStatus.SENT, on=sent)
        if status == InitiativeStatus.RECOGNISED_COMMUNE:
            services.move_initiative(
                initiative,
                status,
                on=today - timedelta(days=days - 30),
                note="Quyết định công nhận sáng kiến của Chủ tịch UBND phường",
            )


@transaction.atomic
def load() -> None:
    unit = unit_to_fill("31-THANHDONG", Initiative)
    if unit is None:
        return  # no demo units, or already loaded
    focal = User.objects.get(username="thanhdong.daumoi")
    _initiatives(unit, focal)
