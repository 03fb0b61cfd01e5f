"""Pages of plans and tasks. Permissions come from org.access; rules from plans.services."""

from __future__ import annotations

import calendar as pycalendar
from dataclasses import dataclass
from datetime import date, timedelta

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.db.models import Count, Q
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from core import clock
from core.domains import CalendarSource, plugins
from core.files import UploadRejected
from core.views import (
    announce_import,
    deny,
    errors_to_form,
    save_versioned,
    show_errors,
    stored_file,
    uploads,
)
from ingest.deadlines import describe
from org.access import Action, can, filter_visible, may_comment
from org.models import Department, Unit, User
from org.shortcuts import check_visible, current_unit_or_404, visible_or_404
from plans import dashboard as dashboards
from plans import excel, ical, province, services
from plans.forms import (
    CloseMilestonesForm,
    CommentForm,
    CommuneFilterForm,
    MeasurementForm,
    PartProgressForm,
    PlanForm,
    ProgressForm,
    ProvincePlanFilterForm,
    TaskFilterForm,
    TaskForm,
)
from plans.models import (
    Evidence,
    Milestone,
    Plan,
    PlanStatus,
    Target,
    Task,
    TaskPart,
    TaskStatus,
)
from plans.tables import (
    options_html,
    target_items_html,
    target_rows,
    target_rows_html,
    task_table,
)

PROVINCE_PAGE_SIZE = 50


def _plan_for(request, pk: int, action: Action = Action.VIEW) -> Plan:
    return visible_or_404(request, Plan.objects.select_related("unit"), pk, action)


def _task_for(request, pk: int) -> Task:
    task = get_object_or_404(
        Task.objects.select_related("plan__unit", "area", "lead_department"), pk=pk
    )
    check_visible(request, task.plan)
    return task


# --- plans -----------------------------------------------------------------------------------


@login_required
def plan_list(request):
    unit = current_unit_or_404(request)
    if province.follows_communes(unit):
        return _communes_plan_list(request, unit)
    plans = (
        Plan.objects.filter(unit=unit)
        .annotate(
            task_count=Count("tasks", distinct=True),
            done_count=Count(
                "tasks",
                filter=Q(tasks__status__in=[TaskStatus.DONE, TaskStatus.DONE_LATE]),
                distinct=True,
            ),
            overdue_count=Count("tasks", filter=Q(tasks__status=TaskStatus.OVERDUE), distinct=True),
        )
        .order_by("-period_start", "title")
    )
    return render(
        request,
        "plans/plan_list.html",
        {"unit": unit, "plans": plans, "can_edit": can(request.user, Action.EDIT, unit)},
    )


def _communes_plan_list(request: HttpRequest, unit: Unit) -> HttpResponse:
    """A province's plan list: the plans of every commune under it, filtered and paged."""
    communes = province.communes_under(request.user, unit)
    filters = ProvincePlanFilterForm(request.GET, communes=communes)
    chosen = filters.chosen()
    every_plan = province.plans_of(request.user, communes)
    services.ensure_fresh_statuses(every_plan.exclude(status=PlanStatus.CLOSED).only("statuses_on"))
    plans = province.with_task_counts(province.plans_of(request.user, communes, **chosen)).order_by(
        "unit__name", "-period_start", "title", "pk"
    )
    context = {
        "unit": unit,
        "page": Paginator(plans, PROVINCE_PAGE_SIZE).get_page(request.GET.get("page")),
        "query": _query_without_page(request),
        "chosen": chosen,
        "ignored": filters.ignored,
    }
    if request.htmx:
        return render(request, "plans/_province_plan_table.html", context)
    context.update(
        communes=communes,
        years=province.plan_years(every_plan),
        statuses=PlanStatus.choices,
    )
    return render(request, "plans/province_plans.html", context)


def _query_without_page(request: HttpRequest) -> str:
    query = request.GET.copy()
    query.pop("page", None)
    return query.urlencode()


@login_required
def plan_create(request):
    return _plan_form(request, current_unit_or_404(request, Action.EDIT), None)


@login_required
def plan_edit(request, pk: int):
    plan = _plan_for(request, pk, Action.EDIT)
    return _plan_form(request, plan.unit, plan)


