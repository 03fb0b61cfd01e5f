"""The board page and its export: who may see it, what it lists, filters, order, totals, rates,
links that open, and a query count that does not grow with the communes."""

from __future__ import annotations

import io
import re
from datetime import date

from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from openpyxl import load_workbook

from org.models import Role, UnitKind
from org.tests.factories import UnitFactory, person_with_role
from oversight.services import BoardQuery, build_board, default_period
from oversight.tests.conftest import (
    TODAY,
    full_commune,
    scoring_round,
)
from reports.oversight import ReportState

BOARD = "/oversight/"


def appraiser_client(client, world):
    client.force_login(world.people[Role.APPRAISER])
    return client


def rows_of(response) -> list[str]:
    return [r.name for r in response.context["board"].rows]


def test_the_default_period_is_the_latest_one_due():
    assert default_period(2026, date(2026, 2, 1)) == "q1"
    assert default_period(2026, date(2026, 3, 10)) == "q1"
    assert default_period(2026, TODAY) == "h1"
    assert default_period(2026, date(2026, 12, 3)) == "q3"
    assert default_period(2025, TODAY) == "year"


def test_the_appraiser_sees_every_commune_of_the_province_only(client, world, province):
    response = appraiser_client(client, world).get(BOARD)
    assert response.status_code == 200
    assert rows_of(response) == ["Xã Thái Tân", "Phường Thành Đông"]
    html = response.content.decode()
    assert "Đông Quang" not in html and "99/KH-DQ" not in html
    board = response.context["board"]
    assert (board.query.year, board.query.period) == (2026, "h1")
    assert board.assessment_kind == "six_month"


def test_a_commune_never_opens_the_board(client, world, province):
    for role in (Role.FOCAL, Role.LEADER, Role.OFFICER):
        client.force_login(world.people[role])
        assert client.get(BOARD).status_code == 404
        assert client.get(reverse("oversight_export")).status_code == 404
    client.force_login(world.people["other_focal"])
    assert client.get(BOARD).status_code == 404


def test_a_province_leader_sees_the_board_without_links_to_communes(client, world, province):
    leader = person_with_role(Role.LEADER, world.haiphong, username="province_leader")
    client.force_login(leader)
    response = client.get(BOARD)
    assert response.status_code == 200
    assert rows_of(response) == ["Xã Thái Tân", "Phường Thành Đông"]
    html = response.content.decode()
    body = html[html.index("<tbody>") : html.index("</tbody>")]
    assert "href=" not in body and 'name="next"' not in body


def test_only_late_filter_and_other_filters(client, world, province):
    client = appraiser_client(client, world)
    assert rows_of(client.get(BOARD, {"late": "1"})) == ["Phường Thành Đông"]
    assert rows_of(client.get(BOARD, {"report": "late"})) == ["Phường Thành Đông"]
    assert rows_of(client.get(BOARD, {"report": "on_time"})) == ["Xã Thái Tân"]
    assert rows_of(client.get(BOARD, {"assessment": "submitted"})) == ["Xã Thái Tân"]
    assert rows_of(client.get(BOARD, {"q": "thanh dong"})) == ["Phường Thành Đông"]
    assert rows_of(client.get(BOARD, {"q": "31-TT"})) == ["Xã Thái Tân"]
    # The first quarter: both sent on time, and nothing else late at Thái Tân either.
    assert rows_of(client.get(BOARD, {"period": "q1", "late": "1"})) == ["Phường Thành Đông"]


def test_sorting_by_any_column(client, world, province):
    client = appraiser_client(client, world)
    assert rows_of(client.get(BOARD, {"sort": "-overdue"})) == ["Phường Thành Đông", "Xã Thái Tân"]
    assert rows_of(client.get(BOARD, {"sort": "overdue"})) == ["Xã Thái Tân", "Phường Thành Đông"]
    assert rows_of(client.get(BOARD, {"sort": "-index"})) == ["Xã Thái Tân", "Phường Thành Đông"]
    assert rows_of(client.get(BOARD, {"sort": "-name"})) == ["Phường Thành Đông", "Xã Thái Tân"]
    # A commune without a figure comes last either way.
    assert rows_of(client.get(BOARD, {"sort": "-satisfaction"}))[0] == "Xã Thái Tân"
    assert rows_of(client.get(BOARD, {"sort": "satisfaction"}))[0] == "Xã Thái Tân"
    # The header offers the other direction of the column sorted by.
    response = client.get(BOARD, {"sort": "-overdue"})
    header = next(h for h in response.context["headers"] if h.key == "overdue")
    assert (header.sorted, "sort=overdue" in header.url) == ("descending", True)
    for wrong in ("nonsense", "-"):
        assert client.get(BOARD, {"sort": wrong}).context["query"].sort == "name"


def test_totals_and_reporting_rates(client, world, province):
    response = appraiser_client(client, world).get(BOARD)
    board = response.context["board"]
    totals = board.totals
    assert (totals.communes, totals.plans, totals.tasks, totals.done, totals.overdue) == (
        2,
        2,
        4,
        2,
        1,
    )
    assert totals.reports[ReportState.ON_TIME] == 1
    assert totals.reports[ReportState.LATE] == 1
    assert (totals.submitted, totals.submitted_late, totals.findings_open) == (2, 1, 1)
    rates = {r.period.key: r for r in board.rates}
    assert (rates["q1"].expected, rates["q1"].on_time, rates["q1"].missing) == (2, 2, 0)
    assert (rates["h1"].on_time, rates["h1"].late, rates["h1"].missing) == (1, 1, 0)
    assert (rates["q3"].not_due, rates["year"].not_due) == (2, 2)
    assert rates["h1"].chosen
    html = response.content.decode()
    assert "2/2 đúng hạn" in html
    assert "1/2 đúng hạn, 1 trễ hạn" in html
    assert "0/2 đúng hạn, 2 chưa đến hạn" in html


