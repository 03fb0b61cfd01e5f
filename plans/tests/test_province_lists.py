"""The province's lists: its communes' plans and their overdue tasks, never another province's."""

from __future__ import annotations

from datetime import date

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from org.models import Role, Unit
from org.tests.conftest import World
from org.tests.factories import DepartmentFactory
from plans import services
from plans.models import Plan, PlanStatus, TaskStatus
from plans.tests.conftest import TODAY
from plans.tests.factories import AreaFactory, PlanFactory, TaskFactory


def _plan(
    unit: Unit,
    title: str,
    *,
    status: str = PlanStatus.IN_PROGRESS,
    overdue: int = 1,
    done: int = 0,
    year: int = 2026,
    late_since: date = date(2026, 1, 15),
) -> Plan:
    """A plan whose statuses were derived today: `overdue` tasks late since `late_since`, `done`
    tasks done and one not started."""
    plan = PlanFactory(
        unit=unit,
        title=title,
        number=f"{title[-2:]}/KH-UBND",
        status=status,
        period_start=date(year, 1, 1),
        period_end=date(year, 12, 31),
        statuses_on=TODAY,
    )
    area = AreaFactory(plan=plan, order=1, code="1")
    lead = DepartmentFactory(unit=unit, name=f"Phòng chủ trì {title}")
    for n in range(overdue):
        TaskFactory(
            plan=plan,
            area=area,
            lead_department=lead,
            number=str(n + 1),
            content=f"Việc quá hạn {n + 1} của {title}",
            status=TaskStatus.OVERDUE,
            next_due=late_since,
        )
    for n in range(done):
        TaskFactory(
            plan=plan,
            area=area,
            lead_department=lead,
            content=f"Việc đã xong {n + 1} của {title}",
            status=TaskStatus.DONE,
        )
    TaskFactory(plan=plan, area=area, lead_department=lead, content=f"Việc chưa làm của {title}")
    return plan


@pytest.fixture
def communes_work(world: World, frozen_today) -> dict[str, Plan]:
    return {
        "td": _plan(world.thanhdong, "Kế hoạch CCHC Thành Đông 01", done=2),
        "tt": _plan(world.thaitan, "Kế hoạch CCHC Thái Tân 02", late_since=date(2026, 1, 25)),
        "dq": _plan(world.dongquang, "Kế hoạch CCHC Đông Quang 03"),
    }


def _appraiser(client, world: World):
    client.force_login(world.people[Role.APPRAISER])
    return client


def _get(client, name: str, **params) -> str:
    response = client.get(reverse(name), params)
    assert response.status_code == 200
    return response.content.decode()


# --- plans -----------------------------------------------------------------------------------


def _table(client, name: str, **params) -> str:
    """The list alone, as the filters fetch it: without the page around it (whose unit switcher
    names every commune of the province)."""
    response = client.get(reverse(name), params, HTTP_HX_REQUEST="true")
    assert response.status_code == 200
    html = response.content.decode()
    assert "<html" not in html
    return html


def test_the_province_sees_the_plans_of_its_communes_only(client, world, communes_work):
    client = _appraiser(client, world)
    html = _get(client, "plan_list")
    assert "Kế hoạch CCHC Thành Đông 01" in html and "Kế hoạch CCHC Thái Tân 02" in html
    assert "Đông Quang" not in html  # neither the plan nor the filter offers Thanh Hoá's commune
    assert "01/KH-UBND" in html
    table = _table(client, "plan_list")
    assert "Phường Thành Đông" in table and "Xã Thái Tân" in table


def test_the_plan_list_counts_done_and_overdue_tasks(client, world, communes_work):
    html = _get(_appraiser(client, world), "plan_list", commune=world.thanhdong.pk)
    row = html.split("Kế hoạch CCHC Thành Đông 01", 1)[1].split("</tr>", 1)[0]
    cells = [c.split(">", 1)[1].split("<", 1)[0] for c in row.split('class="num"')[1:]]
    assert cells[:2] == ["4", "2"]  # four tasks, two done
    assert 'status-overdue">1<' in row


def test_the_commune_filter_year_and_status_narrow_the_plans(client, world, communes_work):
    client = _appraiser(client, world)
    html = _get(client, "plan_list", commune=world.thaitan.pk)
    assert "Thái Tân 02" in html and "Thành Đông 01" not in html
    _plan(world.thanhdong, "Kế hoạch CCHC Thành Đông 2025 04", year=2025)
    html = _get(client, "plan_list", year=2025)
    assert "Thành Đông 2025 04" in html and "Thành Đông 01" not in html
    _plan(world.thaitan, "Kế hoạch CCHC Thái Tân dự thảo 05", status=PlanStatus.DRAFT)
    html = _get(client, "plan_list", status=PlanStatus.DRAFT)
    assert "Thái Tân dự thảo 05" in html and "Thái Tân 02" not in html
    partial = _table(client, "plan_list", commune=world.thanhdong.pk)
    assert 'id="plan-table"' in partial and "Thành Đông 01" in partial
    assert "Xã Thái Tân" not in partial


