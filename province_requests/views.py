"""Pages of the province's requests to its communes. The province sends and follows them; a
commune receives and answers its own copy. Permissions from org.access; rules in services."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.db.models import Prefetch
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from core import clock
from core.files import EVIDENCE_KINDS, UploadRejected, allowed_files
from core.views import data_from, deny, errors_to_form, show_errors, stored_file, uploads
from org.access import Action, can, filter_visible, follows_communes
from org.models import Unit, UnitLevel
from org.shortcuts import check_visible, current_unit_or_404, visible_or_404
from province_requests import services
from province_requests.forms import AnswerForm, MoveDueForm, NoteForm, RequestForm, WithdrawForm
from province_requests.models import (
    AnswerState,
    ProvinceRequest,
    Recipient,
    RecipientStatus,
    RequestFile,
)


def _followed(request) -> tuple[Unit | None, Unit | None]:
    """(the province, the commune looked at) for a person following communes from above; (None,
    None) for a commune's own people, who see what was asked of them."""
    unit = current_unit_or_404(request)
    if unit.level == UnitLevel.PROVINCE:
        return unit, None
    if follows_communes(request.user, unit) and unit.province_id:
        return Unit.objects.get(pk=unit.province_id), unit
    return None, None


@login_required
def request_list(request):
    province, looked_at = _followed(request)
    if province is None:
        return _received(request)
    check_visible(request, province)
    today = clock.today()
    sent = ProvinceRequest.objects.filter(unit=province).prefetch_related(
        Prefetch("recipients", queryset=Recipient.objects.select_related("unit"))
    )
    communes = services.communes_of(province)
    wanted = request.GET.get("commune", str(looked_at.pk) if looked_at else "")
    commune = next((u for u in communes if str(u.pk) == wanted), None)
    if commune is not None:
        sent = sent.filter(recipients__unit=commune)
    rows = []
    for item in sent:
        recipients = [r for r in item.recipients.all() if r.unit.province_id == province.pk]
        mine = next((r for r in recipients if commune and r.unit_id == commune.pk), None)
        rows.append((item, services.tally(recipients), mine))
    return render(
        request,
        "province_requests/sent_list.html",
        {
            "province": province,
            "rows": rows,
            "communes": communes,
            "commune": commune,
            "can_send": can(request.user, Action.ISSUE, province),
            "today": today,
        },
    )


def _received(request):
    unit = current_unit_or_404(request)
    copies = (
        Recipient.objects.filter(unit=unit)
        .select_related("request__unit")
        .order_by("-request__sent_at")
    )
    today = clock.today()
    # The most pressing first: the earliest due date.
    open_copies = sorted(
        (c for c in copies if c.is_open and c.request.is_open), key=lambda c: c.request.due
    )
    done = [c for c in copies if not (c.is_open and c.request.is_open)]
    return render(
        request,
        "province_requests/received_list.html",
        {"unit": unit, "open_copies": open_copies, "done": done, "today": today},
    )


@login_required
def request_create(request):
    unit, _looked_at = _followed(request)
    if unit is None:
        raise Http404
    check_visible(request, unit, Action.ISSUE)
    communes = services.communes_of(unit)
    form = RequestForm(request.POST or None, communes=communes)
    if request.method == "POST" and form.is_valid():
        chosen = None
        if not form.cleaned_data["to_all"]:
            wanted = set(form.cleaned_data["communes"])
            chosen = [u for u in communes if str(u.pk) in wanted]
        try:
            sent = services.send_request(
                unit,
                data_from(form, services.RequestData),
                communes=chosen,
                letter=uploads(request, "letter"),
                by=request.user,
            )
        except UploadRejected as exc:
            form.add_error(None, str(exc))
        except ValidationError as exc:
            errors_to_form(form, exc)
        else:
            messages.success(
                request,
                _("The request is sent to %(n)d communes.") % {"n": sent.recipients.count()},
            )
            return redirect("request_detail", pk=sent.pk)
    return render(
        request,
        "province_requests/request_form.html",
        {"form": form, "province": unit, "allowed": allowed_files(EVIDENCE_KINDS)},
    )


def _sent_request(request, pk: int, action: Action = Action.VIEW) -> ProvinceRequest:
    return visible_or_404(request, ProvinceRequest.objects.select_related("unit"), pk, action)


