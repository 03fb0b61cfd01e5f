"""Pages for units, departments, people and history. Rules live in services and access."""

from __future__ import annotations

from auditlog.models import LogEntry
from auditlog.registry import auditlog
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.contrib.contenttypes.models import ContentType
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.db import connection
from django.db.models import Count, Q
from django.http import Http404, HttpResponse, JsonResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_POST

from core.files import UploadRejected
from core.sheets import workbook_bytes
from core.text import fold
from core.views import XLSX, announce_import, deny, download
from org import menu, services, two_factor
from org.access import Action, can, filter_visible, is_ministry, is_system_admin, visible_units
from org.forms import DepartmentForm, PersonForm, UploadForm
from org.history import readable_entry
from org.imports import (
    DEPARTMENT_COLUMNS,
    UNIT_COLUMNS,
    import_departments,
    import_units,
)
from org.middleware import SESSION_KEY, get_current_unit, set_current_unit
from org.models import Department, RoleGrant, Unit, UnitLevel, User
from org.shortcuts import check_visible, visible_or_404


def audited_model(name: str):
    """A model with a history page: recorded by auditlog and able to say whose it is."""
    for model in auditlog.get_models():
        if model._meta.model_name == name and hasattr(model, "access_scope"):
            return model
    return None


def _unit_or_404(request, code: str) -> Unit:
    unit = get_object_or_404(Unit.objects.select_related("parent"), code=code)
    check_visible(request, unit)
    return unit


def _require(request, action: Action, obj) -> None:
    if not can(request.user, action, obj):
        raise deny()


def _search(queryset, q: str):
    return queryset.filter(search_text__contains=fold(q).strip()) if q.strip() else queryset


@login_required
def start(request):
    """Where signing in leads: the page a person's work starts from (`org.menu.start_page`)."""
    return redirect(menu.start_page(request.user, get_current_unit(request)))


@login_required
def home(request):
    if (
        is_ministry(request.user)
        and not request.user.unit_id
        and not request.session.get(SESSION_KEY)
    ):
        # The ministry follows the country: it starts on the provinces, not on one commune.
        return redirect("ministry_ranking")
    unit = get_current_unit(request)
    if unit is None:
        return render(request, "org/home_empty.html")
    departments = (
        unit.departments.filter(is_active=True)
        .annotate(people_count=Count("people", filter=Q(people__is_active=True)))
        .order_by("order", "name")
    )
    people = services.people_of(unit).order_by("department__order", "full_name")
    children = []
    if unit.level != UnitLevel.COMMUNE:
        children = (
            visible_units(request.user)
            .filter(province_id=unit.province_id, level=UnitLevel.COMMUNE)
            .annotate(department_count=Count("departments", distinct=True))
            .annotate(people_count=Count("people", distinct=True))
            .order_by("name")
        )
        if unit.level == UnitLevel.DISTRICT:
            children = children.filter(parent=unit)
    return render(
        request,
        "org/home.html",
        {
            "unit": unit,
            "departments": departments,
            "people": people,
            "leaders": services.leaders_and_focals(unit),
            "children": children,
            "can_manage": can(request.user, Action.MANAGE, unit),
        },
    )


@login_required
@require_POST
def switch_unit(request):
    unit = visible_units(request.user).filter(pk=request.POST.get("unit")).first()
    if unit is None:
        messages.error(request, _("You cannot work on that unit."))
    else:
        set_current_unit(request, unit)
        messages.success(request, _("Now working on %(unit)s.") % {"unit": unit.full_name})
    target = request.POST.get("next") or reverse("home")
    if not url_has_allowed_host_and_scheme(target, allowed_hosts={request.get_host()}):
        target = reverse("home")
    return redirect(target)


@login_required
def unit_list(request):
    q = request.GET.get("q", "")
    units = _search(visible_units(request.user).select_related("parent"), q)
    units = units.annotate(department_count=Count("departments", distinct=True)).order_by(
        "province__name", "level", "name"
    )
    page = Paginator(units, 100).get_page(request.GET.get("page"))
    return render(
        request,
        "org/unit_list.html",
        {"page": page, "q": q, "can_import": is_system_admin(request.user)},
    )


@login_required
def unit_detail(request, code: str):
    unit = _unit_or_404(request, code)
    children = visible_units(request.user).filter(parent=unit).order_by("name")
    departments = unit.departments.annotate(
        people_count=Count("people", filter=Q(people__is_active=True))
    ).order_by("order", "name")
    return render(
        request,
        "org/unit_detail.html",
        {
            "unit": unit,
            "children": children,
            "departments": departments,
            "people": services.people_of(unit),
            "can_manage": can(request.user, Action.MANAGE, unit),
        },
    )


