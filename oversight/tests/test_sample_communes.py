"""The demo seen from the province of Hải Phòng, and the generated sample communes."""

from __future__ import annotations

from django.core.management import call_command

from core import clock
from inspections.models import Finding
from org.models import Unit, User
from oversight.samples import MARK
from oversight.services import BoardQuery, build_board
from plans.models import Task, TaskStatus
from reports.models import Report
from scoring.models import Assessment, AssessmentStatus

BOARD = "/oversight/?year=2026&period=h1"


def _board_rows(province: Unit) -> dict:
    board = build_board(province, BoardQuery(2026, "h1"), on=clock.today(), page_size=None)
    return {row.code: row for row in board.rows}


def _counts() -> tuple:
    return (
        Unit.objects.count(),
        User.objects.count(),
        Task.objects.count(),
        Report.objects.count(),
        Assessment.objects.count(),
        Finding.objects.count(),
    )


def test_haiphong_board_after_the_demo_and_the_sample_communes(db, client):
    call_command("load_demo", "--quiet")
    haiphong = Unit.objects.get(code="31")
    client.force_login(User.objects.get(username="sonoivu.haiphong"))
    session = client.session
    session["current_unit_id"] = haiphong.pk
    session.save()

    # Both real communes show their self-assessment, at different stages.
    rows = _board_rows(haiphong)
    assert rows["31-THANHDONG"].assessment.status == AssessmentStatus.APPRAISED
    assert rows["31-THAITAN"].assessment.status == AssessmentStatus.DRAFT
    page = client.get(BOARD).content.decode()
    assert "Đã thẩm định" in page and "Thành Đông" in page and "Thái Tân" in page

    call_command("add_sample_communes", "--province", "31", "--count", "7", "--seed", "3")
    samples = Unit.objects.filter(code__startswith="31-DVM-")
    assert samples.count() == 7 and all(MARK in u.name for u in samples)
    before = _counts()
    call_command("add_sample_communes", "--province", "31", "--count", "7", "--seed", "3")
    assert _counts() == before  # idempotent per code

    rows = _board_rows(haiphong)
    sampled = [rows[u.code] for u in samples]
    assert all(r.plan and r.plan.tasks for r in sampled)
    assert len({r.assessment.status for r in sampled}) >= 3
    assert len({r.report.state for r in sampled}) >= 2
    statuses = set(Task.objects.filter(plan__unit__in=samples).values_list("status", flat=True))
    assert {TaskStatus.DONE, TaskStatus.DONE_LATE, TaskStatus.OVERDUE} <= statuses
    assert Finding.objects.filter(round__plan__unit__in=samples).exists()
    # The province's requests reach the sample communes too, answered in different ways.
    assert all(r.requests.asked >= 1 for r in sampled)
    answers = {(r.requests.on_time, r.requests.late, r.requests.missing) for r in sampled}
    assert len(answers) >= 2
    page = client.get(BOARD).content.decode()
    assert all(u.name in page for u in samples)
    assert client.get(BOARD + "&late=1").status_code == 200
