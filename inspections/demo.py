"""Demo inspections: Thành Sen's 2026 inspection plan read from seed 003, and the same plan as
Thành Đông, Thái Tân and Đông Quang issued it (their names in place of Thành Sen's):

- the plan, its checklist (section III) and its two rounds, imported from the seed text;
- round 1 (six-month, 01/7–10/7/2026): team (the leadership, the focal officer, the office's
  officer where there is one, a specialist of the Department of Home Affairs as a guest), four
  departments inspected, self-checks sent (one late), the team's verdicts, findings: two
  remediated (one on time, one late), one overdue, one answered and awaiting verification, one
  (two in Thành Đông) still to fix; concluded;
- round 2 (year-end, 20/10–25/10/2026): in progress, self-checks partly sent.

So each department head has a finding or a self-check to see to, and the team a fix to verify.
"""

from __future__ import annotations

import io
from dataclasses import dataclass
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
from org.access import department_heads
from org.demo import SAMPLE_PDF, seed_text, unit_to_fill
from org.models import Department, Unit, UnitKind, User

# Which areas each department answers for (by the plan's area codes), by the department's short
# name; the economy division is "KT" where it is called "Phòng Kinh tế".
AREAS = {
    "VHXH": ["1.1", "1.5", "1.7"],
    "VP HĐND-UBND": ["1.1", "1.2", "1.4"],
    "KT-HT-ĐT|KT": ["1.6"],
    "TTPVHCC": ["1.3"],
}


@dataclass(frozen=True)
class Inspected:
    """A commune running seed 003's inspection plan, and its people on the team."""

    code: str
    leader: str
    focal: str
    clerk: str | None  # the office's officer: its self-check and findings are in her hands
    guest: str  # the province's specialist, a guest of the team
    conclusion_number: str
    culture_finding: bool = False  # a finding for the culture division too


INSPECTED = [
    Inspected(
        "42-THANHSEN", "thanhsen.phochutich", "thanhsen.daumoi", "thanhsen.congchuc",
        "Lê Thị Thanh Hà", "215",
    ),
    Inspected(
        "31-THANHDONG", "thanhdong.chutich", "thanhdong.daumoi", "thanhdong.congchuc",
        "Nguyễn Thị Bích Ngọc", "187", culture_finding=True,
    ),
    Inspected(
        "31-THAITAN", "thaitan.phochutich", "thaitan.daumoi", None, "Vũ Đức Thịnh", "96"
    ),
    Inspected(
        "38-DONGQUANG", "dongquang.phochutich", "dongquang.daumoi", None, "Lê Thị Phương",
        "142",
    ),
]  # fmt: skip


def _pdf(name: str) -> UploadedFile:
    return UploadedFile(name, io.BytesIO(SAMPLE_PDF))


def _departments(unit: Unit) -> dict[str, Department]:
    by_short = {d.short_name: d for d in Department.objects.filter(unit=unit)}
    found = {}
    for names in AREAS:
        department = next((by_short[n] for n in names.split("|") if n in by_short), None)
        if department is None:
            raise RuntimeError(f"Demo department not found in {unit.code}: {names}")
        found[names] = department
    return found


def _words(unit: Unit, text: str) -> str:
    """Seed 003's words (Thành Sen, a ward of Hà Tĩnh) as `unit` would write them."""
    province = unit.province.name if unit.province else ""
    text = text.replace("Thành Sen", unit.name).replace("THÀNH SEN", unit.name.upper())
    if province == "Hải Phòng":
        text = text.replace("tỉnh Hà Tĩnh", "thành phố Hải Phòng")
        text = text.replace("Tỉnh ủy, UBND tỉnh", "Thành ủy, UBND thành phố")
        text = text.replace("UBND tỉnh", "UBND thành phố")
    text = text.replace("Hà Tĩnh", province)
    if unit.kind == UnitKind.COMMUNE:
        for ward, commune in (("phường", "xã"), ("Phường", "Xã"), ("PHƯỜNG", "XÃ")):
            text = text.replace(ward, commune)
    return text


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


def _answerer(department: Department, clerk: User | None, focal: User) -> User:
    """Who sends a department's self-check: its head with an account, the office's officer for
    the office, else the focal officer for the department."""
    head = User.objects.filter(pk__in=department_heads(department)).order_by("username").first()
    return head or clerk or focal


