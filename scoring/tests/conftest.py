from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime, time
from decimal import Decimal

import pytest
from django.utils import timezone

from core import clock
from org.models import Department, Role, Unit, UnitKind, User
from org.tests.conftest import World
from org.tests.factories import DepartmentFactory, UnitFactory, person_with_role
from scoring import services
from scoring.models import Assessment, Criterion, Framework, Method, Period, UnitGroup
from scoring.services import CriterionData

TODAY = date(2026, 6, 10)

D = Decimal


def tree() -> list[CriterionData]:
    """A small framework: two self-assessed areas, a survey area, bonus and penalty."""
    return [
        CriterionData("1", "Chỉ đạo, điều hành", D(6), Method.SUM),
        CriterionData("1.1", "Ban hành kế hoạch CCHC năm", D(2), Method.YES_NO),
        CriterionData(
            "1.2",
            "Mức độ hoàn thành kế hoạch",
            D(1),
            Method.TIERS,
            tiers=services.parse_tiers("100%: 1; từ 80% đến dưới 100%: 0,5; dưới 80%: 0"),
        ),
        CriterionData(
            "1.3", "Báo cáo đúng hạn", D(3), Method.DEDUCTION, deduction=D("0.5"), floor=D(1)
        ),
        CriterionData("2", "Thủ tục hành chính", D(4), Method.SUM),
        CriterionData("2.1", "Công khai TTHC", D(4), Method.SUM),
        CriterionData("2.1.1", "Niêm yết TTHC", D(2), Method.MANUAL),
        CriterionData("2.1.2", "Công khai trên cổng", D(2), Method.MANUAL),
        CriterionData("3", "Điều tra xã hội học", D(10), Method.SUM),
        CriterionData("3.1", "Sự hài lòng", D(10), Method.SURVEY),
        CriterionData("T", "Điểm thưởng", D(2), Method.SUM, kind="bonus"),
        CriterionData("T.1", "Sáng kiến", D(2), Method.YES_NO, kind="bonus"),
        CriterionData("TR", "Điểm trừ", D(3), Method.SUM, kind="penalty"),
        CriterionData(
            "TR.1", "Bị phê bình", D(3), Method.DEDUCTION, deduction=D(1), kind="penalty"
        ),
    ]


@dataclass
class Scene:
    world: World
    framework: Framework
    period: Period
    assessment: Assessment
    unit: Unit
    vhxh: Department
    tthc: Department
    head: User
    tthc_head: User
    focal: User
    leader: User
    appraiser: User
    other_appraiser: User

    def c(self, code: str) -> Criterion:
        return Criterion.objects.get(criteria_set__framework=self.framework, code=code)

    def score(self, code: str):
        return self.assessment.scores.get(criterion__code=code)


@pytest.fixture
def frozen_today(monkeypatch) -> date:
    moment = timezone.make_aware(datetime.combine(TODAY, time(9)))
    monkeypatch.setattr(clock, "today", lambda: TODAY)
    monkeypatch.setattr(clock, "now", lambda: moment)
    return TODAY


@pytest.fixture
def scene(world: World, frozen_today) -> Scene:
    unit = world.dongquang
    vhxh = world.other_vhxh
    tthc = DepartmentFactory(unit=unit, name="Trung tâm Phục vụ hành chính công", kind="centre")
    framework = services.create_framework(
        world.thanhhoa,
        year=2026,
        name="Bộ tiêu chí 2026",
        decision_number="4116/QĐ-UBND",
        decision_date=date(2025, 12, 29),
    )
    services.add_set(framework, UnitGroup.COMMUNE_LEVEL, "Xã, phường", tree())
    period = services.create_period(
        framework,
        kind="six_month",
        name="6 tháng 2026",
        department_due=date(2026, 6, 21),
        submission_due=date(2026, 6, 30),
        answer_days=5,
    )
    head = person_with_role(Role.DEPARTMENT_HEAD, unit, vhxh, username="dq_head")
    tthc_head = person_with_role(Role.DEPARTMENT_HEAD, unit, tthc, username="dq_tthc")
    leader = person_with_role(Role.LEADER, unit, username="dq_leader")
    appraiser = person_with_role(Role.APPRAISER, world.thanhhoa, username="th_appraiser")
    s = Scene(
        world,
        framework,
        period,
        None,  # type: ignore[arg-type]
        unit,
        vhxh,
        tthc,
        head,
        tthc_head,
        world.people["other_focal"],
        leader,
        appraiser,
        world.people[Role.APPRAISER],
    )
    for code in ("1.1", "1.2", "1.3", "T.1", "TR.1"):
        services.assign(unit, s.c(code), vhxh)
    for code in ("2.1.1", "2.1.2"):
        services.assign(unit, s.c(code), tthc)
    s.assessment = services.open_assessment(period, unit)
    return s


def other_commune(world: World) -> Unit:
    return UnitFactory(code="38-XX", name="Xã Mẫu", kind=UnitKind.COMMUNE, parent=world.thanhhoa)


@pytest.fixture(autouse=True)
def english():
    """Service messages are checked in their English msgids."""
    from django.utils import translation

    with translation.override("en"):
        yield
