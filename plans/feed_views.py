"""The calendar-feed links a person may hand out, each revocable on its own: their own tasks'
feed, and the feeds of the departments whose work they edit (a department head's, all of the
unit's for its focal officer). Revoking a link gives the feed a new one; the old URL then gives
404 while every other feed keeps working (`plans.ical.revoke_feed`)."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from org.access import Action, can
from org.middleware import get_current_unit
from org.models import Department
from org.shortcuts import visible_or_404
from plans import ical
from plans.models import CalendarFeed, FeedKind


@dataclass(frozen=True)
class FeedRow:
    kind: str
    obj_id: int
    name: str
    url: str
    revoked_at: datetime | None


def _editable_departments(request) -> list[Department]:
    unit = get_current_unit(request)
    if unit is None:
        return []
    departments = Department.objects.filter(unit=unit, is_active=True).select_related("unit")
    return [d for d in departments.order_by("order", "name") if can(request.user, Action.EDIT, d)]


@login_required
def feed_list(request):
    user = request.user
    owners = [(FeedKind.PERSON, user.pk, _("Your tasks"))]
    owners += [(FeedKind.DEPARTMENT, d.pk, d.name) for d in _editable_departments(request)]
    revoked = {
        (f.kind, f.owner_id): f
        for f in CalendarFeed.objects.filter(
            kind__in=[FeedKind.PERSON, FeedKind.DEPARTMENT],
            owner_id__in={pk for _kind, pk, _name in owners},
        )
    }
    rows = []
    for kind, pk, name in owners:
        feed = revoked.get((kind, pk))
        token = ical.feed_token(kind, pk, feed.generation if feed else 0)
        rows.append(
            FeedRow(
                kind=kind,
                obj_id=pk,
                name=name,
                url=request.build_absolute_uri(reverse("ical_feed", args=[token])),
                revoked_at=feed.revoked_at if feed else None,
            )
        )
    return render(request, "plans/calendar_feeds.html", {"rows": rows})


@login_required
@require_POST
def feed_revoke(request):
    kind = request.POST.get("kind", "")
    raw_id = request.POST.get("id", "")
    obj_id = int(raw_id) if raw_id.isdigit() and raw_id.isascii() else 0
    if kind == FeedKind.PERSON:
        if obj_id != request.user.pk:
            raise Http404  # only one's own
        name = _("Your tasks")
    elif kind == FeedKind.DEPARTMENT:
        department = visible_or_404(request, Department, obj_id, Action.EDIT)
        name = department.name
    else:
        raise Http404
    ical.revoke_feed(kind, obj_id, by=request.user)
    messages.success(
        request,
        _("The old link of “%(name)s” no longer works; give the new one to your calendar.")
        % {"name": name},
    )
    return redirect(reverse("calendar_feed_list") + f"#feed-{kind}-{obj_id}")
