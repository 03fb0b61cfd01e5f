"""Plausible national data: provinces, their communes and years of CCHC work, for measuring the
system at the size of the country (34 provinces, about 3,300 communes).

`manage.py generate_national [--provinces 34] [--communes 97] [--years 3] [--seed 1]` fills the
database through `bulk_create` in batches, bypassing the services (which check, notify and audit
one object at a time): each province gets its unit, a PAR-index framework of about 150 scored
criteria per year and a questionnaire; each commune four departments, a focal officer and a
leader (no passwords), and for every year a plan of 30–60 tasks with milestones, progress,
evidence metadata (no files), targets with measurements, its reports, its self-assessments with
scores and appraisal, an inspection with findings and a satisfaction survey with answers.

Deterministic: every commune draws from its own generator seeded by the seed and its code, so
the same seed gives the same rows whatever the order or the interruptions. Resumable: communes
are written a batch at a time, each batch in one transaction, and a commune whose code exists is
skipped, so running it again continues where it stopped.
"""

from __future__ import annotations

import random
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import date, datetime, timedelta
from datetime import time as day_time
from decimal import Decimal

from django.contrib.auth.hashers import make_password
from django.db import transaction
from django.utils import timezone

from core import clock
from core.text import normalize_name, search_key
from inspections.models import Finding, FindingStatus, InspectionPlan, Round, Severity
from org.models import Department, Role, RoleGrant, Unit, UnitKind, UnitLevel, User
from plans.models import (
    DEFAULT_AREAS,
    Comparator,
    Evidence,
    Measurement,
    Milestone,
    MilestoneKind,
    Plan,
    PlanStatus,
    ProgressUpdate,
    ReformArea,
    Target,
    Task,
    TaskStatus,
)
from reports.models import PeriodKind as ReportKind
from reports.models import Report, ReportingPeriod, ReportStatus
from reports.services import default_due_dates
from scoring.models import (
    LOCKED_STATUSES,
    Assessment,
    AssessmentStatus,
    CriteriaSet,
    Criterion,
    Framework,
    FrameworkStatus,
    Method,
    Period,
    PeriodAudience,
    PeriodKind,
    Score,
    UnitGroup,
    sort_key,
)
from surveys.models import (
    Answer,
    Campaign,
    ProcedureField,
    Question,
    QuestionKind,
    Questionnaire,
    Response,
    ResponseSource,
    Section,
)

