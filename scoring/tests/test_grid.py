"""A department's criteria scored on one page: the rows, their saves, evidence and refusals."""

from __future__ import annotations

import io
import re
from datetime import date

import pytest
from django.urls import reverse

from scoring import excel, services
from scoring.models import Criterion, Framework, ScoreEvidence, SubmissionStatus
from scoring.tests.conftest import D, Scene, other_commune
from scoring.tests.test_services import PDF, evidence, fill_department, task_product

HTMX = {"HTTP_HX_REQUEST": "true"}


@pytest.fixture
def client(client, settings):
    """Pages in English, so that they are checked in their msgids."""
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"
    return client


def grid_url(scene: Scene, department=None) -> str:
    url = reverse("scoring_grid", args=[scene.assessment.pk])
    return f"{url}?department={department.pk}" if department else url


def row_url(scene: Scene, code: str) -> str:
    return reverse("scoring_score_row", args=[scene.score(code).pk])


def row_ids(html: str) -> set[str]:
    return set(re.findall(r'<tr id="score-(\d+)"', html))


def ids(scene: Scene, *codes: str) -> set[str]:
    return {str(scene.score(code).pk) for code in codes}


# --- the rule: nothing to deduct needs no evidence ----------------------------------------------


def test_a_deduction_with_nothing_to_deduct_needs_no_evidence(scene: Scene):
    services.set_self_score(scene.score("1.3"), scene.head, value=D(0))
    services.set_self_score(scene.score("TR.1"), scene.head, value=D(0))
    assert services.problems([scene.score("1.3"), scene.score("TR.1")]) == []
    # Unless the framework asks for evidence even then.
    Criterion.objects.filter(pk=scene.c("1.3").pk).update(evidence_when_none=True)
    (found,) = services.problems([scene.score("1.3")])
    assert found.message == "scored above zero without evidence"
    # Occurrences reported still need evidence.
    Criterion.objects.filter(pk=scene.c("1.3").pk).update(evidence_when_none=False)
    services.set_self_score(scene.score("1.3"), scene.head, value=D(2))
    (found,) = services.problems([scene.score("1.3")])
    assert found.message == "scored above zero without evidence"


def test_the_framework_file_carries_evidence_when_none(scene: Scene):
    Criterion.objects.filter(pk=scene.c("1.3").pk).update(evidence_when_none=True)
    data = excel.export_framework(scene.framework)
    copy = Framework.objects.create(province=scene.world.thanhhoa, year=2030, name="Nhập lại")
    excel.import_framework(copy, "khung.xlsx", io.BytesIO(data))
    flagged = Criterion.objects.filter(criteria_set__framework=copy, evidence_when_none=True)
    assert [c.code for c in flagged] == ["1.3"]
    # The column is optional: a file without it asks for nothing more.
    text = "Mã,Tên tiêu chí,Điểm tối đa,Cách chấm,Điểm trừ mỗi lần\n1,Khu vực,2,Tổng,\n"
    text += "1.1,Báo cáo đúng hạn,2,Trừ theo lần,0.5\n"
    rows = excel.read_framework_file("khung.csv", io.BytesIO(text.encode()))
    assert [r.evidence_when_none for r in rows["commune_level"]] == [False, False]


# --- the page -------------------------------------------------------------------------------


def test_the_head_sees_the_rows_of_the_department_they_head(client, scene: Scene):
    client.force_login(scene.head)
    response = client.get(grid_url(scene))
    assert response.status_code == 200
    html = response.content.decode()
    assert row_ids(html) == ids(scene, "1.1", "1.2", "1.3", "T.1", "TR.1")
    # Inputs matched to the way of scoring.
    assert f'type="checkbox" name="done" value="1" id="v-{scene.score("1.1").pk}"' in html
    assert "100%: 1; 80%: 0,5; 0%: 0" in html
    assert "−0,5 / occurrence" in html
    assert 'id="hand-in"' in html
    # Another department cannot be chosen by its id: the head's own is shown.
    html = client.get(grid_url(scene, scene.tthc)).content.decode()
    assert row_ids(html) == ids(scene, "1.1", "1.2", "1.3", "T.1", "TR.1")


def test_the_focal_officer_picks_a_department_or_sees_all(client, scene: Scene):
    client.force_login(scene.focal)
    html = client.get(grid_url(scene, scene.tthc)).content.decode()
    assert row_ids(html) == ids(scene, "2.1.1", "2.1.2")
    assert f'<option value="{scene.tthc.pk}" selected>' in html
    html = client.get(grid_url(scene)).content.decode()
    assert ids(scene, "1.1", "2.1.1", "3.1") <= row_ids(html)
    # The survey's criterion is read-only.
    assert f'id="v-{scene.score("3.1").pk}"' not in html


