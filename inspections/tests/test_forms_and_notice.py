"""Work that moves between people: nothing typed is lost, the notice reads as issued, dates are
checked, forms offer only what fits."""

from __future__ import annotations

import io
from datetime import date

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse
from docx import Document

from core import clock
from inspections import services
from inspections.forms import FindingForm, shorten
from inspections.models import Result, Round, RoundKind, RoundStatus, SigningCapacity
from inspections.tests.conftest import PDF, finding_data
from org.models import Role, RoleGrant
from org.tests.factories import person_with_role

pytestmark = pytest.mark.django_db


def freeze(monkeypatch, day: date) -> None:
    monkeypatch.setattr(clock, "today", lambda: day)


# --- the notice's number and signer ------------------------------------------------------------


@pytest.mark.parametrize(
    "typed", ["125", "125/TB-UBND", "Số: 125/TB-UBND", " 125 / tb-ubnd ", "số 125/TB-UBND"]
)
def test_notice_number_typed_alone_or_in_full(typed):
    assert services.normalise_notice_number(typed) == "125"


def test_notice_number_of_another_kind_refused():
    assert services.normalise_notice_number("") == ""
    with pytest.raises(ValidationError) as refused:
        services.normalise_notice_number("125/QĐ-UBND")
    assert "conclusion_number" in refused.value.message_dict


def _leader(world, username: str, position: str):
    person = person_with_role(Role.LEADER, world.thanhdong, world.office, username=username)
    person.position = position
    person.full_name = {"chair": "Trần Văn Chủ", "vice": "Lê Thị Phó"}.get(username, "Ngô Văn Ba")
    person.save()
    return person


def test_signer_capacity_from_position(world):
    chair = _leader(world, "chair", "Chủ tịch UBND phường")
    vice = _leader(world, "vice", "Phó Chủ tịch UBND phường")
    other = _leader(world, "other", "Ủy viên")
    assert services.capacity_of(chair) == SigningCapacity.CHAIR
    assert services.capacity_of(vice) == SigningCapacity.VICE_CHAIR
    assert services.capacity_of(other) == ""
    block = services.notice_signer(vice, "")
    assert (block.capacity, block.title, block.name) == (
        "KT. CHỦ TỊCH",
        "PHÓ CHỦ TỊCH",
        "Lê Thị Phó",
    )
    block = services.notice_signer(chair, "")
    assert (block.capacity, block.title) == ("TM. ỦY BAN NHÂN DÂN", "CHỦ TỊCH")
    # unclear: the official chooses
    with pytest.raises(ValidationError) as refused:
        services.check_signer(world.thanhdong, other, "")
    assert "signer_capacity" in refused.value.message_dict
    assert services.check_signer(world.thanhdong, other, SigningCapacity.VICE_CHAIR) == "vice_chair"
    # someone outside the leadership does not sign
    with pytest.raises(ValidationError) as refused:
        services.check_signer(world.thanhdong, world.people[Role.FOCAL], SigningCapacity.CHAIR)
    assert "signer" in refused.value.message_dict
    assert {p.pk for p in services.notice_signers(world.thanhdong)} >= {chair.pk, vice.pk}