PREFIX = "QG"  # codes QG01 (a province), QG01-0001 (its communes): apart from real codes
BATCH = 20  # communes per transaction
# The 34 provinces and centrally-run cities since 1 July 2025; True for a city.
PROVINCES = [
    ("Hà Nội", True), ("Huế", True), ("Lai Châu", False), ("Điện Biên", False),
    ("Sơn La", False), ("Lạng Sơn", False), ("Quảng Ninh", False), ("Thanh Hóa", False),
    ("Nghệ An", False), ("Hà Tĩnh", False), ("Cao Bằng", False), ("Tuyên Quang", False),
    ("Lào Cai", False), ("Thái Nguyên", False), ("Phú Thọ", False), ("Bắc Ninh", False),
    ("Hưng Yên", False), ("Hải Phòng", True), ("Ninh Bình", False), ("Quảng Trị", False),
    ("Đà Nẵng", True), ("Quảng Ngãi", False), ("Gia Lai", False), ("Khánh Hòa", False),
    ("Lâm Đồng", False), ("Đắk Lắk", False), ("Hồ Chí Minh", True), ("Đồng Nai", False),
    ("Tây Ninh", False), ("Cần Thơ", True), ("Vĩnh Long", False), ("Đồng Tháp", False),
    ("Cà Mau", False), ("An Giang", False),
]  # fmt: skip
FIRST = [
    "An", "Bình", "Hòa", "Tân", "Phú", "Vĩnh", "Yên", "Đông", "Tây", "Nam", "Bắc", "Hưng",
    "Minh", "Thạnh", "Phước", "Long", "Quang", "Thanh", "Hồng", "Ngọc", "Kim", "Gia", "Cẩm",
    "Đức", "Trường",
]  # fmt: skip
SECOND = [
    "Lạc", "Bình", "Hòa", "Thành", "Phú", "Lợi", "Sơn", "Hải", "Hưng", "Thịnh", "Khánh", "Mỹ",
    "Lộc", "Phong", "Tiến", "Thuận", "An", "Định", "Xuân", "Trung", "Tân", "Giang", "Châu",
]  # fmt: skip
SURNAMES = ["Nguyễn", "Trần", "Lê", "Phạm", "Hoàng", "Vũ", "Đặng", "Bùi", "Đỗ", "Hồ", "Ngô"]
MIDDLE = ["Văn", "Thị", "Hữu", "Minh", "Thanh", "Đức", "Ngọc", "Quốc"]
GIVEN = ["Hoa", "Minh", "Ngọc", "Toàn", "Hằng", "Dũng", "Lan", "Hùng", "Thảo", "Tuấn", "Hạnh"]
DEPARTMENTS = [
    ("Văn phòng HĐND và UBND", "VP HĐND-UBND"),
    ("Phòng Văn hóa - Xã hội", "VHXH"),
    ("Phòng Kinh tế, Hạ tầng và Đô thị", "KT-HT-ĐT"),
    ("Trung tâm Phục vụ hành chính công", "TTPVHCC"),
]
VERBS = [
    "Triển khai", "Tổ chức thực hiện", "Rà soát, cập nhật", "Kiểm tra, đôn đốc",
    "Tuyên truyền, phổ biến", "Xây dựng và ban hành", "Đánh giá kết quả",
]  # fmt: skip
OBJECTS = [
    "kế hoạch cải cách hành chính năm", "danh mục thủ tục hành chính thuộc thẩm quyền giải quyết",
    "việc tiếp nhận hồ sơ trực tuyến toàn trình", "Bộ chỉ số phục vụ người dân, doanh nghiệp",
    "quy chế làm việc của Ủy ban nhân dân", "việc số hóa hồ sơ, kết quả giải quyết thủ tục",
    "công tác văn thư, lưu trữ", "việc thực hiện chế độ công vụ, công chức",
    "khảo sát mức độ hài lòng của người dân", "hệ thống quản lý chất lượng TCVN ISO 9001:2015",
    "cơ sở dữ liệu dân cư và đề án 06", "việc công khai tài chính, ngân sách",
]  # fmt: skip
PRODUCTS = ["Kế hoạch", "Báo cáo kết quả", "Văn bản chỉ đạo", "Quyết định", "Thông báo"]
TARGETS = [
    ("Tỷ lệ hồ sơ giải quyết đúng hạn", Comparator.AT_LEAST, 98, "%"),
    ("Tỷ lệ hồ sơ trực tuyến toàn trình", Comparator.AT_LEAST, 60, "%"),
    ("Tỷ lệ số hóa kết quả giải quyết thủ tục", Comparator.AT_LEAST, 90, "%"),
    ("Mức độ hài lòng của người dân", Comparator.AT_LEAST, 95, "%"),
    ("Số văn bản trả lời chậm", Comparator.AT_MOST, 0, "văn bản"),
    ("Tỷ lệ công chức được bồi dưỡng", Comparator.AT_LEAST, 80, "%"),
    ("Tỷ lệ văn bản điện tử có chữ ký số", Comparator.AT_LEAST, 95, "%"),
    ("Số thủ tục được rà soát, đơn giản hóa", Comparator.AT_LEAST, 5, "thủ tục"),
]
FINDINGS = [
    "Chưa niêm yết đầy đủ thủ tục hành chính tại Trung tâm Phục vụ hành chính công",
    "Hồ sơ giải quyết quá hạn chưa có văn bản xin lỗi người dân",
    "Chưa cập nhật kịp thời văn bản chỉ đạo, điều hành lên Cổng thông tin điện tử",
    "Chưa ban hành kế hoạch đào tạo, bồi dưỡng công chức năm",
    "Số hóa hồ sơ chưa đạt chỉ tiêu giao",
]
CRITERIA_AREAS = [
    "Công tác chỉ đạo, điều hành cải cách hành chính",
    "Xây dựng và tổ chức thực hiện văn bản quy phạm pháp luật",
    "Cải cách thủ tục hành chính",
    "Cải cách tổ chức bộ máy hành chính nhà nước",
    "Cải cách chế độ công vụ",
    "Cải cách tài chính công",
    "Xây dựng và phát triển chính quyền điện tử, chính quyền số",
    "Tác động của cải cách hành chính đến người dân và tổ chức",
]
LEAVES_PER_AREA = 19  # 8 × 19 = 152 scored criteria
QUESTIONS = [
    "Ông/bà đánh giá thế nào về thái độ của công chức tiếp nhận hồ sơ?",
    "Thời gian giải quyết hồ sơ có đúng hẹn không?",
    "Ông/bà đánh giá thế nào về cơ sở vật chất của bộ phận một cửa?",
    "Mức độ hài lòng chung của ông/bà?",
]
ASSESSMENT_STATES = [
    AssessmentStatus.CLOSED,
    AssessmentStatus.APPRAISED,
    AssessmentStatus.ANSWERED,
    AssessmentStatus.SUBMITTED,
]


