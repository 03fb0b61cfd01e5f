"""The board drawn: each row's cells as plain strings and links, formatted once in Python (the
template engine is the slow part of a wide table), the totals row, the sorting headers, and the
same rows as an .xlsx workbook."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date
from decimal import Decimal
from html import escape as html_escape
from urllib.parse import urlencode

from django.urls import reverse
from django.utils.html import escape
from django.utils.safestring import SafeString, mark_safe
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, ngettext
from openpyxl import Workbook
from openpyxl.styles import Alignment, Font

from core.numbers import format_number
from core.sheets import workbook_bytes
from oversight.services import Board, BoardQuery, CommuneRow, Totals
from plans.models import PlanStatus
from plans.oversight import IMPORTED
from reports.oversight import ReportState
from scoring.models import AssessmentStatus
from scoring.oversight import NOT_STARTED, NOT_STARTED_LABEL

PLAN_LABELS = {IMPORTED: gettext_lazy("Imported draft"), **dict(PlanStatus.choices)}
# Short names of the self-assessment's stages for a narrow column; the full one is its title.
STAGE_LABELS = {
    NOT_STARTED: NOT_STARTED_LABEL,
    AssessmentStatus.DRAFT: gettext_lazy("Being scored"),
    AssessmentStatus.APPROVED: gettext_lazy("Approved"),
    AssessmentStatus.SUBMITTED: gettext_lazy("Submitted"),
    AssessmentStatus.APPRAISED: gettext_lazy("Appraisal sent"),
    AssessmentStatus.ANSWERED: gettext_lazy("Answered"),
    AssessmentStatus.CLOSED: gettext_lazy("Closed"),
}
STAGE_TITLES = {NOT_STARTED: NOT_STARTED_LABEL, **dict(AssessmentStatus.choices)}


def day(value: date | None) -> str:
    return value.strftime("%d/%m/%Y") if value else ""


def count(value: int) -> str:
    """A count as `format_number` writes it, quicker for the small ones a row holds."""
    return str(value) if 0 <= value < 1000 else format_number(value)


def percent(value: Decimal | None, places: int = 0) -> str:
    return "" if value is None else format_number(value, places) + "%"


def _short(text: str, limit: int = 60) -> str:
    return text if len(text) <= limit else text[: limit - 1].rstrip() + "…"


class Links:
    """Where each cell leads. Only the communes the person may open get links. The findings go
    to the province's list of findings, narrowed to the commune; a commune's several survey
    campaigns are listed from the commune itself, reached by switching to it: that cell carries
    the page to go to after the switch."""

    NAMES = {
        "unit": "unit_detail",
        "plan": "plan_detail",
        "task": "task_detail",
        "period": "report_period",
        "assessment": "scoring_assessment",
        "results": "scoring_results",
        "ranking": "scoring_ranking",
        "campaign": "survey_campaign",
    }
    _PLACEHOLDER = "987654321"

    def __init__(self, openable: Iterable[int]):
        self.openable = frozenset(openable)
        # Each reversed once; a row's link is the pattern with its key.
        self.patterns = {
            key: reverse(name, args=[self._PLACEHOLDER]).replace(self._PLACEHOLDER, "{}")
            for key, name in self.NAMES.items()
        }
        self.findings = reverse("finding_list") + "?commune={}&state={}"
        self.surveys = reverse("survey_home")
        self.requests = reverse("request_list") + "?commune={}"

    def url(self, key: str, value: object) -> str:
        return "" if value is None else self.patterns[key].format(value)


class Words:
    """The words every row repeats, translated once a page rather than once a row."""

    def __init__(self) -> None:
        self.of = _("%(done)s of %(total)s")
        self.done_late = _("%(n)s done late")
        self.no_number = _("No number yet")
        self.no_task = _("no task")
        self.due = _("due %(day)s")
        self.submitted_late = _("submitted late, %(day)s")
        self.not_submitted = _("not submitted, due %(day)s")
        self.rank = _("rank %(rank)s of %(n)s")
        self.since = _("since %(day)s")
        self.no_survey = _("no survey")
        self.answered = _("%(answered)s of %(asked)s answered")
        self.answers_late = _("%(n)s late")
        self.answers_missing = _("%(n)s overdue")
        self.plans = {key: str(label) for key, label in PLAN_LABELS.items()}
        self.stages = {key: str(label) for key, label in STAGE_LABELS.items()}
        self.stage_titles = {key: str(label) for key, label in STAGE_TITLES.items()}
        self.reports = {state: state.label for state in ReportState}


@dataclass(slots=True)
class RowView:
    """One commune's row as the page shows it: strings, and links only where it may go."""

    unit_id: int
    late: bool
    name: str
    code: str
    unit_url: str
    has_plan: bool
    plan_number: str = ""
    plan_date: str = ""
    plan_title: str = ""
    plan_status: str = ""
    plan_status_label: str = ""
    plan_url: str = ""
    done: str = "—"
    done_note: str = ""
    overdue: int = 0
    overdue_text: str = ""
    oldest: str = ""
    oldest_title: str = ""
    oldest_due: str = ""
    oldest_url: str = ""
    targets_met: str = ""
    targets_not_met: str = ""
    targets_not_measured: str = ""
    report_state: str = ""
    report_label: str = ""
    report_note: str = ""
    report_url: str = ""
    stage: str = ""
    stage_label: str = ""
    stage_title: str = ""
    stage_note: str = ""
    stage_late: bool = False
    assessment_url: str = ""
    index: str = "—"
    rank: str = ""
    results_url: str = ""
    ranking_url: str = ""
    findings_open: str = "0"
    findings_overdue: str = "0"
    findings_overdue_count: int = 0
    findings_note: str = ""
    # the province's findings list narrowed to the commune (empty: no link)
    findings_open_url: str = ""
    findings_overdue_url: str = ""
    satisfaction: str = "—"
    satisfaction_note: str = ""
    satisfaction_url: str = ""  # the one campaign's results
    satisfaction_next: str = ""  # the commune's surveys, after switching to it
    requests: str = "—"
    requests_note: str = ""
    requests_missing: int = 0
    requests_url: str = ""


