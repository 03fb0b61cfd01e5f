"""Upload → background reading → review → confirm, through the pages and the real task queue."""

from __future__ import annotations

from pathlib import Path

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management import call_command
from django.urls import reverse

from org.models import Department, Role
from plans.imports.models import DocumentImport, ImportStatus
from plans.models import Plan

SEEDS = Path(__file__).resolve().parents[2] / "fixtures" / "seeds"


def _seed(prefix: str) -> SimpleUploadedFile:
    (path,) = SEEDS.glob(f"{prefix}_*.txt")
    return SimpleUploadedFile(path.name, path.read_bytes(), "text/plain")


def _run_worker() -> None:
    call_command("db_worker", "--batch", "--no-startup-delay", verbosity=0)


@pytest.fixture
def thanh_dong_departments(world):
    for name in (
        "Trung tâm Phục vụ hành chính công",
        "Phòng Kinh tế, Hạ tầng và Đô thị",
        "Trung tâm Dịch vụ sự nghiệp công",
    ):
        Department.objects.create(unit=world.thanhdong, name=name)
    return world


@pytest.mark.django_db(transaction=True)
def test_upload_read_review_confirm(client, thanh_dong_departments):
    w = thanh_dong_departments
    client.force_login(w.people[Role.FOCAL])
    response = client.post(reverse("import_upload"), {"files": [_seed("001"), _seed("002")]})
    assert response.status_code == 302
    documents = list(DocumentImport.objects.order_by("id"))
    assert [d.status for d in documents] == [ImportStatus.QUEUED] * 2

    _run_worker()  # the background worker reads them
    for d in documents:
        d.refresh_from_db()
    assert [d.status for d in documents] == [ImportStatus.READY] * 2
    batch = client.get(reverse("import_batch", args=[documents[0].batch_id])).content.decode()
    assert "2/2" in batch or "2 / 2" in batch or "2 trên 2" in batch or "100" in batch

    review_url = reverse("import_review", args=[documents[0].pk])
    page = client.get(review_url).content.decode()
    assert "Phòng Văn hóa - Xã hội" in page and "16/QĐ-UBND" in page
    # "Các phòng chuyên môn, đơn vị" is every department, not a body to decide about
    assert "every department reports its own part" in page or "tự báo cáo phần việc" in page
    names = [name for _j, name in client.get(review_url).context["unknown"]]
    assert "Các phòng chuyên môn, đơn vị" not in names

    response = client.post(review_url, {"action": "confirm"})
    assert response.status_code == 302, response.context["errors"]
    plan = Plan.objects.get()
    assert plan.number == "16/QĐ-UBND" and plan.tasks.count() == 33 and plan.targets.count() == 6
    assert plan.source_name == documents[0].original_name
    assert "16/QĐ-UBND" in plan.source_document.read().decode("utf-8")
    assert DocumentImport.objects.get(pk=documents[0].pk).status == ImportStatus.SAVED
    shared = plan.tasks.filter(all_departments=True)
    assert sorted(t.number for t in shared) == ["2", "3"]
    assert all(t.area.code == "V" for t in shared)
    departments = w.thanhdong.departments.filter(is_active=True).count()
    assert all(t.parts.count() == departments for t in shared)


@pytest.mark.django_db(transaction=True)
def test_unknown_department_added_as_alias_on_confirm(client, thanh_dong_departments):
    w = thanh_dong_departments
    client.force_login(w.people[Role.FOCAL])
    # a ward writes a body it has under another name
    seed = _seed("001")
    text = seed.read().decode("utf-8").replace("Các phòng chuyên môn, đơn vị", "Bộ phận tổng hợp")
    upload = SimpleUploadedFile(seed.name, text.encode("utf-8"), "text/plain")
    client.post(reverse("import_upload"), {"files": [upload]})
    _run_worker()
    document = DocumentImport.objects.get()
    names = client.get(reverse("import_review", args=[document.pk])).context["unknown"]
    index = {name: j for j, name in names}
    post = {"action": "confirm"}
    post[f"dept-{index['Bộ phận tổng hợp']}-action"] = f"alias:{w.vhxh.pk}"
    assert "Trung tâm dịch vụ sự nghiệp công" not in index  # matched despite its spelling
    response = client.post(reverse("import_review", args=[document.pk]), post)
    assert response.status_code == 302, response.content.decode()[:2000]
    w.vhxh.refresh_from_db()
    assert "Bộ phận tổng hợp" in w.vhxh.aliases
    assert Plan.objects.get().tasks.filter(lead_department=w.vhxh).count() >= 2


@pytest.mark.django_db(transaction=True)
def test_bad_files_are_refused_or_failed_with_a_message(client, world):
    client.force_login(world.people[Role.FOCAL])
    program = SimpleUploadedFile("ke-hoach.pdf", b"MZ\x90\x00 not a plan", "application/pdf")
    notes = SimpleUploadedFile(
        "ghi-chu.txt", "Danh sách đi chợ: rau, thịt, cá".encode(), "text/plain"
    )
    response = client.post(reverse("import_upload"), {"files": [program, notes]}, follow=True)
    html = response.content.decode()
    assert "ke-hoach.pdf" in html  # refused at once with its reason
    _run_worker()
    document = DocumentImport.objects.get()
    assert document.status == ImportStatus.FAILED and document.error
    assert Plan.objects.count() == 0


def test_other_roles_cannot_import(client, world):
    client.force_login(world.people[Role.DEPARTMENT_HEAD])
    assert client.get(reverse("import_upload")).status_code == 403