def _at(day: date, hour: int = 9) -> datetime:
    return timezone.make_aware(datetime.combine(day, day_time(hour, 0)))


def province_code(number: int) -> str:
    return f"{PREFIX}{number:02d}"


def commune_code(province: int, number: int) -> str:
    return f"{province_code(province)}-{number:04d}"


def communes_in(province: int, provinces: int, total: int | None) -> int:
    """How many communes province `province` (1-based) gets when `total` are spread over
    `provinces` (the country's 3,321 when `total` is None)."""
    total = total if total is not None else 3321 * provinces // len(PROVINCES)
    base, extra = divmod(total, provinces)
    return base + (1 if province <= extra else 0)


@dataclass
class Progress:
    communes_added: int = 0
    communes_skipped: int = 0
    rows: int = 0
    lines: list[str] = field(default_factory=list)


@dataclass
class ProvinceKit:
    """What a province's communes are generated against: its unit, each year's framework
    periods, criteria and questionnaire."""

    unit: Unit
    criteria_sets: dict[int, CriteriaSet]
    leaves: dict[int, list[Criterion]]
    periods: dict[int, list[Period]]
    questions: list[Question]
    questionnaire: Questionnaire


def _province(number: int) -> Unit:
    name, city = PROVINCES[(number - 1) % len(PROVINCES)]
    if number > len(PROVINCES):
        name = f"{name} {number // len(PROVINCES) + 1}"
    code = province_code(number)
    unit = Unit.objects.filter(code=code).first()
    if unit is None:
        unit = Unit(code=code, name=name, kind=UnitKind.CITY if city else UnitKind.PROVINCE)
        unit.save()
    return unit


def _framework(province: Unit, year: int) -> tuple[CriteriaSet, list[Criterion], list[Period]]:
    framework, made = Framework.objects.get_or_create(
        province=province,
        year=year,
        defaults={
            "name": f"Bộ tiêu chí xác định Chỉ số CCHC cấp xã năm {year}",
            "decision_number": f"{100 + year % 100}/QĐ-UBND",
            "decision_date": date(year, 2, 15),
            "decision_issuer": f"Ủy ban nhân dân {province.full_name}",
            "status": FrameworkStatus.IN_FORCE,
        },
    )
    if made:
        criteria_set = CriteriaSet.objects.create(
            framework=framework, group=UnitGroup.COMMUNE_LEVEL, name="Xã, phường"
        )
        areas = Criterion.objects.bulk_create(
            Criterion(
                criteria_set=criteria_set, code=str(n), name=name, max_points=Decimal(0),
                method=Method.SUM, depth=0, sort=sort_key(str(n)), is_leaf=False,
            )
            for n, name in enumerate(CRITERIA_AREAS, start=1)
        )  # fmt: skip
        leaves = []
        points = Decimal(100) / (len(CRITERIA_AREAS) * LEAVES_PER_AREA)
        for area in areas:
            for k in range(1, LEAVES_PER_AREA + 1):
                code = f"{area.code}.{k}"
                method = (Method.YES_NO, Method.TIERS, Method.MANUAL)[k % 3]
                most = points.quantize(Decimal("0.01"))
                # Tiers give at most the criterion's points, as a framework import requires.
                tiers = [
                    {"min": "100", "points": str(most)},
                    {"min": "80", "points": str((most / 2).quantize(Decimal("0.01")))},
                ]
                leaves.append(
                    Criterion(
                        criteria_set=criteria_set, parent=area, code=code,
                        name=f"{area.name}: nội dung {k}", max_points=most, method=method,
                        depth=1, sort=sort_key(code),
                        tiers=tiers if method == Method.TIERS else [],
                    )
                )  # fmt: skip
        Criterion.objects.bulk_create(leaves)
        Period.objects.bulk_create(
            [
                Period(
                    framework=framework, kind=PeriodKind.SIX_MONTH,
                    name=f"Tự đánh giá 6 tháng đầu năm {year}", department_due=date(year, 6, 5),
                    submission_due=date(year, 6, 15), opened_for=PeriodAudience.ALL,
                ),
                Period(
                    framework=framework, kind=PeriodKind.YEAR, name=f"Tự đánh giá năm {year}",
                    department_due=date(year, 11, 20), submission_due=date(year, 12, 1),
                    opened_for=PeriodAudience.ALL,
                ),
            ]
        )  # fmt: skip
    criteria_set = framework.sets.get(group=UnitGroup.COMMUNE_LEVEL)
    leaves = list(criteria_set.criteria.filter(is_leaf=True).order_by("sort"))
    return criteria_set, leaves, list(framework.periods.order_by("submission_due"))


