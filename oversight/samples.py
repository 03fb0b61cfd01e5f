"""Generated sample communes for a province, so that its oversight board shows a spread.

`manage.py add_sample_communes --province 31 --count 20 [--seed 7]` adds communes marked
"(đơn vị mẫu)" with codes `<province>-DVM-001…`, each with four departments and a focal officer
(no password), the year's plan (the tasks of seed 001's appendix, or of a plan of the year already
in the province), progress relative to today (done, done late, overdue, under way), reports sent
on time, late or not at all, a self-assessment of the six-month period in every state when the
province has a framework of the year, a few inspection findings, and answers to the province's
requests of the year (on time, late or missing). Everything depends on the
seed only; codes that exist are left alone, so running it again adds nothing.
"""

from __future__ import annotations

import random
from dataclasses import dataclass
from datetime import date, datetime, timedelta
from datetime import time as day_time
from decimal import Decimal

from django.db import transaction
from django.utils import timezone

from core import clock
from core.text import normalize_name, search_key
from ingest.plan_text import parse_plan_text
from inspections.models import Finding, FindingStatus, InspectionPlan, Round
from org.access import holders_of
from org.demo import seed_text
from org.models import Department, Role, Unit, UnitKind, UnitLevel, User
from org.services import DepartmentMatcher, create_person
from plans.drafts import save_draft
from plans.models import (
    Milestone,
    Plan,
    PlanStatus,
    ProgressUpdate,
    ReformArea,
    Task,
)
from plans.services import MilestoneFacts, compute_status
from province_requests.models import ProvinceRequest, Recipient, RecipientStatus, RequestKind
from province_requests.services import RequestData, send_request
from reports.models import Report, ReportStatus
from reports.services import ensure_periods
from scoring.models import (
    Assessment,
    AssessmentStatus,
    Framework,
    Method,
    PeriodKind,
    Score,
    Source,
)
from scoring.services import points_for
from scoring.services.results import recompute

MARK = "(đơn vị mẫu)"
NAMES = [
    "An Bình", "An Lạc", "Bình Minh", "Đông Hải", "Hòa Bình", "Hưng Đạo", "Hồng Phong",
    "Lê Lợi", "Minh Khai", "Nam Sơn", "Ngọc Sơn", "Phú Lương", "Quang Trung", "Tân Tiến",
    "Thành Công", "Thống Nhất", "Tiên Lãng", "Trần Phú", "Vĩnh Bảo", "Yên Hòa",
]  # fmt: skip
DEPARTMENTS = [
    ("Văn phòng HĐND và UBND", "VP HĐND-UBND"),
    ("Phòng Văn hóa - Xã hội", "VHXH"),
    ("Phòng Kinh tế, Hạ tầng và Đô thị", "KT-HT-ĐT"),
    ("Trung tâm Phục vụ hành chính công", "TTPVHCC"),
]
FOCAL_NAMES = ["Nguyễn Thị Hoa", "Trần Văn Minh", "Lê Thị Ngọc", "Phạm Văn Toàn", "Vũ Thị Hằng"]
FINDINGS = [
    "Chưa niêm yết đầy đủ thủ tục hành chính tại Trung tâm Phục vụ hành chính công",
    "Hồ sơ giải quyết quá hạn chưa có văn bản xin lỗi người dân",
    "Chưa cập nhật kịp thời văn bản chỉ đạo, điều hành lên Cổng thông tin điện tử",
    "Chưa ban hành kế hoạch đào tạo, bồi dưỡng công chức năm",
]
# How a commune does: the share of past milestones met on time, met late; the rest are missed.
PROFILES = [(90, 8), (75, 15), (60, 20), (45, 25)]
STATES = [
    AssessmentStatus.CLOSED,
    AssessmentStatus.APPRAISED,
    AssessmentStatus.ANSWERED,
    AssessmentStatus.SUBMITTED,
    AssessmentStatus.APPROVED,
    AssessmentStatus.DRAFT,
    None,  # not started
]


def _at(day: date) -> datetime:
    return timezone.make_aware(datetime.combine(day, day_time(9, 0)))