def _plan_form(request, unit, plan: Plan | None):
    form = PlanForm(request.POST or None, request.FILES or None, instance=plan)
    if request.method == "POST" and form.is_valid():
        upload = request.FILES.get("source_document")
        source = services.UploadedFile(upload.name, upload) if upload is not None else None
        fields = {
            name: form.cleaned_data[name]
            for name in PlanForm.Meta.fields
            if name != "source_document"
        }
        if form.cleaned_data.get("source_document") is False:
            fields["source_document"] = None  # "clear" ticked
        try:
            if plan is None:
                plan = services.create_plan(
                    unit,
                    include_impact_area=form.cleaned_data["include_impact_area"],
                    source=source,
                    **fields,
                )
            else:
                plan = services.update_plan(plan, source=source, **fields)
        except ValidationError as exc:
            errors_to_form(form, exc)
        else:
            messages.success(request, _("Plan saved."))
            return redirect("plan_detail", pk=plan.pk)
    return render(request, "plans/plan_form.html", {"form": form, "plan": plan, "unit": unit})


@dataclass(frozen=True)
class PlanMove:
    """A change of the plan's status the person may make from its page; the main ones (going
    forward) are buttons on a wide screen, the others wait in the actions menu."""

    status: str
    label: str
    main: bool


def _plan_moves(plan: Plan, *, can_edit: bool, can_approve: bool) -> list[PlanMove]:
    labels = {
        PlanStatus.APPROVED: _("Approve"),
        PlanStatus.IN_PROGRESS: _("Start carrying out"),
        PlanStatus.CLOSED: _("Close"),
        PlanStatus.DRAFT: _("Back to draft"),
    }
    return [
        PlanMove(move, labels[move], main=move in (PlanStatus.APPROVED, PlanStatus.IN_PROGRESS))
        for move in sorted(services.ALLOWED_PLAN_MOVES[PlanStatus(plan.status)])
        if (can_approve if move == PlanStatus.APPROVED else can_edit)
    ]


@login_required
def plan_detail(request, pk: int):
    plan = _plan_for(request, pk)
    services.ensure_fresh_statuses([plan])
    criteria = services.TaskFilter()
    # No filter asked (the plan opened): no form to build, the criteria stay empty.
    filters = TaskFilterForm(request.GET, plan=plan) if request.GET else None
    if filters is not None and filters.is_valid():
        data = filters.cleaned_data
        criteria = services.TaskFilter(
            area=data["area"].pk if data["area"] else None,
            department=data["department"].pk if data["department"] else None,
            status=data["status"] or "",
            overdue=data["overdue"],
            due_within=data["due_within"],
            q=data["q"] or "",
        )
    page = _page_number(request)
    query = request.GET.copy()
    query.pop("page", None)
    context = {
        "plan": plan,
        "table": task_table(services.filter_tasks(plan.tasks.all(), criteria), page=page),
        "chosen": criteria,
        "filtered": bool(query),
        "query": query.urlencode() + "&" if query else "",
    }
    if request.htmx:
        return render(request, "plans/_task_table.html", context)
    targets = target_rows([plan])
    can_edit = can(request.user, Action.EDIT, plan)
    moves = _plan_moves(
        plan, can_edit=can_edit, can_approve=can(request.user, Action.APPROVE, plan)
    )
    areas = list(plan.areas.annotate(task_count=Count("tasks")))
    area_choices = [(a.pk, f"{a.code}. {a.name}") for a in areas]
    departments = plan.unit.departments.filter(is_active=True).values_list("pk", "name")
    context.update(
        areas=areas,
        targets=targets,
        # the long lists drawn in Python: the template engine is the slow part of them
        targets_html=target_rows_html(targets),
        target_options=options_html((t.pk, t.short_text) for t in targets),
        area_options=options_html(area_choices),
        area_filter_options=options_html(area_choices, criteria.area),
        department_options=options_html(departments, criteria.department),
        status_options=options_html(TaskStatus.choices, criteria.status),
        can_edit=can_edit,
        main_moves=[m for m in moves if m.main],
        other_moves=[m for m in moves if not m.main],
        # On a phone the filters beyond the search fold away, unless one of them is chosen.
        more_filters_chosen=bool(
            criteria.area
            or criteria.department
            or criteria.status
            or criteria.overdue
            or criteria.due_within is not None
        ),
    )
    return render(request, "plans/plan_detail.html", context)