def _questionnaire(province: Unit) -> tuple[Questionnaire, list[Question]]:
    title = "Phiếu khảo sát sự hài lòng của người dân"
    questionnaire = Questionnaire.objects.filter(unit=province, title=title).first()
    if questionnaire is None:
        questionnaire = Questionnaire.objects.create(unit=province, title=title)
        section = Section.objects.create(questionnaire=questionnaire, order=1, title="Đánh giá")
        Question.objects.bulk_create(
            Question(section=section, order=n, kind=QuestionKind.RATING, text=text)
            for n, text in enumerate(QUESTIONS, start=1)
        )
    return questionnaire, list(
        Question.objects.filter(section__questionnaire=questionnaire).order_by("order")
    )


def province_kit(number: int, years: list[int]) -> ProvinceKit:
    with transaction.atomic():
        unit = _province(number)
        sets, leaves, periods = {}, {}, {}
        for year in years:
            sets[year], leaves[year], periods[year] = _framework(unit, year)
        questionnaire, questions = _questionnaire(unit)
    return ProvinceKit(unit, sets, leaves, periods, questions, questionnaire)


def _person(rng: random.Random) -> str:
    return f"{rng.choice(SURNAMES)} {rng.choice(MIDDLE)} {rng.choice(GIVEN)}"


def commune_names(province: int, count: int, seed: int) -> list[str]:
    """`count` distinct names for a province's communes, drawn from the syllables."""
    pairs = [f"{a} {b}" for a in FIRST for b in SECOND if a != b]
    random.Random(f"{seed}:{province}:names").shuffle(pairs)
    return [
        pairs[n % len(pairs)] + (f" {n // len(pairs) + 1}" if n >= len(pairs) else "")
        for n in range(count)
    ]


class Writer:
    """Collects one batch's rows by model and writes them with bulk_create."""

    def __init__(self) -> None:
        self.rows = 0

    def put(self, model, objects: list) -> list:
        made = model.objects.bulk_create(objects, batch_size=2000)
        self.rows += len(made)
        return made


def _milestone_done(rng: random.Random, due: date, on: date, skill: int) -> date | None:
    if due >= on:
        return None
    roll = rng.randrange(100)
    if roll < skill:
        return due - timedelta(days=rng.randint(0, 10))
    if roll < skill + 15:
        return min(on, due + timedelta(days=rng.randint(2, 25)))
    return None