def row_view(row: CommuneRow, links: Links, words: Words | None = None) -> RowView:
    words = words or Words()
    may_open = row.unit_id in links.openable
    link = links.url if may_open else (lambda key, value: "")
    fields: dict = {
        "unit_id": row.unit_id,
        "late": row.late,
        "name": row.name,
        "code": row.code,
        "unit_url": link("unit", row.code),
        "has_plan": row.plan is not None,
    }
    plan = row.plan
    if plan is not None:
        plan_url = link("plan", plan.plan_id)
        n = count
        done_note = words.of % {"done": n(plan.done), "total": n(plan.tasks)}
        if plan.done_late:
            done_note += " · " + words.done_late % {"n": n(plan.done_late)}
        fields.update(
            plan_number=plan.number or words.no_number,
            plan_date=day(plan.issued_on),
            plan_title=plan.title,
            plan_status=plan.status,
            plan_status_label=words.plans[plan.status],
            plan_url=plan_url,
            done=percent(plan.done_share) if plan.tasks else "—",
            done_note=done_note if plan.tasks else words.no_task,
            overdue=plan.overdue,
            overdue_text=count(plan.overdue),
            targets_met=count(plan.targets_met),
            targets_not_met=count(plan.targets_not_met),
            targets_not_measured=count(plan.targets_not_measured),
        )
        if plan.overdue:
            fields.update(
                oldest=_short(f"{plan.oldest_overdue_number} {plan.oldest_overdue_content}"),
                oldest_title=plan.oldest_overdue_content,
                oldest_due=day(plan.oldest_overdue_due),
                oldest_url=link("task", plan.oldest_overdue_id),
            )
    report = row.report
    fields.update(
        report_state=report.state.value,
        report_label=words.reports[report.state],
        report_note=day(report.sent_on) if report.sent_on else words.due % {"day": day(report.due)},
        report_url=link("period", report.period_id),
    )
    assessment = row.assessment
    if assessment.submitted_late:
        stage_note = words.submitted_late % {"day": day(assessment.submitted_on)}
    elif assessment.overdue:
        stage_note = words.not_submitted % {"day": day(assessment.due)}
    else:
        stage_note = day(assessment.submitted_on)
    fields.update(
        stage=assessment.status,
        stage_label=words.stages[assessment.status],
        stage_title=words.stage_titles[assessment.status],
        stage_note=stage_note,
        stage_late=assessment.submitted_late or assessment.overdue,
        assessment_url=link("assessment", assessment.assessment_id),
    )
    if assessment.assessment_id is not None and assessment.index is not None:
        fields.update(
            index=format_number(assessment.index, 2),
            rank=words.rank % {"rank": count(assessment.rank), "n": count(assessment.ranked)},
            results_url=link("results", assessment.assessment_id),
            ranking_url=link("ranking", assessment.period_id),
        )
    findings = row.findings
    fields.update(
        findings_open=count(findings.open),
        findings_overdue=count(findings.overdue),
        findings_overdue_count=findings.overdue,
        findings_note=words.since % {"day": day(findings.oldest_deadline)}
        if findings.oldest_deadline
        else "",
        findings_open_url=links.findings.format(row.unit_id, "open")
        if may_open and findings.open
        else "",
        findings_overdue_url=links.findings.format(row.unit_id, "overdue")
        if may_open and findings.overdue
        else "",
    )
    survey = row.satisfaction
    if survey.campaigns:
        fields.update(
            satisfaction=percent(survey.share, 1) or "—",
            satisfaction_note=ngettext("%(n)s answer", "%(n)s answers", survey.responses)
            % {"n": count(survey.responses)},
            satisfaction_url=link("campaign", survey.campaign_id),
            satisfaction_next=links.surveys if may_open and survey.campaign_id is None else "",
        )
    else:
        fields["satisfaction_note"] = words.no_survey
    asked = row.requests
    if asked.asked:
        notes = []
        if asked.late:
            notes.append(words.answers_late % {"n": count(asked.late)})
        if asked.missing:
            notes.append(words.answers_missing % {"n": count(asked.missing)})
        fields.update(
            requests=words.answered
            % {"answered": count(asked.answered), "asked": count(asked.asked)},
            requests_note=", ".join(notes),
            requests_missing=asked.missing,
            requests_url=links.requests.format(row.unit_id) if may_open else "",
        )
    return RowView(**fields)