@pytest.mark.parametrize(
    "params",
    [
        {"commune": "abc"},
        {"commune": "999999"},
        {"year": "năm ngoái"},
        {"status": "lost"},
        {"page": "x"},
        {"page": "999"},
    ],
)
def test_a_bad_filter_value_is_left_out_with_a_message(client, world, communes_work, params):
    html = _get(_appraiser(client, world), "plan_list", **params)
    assert "Thành Đông 01" in html and "Thái Tân 02" in html
    if "page" not in params:
        assert "ignored-filters" in html


def test_another_provinces_commune_is_not_offered_nor_shown(client, world, communes_work):
    html = _get(_appraiser(client, world), "plan_list", commune=world.dongquang.pk)
    assert "Đông Quang 03" not in html and "ignored-filters" in html


def test_a_commune_user_still_sees_only_its_own_plans(client, world, communes_work):
    client.force_login(world.people[Role.FOCAL])
    html = _get(client, "plan_list", commune=world.thaitan.pk)
    assert "Thành Đông 01" in html and "Thái Tân 02" not in html and "Đông Quang" not in html
    board = _get(client, "board", commune=world.thaitan.pk)
    assert "Việc quá hạn 1 của Kế hoạch CCHC Thành Đông 01" in board
    assert "Thái Tân" not in board


def _queries(client, name: str) -> int:
    client.get(reverse(name))  # statuses derived and caches filled on the first visit
    with CaptureQueriesContext(connection) as captured:
        assert client.get(reverse(name)).status_code == 200
    return len(captured)


@pytest.mark.parametrize("name", ["plan_list", "board"])
def test_queries_do_not_grow_with_the_number_of_plans(client, world, frozen_today, name):
    client = _appraiser(client, world)
    for n in range(2):
        _plan([world.thanhdong, world.thaitan][n % 2], f"Kế hoạch {n:02d}", overdue=2, done=1)
    few = _queries(client, name)
    for n in range(2, 6):
        _plan([world.thanhdong, world.thaitan][n % 2], f"Kế hoạch {n:02d}", overdue=2, done=1)
    assert Plan.objects.count() == 6
    assert _queries(client, name) == few


# --- overdue tasks ---------------------------------------------------------------------------


def test_the_province_follows_the_overdue_tasks_of_its_communes(client, world, communes_work):
    html = _get(_appraiser(client, world), "board")
    assert "Việc quá hạn 1 của Kế hoạch CCHC Thành Đông 01" in html
    assert "Việc quá hạn 1 của Kế hoạch CCHC Thái Tân 02" in html
    assert "Đông Quang" not in html
    assert "Việc chưa làm" not in html and "Việc đã xong" not in html
    # the latest first, with its days late on the day of the visit
    assert html.index("Thành Đông 01") < html.index("Thái Tân 02")
    assert ">17</span>" in html and ">7</span>" in html  # since 15/01 and 25/01, on 01/02
    assert "15/01/2026" in html and "Phòng chủ trì Kế hoạch CCHC Thành Đông 01" in html


def test_the_overdue_list_filters_by_commune(client, world, communes_work):
    client = _appraiser(client, world)
    html = _get(client, "board", commune=world.thaitan.pk)
    assert "Thái Tân 02" in html and "Việc quá hạn 1 của Kế hoạch CCHC Thành Đông 01" not in html
    table = _table(client, "board", commune=world.thaitan.pk)
    assert 'id="overdue-table"' in table and "Phường Thành Đông" not in table
    for bad in ("x", world.dongquang.pk):
        html = _get(client, "board", commune=bad)
        assert "ignored-filters" in html and "Đông Quang 03" not in html
        assert "Thái Tân 02" in html and "Thành Đông 01" in html


def test_drafts_and_closed_plans_are_not_followed(client, world, communes_work):
    _plan(world.thaitan, "Kế hoạch dự thảo 06", status=PlanStatus.DRAFT)
    _plan(world.thaitan, "Kế hoạch đã đóng 07", status=PlanStatus.CLOSED)
    html = _get(_appraiser(client, world), "board")
    assert "dự thảo 06" not in html and "đã đóng 07" not in html


def test_statuses_are_derived_again_before_the_province_reads_them(client, world, plan):
    """The commune's plan was not looked at today: its tasks become overdue on the visit."""
    Plan.objects.filter(pk=plan.pk).update(status=PlanStatus.IN_PROGRESS, statuses_on=None)
    plan.tasks.update(status=TaskStatus.NOT_STARTED, next_due=None)
    html = _get(_appraiser(client, world), "board")
    assert "Xây dựng và triển khai Kế hoạch cải cách hành chính" in html
    assert "rà soát đánh giá" not in html  # due at the end of February
    assert services.ensure_fresh_statuses([Plan.objects.get(pk=plan.pk)]) == 0
