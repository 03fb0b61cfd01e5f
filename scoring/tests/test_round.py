"""A round a province can run: due dates that bind (late marks, per-commune extensions), the
commune's answer with evidence, the appraiser's decision per criterion, closing that lists what
changes, and the next step each person sees."""

from __future__ import annotations

import io
from datetime import date, datetime, time
from decimal import Decimal as D

import pytest
from django.urls import reverse
from django.utils import timezone
from openpyxl import load_workbook

from core import clock
from notify.handoffs import open_work
from scoring import excel, services
from scoring.models import AssessmentStatus, Decision, EvidenceStage, Extension
from scoring.tests.conftest import Scene
from scoring.tests.test_services import (
    appraise,
    fill_department,
    refusal,
    submit_all,
)

PDF = b"%PDF-1.4\n% giai trinh\n%%EOF\n"


def on(monkeypatch, day: date) -> None:
    monkeypatch.setattr(clock, "today", lambda: day)
    moment = timezone.make_aware(datetime.combine(day, time(9)))
    monkeypatch.setattr(clock, "now", lambda: moment)


# --- due dates --------------------------------------------------------------------------------


def test_hand_in_after_the_due_date_is_accepted_with_a_late_mark(scene: Scene, monkeypatch):
    fill_department(scene)
    vhxh = scene.assessment.submissions.get(department=scene.vhxh)
    tthc = scene.assessment.submissions.get(department=scene.tthc)
    services.submit_department(vhxh, scene.head)  # 10/6, due 21/6
    assert not vhxh.submitted_late
    services.review_department(vhxh, scene.focal, accept=False, note="Thiếu số văn bản")
    on(monkeypatch, date(2026, 6, 25))
    services.submit_department(vhxh, scene.head)
    services.submit_department(tthc, scene.tthc_head)
    vhxh.refresh_from_db()
    assert vhxh.submitted_late and vhxh.due_when_submitted == date(2026, 6, 21)
    assert tthc.submitted_late


def test_submission_after_its_due_date_is_marked_late(client, scene: Scene, monkeypatch):
    on(monkeypatch, date(2026, 7, 2))  # due 30/6
    submit_all(scene)
    assert scene.assessment.submitted_late
    assert scene.assessment.due_when_submitted == date(2026, 6, 30)
    client.force_login(scene.appraiser)
    home = client.get(reverse("scoring_home"), {"unit": scene.world.thanhhoa.pk})
    assert "nộp muộn" in home.content.decode() or "submitted late" in home.content.decode()


def test_province_extends_one_communes_due_date_with_a_reason(scene: Scene, monkeypatch):
    a = scene.assessment
    assert "reason" in refusal(
        services.extend_deadline,
        a,
        scene.appraiser,
        stage="submission",
        due=date(2026, 7, 10),
        reason=" ",
    )
    assert "after" in refusal(
        services.extend_deadline,
        a,
        scene.appraiser,
        stage="submission",
        due=date(2026, 6, 1),
        reason="Bão lũ",
    )
    assert "submission" in refusal(
        services.extend_deadline,
        a,
        scene.appraiser,
        stage="departments",
        due=date(2026, 7, 5),
        reason="Bão lũ",
    )
    services.extend_deadline(
        a, scene.appraiser, stage="submission", due=date(2026, 7, 10), reason="Bão lũ"
    )
    services.extend_deadline(
        a, scene.appraiser, stage="departments", due=date(2026, 7, 5), reason="Bão lũ"
    )
    a.refresh_from_db()
    assert (a.departments_due, a.due) == (date(2026, 7, 5), date(2026, 7, 10))
    assert a.period.submission_due == date(2026, 6, 30)  # other communes keep the period's
    extension = Extension.objects.get(assessment=a, stage="submission")
    assert (extension.previous_due, extension.reason) == (date(2026, 6, 30), "Bão lũ")
    # The departments' to-dos follow the new date.
    part = a.submissions.get(department=scene.vhxh)
    assert open_work(scene.head).get(key=f"par-part:{part.pk}:score").due == date(2026, 7, 5)

    on(monkeypatch, date(2026, 7, 3))
    submit_all(scene)
    a.refresh_from_db()
    assert not a.submitted_late and not part.__class__.objects.get(pk=part.pk).submitted_late
    # Once submitted, the submission's due date cannot be moved any more.
    assert "over" in refusal(
        services.extend_deadline,
        a,
        scene.appraiser,
        stage="submission",
        due=date(2026, 8, 1),
        reason="x",
    )


