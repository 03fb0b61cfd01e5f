"""Officers' pages of the initiatives register. Permissions from org.access; rules in services."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from core import clock
from core.files import UploadedFile, UploadRejected
from core.views import as_saved, data_from, deny, save_or_show, show_errors, stored_file
from initiatives import services
from initiatives.forms import DocumentForm, GoalForm, InitiativeForm
from initiatives.models import Initiative, InitiativeDocument, InitiativeGoal, InitiativeStatus
from org.access import Action, can
from org.shortcuts import check_visible, current_unit_or_404, visible_or_404


def _initiative(request, pk: int, action: Action = Action.VIEW) -> Initiative:
    return visible_or_404(
        request, Initiative.objects.select_related("unit", "department"), pk, action
    )


@login_required
def initiative_list(request):
    unit = current_unit_or_404(request)
    rows = Initiative.objects.filter(unit=unit).select_related("department")
    status = request.GET.get("status", "")
    if status in InitiativeStatus.values:
        rows = rows.filter(status=status)
    goals = []
    for goal in InitiativeGoal.objects.filter(unit=unit).select_related("target__plan")[:3]:
        goals.append((goal, services.sent_count(goal)))
    today = clock.today()
    goal_form = GoalForm(
        unit=unit,
        initial={"year": today.year, "due": today.replace(month=11, day=20), "minimum": 1},
    )
    return render(
        request,
        "initiatives/initiative_list.html",
        {
            "unit": unit,
            "initiatives": rows,
            "goals": goals,
            "statuses": InitiativeStatus.choices,
            "status": status,
            "can_edit": can(request.user, Action.EDIT, unit),
            "goal_form": goal_form,
            "today": today,
        },
    )


@login_required
@require_POST
def initiative_goal(request):
    unit = current_unit_or_404(request, Action.EDIT)
    form = GoalForm(request.POST, unit=unit)
    if form.is_valid():
        try:
            services.set_goal(unit, **form.cleaned_data)
        except ValidationError as exc:
            show_errors(request, exc)
        else:
            messages.success(request, _("The yearly goal is saved."))
    else:
        messages.error(request, _("Enter the year, the number and the date."))
    return redirect("initiative_list")


def _initiative_form(request, unit, initiative: Initiative | None):
    form = InitiativeForm(request.POST or None, instance=initiative, unit=unit)
    return save_or_show(
        request,
        form,
        lambda: services.save_initiative(
            unit, data_from(form, services.InitiativeData), as_saved(initiative), by=request.user
        ),
        saved_message=_("Initiative saved."),
        then="initiative_detail",
        template="surveys/form.html",
        context={
            "title": _("Edit the initiative") if initiative else _("New initiative"),
            "unit": unit,
            "cancel": "initiative_list",
        },
    )


@login_required
def initiative_create(request):
    unit = current_unit_or_404(request)
    # Any official of the unit may propose; the province's appraisers only read.
    if not (can(request.user, Action.EDIT, unit) or request.user.unit_id == unit.pk):
        raise deny()
    return _initiative_form(request, unit, None)


@login_required
def initiative_edit(request, pk: int):
    initiative = _initiative(request, pk, Action.EDIT)
    return _initiative_form(request, initiative.unit, initiative)


def _change(request, initiative: Initiative) -> None:
    """A status moved or a document attached, as the detail page's forms ask."""
    if "status" in request.POST:
        services.move_initiative(
            initiative, request.POST["status"], note=request.POST.get("note", "")
        )
        messages.success(request, _("Status changed."))
        return
    form = DocumentForm(request.POST, request.FILES)
    if not form.is_valid():
        messages.error(request, _("Choose a file."))
        return
    upload = form.cleaned_data["file"]
    services.add_document(initiative, UploadedFile(upload.name, upload), request.user)
    messages.success(request, _("Document attached."))


@login_required
def initiative_detail(request, pk: int):
    initiative = _initiative(request, pk)
    can_edit = can(request.user, Action.EDIT, initiative)
    if request.method == "POST":
        if not can_edit:
            raise deny()
        try:
            _change(request, initiative)
        except ValidationError as exc:
            show_errors(request, exc)
        except UploadRejected as exc:
            messages.error(request, str(exc))
        except ValueError:
            messages.error(request, _("Choose a status from the list."))
        return redirect("initiative_detail", pk=pk)
    moves = [
        (s, InitiativeStatus(s).label)
        for s in sorted(services.ALLOWED_MOVES[InitiativeStatus(initiative.status)])
    ]
    return render(
        request,
        "initiatives/initiative_detail.html",
        {
            "initiative": initiative,
            "documents": initiative.documents.all(),
            "moves": moves,
            "can_edit": can_edit,
            "document_form": DocumentForm(),
        },
    )


@login_required
def initiative_document(request, pk: int):
    document = get_object_or_404(InitiativeDocument.objects.select_related("initiative"), pk=pk)
    check_visible(request, document.initiative)
    return stored_file(document.file, document.original_name)
