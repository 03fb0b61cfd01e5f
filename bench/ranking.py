"""Benchmark of the PAR-index ranking and results pages.

Builds a province of 100 communes, each scored on a framework of 150 leaf criteria (8 areas of
criteria and sub-criteria, a survey area, bonus and penalty), then times the ranking page (as the
province's appraiser), one commune's results page (as its focal officer) and a floor page
(logged in, base layout only) with Django's test client, warm. The last line is one JSON object.

    .venv/bin/python bench/ranking.py [--repeat 30] [--communes 100] [--criteria 150]
"""

from __future__ import annotations

import argparse
import json
import os
import sys
import time
from decimal import Decimal
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from bench import common


def build(communes: int, criteria: int):
    from datetime import date

    from org.models import Department, Role, RoleGrant, Unit, User
    from scoring import services
    from scoring.models import Assessment, Assignment, Method, Score, UnitGroup
    from scoring.services import CriterionData

    province = Unit.objects.create(code="BENCH", name="Tỉnh Thử", kind="province")
    framework = services.create_framework(province, year=2026, name="Bộ tiêu chí thử")
    areas = 8
    regular = criteria - 2  # the survey and the bonus leaves make up the rest
    per_area = regular // areas
    rows = []
    for a in range(1, areas + 1):
        count = per_area + (1 if a <= regular % areas else 0)
        rows.append(CriterionData(str(a), f"Lĩnh vực {a}", Decimal(count) * Decimal("0.5"), "sum"))
        for i in range(1, count + 1):
            method = [Method.YES_NO, Method.MANUAL, Method.DEDUCTION][i % 3]
            rows.append(
                CriterionData(
                    f"{a}.{i}",
                    f"Tiêu chí {a}.{i} về cải cách hành chính",
                    Decimal("0.5"),
                    method,
                    deduction=Decimal("0.25") if method == Method.DEDUCTION else None,
                )
            )
    total = sum(r.max_points for r in rows if "." not in r.code)
    rows.append(CriterionData("9", "Điều tra xã hội học", 100 - total, "sum"))
    rows.append(CriterionData("9.1", "Sự hài lòng", 100 - total, Method.SURVEY))
    rows.append(CriterionData("T", "Điểm thưởng", Decimal(2), "sum", kind="bonus"))
    rows.append(CriterionData("T.1", "Sáng kiến", Decimal(2), Method.YES_NO, kind="bonus"))
    criteria_set = services.add_set(framework, UnitGroup.COMMUNE_LEVEL, "Xã, phường", rows)
    period = services.create_period(
        framework,
        kind="six_month",
        name="6 tháng",
        department_due=date(2026, 6, 21),
        submission_due=date(2026, 6, 30),
    )
    appraiser = User.objects.create(username="bench-appraiser", full_name="Thẩm định")
    RoleGrant.objects.create(user=appraiser, role=Role.APPRAISER, unit=province)
    leaves = list(criteria_set.criteria.filter(is_leaf=True))
    focal = None
    first = None
    for n in range(communes):
        unit = Unit.objects.create(
            code=f"B{n:03d}", name=f"Phường {n}", kind="ward", parent=province
        )
        departments = [Department.objects.create(unit=unit, name=f"Phòng {k}") for k in range(4)]
        Assignment.objects.bulk_create(
            Assignment(unit=unit, criterion=c, department=departments[i % 4])
            for i, c in enumerate(leaves)
            if c.source != "survey"
        )
        assessment = Assessment.objects.create(period=period, unit=unit, criteria_set=criteria_set)
        Score.objects.bulk_create(
            Score(
                assessment=assessment,
                criterion=c,
                self_points=c.max_points if (i + n) % 5 else Decimal(0),
                appraised_points=c.max_points if (i + n) % 7 else c.max_points / 2,
            )
            for i, c in enumerate(leaves)
        )
        services.sync_submissions(assessment)
        services.recompute(assessment)
        if first is None:
            first = assessment
            focal = User.objects.create(username="bench-focal", full_name="Đầu mối", unit=unit)
            RoleGrant.objects.create(user=focal, role=Role.FOCAL, unit=unit)
    return period, first, appraiser, focal, len(leaves)


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--repeat", type=int, default=30)
    parser.add_argument("--communes", type=int, default=100)
    parser.add_argument("--criteria", type=int, default=150)
    args = parser.parse_args()
    common.fresh_database()
    from django.urls import reverse

    started = time.perf_counter()
    period, assessment, appraiser, focal, leaves = build(args.communes, args.criteria)
    print(f"built {args.communes} communes × {leaves} leaf criteria "
          f"in {time.perf_counter() - started:.1f} s")  # fmt: skip
    province_client, commune_client = common.signed_in(appraiser), common.signed_in(focal)
    pages = {
        "floor_page": (commune_client, reverse("bench_floor")),
        "ranking_page": (province_client, reverse("scoring_ranking", args=[period.pk])),
        "results_page": (commune_client, reverse("scoring_results", args=[assessment.pk])),
    }
    figures: dict[str, float] = {"communes": args.communes, "leaf_criteria": leaves}
    if os.environ.get("BENCH_PROFILE"):
        import cProfile
        import pstats

        client, url = pages["results_page"]
        client.get(url)
        with cProfile.Profile() as profile:
            for _ in range(10):
                client.get(url)
        pstats.Stats(profile).sort_stats("cumtime").print_stats(40)
    for name, (client, url) in pages.items():
        common.record(figures, name, common.measure(client, url, args.repeat))
    common.over_floor(figures, pages)
    print(json.dumps(figures, sort_keys=True))


if __name__ == "__main__":
    main()