def test_only_the_province_moves_due_dates_through_the_page(client, scene: Scene):
    url = reverse("scoring_action", args=[scene.assessment.pk])
    data = {"action": "extend", "stage": "submission", "due": "2026-07-15", "reason": "Bão"}
    client.force_login(scene.focal)
    assert client.post(url, data).status_code == 403
    client.force_login(scene.appraiser)
    client.post(url, data)
    scene.assessment.refresh_from_db()
    assert scene.assessment.due == date(2026, 7, 15)
    page = client.get(reverse("scoring_assessment", args=[scene.assessment.pk])).content.decode()
    assert "Bão" in page and "15/07/2026" in page


# --- answer and decision ------------------------------------------------------------------------


def appraised(scene: Scene):
    """1.1 lowered to 0 and 1.2 lowered to 0 by the appraiser, sent on 5/7 (answer by 10/7)."""
    appraise(scene)
    services.appraise_score(scene.score("1.2"), scene.appraiser, points=D(0), reason="Thiếu")
    return services.send_appraisal(scene.assessment, scene.appraiser, on=date(2026, 7, 5))


def test_the_commune_answers_with_text_and_evidence(scene: Scene, monkeypatch):
    a = appraised(scene)
    on(monkeypatch, date(2026, 7, 6))
    score = scene.score("1.1")
    services.save_answer(score, scene.focal, "Kế hoạch ban hành ngày 10/01/2026")
    item = services.add_evidence_file(
        score,
        scene.focal,
        "ke-hoach.pdf",
        io.BytesIO(PDF),
        services.EvidenceData("Kế hoạch CCHC 2026", "12/KH-UBND", date(2026, 1, 10)),
    )
    link = services.add_evidence_link(
        score,
        scene.focal,
        "https://dongquang.thanhhoa.gov.vn/ke-hoach",
        services.EvidenceData("Đăng trên cổng"),
    )
    assert item.stage == link.stage == EvidenceStage.ANSWER
    assert "web address" in refusal(
        services.add_evidence_link,
        score,
        scene.focal,
        "javascript:alert(1)",
        services.EvidenceData("x"),
    )
    # What was given with the self-score stays.
    original = score.evidence.get(stage=EvidenceStage.SELF)
    assert "earlier stage" in refusal(services.remove_evidence, original)
    services.answer_appraisal(a, scene.focal)
    a.refresh_from_db()
    assert a.status == AssessmentStatus.ANSWERED
    assert "already answered" in refusal(services.save_answer, score, scene.focal, "x")


def test_no_answer_after_its_due_date(scene: Scene, monkeypatch):
    appraised(scene)
    on(monkeypatch, date(2026, 7, 11))
    assert "ended" in refusal(services.save_answer, scene.score("1.1"), scene.focal, "x")


def test_accepting_an_answer_changes_the_score_keeping_needs_a_reason(scene: Scene):
    a = appraised(scene)
    services.save_answer(scene.score("1.1"), scene.focal, "Đã ban hành")
    services.save_answer(scene.score("1.2"), scene.focal, "Đạt 90%")
    services.answer_appraisal(a, scene.focal, on=date(2026, 7, 8))
    a.refresh_from_db()
    before = a.index
    assert "did not answer" in refusal(
        services.decide_answer, scene.score("1.3"), scene.appraiser, accept=True
    )
    assert "why" in refusal(
        services.decide_answer, scene.score("1.2"), scene.appraiser, accept=False
    )
    services.decide_answer(scene.score("1.1"), scene.appraiser, accept=True)
    services.decide_answer(
        scene.score("1.2"), scene.appraiser, accept=False, reason="Không có báo cáo tỷ lệ"
    )
    accepted, kept = scene.score("1.1"), scene.score("1.2")
    assert (accepted.decision, accepted.final_points) == (Decision.ACCEPTED, D(2))
    assert (kept.decision, kept.final_points) == (Decision.KEPT, D(0))
    a.refresh_from_db()
    assert a.index == before + 2

    closing = services.closing(a)
    assert [c.score.criterion.code for c in closing.changes] == ["1.1"]
    assert closing.total_change == D(2) and closing.undecided == []
    services.close(a, scene.appraiser, on=date(2026, 7, 12))
    assert scene.score("1.1").final_points == D(2)  # the decision survives the close
    assert scene.score("1.2").final_points == D(0)

    sheet = load_workbook(io.BytesIO(excel.export_results(a))).active
    header = [c.value for c in sheet[2]]
    rows = {r[0]: dict(zip(header, r, strict=False)) for r in sheet.iter_rows(values_only=True)}
    assert rows["1.1"]["Giải trình của xã"] == "Đã ban hành"
    assert rows["1.1"]["Kết luận giải trình"] == "Chấp nhận giải trình"
    assert rows["1.2"]["Lý do kết luận"] == "Không có báo cáo tỷ lệ"
    assert rows["1.1"]["Điểm cuối cùng"] == 2


