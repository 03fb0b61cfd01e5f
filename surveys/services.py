"""Rules of satisfaction surveys: questionnaires, campaigns, answers, abuse limits, results and
the figure they feed into a plan's target. Callable without HTTP.

Satisfaction is counted over the rating questions (1–5): an answer of 4 ("satisfied") or 5
("very satisfied") is satisfied. The share is satisfied answers over all rating answers of the
responses not excluded by the officer; the mean is the mean rating. Per theme and overall the
answers are pooled, so a theme with more questions weighs more, as on a paper tally sheet.
"""

from __future__ import annotations

import re
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from datetime import date, datetime
from decimal import ROUND_HALF_UP, Decimal
from functools import cached_property

from django.conf import settings
from django.core.cache import cache
from django.core.exceptions import NON_FIELD_ERRORS, ValidationError
from django.db import transaction
from django.db.models import Count, F, Q, QuerySet, Sum
from django.utils import timezone, translation
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, ngettext

from core import clock
from core.numbers import format_number
from core.text import fold
from org.models import Department, Unit, User
from plans import services as plan_services
from plans.models import Target
from surveys.models import (
    Answer,
    Campaign,
    ProcedureField,
    Question,
    QuestionKind,
    Questionnaire,
    Response,
    ResponseSource,
    Section,
    Tally,
)

RATING_LABELS = [
    (1, gettext_lazy("Very dissatisfied")),
    (2, gettext_lazy("Dissatisfied")),
    (3, gettext_lazy("Neither satisfied nor dissatisfied")),
    (4, gettext_lazy("Satisfied")),
    (5, gettext_lazy("Very satisfied")),
]
SATISFIED_FROM = 4
MAX_TEXT = 2000
MAX_OPTIONS = 20


# --- the default questionnaire ---------------------------------------------------------------

# Modelled on the five themes of SIPAS (the index of satisfaction with public administrative
# services); an example to adapt, not an official form.
DEFAULT_TITLE = "Phiếu khảo sát sự hài lòng tại Trung tâm Phục vụ hành chính công"
DEFAULT_INTRO = (
    "Để nâng cao chất lượng phục vụ, xin Ông/Bà vui lòng cho biết ý kiến về lần giải quyết "
    "thủ tục hành chính vừa qua. Phiếu không ghi tên; mỗi câu chọn một mức từ 1 (rất không hài "
    "lòng) đến 5 (rất hài lòng)."
)
R, S, M, Y, T = (
    QuestionKind.RATING,
    QuestionKind.SINGLE,
    QuestionKind.MULTIPLE,
    QuestionKind.YES_NO,
    QuestionKind.TEXT,
)
DEFAULT_SECTIONS: list[tuple[str, list[tuple]]] = [
    (
        "Tiếp cận dịch vụ",
        [
            (
                S,
                "Ông/Bà nộp hồ sơ bằng hình thức nào?",
                True,
                [
                    "Trực tiếp tại Trung tâm",
                    "Trực tuyến trên Cổng Dịch vụ công",
                    "Qua dịch vụ bưu chính",
                ],
            ),
            (R, "Nơi ngồi chờ có đủ chỗ ngồi, sạch sẽ, thoáng mát", True),
            (
                R,
                "Trang thiết bị (máy lấy số, máy tính tra cứu, bàn viết) đầy đủ, dễ sử dụng",
                True,
            ),
        ],
    ),
    (
        "Thủ tục hành chính",
        [
            (R, "Thủ tục hành chính được niêm yết công khai, đầy đủ, chính xác", True),
            (R, "Thành phần hồ sơ, phí, lệ phí và thời hạn giải quyết đúng như niêm yết", True),
            (Y, "Ông/Bà có phải bổ sung, hoàn thiện hồ sơ quá một lần không?", True),
        ],
    ),
    (
        "Công chức trực tiếp giải quyết công việc",
        [
            (R, "Công chức có thái độ giao tiếp lịch sự, tôn trọng", True),
            (R, "Công chức lắng nghe, hướng dẫn kê khai hồ sơ tận tình, dễ hiểu", True),
            (R, "Công chức tuân thủ đúng quy định trong giải quyết công việc", True),
        ],
    ),
    (
        "Kết quả giải quyết thủ tục hành chính",
        [
            (R, "Kết quả đúng quy định, thông tin trên kết quả đầy đủ, chính xác", True),
            (R, "Kết quả được trả đúng hẹn", True),
            (R, "Nhìn chung, Ông/Bà hài lòng với việc giải quyết thủ tục hành chính lần này", True),
        ],
    ),
    (
        "Tiếp nhận, xử lý góp ý, phản ánh, kiến nghị",
        [
            (R, "Trung tâm bố trí hình thức tiếp nhận góp ý, phản ánh thuận tiện", True),
            (
                M,
                "Theo Ông/Bà, Trung tâm cần cải thiện điều gì?",
                False,
                [
                    "Rút ngắn thời gian chờ",
                    "Hướng dẫn rõ hơn",
                    "Giảm giấy tờ",
                    "Mở rộng dịch vụ trực tuyến",
                    "Cơ sở vật chất",
                ],
            ),
            (T, "Góp ý khác của Ông/Bà", False),
        ],
    ),
]


