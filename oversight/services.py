"""The province's oversight board: one row per commune of the province with its plan, tasks,
targets, periodic report, PAR-index self-assessment, inspection findings and citizen
satisfaction, filtered, sorted, totalled and paged, and the reporting rates of every period.

Each domain answers for its own facts (`<app>/oversight.py`), each in a fixed number of grouped
queries; the board asks each once for every commune of the province, so the page makes the same
number of queries for 20 communes as for 170.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field, replace
from datetime import date
from decimal import Decimal

from core.text import fold
from inspections.oversight import FindingFacts, finding_facts
from org.models import Unit, UnitKind, UnitLevel
from plans.models import PlanStatus
from plans.oversight import IMPORTED, PlanFacts, plan_facts
from province_requests.oversight import RequestFacts, request_facts
from reports.oversight import BY_KEY, PERIODS, Period, ReportFacts, ReportState, report_facts
from scoring.models import AssessmentStatus, PeriodKind
from scoring.oversight import (
    NOT_STARTED,
    NOT_STARTED_LABEL,
    STAGES,
    AssessmentFacts,
    assessment_facts,
)
from surveys.oversight import SatisfactionFacts, satisfaction_facts

PAGE_SIZE = 50
NO_FINDINGS = FindingFacts()
NO_SURVEY = SatisfactionFacts()
NO_REQUESTS = RequestFacts()

# The self-assessment a reporting period looks at: the six-month one until the third quarter
# (it is appraised then), the year's at the year's end.
ASSESSMENT_KIND = {
    "q1": PeriodKind.SIX_MONTH,
    "h1": PeriodKind.SIX_MONTH,
    "q3": PeriodKind.SIX_MONTH,
    "year": PeriodKind.YEAR,
}
PLAN_ORDER = [
    IMPORTED,
    PlanStatus.DRAFT,
    PlanStatus.APPROVED,
    PlanStatus.IN_PROGRESS,
    PlanStatus.CLOSED,
]
REPORT_ORDER = [ReportState.ON_TIME, ReportState.NOT_DUE, ReportState.LATE, ReportState.MISSING]


@dataclass(frozen=True)
class BoardQuery:
    """What the person asked the board for: the year and period, filters, order and page."""

    year: int
    period: str  # a key of reports.oversight.PERIODS
    sort: str = "name"  # a key of SORTS, "-" in front for descending
    late_only: bool = False
    assessment: str = ""  # a stage of scoring.oversight.STAGES
    report: str = ""  # a ReportState
    q: str = ""
    page: int = 1

    @property
    def sort_key(self) -> str:
        return self.sort.lstrip("-")

    @property
    def descending(self) -> bool:
        return self.sort.startswith("-")

    def params(self, **changes) -> dict[str, str]:
        """The query string of this view of the board, with `changes`; defaults left out."""
        chosen = replace(self, **changes)
        params = {"year": str(chosen.year), "period": chosen.period}
        if chosen.sort != "name":
            params["sort"] = chosen.sort
        if chosen.late_only:
            params["late"] = "1"
        if chosen.assessment:
            params["assessment"] = chosen.assessment
        if chosen.report:
            params["report"] = chosen.report
        if chosen.q:
            params["q"] = chosen.q
        if chosen.page != 1:
            params["page"] = str(chosen.page)
        return params


def default_period(year: int, on: date) -> str:
    """The latest period of `year` whose report fell due by `on`; the first one before that."""
    passed = [p.key for p in PERIODS if p.due(year) <= on]
    return passed[-1] if passed else PERIODS[0].key


def _int(text: str | None, default: int) -> int:
    try:
        return int(text) if text else default
    except ValueError:
        return default


def board_query(params: Mapping[str, str], *, on: date) -> BoardQuery:
    """The board asked for by a query string; anything unreadable falls back to its default."""
    year = _int(params.get("year"), on.year)
    if not 2000 <= year <= 2100:
        year = on.year
    period = params.get("period", "")
    if period not in BY_KEY:
        period = default_period(year, on)
    sort = params.get("sort", "") or "name"
    if sort.lstrip("-") not in SORTS:
        sort = "name"
    assessment = params.get("assessment", "")
    report = params.get("report", "")
    return BoardQuery(
        year=year,
        period=period,
        sort=sort,
        late_only=params.get("late", "") in ("1", "on", "true"),
        assessment=assessment if assessment in STAGES else "",
        report=report if report in {s.value for s in ReportState} else "",
        q=params.get("q", "").strip()[:100],
        page=max(1, _int(params.get("page"), 1)),
    )


@dataclass
class CommuneRow:
    """One commune's facts, as the domains gave them."""

    unit_id: int
    code: str
    name: str  # as documents write it: "Phường Thành Đông"
    search: str  # folded, for the name search
    plan: PlanFacts | None
    report: ReportFacts
    assessment: AssessmentFacts
    findings: FindingFacts
    satisfaction: SatisfactionFacts
    requests: RequestFacts = NO_REQUESTS

    @property
    def late(self) -> bool:
        """Something is late: an overdue task, the period's report late or missing, the
        self-assessment handed in late or past its due date, an overdue finding, or a request
        of the province answered late or not answered by its due date."""
        return bool(
            (self.plan and self.plan.overdue)
            or self.report.state in (ReportState.LATE, ReportState.MISSING)
            or self.assessment.submitted_late
            or self.assessment.overdue
            or self.findings.overdue
            or self.requests.late
            or self.requests.missing
        )