def _batch(
    kit: ProvinceKit, numbers: list[int], names: list[str], pnum: int, years: list[int],
    seed: int, on: date,
) -> int:  # fmt: skip
    """Write the communes `numbers` of the province with all their years, in one transaction."""
    out = Writer()
    province = kit.unit
    rngs = {n: random.Random(f"{seed}:{commune_code(pnum, n)}") for n in numbers}
    units = []
    for n in numbers:
        rng = rngs[n]
        ward = rng.random() < 0.3
        kind = UnitKind.WARD if ward else UnitKind.COMMUNE
        code = commune_code(pnum, n)
        name = names[n - 1]
        units.append(
            Unit(
                code=code, name=name, kind=kind, parent=province, province=province,
                level=UnitLevel.COMMUNE, search_text=search_key(name, code, str(kind.label)),
            )
        )  # fmt: skip
    units = out.put(Unit, units)
    by_number = dict(zip(numbers, units, strict=True))
    departments = out.put(
        Department,
        [
            Department(
                unit=u, name=name, short_name=short, order=k, name_key=normalize_name(name),
                search_text=search_key(name, short),
            )
            for u in units
            for k, (name, short) in enumerate(DEPARTMENTS)
        ],
    )  # fmt: skip
    depts: dict[int, list[Department]] = {}
    for d in departments:
        depts.setdefault(d.unit_id, []).append(d)
    password = make_password(None)  # nobody signs in as a generated commune's officer
    people = []
    for n, u in by_number.items():
        rng = rngs[n]
        for suffix, position in (("daumoi", "Công chức đầu mối CCHC"), ("lanhdao", "Chủ tịch")):
            full = _person(rng)
            people.append(
                User(
                    username=f"{u.code.lower()}.{suffix}", full_name=full, position=position,
                    unit=u, department=depts[u.pk][1 if suffix == "daumoi" else 0],
                    password=password, search_text=search_key(full, u.code, position),
                )
            )  # fmt: skip
    people = out.put(User, people)
    focal = {p.unit_id: p for p in people if p.username.endswith(".daumoi")}
    leader = {p.unit_id: p for p in people if p.username.endswith(".lanhdao")}
    out.put(
        RoleGrant,
        [RoleGrant(user=focal[u.pk], role=Role.FOCAL, unit=u) for u in units]
        + [RoleGrant(user=leader[u.pk], role=Role.LEADER, unit=u) for u in units],
    )
    for year in years:
        _year(out, kit, by_number, rngs, depts, focal, year, on)
    return out.rows


