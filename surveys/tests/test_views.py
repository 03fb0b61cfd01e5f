from __future__ import annotations

import io
import re
from datetime import date

import pytest
from django.test import Client, override_settings
from django.urls import reverse
from openpyxl import load_workbook

from core import clock
from core.sheets import rows_xlsx, workbook_bytes
from org.models import Role
from plans import services as plan_services
from surveys import services
from surveys.models import Answer, Question, QuestionKind, Response
from surveys.tests.conftest import full_answers

pytestmark = pytest.mark.django_db


def public_url(campaign) -> str:
    return reverse("survey_answer", args=[campaign.token])


def test_public_page_shows_only_the_questionnaire(client, campaign, world):
    page = client.get(public_url(campaign))
    html = page.content.decode()
    assert page.status_code == 200
    assert campaign.questionnaire.title in html
    assert "Phường Thành Đông" in html
    assert "mainnav" not in html and "app.js" not in html  # no navigation, no script
    assert "<script" not in html and 'style="' not in html  # CSP-clean
    assert world.vhxh.name not in html  # no unit data beyond its name
    assert campaign.target.text not in html
    assert 'name="csrfmiddlewaretoken"' in html
    assert "script-src 'self'" in page["Content-Security-Policy"]


def test_answer_then_second_answer_same_day_refused(client, campaign):
    response = client.post(public_url(campaign), full_answers(campaign))
    assert response.status_code == 302
    assert response["Location"] == reverse("survey_thanks", args=[campaign.token])
    assert Response.objects.count() == 1
    again = client.post(public_url(campaign), full_answers(campaign))
    assert again.status_code == 429
    assert "already answered" in again.content.decode() or "đã trả lời" in again.content.decode()
    assert Response.objects.count() == 1
    # a forged cookie is not trusted: it simply does not count as answered
    fresh = Client()
    fresh.cookies[f"sv{campaign.pk}"] = "2026-02-01"
    assert "sv-form" in fresh.get(public_url(campaign)).content.decode()


def test_missing_answer_refused_with_message_and_other_answers_kept(client, campaign):
    values = full_answers(campaign, 4)
    first = next(q for q in services.questions_of(campaign) if q.kind == QuestionKind.RATING)
    values[first.field_name] = []
    values["contact"] = "0912 345 678"
    page = client.post(public_url(campaign), values)
    html = page.content.decode()
    assert page.status_code == 400
    assert "sv-bad" in html and f'id="f-{first.field_name}"' in html
    assert (
        html.count(' value="4" checked')
        == len([q for q in services.questions_of(campaign) if q.kind == QuestionKind.RATING]) - 1
    )
    assert 'value="0912 345 678"' in html
    assert Response.objects.count() == 0


def test_posted_form_keeps_every_choice_and_whole_text(client, campaign):
    values = full_answers(campaign)
    questions = services.questions_of(campaign)
    multiple = next(q for q in questions if q.kind == QuestionKind.MULTIPLE)
    text = next(q for q in questions if q.kind == QuestionKind.TEXT)
    values[multiple.field_name] = ["0", "2"]
    values[text.field_name] = ["Phòng chờ cần thêm quạt"]
    assert client.post(public_url(campaign), values).status_code == 302
    chosen = Answer.objects.filter(question=multiple).values_list("choice", flat=True)
    assert sorted(chosen) == [0, 2]
    assert Answer.objects.get(question=text).text == "Phòng chờ cần thêm quạt"


def test_honeypot_keeps_nothing(client, campaign):
    values = full_answers(campaign) | {"website": "http://spam.example"}
    response = client.post(public_url(campaign), values)
    assert response.status_code == 302
    assert Response.objects.count() == 0


@override_settings(SURVEY_RATE_LIMIT=(5, 600))
def test_flood_from_one_address_is_refused(campaign):
    codes = []
    for _ in range(8):
        codes.append(Client().post(public_url(campaign), full_answers(campaign)).status_code)
    assert codes == [302] * 5 + [429] * 3
    assert Response.objects.count() == 5
    other = Client(REMOTE_ADDR="10.1.1.9").post(public_url(campaign), full_answers(campaign))
    assert other.status_code == 302


