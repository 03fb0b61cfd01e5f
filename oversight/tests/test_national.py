"""The national data generator at a tiny size: deterministic with its seed, resumable after an
interruption, and the ministry's ranking of the provinces it fills."""

from __future__ import annotations

from datetime import date
from decimal import Decimal

import pytest
from django.core.management import call_command
from django.db import transaction
from django.db.models import Count, Sum

from core import clock
from inspections.models import Finding
from org.models import Role, RoleGrant, Unit, UnitLevel
from org.tests.factories import person_with_role
from oversight import ministry, national
from plans.models import Evidence, Measurement, Milestone, Task
from reports.models import Report, ReportingPeriod
from scoring.models import Assessment, Score
from surveys.models import Answer

TODAY = date(2026, 7, 20)


@pytest.fixture(autouse=True)
def today(monkeypatch):
    monkeypatch.setattr(clock, "today", lambda: TODAY)


def snapshot() -> dict[str, tuple]:
    """What each generated commune holds, without ids (which differ between runs)."""
    found = {}
    for unit in Unit.objects.filter(code__startswith=national.PREFIX, level=UnitLevel.COMMUNE):
        tasks = Task.objects.filter(plan__unit=unit)
        found[unit.code] = (
            unit.name,
            unit.kind,
            tasks.count(),
            "|".join(
                tasks.order_by("plan__period_start", "order").values_list("content", flat=True)
            ),
            Milestone.objects.filter(task__plan__unit=unit, done_on__isnull=False).count(),
            Evidence.objects.filter(task__plan__unit=unit).count(),
            Measurement.objects.filter(target__plan__unit=unit).count(),
            Report.objects.filter(period__unit=unit).count(),
            Score.objects.filter(assessment__unit=unit).count(),
            Assessment.objects.filter(unit=unit).aggregate(s=Sum("index"))["s"],
            Finding.objects.filter(round__plan__unit=unit).count(),
            Answer.objects.filter(campaign__unit=unit).count(),
        )
    return found


def run(**options):
    return national.generate(provinces=2, communes=5, years=1, seed=7, **options)


def test_same_seed_same_data(db):
    with transaction.atomic():
        first = run()
        before = snapshot()
        transaction.set_rollback(True)
    assert not Unit.objects.filter(code__startswith=national.PREFIX).exists()
    second = run()
    assert snapshot() == before
    assert first.rows == second.rows and first.communes_added == 5
    # two provinces, 3 + 2 communes, each with a focal officer and a leader
    assert Unit.objects.filter(level=UnitLevel.PROVINCE, code__startswith="QG").count() == 2
    assert [national.communes_in(p, 2, 5) for p in (1, 2)] == [3, 2]
    assert RoleGrant.objects.filter(unit__code__startswith="QG0", role=Role.FOCAL).count() == 5
    tasks = Task.objects.values("plan").annotate(n=Count("id")).values_list("n", flat=True)
    assert all(30 <= n <= 60 for n in tasks) and len(tasks) == 5  # 5 communes, one year
    # about 150 scored criteria per self-assessment
    per = Score.objects.values("assessment").annotate(n=Count("id")).values_list("n", flat=True)
    assert set(per) == {152}
    assert ReportingPeriod.objects.count() == 5 * 4


def test_another_seed_other_data(db):
    with transaction.atomic():
        run()
        before = snapshot()
        transaction.set_rollback(True)
    national.generate(provinces=2, communes=5, years=1, seed=8)
    assert snapshot() != before


def test_an_interrupted_run_continues_where_it_stopped(db, monkeypatch):
    with transaction.atomic():
        run()
        full = snapshot()
        transaction.set_rollback(True)

    monkeypatch.setattr(national, "BATCH", 2)
    real, calls = national._batch, []

    def failing(*args, **kwargs):
        calls.append(1)
        if len(calls) == 2:
            raise KeyboardInterrupt  # stopped in the middle of the first province
        return real(*args, **kwargs)

    monkeypatch.setattr(national, "_batch", failing)
    with pytest.raises(KeyboardInterrupt):
        run()
    assert len(snapshot()) == 2  # the first batch is kept whole, the second not at all
    monkeypatch.setattr(national, "_batch", real)
    again = run()
    assert again.communes_skipped == 2 and again.communes_added == 3
    assert snapshot() == full
    nothing = run()
    assert nothing.communes_added == 0 and nothing.rows == 0


def test_the_command_prints_its_time_and_the_database_size(db, capsys):
    call_command("generate_national", "--provinces", "1", "--communes", "2", "--years", "1")
    out = capsys.readouterr().out
    assert "2 communes added" in out and " s; database size " in out


def test_ranking_of_the_provinces(db):
    run()
    rows = ministry.ranking(2026, "h1", "index")
    ours = [r for r in rows if r.code.startswith("QG")]
    assert [r.communes for r in sorted(ours, key=lambda r: r.code)] == [3, 2]
    for row in ours:
        submitted = Assessment.objects.filter(
            unit__province_id=row.unit_id,
            period__framework__year=2026,
            period__kind="six_month",
            status__in=["submitted", "appraised", "answered", "closed"],
        )
        values = list(submitted.values_list("index", flat=True))
        assert row.assessed == len(values)
        mean = sum(values, Decimal(0)) / len(values)
        assert row.mean_index == mean.quantize(Decimal("0.01"))
        sent = Report.objects.filter(
            period__unit__province_id=row.unit_id, period__year=2026, period__kind="six_month"
        )
        assert row.sent == sent.count()
        assert row.on_time == sent.filter(sent_late=False).count()
    by_index = ministry.ranking(2026, "h1", "index")
    assert [r.index_rank for r in by_index if r.index_rank] == sorted(
        r.index_rank for r in by_index if r.index_rank
    )
    best, second = sorted(ours, key=lambda r: r.index_rank)
    assert best.index_rank == 1 and best.mean_index >= second.mean_index
    by_reports = ministry.ranking(2026, "h1", "reports")
    ranked = [r for r in by_reports if r.report_rank]
    assert [r.report_rank for r in ranked] == sorted(r.report_rank for r in ranked)
    assert ranked[0].rate >= ranked[-1].rate


def test_the_ranking_page(db, client):
    run()
    minister = person_with_role(Role.MINISTRY, None)
    client.force_login(minister)
    page = client.get("/oversight/ministry/?year=2026&period=h1").content.decode()
    assert page.count('data-province="QG') == 2
    assert "Thành phố Hà Nội" in page and "Thành phố Huế" in page
    assert page.index('data-province="QG0') < page.index("</tbody>")
    by_reports = client.get("/oversight/ministry/?year=2026&period=h1&sort=reports")
    assert by_reports.status_code == 200
    # the drill-down opens a province's board
    hue = Unit.objects.get(code="QG02")
    response = client.post("/switch-unit/", {"unit": hue.pk, "next": "/oversight/"})
    assert response.status_code == 302
    board = client.get("/oversight/?year=2026&period=h1").content.decode()
    commune = Unit.objects.filter(province=hue, level=UnitLevel.COMMUNE).first()
    assert "Thành phố Huế" in board and commune.name in board


def test_an_empty_ranking_says_so(db, client):
    client.force_login(person_with_role(Role.MINISTRY, None))
    page = client.get("/oversight/ministry/").content.decode()
    assert 'class="muted empty"' in page


def test_every_generated_tier_gives_at_most_its_criterion_points(db):
    from scoring.models import Criterion, Method

    run()
    tiered = Criterion.objects.filter(method=Method.TIERS)
    assert tiered.exists()
    for criterion in tiered:
        assert max(Decimal(t["points"]) for t in criterion.tiers) == criterion.max_points
