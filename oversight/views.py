"""The province's oversight board and its export. Thin: the province from the current unit,
the permission from `org.access`, the figures from `oversight.services`."""

from __future__ import annotations

from collections.abc import Callable
from urllib.parse import urlencode

from django.contrib.auth.decorators import login_required
from django.middleware.csrf import get_token
from django.shortcuts import render
from django.urls import reverse

from core import clock
from core.pdf import docx_to_pdf
from core.views import DOCX, XLSX, deny, download, pdf_download
from org.access import reads_whole_country, visible_units
from org.models import Unit, UnitLevel
from org.shortcuts import check_visible, current_unit_or_404
from oversight import consolidated, services
from oversight import ministry as country
from oversight.table import (
    PERIOD_NAMES,
    Links,
    RowFrame,
    Words,
    board_xlsx,
    headers,
    rate_views,
    row_html,
    row_view,
    totals_view,
)
from reports.oversight import BY_KEY, PERIODS, ReportState


def _query_string(params: dict[str, str]) -> str:
    return "?" + urlencode(params)


def _province(request) -> Unit:
    """The province of the unit the person works on; "not found" unless they may see it (a
    commune's people never may)."""
    province = services.province_of(current_unit_or_404(request))
    check_visible(request, province)
    return province


def _board(request, province: Unit, *, paged: bool = True) -> services.Board:
    on = clock.today()
    query = services.board_query(request.GET, on=on)
    return services.build_board(
        province, query, on=on, page_size=services.PAGE_SIZE if paged else None
    )


@login_required
def board(request):
    province = _province(request)
    data = _board(request, province)
    query = data.query
    openable = (
        visible_units(request.user)
        .filter(province_id=province.pk, level=UnitLevel.COMMUNE)
        .values_list("pk", flat=True)
    )
    links, words = Links(openable), Words()
    columns = headers(query)
    frame = RowFrame.build([h.label for h in columns], reverse("switch_unit"), get_token(request))
    this_year = clock.today().year
    context = {
        "province": province,
        "board": data,
        "query": query,
        "rows": [row_html(row_view(row, links, words), frame) for row in data.page_rows],
        "totals": totals_view(data.totals),
        "headers": columns,
        "rates": rate_views(data),
        "export_query": _query_string(query.params(page=1)),
        "period_query": _query_string(services.BoardQuery(query.year, query.period).params()),
        "previous_url": _query_string(query.params(page=data.page - 1)),
        "next_url": _query_string(query.params(page=data.page + 1)),
        "clear_url": _query_string(services.BoardQuery(query.year, query.period).params()),
        "filtered": bool(query.late_only or query.assessment or query.report or query.q),
        "years": range(this_year + 1, this_year - 5, -1),
        "periods": [(p.key, PERIOD_NAMES[p.key]) for p in PERIODS],
        "stages": services.assessment_stages(),
        "report_states": [(s.value, s.label) for s in ReportState],
    }
    if request.htmx:
        return render(request, "oversight/_board.html", context)
    return render(request, "oversight/board.html", context)


@login_required
def export(request):
    province = _province(request)
    data = _board(request, province, paged=False)
    name = f"theo-doi-{province.code}-{data.query.year}-{data.query.period}.xlsx"
    return download(board_xlsx(data), XLSX, name)


def _consolidated(request, make) -> tuple[Callable[[], bytes], str]:
    """The province's consolidated report of the year and period chosen, as `make` (its .docx or
    its .xlsx) lays it out when called, and its file name without the extension."""
    province = _province(request)
    query = services.board_query(request.GET, on=clock.today())
    name = f"bao-cao-tong-hop-{province.code}-{query.year}-{query.period}"
    return lambda: make(province, query.year, query.period, on=clock.today()), name


@login_required
def consolidated_docx(request):
    """The province's consolidated report of the chosen year and period (.docx)."""
    document, name = _consolidated(request, consolidated.consolidated_docx)
    return download(document(), DOCX, f"{name}.docx")


@login_required
def consolidated_pdf(request):
    """The same consolidated report as PDF."""
    document, name = _consolidated(request, consolidated.consolidated_docx)
    return pdf_download(
        request, lambda: docx_to_pdf(document()), f"{name}.pdf", reverse("oversight_board")
    )


@login_required
def consolidated_xlsx(request):
    """Its table: one row per commune of the province, whatever the board's filters."""
    table, name = _consolidated(request, consolidated.consolidated_xlsx)
    return download(table(), XLSX, f"{name}.xlsx")


@login_required
def ministry(request):
    """The ministry's ranking of provinces, by their communes' mean PAR index and by their
    reporting rate; each province opens on its board."""
    if not reads_whole_country(request.user):
        raise deny()
    query = services.board_query(request.GET, on=clock.today())
    sort = request.GET.get("sort", "")
    sort = sort if sort in country.SORTS else "index"
    this_year = clock.today().year
    return render(
        request,
        "oversight/ministry.html",
        {
            "query": query,
            "sort": sort,
            "rows": country.ranking(query.year, query.period, sort),
            "period_label": BY_KEY[query.period].label(query.year),
            "years": range(this_year + 1, this_year - 5, -1),
            "periods": [(p.key, PERIOD_NAMES[p.key]) for p in PERIODS],
            "board_url": reverse("oversight_board")
            + _query_string(services.BoardQuery(query.year, query.period).params()),
        },
    )
