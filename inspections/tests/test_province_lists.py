"""The province's list of findings: every commune under it, one commune when chosen, never
another province's."""

from __future__ import annotations

from datetime import date

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from inspections import services
from inspections.models import Finding, Severity, TeamRole
from org.models import Role, Unit
from org.tests.conftest import World, login
from org.tests.factories import DepartmentFactory, person_with_role

pytestmark = pytest.mark.django_db


def _findings(unit: Unit, label: str, count: int = 1) -> list[Finding]:
    """An inspection plan of `unit` with one round and `count` findings "<label> n"."""
    department = DepartmentFactory(unit=unit, name=f"Văn phòng {label}")
    leader = person_with_role(Role.FOCAL, unit, department)
    plan = services.create_plan(
        unit,
        title=f"Kế hoạch kiểm tra {label}",
        year=2026,
        lead_department=department,
        template=services.default_template(),
    )
    round_ = services.add_round(
        plan, name=f"Đợt 1 {label}", start=date(2026, 7, 1), end=date(2026, 7, 10)
    )
    services.add_team_member(round_, role=TeamRole.LEADER, user=leader)
    services.add_subject(round_, department, areas=list(plan.areas.all()[:1]))
    return [
        services.record_finding(
            round_,
            leader,
            services.FindingData(
                description=f"{label} {n + 1}",
                department=department,
                responsible_department=department,
                responsible_person=None,
                deadline=date(2026, 1, 15) if n == 0 else date(2026, 9, 1),
                severity=Severity.MEDIUM,
                recommendation="",
            ),
        )
        for n in range(count)
    ]


@pytest.fixture
def communes_findings(world: World, frozen_today) -> None:
    _findings(world.thanhdong, "Tồn tại Thành Đông")
    _findings(world.thaitan, "Tồn tại Thái Tân", count=2)
    _findings(world.dongquang, "Tồn tại Đông Quang")


def _table(client, **params) -> str:
    """The list alone, as the filters fetch it: without the page around it (whose unit switcher
    names every commune of the province)."""
    response = client.get(reverse("finding_list"), params, HTTP_HX_REQUEST="true")
    assert response.status_code == 200
    html = response.content.decode()
    assert 'id="finding-table"' in html and "<html" not in html
    return html


def test_the_province_sees_the_findings_of_all_its_communes(client, world, communes_findings):
    client = login(client, world, Role.APPRAISER)
    page = client.get(reverse("finding_list")).content.decode()
    assert "Tồn tại Thành Đông 1" in page and "Tồn tại Thái Tân 2" in page
    assert "Đông Quang" not in page  # neither its findings nor the commune to choose
    assert 'name="commune"' in page and 'name="department"' not in page
    html = _table(client)
    assert html.count('class="finding-unit"') == 3
    assert "Phường Thành Đông" in html and "Xã Thái Tân" in html


def test_the_commune_filter_narrows_and_keeps_the_other_filters(client, world, communes_findings):
    client = login(client, world, Role.APPRAISER)
    html = _table(client, commune=world.thaitan.pk)
    assert "Tồn tại Thái Tân 1" in html and "Tồn tại Thái Tân 2" in html
    assert "Thành Đông" not in html
    html = _table(client, commune=world.thaitan.pk, state="overdue")
    assert "Tồn tại Thái Tân 1" in html and "Tồn tại Thái Tân 2" not in html


@pytest.mark.parametrize(
    "params",
    [{"commune": "abc"}, {"commune": "999999"}, {"commune": "-1"}, {"page": "zz"}],
)
def test_a_bad_commune_is_left_out_with_a_message(client, world, communes_findings, params):
    html = _table(login(client, world, Role.APPRAISER), **params)
    assert html.count('class="finding-unit"') == 3
    if "commune" in params:
        assert "alert warn" in html


def test_another_provinces_commune_cannot_be_chosen(client, world, communes_findings):
    html = _table(login(client, world, Role.APPRAISER), commune=world.dongquang.pk)
    assert "alert warn" in html and "Tồn tại Đông Quang" not in html
    assert html.count('class="finding-unit"') == 3


def test_a_commune_user_still_sees_only_its_own_findings(client, world, communes_findings):
    client.force_login(world.people[Role.LEADER])
    page = client.get(reverse("finding_list"), {"commune": world.thaitan.pk}).content.decode()
    assert "Tồn tại Thành Đông 1" in page and "Thái Tân" not in page
    assert 'name="department"' in page and 'name="commune"' not in page
    assert 'class="finding-unit"' not in page


def _queries(client) -> int:
    with CaptureQueriesContext(connection) as captured:
        assert client.get(reverse("finding_list")).status_code == 200
    return len(captured)


def test_queries_do_not_grow_with_the_number_of_findings(client, world, frozen_today):
    client = login(client, world, Role.APPRAISER)
    _findings(world.thanhdong, "Đợt A")
    _findings(world.thaitan, "Đợt B")
    client.get(reverse("finding_list"))
    few = _queries(client)
    for n in range(4):
        _findings([world.thanhdong, world.thaitan][n % 2], f"Đợt {n}", count=2)
    assert Finding.objects.count() == 10
    assert _queries(client) == few
