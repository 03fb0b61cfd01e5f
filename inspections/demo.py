"""Demo inspections: Thành Sen's 2026 inspection plan read from seed 003.

- the plan, its checklist (section III) and its two rounds, imported from the seed text;
- round 1 (six-month, 01/7–10/7/2026): team, four departments inspected, self-checks sent (one
  late), the team's verdicts, findings: two remediated (one on time, one late), one overdue,
  one answered and awaiting verification; concluded;
- round 2 (year-end, 20/10–25/10/2026): in progress, self-checks partly sent.
"""

from __future__ import annotations

import io
from datetime import date, timedelta

from django.db import transaction

from core import clock
from core.files import UploadedFile
from ingest.inspection_text import parse_inspection_text
from inspections import services
from inspections.models import (
    InspectionPlan,
    Result,
    RoundStatus,
    Severity,
    TeamRole,
)
from org.demo import SAMPLE_PDF, seed_text, unit_to_fill
from org.models import Department, Unit, User
from org.services import DepartmentMatcher

# Which areas each department answers for (by the plan's area codes).
AREAS = {
    "Phòng Văn hoá - Xã hội": ["1.1", "1.5", "1.7"],
    "Văn phòng HĐND và UBND": ["1.1", "1.2", "1.4"],
    "Phòng Kinh tế, Hạ tầng và Đô thị": ["1.6"],
    "Trung tâm Phục vụ hành chính công": ["1.3"],
}


def _pdf(name: str) -> UploadedFile:
    return UploadedFile(name, io.BytesIO(SAMPLE_PDF))


def _departments(unit: Unit) -> dict[str, Department]:
    matcher = DepartmentMatcher(unit)
    found = {}
    for name in AREAS:
        department = matcher.match(name)
        if department is None:
            raise RuntimeError(f"Demo department not found: {name}")
        found[name] = department
    return found


def _self_check(subject, by: User, on: date, *, not_met: int = 0) -> None:
    items = list(services.subject_items(subject).order_by("area__order", "order"))
    data = []
    for index, item in enumerate(items):
        if index < not_met:
            data.append(services.AnswerData(item, Result.NOT_MET, "Chưa hoàn thành, đang bổ sung"))
        elif index % 9 == 4:
            data.append(services.AnswerData(item, Result.NOT_APPLICABLE, "Không phát sinh"))
        else:
            data.append(services.AnswerData(item, Result.MET, ""))
    services.save_answers(subject, by, data, files=[_pdf("bao-cao-tu-kiem-tra.pdf")])
    services.submit_self_check(
        subject, by, note="Đơn vị đã tự kiểm tra theo nội dung phụ trách.", on=on
    )