def _plan_key(row: CommuneRow):
    return PLAN_ORDER.index(row.plan.status) if row.plan else None


# Sortable columns: the value a row is sorted by (None sorts last either way).
SORTS: dict[str, Callable[[CommuneRow], object]] = {
    "name": lambda r: r.search,
    "plan": _plan_key,
    "done": lambda r: r.plan.done_share if r.plan else None,
    "overdue": lambda r: r.plan.overdue if r.plan else None,
    "targets": lambda r: (r.plan.targets_met, -r.plan.targets_not_met) if r.plan else None,
    "report": lambda r: REPORT_ORDER.index(r.report.state),
    "assessment": lambda r: STAGES.index(r.assessment.status),
    "index": lambda r: r.assessment.index,
    "findings": lambda r: r.findings.open,
    "findings_overdue": lambda r: r.findings.overdue,
    "satisfaction": lambda r: r.satisfaction.share,
    "requests": lambda r: (r.requests.missing, r.requests.late) if r.requests.asked else None,
}


@dataclass
class Totals:
    """The sums of the rows shown (all pages)."""

    communes: int = 0
    plans: int = 0
    tasks: int = 0
    done: int = 0
    done_late: int = 0
    overdue: int = 0
    targets_met: int = 0
    targets_not_met: int = 0
    targets_not_measured: int = 0
    reports: Counter = field(default_factory=Counter)
    assessments: Counter = field(default_factory=Counter)
    submitted: int = 0
    submitted_late: int = 0
    assessments_overdue: int = 0
    findings_open: int = 0
    findings_overdue: int = 0
    responses: int = 0
    ratings: int = 0
    satisfied: int = 0
    requests_asked: int = 0
    requests_on_time: int = 0
    requests_late: int = 0
    requests_missing: int = 0
    late: int = 0

    @property
    def done_share(self) -> Decimal | None:
        return Decimal(100 * self.done) / Decimal(self.tasks) if self.tasks else None

    @property
    def satisfaction(self) -> Decimal | None:
        return SatisfactionFacts(ratings=self.ratings, satisfied=self.satisfied).share

    def add(self, row: CommuneRow) -> None:
        self.communes += 1
        self.late += row.late
        if row.plan:
            p = row.plan
            self.plans += 1
            self.tasks += p.tasks
            self.done += p.done
            self.done_late += p.done_late
            self.overdue += p.overdue
            self.targets_met += p.targets_met
            self.targets_not_met += p.targets_not_met
            self.targets_not_measured += p.targets_not_measured
        self.reports[row.report.state] += 1
        self.assessments[row.assessment.status] += 1
        self.submitted += row.assessment.submitted
        self.submitted_late += row.assessment.submitted_late
        self.assessments_overdue += row.assessment.overdue
        self.findings_open += row.findings.open
        self.findings_overdue += row.findings.overdue
        self.responses += row.satisfaction.responses
        self.ratings += row.satisfaction.ratings
        self.satisfied += row.satisfaction.satisfied
        self.requests_asked += row.requests.asked
        self.requests_on_time += row.requests.on_time
        self.requests_late += row.requests.late
        self.requests_missing += row.requests.missing


@dataclass(frozen=True)
class Rate:
    """A period's reporting rate over every commune of the province, the way DHIS2 gives it:
    "87 of 104 on time, 9 late, 8 missing"."""

    period: Period
    label: str
    due: date
    expected: int
    on_time: int
    late: int
    missing: int
    not_due: int
    chosen: bool

    @property
    def sent(self) -> int:
        return self.on_time + self.late

    def percent(self, count: int) -> int:
        """Whole per cent of the communes, for the bar's widths."""
        return round(100 * count / self.expected) if self.expected else 0


@dataclass
class Board:
    province: Unit
    query: BoardQuery
    period: Period
    assessment_kind: str
    communes: int  # in the province, before filters
    rows: list[CommuneRow]  # filtered and sorted, every page
    page_rows: list[CommuneRow]
    page: int
    pages: int
    totals: Totals
    rates: list[Rate]

    @property
    def has_next(self) -> bool:
        return self.page < self.pages


