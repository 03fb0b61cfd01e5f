"""Plan pages: scoping, filters, progress with files, targets, Excel, feeds."""

from __future__ import annotations

from decimal import Decimal

from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from org.models import Role
from plans.models import Evidence, Task, TaskStatus


def test_plan_page_lists_areas_tasks_and_targets(client, world, plan):
    client.force_login(world.people[Role.LEADER])
    html = client.get(reverse("plan_detail", args=[plan.pk])).content.decode()
    assert "Xây dựng và triển khai Kế hoạch cải cách hành chính" in html
    assert "16/QĐ-UBND" in html
    assert "Cải cách thủ tục hành chính" in html  # a default area, in Vietnamese


def test_other_commune_cannot_open_the_plan(client, world, plan):
    client.force_login(world.people["other_focal"])
    assert client.get(reverse("plan_detail", args=[plan.pk])).status_code == 404
    task = plan.tasks.first()
    assert client.get(reverse("task_detail", args=[task.pk])).status_code == 404


def test_filters_overdue_and_search_without_diacritics(client, world, plan):
    client.force_login(world.people[Role.FOCAL])
    url = reverse("plan_detail", args=[plan.pk])
    overdue = client.get(url, {"overdue": "on"}, HTTP_HX_REQUEST="true").content.decode()
    assert "Xây dựng và triển khai" in overdue and "rà soát đánh giá" not in overdue
    found = client.get(url, {"q": "ra soat danh gia"}, HTTP_HX_REQUEST="true").content.decode()
    assert "rà soát đánh giá" in found and "triển khai Kế hoạch" not in found
    by_department = client.get(url, {"department": world.office.pk}).content.decode()
    assert "rà soát đánh giá" in by_department and "triển khai Kế hoạch" in by_department


def test_officer_reports_progress_with_a_file(client, world, plan):
    officer = world.people[Role.OFFICER]
    task = Task.objects.get(number="4")
    (milestone,) = task.milestones.all()
    client.force_login(officer)
    pdf = SimpleUploadedFile("ke-hoach-ra-soat.pdf", b"%PDF-1.7 noi dung", "application/pdf")
    response = client.post(
        reverse("task_progress", args=[task.pk]),
        {
            "note": "Đã ban hành kế hoạch rà soát",
            "percent": 100,
            "files": [pdf],
            "close_step": "1",
            "close": [milestone.pk],
        },
        follow=True,
    )
    assert "Đã ban hành kế hoạch rà soát" in response.content.decode()
    task.refresh_from_db()
    assert task.status in (TaskStatus.DONE, TaskStatus.DONE_LATE)
    milestone.refresh_from_db()
    assert milestone.done_on is not None
    evidence = Evidence.objects.get()
    download = client.get(reverse("evidence_download", args=[evidence.pk]))
    assert download.status_code == 200 and b"".join(download.streaming_content).startswith(b"%PDF")
    client.force_login(world.people["other_focal"])
    assert client.get(reverse("evidence_download", args=[evidence.pk])).status_code == 404


def test_reporting_100_without_the_milestones_offered_asks_for_them_first(client, world, plan):
    """Sent without the milestones (no script): nothing is saved, they are offered, all ticked."""
    task = Task.objects.get(number="4")
    (milestone,) = task.milestones.all()
    client.force_login(world.people[Role.OFFICER])
    note = "Đã ban hành kế hoạch rà soát"
    response = client.post(reverse("task_progress", args=[task.pk]), {"note": note, "percent": 100})
    page = response.content.decode()
    assert response.status_code == 200
    assert task.updates.count() == 0
    assert note in page and 'name="close_step"' in page
    assert f'name="close" value="{milestone.pk}" checked' in page
    milestone.refresh_from_db()
    assert milestone.done_on is None


def test_the_milestones_are_offered_once_100_is_typed(client, world, plan):
    task = Task.objects.get(number="4")
    (milestone,) = task.milestones.all()
    client.force_login(world.people[Role.OFFICER])
    url = reverse("task_closing", args=[task.pk])
    offered = client.get(url, {"percent": "100"}, HTTP_HX_REQUEST="true").content.decode()
    assert f'name="close" value="{milestone.pk}" checked' in offered
    for percent in ("90", "", "abc"):
        fragment = client.get(url, {"percent": percent}, HTTP_HX_REQUEST="true").content.decode()
        assert 'name="close"' not in fragment
    client.force_login(world.people["other_focal"])
    assert client.get(url, {"percent": "100"}).status_code == 404