def test_answer_after_close_refused(client, campaign, monkeypatch):
    monkeypatch.setattr(clock, "today", lambda: date(2026, 4, 2))
    page = client.post(public_url(campaign), full_answers(campaign))
    assert page.status_code == 410
    assert Response.objects.count() == 0
    assert "sv-form" not in client.get(public_url(campaign)).content.decode()


def test_kiosk_takes_one_answer_after_another_and_resets(client, campaign):
    url = reverse("survey_kiosk", args=[campaign.kiosk_token])
    for _ in range(3):
        response = client.post(url, full_answers(campaign))
        assert response.status_code == 302
    assert Response.objects.filter(source="kiosk").count() == 3
    thanks = client.get(response["Location"]).content.decode()
    assert 'http-equiv="refresh"' in thanks and url in thanks
    assert client.get(reverse("survey_kiosk", args=[campaign.token])).status_code == 404


def test_results_page_permissions(client, campaign, world):
    services.submit_response(campaign, services.Submission(values=full_answers(campaign)))
    url = reverse("survey_campaign", args=[campaign.pk])
    client.force_login(world.people["other_focal"])
    assert client.get(url).status_code == 404
    client.force_login(world.people[Role.OFFICER])
    page = client.get(url)
    assert page.status_code == 200
    assert campaign.kiosk_token not in page.content.decode()  # only editors get the kiosk link
    assert client.post(reverse("survey_campaign_close", args=[campaign.pk])).status_code == 403
    client.force_login(world.people[Role.FOCAL])
    page = client.get(url)
    html = page.content.decode()
    assert "100%" in html and "data:image/svg+xml" in html and campaign.kiosk_token in html
    assert client.get(reverse("survey_home")).status_code == 200


def test_officer_excludes_an_answer_with_a_reason(client, campaign, world):
    response = services.submit_response(
        campaign, services.Submission(values=full_answers(campaign))
    )
    client.force_login(world.people[Role.FOCAL])
    url = reverse("survey_responses", args=[campaign.pk])
    client.post(url, {"response": response.pk, "reason": "Trùng phiếu"})
    response.refresh_from_db()
    assert response.excluded and response.exclusion_reason == "Trùng phiếu"
    assert Answer.objects.filter(response=response, excluded=False).count() == 0
    assert "Trùng phiếu" in client.get(url + "?show=excluded").content.decode()


def test_texts_tagging(client, campaign, world):
    values = full_answers(campaign)
    text_q = next(q for q in services.questions_of(campaign) if q.kind == QuestionKind.TEXT)
    values[text_q.field_name] = ["Phòng chờ nóng"]
    services.submit_response(campaign, services.Submission(values=values))
    answer = Answer.objects.get(question=text_q)
    client.force_login(world.people[Role.FOCAL])
    url = reverse("survey_texts", args=[campaign.pk])
    assert "Phòng chờ nóng" in client.get(url).content.decode()
    client.post(url, {"answer": answer.pk, "tag": "cơ sở vật chất"})
    answer.refresh_from_db()
    assert answer.tag == "cơ sở vật chất"


def test_export_and_poster(client, campaign, world):
    services.submit_response(campaign, services.Submission(values=full_answers(campaign, 3)))
    client.force_login(world.people[Role.LEADER])
    export = client.get(reverse("survey_export", args=[campaign.pk]))
    sheet = load_workbook(io.BytesIO(export.content)).active
    rows = list(sheet.iter_rows(values_only=True))
    questions = services.questions_of(campaign)
    assert len(rows) == 2
    assert rows[0][6].startswith("C1. ") and len(rows[0]) == 6 + len(questions) + 1
    rating_col = 6 + next(i for i, q in enumerate(questions) if q.kind == QuestionKind.RATING)
    assert rows[1][rating_col] == "3"
    poster = client.get(reverse("survey_poster", args=[campaign.pk]))
    content = b"".join(poster.streaming_content)
    assert poster["Content-Type"] == "application/pdf" and content.startswith(b"%PDF")


def _paper_file(campaign, rows) -> io.BytesIO:
    client_template = load_workbook(
        io.BytesIO(__import__("surveys.excel").excel.paper_template(campaign))
    )
    sheet = client_template.active
    for row in rows:
        sheet.append(row)
    out = io.BytesIO(workbook_bytes(client_template))
    out.name = "phieu.xlsx"
    return out