def _inspect(spec: Inspected) -> None:
    unit = unit_to_fill(spec.code, InspectionPlan)
    if unit is None:
        return  # no demo unit, or already loaded
    departments = _departments(unit)
    culture = departments["VHXH"]
    office = departments["VP HĐND-UBND"]
    economy = departments["KT-HT-ĐT|KT"]
    centre = departments["TTPVHCC"]
    focal = User.objects.get(username=spec.focal)
    leader = User.objects.get(username=spec.leader)
    clerk = User.objects.get(username=spec.clerk) if spec.clerk else None
    # The office's findings are in its officer's hands, or the focal officer's where it has none
    # with an account; so are the self-checks of departments without a head with an account.
    in_charge = clerk or focal

    def sender(department: Department) -> User:
        return _answerer(department, clerk if department == office else None, focal)

    text = _words(unit, seed_text("003"))
    outcome = services.create_plan_from_draft(
        unit,
        parse_inspection_text(text),
        source=UploadedFile(
            "003_thanh_sen_ke_hoach_kiem_tra_cchc_2026.txt"
            if unit.code == "42-THANHSEN"
            else f"ke_hoach_kiem_tra_cchc_2026_{unit.code.lower()}.txt",
            io.BytesIO(text.encode()),
        ),
    )
    plan = outcome.plan
    first, second = outcome.rounds
    province = unit.province.name if unit.province else ""
    city = "thành phố" if province == "Hải Phòng" else "tỉnh"
    for round_ in (first, second):
        services.add_team_member(
            round_, role=TeamRole.LEADER, user=leader, position=leader.position
        )
        services.add_team_member(round_, role=TeamRole.MEMBER, user=focal)
        if clerk is not None:
            services.add_team_member(round_, role=TeamRole.SECRETARY, user=clerk)
        services.add_team_member(
            round_,
            role=TeamRole.MEMBER,
            name=spec.guest,
            position="Chuyên viên Phòng Cải cách hành chính",
            organisation=f"Sở Nội vụ {city} {province}",
        )
        for names, codes in AREAS.items():
            services.add_subject(
                round_,
                departments[names],
                areas=list(plan.areas.filter(code__in=codes)),
                person=clerk if departments[names] == office else None,
            )

    # Round 1: self-checks (the centre's late), verdicts, findings, conclusion.
    subjects = {s.department_id: s for s in first.subjects.all()}
    _self_check(subjects[culture.pk], sender(culture), date(2026, 6, 24))
    _self_check(subjects[office.pk], sender(office), date(2026, 6, 25), not_met=1)
    _self_check(subjects[economy.pk], sender(economy), date(2026, 6, 26), not_met=1)
    _self_check(subjects[centre.pk], sender(centre), date(2026, 6, 29), not_met=2)
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
                description=_words(unit, description),
                department=department,
                responsible_department=department,
                responsible_person=person,
                deadline=deadline,
                severity=severity,
                recommendation=_words(unit, recommendation),
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
        in_charge,
    )
    late = finding(
        office,
        area["1.4"].items.get(order=3),
        "Quy chế làm việc của UBND phường chưa được cập nhật theo tổ chức bộ máy mới.",
        "Tham mưu sửa đổi, ban hành Quy chế làm việc của UBND phường.",
        date(2026, 8, 15),
        Severity.HIGH,
        in_charge,
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
    if spec.culture_finding:
        finding(
            culture,
            area["1.5"].items.get(order=1),
            "Chưa cập nhật kết quả tuyên truyền CCHC quý III lên Trang thông tin điện tử.",
            "Cập nhật đầy đủ tin, bài tuyên truyền CCHC; báo cáo Đoàn kiểm tra.",
            date(2026, 12, 20),
            Severity.LOW,
        )
    answered = finding(
        office,
        area["1.1"].items.get(order=4),
        "Kế hoạch tuyên truyền CCHC chưa có báo cáo kết quả 6 tháng.",
        "Xây dựng báo cáo kết quả tuyên truyền CCHC 6 tháng đầu năm.",
        date(2026, 12, 15),
        Severity.LOW,
        in_charge,
    )
    answers = (
        (on_time, "Đã số hóa toàn bộ tài liệu lưu trữ giấy.", "bao-cao-so-hoa-luu-tru.pdf", 7, 25),
        (late, "Đã trình ban hành Quy chế làm việc sửa đổi.", "quyet-dinh-quy-che.pdf", 8, 28),
        (answered, "Đã xây dựng báo cáo.", "bao-cao-tuyen-truyen.pdf", 11, 10),
    )
    for answered_finding, words, evidence, month, day in answers:
        services.respond(
            answered_finding, in_charge, words, files=[_pdf(evidence)], on=date(2026, month, day)
        )
    services.close_finding(on_time, focal, "Đã kiểm tra thực tế.", on=date(2026, 7, 28))
    services.verify(late, focal, "Quy chế đã được ban hành.", on=date(2026, 9, 2))
    services.write_assessment(
        first,
        "Các phòng, cơ quan, đơn vị cơ bản triển khai đầy đủ nhiệm vụ CCHC theo kế hoạch; "
        "việc tự kiểm tra và báo cáo trước kỳ kiểm tra được thực hiện nghiêm túc. Còn một số "
        "tồn tại về số hóa hồ sơ TTHC và quy chế chi tiêu nội bộ cần khắc phục.",
        spec.conclusion_number,
    )
    services.move_round(first, RoundStatus.CONCLUDED, on=date(2026, 7, 15))

    # Round 2: in progress, two self-checks sent.
    subjects = {s.department_id: s for s in second.subjects.all()}
    _self_check(subjects[culture.pk], sender(culture), date(2026, 10, 14))
    _self_check(subjects[centre.pk], sender(centre), date(2026, 10, 15))
    services.move_round(second, RoundStatus.IN_PROGRESS)


@transaction.atomic
def load() -> None:
    for spec in INSPECTED:
        _inspect(spec)