def test_the_page_answers_htmx_with_the_table_alone(client, world, province):
    response = appraiser_client(client, world).get(
        BOARD, {"sort": "-overdue"}, HTTP_HX_REQUEST="true"
    )
    html = response.content.decode()
    assert "<html" not in html
    assert html.strip().startswith('<div id="board">')
    assert 'id="board-sort" value="-overdue" hx-swap-oob="true"' in html


def test_every_link_of_a_row_opens_for_the_appraiser(client, world, province):
    client = appraiser_client(client, world)
    html = client.get(BOARD).content.decode()
    body = html[html.index("<tbody>") : html.index("</tbody>")]
    links = set(re.findall(r'href="(/[^"#?]*)', body))
    kinds = {link.split("/")[1] for link in links}
    assert {"units", "plans", "reports", "scoring", "surveys"} <= kinds
    for link in links:
        assert client.get(link).status_code == 200, link
    # The findings open the province's list narrowed to the commune.
    findings = f"/inspections/findings/?commune={world.thanhdong.pk}&amp;state=open"
    assert findings in body
    response = client.get(findings.replace("&amp;", "&"))
    assert response.status_code == 200
    assert len(response.context["findings"]) == 1
    # Working on the commune, the board is still its province's.
    client.post(reverse("switch_unit"), {"unit": world.thanhdong.pk, "next": "/"})
    assert rows_of(client.get(BOARD)) == ["Xã Thái Tân", "Phường Thành Đông"]


def test_paging(world, today):
    six_month, _year, criteria_set = scoring_round(world.haiphong)
    for n in range(3):
        full_commune(world.haiphong, n, (six_month, criteria_set))
    query = BoardQuery(year=2026, period="h1", page=2)
    board = build_board(world.haiphong, query, on=TODAY, page_size=2)
    assert (board.page, board.pages, len(board.rows), len(board.page_rows)) == (2, 3, 5, 2)
    assert board.totals.communes == 5
    last = build_board(world.haiphong, BoardQuery(2026, "h1", page=9), on=TODAY, page_size=2)
    assert (last.page, [r.name for r in last.page_rows]) == (3, ["Phường Thành Đông"])
    assert not last.has_next and board.has_next


def _board_queries(client, url: str) -> int:
    client.get(url)  # sessions and caches settle first
    with CaptureQueriesContext(connection) as queries:
        assert client.get(url).status_code == 200
    return len(queries)


def test_the_query_count_does_not_grow_with_the_communes(client, world, today):
    six_month, _year, criteria_set = scoring_round(world.haiphong)
    other = UnitFactory(code="39", name="Tỉnh Thử", kind=UnitKind.PROVINCE, parent=None)
    six_other, _y, set_other = scoring_round(other)
    for n in range(3):
        full_commune(world.haiphong, n, (six_month, criteria_set))
    for n in range(8):
        full_commune(other, n, (six_other, set_other))
    small = appraiser_client(client, world)
    small_count = _board_queries(small, BOARD)
    export_small = _board_queries(small, reverse("oversight_export"))
    from django.test import Client

    big = Client()
    big.force_login(person_with_role(Role.APPRAISER, other, username="other_appraiser"))
    assert rows_of(big.get(BOARD)) == [f"Xã Số {n:02d}" for n in range(8)]
    assert _board_queries(big, BOARD) == small_count
    assert _board_queries(big, reverse("oversight_export")) == export_small


def test_the_export_has_a_row_per_commune_a_header_and_totals(client, world, province):
    response = appraiser_client(client, world).get(reverse("oversight_export"), {"period": "h1"})
    assert response.status_code == 200
    assert response["Content-Disposition"].endswith('.xlsx"')
    sheet = load_workbook(io.BytesIO(response.content)).active
    rows = list(sheet.iter_rows(values_only=True))
    assert len(rows) == 1 + 2 + 1
    header, first, second, totals = rows
    assert header[0] and header[2]
    assert [first[0], second[0]] == ["Xã Thái Tân", "Phường Thành Đông"]
    assert second[2] == "16/KH-UBND"
    assert second[9] == 1  # overdue tasks
    assert sheet["D3"].number_format == "DD/MM/YYYY"
    assert totals[5] == 4  # tasks
    assert totals[9] == 1
    # The same filters as the page.
    late = appraiser_client(client, world).get(reverse("oversight_export"), {"late": "1"})
    assert len(list(load_workbook(io.BytesIO(late.content)).active.iter_rows())) == 3


def test_the_province_home_links_to_the_board(client, world, province):
    response = appraiser_client(client, world).get(reverse("home"))
    assert reverse("oversight_board") in response.content.decode()
    client.force_login(world.people[Role.FOCAL])
    assert reverse("oversight_board") not in client.get(reverse("home")).content.decode()
