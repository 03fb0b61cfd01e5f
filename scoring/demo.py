"""Demo PAR-index data: the sample framework for Thanh Hoá (38) 2026, its criteria assigned in
Đông Quang from seed 000's section II, and the six-month self-assessment under way.

Province 38 has only one real demo commune, so the demo ranks that one. For a fuller ranking,
`manage.py load_scoring_samples` adds three clearly marked sample wards ("Phường Mẫu 1–3 (đơn vị
mẫu)", codes 38-MAU-1..3) with self-scores; they are not part of the demo because the demo's
list of communes is the seeds' own.
"""

from __future__ import annotations

import io
from datetime import date
from decimal import Decimal

from django.db import transaction

from org.demo import SAMPLE_PDF, seed_text
from org.models import Department, Unit, UnitKind, User
from scoring import services
from scoring.models import Assessment, Assignment, Method, PeriodKind, Source
from scoring.sample import load_sample

SAMPLE_UNITS = [("38-MAU-1", "Mẫu 1 (đơn vị mẫu)"), ("38-MAU-2", "Mẫu 2 (đơn vị mẫu)"),
                ("38-MAU-3", "Mẫu 3 (đơn vị mẫu)")]  # fmt: skip


def _value(criterion, level: int) -> Decimal:
    """A plausible reported value: level 0 is the best commune."""
    if criterion.method == Method.YES_NO:
        return Decimal(0 if (level and criterion.pk % (5 - level) == 0) else 1)
    if criterion.method == Method.TIERS:
        return Decimal((100, 90, 85, 70)[(criterion.pk + level) % 4 if level else 0])
    if criterion.method == Method.DEDUCTION:
        return Decimal((criterion.pk + level) % 3 if level else 0)
    top = criterion.max_points
    return (top * Decimal((100, 80, 70, 60)[level % 4]) / 100).quantize(Decimal("0.01"))


def _score_all(assessment: Assessment, by: User | None, level: int, share: int = 100) -> None:
    scores = list(
        assessment.scores.select_related("criterion")
        .exclude(criterion__source=Source.SURVEY)
        .order_by("criterion__sort")
    )
    for index, score in enumerate(scores):
        if index * 100 >= share * len(scores) or score.self_points is not None:
            continue
        value = _value(score.criterion, level)
        score = services.set_self_score(score, by, value=value, explanation="")
        if by is not None and score.self_points:
            services.add_evidence_file(
                score,
                by,
                "minh-chung.pdf",
                io.BytesIO(SAMPLE_PDF),
                services.EvidenceData(
                    f"Minh chứng tiêu chí {score.criterion.code}",
                    f"{10 + index}/KH-UBND",
                    date(2026, 1, 5 + index % 20),
                ),
            )


@transaction.atomic
def load() -> None:
    province = Unit.objects.get(code="38")
    framework = load_sample(province, 2026)
    criteria_set = framework.sets.get()
    period = framework.periods.get(kind=PeriodKind.SIX_MONTH)

    dongquang = Unit.objects.get(code="38-DONGQUANG")
    services.assign_from_document(dongquang, criteria_set, seed_text("000"))
    culture = Department.objects.get(unit=dongquang, short_name="VHXH")
    for criterion in services.unassigned(dongquang, criteria_set):
        services.assign(dongquang, criterion, culture)  # by hand: the focal officer's division
    focal = User.objects.get(username="dongquang.daumoi")
    officer = User.objects.get(username="dongquang.ttpvhcc")
    for assignment in Assignment.objects.filter(unit=dongquang, department__short_name="TTPVHCC"):
        assignment.people.set([officer])
    assessment = services.open_assessment(period, dongquang)
    if not assessment.scores.exclude(self_points=None).exists():
        _score_all(assessment, focal, 0, share=60)


@transaction.atomic
def load_sample_communes() -> list[Unit]:
    """Three sample wards of province 38, scored, so that the ranking ranks several."""
    province = Unit.objects.get(code="38")
    framework = load_sample(province, 2026)
    criteria_set = framework.sets.get()
    period = framework.periods.get(kind=PeriodKind.SIX_MONTH)
    units = []
    for level, (code, name) in enumerate(SAMPLE_UNITS, start=1):
        unit, _created = Unit.objects.get_or_create(
            code=code, defaults={"name": name, "kind": UnitKind.WARD, "parent": province}
        )
        department, _created = Department.objects.get_or_create(
            unit=unit, name="Phòng Văn hóa - Xã hội", defaults={"short_name": "VHXH"}
        )
        for criterion in services.unassigned(unit, criteria_set):
            services.assign(unit, criterion, department)
        sample = services.open_assessment(period, unit)
        if not sample.scores.exclude(self_points=None).exists():
            _score_all(sample, None, level)
        units.append(unit)
    return units
