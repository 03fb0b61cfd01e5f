"""Benchmark of periodic reports: the yearly report of a commune with 300 tasks (assembled from
the data and eight departments' parts, then laid out as .docx), its .xlsx annexes, and the daily
reminder run over a province of 100 communes (about 30,000 milestones), with report parts due.
Floors measured in the same run: an empty document through the same builder, and one bare query.
Last line: one JSON object.

    .venv/bin/python bench/reports.py [--tasks 300] [--repeat 5] [--communes 100]
"""

from __future__ import annotations

import argparse
import json
import statistics
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from django.utils import translation

from bench import common


def _median_ms(action, repeat: int) -> float:
    return round(statistics.median(common.timed_ms(action, repeat)), 1)


def main() -> None:
    from bench.pages import build_commune
    from bench.reminders import measure
    from plans.models import Plan
    from reports import builder, documents, services
    from reports.models import PeriodKind

    parser = argparse.ArgumentParser()
    parser.add_argument("--tasks", type=int, default=300)
    parser.add_argument("--repeat", type=int, default=5)
    parser.add_argument("--communes", type=int, default=100, help="0 skips the reminder run")
    args = parser.parse_args()
    common.fresh_database(pages=False)
    translation.activate("vi")

    unit, plan, focal, _officer = build_commune("REPORT", args.tasks, 12, 1)
    Plan.objects.filter(pk=plan.pk).update(status="in_progress")
    year = next(p for p in services.ensure_periods(plan) if p.kind == PeriodKind.YEAR)
    services.open_contributions(year)
    for part in year.contributions.all():
        services.submit_contribution(part, focal, confirm_empty_areas=True)
        services.review_contribution(part, focal, accept=True)
    parts = year.contributions.count()

    def yearly_report():
        report = services.assemble_report(year, focal)
        return documents.report_docx(report)

    built = yearly_report()
    report_ms = _median_ms(yearly_report, args.repeat)
    annex_ms = _median_ms(lambda: documents.annex_xlsx(year), args.repeat)
    empty = builder.DocumentSpec(title="BÁO CÁO")
    floor_ms = _median_ms(lambda: builder.layout(empty, unit=unit), args.repeat)
    figures = {
        "tasks_count": args.tasks,
        "department_parts_count": parts,
        "yearly_report_build_ms_median": report_ms,
        "yearly_report_docx_kb": round(len(built.content) / 1024, 1),
        "annex_xlsx_ms_median": annex_ms,
        "floor_empty_document_ms_median": floor_ms,
    }
    print(
        f"yearly report of {args.tasks} tasks and {parts} parts: {report_ms} ms "
        f"(floor {floor_ms} ms); annexes {annex_ms} ms"
    )
    if args.communes:
        reminder_figures = measure(args.communes, args.tasks, prefix="P")
        figures.update({f"reminders_{k}": v for k, v in reminder_figures.items()})
    print(json.dumps(figures, sort_keys=True))


if __name__ == "__main__":
    main()
