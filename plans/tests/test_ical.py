"""The iCalendar feed of task milestones and its signed tokens."""

from __future__ import annotations

from datetime import date

import pytest
from django.test import override_settings
from django.urls import reverse
from django.utils import translation

from org.models import Role
from org.tests.factories import DepartmentFactory, UnitFactory
from plans import services
from plans.ical import calendar_for_tasks, feed_token, read_feed_token
from plans.models import CalendarFeed, Milestone, Plan, ReformArea, Task
from plans.tests.factories import PlanFactory

LONG_CONTENT = (
    "Rà soát nâng cấp, hoàn thiện hạ tầng kỹ thuật CNTT, đặc biệt tại Trung tâm phục vụ hành "
    "chính công phường; đáp ứng triển khai DVCTT toàn trình, số hóa hồ sơ\\kết quả"
)


@pytest.fixture
def cal_plan(db) -> Plan:
    """A plan with one area (code 7) and one department; not the shared `plan` fixture."""
    unit = UnitFactory(code="31-TD", name="Thành Đông")
    plan = PlanFactory(unit=unit)
    ReformArea.objects.create(plan=plan, order=7, code="7", name="Chính quyền số")
    DepartmentFactory(unit=unit, name="Trung tâm Phục vụ hành chính công")
    return plan


def add_task(plan: Plan, deadline: str, *, number: str = "3", content: str = LONG_CONTENT) -> Task:
    return services.save_task(
        plan,
        services.TaskData(
            area=plan.areas.get(),
            number=number,
            content=content,
            lead_department=plan.unit.departments.get(),
            deadline_text=deadline,
        ),
        on=date(2026, 1, 5),
    )


def feed(plan: Plan, name: str = "Lịch nhiệm vụ CCHC, phường Thành Đông") -> str:
    tasks = plan.tasks.select_related("area", "lead_department").prefetch_related("milestones")
    with translation.override("en"):
        return calendar_for_tasks(tasks, name=name).decode("utf-8")


def unfold(text: str) -> str:
    return text.replace("\r\n ", "")


def events(text: str) -> list[dict[str, str]]:
    """Each VEVENT's properties (unfolded), keyed by name with parameters."""
    found, current = [], None
    for line in unfold(text).split("\r\n"):
        if line == "BEGIN:VEVENT":
            current = {}
        elif line == "END:VEVENT":
            found.append(current)
            current = None
        elif current is not None:
            key, _sep, value = line.partition(":")
            current[key] = value
    return found


def test_text_values_are_escaped(cal_plan):
    add_task(cal_plan, "Quý I/2026", content="a,b;c\\d\ne")
    (event,) = events(feed(cal_plan, name="Lịch; phường, xã"))
    assert event["SUMMARY"] == "7.3 a\\,b\\;c\\\\d e"  # line breaks in content are squashed
    assert "X-WR-CALNAME:Lịch\\; phường\\, xã\r\n" in unfold(feed(cal_plan, "Lịch; phường, xã"))


def test_folding_never_splits_a_vietnamese_character(cal_plan):
    words = "Cải cách hành chính nhà nước phường Thành Đông – ưu tiên số hoá " * 4
    label = words + "trong quý I/2026"
    add_task(cal_plan, f"- {label}; - Kiểm tra trong Tháng 10-11/2026")
    raw = feed(cal_plan).encode("utf-8")
    lines = raw.split(b"\r\n")
    assert any(line.startswith(b" ") for line in lines)  # the long summary was folded
    assert all(len(line) <= 75 for line in lines)
    for line in lines:
        line.decode("utf-8")  # every piece decodes alone, so no character was cut
    first, _second = events(raw.decode("utf-8"))
    assert first["SUMMARY"].endswith(" – " + label.replace(",", "\\,"))


def test_calendar_structure_with_vietnamese_text(cal_plan):
    task = add_task(cal_plan, "Trước ngày 15/01/2026")
    text = feed(cal_plan)
    assert text.startswith("BEGIN:VCALENDAR\r\nVERSION:2.0\r\n")
    assert text.endswith("END:VCALENDAR\r\n")
    assert "\n" not in text.replace("\r\n", "")  # CRLF only
    assert all(len(line.encode("utf-8")) <= 75 for line in text.split("\r\n"))
    unfolded = unfold(text)
    assert "PRODID:-//CCHC//Kế hoạch CCHC//VI\r\n" in unfolded
    assert "X-WR-CALNAME:Lịch nhiệm vụ CCHC\\, phường Thành Đông\r\n" in unfolded
    (event,) = events(text)
    milestone = task.milestones.get()
    assert event["UID"] == f"milestone-{milestone.pk}@cchc"
    assert event["DTSTART;VALUE=DATE"] == "20260115"
    assert event["DTEND;VALUE=DATE"] == "20260116"
    # One milestone that is the whole deadline: no label repeated in the summary.
    shortened = LONG_CONTENT[:80].rstrip() + "…"
    expected = "7.3 " + shortened.replace(",", "\\,").replace(";", "\\;")
    assert event["SUMMARY"] == expected
    assert event["DESCRIPTION"] == (
        "Lead department: Trung tâm Phục vụ hành chính công\\nDeadline: Trước ngày 15/01/2026"
    )
    assert "X-CCHC-STATUS" not in event and "DTSTAMP" in event


