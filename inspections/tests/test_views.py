"""Pages: who sees and does what, and that each page shows what it should."""

from __future__ import annotations

import io
from datetime import date

import pytest
from django.urls import reverse

from inspections import services
from inspections.models import Finding, FindingStatus, Result, Severity
from inspections.tests.conftest import PDF, finding_data
from org.models import Role
from org.tests.conftest import login

pytestmark = pytest.mark.django_db


@pytest.fixture
def finding(world, round_) -> Finding:
    return services.record_finding(
        round_,
        world.people[Role.FOCAL],
        finding_data(
            world,
            description="Chưa cập nhật hồ sơ lên Hệ thống thông tin giải quyết TTHC",
            deadline=date(2026, 1, 15),  # before the frozen today: overdue
            severity=Severity.HIGH,
            recommendation="",
        ),
    )


def test_every_page_renders_for_the_focal(client, world, round_, finding):
    login(client, world, Role.FOCAL)
    plan = round_.plan
    subject = round_.subjects.first()
    pages = [
        reverse("inspection_home") + "?year=2026",
        reverse("inspection_plan_create"),
        reverse("inspection_plan_import"),
        reverse("inspection_plan_detail", args=[plan.pk]),
        reverse("inspection_plan_edit", args=[plan.pk]),
        reverse("inspection_summary", args=[plan.pk]),
        reverse("inspection_round_detail", args=[round_.pk]),
        reverse("inspection_subject_detail", args=[subject.pk]),
        reverse("finding_create", args=[round_.pk]),
        reverse("finding_list"),
        reverse("finding_detail", args=[finding.pk]),
        reverse("finding_edit", args=[finding.pk]),
        reverse("inspection_department", args=[world.office.pk]),
        reverse("history", args=["finding", finding.pk]),
    ]
    for url in pages:
        response = client.get(url)
        assert response.status_code == 200, url
    home = client.get(reverse("inspection_home") + "?year=2026").content.decode()
    assert "Đợt 1 – Kiểm tra 6 tháng" in home
    grid = client.get(reverse("inspection_round_detail", args=[round_.pk])).content.decode()
    assert grid.count('class="grid-row"') == 2
    assert "1.7" in grid and "Sở Nội vụ" in grid


def test_other_commune_sees_nothing(client, world, round_, finding):
    login(client, world, "other_focal")
    assert client.get(reverse("inspection_round_detail", args=[round_.pk])).status_code == 404
    assert client.get(reverse("finding_detail", args=[finding.pk])).status_code == 404
    assert client.get(reverse("inspection_plan_detail", args=[round_.plan.pk])).status_code == 404


def test_only_team_records_findings(client, world, round_):
    login(client, world, Role.DEPARTMENT_HEAD)
    assert client.get(reverse("finding_create", args=[round_.pk])).status_code == 403
    login(client, world, Role.FOCAL)
    response = client.post(
        reverse("finding_create", args=[round_.pk]),
        {
            "department": world.office.pk,
            "description": "Thiếu sổ theo dõi",
            "severity": "low",
            "deadline": "30/08/2026",
        },
    )
    assert response.status_code == 200  # refused: no responsible department
    assert "phải có đơn vị chịu trách nhiệm khắc phục" in response.content.decode()
    assert not Finding.objects.exists()
    response = client.post(
        reverse("finding_create", args=[round_.pk]),
        {
            "department": world.office.pk,
            "responsible_department": world.office.pk,
            "description": "Thiếu sổ theo dõi",
            "severity": "low",
            "deadline": "30/08/2026",
        },
    )
    assert response.status_code == 302
    assert Finding.objects.get().deadline == date(2026, 8, 30)


def test_department_answers_and_team_closes(client, world, finding):
    login(client, world, Role.OFFICER)
    assert client.post(reverse("finding_action", args=[finding.pk, "close"])).status_code == 403
    upload = io.BytesIO(PDF)
    upload.name = "bien-ban.pdf"
    client.post(
        reverse("finding_respond", args=[finding.pk]), {"text": "Đã cập nhật", "files": upload}
    )
    finding.refresh_from_db()
    assert finding.status == FindingStatus.RESPONDED
    login(client, world, Role.FOCAL)
    client.post(reverse("finding_action", args=[finding.pk, "close"]), {"text": "Đạt"})
    finding.refresh_from_db()
    assert finding.status == FindingStatus.CLOSED
    page = client.get(reverse("finding_detail", args=[finding.pk])).content.decode()
    assert "bien-ban.pdf" in page


def test_close_without_evidence_shows_the_reason(client, world, finding):
    services.respond(finding, world.people[Role.OFFICER], "Đã làm")
    login(client, world, Role.FOCAL)
    response = client.post(
        reverse("finding_action", args=[finding.pk, "close"]), {"text": ""}, follow=True
    )
    assert "Chỉ kết thúc tồn tại khi có minh chứng" in response.content.decode()
    finding.refresh_from_db()
    assert finding.status == FindingStatus.RESPONDED


def test_finding_list_filters(client, world, round_, finding):
    services.record_finding(
        round_,
        world.people[Role.FOCAL],
        finding_data(
            world,
            description="Chưa ban hành quy chế chi tiêu nội bộ",
            department=world.vhxh,
            responsible_department=world.vhxh,
            responsible_person=None,
            deadline=date(2026, 12, 1),
            severity=Severity.MEDIUM,
            recommendation="",
        ),
    )
    login(client, world, Role.LEADER)
    page = client.get(reverse("finding_list") + "?state=overdue").content.decode()
    assert "Chưa cập nhật hồ sơ" in page and "quy chế chi tiêu" not in page
    page = client.get(reverse("finding_list") + f"?department={world.vhxh.pk}").content.decode()
    assert "Chưa cập nhật hồ sơ" not in page and "quy chế chi tiêu" in page
    department = client.get(reverse("inspection_department", args=[world.office.pk]))
    assert "Chưa cập nhật hồ sơ" in department.content.decode()


def test_self_check_page_saves_and_sends(client, world, round_):
    subject = round_.subjects.get(department=world.office)
    items = list(services.subject_items(subject))
    login(client, world, Role.OFFICER)  # the person in charge of the office's self-check
    data = {f"r{i.pk}": Result.MET for i in items}
    data.update({"submit": "1", "note": "Đã tự kiểm tra"})
    client.post(reverse("inspection_subject_detail", args=[subject.pk]), data)
    subject.refresh_from_db()
    assert subject.submitted_on == date(2026, 2, 1)
    assert subject.answers.filter(self_result=Result.MET).count() == len(items)
    login(client, world, Role.DEPARTMENT_HEAD)  # heads another department: may not answer
    response = client.post(reverse("inspection_subject_detail", args=[subject.pk]), data)
    assert response.status_code == 403


def test_plan_import_from_seed_document(client, world, seed_text, frozen_today):
    login(client, world, Role.FOCAL)
    upload = io.BytesIO(seed_text("003").encode())
    upload.name = "ke-hoach-kiem-tra.txt"
    response = client.post(reverse("inspection_plan_import"), {"file": upload}, follow=True)
    page = response.content.decode()
    assert response.status_code == 200
    assert "Kế hoạch Kiểm tra cải cách hành chính năm 2026" in page
    plan = world.thanhdong.inspection_plans.get()
    assert plan.rounds.count() == 2 and plan.areas.count() == 7
    login(client, world, Role.OFFICER)
    upload.seek(0)
    assert client.post(reverse("inspection_plan_import"), {"file": upload}).status_code == 403
