"""The words of the commune's report, written from a period's facts through wording templates in
Vietnamese (`document_templates/cchc_report_sections.txt`, `cchc_task_figures.txt`), which an
administrator may reword as any document template.

The sections template marks each section with a line "@key" followed by its heading ("# …" for
a part numbered I, II, …; "## …" for a section numbered 1, 2, … within it); the numbers are
given here, and a section of the second level with nothing to say is left out.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date, timedelta

from core.numbers import format_number
from core.text import roman
from plans.models import MilestoneKind, Plan, Task
from reports.builder import render_text, template_text
from reports.facts import (
    AreaFacts,
    Facts,
    TargetFact,
    TaskThen,
    period_title,
    states_on,
    unit_kind,
    unit_title,
)
from reports.models import Contribution, ContributionSection, PeriodKind, ReportingPeriod

NEXT_TASKS = 30


def figures_text(counts: dict[str, int]) -> str:
    """ "07 nhiệm vụ: đã hoàn thành 02 nhiệm vụ, …" from the counts of `AreaFacts.counts`."""
    return " ".join(render_text(template_text("cchc_task_figures"), counts).split())


def _clean(text: str) -> str:
    return " ".join(text.split()).strip().rstrip(".;,").strip()


def _product(text: str) -> str:
    """The product cell of a plan ("- Kế hoạch của UBND phường, - Báo cáo kết quả") as one
    phrase: "Kế hoạch của UBND phường; Báo cáo kết quả"."""
    pieces = re.split(r"(?:^|\n|[;,]\s*)\s*[-+•]\s+", text or "")
    return "; ".join(p for p in (_clean(piece) for piece in pieces) if p)


def task_item(task: TaskThen, *, overdue: bool = False) -> dict:
    return {
        "content": task.content,
        "lead": task.lead,
        "done_on": task.done_on,
        "late": task.status == "done_late",
        "due": task.next_due if overdue else task.final_due,
        "product": _product(task.task.expected_product),
        "references": task.references,
        "evidence": task.evidence,
    }


def target_item(fact: TargetFact) -> dict:
    latest = fact.latest
    unit = fact.target.unit_label
    value = ""
    if latest is not None:
        value = format_number(latest.value) + ("%" if unit == "%" else f" {unit}".rstrip())
    return {
        "text": _clean(fact.target.text),
        "value": value,
        "met": fact.met,
        "source": latest.source if latest else "",
        "day": latest.measured_on if latest else None,
    }


def next_period(period: ReportingPeriod) -> tuple[str, date]:
    """The period the report's directions are for, as its heading names it ("quý II năm
    2026", "6 tháng cuối năm 2026", "năm 2027"), and the day it ends."""
    end = period.end + (period.end - period.start) + timedelta(days=1)
    if period.kind == PeriodKind.QUARTER:
        number = period.number % 4 + 1
        year = period.year + (1 if period.number == 4 else 0)
        return f"quý {roman(number)} năm {year}", end
    if period.kind == PeriodKind.SIX_MONTH and period.number == 1:
        return f"6 tháng cuối năm {period.year}", end
    return f"năm {period.year + 1}", end


def upcoming_tasks(period: ReportingPeriod, on: date, end: date) -> list[TaskThen]:
    """The work due after the figures' day until `end`, from every plan of the unit that
    covers it (the next year's plan for a year report); work already late is said among the
    shortcomings. With nothing dated there, the continuing work ("thường xuyên") of the
    period's plan."""
    start = on + timedelta(days=1)
    plans = Plan.objects.counted().filter(
        unit_id=period.unit_id, period_start__lte=end, period_end__gte=start
    )
    candidates = Task.objects.filter(plan__in=plans, milestones__due__gte=start).distinct()
    ahead = [
        t
        for t in states_on(candidates, on)
        if not t.is_done and t.next_due and start <= t.next_due <= end
    ]
    if not ahead:
        continuing = period.plan.tasks.filter(milestones__kind=MilestoneKind.CONTINUOUS).distinct()
        ahead = [t for t in states_on(continuing, on) if not t.is_done and t.next_due is None]
    ahead.sort(key=lambda t: (t.next_due or date.max, t.task.area.order, t.task.order, t.task.pk))
    return ahead[:NEXT_TASKS]


def _lines(texts: Iterable[str]) -> list[str]:
    return [line.strip() for text in texts for line in (text or "").splitlines() if line.strip()]


def _plain(line: str) -> str:
    """A line without its bullet and final stop, to compare what two writers said."""
    return _clean(line.lstrip("-+• ").strip())


def _label(line: str) -> str:
    """ "Kiểm tra CCHC trong kỳ" of "- Kiểm tra CCHC trong kỳ: …": what a statement is about."""
    head, colon, _rest = _plain(line).partition(":")
    return head.strip() if colon else ""


def _once(lines: Iterable[str], said: set[str]) -> list[str]:
    """The lines not said yet (compared without bullets and stops), each once."""
    kept = []
    for line in lines:
        plain = _plain(line)
        if plain and plain not in said:
            said.add(plain)
            kept.append(line)
    return kept


RESTATEMENT_EXTRA = 30  # characters beyond a task's content that still only restate it


