"""The pages a respondent opens without an account: nothing but the questionnaire.

No navigation, no unit data beyond the unit's name; light enough for a cheap phone (one small
stylesheet, no script). Abuse is kept down without tracking anyone: a counter per address and
campaign in the cache, a honeypot field, and a signed cookie saying "answered today".
"""

from __future__ import annotations

from dataclasses import dataclass, field

from django.core.exceptions import NON_FIELD_ERRORS, ValidationError
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.csrf import csrf_protect

from core import clock
from surveys import services
from surveys.models import Campaign, ProcedureField, Question, QuestionKind, ResponseSource

COOKIE_SALT = "surveys.answered"
HONEYPOT = "website"


@dataclass
class Choice:
    value: str
    label: str
    checked: bool


@dataclass
class FormQuestion:
    question: Question
    number: int
    error: str = ""
    choices: list[Choice] = field(default_factory=list)
    text: str = ""

    @property
    def name(self) -> str:
        return self.question.field_name

    @property
    def input_type(self) -> str:
        return "checkbox" if self.question.kind == QuestionKind.MULTIPLE else "radio"


@dataclass
class FormSection:
    title: str
    questions: list[FormQuestion] = field(default_factory=list)


def build_form(questions: list[Question], data=None, errors=None) -> list[FormSection]:
    """The questionnaire to draw, with what was sent kept and each error by its question."""
    data, errors = data or {}, errors or {}
    sections: list[FormSection] = []
    current = None
    for number, q in enumerate(questions, start=1):
        if current is None or current[0] != q.section_id:
            current = (q.section_id, FormSection(q.section.title))
            sections.append(current[1])
        sent = (
            data.getlist(q.field_name) if hasattr(data, "getlist") else data.get(q.field_name, [])
        )
        item = FormQuestion(q, number, error=str(errors.get(q.field_name, "")))
        if q.kind == QuestionKind.RATING:
            options = [(str(v), str(label)) for v, label in services.RATING_LABELS]
        elif q.kind == QuestionKind.YES_NO:
            options = [("1", _("Yes")), ("0", _("No"))]
        elif q.kind in (QuestionKind.SINGLE, QuestionKind.MULTIPLE):
            options = [(str(i), label) for i, label in enumerate(q.options)]
        else:
            options = []
            item.text = sent[0] if sent else ""
        item.choices = [Choice(v, label, v in sent) for v, label in options]
        current[1].questions.append(item)
    return sections


def _client_address(request) -> str:
    return request.META.get("REMOTE_ADDR", "") or "unknown"


def _cookie_name(campaign: Campaign) -> str:
    return f"sv{campaign.pk}"


def _answered_today(request, campaign: Campaign) -> bool:
    value = request.get_signed_cookie(_cookie_name(campaign), default=None, salt=COOKIE_SALT)
    return value == clock.today().isoformat()


def _page(request, campaign, *, kiosk, sections=None, errors=None, notice="", status=200):
    context = {
        "campaign": campaign,
        "unit_name": campaign.unit.full_name,
        "questionnaire": campaign.questionnaire,
        "sections": sections,
        "errors": errors or {},
        "notice": notice,
        "kiosk": kiosk,
        "fields": ProcedureField.choices if not campaign.procedure_field else None,
        "fixed_field": campaign.get_procedure_field_display() if campaign.procedure_field else "",
        "chosen_field": request.POST.get("procedure_field", ""),
        "contact": request.POST.get("contact", ""),
        "honeypot": HONEYPOT,
        "first_error": next((q.name for s in sections or [] for q in s.questions if q.error), ""),
    }
    return render(request, "surveys/public/answer.html", context, status=status)


def _already_answered(request, campaign: Campaign, status: int = 200):
    """The public link answers once a day per browser (the kiosk has no such limit)."""
    return _page(
        request,
        campaign,
        kiosk=False,
        notice=_("You have already answered this survey today. Thank you!"),
        status=status,
    )


def _answer(request, campaign: Campaign, *, kiosk: bool):
    on = clock.today()
    if not campaign.is_open(on):
        status = 410 if request.method == "POST" else 200
        return _page(
            request,
            campaign,
            kiosk=kiosk,
            notice=_("This survey is closed; answers are no longer accepted. Thank you."),
            status=status,
        )
    questions = services.questions_of(campaign)
    if request.method != "POST":
        if not kiosk and _answered_today(request, campaign):
            return _already_answered(request, campaign)
        return _page(request, campaign, kiosk=kiosk, sections=build_form(questions))

    if services.rate_limited(campaign, _client_address(request), kiosk=kiosk):
        return _page(
            request,
            campaign,
            kiosk=kiosk,
            sections=build_form(questions, request.POST),
            notice=_("Too many answers came from your connection; please try again later."),
            status=429,
        )
    if not kiosk and _answered_today(request, campaign):
        return _already_answered(request, campaign, status=429)
    thanks = "survey_kiosk_thanks" if kiosk else "survey_thanks"
    token = campaign.kiosk_token if kiosk else campaign.token
    if request.POST.get(HONEYPOT):
        return redirect(thanks, token=token)  # a robot filled the hidden field: keep nothing
    submission = services.Submission(
        values=request.POST,
        procedure_field=request.POST.get("procedure_field", "").strip(),
        contact=request.POST.get("contact", "").strip(),
    )
    try:
        services.submit_response(
            campaign,
            submission,
            source=ResponseSource.KIOSK if kiosk else ResponseSource.WEB,
            on=on,
            questions=questions,
        )
    except services.SurveyClosed as exc:
        return _page(request, campaign, kiosk=kiosk, notice=" ".join(exc.messages), status=410)
    except ValidationError as exc:
        errors = {k: v[0] for k, v in exc.message_dict.items()}
        # A form that is not this questionnaire's is refused as a whole, saying why.
        notice = errors.get(NON_FIELD_ERRORS) or _(
            "Some answers are missing or not valid; please see the questions marked."
        )
        return _page(
            request,
            campaign,
            kiosk=kiosk,
            sections=build_form(questions, request.POST, errors),
            errors=errors,
            notice=notice,
            status=400,
        )
    response = redirect(thanks, token=token)
    if not kiosk:
        response.set_signed_cookie(
            _cookie_name(campaign),
            on.isoformat(),
            salt=COOKIE_SALT,
            max_age=2 * 24 * 3600,
            httponly=True,
            samesite="Lax",
            secure=request.is_secure(),
        )
    return response


def _campaign(**lookup) -> Campaign:
    campaign = get_object_or_404(Campaign.objects.select_related("unit", "questionnaire"), **lookup)
    return campaign


@never_cache
@csrf_protect
def answer(request, token: str):
    return _answer(request, _campaign(token=token), kiosk=False)


@never_cache
@csrf_protect
def kiosk(request, token: str):
    return _answer(request, _campaign(kiosk_token=token), kiosk=True)


def thanks(request, token: str):
    campaign = _campaign(token=token)
    return render(request, "surveys/public/thanks.html", {"campaign": campaign, "kiosk": False})


def kiosk_thanks(request, token: str):
    campaign = _campaign(kiosk_token=token)
    return render(request, "surveys/public/thanks.html", {"campaign": campaign, "kiosk": True})
