"""Numbers written the Vietnamese way: a dot groups thousands, a comma marks the fraction."""

from __future__ import annotations

from decimal import Decimal


def format_number(value: Decimal | float | int | None, places: int | None = None) -> str:
    """1500.5 -> "1.500,5"; 92.50 -> "92,5"; with `places`, rounded to that many decimals first
    (trailing zeros are still dropped). None -> ""."""
    if value is None:
        return ""
    number = Decimal(str(value)) if not isinstance(value, Decimal) else value
    if places is not None:
        number = round(number, places)
    text = f"{number.normalize():f}"
    sign = "-" if text.startswith("-") else ""
    whole, _dot, fraction = text.lstrip("-").partition(".")
    grouped = f"{int(whole):,}".replace(",", ".")
    if sign and (int(whole) or fraction.strip("0")):
        grouped = sign + grouped
    return grouped + ("," + fraction if fraction else "")


def format_count(value: int | None) -> str:
    """A count as administrative documents write it: under ten with a leading zero ("02 nhiệm
    vụ", "06 tháng"), larger ones grouped as any number ("1.250"). None -> ""."""
    if value is None:
        return ""
    if 0 < value < 10:
        return f"{value:02d}"
    return format_number(value)