# --- a row as HTML ---------------------------------------------------------------------------
# Drawn here rather than in the template: fifty rows of a dozen linked cells cost the template
# engine most of the page's time, plain string formatting a fraction of it. The markup is the
# table's of `_board.html`; every value goes through `escape` (the `e` below).


@dataclass(frozen=True)
class RowFrame:
    """What every row's cells share, escaped once: the column labels a phone shows, the form
    switching to a commune, and the words repeated in each row."""

    labels: list[str]
    switch_url: str
    csrf_token: str
    switch_title: str
    met: str
    not_met: str
    not_measured: str
    no_plan: str

    @classmethod
    def build(cls, labels: list[str], switch_url: str, csrf_token: str) -> RowFrame:
        return cls(
            labels=[escape(label) for label in labels],
            switch_url=escape(switch_url),
            csrf_token=escape(csrf_token),
            switch_title=escape(_("Opens the list in the commune (switches the unit you work on)")),
            met=escape(_("met")),
            not_met=escape(_("not met")),
            not_measured=escape(_("not yet measured")),
            no_plan=escape(_("No plan")),
        )


def e(value: object) -> str:
    """Escaped for HTML, as `django.utils.html.escape` escapes, without its lazy-string check
    (two thousand calls a page)."""
    return html_escape(str(value))


def _link(url: str, text: str, css: str = "", title: str = "") -> str:
    attrs = (f' class="{e(css)}"' if css else "") + (f' title="{e(title)}"' if title else "")
    if url:
        return f'<a href="{e(url)}"{attrs}>{e(text)}</a>'
    return f"<span{attrs}>{e(text)}</span>" if attrs else e(text)


def _switch(frame: RowFrame, unit_id: int, next_url: str, text: str) -> str:
    """A link-like button opening a commune's page that is found from the current unit."""
    if not next_url:
        return e(text)
    return (
        f'<form method="post" action="{frame.switch_url}" class="switch-link">'
        f'<input type="hidden" name="csrfmiddlewaretoken" value="{frame.csrf_token}">'
        f'<input type="hidden" name="unit" value="{int(unit_id)}">'
        f'<input type="hidden" name="next" value="{e(next_url)}">'
        f'<button type="submit" class="linklike" title="{frame.switch_title}">{e(text)}</button>'
        "</form>"
    )


def _note(text: str, css: str = "muted") -> str:
    if not text:
        return ""
    return f'<br><small class="{css}">{e(text)}</small>' if css else f"<br><small>{e(text)}</small>"


def _cell(label: str, content: str, css: str = "") -> str:
    css = f' class="{css}"' if css else ""
    return f'<td data-label="{label}"{css}>{content}</td>'


