"""The province asks, its communes answer: rules tested without HTTP."""

from __future__ import annotations

from datetime import date

import pytest
from auditlog.models import LogEntry
from django.core.exceptions import ValidationError

from core import clock
from notify.models import ToDo
from org.access import Action, can
from org.models import Role, Unit, UnitKind
from org.tests.factories import UnitFactory
from province_requests import reminders, services
from province_requests.models import (
    AnswerState,
    ProvinceRequest,
    Recipient,
    RecipientStatus,
    RequestKind,
)
from province_requests.oversight import request_facts
from province_requests.tests.conftest import pdf

pytestmark = pytest.mark.django_db

DUE = date(2026, 9, 30)


def _data(**changes) -> services.RequestData:
    values = {
        "kind": RequestKind.DOCUMENT,
        "title": "Kế hoạch tuyên truyền CCHC",
        "due": DUE,
    }
    values.update(changes)
    return services.RequestData(**values)


def _copy(request: ProvinceRequest, unit: Unit) -> Recipient:
    return Recipient.objects.select_related("request", "unit").get(request=request, unit=unit)


def test_a_request_to_every_commune_reaches_each_focal_officer_with_its_due_date(
    world, sent, thaitan_focal
):
    copies = {r.unit_id: r for r in sent.recipients.all()}
    assert set(copies) == {world.thanhdong.pk, world.thaitan.pk}
    assert sent.files.filter(recipient__isnull=True).count() == 1
    todo = ToDo.objects.get(user=world.people[Role.FOCAL], done_at__isnull=True)
    assert todo.due == DUE and "Báo cáo kết quả CCHC quý III/2026" in todo.title
    assert todo.escalate_to == [world.people[Role.LEADER].pk]
    assert ToDo.objects.filter(user=thaitan_focal, done_at__isnull=True).count() == 1
    # nobody of another province is told
    assert not ToDo.objects.filter(user=world.people["other_focal"]).exists()


def test_a_request_to_some_communes_only_reaches_them(world, today):
    with clock.as_of(today):
        request = services.send_request(
            world.haiphong, _data(), communes=[world.thaitan], by=world.people[Role.APPRAISER]
        )
    assert [r.unit for r in request.recipients.all()] == [world.thaitan]


@pytest.mark.parametrize("who", ["dongquang", "closed", "province"])
def test_a_commune_not_of_the_province_now_is_refused_and_nothing_is_saved(world, today, who):
    if who == "closed":
        unit = UnitFactory(
            code="31-CL", name="Đã sáp nhập", kind=UnitKind.WARD, parent=world.haiphong
        )
        Unit.objects.filter(pk=unit.pk).update(is_active=False)
        unit.refresh_from_db()
    else:
        unit = getattr(world, "haiphong" if who == "province" else who)
    with clock.as_of(today), pytest.raises(ValidationError) as refused:
        services.send_request(
            world.haiphong,
            _data(),
            communes=[world.thanhdong, unit],
            by=world.people[Role.APPRAISER],
        )
    assert unit.full_name in refused.value.message_dict["communes"][0]
    assert not ProvinceRequest.objects.exists() and not ToDo.objects.exists()


def test_a_request_without_subject_or_with_a_past_due_date_is_refused(world, today):
    with clock.as_of(today), pytest.raises(ValidationError) as refused:
        services.send_request(
            world.haiphong,
            _data(title="  ", due=date(2026, 9, 1)),
            by=world.people[Role.APPRAISER],
        )
    assert set(refused.value.message_dict) == {"title", "due"}
    assert not ProvinceRequest.objects.exists()


def test_only_a_province_sends_requests(world, today):
    with clock.as_of(today), pytest.raises(ValidationError):
        services.send_request(world.thanhdong, _data(), by=world.people[Role.FOCAL])


