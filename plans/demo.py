"""Demo plans built from the seeds, with progress relative to today so the dashboard is true.

- Thành Đông: seed 001, the 2026 plan with its 33-task appendix and its six targets, in progress;
  tasks due before today are mostly done (some late), a few are overdue, later ones under way.
- Thái Tân: seed 002, the plan for the last six months of 2025 with its targets and the tasks
  written as prose, closed. Its prose gives no lead per task, so each area's lead is the one
  its section IV.2 names ("Phân công trách nhiệm").
- Thái Tân, Đông Quang and Thành Sen, 2026: their own seeds are no plan of the year (a plan of
  the last six months of 2025, a PAR-index duty plan, an inspection plan), so each issued seed
  001's plan as its own, its names in place of Thành Đông's, with progress made the same way
  but other tasks missed (Thái Tân has less overdue work than Thành Đông, Đông Quang more).

Everyone at a commune has work of their own under "My tasks": officers are assigned every fourth
task, the leadership two open tasks and the CCHC focal officer three of their division's.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, replace
from datetime import date, timedelta
from decimal import Decimal

from django.db import transaction

from core import clock
from ingest.plan_text import parse_plan_text
from org.demo import SAMPLE_PDF, seed_text
from org.models import Department, Unit, UnitKind, User
from org.services import DepartmentMatcher
from plans import services
from plans.drafts import save_draft
from plans.models import MilestoneKind, Plan, PlanStatus, TaskStatus


def _thanh_dong() -> None:
    unit = Unit.objects.get(code="31-THANHDONG")
    draft = parse_plan_text(seed_text("001"))
    matcher = DepartmentMatcher(unit)
    culture = matcher.match("Phòng Văn hóa - Xã hội")
    # "Các phòng chuyên môn, đơn vị" lead V.2 and V.3: every department carries out its own part
    # and the culture-society division consolidates.
    outcome = save_draft(unit, draft, status=PlanStatus.IN_PROGRESS, area_leads={"V": culture})
    plan = outcome.plan
    leader = User.objects.get(username="thanhdong.chutich")
    plan.approved_by = leader
    plan.save()
    focal = User.objects.get(username="thanhdong.daumoi")
    _progress(plan, focal, User.objects.get(username="thanhdong.congchuc"))
    _share_out(plan, leader, focal)
    _measure(plan)


def _author_for(task, people: list[User], focal: User) -> User:
    for person in people:
        if person.department_id == task.lead_department_id:
            return person
    return focal


def _progress(plan: Plan, focal: User, officer: User | None, missed: int = 3) -> None:
    """Deterministic progress relative to today: most past milestones met, some late, those of
    every seventh task (from number `missed`) missed; `officer` is assigned every fourth task."""
    today = clock.today()
    people = list(User.objects.filter(unit=plan.unit))
    for index, task in enumerate(plan.tasks.prefetch_related("milestones").order_by("id")):
        milestones = list(task.milestones.all())
        author = _author_for(task, people, focal)
        if index % 4 == 0 and officer is not None:
            task.assignees.add(officer)
        if task.all_departments:
            _part_progress(task, people, focal, today)
            continue
        past = [m for m in milestones if m.due and m.due < today]
        future = [m for m in milestones if m.due and m.due >= today]
        if past and index % 7 != missed:
            for m in past:
                late = index % 5 == 2
                files = []
                if index % 3 == 0:
                    files = [services.UploadedFile(f"san-pham-nhiem-vu-{task.number}.pdf", _pdf())]
                percent = 100 if not future else min(90, 40 + 10 * len(past))
                services.add_progress(
                    task,
                    author,
                    services.ProgressData(
                        note=f"Đã thực hiện: {m.label or task.deadline_text}",
                        percent=percent,
                        files=files,
                        milestone=m,
                    ),
                    on=m.due + timedelta(days=4 if late else -3),
                )
        elif any(m.kind == MilestoneKind.CONTINUOUS for m in milestones):
            services.add_progress(
                task,
                author,
                services.ProgressData(
                    note="Đang triển khai thường xuyên theo kế hoạch", percent=60
                ),
            )
        elif future and index % 2 == 0:
            services.add_progress(
                task,
                author,
                services.ProgressData(note="Đang xây dựng dự thảo", percent=30),
            )
    trigger = (
        plan.tasks.filter(status=TaskStatus.WAITING, milestones__kind=MilestoneKind.TRIGGER)
        .order_by("id")
        .first()
    )
    if trigger is not None:  # one awaited instruction has arrived and set a date this week
        friday = today + timedelta(days=max(0, 4 - today.weekday()))
        services.set_trigger_date(trigger.milestones.first(), friday)
    services.refresh_all_statuses(plans=Plan.objects.filter(pk=plan.pk))


def _part_progress(task, people: list[User], focal: User, today) -> None:
    """A task every department carries out: a third of the parts done, a third under way, the
    rest not started yet."""
    for index, part in enumerate(task.parts.select_related("department").order_by("pk")):
        author = next((p for p in people if p.department_id == part.department_id), focal)
        if index % 3 == 0:
            services.add_part_progress(
                part,
                author,
                services.ProgressData(
                    note=f"{part.department.name} đã hoàn thành phần việc của mình", percent=100
                ),
                on=today - timedelta(days=5 + index),
            )
        elif index % 3 == 1:
            services.add_part_progress(
                part,
                author,
                services.ProgressData(note="Đang triển khai tại đơn vị", percent=50),
            )


def _share_out(plan: Plan, leader: User, focal: User) -> None:
    """The leadership takes the plan's first two open tasks, the focal officer three open tasks
    her division leads (or any, when it leads none)."""
    open_tasks = plan.tasks.exclude(status__in=[TaskStatus.DONE, TaskStatus.DONE_LATE])
    open_tasks = open_tasks.order_by("order", "id")
    for task in open_tasks[:2]:
        task.assignees.add(leader)
    theirs = open_tasks.filter(lead_department_id=focal.department_id)
    for task in (theirs if theirs.exists() else open_tasks)[:3]:
        task.assignees.add(focal)


def _pdf():
    import io

    return io.BytesIO(SAMPLE_PDF)


def _measure(plan: Plan) -> None:
    focal = User.objects.get(username="thanhdong.daumoi")
    for target in plan.targets.all():
        text = target.text.lower()
        if "hài lòng" in text:
            for period, value in (
                ("Quý I/2026", "88.6"),
                ("Quý II/2026", "91.3"),
                ("Quý III/2026", "93.1"),
            ):
                services.record_measurement(
                    target,
                    value=Decimal(value),
                    period_label=period,
                    source="Khảo sát tại Trung tâm Phục vụ hành chính công",
                    by=focal,
                )
        elif "trạng thái xử lý" in text:
            services.record_measurement(
                target,
                value=Decimal("98.7"),
                period_label="Quý III/2026",
                source="Hệ thống thông tin giải quyết TTHC của thành phố",
                by=focal,
            )


def _thai_tan() -> None:
    unit = Unit.objects.get(code="31-THAITAN")
    draft = parse_plan_text(seed_text("002"))
    matcher = DepartmentMatcher(unit)
    culture = matcher.match("Phòng Văn hóa - Xã hội")
    office = matcher.match("Văn phòng HĐND và UBND xã")
    economy = matcher.match("Phòng Kinh tế")
    centre = matcher.match("Trung tâm phục vụ hành chính công")
    leads = {
        "1": culture,
        "2": office,
        "3": centre,
        "4": culture,
        "5": culture,
        "6": economy,
        "7": culture,
        "8": culture,
    }
    outcome = save_draft(unit, draft, status=PlanStatus.CLOSED, area_leads=leads)
    focal = User.objects.get(username="thaitan.daumoi")
    for target in outcome.plan.targets.all():
        if "hài lòng" in target.text.lower():
            services.record_measurement(
                target,
                value=Decimal("96.2"),
                period_label="6 tháng cuối năm 2025",
                source="Phiếu khảo sát tại Bộ phận Hành chính công",
                by=focal,
            )


@dataclass(frozen=True)
class IssuedAgain:
    """A commune issuing seed 001's plan as its own, and who works on it."""

    code: str
    number: str
    issued_on: date
    focal: str
    leader: str
    missed: int  # which of every seven tasks misses its past deadlines (plans differ)
    officer: str | None = None


