"""What the province's requests remind people of: a commune's focal officers 7, 3 and 1 days
before the due date and 1, 3 and 7 days after it while their copy is unanswered; the province's
appraisers the day after the due date, with the number of communes that have not answered."""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterator
from datetime import date, timedelta

from django.conf import settings
from django.db.models import F
from django.urls import reverse
from django.utils import translation
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from core.domains import Reminder
from notify.models import ReminderKind
from org.access import holders
from org.models import Role
from province_requests.models import OPEN_STATUSES, Recipient

DAYS = (7, 3, 1)


def reminders(on: date) -> Iterator[Reminder]:
    before = {on + timedelta(days=d): d for d in DAYS}
    after = {on - timedelta(days=d): d for d in DAYS}
    owed = list(
        Recipient.objects.filter(
            status__in=OPEN_STATUSES,
            request__cancelled_at__isnull=True,
            request__due__in=[*before, *after],
            unit__province_id=F("request__unit_id"),
        ).select_related("request")
    )
    if not owed:
        return
    focal = holders(Role.FOCAL, units={r.unit_id for r in owed})
    unanswered = Counter(r.request for r in owed if r.request.due == on - timedelta(days=1))
    appraisers = holders(Role.APPRAISER, units={request.unit_id for request in unanswered})
    with translation.override(settings.LANGUAGE_CODE):
        for recipient in owed:
            request = recipient.request
            if request.due in before:
                days = before[request.due]
                text = _("Due in %(n)d days") % {"n": days} if days > 1 else _("Due tomorrow")
                key = f"due{days}"
            else:
                days = after[request.due]
                text = _("Late by %(n)d days") % {"n": days}
                key = f"late{days}"
            for user_id in sorted(focal.get(recipient.unit_id, ())):
                yield Reminder(
                    user_id=user_id,
                    kind=ReminderKind.REQUEST,
                    key=f"request:{recipient.pk}:{key}",
                    title=_("%(when)s: answer the province's request “%(title)s”")
                    % {"when": text, "title": request.title},
                    url=reverse("request_answer", args=[recipient.pk]),
                    due=request.due,
                )
        for request, count in unanswered.items():
            title = ngettext(
                "Request “%(title)s”: %(n)d commune has not answered by the due date",
                "Request “%(title)s”: %(n)d communes have not answered by the due date",
                count,
            ) % {"title": request.title, "n": count}
            for user_id in sorted(appraisers.get(request.unit_id, ())):
                yield Reminder(
                    user_id=user_id,
                    kind=ReminderKind.REQUEST,
                    key=f"request:{request.pk}:missing",
                    title=title,
                    url=reverse("request_detail", args=[request.pk]) + "?status=missing",
                    due=request.due,
                )