def _paper_row(campaign, day="30/01/2026", field="Đất đai", rating=5, **over):
    row = [day, field]
    for q in services.questions_of(campaign):
        if q.kind == QuestionKind.RATING:
            row.append(rating)
        elif q.kind == QuestionKind.SINGLE:
            row.append(q.options[0])
        elif q.kind == QuestionKind.YES_NO:
            row.append("Không")
        elif q.kind == QuestionKind.MULTIPLE:
            row.append("1; 3")
        else:
            row.append("")
    for index, value in over.items():
        row[int(index[1:]) + 1] = value
    return row


def test_paper_forms_import_with_row_errors_then_saved(client, campaign, world):
    client.force_login(world.people[Role.FOCAL])
    url = reverse("survey_paper", args=[campaign.pk])
    template = client.get(url + "?template=1")
    assert load_workbook(io.BytesIO(template.content)).sheetnames == ["Phiếu giấy", "Hướng dẫn"]
    bad = _paper_file(
        campaign,
        [
            _paper_row(campaign),
            _paper_row(campaign, day="31/02/2026", c2=7),
            _paper_row(campaign, c1="Fax"),
        ],
    )
    page = client.post(url, {"file": bad})
    html = page.content.decode()
    assert Response.objects.count() == 0
    assert "row-error" in html and "C2" in html and "Fax" in html
    good = _paper_file(campaign, [_paper_row(campaign), _paper_row(campaign, rating=2, field="")])
    response = client.post(url, {"file": good})
    assert response.status_code == 302
    saved = Response.objects.order_by("pk")
    assert [r.source for r in saved] == ["paper", "paper"]
    assert saved[0].procedure_field == "land" and saved[0].submitted_on == date(2026, 1, 30)
    multiple = next(q for q in services.questions_of(campaign) if q.kind == QuestionKind.MULTIPLE)
    assert sorted(
        Answer.objects.filter(question=multiple, response=saved[0]).values_list("choice", flat=True)
    ) == [0, 2]
    state = plan_services.target_state(campaign.target)
    assert state.latest.value == 50


def test_paper_import_refuses_another_file(client, campaign, world):
    client.force_login(world.people[Role.FOCAL])
    out = io.BytesIO(rows_xlsx([["Họ tên", "Ý kiến"], ["A", "B"]]))
    out.name = "khac.xlsx"
    page = client.post(reverse("survey_paper", args=[campaign.pk]), {"file": out})
    assert "template" in page.content.decode() or "mẫu" in page.content.decode()
    assert Response.objects.count() == 0


def test_questionnaire_builder(client, world):
    client.force_login(world.people[Role.FOCAL])
    response = client.post(
        reverse("survey_questionnaire_create"), {"title": "Phiếu mới", "intro": ""}
    )
    url = response["Location"]
    client.post(url, {"s-title": "Thái độ phục vụ", "add_section": "1"})
    page = client.get(url)
    section_id = page.context["sections"][0].pk
    client.post(
        url,
        {
            "q-section": section_id,
            "q-kind": "single",
            "q-text": "Ông/Bà đến Trung tâm lần thứ mấy?",
            "q-required": "on",
            "q-options": "Lần đầu\nLần thứ hai\nNhiều lần",
            "add_question": "1",
        },
    )
    question = Question.objects.get(text="Ông/Bà đến Trung tâm lần thứ mấy?")
    assert question.options == ["Lần đầu", "Lần thứ hai", "Nhiều lần"]
    client.force_login(world.people[Role.OFFICER])
    assert client.post(url, {"s-title": "X", "add_section": "1"}).status_code == 403


def test_campaign_form_suggests_the_satisfaction_target(
    client, world, satisfaction_target, frozen_today
):
    services.create_default_questionnaire(world.thanhdong)
    client.force_login(world.people[Role.FOCAL])
    page = client.get(reverse("survey_campaign_create"))
    assert page.context["form"].initial["target"] == satisfaction_target.pk
    assert "★" in page.content.decode()


# --- tampered forms: refused with a message, nothing kept --------------------------------------


def _question(campaign, kind: str, required: bool = True) -> Question:
    return next(
        q for q in services.questions_of(campaign) if q.kind == kind and q.required == required
    )


def _refused(client, campaign, values, *, url=None) -> str:
    response = client.post(url or public_url(campaign), values)
    html = response.content.decode()
    assert response.status_code == 400, html[:300]
    assert Response.objects.count() == 0 and Answer.objects.count() == 0
    assert 'class="sv-notice sv-error"' in html and 'role="alert"' in html
    return html


