"""The bell: a person's reminders, and which kinds they want."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from notify import services
from notify.models import Notification, ReminderKind, ReminderSettings


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
    current, _created = ReminderSettings.objects.get_or_create(user=request.user)
    if request.method == "POST":
        current = services.choose_kinds(request.user, set(request.POST.getlist("kinds")))
        messages.success(request, _("Your reminder choices are saved."))
        return redirect("notify_preferences")
    kinds = [
        (value, label, value not in current.disabled_kinds) for value, label in ReminderKind.choices
    ]
    return render(request, "notify/preferences.html", {"kinds": kinds})
