"""Each domain's facts for the board, against hand-built data, in a fixed number of queries."""

from __future__ import annotations

from datetime import date
from decimal import Decimal

from inspections.models import FindingStatus
from inspections.oversight import finding_facts
from org.models import UnitKind
from org.tests.factories import UnitFactory
from oversight.tests.conftest import (
    TODAY,
    add_assessment,
    add_finding,
    add_report,
    add_survey,
    add_target,
    add_task,
    author,
    make_plan,
    scoring_round,
)
from plans.imports.models import DocumentImport, ImportBatch
from plans.models import TaskStatus
from plans.oversight import IMPORTED, plan_facts
from reports.models import ReportStatus
from reports.oversight import ReportState, report_facts
from scoring.models import AssessmentStatus
from scoring.oversight import NOT_STARTED, assessment_facts
from surveys.oversight import satisfaction_facts


def test_plan_facts_count_tasks_overdue_work_and_targets(world, django_assert_num_queries):
    plan = make_plan(world.thanhdong)
    # Other plans of the year do not stand for it: a six-month plan, an inspection plan.
    make_plan(world.thanhdong, kind="six_month", number="2/KH", period_end=date(2026, 6, 30))
    make_plan(world.thanhdong, kind="inspection", number="3/KH")
    add_task(plan, status=TaskStatus.DONE, due=date(2026, 3, 31), done_on=date(2026, 3, 30))
    add_task(plan, status=TaskStatus.DONE_LATE, due=date(2026, 2, 28), done_on=date(2026, 3, 9))
    add_task(plan, status=TaskStatus.IN_PROGRESS, due=date(2026, 5, 15), content="Rà soát TTHC")
    add_task(plan, status=TaskStatus.OVERDUE, due=date(2026, 4, 30), number="7", content="Số hóa")
    # Still stored as in progress (the daily refresh has not run): overdue all the same.
    add_task(plan, status=TaskStatus.IN_PROGRESS, due=date(2026, 7, 19))
    # Finished, or its milestone met: not overdue.
    add_task(plan, status=TaskStatus.IN_PROGRESS, due=date(2026, 4, 1), progress=100)
    add_task(plan, due=date(2026, 4, 1), done_on=date(2026, 3, 28))
    add_task(plan, due=date(2026, 12, 31))
    add_target(plan, 90, [80, 95])  # the latest actual counts: met
    add_target(plan, 95, [97, 90])  # not met
    add_target(plan, 100)  # not measured
    other = make_plan(world.thaitan, number="", status="draft")
    batch = ImportBatch.objects.create(unit=world.thaitan, created_by=author())
    DocumentImport.objects.create(batch=batch, original_name="kh.docx", plan=other)

    ids = [world.thanhdong.pk, world.thaitan.pk, world.dongquang.pk]
    with django_assert_num_queries(5):
        facts = plan_facts(ids, 2026, on=TODAY)

    mine = facts[world.thanhdong.pk]
    assert (mine.plan_id, mine.number, mine.issued_on) == (plan.pk, "16/KH-UBND", date(2026, 1, 14))
    assert mine.status == "in_progress"
    assert (mine.tasks, mine.done, mine.done_late) == (8, 2, 1)
    assert mine.done_share == Decimal(25)
    assert mine.overdue == 3
    assert mine.oldest_overdue_number == "7"
    assert mine.oldest_overdue_content == "Số hóa"
    assert mine.oldest_overdue_due == date(2026, 4, 30)
    assert (mine.targets_met, mine.targets_not_met, mine.targets_not_measured) == (1, 1, 1)
    assert facts[world.thaitan.pk].status == IMPORTED
    assert facts[world.thaitan.pk].tasks == 0
    assert world.dongquang.pk not in facts  # no plan
    assert plan_facts(ids, 2025, on=TODAY) == {}