@pytest.mark.parametrize(
    ("kind", "required", "sent"),
    [
        (QuestionKind.SINGLE, True, ["3"]),  # three options: 0, 1, 2
        (QuestionKind.SINGLE, True, ["-1"]),
        (QuestionKind.SINGLE, True, ["Trực tiếp tại Trung tâm"]),  # the label, not its number
        (QuestionKind.SINGLE, True, ["0", "1"]),  # two answers to a one-answer question
        (QuestionKind.RATING, True, ["6"]),
        (QuestionKind.RATING, True, ["0"]),
        (QuestionKind.RATING, True, ["4.5"]),
        (QuestionKind.RATING, True, ["²"]),  # a digit to Python, not a number to int()
        (QuestionKind.RATING, True, ["٣"]),  # an Arabic-Indic three
        (QuestionKind.RATING, True, ["99999999999999999999"]),
        (QuestionKind.RATING, True, ["5", "1"]),
        (QuestionKind.RATING, True, []),  # a required answer missing
        (QuestionKind.RATING, True, ["  "]),
        (QuestionKind.YES_NO, True, ["2"]),
        (QuestionKind.YES_NO, True, ["yes"]),
        (QuestionKind.MULTIPLE, False, ["0", "9"]),  # one of the choices is not offered
        (QuestionKind.MULTIPLE, False, ["1", "x"]),
        (QuestionKind.TEXT, False, ["a\x00b"]),
        (QuestionKind.TEXT, False, ["x" * 2001]),
    ],
)
def test_a_value_the_question_does_not_offer_is_refused(client, campaign, kind, required, sent):
    question = _question(campaign, kind, required)
    values = full_answers(campaign) | {question.field_name: sent}
    html = _refused(client, campaign, values)
    marked = re.findall(
        r'<fieldset class="sv-q sv-bad" id="f-(q\d+)">\s*<legend[^>]*>.*?</legend>\s*'
        r'<p class="sv-msg">',
        html,
        re.S,
    )
    assert marked == [question.field_name]


def test_a_question_of_another_questionnaire_refuses_the_whole_form(client, campaign, world):
    other = services.create_default_questionnaire(world.thanhdong)
    foreign = Question.objects.filter(section__questionnaire=other).first()
    for stray in (foreign.field_name, "q999999"):
        html = _refused(client, campaign, full_answers(campaign) | {stray: ["5"]})
        assert "sv-bad" not in html  # no question of this form is at fault
        assert 'class="sv-form"' in html  # the form is drawn again, answers kept
        assert html.count(' value="5" checked') == len(
            [q for q in services.questions_of(campaign) if q.kind == QuestionKind.RATING]
        )
    # Other fields are not questions and are left alone.
    assert (
        client.post(public_url(campaign), full_answers(campaign) | {"qx": "1"}).status_code == 302
    )


def test_a_tampered_procedure_field_is_refused(client, campaign):
    html = _refused(client, campaign, full_answers(campaign) | {"procedure_field": "nuclear"})
    assert 'class="sv-q sv-bad"' in html and 'id="sv-field"' in html
    campaign.procedure_field = "land"
    campaign.save(update_fields=["procedure_field"])
    # A campaign about one field: another field sent is a changed form.
    _refused(client, campaign, full_answers(campaign) | {"procedure_field": "civil_status"})
    assert (
        client.post(
            public_url(campaign), full_answers(campaign) | {"procedure_field": "land"}
        ).status_code
        == 302
    )
    assert Response.objects.get().procedure_field == "land"


def test_the_kiosk_refuses_tampered_forms_too(client, campaign):
    question = _question(campaign, QuestionKind.RATING)
    url = reverse("survey_kiosk", args=[campaign.kiosk_token])
    _refused(client, campaign, full_answers(campaign) | {question.field_name: ["7"]}, url=url)
    _refused(client, campaign, full_answers(campaign) | {"q0": ["1"]}, url=url)


def test_a_refused_message_is_vietnamese(client, campaign):
    question = _question(campaign, QuestionKind.SINGLE)
    html = _refused(client, campaign, full_answers(campaign) | {question.field_name: ["7"]})
    assert "Vui lòng chọn trong các phương án đã cho." in html