def _restates(line: str, content: str) -> bool:
    plain = _plain(line)
    return content in plain and len(plain) - len(content) <= RESTATEMENT_EXTRA


@dataclass
class LatePart:
    department: str
    sent: date | None
    due: date | None


def report_sections(
    period: ReportingPeriod,
    facts: Facts,
    parts: list[ContributionSection],
    late_parts: list[Contribution],
) -> list[tuple[str, int, str, str]]:
    """(key, level, heading, text) of every section of the report, numbered."""
    by_area: dict[int | None, list[ContributionSection]] = {}
    for part in parts:
        by_area.setdefault(part.area_id, []).append(part)
    tasks = [t for area in facts.areas for t in area.all]
    # A department's part lists its finished tasks; the unit's list names them with products.
    said = {_plain(t.content) for t in tasks}
    overdue = [t for area in facts.areas for t in area.overdue]

    areas = []
    for area_facts in facts.areas:
        writings = _once(_lines(p.results for p in by_area.get(area_facts.area.pk, [])), said)
        area_targets = [t for t in facts.targets if t.target.area_id == area_facts.area.pk]
        if not (area_facts.tasks or writings or area_targets):
            continue
        areas.append(_area(period, area_facts, writings, area_targets))

    untied = [t for t in facts.targets if t.target.area_id is None]
    measured = [t for t in facts.targets if t.latest is not None]
    other_labels = {_label(line) for line in facts.other_lines} - {""}
    general = [
        line
        for line in _once(_lines(p.results for p in by_area.get(None, [])), set(said))
        if _label(line) not in other_labels
    ]
    # A part's line that only restates a task ("- Quá hạn: <task> (hạn …)") is the unit's to
    # say: overdue ones are listed below, and one finished since is no longer a shortcoming. A
    # line that says more (a cause, a difficulty) stays.
    contents = [t.content for t in tasks]
    difficulties = _once(
        (
            line
            for line in _lines(p.difficulties for p in parts)
            if not any(_restates(line, content) for content in contents)
        ),
        set(),
    )
    next_title, end = next_period(period)
    ahead = upcoming_tasks(period, facts.on, end)
    due_now = [t for t in ahead if t.next_due and t.next_due <= period.end]
    counts = facts.counts()
    context = {
        "on": facts.on,
        "unit_title": unit_title(period.unit),
        "unit_kind": unit_kind(period.unit),
        "period_title": period_title(period),
        "plan": period.plan,
        "total": {
            **counts,
            "figures": figures_text(counts),
            "share": round(100 * counts["done"] / counts["tasks"]) if counts["tasks"] else 0,
        },
        "areas": areas,
        "targets": [target_item(t) for t in untied if t.latest is not None],
        "measured": bool(measured),
        "unmeasured": sum(1 for t in facts.targets if t.latest is None),
        "other_lines": facts.other_lines,
        "general": general,
        "parts": bool(parts),
        "late_parts": [LatePart(c.department.name, c.sent_on, c.due_when_sent) for c in late_parts],
        "difficulties": difficulties,
        "overdue": [task_item(t, overdue=True) for t in overdue],
        "next_title": next_title,
        # Work still due in this period after the figures' day, then the next period's.
        "remaining": [task_item(t, overdue=True) for t in due_now],
        "next_tasks": [task_item(t, overdue=True) for t in ahead if t not in due_now],
        "proposals": _once(_lines(p.proposals for p in parts), set()),
    }
    return parse_sections(render_text(template_text("cchc_report_sections"), context))


def _area(
    period: ReportingPeriod,
    facts: AreaFacts,
    writings: list[str],
    targets: list[TargetFact],
) -> dict:
    return {
        "order": facts.area.order,
        "name": facts.area.name,
        "tasks": facts.tasks,
        "figures": figures_text(facts.counts()),
        "writings": writings,
        "finished": [task_item(t) for t in facts.finished_between(period.start, period.end)],
        "overdue": [task_item(t, overdue=True) for t in facts.overdue],
        "targets": [target_item(t) for t in targets if t.latest is not None],
    }


_MARK = re.compile(r"^@(\S+)\s*$")


def parse_sections(rendered: str) -> list[tuple[str, int, str, str]]:
    """Split a rendered sections template into numbered (key, level, heading, text)."""
    found: list[list] = []
    key = ""
    for raw in rendered.splitlines():
        line = raw.strip()
        mark = _MARK.match(line)
        if mark:
            key = mark.group(1)
            continue
        level = 1 if line.startswith("# ") else 2 if line.startswith("## ") else 0
        if level:
            found.append([key or f"section:{len(found) + 1}", level, line[level + 1 :].strip(), []])
            key = ""
        elif line and found:
            found[-1][3].append(line)
    sections = []
    first = second = 0
    seen: set[str] = set()
    for key, level, heading, lines in found:
        if level == 2 and not lines:
            continue
        if key in seen:
            key = f"{key}:{len(sections) + 1}"
        seen.add(key)
        if level == 1:
            first, second = first + 1, 0
            heading = f"{roman(first)}. {heading}"
        else:
            second += 1
            heading = f"{second}. {heading}"
        sections.append((key, level, heading, "\n".join(lines)))
    return sections
