"""Query plans of the heaviest pages on a database filled by `manage.py generate_national`.

On PostgreSQL (DATABASE_URL), signed in as the ministry, a province's appraiser and a commune's
focal officer, it opens the ministry's ranking of provinces, a province's board, the PAR-index
ranking of the province's communes, a commune's dashboard, plan page, task page, follow-up board,
reports and self-assessment results; it times each page (median of --repeat, warm), collects
every SQL query they make, runs EXPLAIN ANALYZE on each and prints the plans of the ten heaviest,
flagging a sequential scan of any table of more than --large rows. The last line is one JSON
object with the figures.

    DATABASE_URL=postgres://postgres@127.0.0.1:5432/cchc_national \\
        .venv/bin/python bench/national_plans.py [--province QG01] [--repeat 15] [--plans 10]
"""

from __future__ import annotations

import argparse
import json
import re
import statistics
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from bench import common  # sets Django up

# What each page should take at most, median, in milliseconds.
TARGETS = {"ministry_ranking": 1000, "province_board": 300, "communes_ranking": 300}
EXECUTION = re.compile(r"Execution Time: ([\d.]+) ms")
SEQ_SCAN = re.compile(r"Seq Scan on (\w+)")


def _people(province_code: str):
    from org.models import Role, RoleGrant, Unit, UnitLevel, User

    province = Unit.objects.get(code=province_code)
    commune = (
        Unit.objects.filter(province=province, level=UnitLevel.COMMUNE).order_by("code").first()
    )
    ministry, _ = User.objects.get_or_create(
        username="bench.bonoivu", defaults={"full_name": "Chuyên viên Bộ Nội vụ"}
    )
    RoleGrant.objects.get_or_create(user=ministry, role=Role.MINISTRY, unit=None)
    appraiser, _ = User.objects.get_or_create(
        username=f"bench.sonoivu.{province_code.lower()}",
        defaults={"full_name": "Chuyên viên Sở Nội vụ", "unit": province},
    )
    RoleGrant.objects.get_or_create(user=appraiser, role=Role.APPRAISER, unit=province)
    focal = RoleGrant.objects.get(unit=commune, role=Role.FOCAL).user
    return province, commune, ministry, appraiser, focal


def _pages(province, commune, year: int) -> dict[str, tuple[str, str]]:
    """{page name: (who, URL)}."""
    from django.urls import reverse

    from plans.models import Plan
    from scoring.models import Assessment, Period, PeriodKind

    period = Period.objects.get(
        framework__province=province, framework__year=year, kind=PeriodKind.SIX_MONTH
    )
    plan = Plan.objects.filter(unit=commune, period_start__year=year).first()
    task = plan.tasks.order_by("order").first()
    assessment = Assessment.objects.filter(unit=commune, period=period).first()
    pages = {
        "ministry_ranking": ("ministry", f"{reverse('ministry_ranking')}?year={year}&period=h1"),
        "ministry_by_reports": (
            "ministry",
            f"{reverse('ministry_ranking')}?year={year}&period=h1&sort=reports",
        ),
        "province_board": ("appraiser", f"{reverse('oversight_board')}?year={year}&period=h1"),
        "province_board_late": (
            "appraiser",
            f"{reverse('oversight_board')}?year={year}&period=h1&late=1&sort=-index",
        ),
        "communes_ranking": ("appraiser", reverse("scoring_ranking", args=[period.pk])),
        "commune_dashboard": ("focal", reverse("dashboard")),
        "plan_page": ("focal", reverse("plan_detail", args=[plan.pk])),
        "task_page": ("focal", reverse("task_detail", args=[task.pk])),
        "follow_up_board": ("focal", reverse("board")),
        "reports": ("focal", reverse("report_home")),
        "home": ("focal", reverse("home")),
    }
    if assessment is not None:
        pages["assessment_results"] = (
            "focal",
            reverse("scoring_results", args=[assessment.pk]),
        )
    return pages