def sample_code(province: Unit, number: int) -> str:
    return f"{province.code}-DVM-{number:03d}"


@dataclass
class Added:
    units: list[Unit]
    skipped: int  # codes that were there already


def _name(number: int, rng: random.Random) -> str:
    base = NAMES[(number - 1) % len(NAMES)]
    round_ = (number - 1) // len(NAMES)
    kind = "Phường" if rng.random() < 0.5 else "Xã"
    return f"{kind} {base}{f' {round_ + 1}' if round_ else ''} {MARK}"


def _units(province: Unit, numbers: list[int], rng: random.Random) -> list[Unit]:
    units = []
    for number in numbers:
        name = _name(number, rng)
        kind = UnitKind.WARD if name.startswith("Phường") else UnitKind.COMMUNE
        code = sample_code(province, number)
        unit = Unit(code=code, name=name.split(" ", 1)[1], kind=kind, parent=province)
        unit.province = province
        unit.level = UnitLevel.COMMUNE
        unit.search_text = search_key(unit.name, code, str(kind.label))
        units.append(unit)
    return Unit.objects.bulk_create(units)


def _staff(units: list[Unit], rng: random.Random) -> dict[int, User]:
    Department.objects.bulk_create(
        Department(
            unit=u,
            name=name,
            short_name=short,
            name_key=normalize_name(name),
            search_text=search_key(name, short),
        )
        for u in units
        for name, short in DEPARTMENTS
    )
    culture = {
        d.unit_id: d
        for d in Department.objects.filter(unit__in=units, short_name="VHXH").order_by("unit_id")
    }
    people = {}
    for u in units:
        person, _password = create_person(
            u,
            username=f"{u.code.lower()}.daumoi",
            full_name=rng.choice(FOCAL_NAMES),
            role=Role.FOCAL,
            position="Công chức đầu mối CCHC",
            department=culture[u.pk],
        )
        person.set_unusable_password()  # nobody signs in as a sample commune's officer
        person.save(update_fields=["password"])
        people[u.pk] = person
    return people


def _template(first: Unit, year: int) -> Plan:
    """The plan the others copy: one of the year in the province that is not a sample's, or the
    first sample commune's own, read from seed 001 through the plan services."""
    existing = (
        Plan.objects.filter(
            unit__province_id=first.province_id, period_start__year=year, period_end__year=year
        )
        .exclude(unit__code__contains="-DVM-")
        .order_by("id")
        .first()
    )
    if existing is not None:
        return existing
    draft = parse_plan_text(seed_text("001"))
    culture = DepartmentMatcher(first).match("Phòng Văn hóa - Xã hội")
    outcome = save_draft(first, draft, status=PlanStatus.IN_PROGRESS, area_leads={"V": culture})
    return outcome.plan