def test_report_facts_on_time_late_missing_and_not_yet_due(world, django_assert_num_queries):
    plan = make_plan(world.thanhdong)
    q1 = add_report(plan, "q1", sent_on=date(2026, 3, 6))
    h1 = add_report(plan, "h1", sent_on=date(2026, 6, 15), late=True)
    add_report(plan, "q3")
    # Approved but never sent: missing once due.
    approved = add_report(make_plan(world.thaitan), "q1", status=ReportStatus.APPROVED)
    # A due date moved later keeps its own date.
    moved = add_report(make_plan(world.dongquang), "h1", unit_due=date(2026, 7, 31))

    ids = [world.thanhdong.pk, world.thaitan.pk, world.dongquang.pk]
    with django_assert_num_queries(1):
        facts = report_facts(ids, 2026, on=TODAY)

    assert set(facts) == {"q1", "h1", "q3", "year"}
    td = world.thanhdong.pk
    assert facts["q1"][td].state == ReportState.ON_TIME
    assert facts["q1"][td].sent_on == date(2026, 3, 6)
    assert facts["q1"][td].period_id == q1.pk
    assert facts["h1"][td].state == ReportState.LATE
    assert facts["h1"][td].sent_on == date(2026, 6, 15)
    assert facts["h1"][td].period_id == h1.pk
    assert facts["q3"][td].state == ReportState.NOT_DUE
    assert facts["year"][td].state == ReportState.NOT_DUE
    tt = world.thaitan.pk
    assert facts["q1"][tt].state == ReportState.MISSING
    assert facts["q1"][tt].period_id == approved.pk
    assert facts["q1"][tt].report_status == ReportStatus.APPROVED
    # No period row at all: held to the default due date, the 10th of the last month.
    assert facts["h1"][tt].state == ReportState.MISSING
    assert facts["h1"][tt].due == date(2026, 6, 10)
    assert facts["h1"][tt].period_id is None
    dq = world.dongquang.pk
    assert facts["h1"][dq].state == ReportState.NOT_DUE
    assert facts["h1"][dq].period_id == moved.pk


def test_assessment_facts_stages_index_rank_and_late_marks(world, django_assert_num_queries):
    six_month, year, criteria_set = scoring_round(world.haiphong)
    extra = UnitFactory(code="31-X", name="Xã Mới", kind=UnitKind.COMMUNE, parent=world.haiphong)
    late = add_assessment(
        six_month,
        world.thanhdong,
        criteria_set,
        AssessmentStatus.APPRAISED,
        "81.5",
        submitted_on=date(2026, 7, 2),
    )
    draft = add_assessment(six_month, world.thaitan, criteria_set, AssessmentStatus.DRAFT, "60")
    # A commune outside the list still takes part in the ranking.
    other = UnitFactory(code="31-Y", name="Xã Khác", kind=UnitKind.COMMUNE, parent=world.haiphong)
    add_assessment(
        six_month,
        other,
        criteria_set,
        AssessmentStatus.CLOSED,
        "90",
        submitted_on=date(2026, 6, 20),
    )

    ids = [world.thanhdong.pk, world.thaitan.pk, extra.pk, world.dongquang.pk]
    with django_assert_num_queries(3):
        facts = assessment_facts(ids, 2026, "six_month", on=TODAY)

    mine = facts[world.thanhdong.pk]
    assert (mine.status, mine.assessment_id, mine.period_id) == ("appraised", late.pk, six_month.pk)
    assert mine.submitted_late and not mine.overdue
    assert mine.submitted_on == date(2026, 7, 2)
    assert (mine.index, mine.rank, mine.ranked) == (Decimal("81.5"), 2, 3)
    behind = facts[world.thaitan.pk]
    assert (behind.status, behind.assessment_id, behind.rank) == ("draft", draft.pk, 3)
    assert behind.overdue and not behind.submitted_late  # due 30/6, still being scored
    missing = facts[extra.pk]
    assert (missing.status, missing.period_id, missing.index) == (NOT_STARTED, six_month.pk, None)
    assert missing.overdue
    # Thanh Hoá has no framework: nothing to start, nothing overdue.
    assert facts[world.dongquang.pk] == type(missing)(status=NOT_STARTED)
    # The year's round is not due yet.
    year_facts = assessment_facts(ids, 2026, "year", on=TODAY)
    assert year_facts[world.thanhdong.pk].status == NOT_STARTED
    assert not year_facts[world.thanhdong.pk].overdue
    assert year_facts[world.thanhdong.pk].period_id == year.pk
    # Without a year-end round, the year shows the six-month one rather than nothing.
    year.delete()
    fallback = assessment_facts(ids, 2026, "year", on=TODAY)
    assert fallback[world.thanhdong.pk].assessment_id == late.pk


