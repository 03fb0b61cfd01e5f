"""The change history as a person reads it: each field by its label, each value as the forms show
it (a choice by its label, yes/no, dates as dd/mm/yyyy, a linked object by its name, nothing as
"—"), with who made the change and when.

django-auditlog records values as text: "None", "True", "2026-01-14", a linked object's id, a
choice's stored value. `readable_changes(entry)` turns them back into what a page shows.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from datetime import UTC, date, datetime
from decimal import Decimal, InvalidOperation

from auditlog.models import LogEntry
from django.core.exceptions import FieldDoesNotExist
from django.db import models
from django.utils import timezone
from django.utils.text import capfirst
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from core.numbers import format_number

EMPTY = "—"
LONGEST = 500  # characters of a long text shown in the history

# Fields the model names only by their attribute: the label the history shows instead.
LABELS = {
    "created_at": gettext_lazy("created at"),
    "updated_at": gettext_lazy("last changed at"),
    "uploaded_at": gettext_lazy("uploaded at"),
    "submitted_at": gettext_lazy("submitted at"),
    "submitted_on": gettext_lazy("submitted on"),
    "approved_at": gettext_lazy("approved at"),
    "appraised_at": gettext_lazy("appraised at"),
    "answered_at": gettext_lazy("answered at"),
    "reviewed_at": gettext_lazy("reviewed at"),
    "returned_at": gettext_lazy("returned at"),
    "granted_at": gettext_lazy("granted at"),
    "closed_at": gettext_lazy("closed at"),
    "assembled_at": gettext_lazy("assembled at"),
    "sent_at": gettext_lazy("sent at"),
    "due_when_sent": gettext_lazy("due date when sent"),
    "due_when_submitted": gettext_lazy("due date when submitted"),
    "due_when_answered": gettext_lazy("due date when answered"),
    "source_name": gettext_lazy("source file name"),
    "kind": gettext_lazy("file type"),
    "size": gettext_lazy("file size (bytes)"),
    "file": gettext_lazy("stored file"),
    "order": gettext_lazy("order"),
    "number": gettext_lazy("number"),
    "level": gettext_lazy("heading level"),
    "key": gettext_lazy("section key"),
    "by": gettext_lazy("recorded by"),
    "author": gettext_lazy("written by"),
    "created_by": gettext_lazy("created by"),
    "updated_by": gettext_lazy("last changed by"),
    "uploaded_by": gettext_lazy("uploaded by"),
    "submitted_by": gettext_lazy("submitted by"),
    "approved_by": gettext_lazy("approved by"),
    "reviewed_by": gettext_lazy("reviewed by"),
    "answered_by": gettext_lazy("answered by"),
    "granted_by": gettext_lazy("granted by"),
    "entered_by": gettext_lazy("entered by"),
    "sent_by": gettext_lazy("sent by"),
    "copied_from": gettext_lazy("copied from"),
}
# Bookkeeping nobody reads: left out of the history.
HIDDEN = {"id", "sha256", "statuses_on", "search_text", "name_key", "password"}


@dataclass(frozen=True)
class Change:
    field: str
    before: str
    after: str


@dataclass(frozen=True)
class ReadableEntry:
    when: str
    who: str
    action: str
    changes: list[Change]


def _when(moment: datetime) -> str:
    return timezone.localtime(moment).strftime("%d/%m/%Y %H:%M")


def _who(entry: LogEntry) -> str:
    actor = entry.actor
    if actor is None:
        return _("system")
    return getattr(actor, "full_name", "") or actor.get_username()


def _action(entry: LogEntry) -> str:
    return {
        LogEntry.Action.CREATE: _("created"),
        LogEntry.Action.UPDATE: _("changed"),
        LogEntry.Action.DELETE: _("deleted"),
    }.get(entry.action, _("accessed"))


def readable_entry(entry: LogEntry) -> ReadableEntry:
    return ReadableEntry(
        _when(entry.timestamp), _who(entry), _action(entry), readable_changes(entry)
    )


def readable_changes(entry: LogEntry) -> list[Change]:
    """The fields an entry changed, each with its label and its values before and after."""
    model = entry.content_type.model_class() if entry.content_type_id else None
    shown = []
    for name, values in (entry.changes_dict or {}).items():
        if name in HIDDEN:
            continue
        field = _field(model, name)
        if field is None and model is not None:
            continue  # a reverse relation: what it shows is the other object's own history
        label = capfirst(str(_label(field, name)))
        if isinstance(values, dict) and values.get("type") == "m2m":
            shown.append(_m2m_change(label, values))
            continue
        before, after = [*list(values), None, None][:2]
        shown.append(Change(label, _value(field, before), _value(field, after)))
    return shown


def _field(model, name: str):
    """The model's field of that name: a column or a many-to-many, never a reverse relation."""
    if model is None:
        return None
    try:
        field = model._meta.get_field(name)
    except FieldDoesNotExist:
        return None
    if getattr(field, "concrete", False) or field.many_to_many:
        return field
    return None


