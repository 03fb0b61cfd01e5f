"""Benchmark of the province's oversight board.

Builds a province of 170 communes with a year of plausible data, in bulk: a plan of 40 tasks
each with milestones, progress and six targets with their measurements; four reporting periods
with reports sent on time, late or not at all; PAR-index self-assessments in every state;
inspection findings; survey campaigns with their answers; four requests of the province,
answered on time, late or not at all. Then, as the province's appraiser,
on 20/10/2026, it times the board (whole, and filtered and sorted as HTMX asks), its .xlsx
export, the consolidated report (.docx, target under 3 s) and a floor page (logged in, base
layout only) with Django's test client, warm, the pages taken in turn so that they share the
machine's load. The query count is measured on a second province of 20 communes too: it must be
the same. The last line is one JSON object with every figure.

    .venv/bin/python bench/province.py [--repeat 30] [--communes 170]
"""

from __future__ import annotations

import argparse
import json
import statistics
import sys
import time
from datetime import date, datetime, timedelta
from datetime import time as clock_time
from decimal import Decimal
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from bench import common
from core import clock

ON = date(2026, 10, 20)
TASKS = 40
TARGETS = 6
FINDINGS = 6
ANSWERS = 30
STATES = ["closed", "appraised", "answered", "submitted", "approved", "draft"]


def _at(day: date) -> datetime:
    from django.utils import timezone

    return timezone.make_aware(datetime.combine(day, clock_time(9, 0)))


