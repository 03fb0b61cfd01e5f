"""Benchmark of a province's proposals recomputed in one go (`refresh_period`).

Builds, in bulk, a province of 170 communes, each with five departments, a draft
self-assessment of bench/proposals.py's framework (150 leaf criteria, 40 bound to data rules)
and the records its rules read (a plan of 300 tasks with 20 targets, four quarterly reports,
60 inspection findings, three initiatives and a survey campaign of 400 answers). Then it times
the province-wide recomputation from scratch (every proposal cleared first), in this process
and through the background worker (the task queued, then `db_worker --batch`), and a recheck
where nothing changed. A bare query and the read of one commune's bound scores are timed in
the same run as floors. Target: under 180 s for 170 communes. The last line is one JSON object.

    .venv/bin/python bench/province_proposals.py [--communes 170] [--repeat 3]
"""

from __future__ import annotations

import argparse
import json
import statistics
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from bench import common
from bench.proposals import TODAY, _framework, _records_of
from core import clock

TARGET_S = 180


def build(communes: int):
    """The province, its communes' drafts and records; the period."""
    from scoring import services
    from scoring.models import Assessment, Assignment, PeriodAudience, Score

    province, appraiser, units, by_unit = common.province_with_communes(
        "BENCH", "Tỉnh Thử", communes, 5, lambda k: f"Phòng {k}"
    )
    staff = list(zip(units, by_unit, strict=True))
    framework, period = _framework(province)
    period.opened_for = PeriodAudience.ALL
    period.save(update_fields=["opened_for"])
    criteria_set = framework.sets.get()
    leaves = list(services.assignable(criteria_set))
    Assignment.objects.bulk_create(
        (
            Assignment(unit=u, criterion=c, department=deps[i % len(deps)])
            for u, deps in staff
            for i, c in enumerate(leaves)
        ),
        batch_size=5000,
    )
    _records_of(staff, appraiser)
    assessments = Assessment.objects.bulk_create(
        Assessment(period=period, unit=u, criteria_set=criteria_set) for u in units
    )
    scored = list(services.leaves(criteria_set))  # survey criteria too, as open_assessment does
    Score.objects.bulk_create(
        (Score(assessment=a, criterion=c) for a in assessments for c in scored),
        batch_size=5000,
    )
    return period


def _clear(period) -> None:
    """Every proposal of the period forgotten: the next refresh computes and writes them all."""
    from scoring.models import Score

    Score.objects.filter(assessment__period=period).update(
        proposed_value=None,
        proposed_points=None,
        proposal_figure="",
        proposal_period="",
        proposal_links=[],
        proposal_computed_at=None,
    )


def _bare_query_ms(repeat: int) -> float:
    from django.db import connection

    def one() -> None:
        with connection.cursor() as cursor:
            cursor.execute("SELECT 1")
            cursor.fetchone()

    return statistics.median(common.timed_ms(one, repeat))


def _read_scores_ms(period, repeat: int) -> float:
    """One commune's bound scores read with their criteria: what a refresh starts with."""
    from scoring.models import Assessment

    assessment = Assessment.objects.filter(period=period).first()

    def one() -> None:
        list(
            assessment.scores.exclude(criterion__rule="")
            .select_related("criterion")
            .order_by("criterion__sort")
        )

    return statistics.median(common.timed_ms(one, repeat))


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--communes", type=int, default=170)
    parser.add_argument("--repeat", type=int, default=3)
    args = parser.parse_args()
    common.fresh_database(pages=False)
    clock.today = lambda: TODAY

    from django.core.management import call_command
    from django.db import connection
    from django_tasks_db.models import DBTaskResult

    from scoring import services
    from scoring.models import Score
    from scoring.tasks import refresh_period_proposals

    started = time.perf_counter()
    period = build(args.communes)
    figures: dict = {
        "communes": args.communes,
        "database": connection.vendor,
        "build_s": round(time.perf_counter() - started, 1),
        "scores": Score.objects.filter(assessment__period=period).count(),
        "bound_per_commune": 40,
        "target_s": TARGET_S,
    }
    print(f"built {args.communes} communes in {figures['build_s']} s")

    runs, per_commune = [], []
    for _ in range(args.repeat):
        _clear(period)
        report = services.refresh_period(period)
        assert not report.failed and report.assessments == args.communes, report.as_dict()
        runs.append(report.seconds)
        per_commune.extend(report.assessment_seconds)
        print(f"from scratch: {report.seconds:.1f} s, {report.proposals_changed} changed")
    figures["province_refresh_s"] = round(statistics.median(runs), 2)
    figures["province_refresh_s_max"] = round(max(runs), 2)
    figures["assessments_refreshed"] = report.assessments
    figures["proposals_changed"] = report.proposals_changed
    figures["per_commune_ms_median"] = round(statistics.median(per_commune) * 1000, 2)
    per_commune.sort()
    figures["per_commune_ms_p95"] = round(per_commune[int(0.95 * (len(per_commune) - 1))] * 1000, 2)
    figures["per_commune_ms_max"] = round(per_commune[-1] * 1000, 2)

    unchanged = services.refresh_period(period)
    assert unchanged.proposals_changed == 0
    figures["province_recheck_unchanged_s"] = round(unchanged.seconds, 2)

    # The same from scratch, queued and run by the background worker as the button does.
    _clear(period)
    queued = refresh_period_proposals.enqueue(period.pk)
    began = time.perf_counter()
    call_command("db_worker", batch=True, startup_delay=False, verbosity=0)
    figures["province_refresh_worker_s"] = round(time.perf_counter() - began, 2)
    result = DBTaskResult.objects.get(pk=queued.id)
    assert result.status == "SUCCESSFUL", result.status
    assert result.return_value["proposals_changed"] == figures["proposals_changed"]

    figures["bare_query_ms_median"] = round(_bare_query_ms(500), 3)
    figures["read_bound_scores_ms_median"] = round(_read_scores_ms(period, 200), 3)
    figures["per_commune_over_read_bound_scores"] = round(
        figures["per_commune_ms_median"] / figures["read_bound_scores_ms_median"], 1
    )
    figures["within_target"] = figures["province_refresh_worker_s"] < TARGET_S
    print(
        f"province {figures['province_refresh_s']} s in process, "
        f"{figures['province_refresh_worker_s']} s in the worker, "
        f"{figures['per_commune_ms_median']} ms per commune (median)"
    )
    print(json.dumps(figures, sort_keys=True))


if __name__ == "__main__":
    main()
