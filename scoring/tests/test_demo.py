from __future__ import annotations

from django.core.management import call_command

from org import demo as org_demo
from scoring import demo, services
from scoring.models import Assessment, ScoreEvidence


def test_demo_loads_twice_with_scores_evidence_and_a_ranking(db):
    org_demo.load()
    demo.load()
    demo.load()  # idempotent
    dongquang = Assessment.objects.get(unit__code="38-DONGQUANG")
    assert services.unassigned(dongquang.unit, dongquang.criteria_set) == []
    assert dongquang.scores.exclude(self_points=None).count() > 20
    assert ScoreEvidence.objects.filter(score__assessment=dongquang).count() > 10
    assert [r.assessment for r in services.ranking(dongquang.period).rows] == [dongquang]
    # The sample wards, on request only, give the ranking several communes.
    call_command("load_scoring_samples")
    call_command("load_scoring_samples")
    ranking = services.ranking(dongquang.period)
    assert len(ranking.rows) == 4
    assert all(row.assessment.index > 0 for row in ranking.rows)
    assert all("(đơn vị mẫu)" in r.assessment.unit.name for r in ranking.rows[:4]
               if r.assessment != dongquang)  # fmt: skip
    assert not ScoreEvidence.objects.exclude(score__assessment=dongquang).exists()