def _copy_plans(template: Plan, units: list[Unit], rng: random.Random) -> list[Plan]:
    """A copy of `template` for each commune (its own plan when it is one of them), bulk."""
    plans = {p.unit_id: p for p in Plan.objects.filter(unit__in=units)}
    todo = [u for u in units if u.pk not in plans]
    if not todo:
        return list(plans.values())
    departments = {(d.unit_id, d.short_name): d for d in Department.objects.filter(unit__in=todo)}
    short_of = dict(
        Department.objects.filter(unit_id=template.unit_id).values_list("pk", "short_name")
    )
    new_plans = Plan.objects.bulk_create(
        Plan(
            unit=u,
            kind=template.kind,
            title=f"Kế hoạch cải cách hành chính năm {template.period_start.year}",
            number=f"{rng.randint(5, 120)}/KH-UBND",
            issued_on=template.issued_on,
            signer=template.signer,
            signer_capacity=template.signer_capacity,
            period_start=template.period_start,
            period_end=template.period_end,
            implements=template.implements,
            status=PlanStatus.IN_PROGRESS,
            search_text=template.search_text,
        )
        for u in todo
    )
    areas = list(template.areas.order_by("order"))
    new_areas = ReformArea.objects.bulk_create(
        ReformArea(plan=p, order=a.order, code=a.code, name=a.name)
        for p in new_plans
        for a in areas
    )
    area_of = {(a.plan_id, a.code): a for a in new_areas}
    code_of = {a.pk: a.code for a in areas}
    tasks = list(template.tasks.prefetch_related("milestones").order_by("order", "id"))

    def lead(plan: Plan, task: Task):
        short = short_of.get(task.lead_department_id) or "VHXH"
        return departments.get((plan.unit_id, short)) or departments[(plan.unit_id, "VHXH")]

    new_tasks = Task.objects.bulk_create(
        Task(
            plan=p,
            area=area_of.get((p.pk, code_of.get(t.area_id))),
            number=t.number,
            order=t.order,
            content=t.content,
            lead_department=lead(p, t),
            other_coordinators=t.other_coordinators,
            expected_product=t.expected_product,
            deadline_text=t.deadline_text,
            search_text=t.search_text,
        )
        for p in new_plans
        for t in tasks
    )
    Milestone.objects.bulk_create(
        Milestone(
            task=new,
            order=m.order,
            kind=m.kind,
            label=m.label,
            start=m.start,
            due=m.due,
            period=m.period,
        )
        for new, old in zip(new_tasks, tasks * len(new_plans), strict=True)
        for m in old.milestones.all()
    )
    return [*plans.values(), *new_plans]


def _progress(plans: list[Plan], people: dict[int, User], rng: random.Random, on: date) -> None:
    """Past milestones met on time, late or missed as the commune's profile has it; tasks done,
    done late, overdue, under way. Statuses derived as the plan services derive them."""
    updates: list[ProgressUpdate] = []
    tasks: list[Task] = []
    milestones: list[Milestone] = []
    for plan in plans:
        on_time, late = rng.choice(PROFILES)
        for task in plan.tasks.prefetch_related("milestones"):
            marks = list(task.milestones.all())
            for m in marks:
                if m.due is None or m.due >= on:
                    continue
                roll = rng.randrange(100)
                if roll < on_time:
                    m.done_on = m.due - timedelta(days=rng.randint(0, 6))
                elif roll < on_time + late:
                    m.done_on = min(on, m.due + timedelta(days=rng.randint(2, 20)))
                milestones.append(m)
            dated = [m for m in marks if m.due]
            past = [m for m in dated if m.due < on]
            if dated and len(past) == len(dated) and all(m.done_on for m in past):
                task.progress_percent = 100
                task.completed_on = max(m.done_on for m in past)
            elif any(m.done_on for m in past) or (not dated and rng.random() < 0.7):
                task.progress_percent = rng.choice((30, 50, 60, 80))
            facts = [MilestoneFacts(m.kind, m.due, m.done_on) for m in marks]
            has_updates = task.progress_percent > 0
            task.status, task.next_due = compute_status(
                facts, task.progress_percent, task.completed_on, has_updates, on
            )
            tasks.append(task)
            if has_updates:
                note = "Đã hoàn thành" if task.progress_percent == 100 else "Đang triển khai"
                updates.append(
                    ProgressUpdate(
                        task=task, author=people[plan.unit_id], note=note,
                        percent=task.progress_percent,
                    )
                )  # fmt: skip
    Milestone.objects.bulk_update(milestones, ["done_on"], batch_size=1000)
    Task.objects.bulk_update(
        tasks, ["progress_percent", "completed_on", "status", "next_due"], batch_size=1000
    )
    ProgressUpdate.objects.bulk_create(updates, batch_size=1000)
    Plan.objects.filter(pk__in=[p.pk for p in plans]).update(statuses_on=on)


def _reports(plans: list[Plan], rng: random.Random, on: date) -> None:
    """Each report due by today: sent on time (most), late, or missing."""
    reports = []
    for plan in plans:
        for period in ensure_periods(plan):
            if period.unit_due >= on:
                continue
            roll = rng.randrange(100)
            if roll < 15:
                continue  # missing
            late = roll < 35
            sent = period.unit_due + timedelta(
                days=rng.randint(2, 12) if late else -rng.randint(0, 4)
            )
            reports.append(
                Report(
                    period=period,
                    status=ReportStatus.SENT,
                    number=f"{rng.randint(10, 250)}/BC-UBND",
                    issued_on=sent,
                    sent_at=_at(sent),
                    sent_late=late,
                )
            )
    Report.objects.bulk_create(reports)