def test_conclusion_docx_reads_as_issued(world, round_, monkeypatch):
    vice = _leader(world, "vice", "Phó Chủ tịch UBND phường")
    focal = world.people[Role.FOCAL]
    services.record_finding(round_, focal, finding_data(world))
    services.record_finding(
        round_, focal, finding_data(world, description="Chưa cập nhật sổ theo dõi hồ sơ")
    )
    services.write_assessment(
        round_, "Cơ bản đạt yêu cầu.", "125/TB-UBND", signer=vice, notice_on=date(2026, 7, 12)
    )
    round_.refresh_from_db()
    assert round_.conclusion_number == "125"
    assert round_.signer_capacity == SigningCapacity.VICE_CHAIR
    document = Document(io.BytesIO(services.conclusion_document(round_)))
    text = "\n".join(p.text for p in document.paragraphs)
    cells = "\n".join(c.text for t in document.tables for row in t.rows for c in row.cells)
    assert "Số: 125/TB-UBND" in cells and "TB-UBND/TB-UBND" not in cells
    assert "ngày 12 tháng 7 năm 2026" in cells  # Decree 30: no leading zero for July
    assert "KT. CHỦ TỊCH\nPHÓ CHỦ TỊCH" in cells and "Lê Thị Phó" in cells
    assert "năm 2026 (đợt 1 – kiểm tra 6 tháng)" in text
    assert "hành chính Đợt" not in text
    findings = [p.text for p in document.paragraphs if "Văn phòng HĐND và UBND:" in p.text]
    assert [f[:3] for f in findings] == ["1. ", "2. "]
    assert not any(p.text.startswith("- 1.") for p in document.paragraphs)


def test_round_clause_keeps_proper_names():
    from inspections.services.conclusion import round_clause

    assert round_clause("Kiểm tra đột xuất Trung tâm Phục vụ hành chính công") == (
        "kiểm tra đột xuất Trung tâm Phục vụ hành chính công"
    )
    assert round_clause("Trung tâm PVHCC") == "Trung tâm PVHCC"


# --- dates -------------------------------------------------------------------------------------


def test_round_with_self_check_past_due_needs_confirmation(world, inspection_plan):
    # today 01/02/2026; start 04/02 → self-check due 30/01: already past
    kwargs = {"name": "Đợt gấp", "start": date(2026, 2, 4), "end": date(2026, 2, 6)}
    with pytest.raises(ValidationError) as refused:
        services.add_round(inspection_plan, **kwargs)
    assert "late_self_check_ok" in refused.value.message_dict
    assert not Round.objects.filter(name="Đợt gấp").exists()
    round_ = services.add_round(inspection_plan, **kwargs, late_self_check_ok=True)
    assert round_.pk


def test_moving_dates_into_a_past_due_self_check_needs_confirmation(round_):
    with pytest.raises(ValidationError):
        services.change_round_dates(round_, date(2026, 2, 3), date(2026, 2, 10))
    round_.refresh_from_db()
    assert round_.start == date(2026, 7, 1)
    services.change_round_dates(round_, date(2026, 7, 1), date(2026, 7, 12))  # end only: fine
    services.change_round_dates(
        round_, date(2026, 2, 3), date(2026, 2, 10), late_self_check_ok=True
    )


def test_concluded_only_from_the_last_day(round_):
    with pytest.raises(ValidationError) as refused:
        services.move_round(round_, RoundStatus.CONCLUDED, on=date(2026, 7, 9))
    assert "10/07/2026" in " ".join(refused.value.messages)
    assert services.conclude_refusal(round_, date(2026, 7, 9))
    assert services.conclude_refusal(round_, date(2026, 7, 10)) == ""
    services.move_round(round_, RoundStatus.CONCLUDED, on=date(2026, 7, 10))
    assert round_.concluded_on == date(2026, 7, 10)


def test_notice_not_dated_before_the_start(round_):
    with pytest.raises(ValidationError) as refused:
        services.write_assessment(round_, "", "", notice_on=date(2026, 6, 30))
    assert "notice_on" in refused.value.message_dict


def test_round_past_its_end_is_overdue(round_):
    assert not round_.is_overdue(date(2026, 7, 10))
    assert round_.is_overdue(date(2026, 7, 11))
    round_.status = RoundStatus.CONCLUDED
    assert not round_.is_overdue(date(2026, 7, 11))


# --- deletion ----------------------------------------------------------------------------------


def test_empty_round_deleted_by_the_focal_only(world, round_):
    with pytest.raises(ValidationError):
        services.delete_round(round_, world.people[Role.DEPARTMENT_HEAD])
    services.delete_round(round_, world.people[Role.FOCAL])
    assert not Round.objects.filter(pk=round_.pk).exists()


