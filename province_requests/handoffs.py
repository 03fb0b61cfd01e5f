"""Who must act on a request, told through notify's hand-offs: the commune's focal officer
answers (the leadership is told once it is late); an answer returned goes back to them."""

from __future__ import annotations

from collections.abc import Iterable

from django.urls import reverse
from django.utils import translation
from django.utils.translation import gettext_lazy

from core.domains import Handoff
from notify import handoffs
from notify.models import ReminderKind
from org.access import holders
from org.models import Role
from province_requests.models import Recipient


def _key(recipient: Recipient) -> str:
    return f"request:{recipient.pk}:answer"


def to_answer(recipients: Iterable[Recipient], *, note: str = "") -> None:
    recipients = list(recipients)
    units = {r.unit_id for r in recipients}
    focal = holders(Role.FOCAL, units=units)
    leaders = holders(Role.LEADER, units=units)
    with translation.override("vi"):
        for recipient in recipients:
            request = recipient.request
            if note:
                title = str(
                    gettext_lazy("The province returned your answer to “%(title)s”: %(note)s")
                ) % {
                    "title": request.title,
                    "note": note,
                }
            else:
                title = str(gettext_lazy("Answer the province's request: %(title)s")) % {
                    "title": request.title
                }
            handoffs.hand_off(
                Handoff(
                    key=_key(recipient),
                    kind=ReminderKind.REQUEST,
                    title=title,
                    people=frozenset(focal.get(recipient.unit_id, ())),
                    url=reverse("request_answer", args=[recipient.pk]),
                    due=request.due,
                    # The request's own reminders chase it 7, 3 and 1 days before and after.
                    remind=False,
                    escalate_to=frozenset(leaders.get(recipient.unit_id, ())),
                )
            )


def answered(recipient: Recipient) -> None:
    handoffs.done(_key(recipient))


def withdrawn(recipients: Iterable[Recipient]) -> None:
    handoffs.done(*(_key(r) for r in recipients))
