"""Cheap filters for long tables: Django's `truncatechars` and `floatformat` handle cases (HTML
entities, combining marks, arbitrary precision) that cost most of a 150-row page's rendering."""

from __future__ import annotations

from decimal import ROUND_HALF_UP, Decimal, InvalidOperation

from django import template
from django.utils.formats import get_format

register = template.Library()
HUNDREDTH = Decimal("0.01")


@register.filter
def clip(value, length: int) -> str:
    """The text cut to at most `length` characters, ending in "…" when cut."""
    text = "" if value is None else str(value)
    if len(text) <= length:
        return text
    return text[: max(length - 1, 0)].rstrip() + "…"


@register.filter
def points(value) -> str:
    """A score as a person writes it: at most two decimals, no trailing zeros, the language's
    decimal mark ("0,75" in Vietnamese). None or "" -> ""."""
    if value is None or value == "":
        return ""
    try:
        number = Decimal(value).quantize(HUNDREDTH, rounding=ROUND_HALF_UP)
    except (InvalidOperation, TypeError, ValueError):
        return str(value)
    if not number:
        return "0"
    text = f"{number.normalize():f}"
    mark = get_format("DECIMAL_SEPARATOR")
    return text if mark == "." else text.replace(".", mark)