@transaction.atomic
def create_default_questionnaire(unit: Unit) -> Questionnaire:
    questionnaire = Questionnaire.objects.create(
        unit=unit, title=DEFAULT_TITLE, intro=DEFAULT_INTRO
    )
    for s_order, (title, questions) in enumerate(DEFAULT_SECTIONS, start=1):
        section = Section.objects.create(questionnaire=questionnaire, order=s_order, title=title)
        for q_order, (kind, text, required, *rest) in enumerate(questions, start=1):
            Question.objects.create(
                section=section,
                order=q_order,
                kind=kind,
                text=text,
                required=required,
                options=list(rest[0]) if rest else [],
            )
    return questionnaire


# --- building questionnaires -----------------------------------------------------------------


def is_locked(questionnaire: Questionnaire) -> bool:
    """Once answered, a questionnaire's questions stay as they were asked; copy it to change it."""
    return Response.objects.filter(campaign__questionnaire=questionnaire).exists()


def _check_unlocked(questionnaire: Questionnaire) -> None:
    if is_locked(questionnaire):
        raise ValidationError(
            _("This questionnaire has answers already; make a copy to change its questions.")
        )


@transaction.atomic
def create_questionnaire(unit: Unit, title: str, intro: str = "") -> Questionnaire:
    if not title.strip():
        raise ValidationError({"title": _("Write a title.")})
    return Questionnaire.objects.create(unit=unit, title=title.strip(), intro=intro.strip())


@transaction.atomic
def add_section(questionnaire: Questionnaire, title: str) -> Section:
    _check_unlocked(questionnaire)
    if not title.strip():
        raise ValidationError({"title": _("Write a title.")})
    order = questionnaire.sections.count() + 1
    return Section.objects.create(questionnaire=questionnaire, order=order, title=title.strip())


def clean_options(kind: str, options: Sequence[str]) -> list[str]:
    cleaned = [o.strip() for o in options if o.strip()]
    if kind in (QuestionKind.SINGLE, QuestionKind.MULTIPLE):
        if len(cleaned) < 2:
            raise ValidationError({"options": _("A choice question needs at least two options.")})
        if len(cleaned) > MAX_OPTIONS:
            raise ValidationError({"options": _("At most %(n)d options.") % {"n": MAX_OPTIONS}})
        if len(set(cleaned)) != len(cleaned):
            raise ValidationError({"options": _("Two options have the same wording.")})
        return cleaned
    return []