@login_required
@require_POST
def plan_move(request, pk: int):
    plan = _plan_for(request, pk)
    status = request.POST.get("status", "")
    needed = Action.APPROVE if status == PlanStatus.APPROVED else Action.EDIT
    if status not in PlanStatus.values or not can(request.user, needed, plan):
        raise deny()
    try:
        services.move_plan(plan, status, request.user)
    except ValidationError as exc:
        messages.error(request, " ".join(exc.messages))
    else:
        messages.success(request, _("The plan is now “%(s)s”.") % {"s": plan.get_status_display()})
    return redirect("plan_detail", pk=plan.pk)


@login_required
@require_POST
def plan_roll_over(request, pk: int):
    plan = _plan_for(request, pk, Action.EDIT)
    new = services.roll_over(plan)
    messages.success(request, _("A copy for the next period was created as a draft."))
    return redirect("plan_detail", pk=new.pk)


@login_required
def plan_source(request, pk: int):
    """The plan's source document, to those who may read the plan."""
    plan = _plan_for(request, pk)
    if not plan.source_document:
        raise Http404
    return stored_file(
        plan.source_document,
        plan.source_name or plan.source_document.name.rsplit("/", 1)[-1],
    )


@login_required
def plan_export(request, pk: int):
    plan = _plan_for(request, pk)
    response = HttpResponse(
        excel.export_tasks(plan),
        content_type="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    )
    response["Content-Disposition"] = f'attachment; filename="nhiem-vu-ke-hoach-{plan.pk}.xlsx"'
    return response


@login_required
def plan_import(request, pk: int):
    plan = _plan_for(request, pk, Action.EDIT)
    report, error = None, ""
    if request.method == "POST":
        upload = request.FILES.get("file")
        if upload is None:
            error = _("Choose a file.")
        else:
            try:
                report = excel.import_tasks(plan, upload.name, upload)
            except UploadRejected as exc:
                error = str(exc)
            else:
                if report.saved:
                    announce_import(request, report)
                    return redirect("plan_detail", pk=plan.pk)
    return render(
        request, "plans/plan_import.html", {"plan": plan, "report": report, "error": error}
    )


# --- tasks -----------------------------------------------------------------------------------


def _task_data(form: TaskForm) -> services.TaskData:
    data = form.cleaned_data
    return services.TaskData(
        area=data["area"],
        number=data["number"],
        content=data["content"],
        lead_department=data["lead_department"],
        all_departments=data["all_departments"],
        coordinating_departments=list(data["coordinating_departments"]),
        other_coordinators=data["other_coordinators"],
        expected_product=data["expected_product"],
        deadline_text=data["deadline_text"],
        assignees=list(data["assignees"]),
        budget_estimate=data["budget_estimate"],
        budget_state=data["budget_state"],
    )


def _task_form_page(request, plan: Plan, task: Task | None):
    initial = {}
    if task is not None:
        initial = {
            "area": task.area,
            "number": task.number,
            "content": task.content,
            "lead_department": task.lead_department,
            "all_departments": task.all_departments,
            "coordinating_departments": task.coordinating_departments.all(),
            "other_coordinators": task.other_coordinators,
            "expected_product": task.expected_product,
            "deadline_text": task.deadline_text,
            "assignees": task.assignees.all(),
            "budget_estimate": task.budget_estimate,
            "budget_state": task.budget_state,
        }
    form = TaskForm(request.POST or None, plan=plan, initial=initial)
    edit = save_versioned(
        request,
        form,
        lambda: services.task_version(task) if task else "",
        lambda seen: services.save_task(plan, _task_data(form), task, seen=seen),
    )
    if edit.done:
        messages.success(request, _("Task saved."))
        return redirect("task_detail", pk=edit.saved.pk)
    preview = None
    text = form["deadline_text"].value()
    if text:
        preview = describe(services.parse_task_deadline(plan, text))
    return render(
        request,
        "plans/task_form.html",
        {
            "form": form,
            "plan": plan,
            "task": task,
            "preview": preview,
            "version": edit.version,
            "conflict": edit.conflict,
        },
        status=edit.status,
    )


@login_required
def task_create(request, pk: int):
    plan = _plan_for(request, pk, Action.EDIT)
    return _task_form_page(request, plan, None)


@login_required
def task_edit(request, pk: int):
    task = _task_for(request, pk)
    if not can(request.user, Action.EDIT, task):
        raise deny()
    return _task_form_page(request, task.plan, task)


@login_required
def deadline_preview(request, pk: int):
    """What a typed deadline means, shown while the person types (HTMX)."""
    plan = _plan_for(request, pk)
    text = request.GET.get("deadline_text", "")
    parsed = services.parse_task_deadline(plan, text) if text.strip() else None
    return render(request, "plans/_deadline_preview.html", {"parsed": parsed, "text": text})


def _deadline_summary(task: Task) -> str:
    if not task.deadline_text:
        return ""
    return describe(services.parse_task_deadline(task.plan, task.deadline_text))


def _closing_form(task: Task, milestones: list[Milestone], data=None) -> CloseMilestonesForm:
    today = clock.today()
    return CloseMilestonesForm(
        data,
        milestones=milestones,
        suggested={m.pk: services.suggested_period(m, task.plan, today) for m in milestones},
    )


@login_required
def task_detail(
    request,
    pk: int,
    progress_form: ProgressForm | None = None,
    closing_form: CloseMilestonesForm | None = None,
    closing_note: str = "",
    status: int = 200,
):
    task = _task_for(request, pk)
    updates = task.updates.select_related("author", "milestone", "part__department")
    updates = updates.prefetch_related("files")
    can_edit = can(request.user, Action.EDIT, task)
    parts = []
    if task.all_departments:
        for part in task.parts.select_related("department"):
            part.task = task  # its permission reads the task's assignees
            part.can_report = can(request.user, Action.EDIT, part)
            parts.append(part)
    if can_edit and progress_form is None and task.progress_percent >= 100:
        # A task already at 100% still offers its open milestones with the next report.
        still_open = services.open_milestones(task)
        if still_open:
            closing_form = _closing_form(task, still_open)
    return render(
        request,
        "plans/task_detail.html",
        {
            "task": task,
            "plan": task.plan,
            "milestones": task.milestones.all(),
            "updates": updates,
            "comments": task.comments.select_related("author"),
            "files": task.evidence.filter(update__isnull=True),
            "coordinating": task.coordinating_departments.all(),
            "assignees": task.assignees.all(),
            "can_edit": can_edit,
            "parts": parts,
            "parts_done": sum(p.completed_on is not None for p in parts),
            "part_form": PartProgressForm(),
            "progress_form": progress_form or ProgressForm(task=task),
            "closing_form": closing_form,
            "closing_note": closing_note,
            "comment_form": CommentForm(),
            "can_comment": may_comment(request.user, task),
            "deadline_summary": describe(
                services.parse_task_deadline(task.plan, task.deadline_text)
            )
            if task.deadline_text
            else "",
        },
        status=status,
    )


@login_required
def task_closing(request, pk: int):
    """The open milestones to mark done, shown in the progress form once 100% is typed (HTMX)."""
    task = _task_for(request, pk)
    if not can(request.user, Action.EDIT, task):
        raise deny()
    try:
        complete = int(request.GET.get("percent", "")) >= 100
    except ValueError:
        complete = False
    milestones = services.open_milestones(task) if complete else []
    return render(
        request,
        "plans/_close_milestones.html",
        {"task": task, "closing_form": _closing_form(task, milestones) if milestones else None},
    )


def _show_refusal(exc: ValidationError, form: ProgressForm, closing_form) -> None:
    """Each message beside its field, in whichever of the two forms holds it."""
    if not hasattr(exc, "error_dict") or closing_form is None:
        errors_to_form(form, exc)
        return
    for name, errors in exc.message_dict.items():
        if name in closing_form.fields:
            closing_form.add_error(name, errors)
        else:
            form.add_error(name if name in form.fields else None, errors)


@login_required
@require_POST
def task_progress(request, pk: int):
    task = _task_for(request, pk)
    if not can(request.user, Action.EDIT, task):
        raise deny()
    form = ProgressForm(request.POST, request.FILES, task=task)
    valid = form.is_valid()
    percent = form.cleaned_data.get("percent")
    still_open = services.open_milestones(task) if percent is not None and percent >= 100 else []
    closing_form = None
    if still_open and "close_step" in request.POST:
        closing_form = _closing_form(task, still_open, request.POST)
        valid = closing_form.is_valid() and valid
    if valid and still_open and closing_form is None:
        # Reported complete without the milestones being offered (no script, or sent before
        # they appeared): nothing is saved until the person says which ones are done.
        note = _("Nothing was saved yet: tick the milestones that are done, then save again.")
        if request.FILES:
            note += " " + _("Choose the evidence files again.")
        return task_detail(
            request,
            pk,
            progress_form=form,
            closing_form=_closing_form(task, still_open),
            closing_note=note,
        )
    if valid:
        files = uploads(request)
        try:
            services.add_progress(
                task,
                request.user,
                services.ProgressData(
                    note=form.cleaned_data["note"],
                    percent=percent,
                    files=files,
                    milestone=form.cleaned_data["milestone"],
                    closing=closing_form.closings() if closing_form is not None else None,
                ),
            )
        except UploadRejected as exc:
            form.add_error("files", _("Nothing was saved: %(reason)s") % {"reason": exc})
        except ValidationError as exc:
            _show_refusal(exc, form, closing_form)
        else:
            messages.success(request, _("Progress recorded."))
            return redirect("task_detail", pk=task.pk)
    if still_open and closing_form is None:
        closing_form = _closing_form(task, still_open)
    # What was typed comes back with the reason beside it; only the files must be chosen again.
    return task_detail(request, pk, progress_form=form, closing_form=closing_form, status=400)


@login_required
@require_POST
def task_part_progress(request, pk: int):
    """A department reports its own part of a task carried out by every department."""
    part = get_object_or_404(TaskPart.objects.select_related("task__plan", "department"), pk=pk)
    check_visible(request, part.task.plan)
    if not can(request.user, Action.EDIT, part):
        raise deny()
    form = PartProgressForm(request.POST, request.FILES)
    back = reverse("task_detail", args=[part.task_id]) + f"#part-{part.pk}"
    if not form.is_valid():
        for errors in form.errors.values():
            for error in errors:
                messages.error(request, f"{part.department.name}: {error}")
        return redirect(back)
    files = uploads(request)
    try:
        services.add_part_progress(
            part,
            request.user,
            services.ProgressData(
                note=form.cleaned_data["note"], percent=form.cleaned_data["percent"], files=files
            ),
        )
    except UploadRejected as exc:
        messages.error(request, _("Nothing was saved: %(reason)s") % {"reason": exc})
    except ValidationError as exc:
        show_errors(request, exc)
    else:
        messages.success(
            request,
            _("Progress of %(department)s recorded.") % {"department": part.department.name},
        )
    return redirect(back)


@login_required
@require_POST
def task_comment(request, pk: int):
    task = _task_for(request, pk)
    if not may_comment(request.user, task):
        raise deny()
    form = CommentForm(request.POST)
    if form.is_valid():
        services.add_comment(task, request.user, form.cleaned_data["text"])
    return redirect(reverse("task_detail", args=[task.pk]) + "#comments")


@login_required
@require_POST
def milestone_trigger(request, pk: int):
    milestone = get_object_or_404(Milestone.objects.select_related("task__plan"), pk=pk)
    if not can(request.user, Action.EDIT, milestone.task):
        raise deny()
    try:
        due = date.fromisoformat(request.POST.get("due", ""))
    except ValueError:
        messages.error(request, _("Enter the date as dd/mm/yyyy."))
    else:
        services.set_trigger_date(milestone, due)
        messages.success(request, _("Due date set."))
    return redirect("task_detail", pk=milestone.task_id)


@login_required
def evidence_download(request, pk: int):
    evidence = get_object_or_404(Evidence.objects.select_related("task__plan"), pk=pk)
    if not can(request.user, Action.VIEW, evidence.task.plan):
        raise Http404
    return stored_file(evidence.file, evidence.original_name)


# --- targets ---------------------------------------------------------------------------------


@login_required
@require_POST
def target_create(request, pk: int):
    plan = _plan_for(request, pk, Action.EDIT)
    area = plan.areas.filter(pk=request.POST.get("area") or 0).first()
    try:
        services.add_target(plan, request.POST.get("text", ""), area=area)
    except ValidationError as exc:
        messages.error(request, " ".join(exc.messages))
    else:
        messages.success(request, _("Target added."))
    return redirect(reverse("plan_detail", args=[plan.pk]) + "#targets")


@login_required
@require_POST
def target_measure_any(request, pk: int):
    """The plan page's one form: the target is chosen in it."""
    plan = _plan_for(request, pk)
    target = plan.targets.filter(pk=request.POST.get("target") or 0).first()
    if target is None:
        messages.error(request, _("Choose the target."))
        return redirect(reverse("plan_detail", args=[plan.pk]) + "#targets")
    return target_measure(request, target.pk)


@login_required
@require_POST
def target_measure(request, pk: int):
    target = get_object_or_404(Target.objects.select_related("plan"), pk=pk)
    if not can(request.user, Action.VIEW, target.plan):
        raise Http404
    if not can(request.user, Action.EDIT, target):
        raise deny()
    form = MeasurementForm(request.POST)
    if form.is_valid():
        try:
            services.record_measurement(target, by=request.user, **form.cleaned_data)
        except ValidationError as exc:
            messages.error(request, " ".join(exc.messages))
        else:
            messages.success(request, _("Actual value recorded."))
    else:
        messages.error(request, _("Enter the value, the period and the source."))
    return redirect(reverse("plan_detail", args=[target.plan_id]) + "#targets")


# --- views across plans ----------------------------------------------------------------------


@login_required
def my_tasks(request):
    unit = current_unit_or_404(request)
    show_done = request.GET.get("done") == "1"
    chosen = services.tasks_of_person(request.user, unit, done=show_done)
    return render(
        request,
        "plans/my_tasks.html",
        {
            "unit": unit,
            "table": task_table(chosen, page=_page_number(request)),
            "show_done": show_done,
            "query": "done=1&" if show_done else "",
            "feed_url": request.build_absolute_uri(
                reverse("ical_feed", args=[ical.current_token("person", request.user.pk)])
            ),
        },
    )


def _page_number(request) -> int:
    try:
        return int(request.GET.get("page", 1))
    except ValueError:
        return 1


@login_required
def department_tasks(request, pk: int):
    department = visible_or_404(request, Department.objects.select_related("unit"), pk)
    tasks = services.open_tasks_of_unit(department.unit)
    return render(
        request,
        "plans/department_tasks.html",
        {
            "department": department,
            "led": task_table(tasks.filter(lead_department=department), size=1000),
            # tasks every department carries out: the department's own part
            "parts": task_table(
                tasks.filter(parts__department=department).exclude(lead_department=department),
                size=1000,
            ),
            "coordinated": task_table(
                tasks.filter(coordinating_departments=department).exclude(
                    lead_department=department
                ),
                size=1000,
            ),
            "feed_url": request.build_absolute_uri(
                reverse("ical_feed", args=[ical.current_token("department", department.pk)])
            ),
        },
    )


@login_required
def board(request):
    unit = current_unit_or_404(request)
    if province.follows_communes(unit):
        return _communes_overdue(request, unit)
    services.ensure_fresh_statuses(dashboards.active_plans(unit))
    overdue, due_soon = dashboards.board(unit, on=clock.today())
    return render(
        request,
        "plans/board.html",
        {
            "unit": unit,
            "overdue": task_table(overdue, size=1000),
            "due_soon": task_table(due_soon, size=1000),
        },
    )


def _communes_overdue(request: HttpRequest, unit: Unit) -> HttpResponse:
    """A province's follow-up: the overdue tasks of every commune under it, the latest first."""
    communes = province.communes_under(request.user, unit)
    filters = CommuneFilterForm(request.GET, communes=communes)
    commune = filters.chosen()["commune"]
    today = clock.today()
    services.ensure_fresh_statuses(
        province.followed_plans(request.user, communes, commune=commune).only("statuses_on"),
        on=today,
    )
    tasks = province.overdue_tasks(request.user, communes, commune=commune)
    page = Paginator(tasks, PROVINCE_PAGE_SIZE).get_page(request.GET.get("page"))
    context = {
        "unit": unit,
        "page": page,
        "rows": province.overdue_rows(list(page.object_list), today),
        "query": _query_without_page(request),
        "chosen": {"commune": commune},
        "ignored": filters.ignored,
    }
    if request.htmx:
        return render(request, "plans/_province_overdue_table.html", context)
    context["communes"] = communes
    return render(request, "plans/province_overdue.html", context)


@login_required
def dashboard(request):
    unit = current_unit_or_404(request)
    plans = list(dashboards.active_plans(unit))
    services.ensure_fresh_statuses(plans)
    data = dashboards.build(unit, on=clock.today(), plans=plans)
    return render(
        request,
        "plans/dashboard.html",
        {
            "unit": unit,
            "data": data,
            "targets_html": target_items_html(data.targets),
            "can_edit": not plans and can(request.user, Action.EDIT, unit),
        },
    )


@login_required
def month_calendar(request):
    unit = current_unit_or_404(request)
    today = clock.today()
    try:
        year = int(request.GET.get("year", today.year))
        month = int(request.GET.get("month", today.month))
        first = date(year, month, 1)
    except ValueError:
        first = today.replace(day=1)
    weeks = pycalendar.Calendar(firstweekday=0).monthdatescalendar(first.year, first.month)
    milestones = (
        Milestone.objects.filter(
            task__plan__in=dashboards.active_plans(unit),
            due__gte=weeks[0][0],
            due__lte=weeks[-1][-1],
        )
        .select_related("task__area", "task__lead_department")
        .order_by("due")
    )
    by_day: dict[date, list[Milestone]] = {}
    for milestone in milestones:
        by_day.setdefault(milestone.due, []).append(milestone)
    previous = (first - timedelta(days=1)).replace(day=1)
    following = (first + timedelta(days=32)).replace(day=1)
    return render(
        request,
        "plans/calendar.html",
        {
            "unit": unit,
            "first": first,
            "today": today,
            "weeks": [[(day, by_day.get(day, [])) for day in week] for week in weeks],
            "previous": previous,
            "following": following,
        },
    )


def ical_feed(request, token: str):
    """A calendar feed that calendar programs can read without logging in (signed link)."""
    found = ical.read_feed_token(token)
    if found is None or not ical.is_current(found):
        raise Http404  # forged, or a link its owner revoked
    kind, obj_id, _version = found
    others: list[ical.CalendarEvent] = []
    if kind == "person":
        person = get_object_or_404(User, pk=obj_id, is_active=True)
        tasks = filter_visible(person, Task.objects.counted(), "plan__unit").filter(
            assignees=person
        )
        name = _("CCHC tasks of %(name)s") % {"name": person.full_name}
        for source in plugins(CalendarSource):
            others += source.person_events(person)
    else:
        department = get_object_or_404(Department, pk=obj_id)
        tasks = (
            Task.objects.counted()
            .filter(
                Q(lead_department=department)
                | Q(coordinating_departments=department)
                | Q(parts__department=department)
            )
            .distinct()
        )
        name = _("CCHC tasks of %(name)s") % {"name": department.name}
        for source in plugins(CalendarSource):
            others += source.department_events(department)
    tasks = tasks.select_related("area", "lead_department").prefetch_related("milestones")
    response = HttpResponse(
        ical.calendar_for_tasks(tasks, name=name, others=others),
        content_type="text/calendar; charset=utf-8",
    )
    response["Content-Disposition"] = 'inline; filename="cchc.ics"'
    response["Cache-Control"] = "private, no-store"  # a revoked link must not live on in a cache
    return response
