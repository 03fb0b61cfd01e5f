from __future__ import annotations

import io
from datetime import date

from django.urls import reverse

from scoring import reminders, services
from scoring.models import ScoreEvidence
from scoring.tests.conftest import D, Scene
from scoring.tests.test_services import PDF, evidence, submit_all


def login(client, user):
    client.force_login(user)
    return client


def test_department_head_scores_with_evidence_through_the_page(client, scene: Scene):
    login(client, scene.head)
    score = scene.score("1.1")
    url = reverse("scoring_score", args=[score.pk])
    assert client.get(url).status_code == 200
    client.post(url, {"form": "score", "value": "1", "explanation": ""})
    score.refresh_from_db()
    assert score.self_points == D(2)
    upload = io.BytesIO(PDF)
    upload.name = "ke-hoach.pdf"
    client.post(
        url,
        {
            "form": "evidence",
            "title": "Kế hoạch CCHC",
            "document_number": "12/KH-UBND",
            "document_date": "2026-01-10",
            "file": upload,
        },
    )
    item = score.evidence.get()
    assert item.is_complete and item.kind == "pdf"
    # Over the maximum: refused with the message shown, nothing changed.
    response = client.post(url, {"form": "score", "value": "2"}, follow=True)
    assert "1.1" in response.content.decode()
    score.refresh_from_db()
    assert score.self_points == D(2)


def test_head_of_another_department_cannot_score(client, scene: Scene):
    login(client, scene.tthc_head)
    score = scene.score("1.1")
    response = client.post(
        reverse("scoring_score", args=[score.pk]), {"form": "score", "value": "1"}
    )
    assert response.status_code == 403
    score.refresh_from_db()
    assert score.self_points is None


def test_appraiser_sees_but_never_changes_self_scores(client, scene: Scene):
    submit_all(scene)
    login(client, scene.appraiser)
    score = scene.score("1.1")
    url = reverse("scoring_score", args=[score.pk])
    page = client.get(url).content.decode()
    assert 'id="appraise-form"' in page and 'id="score-form"' not in page
    assert client.post(url, {"form": "score", "value": "0"}).status_code == 403
    client.post(url, {"form": "appraise", "points": "0", "reason": "Muộn"})
    score.refresh_from_db()
    assert (score.self_points, score.appraised_points) == (D(2), D(0))


def test_another_commune_never_sees_the_assessment_or_its_evidence(client, scene: Scene):
    evidence(scene, "1.1", scene.head)
    item = ScoreEvidence.objects.get()
    outsider = scene.world.people["focal"]  # focal officer of Thành Đông
    login(client, outsider)
    assert client.get(reverse("scoring_assessment", args=[scene.assessment.pk])).status_code == 404
    assert client.get(reverse("scoring_evidence", args=[item.pk])).status_code == 404
    # An appraiser of another province neither.
    login(client, scene.other_appraiser)
    assert client.get(reverse("scoring_evidence", args=[item.pk])).status_code == 404
    login(client, scene.appraiser)
    assert client.get(reverse("scoring_evidence", args=[item.pk])).status_code == 200


def test_submission_blocked_list_is_shown(client, scene: Scene):
    services.set_self_score(scene.score("1.1"), scene.head, value=D(1))
    login(client, scene.head)
    submission = scene.assessment.submissions.get(department=scene.vhxh)
    response = client.post(
        reverse("scoring_action", args=[scene.assessment.pk]),
        {"action": "submit_department", "submission": submission.pk},
        follow=True,
    )
    text = response.content.decode()
    assert "1.1: scored above zero without evidence" in text or "1.1: " in text
    submission.refresh_from_db()
    assert submission.status == "draft"


def test_pages_render_for_the_commune_and_the_province(client, scene: Scene):
    submit_all(scene)
    login(client, scene.focal)
    for name, arg in (
        ("scoring_home", None),
        ("scoring_framework", scene.framework.pk),
        ("scoring_assignments", scene.framework.pk),
        ("scoring_assessment", scene.assessment.pk),
        ("scoring_results", scene.assessment.pk),
        ("scoring_ranking", scene.period.pk),
    ):
        url = reverse(name, args=[arg] if arg else [])
        assert client.get(url).status_code == 200, url
    score = scene.score("1.1")
    assert client.get(f"/history/score/{score.pk}/").status_code == 200
    login(client, scene.appraiser)
    home = client.get(reverse("scoring_home")).content.decode()
    assert reverse("scoring_assessment", args=[scene.assessment.pk]) in home
    for name, arg in (
        ("scoring_results_export", scene.assessment.pk),
        ("scoring_framework_export", scene.framework.pk),
        ("scoring_ranking_export", scene.period.pk),
    ):
        response = client.get(reverse(name, args=[arg]))
        assert response.content[:2] == b"PK"


def test_reminders_for_departments_focal_and_answer(scene: Scene):
    found = list(reminders.reminders(date(2026, 6, 14)))  # 7 days before 21/6
    assert {r.user_id for r in found} >= {scene.head.pk, scene.tthc_head.pk}
    found = list(reminders.reminders(date(2026, 6, 23)))  # 7 days before 30/6
    assert [r.user_id for r in found] == [scene.focal.pk]
    submit_all(scene)
    services.appraise_score(scene.score("3.1"), scene.appraiser, points=D(8))
    services.send_appraisal(scene.assessment, scene.appraiser, on=date(2026, 7, 1))
    found = list(reminders.reminders(date(2026, 7, 3)))
    assert [(r.user_id, r.due) for r in found] == [(scene.focal.pk, date(2026, 7, 6))]


def test_focal_officer_assigns_criteria_by_hand(client, scene: Scene):
    from org.tests.factories import DepartmentFactory

    office = DepartmentFactory(unit=scene.unit, name="Văn phòng HĐND và UBND", kind="office")
    criterion = scene.c("1.1")
    login(client, scene.focal)
    response = client.post(
        reverse("scoring_assignments", args=[scene.framework.pk]),
        {
            "criterion": [criterion.pk, scene.c("1.2").pk],
            f"dep-{criterion.pk}": office.pk,
            f"people-{criterion.pk}": [scene.head.pk, "x"],
            f"dep-{scene.c('1.2').pk}": "",
        },
    )
    assert response.status_code == 302
    assignment = criterion.assignments.get(unit=scene.unit)
    assert assignment.department == office
    assert list(assignment.people.all()) == [scene.head]
    # "—" takes the assignment away.
    assert not scene.c("1.2").assignments.filter(unit=scene.unit).exists()
    # The new department hands in its own scores.
    assert scene.assessment.submissions.filter(department=office).exists()
    login(client, scene.head)
    response = client.post(reverse("scoring_assignments", args=[scene.framework.pk]), {})
    assert response.status_code == 403
