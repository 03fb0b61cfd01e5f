"""The province's list of its communes' reports: sent on time, sent late, missing, not due yet."""

from __future__ import annotations

from datetime import date, datetime

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from core import clock
from org.models import Role, Unit
from org.tests.conftest import World, login
from plans.models import Plan, PlanStatus
from plans.province import communes_under
from plans.tests.factories import PlanFactory
from reports import province, services
from reports.models import Report, ReportingPeriod, ReportStatus

TODAY = date(2026, 7, 20)  # the first quarter and the six months are due, the third quarter not


@pytest.fixture
def july(monkeypatch) -> date:
    monkeypatch.setattr(clock, "today", lambda: TODAY)
    return TODAY


def _plan(unit: Unit, title: str, status: str = PlanStatus.IN_PROGRESS) -> Plan:
    return PlanFactory(
        unit=unit,
        title=title,
        status=status,
        period_start=date(2026, 1, 1),
        period_end=date(2026, 12, 31),
    )


def _report(period: ReportingPeriod, *, sent_on: date | None = None, late: bool = False) -> Report:
    if sent_on is None:
        return Report.objects.create(period=period, status=ReportStatus.DRAFT)
    return Report.objects.create(
        period=period,
        status=ReportStatus.SENT,
        sent_at=timezone.make_aware(datetime(sent_on.year, sent_on.month, sent_on.day, 9)),
        sent_late=late,
    )


@pytest.fixture
def communes_reports(world: World, july) -> dict[str, Plan]:
    """Thành Đông sent its first quarter on time and its six months late; Thái Tân never opened
    its reports page; Thái Tân's second plan has a draft report of the first quarter; Đông Quang
    (another province) sent its first quarter."""
    thanhdong = _plan(world.thanhdong, "Kế hoạch CCHC Thành Đông")
    periods = {p.kind + str(p.number): p for p in services.ensure_periods(thanhdong)}
    _report(periods["quarter1"], sent_on=date(2026, 3, 9))
    _report(periods["six_month1"], sent_on=date(2026, 6, 15), late=True)
    thaitan = _plan(world.thaitan, "Kế hoạch CCHC Thái Tân")
    draft = _plan(world.thaitan, "Kế hoạch truyền thông CCHC Thái Tân")
    _report(services.ensure_periods(draft)[0])
    _plan(world.thaitan, "Kế hoạch dự thảo Thái Tân", status=PlanStatus.DRAFT)
    dongquang = _plan(world.dongquang, "Kế hoạch CCHC Đông Quang")
    _report(services.ensure_periods(dongquang)[0], sent_on=date(2026, 3, 1))
    return {"thanhdong": thanhdong, "thaitan": thaitan, "draft": draft}


def _table(client, **params) -> str:
    """The list alone, as the filters fetch it: without the page around it (whose unit switcher
    names every commune of the province)."""
    response = client.get(reverse("report_home"), params, HTTP_HX_REQUEST="true")
    assert response.status_code == 200
    html = response.content.decode()
    assert 'id="report-table"' in html and "<html" not in html
    return html


def _rows(html: str) -> list[str]:
    return html.split('<tr class="report-state-')[1:]


def test_each_period_of_each_commune_says_where_its_report_stands(world, communes_reports):
    appraiser = world.people[Role.APPRAISER]
    rows = province.commune_reports(appraiser, communes_under(appraiser, world.haiphong), TODAY)
    found = {(r.commune, r.plan, r.key): r.state for r in rows}
    td, tt = "Kế hoạch CCHC Thành Đông", "Kế hoạch CCHC Thái Tân"
    tt_draft = "Kế hoạch truyền thông CCHC Thái Tân"
    assert found == {
        ("Phường Thành Đông", td, "quarter-2026-1"): "on_time",
        ("Phường Thành Đông", td, "six_month-2026-1"): "late",
        ("Phường Thành Đông", td, "quarter-2026-3"): "not_due",
        ("Phường Thành Đông", td, "year-2026-0"): "not_due",
        # never opened: the periods still count, the passed ones as missing
        ("Xã Thái Tân", tt, "quarter-2026-1"): "missing",
        ("Xã Thái Tân", tt, "six_month-2026-1"): "missing",
        ("Xã Thái Tân", tt, "quarter-2026-3"): "not_due",
        ("Xã Thái Tân", tt, "year-2026-0"): "not_due",
        # a report written but not sent by its due date is missing too
        ("Xã Thái Tân", tt_draft, "quarter-2026-1"): "missing",
        ("Xã Thái Tân", tt_draft, "six_month-2026-1"): "missing",
        ("Xã Thái Tân", tt_draft, "quarter-2026-3"): "not_due",
        ("Xã Thái Tân", tt_draft, "year-2026-0"): "not_due",
    }
    assert rows[0].unit_due == date(2026, 12, 10)  # the latest due first
    sent = next(r for r in rows if r.state == "on_time")
    assert sent.sent_on == date(2026, 3, 9) and sent.period_id is not None