def _full_name(kind: str, name: str, labels: dict[str, str]) -> str:
    """`Unit.full_name` from plain values."""
    return f"{labels[kind]} {name}"


def communes_of(province: Unit) -> list[dict]:
    """The active commune-level units of the province (one query)."""
    return list(
        Unit.objects.filter(province_id=province.pk, level=UnitLevel.COMMUNE, is_active=True)
        .values("id", "code", "name", "kind", "search_text")
        .order_by()  # sorted as asked, later
    )


def gather(province: Unit, year: int, period: str, *, on: date) -> tuple[list[CommuneRow], dict]:
    """Every commune of the province with each domain's facts, and the report facts of every
    period (for the rates)."""
    units = communes_of(province)
    ids = [u["id"] for u in units]
    plans = plan_facts(ids, year, on=on)
    reports = report_facts(ids, year, on=on)
    assessments = assessment_facts(ids, year, ASSESSMENT_KIND[period], on=on)
    findings = finding_facts(ids, year, on=on)
    surveys = satisfaction_facts(ids, year)
    asked = request_facts(ids, year, on=on)
    labels = {k: str(label) for k, label in UnitKind.choices}
    rows = [
        CommuneRow(
            unit_id=u["id"],
            code=u["code"],
            name=_full_name(u["kind"], u["name"], labels),
            search=u["search_text"] or fold(u["name"]),
            plan=plans.get(u["id"]),
            report=reports[period][u["id"]],
            assessment=assessments[u["id"]],
            findings=findings.get(u["id"], NO_FINDINGS),
            satisfaction=surveys.get(u["id"], NO_SURVEY),
            requests=asked.get(u["id"], NO_REQUESTS),
        )
        for u in units
    ]
    return rows, reports


def _matches(row: CommuneRow, query: BoardQuery, words: str) -> bool:
    if query.late_only and not row.late:
        return False
    if query.assessment and row.assessment.status != query.assessment:
        return False
    if query.report and row.report.state != query.report:
        return False
    return not words or words in row.search


def sort_rows(rows: list[CommuneRow], sort: str) -> list[CommuneRow]:
    """Rows in the asked order, by name within equal values; rows without a value last."""
    value = SORTS[sort.lstrip("-")]
    by_name = sorted(rows, key=lambda r: (r.search, r.unit_id))
    keyed = [(value(r), r) for r in by_name]
    known = [pair for pair in keyed if pair[0] is not None]
    known.sort(key=lambda pair: pair[0], reverse=sort.startswith("-"))
    return [r for _v, r in known] + [r for v, r in keyed if v is None]


def rates(rows: list[CommuneRow], reports: dict, year: int, chosen: str) -> list[Rate]:
    result = []
    for period in PERIODS:
        states = Counter(reports[period.key][r.unit_id].state for r in rows)
        result.append(
            Rate(
                period=period,
                label=period.label(year),
                due=period.due(year),
                expected=len(rows),
                on_time=states[ReportState.ON_TIME],
                late=states[ReportState.LATE],
                missing=states[ReportState.MISSING],
                not_due=states[ReportState.NOT_DUE],
                chosen=period.key == chosen,
            )
        )
    return result


def build_board(
    province: Unit, query: BoardQuery, *, on: date, page_size: int | None = PAGE_SIZE
) -> Board:
    """The board of `province` as `query` asks, as of `on`; every row when `page_size` is
    None (the export)."""
    rows, reports = gather(province, query.year, query.period, on=on)
    words = fold(query.q).strip()
    shown = sort_rows([r for r in rows if _matches(r, query, words)], query.sort)
    totals = Totals()
    for row in shown:
        totals.add(row)
    size = page_size or max(1, len(shown))
    pages = max(1, -(-len(shown) // size))
    page = min(query.page, pages)
    return Board(
        province=province,
        query=query,
        period=BY_KEY[query.period],
        assessment_kind=ASSESSMENT_KIND[query.period],
        communes=len(rows),
        rows=shown,
        page_rows=shown[(page - 1) * size : page * size],
        page=page,
        pages=pages,
        totals=totals,
        rates=rates(rows, reports, query.year, query.period),
    )


def province_of(unit: Unit) -> Unit:
    """The province a unit belongs to (itself for a province)."""
    if unit.level == UnitLevel.PROVINCE or unit.province_id in (None, unit.pk):
        return unit
    return Unit.objects.get(pk=unit.province_id)


def assessment_stages() -> list[tuple[str, str]]:
    """The self-assessment stages a row may be filtered by, in their order."""
    return [(NOT_STARTED, str(NOT_STARTED_LABEL)), *AssessmentStatus.choices]
