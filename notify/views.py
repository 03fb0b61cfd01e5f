"""The bell: a person's reminders, and which kinds they want."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from core import clock
from core.domains import WorkSource, plugins
from notify import handoffs, services
from notify.models import Notification, ReminderKind, ReminderSettings
from org.shortcuts import get_current_unit


@login_required
def inbox(request):
    notifications = Notification.objects.filter(user=request.user).order_by("-created_at", "due")
    page = Paginator(notifications, 50).get_page(request.GET.get("page"))
    return render(request, "notify/inbox.html", {"page": page})


@login_required
@require_POST
def mark_read(request):
    services.mark_all_read(request.user)
    return redirect("notify_inbox")


@login_required
def preferences(request):
    if request.method == "POST":
        services.choose_kinds(request.user, set(request.POST.getlist("kinds")))
        messages.success(request, _("Your reminder choices are saved."))
        return redirect("notify_preferences")
    current = ReminderSettings.objects.filter(user=request.user).first()
    disabled = current.disabled_kinds if current else []
    kinds = [(value, label, value not in disabled) for value, label in ReminderKind.choices]
    return render(request, "notify/preferences.html", {"kinds": kinds})


@login_required
def my_work(request):
    """Everything handed to the person, across every part of the system, the most pressing first."""
    today = clock.today()
    work = list(handoffs.open_work(request.user))
    groups = [
        (_("Late"), [t for t in work if t.due and t.due < today]),
        (_("Due within 7 days"), [t for t in work if t.due and 0 <= (t.due - today).days <= 7]),
        (_("Later"), [t for t in work if t.due and (t.due - today).days > 7]),
        (_("No due date"), [t for t in work if not t.due]),
    ]
    done = handoffs.recently_done(request.user)
    unit = get_current_unit(request)
    standing = [
        work
        for source in plugins(WorkSource)
        for work in source.standing_work(request.user, unit, today)
        if work.count
    ]
    return render(
        request,
        "notify/work.html",
        {
            "groups": [(label, items) for label, items in groups if items],
            "standing": standing,
            "done": done,
            "today": today,
        },
    )