def test_backslash_in_content_is_escaped(cal_plan):
    add_task(cal_plan, "Quý I/2026", content="Số hóa hồ sơ\\kết quả; báo cáo, tổng hợp")
    (event,) = events(feed(cal_plan))
    assert event["SUMMARY"] == "7.3 Số hóa hồ sơ\\\\kết quả\\; báo cáo\\, tổng hợp"


def test_several_milestones_carry_their_label_and_a_range_starts_at_its_start(cal_plan):
    add_task(cal_plan, "- Ban hành kế hoạch trong quý I/2026; - Kiểm tra trong Tháng 10-11/2026")
    first, second = events(feed(cal_plan))
    assert first["SUMMARY"].endswith(" – Ban hành kế hoạch trong quý I/2026")
    assert first["DTSTART;VALUE=DATE"] == "20260331"
    assert second["SUMMARY"].endswith(" – Kiểm tra trong Tháng 10-11/2026")
    assert second["DTSTART;VALUE=DATE"] == "20261001"
    assert second["DTEND;VALUE=DATE"] == "20261201"  # the day after 30/11


def test_a_done_milestone_is_marked(cal_plan):
    task = add_task(cal_plan, "Quý I/2026")
    Milestone.objects.filter(task=task).update(done_on=date(2026, 3, 20))
    (event,) = events(feed(cal_plan))
    assert event["X-CCHC-STATUS"] == "COMPLETED"
    assert event["SUMMARY"].startswith("✓ 7.3 ")
    assert event["DESCRIPTION"].endswith("\\nDone on 20/03/2026")
    assert "STATUS" not in event  # COMPLETED is not a valid STATUS for a VEVENT


def test_a_recurring_milestone_done_names_its_period_and_the_feed_reads_back(cal_plan):
    from icalendar import Calendar

    task = add_task(cal_plan, "Hằng quý")
    Milestone.objects.filter(task=task, period="2026-Q1").update(
        done_on=date(2026, 3, 20), done_period="Quý I/2026"
    )
    text = feed(cal_plan)
    first, *rest = events(text)
    assert first["DESCRIPTION"].endswith("\\nDone on 20/03/2026\\nPeriod covered: Quý I/2026")
    assert len(rest) == 3 and all("X-CCHC-STATUS" not in e for e in rest)
    parsed = Calendar.from_ical(text)
    assert str(parsed["PRODID"]) == "-//CCHC//Kế hoạch CCHC//VI"
    read = parsed.walk("VEVENT")
    assert [e.decoded("DTSTART") for e in read] == [
        date(2026, 3, 31),
        date(2026, 6, 30),
        date(2026, 9, 30),
        date(2026, 12, 31),
    ]
    assert str(read[0]["SUMMARY"]).startswith("✓ 7.3 Rà soát nâng cấp, hoàn thiện")


def test_milestones_without_a_date_are_skipped(cal_plan):
    add_task(cal_plan, "Thường xuyên", number="1")
    add_task(cal_plan, "Theo chỉ đạo của cấp trên", number="2")
    add_task(cal_plan, "sớm nhất có thể", number="4")
    add_task(cal_plan, "Trước 30/9/2026", number="5")
    found = events(feed(cal_plan))
    assert [e["SUMMARY"][:4] for e in found] == ["7.5 "]


def test_feed_tokens_round_trip():
    for kind in ("person", "department"):
        assert read_feed_token(feed_token(kind, 42)) == (kind, 42, 0)
    token = feed_token("person", 7)
    assert "/" not in token and " " not in token


@pytest.mark.parametrize(
    "tamper",
    [
        lambda t: t.replace("person.7", "person.8"),
        lambda t: t.replace("person", "department"),
        lambda t: t[:-1] + ("A" if t[-1] != "A" else "B"),
        lambda t: t.split(":")[0],
        lambda t: "",
        lambda t: "person.7:",
    ],
)
def test_tampered_tokens_are_rejected(tamper):
    assert read_feed_token(tamper(feed_token("person", 7))) is None


def test_tokens_are_tied_to_the_salt_and_the_key():
    from django.core import signing

    other_salt = signing.Signer(salt="something.else").sign("person.7")
    assert read_feed_token(other_salt) is None
    token = feed_token("department", 3)
    with override_settings(SECRET_KEY="another-secret-key-" + "x" * 40):
        assert read_feed_token(token) is None
    with pytest.raises(ValueError):
        feed_token("cal_plan", 1)