@login_required
def request_detail(request, pk: int):
    item = _sent_request(request, pk)
    recipients = list(
        item.recipients.select_related("unit", "report__period", "answered_by")
        .prefetch_related("files")
        .filter(unit__province_id=item.unit_id)
        .order_by("unit__name")
    )
    today = clock.today()
    shown = recipients
    status = request.GET.get("status", "")
    if status in AnswerState.values:
        shown = [r for r in recipients if r.state == status]
    may_issue = can(request.user, Action.ISSUE, item)
    return render(
        request,
        "province_requests/request_detail.html",
        {
            "item": item,
            "recipients": shown,
            "tally": services.tally(recipients),
            "letters": item.files.filter(recipient__isnull=True),
            "status": status,
            "states": AnswerState.choices,
            "can_follow": may_issue and item.is_open,
            "note_form": NoteForm(),
            "due_form": MoveDueForm(auto_id="due_%s"),
            "withdraw_form": WithdrawForm(auto_id="withdraw_%s"),
            "today": today,
        },
    )


def _follow_up(request, item: ProvinceRequest, form, refused: str, act, done: str):
    """One of the province's follow-up acts on a request: a valid form, the service, a message,
    back to the request."""
    try:
        if not form.is_valid():
            raise ValidationError(refused)
        act(form.cleaned_data)
    except ValidationError as exc:
        show_errors(request, exc)
    else:
        messages.success(request, done)
    return redirect("request_detail", pk=item.pk)


@login_required
@require_POST
def request_return(request, pk: int):
    recipient = get_object_or_404(Recipient.objects.select_related("request", "unit"), pk=pk)
    item = _sent_request(request, recipient.request_id, Action.ISSUE)
    return _follow_up(
        request,
        item,
        NoteForm(request.POST),
        _("Say what is missing from the answer."),
        lambda data: services.return_answer(recipient, data["note"], by=request.user),
        _("The answer of %(unit)s is returned for completion.")
        % {"unit": recipient.unit.full_name},
    )


@login_required
@require_POST
def request_move_due(request, pk: int):
    item = _sent_request(request, pk, Action.ISSUE)
    return _follow_up(
        request,
        item,
        MoveDueForm(request.POST),
        _("Give the new due date and the reason."),
        lambda data: services.move_due(item, data["due"], data["reason"], by=request.user),
        _("The due date is moved."),
    )


@login_required
@require_POST
def request_withdraw(request, pk: int):
    item = _sent_request(request, pk, Action.ISSUE)
    return _follow_up(
        request,
        item,
        WithdrawForm(request.POST),
        _("Give the reason for withdrawing the request."),
        lambda data: services.withdraw_request(item, data["reason"], by=request.user),
        _("The request is withdrawn."),
    )


@login_required
def request_answer(request, pk: int):
    """The commune's copy: the request, its letter, and the answer form or the answer given."""
    recipient = visible_or_404(
        request,
        Recipient.objects.select_related("request__unit", "unit", "report__period", "answered_by"),
        pk,
    )
    item = recipient.request
    may_answer = (
        can(request.user, Action.EDIT, recipient)
        and item.is_open
        and recipient.status != RecipientStatus.ANSWERED
    )
    form = AnswerForm(request.POST or None, unit=recipient.unit)
    if request.method == "POST":
        if not may_answer:
            raise deny()
        if form.is_valid():
            try:
                services.answer_request(
                    recipient,
                    data_from(form, services.AnswerData),
                    files=uploads(request),
                    by=request.user,
                )
            except UploadRejected as exc:
                form.add_error(None, str(exc))
            except ValidationError as exc:
                errors_to_form(form, exc)
            else:
                recipient.refresh_from_db()
                if recipient.answered_late:
                    messages.warning(
                        request,
                        _("The answer is sent; it is marked late (due %(due)s).")
                        % {"due": recipient.due_when_answered.strftime("%d/%m/%Y")},
                    )
                else:
                    messages.success(request, _("The answer is sent to the province."))
                return redirect("request_answer", pk=recipient.pk)
    elif services.mark_seen(recipient, by=request.user):
        recipient.refresh_from_db()
    return render(
        request,
        "province_requests/answer.html",
        {
            "recipient": recipient,
            "item": item,
            "letters": item.files.filter(recipient__isnull=True),
            "answer_files": recipient.files.all(),
            "form": form,
            "may_answer": may_answer,
            "allowed": allowed_files(EVIDENCE_KINDS),
            "today": clock.today(),
            "late_if_now": clock.today() > item.due,
        },
    )


@login_required
def request_file(request, pk: int):
    record = get_object_or_404(RequestFile.objects.select_related("request"), pk=pk)
    if not can(request.user, Action.VIEW, record):
        # The letter is the province's; every commune the request went to may read it.
        addressed = filter_visible(request.user, record.request.recipients.all()).exists()
        if record.recipient_id is not None or not addressed:
            raise Http404
    return stored_file(record.file, record.original_name)