@transaction.atomic
def add_question(
    section: Section, *, kind: str, text: str, required: bool = True, options: Sequence[str] = ()
) -> Question:
    _check_unlocked(section.questionnaire)
    if kind not in QuestionKind.values:
        raise ValidationError({"kind": _("Choose the kind of question.")})
    if not text.strip():
        raise ValidationError({"text": _("Write the question.")})
    return Question.objects.create(
        section=section,
        order=section.questions.count() + 1,
        kind=kind,
        text=text.strip(),
        required=required,
        options=clean_options(kind, options),
    )


@transaction.atomic
def delete_question(question: Question) -> None:
    _check_unlocked(question.section.questionnaire)
    question.delete()


@transaction.atomic
def delete_section(section: Section) -> None:
    _check_unlocked(section.questionnaire)
    section.delete()


@transaction.atomic
def copy_questionnaire(questionnaire: Questionnaire, title: str | None = None) -> Questionnaire:
    copy = Questionnaire.objects.create(
        unit=questionnaire.unit,
        title=title or _("%(title)s (copy)") % {"title": questionnaire.title},
        intro=questionnaire.intro,
    )
    for section in questionnaire.sections.prefetch_related("questions"):
        new_section = Section.objects.create(
            questionnaire=copy, order=section.order, title=section.title
        )
        Question.objects.bulk_create(
            Question(
                section=new_section,
                order=q.order,
                kind=q.kind,
                text=q.text,
                required=q.required,
                options=q.options,
            )
            for q in section.questions.all()
        )
    return copy


# --- campaigns -------------------------------------------------------------------------------


def satisfaction_targets(unit: Unit) -> QuerySet[Target]:
    """Targets of the unit's current plans that speak of satisfaction ("hài lòng")."""
    candidates = Target.objects.in_force().filter(plan__unit=unit)
    wanted = [t.pk for t in candidates.only("pk", "text") if "hai long" in fold(t.text)]
    return Target.objects.filter(pk__in=wanted).select_related("plan").order_by("plan", "order")


@dataclass
class CampaignData:
    questionnaire: Questionnaire
    title: str
    starts_on: date
    ends_on: date
    procedure_field: str = ""
    department: Department | None = None
    target: Target | None = None


@transaction.atomic
def save_campaign(
    unit: Unit, data: CampaignData, campaign: Campaign | None = None, *, by: User | None = None
) -> Campaign:
    errors: dict[str, str] = {}
    if not data.title.strip():
        errors["title"] = _("Write a title.")
    if data.ends_on < data.starts_on:
        errors["ends_on"] = _("The period ends before it starts.")
    if data.questionnaire.unit_id != unit.pk:
        errors["questionnaire"] = _("The questionnaire belongs to another unit.")
    elif not Question.objects.filter(section__questionnaire=data.questionnaire).exists():
        errors["questionnaire"] = _("The questionnaire has no question yet.")
    if data.department is not None and data.department.unit_id != unit.pk:
        errors["department"] = _("The department must belong to the unit.")
    if data.target is not None and data.target.plan.unit_id != unit.pk:
        errors["target"] = _("The target belongs to another unit's plan.")
    if data.procedure_field and data.procedure_field not in ProcedureField.values:
        errors["procedure_field"] = _("Choose a procedure field from the list.")
    if (
        campaign is not None
        and campaign.questionnaire_id != data.questionnaire.pk
        and campaign.responses.exists()
    ):
        errors["questionnaire"] = _("The campaign has answers; its questionnaire cannot change.")
    if errors:
        raise ValidationError(errors)
    campaign = campaign or Campaign(unit=unit, created_by=by)
    old_target_id = campaign.target_id
    campaign.questionnaire = data.questionnaire
    campaign.title = data.title.strip()
    campaign.starts_on, campaign.ends_on = data.starts_on, data.ends_on
    campaign.procedure_field = data.procedure_field
    campaign.department = data.department
    campaign.target = data.target
    campaign.save()
    if old_target_id and old_target_id != campaign.target_id:
        old = Target.objects.filter(pk=old_target_id).first()
        if old is not None:
            plan_services.keep_measurement(
                old, value=None, period_label="", source=target_source(campaign)
            )
    sync_target(campaign, by=by)
    return campaign