def test_round_with_answers_or_findings_not_deleted(world, round_):
    subject = round_.subjects.get(department=world.office)
    item = services.subject_items(subject).first()
    services.save_answers(
        subject, world.people[Role.FOCAL], [services.AnswerData(item, Result.MET)]
    )
    assert services.deletion_refusal(round_)
    with pytest.raises(ValidationError):
        services.delete_round(round_, world.people[Role.FOCAL])
    subject.answers.all().delete()
    services.record_finding(round_, world.people[Role.FOCAL], finding_data(world))
    assert services.deletion_refusal(round_)
    with pytest.raises(ValidationError):
        services.delete_round(round_, world.people[Role.FOCAL])


# --- the finding form --------------------------------------------------------------------------


def test_finding_form_offers_only_what_was_inspected(world, round_, inspection_plan):
    form = FindingForm(round_=round_)
    assert set(form.fields["department"].queryset) == {world.office, world.vhxh}
    codes = {i.area.code for i in form.fields["item"].queryset}
    assert codes == {"1.1", "1.2", "1.3"}
    labels = [form.fields["item"].label_from_instance(i) for i in form.fields["item"].queryset]
    assert all(len(label) <= 160 for label in labels)
    assert all(not label.endswith(" ") for label in labels)


def test_finding_for_a_department_not_inspected_refused(world, round_):
    from org.tests.factories import DepartmentFactory

    other = DepartmentFactory(unit=world.thanhdong, name="Phòng Kinh tế")
    with pytest.raises(ValidationError) as refused:
        services.record_finding(
            round_, world.people[Role.FOCAL], finding_data(world, department=other)
        )
    assert "department" in refused.value.message_dict


def test_shorten_cuts_at_a_word():
    text = "Thực hiện niêm yết công khai thủ tục hành chính tại Bộ phận một cửa"
    assert shorten(text, 200) == text
    short = shorten(text, 30)
    assert short.endswith("…") and len(short) <= 30
    assert text.startswith(short[:-1]) and text[len(short) - 1] == " "


# --- pages -------------------------------------------------------------------------------------


def test_refused_file_keeps_every_answer(client, world, round_):
    subject = round_.subjects.get(department=world.vhxh)
    client.force_login(world.people[Role.DEPARTMENT_HEAD])
    items = list(services.subject_items(subject))
    data = {f"r{i.pk}": Result.MET for i in items}
    data[f"n{items[0].pk}"] = "Đã niêm yết đủ 45 TTHC"
    data["note"] = "Khó khăn về nhân lực"
    data["files"] = io.BytesIO(b"PK\x03\x04 not an office file")
    data["files"].name = "tai-lieu.zip"
    url = reverse("inspection_subject_detail", args=[subject.pk])
    response = client.post(url, data)
    assert response.status_code == 200
    page = response.content.decode()
    assert "Đã niêm yết đủ 45 TTHC" in page and "Khó khăn về nhân lực" in page
    assert page.count("checked") >= len(items)
    assert 'class="field-error"' in page and ".zip" in page
    assert not subject.answers.exists()  # nothing saved
    assert 'accept=".pdf,.docx,.xlsx,.png,.jpg,.jpeg"' in page
    assert "tối đa 20 MB" in page


def test_refused_evidence_keeps_the_answer_text(client, world, round_):
    finding = services.record_finding(round_, world.people[Role.FOCAL], finding_data(world))
    client.force_login(world.people[Role.OFFICER])
    bad = io.BytesIO(b"MZ\x90\x00program")
    bad.name = "minh-chung.pdf"
    response = client.post(
        reverse("finding_respond", args=[finding.pk]), {"text": "Đã niêm yết bổ sung", "files": bad}
    )
    assert response.status_code == 200
    page = response.content.decode()
    assert "Đã niêm yết bổ sung" in page and "field-error" in page
    assert not finding.events.exists()
    good = io.BytesIO(PDF)
    good.name = "minh-chung.pdf"
    response = client.post(
        reverse("finding_respond", args=[finding.pk]), {"text": "Đã niêm yết", "files": good}
    )
    assert response.status_code == 302 and finding.events.count() == 1


