"""Every change to domain data is recorded and shown to those allowed to see the object."""

from __future__ import annotations

from auditlog.models import LogEntry
from django.urls import reverse

from org.models import Department, Role


def test_department_changes_are_recorded_with_who_and_before_after(client, world):
    focal = world.people[Role.FOCAL]
    client.force_login(focal)
    client.post(
        reverse("department_create", args=[world.thanhdong.code]),
        {"name": "Phòng Kinh tế", "short_name": "KT", "kind": "division"},
    )
    department = Department.objects.get(name="Phòng Kinh tế")
    client.post(
        reverse("department_edit", args=[department.pk]),
        {"name": "Phòng Kinh tế, Hạ tầng và Đô thị", "short_name": "KT-HT-ĐT", "kind": "division"},
    )
    entries = LogEntry.objects.get_for_object(department).order_by("timestamp")
    assert [e.action for e in entries] == [LogEntry.Action.CREATE, LogEntry.Action.UPDATE]
    assert all(e.actor_id == focal.pk for e in entries)
    assert entries[1].changes_dict["name"] == ["Phòng Kinh tế", "Phòng Kinh tế, Hạ tầng và Đô thị"]
    assert entries[1].additional_data == {"unit_id": world.thanhdong.pk}

    html = client.get(reverse("history", args=["department", department.pk])).content.decode()
    assert "Phòng Kinh tế, Hạ tầng và Đô thị" in html and focal.full_name in html


def test_history_is_hidden_from_another_commune(client, world):
    client.force_login(world.people["other_focal"])
    response = client.get(reverse("history", args=["department", world.vhxh.pk]))
    assert response.status_code == 404


def test_history_of_a_deleted_object_stays_readable_by_its_unit_only(client, world):
    department = Department.objects.create(unit=world.thanhdong, name="Tổ công tác tạm thời")
    pk = department.pk
    department.delete()
    assert LogEntry.objects.filter(object_pk=str(pk), action=LogEntry.Action.DELETE).exists()
    client.force_login(world.people[Role.LEADER])
    response = client.get(reverse("history", args=["department", pk]))
    assert response.status_code == 200
    assert "Tổ công tác tạm thời" in response.content.decode()
    client.force_login(world.people["other_focal"])
    assert client.get(reverse("history", args=["department", pk])).status_code == 404


def test_password_is_never_in_the_history(world):
    officer = world.people[Role.OFFICER]
    officer.set_password("Mat-khau-moi-2026")
    officer.position = "Chuyên viên"
    officer.save()
    for entry in LogEntry.objects.get_for_object(officer):
        assert "password" not in entry.changes_dict
