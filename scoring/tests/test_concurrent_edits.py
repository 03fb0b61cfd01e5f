"""Two people saving the same self-score at once: the second is refused with the first shown."""

from __future__ import annotations

import re

import pytest
from django.test import Client
from django.urls import reverse

from scoring import services
from scoring.tests.conftest import D, Scene

HTMX = {"HTTP_HX_REQUEST": "true"}


def _version(page: str) -> str:
    return re.search(r'name="version" (?:form="[^"]*" )?value="([0-9a-f]+)"', page).group(1)


@pytest.fixture
def pair(scene: Scene, settings) -> tuple[Client, Client]:
    head, focal = Client(), Client()
    for client, person in ((head, scene.head), (focal, scene.focal)):
        client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"
        client.force_login(person)
    return head, focal


def test_second_self_score_on_the_criterion_page_is_refused(scene: Scene, pair):
    head, focal = pair
    score = scene.score("1.2")
    url = reverse("scoring_score", args=[score.pk])
    seen_by_head = _version(head.get(url).content.decode())
    seen_by_focal = _version(focal.get(url).content.decode())

    data = {"form": "score", "value": "90", "explanation": "Đã niêm yết đủ"}
    assert head.post(url, {**data, "version": seen_by_head}).status_code == 302

    mine = {"form": "score", "value": "100", "explanation": "Niêm yết tại bộ phận một cửa"}
    response = focal.post(url, {**mine, "version": seen_by_focal})
    page = response.content.decode()
    assert response.status_code == 409
    score.refresh_from_db()
    assert score.value == D(90) and score.explanation == "Đã niêm yết đủ"
    assert scene.head.full_name in page and "after you opened it" in page
    assert "Đã niêm yết đủ" in page  # their version
    assert "Niêm yết tại bộ phận một cửa" in page  # this person's input kept
    # Saved again knowingly, with the fingerprint of what is now shown.
    again = focal.post(url, {**mine, "version": _version(page)})
    assert again.status_code == 302
    score.refresh_from_db()
    assert score.value == D(100)


def test_second_save_of_a_grid_row_is_refused_in_the_row(scene: Scene, pair):
    head, focal = pair
    score = scene.score("1.3")
    grid = reverse("scoring_grid", args=[scene.assessment.pk])
    row_url = reverse("scoring_score_row", args=[score.pk])
    pattern = rf'<tr id="score-{score.pk}".*?name="version" form="f-{score.pk}" value="([0-9a-f]+)"'
    seen_by_head = re.search(pattern, head.get(grid).content.decode(), re.S).group(1)
    seen_by_focal = re.search(pattern, focal.get(grid).content.decode(), re.S).group(1)
    assert seen_by_head == seen_by_focal == services.score_version(score)

    first = {"form": "score", "value": "1", "explanation": "Một nửa", "version": seen_by_head}
    assert head.post(row_url, first, **HTMX).status_code == 200

    second = {"form": "score", "value": "2", "explanation": "Đầy đủ", "version": seen_by_focal}
    response = focal.post(row_url, second, **HTMX)
    row = response.content.decode()
    assert response.status_code == 409
    assert scene.head.full_name in row and "Một nửa" in row
    assert "Đầy đủ</textarea>" in row  # the input kept in the row's form
    score.refresh_from_db()
    assert score.value == D(1)
    second["version"] = _version(row)
    assert focal.post(row_url, second, **HTMX).status_code == 200
    score.refresh_from_db()
    assert score.value == D(2) and score.explanation == "Đầy đủ"


def test_the_same_value_saved_twice_is_no_conflict(scene: Scene):
    score = scene.score("1.3")
    seen = services.score_version(score)
    services.set_self_score(score, scene.head, value=D(2), explanation="x", seen=seen)
    services.set_self_score(score, scene.focal, value=D("2.00"), explanation="x ", seen=seen)
    score.refresh_from_db()
    assert score.value == D(2)