def test_closing_lists_changes_and_asks_for_confirmation(client, scene: Scene):
    a = appraised(scene)
    services.save_answer(scene.score("1.1"), scene.focal, "Đã ban hành")
    services.answer_appraisal(a, scene.focal, on=date(2026, 7, 8))
    services.decide_answer(scene.score("1.1"), scene.appraiser, accept=True)
    client.force_login(scene.appraiser)
    url = reverse("scoring_action", args=[a.pk])
    page = client.post(url, {"action": "close"})
    assert page.status_code == 200
    assert "1.1" in page.content.decode() and 'name="confirmed"' in page.content.decode()
    a.refresh_from_db()
    assert a.status == AssessmentStatus.ANSWERED  # nothing closed yet
    client.post(url, {"action": "close", "confirmed": "1"})
    a.refresh_from_db()
    assert a.status == AssessmentStatus.CLOSED


def test_the_criterion_page_offers_each_person_their_form(client, scene: Scene):
    a = appraised(scene)
    url = reverse("scoring_score", args=[scene.score("1.1").pk])
    client.force_login(scene.appraiser)
    page = client.get(url).content.decode()
    assert 'id="decide-form"' not in page and 'id="why-not"' in page
    client.force_login(scene.focal)
    page = client.get(url).content.decode()
    assert 'id="answer-form"' in page and 'id="evidence-form"' in page
    client.post(url, {"form": "answer", "answer": "Đã ban hành ngày 10/01"})
    client.post(
        url,
        {
            "form": "evidence",
            "title": "Kế hoạch",
            "file": _upload("ke-hoach.pdf"),
        },
    )
    assert scene.score("1.1").evidence.filter(stage=EvidenceStage.ANSWER).count() == 1
    services.answer_appraisal(a, scene.focal, on=date(2026, 7, 8))
    client.force_login(scene.appraiser)
    page = client.get(url).content.decode()
    assert 'id="decide-form"' in page and "Đã ban hành ngày 10/01" in page
    client.post(url, {"form": "decide", "decision": "accept", "points": "2"})
    assert scene.score("1.1").final_points == D(2)
    client.force_login(scene.focal)
    assert client.post(url, {"form": "decide", "decision": "accept"}).status_code == 403


def _upload(name: str):
    from django.core.files.uploadedfile import SimpleUploadedFile

    return SimpleUploadedFile(name, PDF, content_type="application/pdf")


# --- the next step ------------------------------------------------------------------------------


def test_each_role_sees_its_next_step_and_only_its_buttons(client, scene: Scene):
    a = scene.assessment
    step = services.next_step(a, scene.head)
    assert "hand them in" in step.message and step.hand_in and not step.actions
    assert services.next_step(a, scene.leader).who  # the departments' heads are named
    fill_department(scene)
    for submission in a.submissions.all():
        services.submit_department(submission, scene.head)
        services.review_department(submission, scene.focal, accept=True)
    focal = services.next_step(a, scene.focal)
    assert "approve" not in focal.actions
    assert scene.leader.full_name in focal.who
    assert services.next_step(a, scene.leader).actions == {"approve"}
    client.force_login(scene.focal)
    page = client.get(reverse("scoring_assessment", args=[a.pk])).content.decode()
    assert 'value="approve"' not in page and scene.leader.full_name in page
    client.force_login(scene.leader)
    page = client.get(reverse("scoring_assessment", args=[a.pk])).content.decode()
    assert 'value="approve"' in page
    services.approve(a, scene.leader)
    assert services.next_step(a, scene.focal).actions == {"submit", "withdraw"}
    services.submit(a, scene.focal)
    assert services.next_step(a, scene.appraiser).actions == {"send_appraisal"}
    assert services.next_step(a, scene.other_appraiser).actions == frozenset()


@pytest.mark.parametrize("late", [False, True])
def test_withdrawal_button_only_before_the_due_date(scene: Scene, late: bool):
    submit_all(scene)
    day = date(2026, 7, 1) if late else date(2026, 6, 20)
    step = services.next_step(scene.assessment, scene.focal, on=day)
    assert ("withdraw" in step.actions) is not late


def test_a_step_taken_on_a_record_read_earlier_keeps_the_current_totals(scene: Scene):
    stale = scene.assessment  # read before any score
    fill_department(scene)
    for submission in stale.submissions.all():
        services.submit_department(submission, scene.head)
        services.review_department(submission, scene.focal, accept=True)
    services.approve(stale, scene.leader)
    stale.refresh_from_db()
    assert stale.status == AssessmentStatus.APPROVED and stale.self_points > 0
