"""Reporting a task complete closes its open milestones: the rules, without HTTP."""

from __future__ import annotations

import io
from datetime import date

import pytest
from django.core.exceptions import ValidationError
from django.utils import translation

from org.models import Role
from org.tests.factories import DepartmentFactory, UnitFactory, person_with_role
from plans import dashboard, services
from plans.models import Evidence, Milestone, MilestoneKind, Plan, ProgressUpdate, TaskStatus
from plans.services import Closing, ProgressData, TaskData, UploadedFile
from plans.tests.factories import PlanFactory

D = date
ON = D(2026, 5, 10)


@pytest.fixture
def plan(db) -> Plan:
    unit = UnitFactory(code="31-TD", name="Thành Đông")
    plan = PlanFactory(unit=unit, period_start=D(2026, 1, 1), period_end=D(2026, 12, 31))
    services.add_default_areas(plan)
    DepartmentFactory(unit=unit, name="Phòng Văn hóa - Xã hội", short_name="VHXH")
    return plan


@pytest.fixture
def officer(plan):
    return person_with_role(Role.OFFICER, plan.unit)


def add_task(plan: Plan, deadline: str, number: str = "1"):
    return services.save_task(
        plan,
        TaskData(
            area=plan.areas.first(),
            number=number,
            content=f"Nhiệm vụ {number}: báo cáo kết quả thực hiện CCHC",
            lead_department=plan.unit.departments.first(),
            deadline_text=deadline,
        ),
        on=D(2026, 2, 1),
    )


def by_kind(task) -> dict[str, list[Milestone]]:
    found: dict[str, list[Milestone]] = {}
    for m in task.milestones.order_by("order"):
        found.setdefault(m.kind, []).append(m)
    return found


def test_reporting_100_closes_the_chosen_milestones_and_the_dashboard_follows(
    plan, in_force, officer
):
    task = add_task(plan, "- Ban hành kế hoạch trong quý I/2026; - Báo cáo kết quả hàng quý")
    other = add_task(plan, "Quý IV/2026", number="2")
    assert services.refresh_status(task, on=ON).status == TaskStatus.OVERDUE  # Q1 passed
    before = dashboard.build(plan.unit, on=ON)
    kinds = by_kind(task)
    (issued,) = kinds[MilestoneKind.DUE]
    quarters = kinds[MilestoneKind.RECURRING]
    assert [q.period for q in quarters] == ["2026-Q1", "2026-Q2", "2026-Q3", "2026-Q4"]
    closing = [Closing(issued)] + [Closing(q, f"Quý {n}/2026") for n, q in enumerate(quarters, 1)]

    services.add_progress(task, officer, ProgressData("Đã hoàn thành", 100, closing=closing), on=ON)

    assert not task.milestones.filter(done_on__isnull=True).exists()
    assert set(task.milestones.values_list("done_on", flat=True)) == {ON}
    assert [m.done_period for m in task.milestones.order_by("order")] == [
        "",
        "Quý 1/2026",
        "Quý 2/2026",
        "Quý 3/2026",
        "Quý 4/2026",
    ]
    task.refresh_from_db()
    assert task.status == TaskStatus.DONE and task.next_due is None
    after = dashboard.build(plan.unit, on=ON)
    assert (before.done, after.done) == (0, 1)
    assert (before.status_counts["overdue"], after.status_counts["overdue"]) == (1, 0)
    assert not [m for m in after.upcoming if m.task_id == task.pk]
    assert after.total == before.total == 2
    assert other.milestones.get().done_on is None


def test_only_the_ticked_milestones_are_closed(plan, officer):
    task = add_task(plan, "Hằng quý")
    quarters = list(task.milestones.order_by("due"))
    first_two = [Closing(quarters[0], "Quý I/2026"), Closing(quarters[1], "Quý II/2026")]
    services.add_progress(task, officer, ProgressData("Xong", 100, closing=first_two), on=ON)
    done = dict(task.milestones.filter(done_on__isnull=False).values_list("pk", "done_period"))
    assert done == {quarters[0].pk: "Quý I/2026", quarters[1].pk: "Quý II/2026"}
    task.refresh_from_db()
    assert task.status == TaskStatus.DONE and task.progress_percent == 100


def test_100_with_nothing_chosen_saves_nothing(plan, officer):
    task = add_task(plan, "Quý II/2026")
    pdf = UploadedFile("bao-cao.pdf", io.BytesIO(b"%PDF-1.7 bao cao"))
    with pytest.raises(ValidationError) as caught:
        services.add_progress(task, officer, ProgressData("Xong", 100, [pdf], closing=[]), on=ON)
    assert set(caught.value.message_dict) == {"close"}
    task.refresh_from_db()
    assert task.progress_percent == 0 and task.status == TaskStatus.NOT_STARTED
    assert ProgressUpdate.objects.count() == 0 and Evidence.objects.count() == 0
    assert task.milestones.get().done_on is None