def test_the_page_is_read_in_the_same_queries_whatever_the_rows(client, scene: Scene):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    for code in ("1.1", "1.2", "1.3"):
        evidence(scene, code, scene.head)
    task_product(scene.unit, scene.vhxh, scene.head)
    client.force_login(scene.focal)
    client.get(grid_url(scene))  # a session's first page also notes when it began and its 2FA step
    counts = []
    for url in (grid_url(scene, scene.tthc), grid_url(scene)):  # 2 rows, then all 10
        with CaptureQueriesContext(connection) as queries:
            assert client.get(url).status_code == 200
        counts.append(len(queries))
    assert counts[0] == counts[1] <= 14


def test_a_foreign_commune_never_sees_the_grid(client, scene: Scene):
    client.force_login(scene.world.people["focal"])
    assert client.get(grid_url(scene)).status_code == 404


# --- saving a row ---------------------------------------------------------------------------


def test_a_row_saves_by_itself_and_answers_with_the_row(client, scene: Scene):
    client.force_login(scene.head)
    score = scene.score("1.1")
    response = client.post(
        row_url(scene, "1.1"),
        {
            "form": "score",
            "done": "1",
            "explanation": "Ban hành ngày 10/01",
            "department": scene.vhxh.pk,
        },
        **HTMX,
    )
    assert response.status_code == 200
    html = response.content.decode()
    assert html.startswith(f'<tr id="score-{score.pk}"')
    assert f'<strong id="pts-{score.pk}">2</strong>' in html
    assert "scored above zero without evidence" in html  # the row's problem
    assert 'id="grid-summary" hx-swap-oob="true"' in html  # what is left, refreshed too
    # The department's points so far: penalties are not part of the maximum.
    assert '<span class="stat-num" id="grid-points">2</span> / 8' in html
    score.refresh_from_db()
    assert (score.value, score.self_points, score.explanation) == (1, D(2), "Ban hành ngày 10/01")
    # An unticked box is "not done": 0 points.
    client.post(row_url(scene, "1.1"), {"form": "score", "explanation": "Chưa"}, **HTMX)
    score.refresh_from_db()
    assert (score.value, score.self_points) == (0, 0)


@pytest.mark.parametrize(
    ("code", "value", "message"),
    [
        ("1.2", "150", "percentage from 0 to 100"),
        ("1.3", "1,5", "a whole number"),
        ("1.2", "nhiều", "is not a number"),
    ],
)
def test_a_refused_value_comes_back_in_the_row_and_saves_nothing(
    client, scene: Scene, code, value, message
):
    client.force_login(scene.head)
    response = client.post(row_url(scene, code), {"form": "score", "value": value}, **HTMX)
    assert response.status_code == 200
    assert re.search(r'class="danger grid-error" role="alert">[^<]*' + message, response.text)
    score = scene.score(code)
    assert (score.value, score.self_points) == (None, None)


def test_points_above_the_maximum_are_refused_in_the_row(client, scene: Scene):
    client.force_login(scene.tthc_head)
    response = client.post(row_url(scene, "2.1.1"), {"form": "score", "value": "3"}, **HTMX)
    assert "above the maximum of 2" in response.text
    assert scene.score("2.1.1").self_points is None
    client.post(row_url(scene, "2.1.1"), {"form": "score", "value": "1,5"}, **HTMX)
    assert scene.score("2.1.1").self_points == D("1.5")


def test_rows_another_may_not_change_are_refused(client, scene: Scene):
    # The head of another department: 403; a person of another commune: 404.
    client.force_login(scene.tthc_head)
    for headers in ({}, HTMX):
        response = client.post(row_url(scene, "1.1"), {"form": "score", "done": "1"}, **headers)
        assert response.status_code == 403
    outsider = other_commune(scene.world)
    from org.models import Role
    from org.tests.factories import person_with_role

    client.force_login(person_with_role(Role.FOCAL, outsider, username="xx_focal"))
    assert client.post(row_url(scene, "1.1"), {"done": "1"}).status_code == 404
    assert scene.score("1.1").self_points is None
    # The row is read-only on the page of whoever may see but not change it.
    client.force_login(scene.leader)
    html = client.get(grid_url(scene, scene.vhxh)).content.decode()
    assert f'id="v-{scene.score("1.1").pk}"' not in html
    assert "You cannot change this score." in html


def test_rows_handed_in_are_read_only_and_refused(client, scene: Scene):
    fill_department(scene)
    submission = scene.assessment.submissions.get(department=scene.vhxh)
    services.submit_department(submission, scene.head)
    client.force_login(scene.head)
    html = client.get(grid_url(scene)).content.decode()
    assert f'id="v-{scene.score("1.1").pk}"' not in html
    assert "Handed in: the focal officer must return it first." in html
    assert 'id="hand-in"' not in html
    response = client.post(row_url(scene, "1.1"), {"form": "score"}, **HTMX)
    assert response.status_code == 403
    assert "the focal officer must return it first" in response.text  # shown in the row
    assert client.post(row_url(scene, "1.1"), {"form": "score"}).status_code == 403
    assert scene.score("1.1").self_points == D(2)


# --- evidence -------------------------------------------------------------------------------