@transaction.atomic
def load() -> None:
    unit = unit_to_fill("42-THANHSEN", InspectionPlan)
    if unit is None:
        return  # no demo unit, or already loaded
    departments = _departments(unit)
    culture = departments["Phòng Văn hoá - Xã hội"]
    office = departments["Văn phòng HĐND và UBND"]
    economy = departments["Phòng Kinh tế, Hạ tầng và Đô thị"]
    centre = departments["Trung tâm Phục vụ hành chính công"]
    focal = User.objects.get(username="thanhsen.daumoi")
    clerk = User.objects.get(username="thanhsen.congchuc")
    leader = User.objects.get(username="thanhsen.phochutich")
    # Thành Sen's demo accounts have no department heads: the focal officer sends the centre's
    # and the economy division's self-checks for them, and the office's clerk answers the
    # findings she is responsible for.

    text = seed_text("003")
    outcome = services.create_plan_from_draft(
        unit,
        parse_inspection_text(text),
        source=UploadedFile(
            "003_thanh_sen_ke_hoach_kiem_tra_cchc_2026.txt", io.BytesIO(text.encode())
        ),
    )
    plan = outcome.plan
    first, second = outcome.rounds
    for round_ in (first, second):
        services.add_team_member(
            round_, role=TeamRole.LEADER, user=leader, position="Phó Chủ tịch UBND phường"
        )
        services.add_team_member(round_, role=TeamRole.MEMBER, user=focal)
        services.add_team_member(round_, role=TeamRole.SECRETARY, user=clerk)
        services.add_team_member(
            round_,
            role=TeamRole.MEMBER,
            name="Lê Thị Thanh Hà",
            position="Chuyên viên Phòng Cải cách hành chính",
            organisation="Sở Nội vụ tỉnh Hà Tĩnh",
        )
        for name, codes in AREAS.items():
            services.add_subject(
                round_,
                departments[name],
                areas=list(plan.areas.filter(code__in=codes)),
                person=clerk if departments[name] == office else None,
            )

    # Round 1: self-checks (the centre's late), verdicts, findings, conclusion.
    subjects = {s.department_id: s for s in first.subjects.all()}
    _self_check(subjects[culture.pk], focal, date(2026, 6, 24))
    _self_check(subjects[office.pk], clerk, date(2026, 6, 25), not_met=1)
    _self_check(subjects[economy.pk], focal, date(2026, 6, 26), not_met=1)
    _self_check(subjects[centre.pk], focal, date(2026, 6, 29), not_met=2)
    services.move_round(first, RoundStatus.IN_PROGRESS)
    centre_items = list(services.subject_items(subjects[centre.pk]).order_by("order"))
    services.save_answers(
        subjects[centre.pk],
        focal,
        [services.AnswerData(centre_items[1], Result.NOT_MET, "Số hóa hồ sơ TTHC chưa đầy đủ")],
        as_team=True,
    )

    def finding(department, item, description, recommendation, deadline, severity, person=None):
        return services.record_finding(
            first,
            focal,
            services.FindingData(
                description=description,
                department=department,
                responsible_department=department,
                responsible_person=person,
                deadline=deadline,
                severity=severity,
                recommendation=recommendation,
                item=item,
            ),
        )

    area = {a.code: a for a in plan.areas.all()}
    on_time = finding(
        office,
        area["1.1"].items.get(order=5),
        "Chưa số hóa tài liệu lưu trữ giấy hình thành trước ngày 01/7/2025 theo kế hoạch.",
        "Hoàn thành số hóa tài liệu lưu trữ giấy; cập nhật lên Hệ thống Quản lý văn bản.",
        date(2026, 7, 31),
        Severity.MEDIUM,
        clerk,
    )
    late = finding(
        office,
        area["1.4"].items.get(order=3),
        "Quy chế làm việc của UBND phường chưa được cập nhật theo tổ chức bộ máy mới.",
        "Tham mưu sửa đổi, ban hành Quy chế làm việc của UBND phường.",
        date(2026, 8, 15),
        Severity.HIGH,
        clerk,
    )
    finding(
        centre,
        area["1.3"].items.get(order=2),
        "Tỷ lệ số hóa hồ sơ, kết quả giải quyết TTHC đạt 78%, thấp hơn chỉ tiêu.",
        "Bố trí nhân lực số hóa toàn bộ hồ sơ tiếp nhận; báo cáo kết quả hằng tuần.",
        date(2026, 12, 31),
        Severity.MEDIUM,
    )
    overdue_deadline = max(date(2026, 8, 31), min(date(2026, 9, 30), clock.today() - timedelta(10)))
    finding(
        economy,
        area["1.6"].items.get(order=1),
        "Chưa ban hành Quy chế chi tiêu nội bộ năm 2026.",
        "Tham mưu UBND phường ban hành Quy chế chi tiêu nội bộ năm 2026.",
        overdue_deadline,
        Severity.HIGH,
    )
    answered = finding(
        office,
        area["1.1"].items.get(order=4),
        "Kế hoạch tuyên truyền CCHC chưa có báo cáo kết quả 6 tháng.",
        "Xây dựng báo cáo kết quả tuyên truyền CCHC 6 tháng đầu năm.",
        date(2026, 12, 15),
        Severity.LOW,
        clerk,
    )
    answers = (
        (on_time, "Đã số hóa toàn bộ tài liệu lưu trữ giấy.", "bao-cao-so-hoa-luu-tru.pdf", 7, 25),
        (late, "Đã trình ban hành Quy chế làm việc sửa đổi.", "quyet-dinh-quy-che.pdf", 8, 28),
        (answered, "Đã xây dựng báo cáo.", "bao-cao-tuyen-truyen.pdf", 11, 10),
    )
    for answered_finding, text, evidence, month, day in answers:
        services.respond(
            answered_finding, clerk, text, files=[_pdf(evidence)], on=date(2026, month, day)
        )
    services.close_finding(on_time, focal, "Đã kiểm tra thực tế.", on=date(2026, 7, 28))
    services.verify(late, focal, "Quy chế đã được ban hành.", on=date(2026, 9, 2))
    services.write_assessment(
        first,
        "Các phòng, cơ quan, đơn vị cơ bản triển khai đầy đủ nhiệm vụ CCHC theo kế hoạch; "
        "việc tự kiểm tra và báo cáo trước kỳ kiểm tra được thực hiện nghiêm túc. Còn một số "
        "tồn tại về số hóa hồ sơ TTHC và quy chế chi tiêu nội bộ cần khắc phục.",
        "215",
    )
    services.move_round(first, RoundStatus.CONCLUDED, on=date(2026, 7, 15))

    # Round 2: in progress, two self-checks sent.
    subjects = {s.department_id: s for s in second.subjects.all()}
    _self_check(subjects[culture.pk], focal, date(2026, 10, 14))
    _self_check(subjects[centre.pk], focal, date(2026, 10, 15))
    services.move_round(second, RoundStatus.IN_PROGRESS)