# --- revoking one feed's link ------------------------------------------------------------------


def test_link_versions_are_signed_too():
    from django.core import signing

    assert read_feed_token(feed_token("person", 7, 3)) == ("person", 7, 3)
    assert feed_token("person", 7, 0) == feed_token("person", 7)
    # version 0 is never written out; anything else unsigned or malformed is refused
    zero = signing.Signer(salt="plans.ical").sign("person.7.0")
    assert read_feed_token(zero) is None
    assert read_feed_token(signing.Signer(salt="plans.ical").sign("person.7.2.1")) is None
    assert read_feed_token(feed_token("person", 7, 3).replace("person.7.3", "person.7.4")) is None


def _feed_urls(client) -> dict[str, str]:
    """The links the feed page gives, by the row's id (feed-<kind>-<id>)."""
    import re

    html = client.get(reverse("calendar_feed_list")).content.decode()
    rows = re.findall(r'<tr id="(feed-[a-z]+-\d+)">.*?value="(http[^"]+)"', html, re.S)
    return {row: url.replace("http://testserver", "") for row, url in rows}


def test_a_person_revokes_one_feed_link_and_only_that_one_stops(client, plan, world):
    focal, officer = world.people[Role.FOCAL], world.people[Role.OFFICER]
    client.force_login(focal)
    links = _feed_urls(client)
    mine = f"feed-person-{focal.pk}"
    # The focal officer edits the work of every department of the commune.
    assert set(links) == {
        mine,
        f"feed-department-{world.vhxh.pk}",
        f"feed-department-{world.office.pk}",
    }
    old = links[mine]
    assert old == reverse("ical_feed", args=[feed_token("person", focal.pk)])  # links given before
    colleague = reverse("ical_feed", args=[feed_token("person", officer.pk)])
    for url in [*links.values(), colleague]:
        assert client.get(url).status_code == 200

    response = client.post(reverse("calendar_feed_revoke"), {"kind": "person", "id": focal.pk})
    assert response["Location"] == reverse("calendar_feed_list") + f"#{mine}"
    new_links = _feed_urls(client)
    assert client.get(old).status_code == 404
    assert new_links[mine] != old
    assert client.get(new_links[mine]).status_code == 200
    for row in (f"feed-department-{world.vhxh.pk}", f"feed-department-{world.office.pk}"):
        assert new_links[row] == links[row]
        assert client.get(links[row]).status_code == 200
    assert client.get(colleague).status_code == 200  # another person's feed is untouched
    # The task pages give the new link.
    assert new_links[mine] in client.get(reverse("my_tasks")).content.decode()
    # Revoked again: the second link stops too, a third works.
    client.post(reverse("calendar_feed_revoke"), {"kind": "person", "id": focal.pk})
    assert client.get(new_links[mine]).status_code == 404
    assert client.get(_feed_urls(client)[mine]).status_code == 200


def test_a_department_head_revokes_the_department_feed(client, plan, world):
    head = world.people[Role.DEPARTMENT_HEAD]
    client.force_login(head)
    links = _feed_urls(client)
    row = f"feed-department-{world.vhxh.pk}"
    assert set(links) == {f"feed-person-{head.pk}", row}  # only the department they head
    client.post(reverse("calendar_feed_revoke"), {"kind": "department", "id": world.vhxh.pk})
    assert client.get(links[row]).status_code == 404
    after = _feed_urls(client)
    assert client.get(after[row]).status_code == 200
    page = client.get(reverse("department_tasks", args=[world.vhxh.pk])).content.decode()
    assert after[row] in page
    office = reverse("ical_feed", args=[feed_token("department", world.office.pk)])
    assert client.get(office).status_code == 200


def test_who_may_revoke_which_feed(client, plan, world):
    focal = world.people[Role.FOCAL]
    vhxh = {"kind": "department", "id": world.vhxh.pk}
    cases = [
        (world.people[Role.OFFICER], vhxh, 403),  # sees the department, does not edit its work
        (world.people[Role.LEADER], vhxh, 403),
        (world.people["other_focal"], vhxh, 404),  # another commune's department
        (world.people[Role.OFFICER], {"kind": "person", "id": focal.pk}, 404),  # not theirs
        (world.people[Role.OFFICER], {"kind": "plan", "id": plan.pk}, 404),
        (world.people[Role.OFFICER], {"kind": "person", "id": "x"}, 404),
    ]
    for user, data, status in cases:
        client.force_login(user)
        assert client.post(reverse("calendar_feed_revoke"), data).status_code == status, data
    assert not CalendarFeed.objects.exists()
    client.force_login(focal)
    assert client.get(reverse("calendar_feed_revoke")).status_code == 405