def close_campaign(campaign: Campaign) -> Campaign:
    campaign.closed = True
    campaign.save(update_fields=["closed"])
    return campaign


def reopen_campaign(campaign: Campaign) -> Campaign:
    campaign.closed = False
    campaign.save(update_fields=["closed"])
    return campaign


def questions_of(campaign: Campaign) -> list[Question]:
    return list(
        Question.objects.filter(section__questionnaire_id=campaign.questionnaire_id)
        .select_related("section")
        .order_by("section__order", "section_id", "order", "id")
    )


# --- answering -------------------------------------------------------------------------------


class SurveyClosed(ValidationError):
    pass


@dataclass
class Submission:
    """What a respondent sent: the form's values by field name, as lists of strings."""

    values: Mapping[str, Sequence[str]]
    procedure_field: str = ""
    contact: str = ""


FORM_FIELD = re.compile(r"^q\d+$")  # how a question's field is named on the form (q<id>)


def _number(value: str) -> int | None:
    """A choice's number as the form sends it (ASCII digits only), else None."""
    return int(value) if value.isdigit() and value.isascii() and len(value) < 6 else None


def _sent(values: Mapping[str, Sequence[str]], name: str) -> list[str]:
    # A QueryDict's get() gives one string: every value of the field is wanted.
    raw = values.getlist(name) if hasattr(values, "getlist") else values.get(name, [])
    raw = [raw] if isinstance(raw, str) else list(raw)
    return [str(v).strip() for v in raw if v is not None and str(v).strip()]


def parse_answers(
    questions: Sequence[Question], submission: Submission
) -> tuple[list[Answer], dict[str, str]]:
    """The answers to store and an error message per field; nothing is stored here.

    Every value must be one the questionnaire offers: an option's number, a level from 1 to 5,
    yes or no, one answer to a one-answer question. A field naming a question that is not in
    this questionnaire (a form of another campaign, or one changed by hand) refuses the whole
    form under NON_FIELD_ERRORS."""
    answers: list[Answer] = []
    errors: dict[str, str] = {}
    values = submission.values
    known = {q.field_name for q in questions}
    if any(FORM_FIELD.match(str(name)) and name not in known for name in values):
        errors[NON_FIELD_ERRORS] = _(
            "This form does not match the questionnaire (it may be an old copy of the page); "
            "please open the survey again and answer."
        )
    for q in questions:
        sent = _sent(values, q.field_name)
        if not sent:
            if q.required:
                errors[q.field_name] = _("Please answer this question.")
            continue
        if q.kind == QuestionKind.MULTIPLE:
            indexes = [_number(v) for v in sent]
            if any(i is None or i >= len(q.options) for i in indexes):
                errors[q.field_name] = _("Choose among the options given.")
            else:
                answers += [Answer(question=q, choice=i) for i in sorted(set(indexes))]
            continue
        if len(sent) > 1:
            errors[q.field_name] = _("Choose only one answer to this question.")
            continue
        value = sent[0]
        number = _number(value)
        if q.kind == QuestionKind.RATING:
            if number is None or not 1 <= number <= 5:
                errors[q.field_name] = _("Choose a level from 1 to 5.")
            else:
                answers.append(Answer(question=q, rating=number))
        elif q.kind == QuestionKind.SINGLE:
            if number is None or number >= len(q.options):
                errors[q.field_name] = _("Choose among the options given.")
            else:
                answers.append(Answer(question=q, choice=number))
        elif q.kind == QuestionKind.YES_NO:
            if value not in ("0", "1"):
                errors[q.field_name] = _("Answer yes or no.")
            else:
                answers.append(Answer(question=q, choice=int(value)))
        elif len(value) > MAX_TEXT:
            errors[q.field_name] = _("The answer is too long (at most %(n)d characters).") % {
                "n": MAX_TEXT
            }
        elif "\x00" in value:
            errors[q.field_name] = _("The answer holds a character that cannot be kept.")
        else:
            answers.append(Answer(question=q, text=value))
    return answers, errors