def build(code: str, communes: int):
    """A province of `communes` communes and a year of their work; its appraiser."""
    from inspections.models import Finding, InspectionPlan, Round
    from plans.models import (
        Measurement,
        Milestone,
        MilestoneKind,
        Plan,
        ProgressUpdate,
        ReformArea,
        Target,
        Task,
        TaskStatus,
    )
    from plans.services import MilestoneFacts, compute_status
    from province_requests.models import ProvinceRequest, Recipient, RecipientStatus
    from reports.models import Report, ReportingPeriod
    from scoring import services as scoring
    from scoring.models import Assessment, UnitGroup
    from surveys.models import Campaign, Questionnaire, Response

    province, appraiser, units, by_unit = common.province_with_communes(
        code, f"Tỉnh Thử {code}", communes, 4, lambda k: f"Phòng số {k}"
    )
    lead = {u.pk: deps for u, deps in zip(units, by_unit, strict=True)}

    # Plans: every 17th commune has none yet.
    planned = [u for n, u in enumerate(units) if n % 17 != 5]
    plans = Plan.objects.bulk_create(
        Plan(
            unit=u,
            title=f"Kế hoạch cải cách hành chính năm 2026 – {u.name}",
            number=f"{n + 1}/KH-UBND",
            issued_on=date(2026, 1, 5 + n % 20),
            period_start=date(2026, 1, 1),
            period_end=date(2026, 12, 31),
            status=["in_progress", "in_progress", "approved", "draft"][n % 4],
            search_text=f"ke hoach cai cach hanh chinh {n}",
            statuses_on=ON,
        )
        for n, u in enumerate(planned)
    )
    areas = ReformArea.objects.bulk_create(
        ReformArea(plan=p, order=a, code=str(a), name=f"Lĩnh vực {a}")
        for p in plans
        for a in range(1, 8)
    )
    tasks, facts = [], []
    for i, plan in enumerate(plans):
        for t in range(TASKS):
            due = None if t % 10 == 9 else date(2026, 1 + (t * 7 + i) % 12, 15 + t % 13)
            kind = MilestoneKind.CONTINUOUS if due is None else MilestoneKind.DUE
            finished = due is not None and due < ON and (t + i) % 6 != 0
            late = finished and (t + i) % 5 == 0
            completed = (due + timedelta(days=6 if late else -2)) if finished else None
            done_on = completed
            progress = 100 if finished else (t * 13) % 90
            status, next_due = compute_status(
                [MilestoneFacts(kind, due, done_on)], progress, completed, progress > 0, ON
            )
            tasks.append(
                Task(
                    plan=plan,
                    area=areas[i * 7 + t % 7],
                    number=str(t + 1),
                    order=t,
                    content=f"Nhiệm vụ cải cách hành chính số {t + 1} của kế hoạch",
                    lead_department=lead[plan.unit_id][t % 4],
                    deadline_text=due.strftime("Trước ngày %d/%m/%Y") if due else "Thường xuyên",
                    progress_percent=progress,
                    completed_on=completed,
                    status=status,
                    next_due=next_due,
                    search_text=f"nhiem vu cai cach hanh chinh so {t + 1}",
                )
            )
            facts.append((kind, due, done_on))
    tasks = Task.objects.bulk_create(tasks, batch_size=2000)
    Milestone.objects.bulk_create(
        (
            Milestone(task=task, kind=kind, due=due, done_on=done_on)
            for task, (kind, due, done_on) in zip(tasks, facts, strict=True)
        ),
        batch_size=2000,
    )
    ProgressUpdate.objects.bulk_create(
        (
            ProgressUpdate(task=task, author=appraiser, note="Đã thực hiện", percent=100)
            for task in tasks
            if task.status in (TaskStatus.DONE, TaskStatus.DONE_LATE)
        ),
        batch_size=2000,
    )
    targets = Target.objects.bulk_create(
        Target(
            plan=p,
            order=k,
            text=f"Tối thiểu {85 + k}% hồ sơ giải quyết đúng hạn",
            comparator="gte",
            value=Decimal(85 + k),
            unit_label="%",
        )
        for p in plans
        for k in range(TARGETS)
    )
    Measurement.objects.bulk_create(
        (
            Measurement(
                target=target,
                period_label=f"Quý {q}",
                measured_on=date(2026, 3 * q, 25),
                value=Decimal(80 + (j * 7 + q) % 20),
                source="Báo cáo quý",
            )
            for j, target in enumerate(targets)
            if j % 3
            for q in (1, 2)
        ),
        batch_size=2000,
    )

    # Reports: quarter I, six months, quarter III are due by 20/10; the year's is not.
    kinds = [("quarter", 1, 3), ("six_month", 1, 6), ("quarter", 3, 9), ("year", 0, 12)]
    periods = ReportingPeriod.objects.bulk_create(
        ReportingPeriod(
            plan=p,
            unit_id=p.unit_id,
            kind=kind,
            year=2026,
            number=number,
            start=date(2026, 1 if kind != "quarter" else month - 2, 1),
            end=date(2026, month, 30 if month in (6, 9) else 31),
            department_due=date(2026, month, 5),
            unit_due=date(2026, month, 10),
        )
        for p in plans
        for kind, number, month in kinds
    )
    reports = []
    for j, period in enumerate(periods):
        n = j // 4
        if period.kind == "year" or (n + j) % 13 == 0:
            continue  # not due yet, or missing
        late = (n + j) % 7 == 0
        sent = period.unit_due + timedelta(days=5 if late else -2)
        reports.append(
            Report(period=period, status="sent", sent_at=_at(sent), sent_late=late, issued_on=sent)
        )
    Report.objects.bulk_create(reports)

    # PAR index: the six-month round, in every state; every 11th commune has not started.
    framework = scoring.create_framework(province, year=2026, name="Bộ tiêu chí 2026")
    criteria_set = scoring.add_set(framework, UnitGroup.COMMUNE_LEVEL, "Xã, phường")
    six_month = scoring.create_period(
        framework,
        kind="six_month",
        name="6 tháng 2026",
        department_due=date(2026, 6, 21),
        submission_due=date(2026, 6, 30),
    )
    scoring.create_period(
        framework,
        kind="year",
        name="Năm 2026",
        department_due=date(2026, 12, 1),
        submission_due=date(2026, 12, 10),
    )
    assessments = []
    for n, u in enumerate(units):
        if n % 11 == 3:
            continue
        state = STATES[n % len(STATES)]
        submitted = None
        if state not in ("draft", "approved"):
            submitted = date(2026, 6, 25) if n % 4 else date(2026, 7, 3)
        assessments.append(
            Assessment(
                period=six_month,
                unit=u,
                criteria_set=criteria_set,
                status=state,
                index=Decimal(55 + (n * 37) % 400 / 10),
                submitted_at=_at(submitted) if submitted else None,
                due_when_submitted=date(2026, 6, 30) if submitted else None,
            )
        )
    Assessment.objects.bulk_create(assessments)

    # Inspections: a round per commune, with findings in every state.
    inspection_plans = InspectionPlan.objects.bulk_create(
        InspectionPlan(unit=u, title="Kế hoạch kiểm tra CCHC năm 2026", year=2026) for u in units
    )
    rounds = Round.objects.bulk_create(
        Round(plan=p, name="Đợt 1", start=date(2026, 7, 1), end=date(2026, 7, 10))
        for p in inspection_plans
    )
    statuses = ["open", "open", "responded", "verified", "closed", "open"]
    Finding.objects.bulk_create(
        (
            Finding(
                round=r,
                department=lead[r.plan.unit_id][f % 4],
                responsible_department=lead[r.plan.unit_id][f % 4],
                description="Chưa niêm yết đầy đủ thủ tục hành chính",
                deadline=date(2026, 8 + f % 4, 15),
                status=statuses[(f + i) % len(statuses)],
                created_by=appraiser,
            )
            for i, r in enumerate(rounds)
            for f in range(FINDINGS)
        ),
        batch_size=2000,
    )

    # Surveys: a campaign per commune, 30 answers each (one commune in nine runs none).
    surveyed = [u for n, u in enumerate(units) if n % 9 != 4]
    questionnaires = Questionnaire.objects.bulk_create(
        Questionnaire(unit=u, title="Phiếu khảo sát sự hài lòng") for u in surveyed
    )
    campaigns = Campaign.objects.bulk_create(
        Campaign(
            unit=q.unit,
            questionnaire=q,
            title="Khảo sát sự hài lòng năm 2026",
            starts_on=date(2026, 3, 1),
            ends_on=date(2026, 11, 30),
        )
        for q in questionnaires
    )
    Response.objects.bulk_create(
        (
            Response(
                campaign=c,
                submitted_at=_at(date(2026, 4, 1 + a % 28)),
                submitted_on=date(2026, 4, 1 + a % 28),
                source="web",
                rating_count=10,
                rating_sum=40,
                satisfied_count=6 + (a + i) % 5,
            )
            for i, c in enumerate(campaigns)
            for a in range(ANSWERS)
        ),
        batch_size=2000,
    )
    # Requests of the province: four in the year, each to every commune; three in five answered
    # on time, one late, one not at all.
    requests = ProvinceRequest.objects.bulk_create(
        ProvinceRequest(
            unit=province,
            kind="report",
            title=f"Văn bản đề nghị số {n}/SNV-CCHC",
            due=date(2026, month, 15),
            sent_at=_at(date(2026, month, 1)),
            sent_by=appraiser,
        )
        for n, month in enumerate((2, 5, 8, 10), start=1)
    )
    copies = []
    for r, request in enumerate(requests):
        for i, unit in enumerate(units):
            kind = (i + r) % 5
            copy = Recipient(request=request, unit=unit)
            if kind < 4:
                copy.status = RecipientStatus.ANSWERED
                copy.due_when_answered = request.due
                copy.answered_at = _at(request.due + timedelta(days=3 if kind == 3 else -2))
            copies.append(copy)
    Recipient.objects.bulk_create(copies, batch_size=2000)
    return province, appraiser, len(tasks)


