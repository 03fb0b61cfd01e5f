"""Benchmark of satisfaction surveys.

Posts 10,000 answers to one campaign through the public endpoint with Django's test client (full
middleware, CSRF, rate limit, signed cookie, validation, the target kept current), each from its
own address and device, and prints the answers per second. Then times the results page at that
size (every figure aggregated by the database), the same page filtered by field, and a floor page
(logged in, base layout only), warm. The last line is one JSON object with every figure.

    .venv/bin/python bench/surveys.py [--answers 10000] [--repeat 30]
"""

from __future__ import annotations

import argparse
import json
import random
import sys
import time
from datetime import timedelta
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from bench import common
from core import clock


def build():
    from org.models import Department, Role, RoleGrant, Unit, User
    from plans import services as plan_services
    from surveys import services

    province = Unit.objects.create(code="BENCH", name="Tỉnh Thử", kind="province")
    unit = Unit.objects.create(code="BENCH-W", name="Phường Thử", kind="ward", parent=province)
    centre = Department.objects.create(unit=unit, name="Trung tâm Phục vụ hành chính công")
    focal = User.objects.create(username="focal", full_name="Đầu mối", unit=unit)
    RoleGrant.objects.create(user=focal, role=Role.FOCAL, unit=unit)
    today = clock.today()
    plan = plan_services.create_plan(
        unit,
        title="Kế hoạch CCHC",
        period_start=today.replace(month=1, day=1),
        period_end=today.replace(month=12, day=31),
    )
    target = plan_services.add_target(
        plan, "Mức độ hài lòng của tổ chức, cá nhân đạt tối thiểu 90%"
    )
    campaign = services.save_campaign(
        unit,
        services.CampaignData(
            questionnaire=services.create_default_questionnaire(unit),
            title="Khảo sát tại Trung tâm",
            starts_on=today - timedelta(days=200),
            ends_on=today + timedelta(days=30),
            department=centre,
            target=target,
        ),
        by=focal,
    )
    return unit, focal, campaign


def answer_payloads(campaign, count: int):
    from surveys import services
    from surveys.models import ProcedureField, QuestionKind

    questions = services.questions_of(campaign)
    fields = ProcedureField.values
    rng = random.Random(7)
    for i in range(count):
        data: dict[str, object] = {"procedure_field": fields[i % len(fields)]}
        for q in questions:
            if q.kind == QuestionKind.RATING:
                data[q.field_name] = str(rng.choice([2, 3, 4, 4, 5, 5, 5]))
            elif q.kind in (QuestionKind.SINGLE, QuestionKind.YES_NO):
                data[q.field_name] = str(rng.randrange(2))
            elif q.kind == QuestionKind.MULTIPLE and i % 2:
                data[q.field_name] = ["0", "3"]
            elif q.kind == QuestionKind.TEXT and i % 10 == 0:
                data[q.field_name] = f"Góp ý số {i}: cần thêm chỗ ngồi chờ."
        yield data


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--answers", type=int, default=10_000)
    parser.add_argument("--repeat", type=int, default=30)
    args = parser.parse_args()
    common.fresh_database()

    from django.test import Client
    from django.urls import reverse

    from surveys import services
    from surveys.models import Response

    unit, focal, campaign = build()
    url = reverse("survey_answer", args=[campaign.token])
    public = Client()
    assert public.get(url).status_code == 200
    figures: dict[str, float] = {}
    start = time.perf_counter()
    for i, data in enumerate(answer_payloads(campaign, args.answers)):
        public.cookies.clear()  # each answer from its own device and address
        address = f"10.{i // 65536 % 256}.{i // 256 % 256}.{i % 256}"
        response = public.post(url, data, REMOTE_ADDR=address)
        assert response.status_code == 302, (i, response.status_code)
    elapsed = time.perf_counter() - start
    stored = Response.objects.filter(campaign=campaign).count()
    assert stored == args.answers, stored
    figures["answers"] = stored
    figures["answers_per_second"] = round(stored / elapsed, 1)
    figures["answer_post_ms_mean"] = round(1000 * elapsed / stored, 2)
    print(f"posted {stored} answers in {elapsed:.1f} s: {stored / elapsed:.1f} answers/s")

    officer = common.signed_in(focal, unit)
    results_url = reverse("survey_campaign", args=[campaign.pk])
    pages = {
        "floor_page": reverse("bench_floor"),
        "results_page": results_url,
        "results_page_by_field": results_url + "?procedure_field=land",
        "public_page": url,
    }
    for name, page_url in pages.items():
        who = public if name == "public_page" else officer
        common.record(figures, name, common.measure(who, page_url, args.repeat))
    common.over_floor(figures, pages)
    figures["overall_satisfied_percent"] = float(services.overall_figure(campaign).share)
    print(json.dumps(figures, sort_keys=True))


if __name__ == "__main__":
    main()
