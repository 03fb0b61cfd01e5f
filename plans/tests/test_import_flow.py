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
    bodies = client.get(review_url).context["bodies"]
    assert not any("Các phòng chuyên môn, đơn vị" in b["body"].names for b in bodies)

    response = client.post(review_url, {"action": "confirm"})
    assert response.status_code == 302, response.context["errors"]
    plan = Plan.objects.get()
    read = DocumentImport.objects.get(pk=documents[0].pk).draft["tasks"]
    vague = [i + 1 for i, t in enumerate(read) if t["lead"] == "Các phòng chuyên môn, đơn vị"]
    led = plan.tasks.filter(order__in=vague)
    assert {t.lead_department for t in led} == {w.vhxh} and led.count() == 2
    assert not Department.objects.filter(name__istartswith="Các ").exists()
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
    bodies = client.get(reverse("import_review", args=[document.pk])).context["bodies"]
    index = {name: b["body"] for b in bodies for name in b["body"].names}
    body = index["Bộ phận tổng hợp"]
    post = {"action": "confirm", f"body-{body.index}-names": body.key}
    post[f"body-{body.index}-action"] = f"alias:{w.vhxh.pk}"
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


UNSEEN = (SEEDS.parent / "imports" / "an_binh_ke_hoach_cchc_2024.txt").read_text(encoding="utf-8")


@pytest.mark.django_db(transaction=True)
def test_an_unseen_plan_saves_first_time_with_one_department_per_body(client, world):
    """Spellings of one body become one department; vague and outside bodies stay words; a
    draft of a past year counts nowhere until a leader activates it."""
    client.force_login(world.people[Role.FOCAL])
    upload = SimpleUploadedFile("kh-an-binh.txt", UNSEEN.encode(), "text/plain")
    client.post(reverse("import_upload"), {"files": [upload]})
    _run_worker()
    document = DocumentImport.objects.get()
    url = reverse("import_review", args=[document.pk])
    bodies = {b["body"].names[0]: b["body"] for b in client.get(url).context["bodies"]}
    centre = bodies["Trung tâm Phục vụ hành chính công"]
    assert set(centre.names) == {
        "Trung tâm Phục vụ hành chính công",
        "Trung tâm PV HCC",
        "Trung tâm phục vụ hành chính công",
    }
    assert centre.default == "new" and centre.leads == 3
    assert bodies["Phòng Tư pháp"].default == "new"
    for vague in ("các ngành liên quan", "Các cơ quan, đơn vị liên quan", "Sở Nội vụ"):
        assert bodies[vague].default == "text"

    response = client.post(url, {"action": "confirm"})
    assert response.status_code == 302, response.context["errors"]
    plan = Plan.objects.get()
    new = set(Department.objects.filter(unit=world.thanhdong).values_list("name", flat=True))
    assert {"Trung tâm Phục vụ hành chính công", "Phòng Tư pháp"} <= new
    assert not [n for n in new if "liên quan" in n or n.startswith(("Sở", "Các", "các"))]
    tasks = list(plan.tasks.order_by("area__order", "order"))
    assert [(t.area.code, t.number) for t in tasks] == [
        ("I", "1"),
        ("I", "2"),
        ("II", "1"),
        ("II", "2"),
    ]
    assert tasks[1].content == "Tuyên truyền cải cách hành chính"  # no <i> kept
    assert {t.lead_department.name for t in tasks[1:]} == {"Trung tâm Phục vụ hành chính công"}
    assert tasks[2].other_coordinators == "Sở Nội vụ"
    assert plan.status == "draft"


@pytest.mark.django_db(transaction=True)
def test_a_body_said_to_be_the_same_as_a_new_one_and_a_typed_area_code(client, world):
    client.force_login(world.people[Role.FOCAL])
    text = UNSEEN.replace("Trung tâm PV HCC", "Bộ phận một cửa")
    client.post(reverse("import_upload"), {"files": [SimpleUploadedFile("a.txt", text.encode())]})
    _run_worker()
    document = DocumentImport.objects.get()
    url = reverse("import_review", args=[document.pk])
    page = client.get(url).context
    bodies = {b["body"].names[0]: b["body"] for b in page["bodies"]}
    one_stop, centre = bodies["Bộ phận một cửa"], bodies["Trung tâm Phục vụ hành chính công"]
    tasks = page["tasks"]
    moved = next(t["index"] for t in tasks if t["data"]["content"] == "Số hóa hồ sơ")
    post = {
        "action": "confirm",
        f"body-{one_stop.index}-names": one_stop.key,
        f"body-{one_stop.index}-action": f"same:{centre.index}",
        f"task-{moved}-area": "1",  # typed as a number: area I
    }
    response = client.post(url, post)
    assert response.status_code == 302, response.context["errors"]
    centre_dept = Department.objects.get(unit=world.thanhdong, name=centre.names[0])
    assert "Bộ phận một cửa" in centre_dept.aliases
    plan = Plan.objects.get()
    assert plan.tasks.get(content="Số hóa hồ sơ").area.code == "I"
    assert plan.tasks.get(content="Công khai thủ tục hành chính").lead_department == centre_dept


@pytest.mark.django_db(transaction=True)
def test_an_area_code_that_names_no_area_is_marked_beside_its_task(client, world):
    client.force_login(world.people[Role.FOCAL])
    client.post(reverse("import_upload"), {"files": [SimpleUploadedFile("a.txt", UNSEEN.encode())]})
    _run_worker()
    url = reverse("import_review", args=[DocumentImport.objects.get().pk])
    response = client.post(url, {"action": "confirm", "task-0-area": "IX"})
    assert response.status_code == 200 and Plan.objects.count() == 0
    (marked,) = [t for t in response.context["tasks"] if t["errors"]]
    assert marked["index"] == 0 and "IX" in marked["errors"][0]
    assert 'id="task-0"' in response.content.decode()
