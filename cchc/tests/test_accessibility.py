"""Accessibility that needs no browser: the icon every page links exists and /favicon.ico, which
browsers ask for on their own, leads to it instead of a 404; a field's help text carries the id
that its input's aria-describedby names."""

from __future__ import annotations

import re

from django import forms
from django.conf import settings
from django.contrib.staticfiles import finders
from django.template.loader import render_to_string


def test_the_linked_icon_exists_and_favicon_ico_leads_to_it(client, db):
    page = client.get("/accounts/login/").content.decode()
    linked = re.search(r'<link rel="icon" href="([^"]+)" type="image/svg\+xml">', page)[1]
    found = finders.find(linked.removeprefix(settings.STATIC_URL))
    assert found
    with open(found, encoding="utf-8") as icon:
        assert icon.read().startswith("<svg")

    response = client.get("/favicon.ico")
    assert response.status_code == 302
    assert response["Location"] == linked
    assert "max-age" in response["Cache-Control"]


class Sample(forms.Form):
    number = forms.CharField(help_text="As printed on the letter")
    kind = forms.ChoiceField(
        choices=[("a", "A"), ("b", "B")], widget=forms.RadioSelect, help_text="One of the two"
    )


def test_help_text_has_the_id_its_input_is_described_by():
    html = render_to_string("includes/field.html", {"field": Sample()["number"]})
    assert re.findall(r'aria-describedby="([^"]+)"', html) == ["id_number_helptext"]
    assert re.findall(r'\bid="([^"]+)"', html) == ["id_number", "id_number_helptext"]

    html = render_to_string("includes/field.html", {"field": Sample()["kind"]})
    assert 'id="id_kind_helptext">One of the two<' in html
