"""The request pages: the province sends and follows, each commune answers its own copy."""

from __future__ import annotations

from datetime import date

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from core import clock
from org.models import Role
from province_requests.models import ProvinceRequest, Recipient, RecipientStatus

pytestmark = pytest.mark.django_db


def _copy(sent, unit) -> Recipient:
    return Recipient.objects.get(request=sent, unit=unit)


def test_the_province_sends_a_request_with_its_letter_to_chosen_communes(client, world, today):
    client.force_login(world.people[Role.APPRAISER])
    with clock.as_of(today):
        page = client.get(reverse("request_create"))
        assert page.status_code == 200 and "Thái Tân" in page.content.decode()
        response = client.post(
            reverse("request_create"),
            {
                "kind": "figures",
                "title": "Số liệu TTHC trực tuyến 9 tháng",
                "due": "2026-10-05",
                "to_all": "0",
                "communes": [str(world.thaitan.pk)],
                "letter": SimpleUploadedFile("cv.pdf", b"%PDF-1.7 cv", "application/pdf"),
            },
        )
    request = ProvinceRequest.objects.get()
    assert response.status_code == 302 and response.url == reverse(
        "request_detail", args=[request.pk]
    )
    assert [r.unit_id for r in request.recipients.all()] == [world.thaitan.pk]
    assert request.files.get().original_name == "cv.pdf"


def test_a_letter_of_the_wrong_kind_is_refused_and_nothing_is_sent(client, world, today):
    client.force_login(world.people[Role.APPRAISER])
    with clock.as_of(today):
        response = client.post(
            reverse("request_create"),
            {
                "kind": "document",
                "title": "Kế hoạch",
                "due": "2026-10-05",
                "to_all": "1",
                "letter": SimpleUploadedFile("cv.exe", b"MZ\x90\x00", "application/octet-stream"),
            },
        )
    assert response.status_code == 200 and not ProvinceRequest.objects.exists()


def test_a_commune_cannot_send_a_request(client, world, today):
    client.force_login(world.people[Role.FOCAL])
    assert client.get(reverse("request_create")).status_code == 404


def test_the_commune_sees_its_copy_received_and_answers_it_with_a_file(client, world, sent):
    copy = _copy(sent, world.thanhdong)
    client.force_login(world.people[Role.FOCAL])
    listing = client.get(reverse("request_list")).content.decode()
    assert sent.title in listing and reverse("request_answer", args=[copy.pk]) in listing
    with clock.as_of(date(2026, 9, 28)):
        page = client.get(reverse("request_answer", args=[copy.pk]))
        assert page.status_code == 200
        copy.refresh_from_db()
        assert copy.status == RecipientStatus.SEEN
        response = client.post(
            reverse("request_answer", args=[copy.pk]),
            {"answer": "Gửi kèm", "files": SimpleUploadedFile("bc.pdf", b"%PDF-1.7 bc")},
        )
    assert response.status_code == 302
    copy.refresh_from_db()
    assert copy.status == RecipientStatus.ANSWERED and not copy.answered_late
    # the province reads the answer and its file
    client.force_login(world.people[Role.APPRAISER])
    detail = client.get(reverse("request_detail", args=[sent.pk])).content.decode()
    assert "bc.pdf" in detail and 'id="recipient-31-TD"' in detail
    assert client.get(reverse("request_file", args=[copy.files.get().pk])).status_code == 200


def test_the_province_opening_a_copy_does_not_mark_it_received(client, world, sent):
    copy = _copy(sent, world.thanhdong)
    client.force_login(world.people[Role.APPRAISER])
    page = client.get(reverse("request_answer", args=[copy.pk]))
    assert page.status_code == 200 and 'name="files"' not in page.content.decode()
    copy.refresh_from_db()
    assert copy.status == RecipientStatus.SENT
    assert (
        client.post(reverse("request_answer", args=[copy.pk]), {"link": "https://a.vn"}).status_code
        == 403
    )


def test_one_commune_never_sees_another_s_copy_or_answer(client, world, sent):
    thaitan_copy = _copy(sent, world.thaitan)
    client.force_login(world.people[Role.FOCAL])
    assert client.get(reverse("request_answer", args=[thaitan_copy.pk])).status_code == 404
    assert client.get(reverse("request_detail", args=[sent.pk])).status_code == 404
    client.force_login(world.people["other_focal"])
    letter = sent.files.get()
    assert client.get(reverse("request_file", args=[letter.pk])).status_code == 404
    assert sent.title not in client.get(reverse("request_list")).content.decode()


def test_a_commune_the_request_went_to_reads_the_province_s_letter(client, world, sent):
    client.force_login(world.people[Role.LEADER])
    response = client.get(reverse("request_file", args=[sent.files.get().pk]))
    assert response.status_code == 200 and b"".join(response.streaming_content).startswith(b"%PDF")


def test_another_province_never_sees_the_request(client, world, sent):
    from org.tests.factories import person_with_role

    other = person_with_role(Role.APPRAISER, world.thanhhoa, username="snv_th")
    client.force_login(other)
    assert client.get(reverse("request_detail", args=[sent.pk])).status_code == 404
    assert sent.title not in client.get(reverse("request_list")).content.decode()


def test_the_province_lists_its_requests_with_rates_and_by_commune(client, world, sent):
    client.force_login(world.people[Role.APPRAISER])
    with clock.as_of(date(2026, 10, 2)):
        page = client.get(reverse("request_list")).content.decode()
        assert f'id="request-{sent.pk}"' in page and "rq-tally" in page
        one = client.get(reverse("request_list"), {"commune": world.thaitan.pk}).content.decode()
        assert "rq-missing" in one
        missing = client.get(reverse("request_detail", args=[sent.pk]), {"status": "missing"})
    body = missing.content.decode()
    assert 'id="recipient-31-TT"' in body and 'id="recipient-31-TD"' in body


def test_the_province_returns_an_answer_and_moves_the_due_date(client, world, sent):
    copy = _copy(sent, world.thanhdong)
    client.force_login(world.people[Role.FOCAL])
    with clock.as_of(date(2026, 9, 25)):
        client.post(reverse("request_answer", args=[copy.pk]), {"link": "https://td.vn/bc"})
    client.force_login(world.people[Role.APPRAISER])
    with clock.as_of(date(2026, 9, 26)):
        client.post(reverse("request_return", args=[copy.pk]), {"note": "Thiếu phụ lục"})
        client.post(
            reverse("request_move_due", args=[sent.pk]), {"due": "2026-10-15", "reason": "Gia hạn"}
        )
    copy.refresh_from_db()
    sent.refresh_from_db()
    assert copy.status == RecipientStatus.RETURNED and sent.due == date(2026, 10, 15)
    # a commune's focal officer may do neither
    client.force_login(world.people[Role.FOCAL])
    assert (
        client.post(reverse("request_withdraw", args=[sent.pk]), {"reason": "x"}).status_code == 404
    )
