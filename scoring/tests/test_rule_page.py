"""The page that binds a criterion to a data rule: one field per parameter, in words."""

from __future__ import annotations

from django.urls import reverse

from scoring.models import Rule
from scoring.tests.conftest import Scene


def test_a_rule_is_chosen_and_its_parameters_filled_in_fields(client, scene: Scene):
    client.force_login(scene.appraiser)
    criterion = scene.c("3.1")
    url = reverse("scoring_criterion_rule", args=[criterion.pk])
    html = client.get(url).content.decode()
    # only the rules that can score this criterion are offered, each parameter named in words
    assert f'value="{Rule.SURVEY_SHARE}"' in html and f'value="{Rule.PLAN_ISSUED}"' not in html
    assert "Chủ đề (0: chung; 1–5: một chủ đề SIPAS)" in html
    response = client.post(
        url,
        {
            "rule": Rule.SURVEY_SHARE,
            f"{Rule.SURVEY_SHARE}-theme": "2",
            f"{Rule.SURVEY_SHARE}-tiers": "từ 90%: 7; từ 80%: 5; dưới 80%: 0",
        },
    )
    assert response.status_code == 302
    criterion.refresh_from_db()
    assert criterion.rule == Rule.SURVEY_SHARE
    assert criterion.rule_params == {
        "theme": 2,
        "tiers": [
            {"min": "90", "points": "7"},
            {"min": "80", "points": "5"},
            {"min": "0", "points": "0"},
        ],
    }
    # shown again as they were written
    html = client.get(url).content.decode()
    assert 'value="90%: 7; 80%: 5; 0%: 0"' in html


def test_a_missing_parameter_is_refused_and_what_was_typed_kept(client, scene: Scene):
    client.force_login(scene.appraiser)
    criterion = scene.c("1.1")
    url = reverse("scoring_criterion_rule", args=[criterion.pk])
    response = client.post(
        url, {"rule": Rule.PLAN_ISSUED, f"{Rule.PLAN_ISSUED}-kind": "annual"}, follow=True
    )
    html = response.content.decode()
    assert response.status_code == 200 and "cần có tham số “Ban hành chậm nhất ngày”" in html
    assert '<option value="annual" selected>' in html
    criterion.refresh_from_db()
    assert criterion.rule == ""