def _year(out, kit, by_number, rngs, depts, focal, year: int, on: date) -> None:
    first, last = date(year, 1, 1), date(year, 12, 31)
    plans = out.put(
        Plan,
        [
            Plan(
                unit=u, title=f"Kế hoạch cải cách hành chính năm {year}",
                number=f"{rngs[n].randint(5, 120)}/KH-UBND", issued_on=date(year, 1, 10),
                signer=_person(rngs[n]), signer_capacity="CHỦ TỊCH", period_start=first,
                period_end=last, status=PlanStatus.CLOSED if last < on else PlanStatus.IN_PROGRESS,
                search_text=search_key(f"Kế hoạch cải cách hành chính năm {year}"), statuses_on=on,
            )
            for n, u in by_number.items()
        ],
    )  # fmt: skip
    plan_of = {p.unit_id: p for p in plans}
    areas = out.put(
        ReformArea,
        [
            ReformArea(plan=p, order=k, code=code, name=str(label))
            for p in plans
            for k, (code, label) in enumerate(DEFAULT_AREAS, start=1)
        ],
    )
    areas_of: dict[int, list[ReformArea]] = {}
    for a in areas:
        areas_of.setdefault(a.plan_id, []).append(a)
    # Tasks, then their milestones, statuses and updates, drawn per commune.
    tasks, task_marks = [], []
    for n, u in by_number.items():
        rng, plan = rngs[n], plan_of[u.pk]
        for k in range(1, rng.randint(30, 60) + 1):
            area = areas_of[plan.pk][(k - 1) % len(areas_of[plan.pk])]
            content = f"{rng.choice(VERBS)} {rng.choice(OBJECTS)}"
            dues = sorted(
                date(year, m, 28) for m in rng.sample(range(1, 13), rng.choice((1, 1, 2, 3)))
            )
            task = Task(
                plan=plan, area=area, number=str(k), order=k, content=content,
                lead_department=rng.choice(depts[u.pk]),
                expected_product=f"{rng.choice(PRODUCTS)} {content.lower()}",
                deadline_text=", ".join(d.strftime("%d/%m/%Y") for d in dues),
                search_text=search_key(content),
            )  # fmt: skip
            tasks.append(task)
            task_marks.append((rng, u.pk, dues))
    skill = {u.pk: rngs[n].choice((90, 75, 60, 45)) for n, u in by_number.items()}
    milestones, evidence_for = [], []
    for task, (rng, unit_id, dues) in zip(tasks, task_marks, strict=True):
        done = [_milestone_done(rng, d, on, skill[unit_id]) for d in dues]
        task._marks = list(zip(dues, done, strict=True))
        past = [(d, x) for d, x in task._marks if d < on]
        if len(past) == len(dues) and all(x for _d, x in past):
            task.progress_percent = 100
            task.completed_on = max(x for _d, x in past)
            late = any(x > d for d, x in past)
            task.status = TaskStatus.DONE_LATE if late else TaskStatus.DONE
        elif any(x is None for _d, x in past):
            task.progress_percent = rng.choice((0, 20, 40))
            task.status = TaskStatus.OVERDUE
        else:
            task.progress_percent = rng.choice((0, 30, 50, 70)) if past else 0
            task.status = TaskStatus.IN_PROGRESS if task.progress_percent else (
                TaskStatus.NOT_STARTED
            )  # fmt: skip
            task.next_due = next((d for d, x in task._marks if x is None), None)
    tasks = out.put(Task, tasks)
    for task in tasks:
        for k, (due, done) in enumerate(task._marks):
            milestones.append(
                Milestone(
                    task=task, order=k, kind=MilestoneKind.DUE, due=due, done_on=done,
                    label=f"Hạn {due.strftime('%d/%m/%Y')}",
                )
            )  # fmt: skip
    out.put(Milestone, milestones)
    updates = []
    for task in tasks:
        if task.progress_percent:
            author = focal[task.plan.unit_id]
            note = "Đã hoàn thành" if task.progress_percent == 100 else "Đang triển khai"
            updates.append(
                ProgressUpdate(task=task, author=author, note=note, percent=task.progress_percent)
            )
    updates = out.put(ProgressUpdate, updates)
    for up in updates:
        if up.percent == 100:
            evidence_for.append(up)
    out.put(
        Evidence,
        [
            Evidence(
                task=up.task, update=up, original_name=f"minh-chung-{up.task.number}.pdf",
                kind="pdf", size=120_000 + up.task.order * 997, sha256=f"{up.task_id:064x}",
                uploaded_by=up.author, file=f"evidence/{up.task.plan.unit_id}/{up.task_id}.pdf",
            )
            for up in evidence_for
        ],
    )  # fmt: skip
    # Targets and two measurements each (the half-year and, when passed, the year).
    targets = []
    for u in by_number.values():
        for k, (text, comparator, value, label) in enumerate(TARGETS, start=1):
            targets.append(
                Target(
                    plan=plan_of[u.pk], order=k, code=f"CT{k}", text=f"{text} đạt {value}{label}",
                    comparator=comparator, value=Decimal(value), unit_label=label,
                    monitoring_department=depts[u.pk][0],
                )
            )  # fmt: skip
    targets = out.put(Target, targets)
    measurements = []
    for t in targets:
        rng = rngs[_number_of(by_number, t.plan.unit_id)]
        for label, day in (("6 tháng", date(year, 6, 30)), ("Năm", date(year, 12, 31))):
            if day > on:
                continue
            spread = Decimal(rng.randint(-15, 10))
            value = max(Decimal(0), t.value + spread if t.value else -spread / 5)
            measurements.append(
                Measurement(
                    target=t, period_label=f"{label} {year}", measured_on=day, value=value,
                    source="Hệ thống thông tin giải quyết thủ tục hành chính",
                    entered_by=focal[t.plan.unit_id],
                )
            )  # fmt: skip
    out.put(Measurement, measurements)
    _reports(out, plans, rngs, by_number, year, on)
    _assessments(out, kit, by_number, rngs, focal, year, on)
    _inspection(out, by_number, rngs, depts, focal, year, on)
    _survey(out, kit, by_number, rngs, depts, focal, year, on)


def _number_of(by_number: dict[int, Unit], unit_id: int) -> int:
    for n, u in by_number.items():
        if u.pk == unit_id:
            return n
    raise KeyError(unit_id)


REPORT_PERIODS = [
    (ReportKind.QUARTER, 1, 1, 3),
    (ReportKind.SIX_MONTH, 1, 1, 6),
    (ReportKind.QUARTER, 3, 7, 9),
    (ReportKind.YEAR, 0, 1, 12),
]


