"""The ministry's ranking of provinces: by the mean PAR index of their communes and by the share
of their communes whose report of a period was sent. Both rankings are computed by the database,
each in one grouped query with a window function (`RANK() OVER (ORDER BY … DESC)`), so the page
reads one row per province whatever the number of communes.
"""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal

from django.db.models import (
    Avg,
    Count,
    Exists,
    F,
    FloatField,
    OuterRef,
    Q,
    Window,
)
from django.db.models.functions import Cast, Rank

from org.models import Unit, UnitLevel
from oversight.services import ASSESSMENT_KIND
from reports.models import ReportingPeriod, ReportStatus
from reports.oversight import BY_KEY
from scoring.models import LOCKED_STATUSES, Assessment

SORTS = ("index", "reports")


@dataclass(frozen=True)
class ProvinceRow:
    unit_id: int
    code: str
    name: str
    communes: int
    assessed: int = 0  # communes whose self-assessment of the period was submitted
    mean_index: Decimal | None = None
    index_rank: int | None = None
    sent: int = 0
    on_time: int = 0
    report_rank: int | None = None

    @property
    def late(self) -> int:
        return self.sent - self.on_time

    @property
    def missing(self) -> int:
        return self.communes - self.sent

    @property
    def rate(self) -> Decimal | None:
        """The reporting rate, in per cent of the province's communes."""
        if not self.communes:
            return None
        return (Decimal(100 * self.sent) / self.communes).quantize(Decimal("0.1"))


def index_ranking(year: int, period: str) -> dict[int, dict]:
    """{province id: {"assessed", "mean", "rank"}}: the mean index of the communes whose
    self-assessment of the period's kind was submitted, ranked (equal means share a rank)."""
    rows = (
        Assessment.objects.filter(
            period__framework__year=year,
            period__kind=ASSESSMENT_KIND[period],
            status__in=list(LOCKED_STATUSES),
            unit__level=UnitLevel.COMMUNE,
        )
        .values(province=F("unit__province_id"))
        .annotate(
            assessed=Count("id"),
            mean=Avg("index"),
            rank=Window(Rank(), order_by=Avg("index").desc()),
        )
        .order_by()
    )
    return {row["province"]: row for row in rows}


def report_ranking(year: int, period: str) -> dict[int, dict]:
    """{province id: {"communes", "sent", "on_time", "rank"}} over the active communes of every
    province: a commune counts as sent when one of its reports of the period was sent, on time
    when that one was not late; ranked by the share sent."""
    chosen = BY_KEY[period]
    reports = ReportingPeriod.objects.filter(
        unit_id=OuterRef("pk"),
        year=year,
        kind=chosen.kind,
        number=chosen.number,
        report__status=ReportStatus.SENT,
    )
    share = Cast(Count("id", filter=Q(Exists(reports))), FloatField()) / Cast(
        Count("id"), FloatField()
    )
    rows = (
        Unit.objects.filter(level=UnitLevel.COMMUNE, is_active=True)
        .values("province_id")
        .annotate(
            communes=Count("id"),
            sent=Count("id", filter=Q(Exists(reports))),
            on_time=Count("id", filter=Q(Exists(reports.filter(report__sent_late=False)))),
            rank=Window(Rank(), order_by=share.desc()),
        )
        .order_by()
    )
    return {row["province_id"]: row for row in rows}


def ranking(year: int, period: str, sort: str = "index") -> list[ProvinceRow]:
    """Every province with its two ranks, in the order of `sort` ("index" or "reports");
    provinces without a rank last, by name."""
    index = index_ranking(year, period)
    reports = report_ranking(year, period)
    rows = []
    for unit in Unit.objects.filter(level=UnitLevel.PROVINCE).order_by("name"):
        i, r = index.get(unit.pk, {}), reports.get(unit.pk, {})
        mean = i.get("mean")
        rows.append(
            ProvinceRow(
                unit_id=unit.pk,
                code=unit.code,
                name=unit.full_name,
                communes=r.get("communes", 0),
                assessed=i.get("assessed", 0),
                mean_index=Decimal(mean).quantize(Decimal("0.01")) if mean is not None else None,
                index_rank=i.get("rank"),
                sent=r.get("sent", 0),
                on_time=r.get("on_time", 0),
                report_rank=r.get("rank") if r.get("communes") else None,
            )
        )
    key = "index_rank" if sort == "index" else "report_rank"
    rows.sort(key=lambda row: (getattr(row, key) is None, getattr(row, key) or 0))
    return rows