def test_round_page_refusals_and_offers(client, world, round_, monkeypatch):
    client.force_login(world.people[Role.FOCAL])
    url = reverse("inspection_round_detail", args=[round_.pk])
    page = client.get(url).content.decode()
    assert 'value="concluded"' not in page and "10/07/2026" in page  # not offered yet: why
    assert reverse("inspection_round_delete", args=[round_.pk]) in page
    # concluding before the end is refused, everything typed stays
    response = client.post(
        reverse("inspection_round_update", args=[round_.pk]),
        {"assessment": "Đánh giá chung", "conclusion_number": "7", "status": "concluded"},
    )
    assert response.status_code == 200
    assert "Đánh giá chung" in response.content.decode()
    round_.refresh_from_db()
    assert round_.status == RoundStatus.PLANNED and round_.assessment == ""
    # after the end: offered, and flagged until concluded
    freeze(monkeypatch, date(2026, 7, 20))
    page = client.get(url).content.decode()
    assert 'value="concluded"' in page and "round-overdue" in page
    plan_page = client.get(reverse("inspection_plan_detail", args=[round_.plan.pk])).content
    assert b"round-overdue" in plan_page


def test_round_create_refused_keeps_the_form(client, world, inspection_plan):
    client.force_login(world.people[Role.FOCAL])
    url = reverse("inspection_round_create", args=[inspection_plan.pk])
    data = {"kind": "periodic", "name": "Đợt gấp", "start": "04/02/2026", "end": "06/02/2026"}
    response = client.post(url, data)
    assert response.status_code == 200 and "Đợt gấp" in response.content.decode()
    assert not Round.objects.filter(name="Đợt gấp").exists()
    response = client.post(url, {**data, "late_self_check_ok": "on"})
    assert response.status_code == 302 and Round.objects.filter(name="Đợt gấp").exists()


def test_delete_round_with_confirmation(client, world, round_):
    url = reverse("inspection_round_delete", args=[round_.pk])
    client.force_login(world.people[Role.DEPARTMENT_HEAD])
    assert client.post(url).status_code == 403
    client.force_login(world.people[Role.FOCAL])
    assert client.get(url).status_code == 200
    services.record_finding(round_, world.people[Role.FOCAL], finding_data(world))
    client.post(url)
    assert Round.objects.filter(pk=round_.pk).exists()  # not empty: refused
    round_.findings.all().delete()
    response = client.post(url)
    assert response.status_code == 302 and not Round.objects.filter(pk=round_.pk).exists()


def test_every_address_of_an_ad_hoc_round_opens(client, world, inspection_plan):
    round_ = services.add_round(
        inspection_plan,
        name="Kiểm tra đột xuất Văn phòng",
        start=date(2026, 3, 2),
        end=date(2026, 3, 3),
        kind=RoundKind.AD_HOC,
        origin="complaint",
        origin_text="Phản ánh của công dân",
    )
    services.add_team_member(round_, role="leader", user=world.people[Role.FOCAL])
    client.force_login(world.people[Role.FOCAL])
    for name in [
        "inspection_round_detail",
        "inspection_round_update",
        "inspection_round_delete",
        "inspection_team_add",
        "inspection_subject_add",
        "finding_create",
        "inspection_conclusion",
    ]:
        response = client.get(reverse(name, args=[round_.pk]), follow=True)
        assert response.status_code == 200, name
    for name in ["inspection_round_create", "inspection_plan_target"]:
        response = client.get(reverse(name, args=[inspection_plan.pk]), follow=True)
        assert response.status_code == 200, name
    assert RoleGrant.objects.exists()