def _value(criterion, share: Decimal) -> Decimal:
    if criterion.method == Method.YES_NO:
        return Decimal(1 if share >= Decimal("0.7") else 0)
    if criterion.method == Method.TIERS:
        return (share * 100).quantize(Decimal(1))
    if criterion.method == Method.DEDUCTION:
        return Decimal(0 if share >= Decimal("0.7") else 1)
    return (criterion.max_points * share).quantize(Decimal("0.01"))


def _assessments(
    framework: Framework, units: list[Unit], people: dict[int, User], rng: random.Random
) -> None:
    """The six-month period's self-assessment in every state (one commune in seven has not
    started), with plausible scores and totals computed as the services compute them."""
    period = framework.periods.filter(kind=PeriodKind.SIX_MONTH).first()
    criteria_set = framework.sets.first()
    if period is None or criteria_set is None or period.is_closed:
        return
    leaves = list(criteria_set.criteria.filter(is_leaf=True))
    due = period.submission_due
    made = []
    for n, unit in enumerate(units):
        state = STATES[(n + rng.randrange(len(STATES))) % len(STATES)]
        if state is None:
            continue
        focal = people[unit.pk]
        assessment = Assessment(period=period, unit=unit, criteria_set=criteria_set, status=state)
        if state != AssessmentStatus.DRAFT:
            assessment.approved_at = _at(due - timedelta(days=rng.randint(3, 8)))
        if state not in (AssessmentStatus.DRAFT, AssessmentStatus.APPROVED):
            submitted = due + timedelta(days=rng.choice((-6, -4, -2, -1, 0, 3, 6)))
            assessment.submitted_at = _at(submitted)
            assessment.submitted_by = focal
            assessment.due_when_submitted = due
            assessment.approved_at = min(assessment.approved_at, _at(submitted))
        if state in (
            AssessmentStatus.APPRAISED,
            AssessmentStatus.ANSWERED,
            AssessmentStatus.CLOSED,
        ):
            appraised = due + timedelta(days=rng.randint(15, 30))
            assessment.appraised_at = _at(appraised)
            assessment.answer_due = appraised + timedelta(days=period.answer_days)
        if state == AssessmentStatus.CLOSED:
            assessment.closed_at = _at(due + timedelta(days=rng.randint(40, 55)))
        made.append(assessment)
    made = Assessment.objects.bulk_create(made)
    scores = []
    for assessment in made:
        level = Decimal(rng.randint(55, 95)) / 100
        scored = assessment.status != AssessmentStatus.DRAFT
        appraised = assessment.appraised_at is not None
        for criterion in leaves:
            score = Score(assessment=assessment, criterion=criterion)
            share = min(Decimal(1), level + Decimal(rng.randint(-20, 20)) / 100)
            if criterion.source != Source.SURVEY and (scored or rng.random() < 0.5):
                score.value = _value(criterion, share)
                score.self_points = points_for(criterion, score.value, framework)
            if appraised:
                if criterion.source == Source.SURVEY:
                    score.appraised_points = (criterion.max_points * share).quantize(
                        Decimal("0.01")
                    )
                else:
                    score.appraised_points = score.self_points or Decimal(0)
                if assessment.status == AssessmentStatus.CLOSED:
                    score.final_points = score.appraised_points
            scores.append(score)
    Score.objects.bulk_create(scores, batch_size=1000)
    for assessment in made:
        recompute(assessment)


