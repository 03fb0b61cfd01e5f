"""Two people writing the same department's part of a report at once: the second save is
refused with the first shown, and the second writer's text is kept in the form."""

from __future__ import annotations

import re

from django.test import Client
from django.urls import reverse

from org.models import Role
from reports import services
from reports.models import ContributionSection


def _version(page: str) -> str:
    return re.search(r'name="version" value="([0-9a-f]+)"', page).group(1)


def _texts(contribution, **results) -> dict:
    data = {}
    for s in contribution.sections.all():
        for name in ("results", "figures", "difficulties", "proposals"):
            data[f"{name}-{s.pk}"] = getattr(s, name)
    data.update(results)
    return data


def test_second_save_of_a_part_is_refused_with_the_first_shown(world, period):
    services.open_contributions(period)
    part = period.contributions.get(department=world.vhxh)
    section = part.sections.first()
    url = reverse("report_contribution", args=[part.pk])
    head, focal = Client(), Client()
    head.force_login(world.people[Role.DEPARTMENT_HEAD])
    focal.force_login(world.people[Role.FOCAL])
    seen_by_head = _version(head.get(url).content.decode())
    seen_by_focal = _version(focal.get(url).content.decode())
    key = f"results-{section.pk}"

    theirs = _texts(part, **{key: "Đã tổ chức 3 hội nghị tuyên truyền."})
    response = head.post(url, {**theirs, "action": "save", "version": seen_by_head})
    assert response.status_code == 302

    mine = _texts(part, **{key: "Hoàn thành kế hoạch tuyên truyền."})
    response = focal.post(url, {**mine, "action": "save", "version": seen_by_focal})
    page = response.content.decode()
    assert response.status_code == 409
    saved = ContributionSection.objects.get(pk=section.pk)
    assert saved.results == "Đã tổ chức 3 hội nghị tuyên truyền."
    head_name = world.people[Role.DEPARTMENT_HEAD].full_name
    assert head_name in page
    assert "Đã tổ chức 3 hội nghị tuyên truyền." in page  # their text, in the conflict box
    assert "Hoàn thành kế hoạch tuyên truyền.</textarea>" in page  # mine, kept in the form

    # Sending for review over the change is refused the same way, and nothing is submitted.
    response = focal.post(url, {**mine, "action": "submit", "version": seen_by_focal})
    assert response.status_code == 409
    part.refresh_from_db()
    assert part.status == "draft"

    response = focal.post(url, {**mine, "action": "save", "version": _version(page)})
    assert response.status_code == 302
    saved.refresh_from_db()
    assert saved.results == "Hoàn thành kế hoạch tuyên truyền."


def test_another_error_keeps_the_fingerprint_the_form_was_sent_with(world, period):
    services.open_contributions(period)
    part = period.contributions.get(department=world.vhxh)
    url = reverse("report_contribution", args=[part.pk])
    focal = Client()
    focal.force_login(world.people[Role.FOCAL])
    seen = _version(focal.get(url).content.decode())
    section = part.sections.first()
    section.results = "Viết chen giữa"
    section.save()
    # Refused for another reason (the part returned without one): the form must not adopt the
    # fingerprint of the text written meanwhile, which this person has not seen.
    services.submit_contribution(part, world.people[Role.DEPARTMENT_HEAD])
    response = focal.post(url, {"action": "return", "reason": "", "version": seen})
    assert response.status_code == 400
    assert _version(response.content.decode()) == seen
