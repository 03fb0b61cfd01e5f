from __future__ import annotations

import io
from datetime import date

import pytest

from inspections import services
from inspections.models import InspectionPlan, Round, Severity, TeamRole
from org.models import Role
from org.tests.conftest import World
from plans.tests.conftest import TODAY, frozen_today, in_force, plan  # noqa: F401

PDF = b"%PDF-1.4\n1 0 obj<</Type/Catalog>>endobj\ntrailer<</Root 1 0 R>>\n%%EOF\n"


def pdf(name: str = "minh-chung.pdf") -> services.UploadedFile:
    return services.UploadedFile(name, io.BytesIO(PDF))


def finding_data(world, **extra) -> services.FindingData:
    fields = {
        "description": "Chưa niêm yết đầy đủ TTHC tại Bộ phận một cửa",
        "department": world.office,
        "responsible_department": world.office,
        "responsible_person": world.people[Role.OFFICER],
        "deadline": date(2026, 8, 15),
        "severity": Severity.MEDIUM,
        "recommendation": "Niêm yết bổ sung 12 TTHC còn thiếu",
    }
    fields.update(extra)
    return services.FindingData(**fields)


@pytest.fixture
def inspection_plan(world: World, frozen_today) -> InspectionPlan:  # noqa: F811
    return services.create_plan(
        world.thanhdong,
        title="Kế hoạch Kiểm tra cải cách hành chính năm 2026",
        year=2026,
        lead_department=world.vhxh,
        template=services.default_template(),
    )


@pytest.fixture
def round_(world: World, inspection_plan) -> Round:
    """Six-month round, 01/7–10/7/2026: the focal leads the team, the office is inspected."""
    r = services.add_round(
        inspection_plan,
        name="Đợt 1 – Kiểm tra 6 tháng",
        start=date(2026, 7, 1),
        end=date(2026, 7, 10),
    )
    services.add_team_member(r, role=TeamRole.LEADER, user=world.people[Role.FOCAL])
    services.add_team_member(
        r, role=TeamRole.MEMBER, name="Nguyễn Văn Khách", organisation="Sở Nội vụ"
    )
    areas = list(inspection_plan.areas.filter(code__in=["1.1", "1.3"]))
    services.add_subject(r, world.office, areas=areas, person=world.people[Role.OFFICER])
    services.add_subject(r, world.vhxh, areas=list(inspection_plan.areas.filter(code="1.2")))
    return r


assert date(2026, 2, 1) == TODAY
