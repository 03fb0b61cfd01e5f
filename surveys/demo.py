"""Demo surveys for the four demo communes.

In each, a satisfaction campaign at the one-stop centre (Trung tâm Phục vụ hành chính công) with
a few dozen answers spread over the last months (42 in Thành Đông, fewer elsewhere), linked to
the satisfaction target of the commune's latest plan. Dates are relative to today.
"""

from __future__ import annotations

import random
from datetime import date, timedelta

from django.db import transaction

from core import clock
from org.demo import unit_to_fill
from org.models import Unit, User
from org.services import DepartmentMatcher
from plans.models import Plan
from surveys import services
from surveys.models import Campaign, QuestionKind, ResponseSource

COMMENTS = [
    "Cán bộ hướng dẫn nhiệt tình, dễ hiểu.",
    "Phòng chờ hơi nóng vào buổi chiều, đề nghị lắp thêm quạt.",
    "Nên có thêm chỗ để xe cho người dân.",
    "Thủ tục nhanh hơn trước nhiều, cảm ơn Trung tâm.",
    "Mong được trả kết quả qua bưu điện để đỡ đi lại.",
]
FIELDS = ["land", "civil_status", "civil_status", "certification", "construction", "business"]


def _month_start(day: date, back: int) -> date:
    index = day.year * 12 + day.month - 1 - back
    return date(index // 12, index % 12 + 1, 1)


def _campaign(unit: Unit, focal: User, answers: int, seed: int) -> None:
    today = clock.today()
    centre = DepartmentMatcher(unit).match("Trung tâm Phục vụ hành chính công")
    plan = Plan.objects.filter(unit=unit).order_by("-period_start").first()
    target = None
    if plan is not None:
        target = services.satisfaction_targets(unit).filter(plan=plan).first()
    questionnaire = services.create_default_questionnaire(unit)
    campaign = services.save_campaign(
        unit,
        services.CampaignData(
            questionnaire=questionnaire,
            title="Khảo sát sự hài lòng tại Trung tâm Phục vụ hành chính công",
            starts_on=_month_start(today, 4),
            ends_on=today + timedelta(days=38),
            department=centre,
            target=target,
        ),
        by=focal,
    )
    questions = services.questions_of(campaign)
    rng = random.Random(seed)
    span = (today - campaign.starts_on).days
    for n in range(answers):
        on = campaign.starts_on + timedelta(days=rng.randrange(span + 1))
        values: dict[str, list[str]] = {}
        mood = rng.random()
        for q in questions:
            if q.kind == QuestionKind.RATING:
                if mood < 0.08:
                    rating = rng.choice([1, 2, 3])
                elif mood < 0.25:
                    rating = rng.choice([3, 4, 4, 5])
                else:
                    rating = rng.choice([4, 5, 5, 5])
                values[q.field_name] = [str(rating)]
            elif q.kind == QuestionKind.SINGLE:
                values[q.field_name] = [str(rng.choice([0, 0, 0, 1, 2]))]
            elif q.kind == QuestionKind.YES_NO:
                values[q.field_name] = ["1" if mood < 0.1 else "0"]
            elif q.kind == QuestionKind.MULTIPLE and rng.random() < 0.5:
                values[q.field_name] = [str(i) for i in rng.sample(range(len(q.options)), 2)]
            elif q.kind == QuestionKind.TEXT and n % 6 == 0:
                values[q.field_name] = [COMMENTS[(n // 6) % len(COMMENTS)]]
        services.submit_response(
            campaign,
            services.Submission(values=values, procedure_field=FIELDS[n % len(FIELDS)]),
            source=ResponseSource.KIOSK if n % 3 == 0 else ResponseSource.WEB,
            on=on,
            questions=questions,
            sync=False,
        )
    services.sync_target(campaign, by=focal)


# Each commune, its focal officer who runs the campaign, how many answered, the answers' seed.
CAMPAIGNS = [
    ("31-THANHDONG", "thanhdong.daumoi", 42, 2026),
    ("31-THAITAN", "thaitan.daumoi", 18, 31),
    ("38-DONGQUANG", "dongquang.daumoi", 27, 38),
    ("42-THANHSEN", "thanhsen.daumoi", 24, 42),
]


@transaction.atomic
def load() -> None:
    for code, username, answers, seed in CAMPAIGNS:
        unit = unit_to_fill(code, Campaign)
        if unit is None:
            continue  # no demo unit, or already loaded
        _campaign(unit, User.objects.get(username=username), answers, seed)