@login_required
def department_list(request):
    unit = get_current_unit(request)
    if unit is None:
        return redirect("home")
    return redirect("unit_detail", code=unit.code)


@login_required
def department_detail(request, pk: int):
    department = visible_or_404(request, Department.objects.select_related("unit"), pk)
    return render(
        request,
        "org/department_detail.html",
        {
            "department": department,
            "unit": department.unit,
            "people": department.people.filter(is_active=True),
            "heads": department.grants.select_related("user"),
            "can_manage": can(request.user, Action.MANAGE, department.unit),
        },
    )


def _department_form_page(request, unit: Unit, department: Department | None):
    _require(request, Action.MANAGE, unit)
    if request.method == "POST":
        form = DepartmentForm(request.POST)
        if form.is_valid():
            data = services.DepartmentData(
                name=form.cleaned_data["name"],
                short_name=form.cleaned_data["short_name"],
                kind=form.cleaned_data["kind"],
                aliases=services.parse_aliases(form.cleaned_data["aliases"]),
            )
            try:
                saved = services.save_department(unit, data, existing=department)
            except ValidationError as exc:
                for message in exc.messages:
                    form.add_error(None, message)
            else:
                messages.success(request, _("Department “%(name)s” saved.") % {"name": saved.name})
                return redirect("department_detail", pk=saved.pk)
    elif department is not None:
        form = DepartmentForm(
            initial={
                "name": department.name,
                "short_name": department.short_name,
                "kind": department.kind,
                "aliases": "\n".join(department.aliases),
            }
        )
    else:
        form = DepartmentForm(initial={"kind": "division"})
    return render(
        request,
        "org/department_form.html",
        {"form": form, "unit": unit, "department": department},
    )


@login_required
def department_create(request, code: str):
    return _department_form_page(request, _unit_or_404(request, code), None)


@login_required
def department_edit(request, pk: int):
    department = visible_or_404(request, Department.objects.select_related("unit"), pk)
    return _department_form_page(request, department.unit, department)


@login_required
def person_list(request):
    q = request.GET.get("q", "")
    unit = get_current_unit(request)
    people = filter_visible(request.user, User.objects.filter(is_active=True))
    if unit is not None and not request.GET.get("all"):
        people = people.filter(unit=unit)
    people = _search(people.select_related("unit", "department"), q).order_by("full_name")
    page = Paginator(people, 100).get_page(request.GET.get("page"))
    return render(
        request,
        "org/person_list.html",
        {
            "page": page,
            "q": q,
            "unit": unit,
            "can_manage": unit is not None and can(request.user, Action.MANAGE, unit),
        },
    )


@login_required
def person_detail(request, pk: int):
    person = visible_or_404(request, User.objects.select_related("unit", "department"), pk)
    two_factor_on = two_factor.is_on(person)
    return render(
        request,
        "org/person_detail.html",
        {
            "person": person,
            "grants": person.grants.select_related("unit", "department"),
            "two_factor_on": two_factor_on,
            "can_reset_two_factor": two_factor_on
            and person.pk != request.user.pk
            and can(request.user, Action.MANAGE, person),
        },
    )


@login_required
def person_create(request, code: str):
    unit = _unit_or_404(request, code)
    _require(request, Action.MANAGE, unit)
    form = PersonForm(request.POST or None, unit=unit)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            person, password = services.create_person(
                unit,
                username=data["username"],
                full_name=data["full_name"],
                email=data["email"],
                position=data["position"],
                department=data["department"],
                role=data["role"],
            )
        except ValidationError as exc:
            for message in exc.messages:
                form.add_error(None, message)
        else:
            messages.success(
                request,
                _(
                    "Account %(username)s created. First password: %(password)s "
                    "(shown only now; ask the person to change it)."
                )
                % {"username": person.username, "password": password},
            )
            return redirect("person_detail", pk=person.pk)
    return render(request, "org/person_form.html", {"form": form, "unit": unit})


def _import_page(request, *, title, columns, run, back_url, template_url, scope_note):
    report = None
    form = UploadForm(request.POST or None, request.FILES or None)
    if request.method == "POST" and form.is_valid():
        upload = form.cleaned_data["file"]
        try:
            report = run(upload.name, upload)
        except UploadRejected as exc:
            form.add_error("file", str(exc))
        else:
            announce_import(request, report)
    return render(
        request,
        "org/import.html",
        {
            "form": form,
            "report": report,
            "title": title,
            "columns": columns,
            "back_url": back_url,
            "template_url": template_url,
            "scope_note": scope_note,
        },
    )