def test_an_answer_on_time_clears_the_work_and_is_not_late(world, sent):
    copy = _copy(sent, world.thanhdong)
    focal = world.people[Role.FOCAL]
    with clock.as_of(date(2026, 9, 29)):
        assert services.mark_seen(copy, by=focal)
        services.answer_request(
            copy, services.AnswerData(answer="Gửi kèm báo cáo"), files=[pdf("bc.pdf")], by=focal
        )
    copy.refresh_from_db()
    assert copy.status == RecipientStatus.ANSWERED and not copy.answered_late
    assert copy.state == AnswerState.ON_TIME and copy.files.count() == 1
    assert not ToDo.objects.filter(user=focal, done_at__isnull=True).exists()


def test_an_answer_after_the_due_date_is_accepted_and_marked_late_for_good(world, sent):
    copy = _copy(sent, world.thaitan)
    with clock.as_of(date(2026, 10, 3)):
        services.answer_request(
            copy,
            services.AnswerData(link="https://thaitan.haiphong.gov.vn/bao-cao-q3.pdf"),
            by=world.people[Role.ADMIN],
        )
        # a later due date does not clear the mark of an answer already given
        services.move_due(
            sent, date(2026, 10, 10), "Gia hạn chung", by=world.people[Role.APPRAISER]
        )
    copy.refresh_from_db()
    assert copy.answered_late and copy.due_when_answered == DUE
    assert copy.state == AnswerState.LATE


def test_an_answer_must_carry_the_document_a_link_or_the_commune_s_report(world, sent):
    copy = _copy(sent, world.thanhdong)
    with clock.as_of(date(2026, 9, 25)):
        with pytest.raises(ValidationError) as empty:
            services.answer_request(
                copy, services.AnswerData(answer="Đã thực hiện"), by=world.people[Role.FOCAL]
            )
        with pytest.raises(ValidationError) as bad_link:
            services.answer_request(
                copy, services.AnswerData(link="javascript:alert(1)"), by=world.people[Role.FOCAL]
            )
    assert "files" in empty.value.message_dict and "link" in bad_link.value.message_dict
    copy.refresh_from_db()
    assert copy.status == RecipientStatus.SENT and copy.answered_at is None


def test_a_returned_answer_goes_back_to_the_commune_and_can_be_given_again(world, sent):
    copy = _copy(sent, world.thanhdong)
    focal = world.people[Role.FOCAL]
    with clock.as_of(date(2026, 9, 25)):
        services.answer_request(copy, services.AnswerData(link="https://a.vn/x"), by=focal)
        with pytest.raises(ValidationError):
            services.return_answer(copy, " ", by=world.people[Role.APPRAISER])
        services.return_answer(copy, "Thiếu biểu số liệu", by=world.people[Role.APPRAISER])
    copy.refresh_from_db()
    assert copy.status == RecipientStatus.RETURNED and copy.state == AnswerState.RETURNED
    todo = ToDo.objects.get(user=focal, done_at__isnull=True)
    assert "Thiếu biểu số liệu" in todo.title
    with clock.as_of(date(2026, 10, 2)):
        services.answer_request(copy, services.AnswerData(link="https://a.vn/y"), by=focal)
    copy.refresh_from_db()
    assert copy.status == RecipientStatus.ANSWERED and copy.answered_late


def test_a_withdrawn_request_needs_no_answer(world, sent):
    with clock.as_of(date(2026, 9, 22)):
        with pytest.raises(ValidationError):
            services.withdraw_request(sent, "", by=world.people[Role.APPRAISER])
        services.withdraw_request(sent, "Gửi nhầm kỳ", by=world.people[Role.APPRAISER])
        with pytest.raises(ValidationError):
            services.withdraw_request(sent, "lần hai", by=world.people[Role.APPRAISER])
        with pytest.raises(ValidationError):
            services.answer_request(
                _copy(sent, world.thanhdong),
                services.AnswerData(link="https://a.vn/x"),
                by=world.people[Role.FOCAL],
            )
    assert not ToDo.objects.filter(done_at__isnull=True).exists()


