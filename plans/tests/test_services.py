"""Plan rules without HTTP: derived status, validation, progress with files, targets, roll-over."""

from __future__ import annotations

import io
from datetime import date
from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError

from ingest.targets import Attainment
from org.models import Role
from org.tests.factories import DepartmentFactory, UnitFactory, person_with_role
from plans import services
from plans.models import Evidence, MilestoneKind, ProgressUpdate, TaskStatus
from plans.services import MilestoneFacts as M
from plans.services import ProgressData, TaskData, UploadedFile, compute_status
from plans.tests.factories import PlanFactory

D = date
TODAY = D(2026, 5, 10)


@pytest.mark.parametrize(
    ("milestones", "percent", "completed", "updates", "expected"),
    [
        ([M("due", D(2026, 6, 30), None)], 0, None, False, TaskStatus.NOT_STARTED),
        ([M("due", D(2026, 6, 30), None)], 40, None, True, TaskStatus.IN_PROGRESS),
        ([M("due", D(2026, 3, 31), None)], 40, None, True, TaskStatus.OVERDUE),
        ([M("due", D(2026, 3, 31), D(2026, 3, 30))], 50, None, True, TaskStatus.IN_PROGRESS),
        ([M("due", D(2026, 3, 31), None)], 100, D(2026, 3, 20), True, TaskStatus.DONE),
        ([M("due", D(2026, 3, 31), None)], 100, D(2026, 4, 2), True, TaskStatus.DONE_LATE),
        ([M("trigger", None, None)], 0, None, False, TaskStatus.WAITING),
        ([M("trigger", D(2026, 4, 1), None)], 0, None, False, TaskStatus.OVERDUE),
        ([M("continuous", None, None)], 0, None, False, TaskStatus.NOT_STARTED),
        ([M("unreadable", None, None)], 0, None, False, TaskStatus.NOT_STARTED),
        (
            [M("recurring", D(2026, 3, 10), D(2026, 3, 9)), M("recurring", D(2026, 6, 10), None)],
            25,
            None,
            True,
            TaskStatus.IN_PROGRESS,
        ),
        (
            [M("recurring", D(2026, 3, 10), None), M("recurring", D(2026, 6, 10), None)],
            0,
            None,
            False,
            TaskStatus.OVERDUE,
        ),
        ([], 0, None, False, TaskStatus.NOT_STARTED),
    ],
)
def test_status_is_derived(milestones, percent, completed, updates, expected):
    status, _next_due = compute_status(milestones, percent, completed, updates, TODAY)
    assert status == expected


def test_next_due_is_the_earliest_open_date():
    facts = [M("due", D(2026, 3, 31), D(2026, 3, 1)), M("due", D(2026, 12, 31), None)]
    assert compute_status(facts, 10, None, True, TODAY)[1] == D(2026, 12, 31)


@pytest.fixture
def plan(db):
    unit = UnitFactory(code="31-TD", name="Thành Đông")
    plan = PlanFactory(unit=unit)
    services.add_default_areas(plan)
    DepartmentFactory(unit=unit, name="Phòng Văn hóa - Xã hội", short_name="VHXH")
    return plan


def _data(plan, **kw) -> TaskData:
    base = {
        "area": plan.areas.first(),
        "content": "Xây dựng kế hoạch tuyên truyền CCHC",
        "lead_department": plan.unit.departments.first(),
        "deadline_text": "Quý I/2026",
    }
    base.update(kw)
    return TaskData(**base)


def test_task_without_lead_department_is_refused_in_vietnamese(plan):
    with pytest.raises(ValidationError) as caught:
        services.save_task(plan, _data(plan, lead_department=None))
    assert caught.value.message_dict["lead_department"] == ["Mỗi nhiệm vụ phải có cơ quan chủ trì."]
    assert plan.tasks.count() == 0


def test_lead_department_of_another_unit_is_refused(plan):
    other = DepartmentFactory(unit=UnitFactory(code="38-DQ"))
    with pytest.raises(ValidationError):
        services.save_task(plan, _data(plan, lead_department=other))


def test_deadline_text_becomes_milestones_and_status(plan):
    task = services.save_task(
        plan,
        _data(
            plan,
            deadline_text="- Ban hành kế hoạch trong quý I/2026; - Báo cáo kết quả theo quy định",
        ),
        on=D(2026, 4, 5),
    )
    kinds = [(m.kind, m.due) for m in task.milestones.all()]
    assert kinds == [(MilestoneKind.DUE, D(2026, 3, 31)), (MilestoneKind.TRIGGER, None)]
    assert task.status == TaskStatus.OVERDUE and not task.needs_deadline_review


def test_unreadable_deadline_is_kept_and_flagged(plan):
    task = services.save_task(plan, _data(plan, deadline_text="sớm nhất có thể"))
    task.refresh_from_db()
    assert task.deadline_text == "sớm nhất có thể"
    assert task.needs_deadline_review
    assert task.milestones.get().kind == MilestoneKind.UNREADABLE