def test_evidence_is_uploaded_linked_and_removed_from_the_row(client, scene: Scene):
    product = task_product(scene.unit, scene.vhxh, scene.head)
    client.force_login(scene.head)
    html = client.get(grid_url(scene)).content.decode()
    assert html.count(f'<option value="{product.pk}">') == 5  # once per row that may change
    upload = io.BytesIO(PDF)
    upload.name = "ke-hoach.pdf"
    response = client.post(
        row_url(scene, "1.1"),
        {
            "form": "evidence",
            "document_number": "12/KH-UBND",
            "document_date": "2026-01-10",
            "file": upload,
        },
        **HTMX,
    )
    assert response.status_code == 200
    item = scene.score("1.1").evidence.get()
    assert (item.title, item.is_complete) == ("ke-hoach.pdf", True)
    assert reverse("scoring_evidence", args=[item.pk]) in response.text
    response = client.post(
        row_url(scene, "1.2"), {"form": "evidence", "task_evidence": product.pk}, **HTMX
    )
    linked = scene.score("1.2").evidence.get()
    assert linked.task_evidence == product
    assert "plan task's product" in response.text
    # Nothing chosen: said in the row.
    response = client.post(row_url(scene, "1.3"), {"form": "evidence"}, **HTMX)
    assert "Choose a file or a plan task" in response.text
    client.post(row_url(scene, "1.2"), {"form": "remove_evidence", "evidence": linked.pk}, **HTMX)
    assert not ScoreEvidence.objects.filter(pk=linked.pk).exists()


def test_a_plain_post_goes_back_to_the_grid_with_a_message(client, scene: Scene):
    client.force_login(scene.head)
    score = scene.score("1.2")
    response = client.post(
        row_url(scene, "1.2"), {"form": "score", "value": "90", "department": scene.vhxh.pk}
    )
    assert response.status_code == 302
    assert response["Location"] == f"{grid_url(scene, scene.vhxh)}#score-{score.pk}"
    page = client.get(response["Location"]).content.decode()
    assert "Self-score saved." in page
    assert scene.score("1.2").self_points == D("0.5")


# --- handing in -----------------------------------------------------------------------------


def test_hand_in_from_the_grid_comes_back_to_it(client, scene: Scene):
    client.force_login(scene.head)
    submission = scene.assessment.submissions.get(department=scene.vhxh)
    # Refused while criteria are left to complete: said on the grid.
    response = client.post(
        reverse("scoring_action", args=[scene.assessment.pk]),
        {"action": "submit_department", "submission": submission.pk, "next": grid_url(scene)},
        follow=True,
    )
    assert response.redirect_chain[-1][0] == grid_url(scene)
    assert "1.1: not scored yet" in response.text
    fill_department(scene)
    response = client.post(
        reverse("scoring_action", args=[scene.assessment.pk]),
        {"action": "submit_department", "submission": submission.pk, "next": grid_url(scene)},
    )
    assert response["Location"] == grid_url(scene)
    submission.refresh_from_db()
    assert submission.status == SubmissionStatus.SUBMITTED
    html = client.get(grid_url(scene)).content.decode()
    assert 'id="submission-status">Submitted to the focal officer' in html
    # Never to another site.
    response = client.post(
        reverse("scoring_action", args=[scene.assessment.pk]),
        {"action": "nothing", "next": "https://example.org/"},
    )
    assert response.status_code == 404


def test_the_grid_warns_past_the_due_date(client, scene: Scene):
    scene.assessment.department_due = date(2026, 6, 1)
    scene.assessment.save()
    client.force_login(scene.head)
    html = client.get(grid_url(scene)).content.decode()
    assert "Past the due date of 01/06/2026: the hand-in will be marked late." in html


def test_what_is_left_lists_only_the_department_s_criteria(client, scene: Scene):
    client.force_login(scene.head)
    html = client.get(grid_url(scene)).content.decode()
    todo = html.split('id="grid-todo"')[1].split("</ul>")[0]
    assert f'href="#score-{scene.score("1.1").pk}"' in todo
    assert "2.1.1" not in todo


# --- the assessment page --------------------------------------------------------------------


def test_the_assessment_page_shows_a_head_only_their_department_s_problems(client, scene: Scene):
    url = reverse("scoring_assessment", args=[scene.assessment.pk])
    client.force_login(scene.head)
    html = client.get(url).content.decode()
    assert reverse("scoring_grid", args=[scene.assessment.pk]) in html
    box = html.split('id="problems"')[1].split("</section>")[0]
    assert "<strong>1.1</strong>" in box and "<strong>2.1.1</strong>" not in box
    client.force_login(scene.focal)
    box = client.get(url).content.decode().split('id="problems"')[1].split("</section>")[0]
    assert "<strong>1.1</strong>" in box and "<strong>2.1.1</strong>" in box
    client.force_login(scene.leader)
    assert reverse("scoring_grid", args=[scene.assessment.pk]) not in client.get(url).text