def check_meta(campaign: Campaign, submission: Submission) -> dict[str, str]:
    errors: dict[str, str] = {}
    chosen = submission.procedure_field
    if chosen and campaign.procedure_field and chosen != campaign.procedure_field:
        errors[NON_FIELD_ERRORS] = _(
            "This survey is about one procedure field only; please open it again and answer."
        )
    elif chosen and not campaign.procedure_field and chosen not in ProcedureField.values:
        errors["procedure_field"] = _("Choose a procedure field from the list.")
    if len(submission.contact) > 200:
        errors["contact"] = _("The contact is too long (at most %(n)d characters).") % {"n": 200}
    elif "\x00" in submission.contact:
        errors["contact"] = _("The answer holds a character that cannot be kept.")
    return errors


@transaction.atomic
def submit_response(
    campaign: Campaign,
    submission: Submission,
    *,
    source: str = ResponseSource.WEB,
    at: datetime | None = None,
    on: date | None = None,
    questions: Sequence[Question] | None = None,
    sync: bool = True,
) -> Response:
    """Store one filled questionnaire, or raise ValidationError naming each wrong field."""
    on = on or clock.today()
    if source != ResponseSource.PAPER and not campaign.is_open(on):
        raise SurveyClosed(_("This survey is closed; answers are no longer accepted."))
    questions = questions_of(campaign) if questions is None else questions
    answers, errors = parse_answers(questions, submission)
    errors.update(check_meta(campaign, submission))
    if errors:
        raise ValidationError(errors)
    response = _store(campaign, answers, submission, source, at or timezone.now(), on)
    if sync:
        sync_target(campaign)
    return response


def _store(
    campaign: Campaign,
    answers: list[Answer],
    submission: Submission,
    source: str,
    at: datetime,
    on: date,
) -> Response:
    ratings = [a.rating for a in answers if a.rating is not None]
    response = Response.objects.create(
        campaign=campaign,
        submitted_at=at,
        submitted_on=on,
        procedure_field=campaign.procedure_field or submission.procedure_field,
        source=source,
        contact=submission.contact.strip(),
        rating_count=len(ratings),
        rating_sum=sum(ratings),
        satisfied_count=sum(r >= SATISFIED_FROM for r in ratings),
    )
    for answer in answers:
        answer.response = response
        answer.campaign = campaign
        answer.submitted_on = on
        answer.procedure_field = response.procedure_field
    Answer.objects.bulk_create(answers)
    count_answers(campaign, [(a.question_id, tally_value(a)) for a in answers], +1)
    return response


def tally_value(answer: Answer) -> int:
    if answer.rating is not None:
        return answer.rating
    return answer.choice if answer.choice is not None else 0


def count_answers(campaign: Campaign, keys: Sequence[tuple[int, int]], step: int) -> None:
    """Add `step` to the tally of each (question, value): two statements whatever the number."""
    if not keys:
        return
    Tally.objects.bulk_create(
        [Tally(campaign=campaign, question_id=q, value=v) for q, v in set(keys)],
        ignore_conflicts=True,
    )
    wanted = Q()
    for question_id, value in set(keys):
        wanted |= Q(question_id=question_id, value=value)
    Tally.objects.filter(wanted, campaign=campaign).update(n=F("n") + step)


def _answer_keys(response: Response) -> list[tuple[int, int]]:
    return [
        (q, r if r is not None else (c if c is not None else 0))
        for q, r, c in response.answers.values_list("question_id", "rating", "choice")
    ]


@transaction.atomic
def rebuild_tallies(campaign: Campaign) -> None:
    """Count the tallies again from the answers (after a repair by hand)."""
    Tally.objects.filter(campaign=campaign).delete()
    rows = _answers(campaign, ResultFilter()).values("question_id", "rating", "choice")
    Tally.objects.bulk_create(
        Tally(
            campaign=campaign,
            question_id=row["question_id"],
            value=row["rating"] if row["rating"] is not None else (row["choice"] or 0),
            n=row["n"],
        )
        for row in rows.annotate(n=Count("*")).order_by()
    )