def _reports(out, plans, rngs, by_number, year: int, on: date) -> None:
    periods = []
    for plan in plans:
        for kind, number, first_month, last_month in REPORT_PERIODS:
            end = date(year, last_month, 31 if last_month in (3, 12) else 30)
            department_due, unit_due = default_due_dates(end)
            periods.append(
                ReportingPeriod(
                    plan=plan, unit_id=plan.unit_id, kind=kind, year=year, number=number,
                    start=date(year, first_month, 1), end=end, department_due=department_due,
                    unit_due=unit_due,
                )
            )  # fmt: skip
    periods = out.put(ReportingPeriod, periods)
    numbers = {u.pk: n for n, u in by_number.items()}
    reports = []
    for period in periods:
        rng = rngs[numbers[period.unit_id]]
        if period.unit_due >= on:
            continue
        roll = rng.randrange(100)
        if roll < 12:
            continue  # missing
        late = roll < 30
        sent = period.unit_due + timedelta(days=rng.randint(2, 12) if late else -rng.randint(0, 4))
        reports.append(
            Report(
                period=period, status=ReportStatus.SENT, number=f"{rng.randint(10, 250)}/BC-UBND",
                issued_on=sent, sent_at=_at(sent), sent_late=late, figures_on=period.end,
            )
        )  # fmt: skip
    out.put(Report, reports)


def _assessments(out, kit: ProvinceKit, by_number, rngs, focal, year: int, on: date) -> None:
    criteria_set, leaves = kit.criteria_sets[year], kit.leaves[year]
    made = []
    for period in kit.periods[year]:
        due = period.submission_due
        for n, u in by_number.items():
            rng = rngs[n]
            if due < on:
                state = rng.choice(ASSESSMENT_STATES) if rng.random() < 0.95 else None
                if period.kind == PeriodKind.YEAR and due > on - timedelta(days=40):
                    state = rng.choice((AssessmentStatus.SUBMITTED, AssessmentStatus.APPROVED))
            elif due < on + timedelta(days=60):
                state = rng.choice((AssessmentStatus.DRAFT, AssessmentStatus.APPROVED, None))
            else:
                state = None
            if state is None:
                continue
            a = Assessment(period=period, unit=u, criteria_set=criteria_set, status=state)
            a._level = Decimal(rng.randint(55, 95)) / 100
            if state in LOCKED_STATUSES:
                submitted = due + timedelta(days=rng.choice((-6, -4, -2, -1, 0, 3, 6)))
                a.approved_at = _at(submitted - timedelta(days=2))
                a.submitted_at, a.submitted_by = _at(submitted), focal[u.pk]
                a.due_when_submitted = due
            if state in (AssessmentStatus.APPRAISED, AssessmentStatus.ANSWERED, "closed"):
                appraised = due + timedelta(days=rng.randint(15, 30))
                a.appraised_at = _at(appraised)
                a.answer_due = appraised + timedelta(days=period.answer_days)
            if state == AssessmentStatus.CLOSED:
                a.closed_at = _at(due + timedelta(days=rng.randint(40, 55)))
            made.append(a)
    made = out.put(Assessment, made)
    scores = []
    numbers = {u.pk: n for n, u in by_number.items()}
    for a in made:
        rng = rngs[numbers[a.unit_id]]
        appraised = a.appraised_at is not None
        total = appraised_total = Decimal(0)
        for c in leaves:
            share = min(Decimal(1), a._level + Decimal(rng.randint(-20, 20)) / 100)
            points = (c.max_points * share).quantize(Decimal("0.01"))
            s = Score(assessment=a, criterion=c, value=(share * 100).quantize(Decimal(1)))
            s.self_points = points
            total += points
            if appraised:
                s.appraised_points = points if rng.random() < 0.85 else Decimal(0)
                appraised_total += s.appraised_points
                if a.status == AssessmentStatus.CLOSED:
                    s.final_points = s.appraised_points
            scores.append(s)
        a.self_points = total
        a.points = a.index = appraised_total if appraised else total
    out.put(Score, scores)
    Assessment.objects.bulk_update(made, ["self_points", "points", "index"], batch_size=2000)


