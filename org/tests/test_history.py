"""Every change to domain data is recorded and shown to those allowed to see the object."""

from __future__ import annotations

from datetime import date

from auditlog.models import LogEntry
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.text import capfirst

from org.history import readable_changes, readable_entry
from org.models import Department, DepartmentKind, Role, User
from plans import services as plan_services
from plans.models import Plan, PlanStatus


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


# --- the history as a person reads it --------------------------------------------------------


def _changes(entry) -> dict[str, tuple[str, str]]:
    return {c.field: (c.before, c.after) for c in readable_changes(entry)}


def _label(model, name: str) -> str:
    return capfirst(str(model._meta.get_field(name).verbose_name))


def test_a_new_department_reads_with_labels_choices_and_yes_no(world):
    with translation.override("vi"):
        department = Department.objects.create(
            unit=world.thanhdong, name="Phòng Kinh tế", kind="office", aliases=["Phòng KT"]
        )
        entry = LogEntry.objects.get_for_object(department).get()
        changes = _changes(entry)
        assert changes[_label(Department, "name")] == ("—", "Phòng Kinh tế")
        assert changes[_label(Department, "kind")] == ("—", str(DepartmentKind.OFFICE.label))
        assert changes[_label(Department, "is_active")] == ("—", "Có")
        assert changes[_label(Department, "unit")] == ("—", str(world.thanhdong))
        assert changes[_label(Department, "aliases")] == ("—", "Phòng KT")
        assert changes[_label(Department, "short_name")] == ("—", "—")
    # no internal names, no reverse relations ("findings_to_fix"), no "None"
    fields = " ".join(changes)
    values = " ".join(v for pair in changes.values() for v in pair)
    assert "_" not in fields and "findings" not in fields.lower() and "name key" not in fields
    assert "None" not in values and "True" not in values


def test_a_plan_moved_reads_its_status_dates_and_who(world):
    leader = world.people[Role.LEADER]
    plan = plan_services.create_plan(
        world.thanhdong,
        title="Kế hoạch CCHC 2026",
        period_start=date(2026, 1, 1),
        period_end=date(2026, 12, 31),
        issued_on=date(2026, 1, 14),
    )
    with translation.override("vi"):
        created = _changes(LogEntry.objects.get_for_object(plan).get())
        assert created[_label(Plan, "issued_on")] == ("—", "14/01/2026")
        assert created[_label(Plan, "status")] == ("—", str(PlanStatus.DRAFT.label))
        plan_services.move_plan(plan, PlanStatus.APPROVED, leader)
        entry = LogEntry.objects.get_for_object(plan).order_by("-timestamp", "-pk").first()
        entry.actor = leader
        row = readable_entry(entry)
        changes = {c.field: (c.before, c.after) for c in row.changes}
        assert changes[_label(Plan, "status")] == (
            str(PlanStatus.DRAFT.label),
            str(PlanStatus.APPROVED.label),
        )
        approved_by = [v for k, v in changes.items() if v[1] == leader.full_name]
        assert approved_by and approved_by[0][0] == "—"
        moment = timezone.localtime(plan.approved_at).strftime("%d/%m/%Y %H:%M")
        assert moment in [v[1] for v in changes.values()]
        assert row.who == leader.full_name
        assert row.when == timezone.localtime(entry.timestamp).strftime("%d/%m/%Y %H:%M")


def test_a_link_to_a_deleted_object_says_so_and_many_to_many_names_the_objects(world):
    spare = Department.objects.create(unit=world.thanhdong, name="Tổ công tác tạm thời")
    officer = world.people[Role.OFFICER]
    officer.department = spare
    officer.save()
    officer.department = world.office
    officer.save()
    entry = LogEntry.objects.get_for_object(officer).order_by("-timestamp", "-pk").first()
    spare_pk = spare.pk
    spare.delete()
    before, after = _changes(entry)[_label(User, "department")]
    assert after == world.office.name
    assert before != str(spare_pk) and f"{spare_pk})" in before  # "no longer exists (no. 7)"

    plan = plan_services.create_plan(
        world.thanhdong,
        title="Kế hoạch",
        period_start=date(2026, 1, 1),
        period_end=date(2026, 12, 31),
    )
    target = plan_services.add_target(plan, "Tối thiểu 90% hồ sơ đúng hạn")
    target.implementing_departments.add(world.vhxh)
    entry = LogEntry.objects.get_for_object(target).order_by("-timestamp", "-pk").first()
    assert list(_changes(entry).values()) == [("—", world.vhxh.name)]


def test_the_history_page_shows_labels_names_and_dates_not_internal_values(client, world):
    focal = world.people[Role.FOCAL]
    client.force_login(focal)
    client.post(
        reverse("department_create", args=[world.thanhdong.code]),
        {"name": "Phòng Kinh tế", "short_name": "", "kind": "office"},
    )
    department = Department.objects.get(name="Phòng Kinh tế")
    entry = LogEntry.objects.get_for_object(department).get()
    html = client.get(
        reverse("history", args=["department", department.pk]), HTTP_ACCEPT_LANGUAGE="vi"
    ).content.decode()
    rows = html[html.index("<tbody>") : html.index("</tbody>")]
    assert focal.full_name in rows
    assert timezone.localtime(entry.timestamp).strftime("%d/%m/%Y %H:%M") in rows
    assert str(world.thanhdong) in rows
    internal = ("None", "True", "False", "short_name", "is_active", "findings_to_fix", ".None")
    assert not [word for word in internal if word in rows]