def test_progress_with_a_file_marks_the_milestone_and_stores_the_file_safely(plan, settings):
    task = services.save_task(plan, _data(plan), on=D(2026, 2, 1))
    officer = person_with_role(Role.OFFICER, plan.unit)
    pdf = UploadedFile("Kế hoạch tuyên truyền.pdf", io.BytesIO(b"%PDF-1.7 minh chung"))
    services.add_progress(
        task,
        officer,
        ProgressData("Đã ban hành kế hoạch", 100, [pdf], task.milestones.first()),
        on=D(2026, 3, 15),
    )
    task.refresh_from_db()
    assert task.status == TaskStatus.DONE and task.completed_on == D(2026, 3, 15)
    evidence = Evidence.objects.get()
    assert evidence.original_name == "Kế hoạch tuyên truyền.pdf"
    assert "tuyen" not in evidence.file.name and evidence.file.name.endswith(".pdf")
    assert len(evidence.sha256) == 64 and evidence.size == len(b"%PDF-1.7 minh chung")
    assert task.milestones.first().done_on == D(2026, 3, 15)


def test_a_refused_file_saves_nothing(plan):
    task = services.save_task(plan, _data(plan))
    officer = person_with_role(Role.OFFICER, plan.unit)
    good = UploadedFile("a.pdf", io.BytesIO(b"%PDF-1.4"))
    bad = UploadedFile("b.pdf", io.BytesIO(b"MZ\x90\x00 program"))
    with pytest.raises(Exception):  # noqa: B017 - UploadRejected, a ValueError
        services.add_progress(task, officer, ProgressData("Cập nhật", 50, [good, bad]))
    task.refresh_from_db()
    assert ProgressUpdate.objects.count() == 0 and Evidence.objects.count() == 0
    assert task.progress_percent == 0


def test_target_attainment_and_trend(plan):
    target = services.add_target(plan, "Mức độ hài lòng của người dân đạt tối thiểu 90%")
    assert target.comparator == "gte" and target.value == Decimal("90") and target.unit_label == "%"
    assert services.target_state(target).attainment == Attainment.NOT_MEASURED
    services.record_measurement(
        target, value=Decimal("86.5"), period_label="Quý I/2026", source="Khảo sát", by=None
    )
    services.record_measurement(
        target, value=Decimal("91.2"), period_label="Quý II/2026", source="Khảo sát", by=None
    )
    state = services.target_state(target)
    assert state.attainment == Attainment.MET
    assert state.trend == [Decimal("86.5"), Decimal("91.2")] and state.direction == "up"


def test_measurement_needs_a_source(plan):
    target = services.add_target(plan, "100% hồ sơ được số hóa")
    with pytest.raises(ValidationError):
        services.record_measurement(
            target, value=Decimal(100), period_label="2026", source=" ", by=None
        )


def test_roll_over_copies_and_shifts_dates(plan):
    services.save_task(plan, _data(plan, deadline_text="Trước 30/9/2026"))
    services.save_task(plan, _data(plan, deadline_text="Quý I/2026", content="Nhiệm vụ khác"))
    services.add_target(
        plan, "Trên 90% thủ tục được thanh toán trực tuyến", area=plan.areas.first()
    )
    new = services.roll_over(plan, title="Kế hoạch CCHC năm 2027")
    assert (new.period_start, new.period_end) == (D(2027, 1, 1), D(2027, 12, 31))
    assert new.areas.count() == 7 and new.targets.count() == 1 and new.tasks.count() == 2
    dues = sorted(m.due for t in new.tasks.all() for m in t.milestones.all())
    assert dues == [D(2027, 3, 31), D(2027, 9, 30)]
    assert new.targets.get().area.plan == new


def test_six_month_roll_over_keeps_month_ends():
    assert services.add_months(D(2025, 12, 31), 6) == D(2026, 6, 30)
    assert services.add_months(D(2026, 2, 28), 12) == D(2027, 2, 28)
    assert services.add_months(D(2026, 1, 15), 6) == D(2026, 7, 15)


def test_plan_status_moves(plan):
    leader = person_with_role(Role.LEADER, plan.unit)
    services.move_plan(plan, "approved", leader)
    assert plan.approved_by == leader
    with pytest.raises(ValidationError):
        services.move_plan(plan, "closed", leader)


def test_statuses_turn_overdue_on_a_new_day(plan):
    task = services.save_task(
        plan, _data(plan, deadline_text="Trước ngày 30/4/2026"), on=D(2026, 4, 1)
    )
    assert task.status == TaskStatus.NOT_STARTED
    plan.refresh_from_db()
    assert services.ensure_fresh_statuses([plan], on=D(2026, 5, 2)) == 1
    task.refresh_from_db()
    assert task.status == TaskStatus.OVERDUE
    plan.refresh_from_db()
    assert services.ensure_fresh_statuses([plan], on=D(2026, 5, 2)) == 0  # already fresh today