def test_equal_indexes_share_their_rank(world):
    six_month, _year, criteria_set = scoring_round(world.haiphong)
    add_assessment(six_month, world.thanhdong, criteria_set, "closed", "80")
    add_assessment(six_month, world.thaitan, criteria_set, "closed", "80")
    third = UnitFactory(code="31-Z", name="Xã Ba", kind=UnitKind.COMMUNE, parent=world.haiphong)
    add_assessment(six_month, third, criteria_set, "closed", "70")
    facts = assessment_facts(
        [world.thanhdong.pk, world.thaitan.pk, third.pk], 2026, "six_month", on=TODAY
    )
    assert [facts[u].rank for u in (world.thanhdong.pk, world.thaitan.pk, third.pk)] == [1, 1, 3]


def test_finding_facts_open_and_overdue(world, django_assert_num_queries):
    td = world.thanhdong
    add_finding(td, FindingStatus.OPEN, date(2026, 5, 1))  # overdue
    add_finding(td, FindingStatus.OPEN, date(2026, 4, 1))  # overdue, the oldest
    add_finding(td, FindingStatus.OPEN, date(2026, 9, 1))  # open
    add_finding(td, FindingStatus.RESPONDED, date(2026, 5, 1))  # answered: open, not overdue
    add_finding(td, FindingStatus.VERIFIED, date(2026, 5, 1))
    add_finding(td, FindingStatus.CLOSED, date(2026, 5, 1))
    add_finding(td, FindingStatus.OPEN, date(2025, 10, 1), year=2025)  # last year's, still open
    add_finding(td, FindingStatus.OPEN, date(2027, 5, 1), year=2027)  # a later year's
    add_finding(world.dongquang, FindingStatus.CLOSED, date(2026, 5, 1))

    ids = [td.pk, world.thaitan.pk, world.dongquang.pk]
    with django_assert_num_queries(1):
        facts = finding_facts(ids, 2026, on=TODAY)

    mine = facts[td.pk]
    assert (mine.found, mine.open, mine.overdue) == (6, 5, 3)
    assert mine.oldest_deadline == date(2025, 10, 1)
    assert (facts[world.dongquang.pk].open, facts[world.dongquang.pk].overdue) == (0, 0)
    assert world.thaitan.pk not in facts


def test_satisfaction_share_pools_the_year_campaigns(world, django_assert_num_queries):
    one = add_survey(world.thanhdong, [(10, 9), (10, 8)], excluded=[(10, 0)])
    add_survey(world.thaitan, [(5, 5)])
    add_survey(world.thaitan, [(5, 1)])
    add_survey(world.thaitan, [(5, 0)], year=2025)  # last year's campaign
    add_survey(world.dongquang, [])

    ids = [world.thanhdong.pk, world.thaitan.pk, world.dongquang.pk]
    with django_assert_num_queries(2):
        facts = satisfaction_facts(ids, 2026)

    mine = facts[world.thanhdong.pk]
    assert (mine.campaigns, mine.campaign_id, mine.responses) == (1, one.pk, 2)
    assert (mine.ratings, mine.satisfied, mine.share) == (20, 17, Decimal("85.0"))
    pooled = facts[world.thaitan.pk]
    assert (pooled.campaigns, pooled.campaign_id, pooled.share) == (2, None, Decimal("60.0"))
    empty = facts[world.dongquang.pk]
    assert (empty.campaigns, empty.responses, empty.share) == (1, 0, None)