def _inspection(out, by_number, rngs, depts, focal, year: int, on: date) -> None:
    plans = out.put(
        InspectionPlan,
        [
            InspectionPlan(unit=u, title=f"Kế hoạch kiểm tra CCHC năm {year}", year=year)
            for u in by_number.values()
        ],
    )
    starts = {p.unit_id: date(year, 9, 10) for p in plans}
    rounds = out.put(
        Round,
        [
            Round(plan=p, name="Đợt 1", start=starts[p.unit_id], end=starts[p.unit_id]
                  + timedelta(days=9))
            for p in plans
        ],
    )  # fmt: skip
    numbers = {u.pk: n for n, u in by_number.items()}
    findings = []
    for r, p in zip(rounds, plans, strict=True):
        if r.start > on:
            continue
        rng = rngs[numbers[p.unit_id]]
        for _ in range(rng.randint(0, 4)):
            department = rng.choice(depts[p.unit_id])
            findings.append(
                Finding(
                    round=r, department=department, responsible_department=department,
                    description=rng.choice(FINDINGS), severity=rng.choice(list(Severity)),
                    deadline=r.end + timedelta(days=rng.choice((20, 45, 90))),
                    status=rng.choice(list(FindingStatus)), created_by=focal[p.unit_id],
                )
            )  # fmt: skip
    out.put(Finding, findings)


def _survey(out, kit: ProvinceKit, by_number, rngs, depts, focal, year: int, on: date) -> None:
    start = date(year, 3, 1)
    if start > on:
        return
    campaigns = out.put(
        Campaign,
        [
            Campaign(
                unit=u, department=depts[u.pk][3], questionnaire=kit.questionnaire,
                title=f"Khảo sát sự hài lòng năm {year}", procedure_field=ProcedureField.OTHER,
                starts_on=start, ends_on=date(year, 11, 30), created_by=focal[u.pk],
            )
            for u in by_number.values()
        ],
    )  # fmt: skip
    numbers = {u.pk: n for n, u in by_number.items()}
    responses, ratings = [], []
    for c in campaigns:
        rng = rngs[numbers[c.unit_id]]
        for _ in range(rng.randint(10, 20)):
            day = start + timedelta(days=rng.randint(0, min(270, (on - start).days)))
            marks = [rng.choice((3, 4, 4, 5, 5, 5)) for _q in kit.questions]
            response = Response(
                campaign=c, submitted_at=_at(day, 10), submitted_on=day,
                procedure_field=rng.choice(list(ProcedureField)).value,
                source=rng.choice(list(ResponseSource)).value, rating_count=len(marks),
                rating_sum=sum(marks), satisfied_count=sum(m >= 4 for m in marks),
            )  # fmt: skip
            responses.append(response)
            ratings.append(marks)
    responses = out.put(Response, responses)
    out.put(
        Answer,
        [
            Answer(
                response=r, campaign_id=r.campaign_id, submitted_on=r.submitted_on,
                procedure_field=r.procedure_field, question=q, rating=mark,
            )
            for r, marks in zip(responses, ratings, strict=True)
            for q, mark in zip(kit.questions, marks, strict=True)
        ],
    )  # fmt: skip


def generate(
    *,
    provinces: int,
    communes: int | None,
    years: int,
    seed: int = 1,
    say: Callable[[str], None] = lambda _text: None,
) -> Progress:
    """Fill the database: `provinces` provinces, `communes` communes in all (spread evenly; the
    country's share when None), `years` years up to this one. Communes already there are
    skipped, so an interrupted run continues."""
    on = clock.today()
    year_list = list(range(on.year - years + 1, on.year + 1))
    progress = Progress()
    for pnum in range(1, provinces + 1):
        count = communes_in(pnum, provinces, communes)
        kit = province_kit(pnum, year_list)
        names = commune_names(pnum, count, seed)
        codes = [commune_code(pnum, n) for n in range(1, count + 1)]
        have = set(Unit.objects.filter(code__in=codes).values_list("code", flat=True))
        todo = [n for n in range(1, count + 1) if commune_code(pnum, n) not in have]
        progress.communes_skipped += count - len(todo)
        for start in range(0, len(todo), BATCH):
            chunk = todo[start : start + BATCH]
            with transaction.atomic():
                progress.rows += _batch(kit, chunk, names, pnum, year_list, seed, on)
            progress.communes_added += len(chunk)
        say(f"{kit.unit.full_name}: {len(todo)} communes added, {count - len(todo)} were there.")
    return progress
