from __future__ import annotations

from datetime import date

import pytest
from auditlog.models import LogEntry
from django.core.management import call_command
from django.urls import reverse
from django.utils import timezone

from notify.handoffs import open_work
from notify.models import ToDo
from org import demo as org_demo
from org.models import Unit, User
from scoring import demo, services
from scoring.models import Assessment, AssessmentStatus, Score, ScoreEvidence


def _state() -> tuple:
    """What loading the demo again must leave as it was."""
    return (
        sorted(Assessment.objects.values_list("unit__code", "status", "index", "submitted_at")),
        Score.objects.filter(self_points__isnull=False).count(),
        ScoreEvidence.objects.count(),
        sorted(ToDo.objects.values_list("key", "user_id", "done_at")),
        User.objects.count(),
        LogEntry.objects.count(),
    )


@pytest.fixture
def loaded(db) -> Assessment:
    org_demo.load()
    demo.load()
    return Assessment.objects.get(unit__code="38-DONGQUANG")


def test_demo_loads_twice_with_scores_evidence_and_a_ranking(loaded):
    dongquang = loaded
    first = _state()
    demo.load()  # idempotent
    call_command("load_scoring_samples")  # the sample wards alone: nothing left to do either
    assert _state() == first
    assert services.unassigned(dongquang.unit, dongquang.criteria_set) == []
    assert dongquang.status == AssessmentStatus.DRAFT  # under way
    assert dongquang.scores.exclude(self_points=None).count() > 20
    assert ScoreEvidence.objects.filter(score__assessment=dongquang).count() > 10
    ranking = services.ranking(dongquang.period)
    assert all(row.assessment.index > 0 for row in ranking.rows)
    assert all("(đơn vị mẫu)" in r.assessment.unit.name for r in ranking.rows
               if r.assessment != dongquang)  # fmt: skip


def test_the_province_ranks_four_communes_at_different_stages(loaded):
    rows = services.ranking(loaded.period).rows
    assert len(rows) == 4
    assert len({r.assessment.status for r in rows}) >= 3
    by_code = {r.assessment.unit.code: r.assessment for r in rows}
    assert set(by_code) == {"38-DONGQUANG", "38-MAU-1", "38-MAU-2", "38-MAU-3"}

    # Mẫu 1: handed in mid June, appraised with two scores lowered, both answered (one with the
    # report it names); the province accepted one answer and kept the other score, and closed.
    closed = by_code["38-MAU-1"]
    assert closed.status == AssessmentStatus.CLOSED
    assert timezone.localdate(closed.submitted_at) == date(2026, 6, 17)
    assert not closed.submitted_late
    assert closed.submissions.get().status == "accepted"
    lowered = [s for s in closed.scores.all() if s.appraised_points < (s.self_points or 0)]
    assert len(lowered) == 2 and all(s.appraisal_reason for s in lowered)
    answered = {s.criterion.code: s for s in closed.scores.exclude(answer="")}
    assert set(answered) == {s.criterion.code for s in lowered}
    accepted, kept = answered["2.1"], answered["7.3"]
    assert (accepted.decision, accepted.final_points) == ("accepted", accepted.self_points)
    assert (kept.decision, kept.final_points) == ("kept", kept.appraised_points)
    assert kept.decision_reason
    assert accepted.evidence.filter(stage="answer", document_number="45/BC-UBND").exists()
    assert not closed.scores.filter(final_points=None).exists()
    assert closed.survey_points > 0

    assert by_code["38-MAU-2"].status == AssessmentStatus.SUBMITTED
    approved = by_code["38-MAU-3"]
    assert approved.status == AssessmentStatus.APPROVED
    # The steps are recorded with the person who took them and the day they were taken.
    assert approved.approved_by.username == "mau3.chutich"
    assert timezone.localdate(approved.approved_at) == date(2026, 6, 29)
    assert not User.objects.get(username="mau3.chutich").has_usable_password()


def test_the_appraiser_has_the_submitted_ward_to_appraise(loaded, client):
    appraiser = User.objects.get(username=demo.APPRAISER)
    submitted = Assessment.objects.get(unit__code="38-MAU-2")
    assert [t.key for t in open_work(appraiser)] == [f"par:{submitted.pk}:appraise"]
    client.force_login(appraiser)
    session = client.session
    session["current_unit_id"] = Unit.objects.get(code="38").pk
    session.save()
    home = client.get(reverse("scoring_home")).content.decode()
    assert reverse("scoring_assessment", args=[submitted.pk]) in home
    assert "Mẫu 2 (đơn vị mẫu)" in home
    # The closed ward is listed too; the ones not submitted are not the province's work yet.
    closed = Assessment.objects.get(unit__code="38-MAU-1")
    assert reverse("scoring_assessment", args=[closed.pk]) in home
    assert reverse("scoring_assessment", args=[loaded.pk]) not in home
    ranking = client.get(reverse("scoring_ranking", args=[loaded.period_id])).content.decode()
    assert all(name in ranking for name in ("Đông Quang", "Mẫu 1", "Mẫu 2", "Mẫu 3"))
    for ward in Assessment.objects.filter(unit__code__startswith="38-MAU-"):
        for name in ("scoring_assessment", "scoring_results"):
            assert client.get(reverse(name, args=[ward.pk])).status_code == 200


def test_haiphong_ranks_its_two_communes_at_different_stages(loaded, client):
    thanhdong = Assessment.objects.get(unit__code="31-THANHDONG")
    thaitan = Assessment.objects.get(unit__code="31-THAITAN")
    assert thanhdong.period.framework.province.code == "31"
    assert thanhdong.period_id == thaitan.period_id and thanhdong.period.is_open
    rows = {r.assessment.unit.code: r.assessment for r in services.ranking(thanhdong.period).rows}
    assert set(rows) == {"31-THANHDONG", "31-THAITAN"}
    assert rows["31-THANHDONG"].status != rows["31-THAITAN"].status

    # Thành Đông submitted on time and was appraised: its answer is due, in its focal officer's
    # work, and nobody in the commune has to score any more.
    assert thanhdong.status == AssessmentStatus.APPRAISED
    assert timezone.localdate(thanhdong.submitted_at) == date(2026, 6, 26)
    assert not thanhdong.submitted_late
    assert thanhdong.answer_due >= timezone.localdate()
    assert thanhdong.scores.filter(appraisal_reason__gt="").count() == 2
    focal = User.objects.get(username="thanhdong.daumoi")
    assert f"par:{thanhdong.pk}:answer" in [t.key for t in open_work(focal)]
    client.force_login(focal)
    assert "Giải trình kết quả thẩm định" in client.get(reverse("notify_work")).content.decode()

    # Thái Tân is still scoring: its criteria are assigned from its own plan's departments, the
    # economy division's part was handed in after the departments' due date.
    assert thaitan.status == AssessmentStatus.DRAFT
    assert services.unassigned(thaitan.unit, thaitan.criteria_set) == []
    assert thaitan.submissions.count() > 1
    (handed_in,) = thaitan.submissions.exclude(status="draft")
    assert handed_in.department.short_name == "KT"
    assert handed_in.submitted_late
    assert 0 < thaitan.scores.exclude(self_points=None).count() < thaitan.scores.count()