@login_required
def unit_import(request):
    if not is_system_admin(request.user):
        raise PermissionDenied(_("Only a system administrator imports units."))
    return _import_page(
        request,
        title=_("Import administrative units"),
        columns=[names[0] for names in UNIT_COLUMNS.values()],
        run=lambda name, f: import_units(name, f),
        back_url=reverse("unit_list"),
        template_url=reverse("unit_import_template"),
        scope_note=_(
            "Kinds: Tỉnh, Thành phố, Huyện, Thị xã, Quận, Xã, Phường, Thị trấn, Đặc khu. "
            "A row whose code already exists updates that unit."
        ),
    )


@login_required
def department_import(request, code: str):
    unit = _unit_or_404(request, code)
    _require(request, Action.MANAGE, unit)
    return _import_page(
        request,
        title=_("Import the departments of %(unit)s") % {"unit": unit.full_name},
        columns=[names[0] for names in DEPARTMENT_COLUMNS.values()],
        run=lambda name, f: import_departments(unit, name, f),
        back_url=reverse("unit_detail", args=[unit.code]),
        template_url=reverse("department_import_template"),
        scope_note=_(
            "Other names are separated by “;”. A row whose name already exists updates "
            "that department."
        ),
    )


def _xlsx_template(filename: str, headers: list[str], example: list[list[str]]) -> HttpResponse:
    from openpyxl import Workbook
    from openpyxl.styles import Font

    workbook = Workbook()
    sheet = workbook.active
    sheet.append(headers)
    for cell in sheet[1]:
        cell.font = Font(bold=True)
    for row in example:
        sheet.append(row)
    for column in sheet.columns:
        sheet.column_dimensions[column[0].column_letter].width = 32
    return download(workbook_bytes(workbook), XLSX, filename)


@login_required
def unit_import_template(request):
    return _xlsx_template(
        "mau-nhap-don-vi.xlsx",
        [names[0] for names in UNIT_COLUMNS.values()],
        [["38", "Thanh Hoá", "Tỉnh", ""], ["38-DONGQUANG", "Đông Quang", "Phường", "38"]],
    )


@login_required
def department_import_template(request):
    return _xlsx_template(
        "mau-nhap-phong-ban.xlsx",
        [names[0] for names in DEPARTMENT_COLUMNS.values()],
        [
            ["Phòng Văn hóa - Xã hội", "VHXH", "Phòng", "Phòng VH-XH; Phòng Văn hoá – xã hội"],
            ["Văn phòng HĐND và UBND", "VP", "Văn phòng", "Văn phòng HĐND-UBND"],
        ],
    )


def _history_scope(model, pk: int, entries) -> Unit | Department | User | RoleGrant | None:
    obj = model.objects.filter(pk=pk).first()
    if obj is not None:
        return obj
    # Deleted: the unit recorded with the last change decides who may read the trail.
    for entry in entries:
        unit_id = (entry.additional_data or {}).get("unit_id")
        if unit_id:
            return Unit.objects.filter(pk=unit_id).first()
    return None


@login_required
def history(request, model_name: str, pk: int):
    model = audited_model(model_name)
    if model is None:
        raise Http404
    content_type = ContentType.objects.get_for_model(model)
    entries = LogEntry.objects.filter(content_type=content_type, object_pk=str(pk)).select_related(
        "actor"
    )
    scope = _history_scope(model, pk, entries)
    if scope is None:
        raise Http404
    if isinstance(scope, RoleGrant):
        scope = scope.user
    if not can(request.user, Action.VIEW, scope):
        raise Http404
    title = str(entries[0].object_repr) if entries else str(scope)
    page = Paginator(entries.order_by("-timestamp"), 50).get_page(request.GET.get("page"))
    return render(
        request,
        "org/history.html",
        {
            "page": page,
            "rows": [readable_entry(entry) for entry in page],
            "title": title,
            "model_name": model._meta.verbose_name,
        },
    )


@never_cache
def healthz(request):
    try:
        with connection.cursor() as cursor:
            cursor.execute("SELECT 1")
            cursor.fetchone()
    except Exception:  # any database failure means unhealthy
        return JsonResponse({"status": "error", "database": "unreachable"}, status=503)
    return JsonResponse({"status": "ok", "database": "ok"})
