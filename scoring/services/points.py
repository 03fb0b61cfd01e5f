"""Points: numbers as people write them, tiers, and what a reported value earns.

Points are Decimal everywhere and rounded the way the framework states (framework.round).
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from decimal import Decimal, InvalidOperation

from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _

from core.numbers import format_number
from core.text import fold
from scoring.models import (
    Criterion,
    CriterionKind,
    Framework,
    Method,
)

ZERO = Decimal(0)


def to_decimal(text: object) -> Decimal | None:
    """ "0,5", "0.5", 1 → Decimal; blank → None; anything else refused."""
    if text is None:
        return None
    if isinstance(text, Decimal):
        return text
    cleaned = str(text).strip().replace(" ", "").replace(",", ".")
    if not cleaned:
        return None
    try:
        value = Decimal(cleaned)
    except InvalidOperation as exc:
        raise ValidationError(_("“%(text)s” is not a number.") % {"text": text}) from exc
    if not value.is_finite():
        raise ValidationError(_("“%(text)s” is not a number.") % {"text": text})
    return value


# --- tiers ------------------------------------------------------------------------------------

_NUMBER = re.compile(r"\d+(?:[.,]\d+)?")


def parse_tiers(text: str) -> list[dict[str, str]]:
    """ "100%: 1; từ 80% đến dưới 100%: 0,5; dưới 80%: 0" → [{"min": "100", "points": "1"}, ...].

    Each tier is "<condition>: <points>"; the condition's first number is its lower bound, and a
    condition that is only an upper bound ("dưới 80%", "under 80%") starts at 0.
    """
    tiers = []
    for part in re.split(r"[;\n]", text or ""):
        if not part.strip():
            continue
        condition, colon, points = part.rpartition(":")
        if not colon:
            raise ValidationError(
                _("Write each tier as “condition: points”, e.g. “100%%: 1”; got “%(part)s”.")
                % {"part": part.strip()}
            )
        numbers = _NUMBER.findall(condition)
        folded = fold(condition)
        only_upper = bool(re.search(r"\b(duoi|under|below)\b|<", folded)) and not re.search(
            r"\b(tu|from)\b|>=|≥", folded
        )
        low = Decimal(0) if only_upper or not numbers else to_decimal(numbers[0])
        found = _NUMBER.search(points)
        value = to_decimal(found.group(0)) if found else None
        if value is None:
            raise ValidationError(_("A tier has no points: “%(part)s”.") % {"part": part.strip()})
        tiers.append({"min": str(low), "points": str(value)})
    tiers.sort(key=lambda t: Decimal(t["min"]), reverse=True)
    return tiers


def tiers_text(tiers: Sequence[dict]) -> str:
    return "; ".join(
        f"{format_number(Decimal(t['min']))}%: {format_number(Decimal(t['points']))}" for t in tiers
    )


# --- points -----------------------------------------------------------------------------------


def points_for(criterion: Criterion, value: Decimal, framework: Framework) -> Decimal:
    """The points a reported value earns under the criterion's way of scoring."""
    code, top = criterion.code, criterion.max_points
    if not criterion.is_leaf:
        raise ValidationError(
            _("Criterion %(code)s is the sum of its sub-criteria; score those.") % {"code": code}
        )
    if value < 0:
        raise ValidationError(
            _("The value for criterion %(code)s cannot be negative.") % {"code": code}
        )
    method = criterion.method
    if method == Method.YES_NO:
        if value not in (0, 1):
            raise ValidationError(_("Criterion %(code)s is answered yes or no.") % {"code": code})
        points = top if value == 1 else ZERO
    elif method == Method.TIERS:
        if value > 100:
            raise ValidationError(
                _("The ratio for criterion %(code)s is a percentage from 0 to 100.")
                % {"code": code}
            )
        points = ZERO
        for tier in sorted(criterion.tiers, key=lambda t: Decimal(t["min"]), reverse=True):
            if value >= Decimal(tier["min"]):
                points = Decimal(tier["points"])
                break
    elif method == Method.DEDUCTION:
        if value != value.to_integral_value():
            raise ValidationError(
                _("Criterion %(code)s counts occurrences: a whole number.") % {"code": code}
            )
        lost = value * (criterion.deduction or ZERO)
        if criterion.kind == CriterionKind.PENALTY:
            points = min(top, lost)
        else:
            points = max(criterion.floor, top - lost)
    else:
        points = value
    points = framework.round(points)
    check_points(criterion, points)
    return points


def check_points(criterion: Criterion, points: Decimal) -> None:
    if points > criterion.max_points:
        raise ValidationError(
            _("%(points)s points is above the maximum of %(max)s for criterion %(code)s.")
            % {
                "points": format_number(points),
                "max": format_number(criterion.max_points),
                "code": criterion.code,
            }
        )
    if points < criterion.floor:
        raise ValidationError(
            _("%(points)s points is below the floor of %(floor)s for criterion %(code)s.")
            % {
                "points": format_number(points),
                "floor": format_number(criterion.floor),
                "code": criterion.code,
            }
        )