def _explain(cursor, sql: str, runs: int = 3) -> tuple[float, str]:
    """The median execution time of `sql` (ms) and its plan."""
    times, plan = [], ""
    for _ in range(runs):
        cursor.execute(f"EXPLAIN (ANALYZE, BUFFERS) {sql}")
        plan = "\n".join(row[0] for row in cursor.fetchall())
        times.append(float(EXECUTION.search(plan).group(1)))
    return statistics.median(times), plan


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--province", default="QG01")
    parser.add_argument("--repeat", type=int, default=15)
    parser.add_argument("--plans", type=int, default=10)
    parser.add_argument("--large", type=int, default=10_000)
    args = parser.parse_args()

    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    from core import clock

    if connection.vendor != "postgresql":
        sys.exit("Run it on PostgreSQL: set DATABASE_URL to the generated database.")
    with connection.cursor() as cursor:
        cursor.execute("ANALYZE")  # fresh statistics after the bulk load
        cursor.execute("SELECT pg_size_pretty(pg_database_size(current_database()))")
        size = cursor.fetchone()[0]
        cursor.execute(
            "SELECT relname, reltuples::bigint FROM pg_class WHERE relkind = 'r' "
            "AND relnamespace = 'public'::regnamespace"
        )
        rows_of = dict(cursor.fetchall())
    year = clock.today().year
    province, commune, ministry, appraiser, focal = _people(args.province)
    clients = {
        "ministry": common.signed_in(ministry),
        "appraiser": common.signed_in(appraiser, province),
        "focal": common.signed_in(focal, commune),
    }
    figures: dict[str, object] = {"database_size": size, "province": province.code}
    from org.models import Unit, UnitLevel

    figures["communes"] = Unit.objects.filter(level=UnitLevel.COMMUNE).count()
    figures["province_communes"] = Unit.objects.filter(
        province=province, level=UnitLevel.COMMUNE
    ).count()
    print(
        f"database {size}, {figures['communes']} communes; "
        f"{province.full_name}: {figures['province_communes']}"
    )
    queries: dict[str, tuple[str, str]] = {}  # sql -> (page, sql)
    for name, (who, url) in _pages(province, commune, year).items():
        client = clients[who]
        common.record(figures, name, common.measure(client, url, args.repeat))
        with CaptureQueriesContext(connection) as captured:
            client.get(url)
        # the time the page spends waiting on the database, apart from Python's
        sql_ms = 1000 * sum(float(q["time"]) for q in captured.captured_queries)
        figures[f"{name}_sql_ms"] = round(sql_ms, 1)
        print(f"{'':22} {sql_ms:7.1f} ms in SQL")
        for query in captured.captured_queries:
            sql = query["sql"]
            if sql.lstrip().upper().startswith("SELECT"):
                queries.setdefault(sql, (name, sql))
    for name, limit in TARGETS.items():
        median = figures[f"{name}_ms_median"]
        verdict = "ok" if median < limit else "OVER"
        print(f"target {name}: median {median:.1f} ms < {limit} ms: {verdict}")

    measured = []
    with connection.cursor() as cursor:
        for page, sql in queries.values():
            ms, plan = _explain(cursor, sql)
            measured.append((ms, page, sql, plan))
    measured.sort(key=lambda m: -m[0])
    seq_scans = set()
    for _ms, page, _sql, plan in measured:
        for table in SEQ_SCAN.findall(plan):
            if rows_of.get(table, 0) > args.large:
                seq_scans.add((table, page))
    print(f"\n{len(measured)} distinct queries; the {args.plans} heaviest:")
    for rank, (ms, page, sql, plan) in enumerate(measured[: args.plans], start=1):
        print(f"\n#{rank} {ms:.2f} ms ({page})\n{sql[:600]}\n{plan}")
    figures["queries"] = len(measured)
    figures["heaviest_query_ms"] = [round(m[0], 2) for m in measured[: args.plans]]
    figures["heaviest_query_pages"] = [m[1] for m in measured[: args.plans]]
    figures["seq_scans_of_large_tables"] = sorted(f"{t} ({p})" for t, p in seq_scans)
    print("\nsequential scans of tables over", args.large, "rows:", sorted(seq_scans) or "none")
    print(json.dumps(figures, ensure_ascii=False))


if __name__ == "__main__":
    main()
