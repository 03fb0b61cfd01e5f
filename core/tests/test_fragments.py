"""Rows kept by their values: rendered once, rendered again whenever what they show changes."""

from __future__ import annotations

from decimal import Decimal

import pytest
from django.template import engines
from django.test import override_settings
from django.utils import translation

from core import fragments
from core.templatetags.display import clip, points

ROW = (
    "{% load i18n display %}"
    "<li>{{ r.name|clip:8 }} {{ r.points|points }} {% translate 'Max' %}</li>"
)

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "OPTIONS": {"loaders": [("django.template.loaders.locmem.Loader", {"row.html": ROW})]},
    }
]


@pytest.fixture
def counted(monkeypatch):
    """How many rows the template engine really rendered."""
    fragments.forget_all()
    engines._engines.pop("django", None)
    calls = []
    with override_settings(TEMPLATES=TEMPLATES):
        template = engines["django"].get_template("row.html")
        original = type(template).render

        def render(self, context=None, request=None):
            calls.append(context["r"]["name"])
            return original(self, context, request)

        monkeypatch.setattr(type(template), "render", render)
        yield calls
    engines._engines.pop("django", None)
    fragments.forget_all()


def test_a_row_is_rendered_once_and_again_only_when_its_values_change(counted):
    rows = [{"name": "Tiêu chí một", "points": Decimal("1.50")}, {"name": "Hai", "points": None}]
    with translation.override("vi"):
        first = fragments.render_rows("row.html", rows)
    assert first == ["<li>Tiêu ch… 1,5 Tối đa</li>", "<li>Hai  Tối đa</li>"]
    with translation.override("vi"):
        assert fragments.render_rows("row.html", rows) == first
        assert counted == ["Tiêu chí một", "Hai"]
        rows[1] = {"name": "Hai", "points": Decimal("0.25")}
        again = fragments.render_rows("row.html", rows)
    assert counted == ["Tiêu chí một", "Hai", "Hai"]
    assert again[0] == first[0] and "0,25" in again[1]


def test_rows_are_kept_per_language_and_per_shared_value(counted):
    rows = [{"name": "Một", "points": Decimal(1)}]
    with translation.override("vi"):
        vietnamese = fragments.render_rows("row.html", rows)
    with translation.override("en"):
        english = fragments.render_rows("row.html", rows)
    assert vietnamese != english and "1" in english[0]
    fragments.render_rows("row.html", rows, {"page": 1})
    assert len(counted) == 3


def test_the_oldest_rows_are_forgotten_past_the_limit(counted, monkeypatch):
    monkeypatch.setattr(fragments, "LIMIT", 2)
    fragments.render_rows("row.html", [{"name": str(i), "points": None} for i in range(3)])
    fragments.render_rows("row.html", [{"name": "0", "points": None}])
    assert counted == ["0", "1", "2", "0"]


def test_clip_and_points_write_what_truncatechars_and_floatformat_wrote():
    assert clip("Nhiệm vụ cải cách hành chính", 10) == "Nhiệm vụ…"
    assert clip("ngắn", 10) == "ngắn" and clip(None, 5) == ""
    with translation.override("vi"):
        assert points(Decimal("2.50")) == "2,5"
        assert points(Decimal("0.125")) == "0,13"  # half up, as floatformat rounds
        assert points(Decimal("-0.001")) == "0"
        assert points(Decimal("0.00")) == "0" and points(None) == "" and points(3) == "3"
    with translation.override("en"):
        assert points(Decimal("2.50")) == "2.5"
