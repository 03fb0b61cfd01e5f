"""Two people saving the same thing at once: the edit form carries a fingerprint of the values it
showed, and the service, holding the row locked, refuses a save made over a change it did not see.

No version column is needed: the fingerprint is a hash of the editable values themselves, so a
save that changed nothing editable (a status refresh, a timestamp) never blocks anyone."""

from __future__ import annotations

import hashlib
import json
from collections.abc import Iterable, Mapping
from datetime import date, datetime
from decimal import Decimal
from typing import Any

from auditlog.models import LogEntry
from django.contrib.contenttypes.models import ContentType
from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import Q
from django.http import HttpRequest
from django.utils import timezone
from django.utils.translation import gettext as _

FIELD = "version"  # the name of the hidden input every edit form carries


def _plain(value: Any) -> Any:
    """A value as JSON can hold it, the same however it was read (form, database, Python)."""
    if isinstance(value, models.Model):
        return value.pk
    if isinstance(value, Decimal):
        return format(value.normalize(), "f")
    if isinstance(value, datetime | date):
        return value.isoformat()
    if isinstance(value, str):
        return value.strip().replace("\r\n", "\n")
    if isinstance(value, Mapping):
        return {str(k): _plain(v) for k, v in value.items()}
    if isinstance(value, set | frozenset | models.QuerySet):
        return sorted((_plain(v) for v in value), key=str)
    if isinstance(value, list | tuple):
        return [_plain(v) for v in value]
    return value


def fingerprint(values: Mapping[str, Any]) -> str:
    """A short hash of an object's editable values (model instances by their id, sets sorted)."""
    text = json.dumps(_plain(values), sort_keys=True, ensure_ascii=False, default=str)
    return hashlib.sha256(text.encode()).hexdigest()[:32]


def posted(request: HttpRequest) -> str | None:
    """The fingerprint a submitted form carries; None when it carries none (an API call)."""
    value = request.POST.get(FIELD)
    return value or None


def _display(value: Any) -> str:
    if value is None or value == "":
        return "—"
    if isinstance(value, datetime):
        return timezone.localtime(value).strftime("%d/%m/%Y %H:%M")
    if isinstance(value, date):
        return value.strftime("%d/%m/%Y")
    if isinstance(value, Decimal):
        return _plain(value)
    if isinstance(value, set | frozenset | list | tuple | models.QuerySet):
        return ", ".join(sorted(str(v) for v in value)) or "—"
    return str(value)


def last_change(objects: Iterable[models.Model]) -> LogEntry | None:
    """The latest recorded change to any of `objects` (django-auditlog keeps every one)."""
    where = Q()
    for obj in objects:
        ct = ContentType.objects.get_for_model(obj)
        where |= Q(content_type=ct, object_pk=str(obj.pk))
    if not where:
        return None
    return LogEntry.objects.filter(where).select_related("actor").order_by("-timestamp").first()


class EditConflict(ValidationError):
    """A save refused because someone changed the thing after the form was shown. It carries the
    values as they stand now and their fingerprint, so the form comes back with both."""

    def __init__(self, message: str, *, version: str, current: list[tuple[str, str]]):
        super().__init__(message, code="edit_conflict")
        self.version = version
        self.current = current


def refuse_if_changed(
    seen: str | None,
    values: Mapping[str, Any],
    *,
    labels: Mapping[str, Any],
    changed: Iterable[models.Model],
    mine: Mapping[str, Any] | None = None,
) -> None:
    """Raise `EditConflict` when `values` (read under the row lock) are no longer those whose
    fingerprint the form carried. `mine`, the person's own input, narrows what is shown to the
    values that differ from it; when it equals the current values there is nothing to lose."""
    if seen is None:
        return
    now = fingerprint(values)
    if seen == now:
        return
    names = [n for n in values if n in labels]
    if mine is not None:
        names = [n for n in names if n in mine and _plain(mine[n]) != _plain(values[n])]
        if not names:
            return  # the other person saved exactly what this one asks for
    entry = last_change(changed)
    keep = _(
        "Their version is shown below and your input is kept: check it, then save again "
        "to replace theirs."
    )
    if entry is not None:
        actor = entry.actor
        who = (getattr(actor, "full_name", "") or actor.get_username()) if actor else _("Someone")
        when = timezone.localtime(entry.timestamp).strftime("%H:%M %d/%m/%Y")
        message = _("%(who)s changed this at %(when)s, after you opened it.") % {
            "who": who,
            "when": when,
        }
    else:
        message = _("Someone changed this after you opened it.")
    current = [(str(labels[n]), _display(values[n])) for n in names]
    raise EditConflict(f"{message} {keep}", version=now, current=current)
