"""Demo plans built from the seeds, with progress relative to today so the dashboard is true.

- Thành Đông: seed 001, the 2026 plan with its 33-task appendix and its six targets, in progress;
  tasks due before today are mostly done (some late), a few are overdue, later ones under way.
- Thái Tân: seed 002, the plan for the last six months of 2025 with its targets and the tasks
  written as prose, closed. Its prose gives no lead per task, so each area's lead is the one
  its section IV.2 names ("Phân công trách nhiệm").
"""

from __future__ import annotations

from datetime import timedelta
from decimal import Decimal

from django.db import transaction

from core import clock
from ingest.plan_text import parse_plan_text
from org.demo import SAMPLE_PDF, seed_text
from org.models import Unit, User
from org.services import DepartmentMatcher
from plans import services
from plans.drafts import save_draft
from plans.models import MilestoneKind, Plan, PlanStatus, TaskStatus


def _thanh_dong() -> None:
    unit = Unit.objects.get(code="31-THANHDONG")
    draft = parse_plan_text(seed_text("001"))
    matcher = DepartmentMatcher(unit)
    culture = matcher.match("Phòng Văn hóa - Xã hội")
    # "Các phòng chuyên môn, đơn vị" lead V.2 and V.3 together; the culture-society division
    # consolidates, so it leads them here and the written lead stays among the coordinators.
    outcome = save_draft(unit, draft, status=PlanStatus.IN_PROGRESS, area_leads={"V": culture})
    plan = outcome.plan
    leader = User.objects.get(username="thanhdong.chutich")
    plan.approved_by = leader
    plan.save()
    _progress(plan)
    _measure(plan)


def _author_for(task, people: dict[str, User]) -> User:
    for person in people.values():
        if person.department_id == task.lead_department_id:
            return person
    return people["thanhdong.daumoi"]


def _progress(plan: Plan) -> None:
    """Deterministic progress relative to today: most past milestones met, some late or missed."""
    today = clock.today()
    people = {u.username: u for u in User.objects.filter(unit=plan.unit)}
    officer = people["thanhdong.congchuc"]
    for index, task in enumerate(plan.tasks.prefetch_related("milestones").order_by("id")):
        milestones = list(task.milestones.all())
        author = _author_for(task, people)
        if index % 4 == 0:
            task.assignees.add(officer)
        past = [m for m in milestones if m.due and m.due < today]
        future = [m for m in milestones if m.due and m.due >= today]
        if past and index % 7 != 3:
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
    if trigger is not None:  # one awaited instruction has arrived and set a date
        services.set_trigger_date(trigger.milestones.first(), today + timedelta(days=5))
    services.refresh_all_statuses(plans=Plan.objects.filter(pk=plan.pk))


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


@transaction.atomic
def load() -> None:
    if Plan.objects.filter(unit__code__in=["31-THANHDONG", "31-THAITAN"]).exists():
        return  # already loaded; the demo never duplicates plans
    _thanh_dong()
    _thai_tan()
