"""End to end: the focal officer opens a campaign tied to the satisfaction target, a citizen
answers on a phone, the officer sees the answer counted and the target's attainment change."""

from __future__ import annotations

from datetime import timedelta

import pytest
from playwright.sync_api import expect

from core import clock
from plans import services as plan_services
from plans.models import Target
from surveys.models import Campaign, Question, QuestionKind, Response

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_phone_answer_moves_the_target(browser, page, demo_site, login, screenshot):
    target = Target.objects.get(survey_campaigns__unit__code="31-THANHDONG")
    assert plan_services.target_state(target).attainment == "not_met"  # the demo stands at 89.6%

    # the focal officer opens a new campaign; the satisfaction target is suggested
    login(page, demo_site, "thanhdong.daumoi")
    page.goto(f"{demo_site}/surveys/")
    page.click("text=Đợt khảo sát mới")
    today = clock.today()
    page.fill("#id_title", "Khảo sát lĩnh vực hộ tịch tháng cuối năm")
    page.select_option("#id_procedure_field", "civil_status")
    page.fill("#id_starts_on", today.strftime("%d/%m/%Y"))
    page.fill("#id_ends_on", (today + timedelta(days=30)).strftime("%d/%m/%Y"))
    expect(page.locator("#id_target")).to_have_value(str(target.pk))
    page.click("button.primary")
    expect(page.locator("text=Đã lưu đợt khảo sát.")).to_be_visible()
    campaign = Campaign.objects.get(title="Khảo sát lĩnh vực hộ tịch tháng cuối năm")
    public_link = page.inner_text("#sv-public-link")
    assert public_link.endswith(f"/s/{campaign.token}/")
    expect(page.locator("#sv-attainment")).to_have_class("badge attain-not_met")

    # a citizen answers on a cheap phone, without an account
    phone = browser.new_context(
        viewport={"width": 360, "height": 740}, is_mobile=True, has_touch=True, locale="vi-VN"
    )
    mobile = phone.new_page()
    mobile.goto(public_link)
    expect(mobile.locator("h1")).to_have_text(campaign.questionnaire.title)
    assert mobile.locator(".mainnav").count() == 0
    questions = list(
        Question.objects.filter(section__questionnaire=campaign.questionnaire).order_by(
            "section__order", "order"
        )
    )
    ratings = [q for q in questions if q.kind == QuestionKind.RATING]
    for q in questions:
        if q.kind == QuestionKind.RATING and q != ratings[0]:
            mobile.locator(f"#f-{q.field_name} label.sv-choice").nth(4).click()
        elif q.kind in (QuestionKind.SINGLE, QuestionKind.YES_NO):
            mobile.locator(f"#f-{q.field_name} label.sv-choice").last.click()
    screenshot(mobile, "survey-phone-form")
    mobile.click("button.sv-submit")
    # the forgotten question is marked; the other answers are still chosen
    expect(mobile.locator(f"#f-{ratings[0].field_name} .sv-msg")).to_have_text(
        "Vui lòng trả lời câu hỏi này."
    )
    expect(mobile.locator(f"#f-{ratings[1].field_name} input[value='5']")).to_be_checked()
    assert Response.objects.filter(campaign=campaign).count() == 0
    screenshot(mobile, "survey-phone-missing-answer")
    mobile.locator(f"#f-{ratings[0].field_name} label.sv-choice").nth(4).click()
    mobile.fill("textarea", "Cán bộ hộ tịch hướng dẫn rất tận tình.")
    mobile.click("button.sv-submit")
    expect(mobile.locator(".sv-big")).to_have_text("Cảm ơn Ông/Bà đã trả lời khảo sát!")
    screenshot(mobile, "survey-phone-thanks")
    # the same phone cannot answer again today
    mobile.goto(public_link)
    expect(mobile.locator(".sv-notice")).to_contain_text("Hôm nay Ông/Bà đã trả lời")
    phone.close()

    # the officer sees the answer and the target met
    page.goto(f"{demo_site}/surveys/campaigns/{campaign.pk}/")
    expect(page.locator("#sv-responses")).to_have_text("1")
    expect(page.locator("#sv-overall")).to_have_text("100%")
    expect(page.locator("#sv-attainment")).to_have_class("badge attain-met")
    screenshot(page, "survey-results-officer")
    page.goto(f"{demo_site}/plans/{target.plan_id}/#targets")
    row = page.locator("table.targets-table tr", has_text=target.text[:40])
    expect(row.locator(".badge")).to_have_class("badge attain-met")
    page.goto(f"{demo_site}/surveys/campaigns/{campaign.pk}/comments/")
    expect(page.locator(".sv-comments")).to_contain_text("hướng dẫn rất tận tình")