def test_nothing_is_written_when_the_province_looks(client, world, communes_reports):
    before = ReportingPeriod.objects.count()
    login(client, world, Role.APPRAISER).get(reverse("report_home"))
    assert ReportingPeriod.objects.count() == before


def test_the_province_sees_its_communes_reports_and_not_another_provinces(
    client, world, communes_reports
):
    client = login(client, world, Role.APPRAISER)
    page = client.get(reverse("report_home")).content.decode()
    assert "Đông Quang" not in page  # neither a row nor a commune to choose
    html = _table(client)
    assert len(_rows(html)) == 12
    assert "Phường Thành Đông" in html and "Xã Thái Tân" in html
    assert "09/03/2026" in html and "15/06/2026" in html  # the days they were sent
    assert "Kế hoạch dự thảo" not in html


def test_the_commune_period_and_status_filters_narrow(client, world, communes_reports):
    client = login(client, world, Role.APPRAISER)
    html = _table(client, commune=world.thaitan.pk)
    assert len(_rows(html)) == 8 and "Phường Thành Đông" not in html
    html = _table(client, period="quarter-2026-1")
    assert len(_rows(html)) == 3 and "Quý I/2026" in html and "Quý III/2026" not in html
    html = _table(client, commune=world.thanhdong.pk, state="late")
    assert [row.split('"', 1)[0] for row in _rows(html)] == ["late"]
    html = _table(client, state="missing")
    assert len(_rows(html)) == 4 and "Phường Thành Đông" not in html


@pytest.mark.parametrize(
    "params",
    [
        {"commune": "abc"},
        {"commune": "999999"},
        {"period": "quarter-2026-9"},
        {"period": "<script>"},
        {"state": "lost"},
        {"page": "-1"},
    ],
)
def test_a_bad_filter_value_is_left_out_with_a_message(client, world, communes_reports, params):
    html = _table(login(client, world, Role.APPRAISER), **params)
    assert len(_rows(html)) == 12
    if "page" not in params:
        assert "ignored-filters" in html
    assert "<script>" not in html


def test_another_provinces_commune_cannot_be_chosen(client, world, communes_reports):
    html = _table(login(client, world, Role.APPRAISER), commune=world.dongquang.pk)
    assert "ignored-filters" in html and "Đông Quang" not in html.split("</div>", 1)[1]


def test_a_commune_user_still_sees_its_own_reporting_periods(client, world, communes_reports):
    client.force_login(world.people[Role.FOCAL])
    html = client.get(reverse("report_home"), {"commune": world.thaitan.pk}).content.decode()
    assert "Kế hoạch CCHC Thành Đông" in html and "Thái Tân" not in html
    assert "report-table" not in html


def _queries(client) -> int:
    with CaptureQueriesContext(connection) as captured:
        assert client.get(reverse("report_home")).status_code == 200
    return len(captured)


def test_queries_do_not_grow_with_the_number_of_plans(client, world, july):
    client = login(client, world, Role.APPRAISER)

    def add(n: int) -> None:
        unit = [world.thanhdong, world.thaitan][n % 2]
        plan = _plan(unit, f"Kế hoạch {n}")
        if n % 2:
            _report(services.ensure_periods(plan)[0], sent_on=date(2026, 3, 5))

    for n in range(2):
        add(n)
    client.get(reverse("report_home"))
    few = _queries(client)
    for n in range(2, 6):
        add(n)
    assert Plan.objects.count() == 6
    assert _queries(client) == few
