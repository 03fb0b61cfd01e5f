"""Officers' pages of satisfaction surveys. Permissions from org.access; rules in services."""

from __future__ import annotations

import io

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.db.models import Count, Q
from django.http import FileResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from core import clock
from core.files import UploadRejected
from core.views import XLSX, as_saved, data_from, deny, download, save_or_show
from org.access import Action, can
from org.shortcuts import current_unit_or_404, visible_or_404
from plans.services import target_state
from surveys import excel, poster, services
from surveys.forms import (
    CampaignForm,
    ExcludeForm,
    PaperImportForm,
    QuestionForm,
    QuestionnaireForm,
    ResultFilterForm,
    SectionForm,
)
from surveys.models import (
    Answer,
    Campaign,
    Question,
    QuestionKind,
    Questionnaire,
    Response,
    Section,
)


def _questionnaire(request, pk: int, action: Action = Action.VIEW) -> Questionnaire:
    return visible_or_404(request, Questionnaire.objects.select_related("unit"), pk, action)


def _campaign(request, pk: int, action: Action = Action.VIEW) -> Campaign:
    campaigns = Campaign.objects.select_related(
        "unit", "questionnaire", "department", "target__plan"
    )
    return visible_or_404(request, campaigns, pk, action)


def _may_edit(request, obj) -> bool:
    """Whether the person may edit `obj`; a change sent by one who may not is refused."""
    can_edit = can(request.user, Action.EDIT, obj)
    if request.method == "POST" and not can_edit:
        raise deny()
    return can_edit


# --- home ------------------------------------------------------------------------------------


@login_required
def home(request):
    unit = current_unit_or_404(request)
    campaigns = (
        Campaign.objects.filter(unit=unit)
        .select_related("questionnaire", "department", "target")
        .annotate(n=Count("responses", filter=Q(responses__excluded=False)))
    )
    rows = []
    for c in campaigns:
        rows.append((c, services.overall_figure(c)))
    return render(
        request,
        "surveys/home.html",
        {
            "unit": unit,
            "campaigns": rows,
            "questionnaires": Questionnaire.objects.filter(unit=unit).annotate(
                n=Count("sections__questions")
            ),
            "can_edit": can(request.user, Action.EDIT, unit),
            "today": clock.today(),
        },
    )


# --- questionnaires --------------------------------------------------------------------------


@login_required
@require_POST
def questionnaire_default(request):
    unit = current_unit_or_404(request, Action.EDIT)
    questionnaire = services.create_default_questionnaire(unit)
    messages.success(request, _("The example questionnaire was created; adapt it as needed."))
    return redirect("survey_questionnaire", pk=questionnaire.pk)


@login_required
def questionnaire_create(request):
    unit = current_unit_or_404(request, Action.EDIT)
    form = QuestionnaireForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        questionnaire = services.create_questionnaire(
            unit, form.cleaned_data["title"], form.cleaned_data["intro"]
        )
        return redirect("survey_questionnaire", pk=questionnaire.pk)
    return render(
        request, "surveys/form.html", {"form": form, "title": _("New questionnaire"), "unit": unit}
    )