def _label(field, name: str) -> str:
    if field is None:
        return LABELS.get(name, name.replace("_", " "))
    if field.verbose_name != field.name.replace("_", " "):
        return field.verbose_name
    if name in LABELS:
        return LABELS[name]
    if field.is_relation and field.related_model is not None:
        return field.related_model._meta.verbose_name
    return field.verbose_name


def _m2m_change(label: str, values: dict) -> Change:
    objects = ", ".join(str(o) for o in values.get("objects", [])) or EMPTY
    if values.get("operation") == "delete":
        return Change(label, objects, EMPTY)
    return Change(label, EMPTY, objects)


def _blank(value) -> bool:
    return value is None or (isinstance(value, str) and value.strip() in ("", "None"))


def _value(field, value) -> str:
    """A recorded value as a form shows it."""
    if _blank(value):
        return EMPTY
    text = str(value)
    if field is None:
        return _shorten(text)
    choices = dict((str(k), v) for k, v in (field.flatchoices or []))
    if choices:
        return str(choices.get(text, text))
    if isinstance(field, models.BooleanField):
        return capfirst(_("yes")) if text in ("True", "1", "true") else capfirst(_("no"))
    if isinstance(field, models.DateTimeField):
        return _datetime(text)
    if isinstance(field, models.DateField):
        return _date(text)
    if isinstance(field, models.ForeignKey | models.OneToOneField):
        return _linked(field, text)
    if isinstance(field, models.DecimalField | models.FloatField):
        return _number(text)
    if isinstance(field, models.JSONField):
        return _json(text)
    return _shorten(text)


def _datetime(text: str) -> str:
    try:
        moment = datetime.fromisoformat(text)
    except ValueError:
        return text
    if timezone.is_naive(moment):  # recorded in UTC without its zone
        moment = moment.replace(tzinfo=UTC)
    return _when(moment)


def _date(text: str) -> str:
    try:
        return date.fromisoformat(text[:10]).strftime("%d/%m/%Y")
    except ValueError:
        return text


def _linked(field, text: str) -> str:
    model = field.related_model
    found = model._base_manager.filter(pk=text).first() if text.isdigit() else None
    if found is None:
        return _("no longer exists (no. %(pk)s)") % {"pk": text}
    return _shorten(str(found))


def _number(text: str) -> str:
    try:
        return format_number(Decimal(text))
    except InvalidOperation:
        return text


def _json(text: str) -> str:
    try:
        value = json.loads(text)
    except ValueError:
        return _shorten(text)
    if _blank(value) or value in ([], {}):
        return EMPTY
    if isinstance(value, list):
        return _shorten(", ".join(str(v) for v in value))
    return _shorten(text)


def _shorten(text: str) -> str:
    return text if len(text) <= LONGEST else text[: LONGEST - 1] + "…"