def measure_together(client, pages: dict, repeat: int) -> dict[str, dict]:
    """`common.measure` for several pages at once, their runs taken in turn: on a busy machine
    the floor page and the board then meet the same load, and their ratio means something."""
    for url, headers in pages.values():
        for _ in range(3):  # warm
            assert client.get(url, **headers).status_code == 200, url
    times: dict[str, list[float]] = {name: [] for name in pages}
    for _ in range(repeat):
        for name, (url, headers) in pages.items():
            started = time.perf_counter()
            client.get(url, **headers)
            times[name].append((time.perf_counter() - started) * 1000)
    results = {}
    for name, (url, headers) in pages.items():
        ordered = sorted(times[name])
        results[name] = {
            "median": statistics.median(ordered),
            "p95": ordered[int(0.95 * (len(ordered) - 1))],
            "queries": common.queries_of(client, url, headers),
        }
    return results


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--repeat", type=int, default=30)
    parser.add_argument("--communes", type=int, default=170)
    args = parser.parse_args()
    common.fresh_database()
    from django.db import connection
    from django.urls import reverse

    with clock.as_of(ON):
        started = time.perf_counter()
        province, appraiser, tasks = build("P170", args.communes)
        small, small_appraiser, _small_tasks = build("P020", 20)
        built = time.perf_counter() - started
        print(f"built {args.communes} + 20 communes, {tasks} tasks, in {built:.1f} s")
        client = common.signed_in(appraiser, province)
        small_client = common.signed_in(small_appraiser, small)
        board = reverse("oversight_board") + "?year=2026&period=q3"
        filtered = board + "&late=1&sort=-overdue&q=phuong"
        export = reverse("oversight_export") + "?year=2026&period=q3"
        pages = {
            "floor_page": (reverse("bench_floor"), {}),
            "board": (board, {}),
            "board_filtered_htmx": (filtered, {"HTTP_HX_REQUEST": "true"}),
        }
        figures: dict[str, object] = {
            "communes": args.communes,
            "tasks": tasks,
            "database": connection.vendor,
        }
        for name, result in measure_together(client, pages, args.repeat).items():
            common.record(figures, name, result)
        common.over_floor(figures, pages)
        exports = common.timed_ms(lambda: client.get(export), max(5, args.repeat // 3))
        figures["export_ms_median"] = round(statistics.median(exports), 2)
        figures["export_queries"] = common.queries_of(client, export)
        response = client.get(export)
        figures["export_bytes"] = len(response.content)
        print(f"{'export':22} median {figures['export_ms_median']:7.2f} ms")
        consolidated = reverse("oversight_report_docx") + "?year=2026&period=q3"
        docx_times = common.timed_ms(lambda: client.get(consolidated), max(3, args.repeat // 10))
        figures["consolidated_docx_ms"] = round(statistics.median(docx_times), 2)
        figures["consolidated_docx_queries"] = common.queries_of(client, consolidated)
        figures["consolidated_docx_bytes"] = len(client.get(consolidated).content)
        print(f"{'consolidated docx':22} median {figures['consolidated_docx_ms']:7.2f} ms")
        figures["board_queries_at_20_communes"] = common.queries_of(small_client, board)
        figures[f"board_queries_at_{args.communes}_communes"] = common.queries_of(client, board)
        figures["export_queries_at_20_communes"] = common.queries_of(small_client, export)
        print(
            "queries at 20 and",
            args.communes,
            "communes:",
            figures["board_queries_at_20_communes"],
            figures[f"board_queries_at_{args.communes}_communes"],
        )
    print(json.dumps(figures, sort_keys=True))


if __name__ == "__main__":
    main()