def row_html(r: RowView, frame: RowFrame) -> SafeString:
    label = frame.labels
    cells = [f'<th scope="row" class="commune">{_link(r.unit_url, r.name)}{_note(r.code)}</th>']
    if r.has_plan:
        tasks_url = r.plan_url + "#tasks" if r.plan_url else ""
        plan_date = f' <small class="muted">{e(r.plan_date)}</small>' if r.plan_date else ""
        plan = (
            f"{_link(r.plan_url, r.plan_number, title=r.plan_title)}{plan_date}"
            f'<br><span class="badge status-{e(r.plan_status)}">{e(r.plan_status_label)}</span>'
        )
        if r.overdue:
            overdue_url = r.plan_url + "?overdue=on#tasks" if r.plan_url else ""
            overdue = (
                f'<strong class="danger">{_link(overdue_url, r.overdue_text)}</strong> '
                f"<small>{_link(r.oldest_url, r.oldest, title=r.oldest_title)} · "
                f'<span class="danger">{e(r.oldest_due)}</span></small>'
            )
        else:
            overdue = "0"
        badges = (
            f'<span class="badge attain-met" title="{frame.met}">{e(r.targets_met)}'
            f'<span class="visually-hidden"> {frame.met}</span></span> '
            f'<span class="badge attain-not_met" title="{frame.not_met}">{e(r.targets_not_met)}'
            f'<span class="visually-hidden"> {frame.not_met}</span></span> '
            f'<span class="badge attain-not_measured" title="{frame.not_measured}">'
            f'{e(r.targets_not_measured)}<span class="visually-hidden"> {frame.not_measured}</span>'
            "</span>"
        )
        if r.plan_url:
            badges = f'<a href="{e(r.plan_url)}#targets" class="target-counts">{badges}</a>'
        cells += [
            _cell(label[1], plan),
            _cell(label[2], _link(tasks_url, r.done) + _note(r.done_note), "num"),
            _cell(label[3], overdue, "overdue-cell"),
            _cell(label[4], badges, "targets-cell"),
        ]
    else:
        cells += [
            _cell(label[1], f'<span class="danger">{frame.no_plan}</span>'),
            _cell(label[2], "—", "num"),
            _cell(label[3], "—"),
            _cell(label[4], "—"),
        ]
    rank = f"<br><small>{_link(r.ranking_url, r.rank)}</small>" if r.rank else ""
    survey = (
        _link(r.satisfaction_url, r.satisfaction)
        if r.satisfaction_url
        else _switch(frame, r.unit_id, r.satisfaction_next, r.satisfaction)
    )
    cells += [
        _cell(
            label[5],
            _link(r.report_url, r.report_label, f"badge report-{r.report_state}")
            + _note(r.report_note),
        ),
        _cell(
            label[6],
            _link(r.assessment_url, r.stage_label, f"badge stage-{r.stage}", r.stage_title)
            + _note(r.stage_note, "danger" if r.stage_late else "muted"),
        ),
        _cell(label[7], _link(r.results_url, r.index) + rank, "num"),
        _cell(label[8], _link(r.findings_open_url, r.findings_open), "num"),
        _cell(
            label[9],
            _link(r.findings_overdue_url, r.findings_overdue) + _note(r.findings_note, ""),
            "num danger" if r.findings_overdue_count else "num",
        ),
        _cell(label[10], survey + _note(r.satisfaction_note), "num"),
        _cell(
            label[11],
            _link(r.requests_url, r.requests)
            + _note(r.requests_note, "danger" if r.requests_missing else "muted"),
        ),
    ]
    late = ' class="late-row"' if r.late else ""
    # Safe: every value in the cells went through `e`, the frame's words when it was built.
    return mark_safe(f"<tr{late}>{''.join(cells)}</tr>")


@dataclass(frozen=True)
class TotalsView:
    communes: str
    plans: str
    done: str
    done_note: str
    overdue: str
    targets_met: str
    targets_not_met: str
    targets_not_measured: str
    reports: str
    assessments: str
    findings_open: str
    findings_overdue: str
    satisfaction: str
    satisfaction_note: str
    requests: str