@login_required
def questionnaire_detail(request, pk: int):
    questionnaire = _questionnaire(request, pk)
    can_edit = _may_edit(request, questionnaire)
    locked = services.is_locked(questionnaire)
    section_form = SectionForm(prefix="s")
    question_form = QuestionForm(prefix="q", questionnaire=questionnaire)
    if request.method == "POST":
        try:
            if "add_section" in request.POST:
                section_form = SectionForm(request.POST, prefix="s")
                if section_form.is_valid():
                    services.add_section(questionnaire, section_form.cleaned_data["title"])
                    messages.success(request, _("Section added."))
                    return redirect("survey_questionnaire", pk=pk)
            elif "add_question" in request.POST:
                question_form = QuestionForm(request.POST, prefix="q", questionnaire=questionnaire)
                if question_form.is_valid():
                    data = question_form.cleaned_data
                    services.add_question(
                        data["section"],
                        kind=data["kind"],
                        text=data["text"],
                        required=data["required"],
                        options=data["options"].splitlines(),
                    )
                    messages.success(request, _("Question added."))
                    return redirect("survey_questionnaire", pk=pk)
            elif "delete_question" in request.POST:
                question = get_object_or_404(
                    Question,
                    pk=request.POST["delete_question"],
                    section__questionnaire=questionnaire,
                )
                services.delete_question(question)
                messages.success(request, _("Question deleted."))
                return redirect("survey_questionnaire", pk=pk)
            elif "delete_section" in request.POST:
                section = get_object_or_404(
                    Section, pk=request.POST["delete_section"], questionnaire=questionnaire
                )
                services.delete_section(section)
                messages.success(request, _("Section deleted."))
                return redirect("survey_questionnaire", pk=pk)
            elif "copy" in request.POST:
                copy = services.copy_questionnaire(questionnaire)
                messages.success(request, _("A copy was made; you can change its questions."))
                return redirect("survey_questionnaire", pk=copy.pk)
        except ValidationError as exc:
            messages.error(request, " ".join(exc.messages))
    sections = questionnaire.sections.prefetch_related("questions")
    return render(
        request,
        "surveys/questionnaire.html",
        {
            "questionnaire": questionnaire,
            "sections": sections,
            "can_edit": can_edit,
            "locked": locked,
            "section_form": section_form,
            "question_form": question_form,
            "kinds": dict(QuestionKind.choices),
        },
    )


# --- campaigns -------------------------------------------------------------------------------


def _campaign_form(request, unit, campaign: Campaign | None):
    suggested = list(services.satisfaction_targets(unit))
    form = CampaignForm(request.POST or None, instance=campaign, unit=unit, suggested=suggested)
    return save_or_show(
        request,
        form,
        lambda: services.save_campaign(
            unit, data_from(form, services.CampaignData), as_saved(campaign), by=request.user
        ),
        saved_message=_("Campaign saved."),
        then="survey_campaign",
        template="surveys/form.html",
        context={
            "title": _("Edit the campaign") if campaign else _("New survey campaign"),
            "unit": unit,
        },
    )


@login_required
def campaign_create(request):
    unit = current_unit_or_404(request, Action.EDIT)
    if not Questionnaire.objects.filter(unit=unit).exists():
        messages.info(request, _("Create a questionnaire first (the example one is ready to use)."))
        return redirect("survey_home")
    return _campaign_form(request, unit, None)


@login_required
def campaign_edit(request, pk: int):
    campaign = _campaign(request, pk, Action.EDIT)
    return _campaign_form(request, campaign.unit, campaign)


def _public_url(request, campaign: Campaign) -> str:
    return request.build_absolute_uri(reverse("survey_answer", args=[campaign.token]))


@login_required
def campaign_detail(request, pk: int):
    """The results page: every figure is aggregated by the database, none in Python loops."""
    campaign = _campaign(request, pk)
    filters = ResultFilterForm(request.GET or None)
    chosen = services.ResultFilter()
    if filters.is_valid():
        chosen = services.ResultFilter(
            start=filters.cleaned_data["start"],
            end=filters.cleaned_data["end"],
            procedure_field=filters.cleaned_data["procedure_field"] or "",
        )
    result = services.results(campaign, chosen)
    state = target_state(campaign.target) if campaign.target_id else None
    public_url = _public_url(request, campaign)
    can_edit = can(request.user, Action.EDIT, campaign)
    return render(
        request,
        "surveys/campaign.html",
        {
            "campaign": campaign,
            "results": result,
            "filters": filters,
            "filtered": chosen.active,
            "state": state,
            "public_url": public_url,
            "kiosk_url": request.build_absolute_uri(
                reverse("survey_kiosk", args=[campaign.kiosk_token])
            )
            if can_edit
            else "",
            "qr": poster.qr_svg_data_uri(public_url),
            "can_edit": can_edit,
            "is_open": campaign.is_open(clock.today()),
        },
    )


@login_required
@require_POST
def campaign_close(request, pk: int):
    campaign = _campaign(request, pk, Action.EDIT)
    if request.POST.get("reopen"):
        services.reopen_campaign(campaign)
        messages.success(request, _("The campaign accepts answers again."))
    else:
        services.close_campaign(campaign)
        messages.success(request, _("The campaign is closed to new answers."))
    return redirect("survey_campaign", pk=pk)