# --- abuse limits ----------------------------------------------------------------------------


# Attempts allowed per address and campaign in a window of seconds; a counter at the one-stop
# centre shares one address among many people, so the kiosk has its own, wider allowance.
RATE_LIMIT = (20, 600)
KIOSK_RATE_LIMIT = (120, 600)


def rate_limited(campaign: Campaign, address: str, *, kiosk: bool = False) -> bool:
    """Count one attempt from `address`; True when it is over the limit for the window.

    Only a counter keyed by campaign and address lives in the cache, for the window; nothing
    about the address is written to the database.
    """
    limit, window = (
        getattr(settings, "SURVEY_KIOSK_RATE_LIMIT", KIOSK_RATE_LIMIT)
        if kiosk
        else getattr(settings, "SURVEY_RATE_LIMIT", RATE_LIMIT)
    )
    key = f"survey-rate:{campaign.pk}:{'k' if kiosk else 'w'}:{address}"
    added = cache.add(key, 1, timeout=window)
    if added:
        return False
    try:
        count = cache.incr(key)
    except ValueError:  # expired between add and incr
        cache.add(key, 1, timeout=window)
        return False
    return count > limit


# --- excluding answers -----------------------------------------------------------------------


@transaction.atomic
def exclude_response(response: Response, by: User, reason: str) -> Response:
    if not reason.strip():
        raise ValidationError({"reason": _("Say why the answer is excluded.")})
    if not response.excluded:
        count_answers(response.campaign, _answer_keys(response), -1)
    response.excluded = True
    response.exclusion_reason = reason.strip()[:300]
    response.excluded_by = by
    response.excluded_at = timezone.now()
    response.save(update_fields=["excluded", "exclusion_reason", "excluded_by", "excluded_at"])
    response.answers.update(excluded=True)
    sync_target(response.campaign, by=by)
    return response


@transaction.atomic
def include_response(response: Response, by: User) -> Response:
    """Count the answer again; the reason it was excluded stays on record."""
    if not response.excluded:
        return response
    count_answers(response.campaign, _answer_keys(response), +1)
    response.excluded = False
    response.save(update_fields=["excluded"])
    response.answers.update(excluded=False)
    sync_target(response.campaign, by=by)
    return response


def tag_answer(answer: Answer, tag: str) -> Answer:
    answer.tag = tag.strip()[:60]
    answer.save(update_fields=["tag"])
    return answer


# --- results ---------------------------------------------------------------------------------


def share(satisfied: int, count: int) -> Decimal | None:
    if not count:
        return None
    return (Decimal(100 * satisfied) / Decimal(count)).quantize(Decimal("0.1"), ROUND_HALF_UP)


def mean(total: int, count: int) -> Decimal | None:
    if not count:
        return None
    return (Decimal(total) / Decimal(count)).quantize(Decimal("0.01"), ROUND_HALF_UP)


@dataclass
class Figure:
    label: str
    count: int = 0  # rating answers
    total: int = 0  # sum of ratings
    satisfied: int = 0
    responses: int = 0

    @property
    def share(self) -> Decimal | None:
        return share(self.satisfied, self.count)

    @property
    def mean(self) -> Decimal | None:
        return mean(self.total, self.count)

    # Display values, worked out once when the page first asks (the figure is complete by then).
    @cached_property
    def share_text(self) -> str:
        value = self.share
        return "—" if value is None else format_number(value) + "%"

    @cached_property
    def mean_text(self) -> str:
        value = self.mean
        return "—" if value is None else format_number(value)

    @cached_property
    def bar(self) -> int:
        """Whole percent for SVG widths (a localized "92,5" would not be a length)."""
        value = self.share
        return 0 if value is None else int(value.to_integral_value(ROUND_HALF_UP))

    @cached_property
    def bar_class(self) -> str:
        return "sv-good" if self.bar >= 90 else "sv-mid" if self.bar >= 70 else "bar-fill"

    @cached_property
    def responses_text(self) -> str:
        return ngettext("%(n)d answer", "%(n)d answers", self.responses) % {"n": self.responses}