def test_a_recurring_milestone_without_its_period_saves_nothing(client, world, plan):
    task = Task.objects.get(number="1")
    client.force_login(world.people[Role.DEPARTMENT_HEAD])
    client.post(
        reverse("task_edit", args=[task.pk]),
        {
            "area": task.area_id,
            "number": "1",
            "content": task.content,
            "lead_department": world.vhxh.pk,
            "deadline_text": "Hằng quý",
            "budget_state": "none",
        },
    )
    quarters = list(task.milestones.order_by("due"))
    assert [m.period for m in quarters] == ["2026-Q1", "2026-Q2", "2026-Q3", "2026-Q4"]
    url = reverse("task_progress", args=[task.pk])
    offered = client.post(url, {"note": "Hoàn thành", "percent": 100}).content.decode()
    assert f'name="period_{quarters[3].pk}"' in offered
    chosen = {"note": "Hoàn thành", "percent": 100, "close_step": "1"}
    chosen["close"] = [quarters[0].pk, quarters[1].pk]
    chosen[f"period_{quarters[0].pk}"] = "Quý I/2026"
    chosen[f"period_{quarters[1].pk}"] = "  "
    response = client.post(url, chosen)
    page = response.content.decode()
    assert response.status_code == 400
    assert 'value="Quý I/2026"' in page  # what was typed comes back
    assert f'name="close" value="{quarters[2].pk}">' in page  # left unticked, still unticked
    assert task.updates.count() == 0
    assert not task.milestones.filter(done_on__isnull=False).exists()

    chosen[f"period_{quarters[1].pk}"] = "Quý II/2026"
    assert client.post(url, chosen).status_code == 302
    done = {m.pk: m.done_period for m in task.milestones.filter(done_on__isnull=False)}
    assert done == {quarters[0].pk: "Quý I/2026", quarters[1].pk: "Quý II/2026"}
    task.refresh_from_db()
    assert task.progress_percent == 100 and task.status in (TaskStatus.DONE, TaskStatus.DONE_LATE)


def test_100_with_no_milestone_ticked_is_refused(client, world, plan):
    task = Task.objects.get(number="4")
    client.force_login(world.people[Role.OFFICER])
    response = client.post(
        reverse("task_progress", args=[task.pk]),
        {"note": "Hoàn thành", "percent": 100, "close_step": "1"},
    )
    assert response.status_code == 400
    assert 'class="field-error"' in response.content.decode()
    assert task.updates.count() == 0
    task.refresh_from_db()
    assert task.progress_percent == 0


def test_officer_cannot_update_a_task_not_assigned(client, world, plan):
    task = Task.objects.get(number="1")
    client.force_login(world.people[Role.OFFICER])
    response = client.post(reverse("task_progress", args=[task.pk]), {"note": "x", "percent": 10})
    assert response.status_code == 403
    assert task.updates.count() == 0


def test_wrong_file_type_is_refused_with_a_message(client, world, plan):
    task = Task.objects.get(number="1")
    client.force_login(world.people[Role.DEPARTMENT_HEAD])
    exe = SimpleUploadedFile("bao-cao.pdf", b"MZ\x90\x00 program", "application/pdf")
    response = client.post(
        reverse("task_progress", args=[task.pk]),
        {"note": "Cập nhật", "percent": 50, "files": [exe]},
        follow=True,
    )
    assert "Không có gì được lưu" in response.content.decode() or task.updates.count() == 0
    assert task.updates.count() == 0 and Evidence.objects.count() == 0


def test_a_refused_file_keeps_what_was_typed(client, world, plan):
    task = Task.objects.get(number="1")
    client.force_login(world.people[Role.DEPARTMENT_HEAD])
    exe = SimpleUploadedFile("bao-cao.pdf", b"MZ\x90\x00 program", "application/pdf")
    note = "Đã tổ chức hội nghị triển khai kế hoạch cho 35 công chức"
    response = client.post(
        reverse("task_progress", args=[task.pk]), {"note": note, "percent": 80, "files": [exe]}
    )
    page = response.content.decode()
    assert response.status_code == 400
    assert note in page and 'value="80"' in page
    assert "Không có gì được lưu" in page
    assert task.updates.count() == 0