def test_a_recurring_milestone_without_its_period_saves_nothing(plan, officer):
    task = add_task(plan, "- Ban hành kế hoạch trong quý I/2026; - Thường xuyên")
    (issued,) = by_kind(task)[MilestoneKind.DUE]
    (ongoing,) = by_kind(task)[MilestoneKind.CONTINUOUS]
    closing = [Closing(issued), Closing(ongoing, "   ")]
    with pytest.raises(ValidationError) as caught:
        services.add_progress(task, officer, ProgressData("Xong", 100, closing=closing), on=ON)
    assert set(caught.value.message_dict) == {f"period_{ongoing.pk}"}
    assert ProgressUpdate.objects.count() == 0
    assert not task.milestones.filter(done_on__isnull=False).exists()  # not even the dated one
    task.refresh_from_db()
    assert task.progress_percent == 0

    closing = [Closing(issued), Closing(ongoing, " Năm 2026 ")]
    services.add_progress(task, officer, ProgressData("Xong", 100, closing=closing), on=ON)
    ongoing.refresh_from_db()
    assert (ongoing.done_on, ongoing.done_period) == (ON, "Năm 2026")


def test_a_period_too_long_or_a_milestone_of_another_task_is_refused(plan, officer):
    task = add_task(plan, "Thường xuyên")
    stranger = add_task(plan, "Quý II/2026", number="2").milestones.get()
    (ongoing,) = task.milestones.all()
    for closing, key in (
        ([Closing(ongoing, "x" * 51)], f"period_{ongoing.pk}"),
        ([Closing(ongoing, "Năm 2026"), Closing(stranger)], "close"),
    ):
        with pytest.raises(ValidationError) as caught:
            services.add_progress(task, officer, ProgressData("Xong", 100, closing=closing))
        assert set(caught.value.message_dict) == {key}
    assert ProgressUpdate.objects.count() == 0
    assert stranger.task.milestones.get().done_on is None


def test_without_milestones_nothing_changes(plan, officer):
    task = add_task(plan, "")
    task.milestones.all().delete()  # an empty deadline still gets one "to be clarified"
    services.add_progress(task, officer, ProgressData("Xong", 100), on=ON)
    task.refresh_from_db()
    assert task.status == TaskStatus.DONE and task.completed_on == ON


def test_below_100_nothing_is_asked(plan, officer):
    task = add_task(plan, "Quý II/2026")
    services.add_progress(task, officer, ProgressData("Đang làm", 60, closing=[]), on=ON)
    task.refresh_from_db()
    assert task.status == TaskStatus.IN_PROGRESS
    assert task.milestones.get().done_on is None


def test_close_milestones_alone_keeps_one_already_done(plan):
    task = add_task(plan, "Hằng quý")
    first, second, *_rest = task.milestones.order_by("due")
    Milestone.objects.filter(pk=first.pk).update(done_on=D(2026, 3, 30), done_period="Quý I/2026")
    closed = services.close_milestones(
        task, [Closing(first, "Quý I/2026"), Closing(second, "Quý II/2026")], on=D(2026, 6, 29)
    )
    assert [m.pk for m in closed] == [second.pk]
    first.refresh_from_db()
    assert first.done_on == D(2026, 3, 30)
    with pytest.raises(ValidationError):
        services.close_milestones(task, [Closing(task.milestones.order_by("due")[2], "")])
    assert task.milestones.filter(done_on__isnull=False).count() == 2


def test_a_period_covered_survives_saving_the_deadline_again(plan):
    task = add_task(plan, "Hằng quý")
    first = task.milestones.order_by("due").first()
    services.close_milestones(task, [Closing(first, "Quý I/2026")], on=D(2026, 3, 30))
    services.replace_milestones(task, services.parse_task_deadline(plan, "Hằng quý"))
    kept = task.milestones.get(period="2026-Q1")
    assert (kept.done_on, kept.done_period) == (D(2026, 3, 30), "Quý I/2026")


@pytest.mark.parametrize(
    ("code", "words"),
    [
        ("2026-Q4", "Quarter IV/2026"),
        ("2026-Q1", "Quarter I/2026"),
        ("2026-03", "Month 3/2026"),
        ("2026-12", "Month 12/2026"),
        ("2026-H1", "First six months of 2026"),
        ("2026-H2", "Last six months of 2026"),
        ("2026", "Year 2026"),
        ("quarter", "quarter"),
        ("2026-13", "2026-13"),
        ("", ""),
    ],
)
def test_period_names(code, words):
    with translation.override("en"):
        assert services.period_name(code) == words


def test_suggested_periods(plan):
    def milestone(kind: str, period: str = "") -> Milestone:
        return Milestone(kind=kind, period=period)

    with translation.override("en"):
        suggest = services.suggested_period
        assert suggest(milestone("recurring", "2026-Q4"), plan, ON) == "Quarter IV/2026"
        assert suggest(milestone("recurring", "quarter"), plan, ON) == "Quarter II/2026"
        assert suggest(milestone("recurring", "month"), plan, ON) == "Month 5/2026"
        assert suggest(milestone("recurring", "half_year"), plan, ON) == "First six months of 2026"
        assert suggest(milestone("recurring", "year"), plan, ON) == "Year 2026"
        assert suggest(milestone("continuous"), plan, D(2027, 1, 5)) == "Year 2026"
        assert suggest(milestone("due"), plan, ON) == ""
        assert not services.needs_period(milestone("due"))
        assert services.needs_period(milestone("continuous"))