def totals_view(totals: Totals) -> TotalsView:
    n = format_number
    reports = totals.reports
    return TotalsView(
        communes=ngettext("%(n)s commune", "%(n)s communes", totals.communes)
        % {"n": n(totals.communes)},
        plans=_("%(n)s with a plan") % {"n": n(totals.plans)},
        done=percent(totals.done_share) or "—",
        done_note=_("%(done)s of %(total)s") % {"done": n(totals.done), "total": n(totals.tasks)},
        overdue=n(totals.overdue),
        targets_met=n(totals.targets_met),
        targets_not_met=n(totals.targets_not_met),
        targets_not_measured=n(totals.targets_not_measured),
        reports=_("%(on_time)s on time, %(late)s late, %(missing)s missing")
        % {
            "on_time": n(reports[ReportState.ON_TIME]),
            "late": n(reports[ReportState.LATE]),
            "missing": n(reports[ReportState.MISSING]),
        },
        assessments=_("%(n)s submitted, %(late)s late, %(overdue)s past due")
        % {
            "n": n(totals.submitted),
            "late": n(totals.submitted_late),
            "overdue": n(totals.assessments_overdue),
        },
        findings_open=n(totals.findings_open),
        findings_overdue=n(totals.findings_overdue),
        satisfaction=percent(totals.satisfaction, 1) or "—",
        satisfaction_note=ngettext("%(n)s answer", "%(n)s answers", totals.responses)
        % {"n": n(totals.responses)},
        requests=_("%(on_time)s on time, %(late)s late, %(missing)s overdue of %(asked)s")
        % {
            "on_time": n(totals.requests_on_time),
            "late": n(totals.requests_late),
            "missing": n(totals.requests_missing),
            "asked": n(totals.requests_asked),
        },
    )


# The sortable columns, in the table's order, with their headers.
COLUMNS = [
    ("name", gettext_lazy("Commune or ward")),
    ("plan", gettext_lazy("Plan of the year")),
    ("done", gettext_lazy("Tasks done")),
    ("overdue", gettext_lazy("Overdue tasks")),
    ("targets", gettext_lazy("Targets")),
    ("report", gettext_lazy("Report")),
    ("assessment", gettext_lazy("Self-assessment")),
    ("index", gettext_lazy("PAR index")),
    ("findings", gettext_lazy("Open findings")),
    ("findings_overdue", gettext_lazy("Overdue findings")),
    ("satisfaction", gettext_lazy("Satisfaction")),
    ("requests", gettext_lazy("Province's requests")),
]


@dataclass(frozen=True)
class Header:
    key: str
    label: str
    url: str  # the board sorted by this column (the other way round when it already is)
    sorted: str  # "ascending", "descending" or ""


def headers(query: BoardQuery) -> list[Header]:
    result = []
    for key, label in COLUMNS:
        current = query.sort_key == key
        # Numbers read worst-first at the first click; names from A.
        first = key if key == "name" else f"-{key}"
        wanted = (key if query.descending else f"-{key}") if current else first
        params = query.params(sort=wanted, page=1)
        result.append(
            Header(
                key=key,
                label=str(label),
                url="?" + urlencode(params),
                sorted=("descending" if query.descending else "ascending") if current else "",
            )
        )
    return result


# --- the .xlsx export ------------------------------------------------------------------------


def _sheet_headers() -> list[str]:
    return [
        _("Commune or ward"),
        _("Code"),
        _("Plan number"),
        _("Plan date"),
        _("Plan status"),
        _("Tasks"),
        _("Done"),
        _("Done late"),
        _("Done (%)"),
        _("Overdue tasks"),
        _("Oldest overdue task"),
        _("Due"),
        _("Targets met"),
        _("Targets not met"),
        _("Targets not measured"),
        _("Report"),
        _("Report sent on"),
        _("Report due"),
        _("Self-assessment"),
        _("Submitted late"),
        _("PAR index"),
        _("Rank"),
        _("Open findings"),
        _("Overdue findings"),
        _("Survey answers"),
        _("Satisfaction (%)"),
        _("Requests of the province"),
        _("Answered on time"),
        _("Answered late"),
        _("Not answered, overdue"),
    ]


def _sheet_row(row: CommuneRow) -> list[object]:
    plan, report, assessment = row.plan, row.report, row.assessment
    share = plan.done_share if plan else None
    survey = row.satisfaction.share
    return [
        row.name,
        row.code,
        plan.number if plan else _("No plan"),
        plan.issued_on if plan else None,
        str(PLAN_LABELS[plan.status]) if plan else "",
        plan.tasks if plan else None,
        plan.done if plan else None,
        plan.done_late if plan else None,
        float(round(share, 1)) if share is not None else None,
        plan.overdue if plan else None,
        plan.oldest_overdue_content if plan else "",
        plan.oldest_overdue_due if plan else None,
        plan.targets_met if plan else None,
        plan.targets_not_met if plan else None,
        plan.targets_not_measured if plan else None,
        report.state.label,
        report.sent_on,
        report.due,
        str(STAGE_TITLES[assessment.status]),
        _("yes") if assessment.submitted_late else "",
        float(assessment.index) if assessment.index is not None else None,
        assessment.rank,
        row.findings.open,
        row.findings.overdue,
        row.satisfaction.responses if row.satisfaction.campaigns else None,
        float(survey) if survey is not None else None,
        row.requests.asked,
        row.requests.on_time,
        row.requests.late,
        row.requests.missing,
    ]