def test_a_commune_that_left_the_province_can_no_longer_answer_and_is_not_counted(world, sent):
    Unit.objects.filter(pk=world.thaitan.pk).update(parent=world.thanhhoa, province=world.thanhhoa)
    copy = _copy(sent, world.thaitan)
    with clock.as_of(date(2026, 9, 25)), pytest.raises(ValidationError) as refused:
        services.answer_request(
            copy, services.AnswerData(link="https://a.vn/x"), by=world.people[Role.ADMIN]
        )
    assert "Hải Phòng" in refused.value.messages[0]
    facts = request_facts([world.thanhdong.pk, world.thaitan.pk], 2026, on=date(2026, 10, 5))
    assert set(facts) == {world.thanhdong.pk}


def test_only_the_commune_and_its_province_see_a_copy(world, sent):
    copy = _copy(sent, world.thanhdong)
    people = world.people
    assert can(people[Role.FOCAL], Action.EDIT, copy)
    assert can(people[Role.LEADER], Action.VIEW, copy)
    assert not can(people[Role.LEADER], Action.EDIT, copy)
    assert can(people[Role.APPRAISER], Action.VIEW, copy)
    assert not can(people[Role.APPRAISER], Action.EDIT, copy)
    assert not can(people["other_focal"], Action.VIEW, copy)
    assert not can(people[Role.FOCAL], Action.VIEW, _copy(sent, world.thaitan))
    # the request itself is the province's: issued by its appraisers, not read by a commune
    assert can(people[Role.APPRAISER], Action.ISSUE, sent)
    assert not can(people[Role.FOCAL], Action.VIEW, sent)


def test_focal_officers_are_reminded_before_and_after_the_due_date_and_the_province_after_it(
    world, sent, thaitan_focal
):
    focal = world.people[Role.FOCAL]
    with clock.as_of(date(2026, 9, 26)):
        services.answer_request(
            _copy(sent, world.thanhdong), services.AnswerData(link="https://a.vn/x"), by=focal
        )

    def told(day):
        return {(r.user_id, r.key.rsplit(":", 1)[1]) for r in reminders.reminders(day)}

    assert told(date(2026, 9, 23)) == {(thaitan_focal.pk, "due7")}
    assert told(date(2026, 9, 29)) == {(thaitan_focal.pk, "due1")}
    assert told(date(2026, 9, 25)) == set()
    assert told(date(2026, 10, 1)) == {
        (thaitan_focal.pk, "late1"),
        (world.people[Role.APPRAISER].pk, "missing"),
    }
    assert told(date(2026, 10, 7)) == {(thaitan_focal.pk, "late7")}


def test_the_board_facts_count_answers_on_time_late_and_missing(world, sent):
    with clock.as_of(date(2026, 10, 2)):
        services.answer_request(
            _copy(sent, world.thanhdong),
            services.AnswerData(link="https://a.vn/x"),
            by=world.people[Role.FOCAL],
        )
    facts = request_facts([world.thanhdong.pk, world.thaitan.pk], 2026, on=date(2026, 10, 5))
    assert facts[world.thanhdong.pk].late == 1 and facts[world.thanhdong.pk].on_time == 0
    assert facts[world.thaitan.pk].missing == 1 and facts[world.thaitan.pk].answered == 0
    with clock.as_of(date(2026, 10, 5)):
        tally = services.tally(
            list(Recipient.objects.filter(request=sent).select_related("request"))
        )
    assert (tally.sent, tally.late, tally.missing, tally.on_time) == (2, 1, 1, 0)


def test_every_change_is_kept_in_the_history(world, sent):
    copy = _copy(sent, world.thanhdong)
    with clock.as_of(date(2026, 9, 25)):
        services.answer_request(
            copy, services.AnswerData(link="https://a.vn/x"), by=world.people[Role.FOCAL]
        )
    entries = LogEntry.objects.get_for_object(copy)
    assert entries.count() >= 2  # created with the request, then answered
    assert any("answered" in str(e.changes) for e in entries)
