"""Two team members editing the same finding at once: the second save is refused with the first
shown, and the second person's input is kept in the form."""

from __future__ import annotations

import re
from datetime import date

import pytest
from django.test import Client
from django.urls import reverse

from inspections import services
from inspections.models import Finding, TeamRole
from inspections.tests.conftest import finding_data
from org.models import Role

pytestmark = pytest.mark.django_db


def _version(page: str) -> str:
    return re.search(r'name="version" value="([0-9a-f]+)"', page).group(1)


def _post(world, version: str, **changes) -> dict:
    data = {
        "department": world.office.pk,
        "description": "Chưa niêm yết đầy đủ TTHC tại Bộ phận một cửa",
        "severity": "medium",
        "recommendation": "Niêm yết bổ sung 12 TTHC còn thiếu",
        "responsible_department": world.office.pk,
        "responsible_person": world.people[Role.OFFICER].pk,
        "deadline": "15/08/2026",
        "version": version,
    }
    data.update(changes)
    return data


def test_second_save_of_a_finding_is_refused_with_the_first_shown(world, round_):
    member = world.people[Role.DEPARTMENT_HEAD]
    services.add_team_member(round_, role=TeamRole.MEMBER, user=member)
    finding = services.record_finding(round_, world.people[Role.FOCAL], finding_data(world))
    url = reverse("finding_edit", args=[finding.pk])
    leader, other = Client(), Client()
    leader.force_login(world.people[Role.FOCAL])
    other.force_login(member)
    seen_by_leader = _version(leader.get(url).content.decode())
    seen_by_member = _version(other.get(url).content.decode())
    assert seen_by_leader == seen_by_member == services.finding_version(finding)

    first = other.post(url, _post(world, seen_by_member, deadline="31/08/2026"))
    assert first.status_code == 302

    mine = _post(world, seen_by_leader, recommendation="Niêm yết ngay trong tuần")
    response = leader.post(url, mine)
    page = response.content.decode()
    assert response.status_code == 409
    finding = Finding.objects.get(pk=finding.pk)
    assert finding.deadline == date(2026, 8, 31)  # the first save stands
    assert finding.recommendation == "Niêm yết bổ sung 12 TTHC còn thiếu"
    assert member.full_name in page
    assert "31/08/2026" in page  # their deadline, in the conflict box
    assert "Niêm yết ngay trong tuần" in page  # this person's input kept

    mine["version"] = _version(page)
    assert leader.post(url, mine).status_code == 302
    finding.refresh_from_db()
    assert finding.recommendation == "Niêm yết ngay trong tuần"
    assert finding.deadline == date(2026, 8, 15)  # replaced knowingly, after being shown