@dataclass
class QuestionResult:
    question: Question
    figure: Figure
    distribution: list[tuple[str, int, int]] = field(default_factory=list)  # label, n, %
    answered: int = 0

    @property
    def answered_text(self) -> str:
        if self.question.kind == QuestionKind.MULTIPLE:
            return ngettext(
                "%(n)d respondent, several options each",
                "%(n)d respondents, several options each",
                self.answered,
            ) % {"n": self.answered}
        return ngettext("%(n)d answer", "%(n)d answers", self.answered) % {"n": self.answered}


@dataclass
class ThemeResult:
    section: Section
    figure: Figure
    questions: list[QuestionResult] = field(default_factory=list)


@dataclass
class Results:
    campaign: Campaign
    responses: int
    excluded: int
    overall: Figure
    themes: list[ThemeResult]
    by_month: list[Figure]
    by_field: list[Figure]
    texts: int


@dataclass
class ResultFilter:
    start: date | None = None
    end: date | None = None
    procedure_field: str = ""

    @property
    def active(self) -> bool:
        return bool(self.start or self.end or self.procedure_field)


def _responses(campaign: Campaign, f: ResultFilter) -> QuerySet[Response]:
    rows = Response.objects.filter(campaign=campaign, excluded=False)
    if f.start:
        rows = rows.filter(submitted_on__gte=f.start)
    if f.end:
        rows = rows.filter(submitted_on__lte=f.end)
    if f.procedure_field:
        rows = rows.filter(procedure_field=f.procedure_field)
    return rows


def _answers(campaign: Campaign, f: ResultFilter) -> QuerySet[Answer]:
    rows = Answer.objects.filter(campaign=campaign, excluded=False)
    if f.procedure_field:
        rows = rows.filter(procedure_field=f.procedure_field)
    if f.start:
        rows = rows.filter(submitted_on__gte=f.start)
    if f.end:
        rows = rows.filter(submitted_on__lte=f.end)
    return rows


def overall_figure(campaign: Campaign, f: ResultFilter | None = None) -> Figure:
    row = _responses(campaign, f or ResultFilter()).aggregate(
        n=Count("pk"), c=Sum("rating_count"), t=Sum("rating_sum"), s=Sum("satisfied_count")
    )
    return Figure(
        str(_("Overall")),
        count=row["c"] or 0,
        total=row["t"] or 0,
        satisfied=row["s"] or 0,
        responses=row["n"],
    )


def _counts(campaign: Campaign, f: ResultFilter) -> dict[int, dict[int, int]]:
    """Counted answers per question and value: from the tallies, or grouped from the answers
    themselves when the results are narrowed to a period or a field."""
    counts: dict[int, dict[int, int]] = {}
    if not f.active:
        for q, value, n in Tally.objects.filter(campaign=campaign, n__gt=0).values_list(
            "question_id", "value", "n"
        ):
            counts.setdefault(q, {})[value] = n
        return counts
    for row in (
        _answers(campaign, f)
        .values("question_id", "rating", "choice")
        .annotate(n=Count("*"))
        .order_by()
    ):
        value = row["rating"] if row["rating"] is not None else (row["choice"] or 0)
        counts.setdefault(row["question_id"], {})[value] = row["n"]
    return counts