@login_required
def campaign_responses(request, pk: int):
    campaign = _campaign(request, pk)
    can_edit = _may_edit(request, campaign)
    if request.method == "POST":
        response = get_object_or_404(Response, pk=request.POST.get("response"), campaign=campaign)
        try:
            if request.POST.get("include"):
                services.include_response(response, request.user)
                messages.success(request, _("The answer counts again."))
            else:
                form = ExcludeForm(request.POST)
                reason = form.data.get("reason", "")
                services.exclude_response(response, request.user, reason)
                messages.success(request, _("The answer is excluded from the results."))
        except ValidationError as exc:
            messages.error(request, " ".join(exc.messages))
        return redirect(
            reverse("survey_responses", args=[pk]) + f"?page={request.GET.get('page', 1)}"
        )
    show = request.GET.get("show", "")
    rows = Response.objects.filter(campaign=campaign).select_related("excluded_by")
    if show == "excluded":
        rows = rows.filter(excluded=True)
    page = Paginator(rows.order_by("-submitted_at", "-pk"), 50).get_page(request.GET.get("page"))
    return render(
        request,
        "surveys/responses.html",
        {"campaign": campaign, "page": page, "can_edit": can_edit, "show": show},
    )


@login_required
def campaign_texts(request, pk: int):
    """The free-text answers, to read and tag."""
    campaign = _campaign(request, pk)
    can_edit = _may_edit(request, campaign)
    if request.method == "POST":
        answer = get_object_or_404(Answer, pk=request.POST.get("answer"), campaign=campaign)
        services.tag_answer(answer, request.POST.get("tag", ""))
        messages.success(request, _("Tag saved."))
        return redirect(reverse("survey_texts", args=[pk]) + f"?{request.GET.urlencode()}")
    answers = (
        Answer.objects.filter(campaign=campaign, question__kind=QuestionKind.TEXT)
        .exclude(text="")
        .select_related("question", "response")
        .order_by("-response__submitted_at", "-pk")
    )
    tag = request.GET.get("tag", "")
    if tag:
        answers = answers.filter(tag=tag)
    tags = (
        Answer.objects.filter(campaign=campaign, question__kind=QuestionKind.TEXT)
        .exclude(tag="")
        .values("tag")
        .annotate(n=Count("pk"))
        .order_by("-n", "tag")
    )
    page = Paginator(answers, 50).get_page(request.GET.get("page"))
    return render(
        request,
        "surveys/texts.html",
        {"campaign": campaign, "page": page, "tags": tags, "tag": tag, "can_edit": can_edit},
    )


@login_required
def campaign_export(request, pk: int):
    campaign = _campaign(request, pk)
    return download(excel.export_answers(campaign), XLSX, f"khao-sat-{campaign.pk}.xlsx")


@login_required
def campaign_poster(request, pk: int):
    campaign = _campaign(request, pk)
    pdf = poster.poster_pdf(
        unit_name=campaign.unit.full_name,
        title=campaign.title,
        url=_public_url(request, campaign),
        period=campaign.period_label,
        field=campaign.get_procedure_field_display() if campaign.procedure_field else "",
        place=campaign.department.name if campaign.department else "",
    )
    return FileResponse(
        io.BytesIO(pdf),
        as_attachment=False,
        filename=f"ma-qr-khao-sat-{campaign.pk}.pdf",
        content_type="application/pdf",
    )


@login_required
def campaign_paper(request, pk: int):
    campaign = _campaign(request, pk)
    if request.GET.get("template"):
        return download(
            excel.paper_template(campaign), XLSX, f"mau-nhap-phieu-giay-{campaign.pk}.xlsx"
        )
    if not can(request.user, Action.EDIT, campaign):
        raise deny()
    form = PaperImportForm(request.POST or None, request.FILES or None)
    report, error = None, ""
    if request.method == "POST" and form.is_valid():
        upload = form.cleaned_data["file"]
        try:
            report = excel.import_paper(campaign, upload.name, upload)
        except UploadRejected as exc:
            error = str(exc)
        else:
            if report.saved:
                messages.success(
                    request, _("%(n)d paper forms were imported.") % {"n": report.created}
                )
                return redirect("survey_campaign", pk=pk)
    return render(
        request,
        "surveys/paper.html",
        {"campaign": campaign, "form": form, "report": report, "error": error},
    )