def _findings(units: list[Unit], appraiser: User | None, rng: random.Random, on: date) -> None:
    year = on.year
    plans = InspectionPlan.objects.bulk_create(
        InspectionPlan(unit=u, title=f"Kế hoạch kiểm tra CCHC năm {year}", year=year) for u in units
    )
    start = min(on - timedelta(days=60), date(year, 7, 1))
    rounds = Round.objects.bulk_create(
        Round(plan=p, name="Đợt 1", start=start, end=start + timedelta(days=9)) for p in plans
    )
    departments: dict[int, list[Department]] = {}
    for d in Department.objects.filter(unit__in=units).order_by("pk"):
        departments.setdefault(d.unit_id, []).append(d)
    findings = []
    for r, unit in zip(rounds, units, strict=True):
        for _ in range(rng.randint(0, 3)):
            department = rng.choice(departments[unit.pk])
            findings.append(
                Finding(
                    round=r,
                    department=department,
                    responsible_department=department,
                    description=rng.choice(FINDINGS),
                    deadline=r.end + timedelta(days=rng.choice((20, 45, 90, 150))),
                    status=rng.choice(list(FindingStatus)),
                    created_by=appraiser,
                )
            )
    Finding.objects.bulk_create(findings)


def _requests(
    province: Unit, units: list[Unit], people: dict[int, User], rng: random.Random, on: date
) -> None:
    """Each open request of the province this year reaches the new communes too, answered on
    time, late or not at all; a province that asked nothing yet asks for its third quarter's
    report, due a month ago."""
    requests = list(
        ProvinceRequest.objects.filter(unit=province, cancelled_at__isnull=True, due__year=on.year)
    )
    sender = next(iter(holders_of(Role.APPRAISER, province)), None)
    if not requests and sender is not None and on.month > 1:
        due = max(date(on.year, 1, 10), on - timedelta(days=30))
        with clock.as_of(due - timedelta(days=14)):
            requests.append(
                send_request(
                    province,
                    RequestData(
                        kind=RequestKind.REPORT,
                        title="Báo cáo kết quả thực hiện công tác cải cách hành chính "
                        f"quý III/{on.year}",
                        due=due,
                        period=f"Quý III/{on.year}",
                    ),
                    communes=units[:1],
                    by=sender,
                )
            )
    copies = []
    for request in requests:
        have = set(request.recipients.values_list("unit_id", flat=True))
        for unit in units:
            if unit.pk in have:
                continue
            copy = Recipient(request=request, unit=unit)
            roll, past = rng.random(), request.due < on
            if (past and roll < 0.8) or (not past and roll < 0.4):
                late = past and roll >= 0.6
                offset = timedelta(days=rng.randint(1, 6) if late else -rng.randint(0, 5))
                copy.status = RecipientStatus.ANSWERED
                copy.answered_at = copy.seen_at = _at(min(request.due + offset, on))
                copy.answered_by = people.get(unit.pk)
                copy.due_when_answered = request.due
                copy.link = f"https://{unit.code.lower()}.example.gov.vn/van-ban/{request.pk}"
            copies.append(copy)
    Recipient.objects.bulk_create(copies)


@transaction.atomic
def add_sample_communes(province: Unit, count: int, seed: int = 1) -> Added:
    """`count` sample communes for `province` (codes 001…count): those already there are left
    alone, the others are created with a year of plausible work as of today."""
    on = clock.today()
    rng = random.Random(f"{province.code}:{seed}")
    numbers = list(range(1, count + 1))
    have = set(
        Unit.objects.filter(code__in=[sample_code(province, n) for n in numbers]).values_list(
            "code", flat=True
        )
    )
    todo = [n for n in numbers if sample_code(province, n) not in have]
    if not todo:
        return Added([], len(have))
    units = _units(province, todo, rng)
    people = _staff(units, rng)
    template = _template(units[0], on.year)
    plans = _copy_plans(template, units, rng)
    _progress([p for p in plans if p.unit_id in people], people, rng, on)
    _reports(plans, rng, on)
    framework = Framework.objects.filter(province=province, year=on.year).first()
    if framework is not None:
        _assessments(framework, units, people, rng)
    appraiser = next(iter(holders_of(Role.APPRAISER, province)), None) or people[units[0].pk]
    _findings(units, appraiser, rng, on)
    _requests(province, units, people, rng, on)
    return Added(units, len(have))