ISSUED_AGAIN = [
    IssuedAgain(
        "31-THAITAN", "09/KH-UBND", date(2026, 1, 16), "thaitan.daumoi", "thaitan.phochutich", 5
    ),
    IssuedAgain(
        "38-DONGQUANG",
        "12/KH-UBND",
        date(2026, 1, 20),
        "dongquang.daumoi",
        "dongquang.phochutich",
        1,
    ),
    # Seed 003 (Thành Sen's inspection plan) names this plan: "146/KH-UBND ngày 15/01/2026".
    IssuedAgain(
        "42-THANHSEN",
        "146/KH-UBND",
        date(2026, 1, 15),
        "thanhsen.daumoi",
        "thanhsen.phochutich",
        2,
        "thanhsen.congchuc",
    ),
]

# Who leads each area of seed 001 where the written lead is not one department of the commune
# ("Các phòng chuyên môn, đơn vị", or a centre it does not have): short names, the first found.
SEED_001_LEADS = {
    "I": ["VHXH"],
    "II": ["VP HĐND-UBND"],
    "III": ["TTPVHCC"],
    "IV": ["VHXH"],
    "V": ["VHXH"],
    "VI": ["KT-HT-ĐT", "KT"],
    "VII": ["VHXH"],
}


def _seed_001_for(unit: Unit) -> str:
    """Seed 001's text as `unit` would have written it: its name, its kind, its province."""
    text = (
        seed_text("001").replace("Thành Đông", unit.name).replace("THÀNH ĐÔNG", unit.name.upper())
    )
    if unit.kind == UnitKind.COMMUNE:
        for ward, commune in (("phường", "xã"), ("Phường", "Xã"), ("PHƯỜNG", "XÃ")):
            text = text.replace(ward, commune)
    province = unit.province
    if province is not None and province.name != "Hải Phòng":
        text = re.sub(r"thành phố\s+Hải\s+Phòng", f"tỉnh {province.name}", text)
        text = re.sub(r"(?i)thành phố", "tỉnh", text)
    return text