def _totals_row(totals: Totals) -> list[object]:
    share = totals.done_share
    survey = totals.satisfaction
    reports = totals.reports
    return [
        ngettext("Total: %(n)s commune", "Total: %(n)s communes", totals.communes)
        % {"n": format_number(totals.communes)},
        "",
        totals.plans,
        None,
        "",
        totals.tasks,
        totals.done,
        totals.done_late,
        float(round(share, 1)) if share is not None else None,
        totals.overdue,
        "",
        None,
        totals.targets_met,
        totals.targets_not_met,
        totals.targets_not_measured,
        _("%(on_time)s on time, %(late)s late, %(missing)s missing")
        % {
            "on_time": reports[ReportState.ON_TIME],
            "late": reports[ReportState.LATE],
            "missing": reports[ReportState.MISSING],
        },
        None,
        None,
        _("%(n)s submitted, %(late)s late, %(overdue)s past due")
        % {
            "n": totals.submitted,
            "late": totals.submitted_late,
            "overdue": totals.assessments_overdue,
        },
        totals.submitted_late,
        None,
        None,
        totals.findings_open,
        totals.findings_overdue,
        totals.responses,
        float(survey) if survey is not None else None,
        totals.requests_asked,
        totals.requests_on_time,
        totals.requests_late,
        totals.requests_missing,
    ]


DATE_COLUMNS = ("D", "L", "Q", "R")
WIDTHS = {"A": 28, "C": 16, "E": 18, "K": 48, "P": 22, "S": 30}


def board_xlsx(board: Board) -> bytes:
    """Every row the board shows (all pages), a header row and the totals row."""
    workbook = Workbook()
    sheet = workbook.active
    sheet.title = _("Communes and wards")[:31]
    sheet.append(_sheet_headers())
    for row in board.rows:
        sheet.append(_sheet_row(row))
    sheet.append(_totals_row(board.totals))
    bold = Font(bold=True)
    for cell in sheet[1]:
        cell.font = bold
        cell.alignment = Alignment(wrap_text=True, vertical="top")
    for cell in sheet[sheet.max_row]:
        cell.font = bold
    for column in DATE_COLUMNS:
        for cell in sheet[column][1:]:
            cell.number_format = "DD/MM/YYYY"
    for column, width in WIDTHS.items():
        sheet.column_dimensions[column].width = width
    sheet.freeze_panes = "B2"
    return workbook_bytes(workbook)


# --- the reporting rates ---------------------------------------------------------------------

PERIOD_NAMES = {
    "q1": gettext_lazy("First quarter"),
    "h1": gettext_lazy("First six months"),
    "q3": gettext_lazy("Third quarter"),
    "year": gettext_lazy("Whole year"),
}


@dataclass(frozen=True)
class RateView:
    key: str
    label: str
    due: str
    chosen: bool
    url: str
    summary: str  # "87 of 104 on time, 9 late, 8 missing"
    bars: list[tuple[str, int, int]]  # (css name, x, width) in whole per cent


def rate_views(board: Board) -> list[RateView]:
    result = []
    for rate in board.rates:
        n = format_number
        parts = [
            _("%(on_time)s of %(expected)s on time")
            % {"on_time": n(rate.on_time), "expected": n(rate.expected)}
        ]
        if rate.late:
            parts.append(_("%(n)s late") % {"n": n(rate.late)})
        if rate.missing:
            parts.append(_("%(n)s missing") % {"n": n(rate.missing)})
        if rate.not_due:
            parts.append(_("%(n)s not yet due") % {"n": n(rate.not_due)})
        bars, x = [], 0
        for name, count in (
            ("on_time", rate.on_time),
            ("late", rate.late),
            ("missing", rate.missing),
            ("not_due", rate.not_due),
        ):
            width = rate.percent(count)
            if width:
                bars.append((name, x, width))
                x += width
        result.append(
            RateView(
                key=rate.period.key,
                label=rate.label,
                due=day(rate.due),
                chosen=rate.chosen,
                url="?" + urlencode(board.query.params(period=rate.period.key, page=1)),
                summary=", ".join(parts),
                bars=bars,
            )
        )
    return result