def test_task_form_refuses_missing_lead_and_shows_deadline_preview(client, world, plan):
    client.force_login(world.people[Role.FOCAL])
    url = reverse("task_create", args=[plan.pk])
    response = client.post(
        url,
        {
            "area": plan.areas.first().pk,
            "content": "Nhiệm vụ mới",
            "deadline_text": "Quý II",
            "budget_state": "none",
        },
    )
    assert response.status_code == 200
    assert "Mỗi nhiệm vụ phải có cơ quan chủ trì" in response.content.decode()
    assert not Task.objects.filter(content="Nhiệm vụ mới").exists()
    preview = client.get(reverse("deadline_preview", args=[plan.pk]), {"deadline_text": "Quý II"})
    assert "30/06/2026" in preview.content.decode()


def test_leader_approves_and_focal_cannot(client, world, plan):
    client.force_login(world.people[Role.FOCAL])
    assert (
        client.post(reverse("plan_move", args=[plan.pk]), {"status": "approved"}).status_code == 403
    )
    client.force_login(world.people[Role.LEADER])
    client.post(reverse("plan_move", args=[plan.pk]), {"status": "approved"})
    plan.refresh_from_db()
    assert plan.status == "approved" and plan.approved_by == world.people[Role.LEADER]


def test_target_measurement_updates_attainment(client, world, plan):
    client.force_login(world.people[Role.FOCAL])
    client.post(
        reverse("target_create", args=[plan.pk]),
        {"text": "Mức độ hài lòng của người dân đạt tối thiểu 90%"},
    )
    target = plan.targets.get()
    client.post(
        reverse("target_measure_any", args=[plan.pk]),
        {
            "target": target.pk,
            "value": "92,5",
            "period_label": "Quý I/2026",
            "source": "Khảo sát tại TTPVHCC",
        },
    )
    assert target.measurements.get().value == Decimal("92.5")
    html = client.get(reverse("plan_detail", args=[plan.pk])).content.decode()
    assert "attain-met" in html and "Khảo sát tại TTPVHCC" in html


def test_pages_across_plans(client, world, plan, in_force):
    client.force_login(world.people[Role.OFFICER])
    mine = client.get(reverse("my_tasks")).content.decode()
    assert "rà soát đánh giá" in mine and "triển khai Kế hoạch" not in mine
    client.force_login(world.people[Role.FOCAL])
    board = client.get(reverse("board")).content.decode()
    assert "triển khai Kế hoạch" in board
    dashboard = client.get(reverse("dashboard")).content.decode()
    assert "Công tác chỉ đạo, điều hành" in dashboard and "Cải cách thủ tục hành chính" in dashboard
    calendar = client.get(reverse("calendar"), {"year": 2026, "month": 1})
    assert "triển khai Kế hoạch" in calendar.content.decode()
    department = client.get(reverse("department_tasks", args=[world.vhxh.pk])).content.decode()
    assert "triển khai Kế hoạch" in department


def test_roll_over_and_export(client, world, plan):
    client.force_login(world.people[Role.FOCAL])
    response = client.post(reverse("plan_roll_over", args=[plan.pk]))
    assert response.status_code == 302
    export = client.get(reverse("plan_export", args=[plan.pk]))
    assert export.content[:2] == b"PK"


def test_plan_with_source_document_created_by_focal(client, world, frozen_today):
    client.force_login(world.people[Role.FOCAL])
    source = SimpleUploadedFile("ke-hoach.pdf", b"%PDF-1.4 ke hoach", "application/pdf")
    response = client.post(
        reverse("plan_create"),
        {
            "kind": "six_month",
            "title": "Kế hoạch CCHC 6 tháng đầu năm 2027",
            "period_start": "01/01/2027",
            "period_end": "30/06/2027",
            "source_document": source,
            "include_impact_area": "on",
        },
    )
    assert response.status_code == 302
    plan = world.thanhdong.plans.get(title="Kế hoạch CCHC 6 tháng đầu năm 2027")
    assert plan.areas.count() == 8 and plan.source_name == "ke-hoach.pdf"
    download = client.get(reverse("plan_source", args=[plan.pk]))
    assert b"".join(download.streaming_content).startswith(b"%PDF")
    client.force_login(world.people["other_focal"])
    assert client.get(reverse("plan_source", args=[plan.pk])).status_code == 404


def test_plan_period_that_ends_before_it_starts_is_refused(client, world):
    client.force_login(world.people[Role.FOCAL])
    response = client.post(
        reverse("plan_create"),
        {
            "kind": "annual",
            "title": "Sai kỳ",
            "period_start": "31/12/2026",
            "period_end": "01/01/2026",
        },
    )
    assert response.status_code == 200
    assert "Ngày kết thúc kỳ kế hoạch không được trước ngày bắt đầu" in response.content.decode()
    assert not world.thanhdong.plans.filter(title="Sai kỳ").exists()