def _issue_seed_001(again: IssuedAgain) -> None:
    unit = Unit.objects.get(code=again.code)
    if Plan.objects.filter(unit=unit, period_start__year=2026).exists():
        return
    leader = User.objects.get(username=again.leader)
    focal = User.objects.get(username=again.focal)
    draft = parse_plan_text(_seed_001_for(unit))
    draft = replace(
        draft,
        facts=replace(
            draft.facts,
            kind="plan",
            number=again.number,
            number_suffix="KH-UBND",
            issued_on=again.issued_on,
            signer=leader.full_name,
            signing_capacity=["KT. CHỦ TỊCH", "PHÓ CHỦ TỊCH"],
        ),
    )
    departments = {d.short_name: d for d in Department.objects.filter(unit=unit)}
    leads = {
        area: next(departments[name] for name in names if name in departments)
        for area, names in SEED_001_LEADS.items()
    }
    outcome = save_draft(unit, draft, status=PlanStatus.IN_PROGRESS, area_leads=leads)
    plan = outcome.plan
    plan.approved_by = leader
    plan.save()
    officer = User.objects.get(username=again.officer) if again.officer else None
    _progress(plan, focal, officer, again.missed)
    _share_out(plan, leader, focal)


@transaction.atomic
def load() -> None:
    # Each part is loaded once: the demo never duplicates plans.
    if not Plan.objects.filter(unit__code="31-THANHDONG").exists():
        _thanh_dong()
    if not Plan.objects.filter(unit__code="31-THAITAN", period_end__year=2025).exists():
        _thai_tan()
    for again in ISSUED_AGAIN:
        _issue_seed_001(again)