def results(campaign: Campaign, f: ResultFilter | None = None) -> Results:
    """Every figure of the results page from two queries: answers counted per question and value
    (the tallies), and responses summed per day and field (read from a covering index). Python
    then only adds up those groups, never the answers themselves."""
    f = f or ResultFilter()
    questions = questions_of(campaign)
    counts = _counts(campaign, f)

    groups = list(
        _responses(campaign, f)
        .values("submitted_on", "procedure_field")
        .annotate(
            n=Count("*"), c=Sum("rating_count"), t=Sum("rating_sum"), s=Sum("satisfied_count")
        )
        .order_by()
    )
    overall = Figure(str(_("Overall")))
    months: dict[tuple[int, int], Figure] = {}
    fields: dict[str, Figure] = {}
    field_labels = dict(ProcedureField.choices)
    for g in groups:
        month = (g["submitted_on"].year, g["submitted_on"].month)
        by_month = months.setdefault(month, Figure(f"{month[1]:02d}/{month[0]}"))
        label = str(field_labels.get(g["procedure_field"], _("Not stated")))
        by_field = fields.setdefault(g["procedure_field"], Figure(label))
        for figure in (overall, by_month, by_field):
            figure.responses += g["n"]
            figure.count += g["c"] or 0
            figure.total += g["t"] or 0
            figure.satisfied += g["s"] or 0

    themes: list[ThemeResult] = []
    by_section: dict[int, ThemeResult] = {}
    yes_no = [str(_("No")), str(_("Yes"))]
    for q in questions:
        theme = by_section.get(q.section_id)
        if theme is None:
            theme = by_section[q.section_id] = ThemeResult(q.section, Figure(q.section.title))
            themes.append(theme)
        figure = Figure(q.text)
        result = QuestionResult(q, figure)
        got = counts.get(q.pk, {})
        if q.kind == QuestionKind.RATING:
            spread = {rating: n for rating, n in got.items() if 1 <= rating <= 5}
            figure.count = sum(spread.values())
            figure.total = sum(r * n for r, n in spread.items())
            figure.satisfied = sum(n for r, n in spread.items() if r >= SATISFIED_FROM)
            theme.figure.count += figure.count
            theme.figure.total += figure.total
            theme.figure.satisfied += figure.satisfied
            result.answered = figure.count
            pairs = [(str(label), spread.get(v, 0)) for v, label in RATING_LABELS]
        elif q.kind in (QuestionKind.SINGLE, QuestionKind.MULTIPLE, QuestionKind.YES_NO):
            chosen = got
            labels = yes_no if q.kind == QuestionKind.YES_NO else q.options
            pairs = [(label, chosen.get(i, 0)) for i, label in enumerate(labels)]
            # Several options per person: shares are of everyone who answered the survey.
            multiple = q.kind == QuestionKind.MULTIPLE
            result.answered = overall.responses if multiple else sum(chosen.values())
        else:
            pairs = []
            result.answered = sum(got.values())
        base = result.answered or 1
        result.distribution = [(label, n, round(100 * n / base)) for label, n in pairs]
        theme.questions.append(result)

    excluded = Response.objects.filter(campaign=campaign, excluded=True).count()
    texts = sum(
        sum(counts.get(q.pk, {}).values()) for q in questions if q.kind == QuestionKind.TEXT
    )
    return Results(
        campaign,
        overall.responses,
        excluded,
        overall,
        themes,
        [months[k] for k in sorted(months)],
        sorted(fields.values(), key=lambda fig: fig.label),
        texts,
    )


# --- the plan's target ------------------------------------------------------------------------


def target_source(campaign: Campaign) -> str:
    with translation.override(settings.LANGUAGE_CODE):
        return _("Satisfaction survey “%(title)s” (campaign no. %(pk)d)") % {
            "title": campaign.title[:200],
            "pk": campaign.pk,
        }


def sync_target(campaign: Campaign, *, by: User | None = None) -> None:
    """Keep the campaign's overall share as the actual value of its plan target."""
    if not campaign.target_id:
        return
    figure = overall_figure(campaign)
    plan_services.keep_measurement(
        campaign.target,
        value=figure.share,
        period_label=campaign.period_label,
        source=target_source(campaign),
        by=by,
    )
