"""What the conclusion notice says of itself: its number, who signs it and in what capacity."""

from __future__ import annotations

import re

from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _

from inspections.models import SigningCapacity
from org.access import holders_of
from org.models import Role, Unit, User
from reports.builder import Signer

NOTICE_KIND = "TB-UBND"

_NUMBER = re.compile(r"^(?:số\s*:?\s*)?(?P<number>[0-9A-Za-z.\-]+?)\s*(?:/\s*(?P<kind>.+))?$", re.I)


def normalise_notice_number(text: str) -> str:
    """The number alone, whatever the official typed: "125", "125/TB-UBND" and "Số: 125/TB-UBND"
    all give "125" (the document prints "Số: 125/TB-UBND"). Another kind is refused."""
    text = " ".join((text or "").split())
    if not text:
        return ""
    match = _NUMBER.match(text)
    kind = (match.group("kind") or "").replace(" ", "") if match else ""
    if match is None or (kind and kind.upper() != NOTICE_KIND):
        raise ValidationError(
            {
                "conclusion_number": _(
                    "Type the notice number alone, e.g. 125: “/%(kind)s” is added to it."
                )
                % {"kind": NOTICE_KIND}
            }
        )
    return match.group("number")[:50]


def notice_signers(unit: Unit) -> list[User]:
    """Who may sign the notice: the unit's leadership."""
    return holders_of(Role.LEADER, unit)


def capacity_of(person: User | None) -> str:
    """Chair or vice-chair, as the person's position says; "" when it does not tell."""
    position = " ".join((getattr(person, "position", "") or "").lower().split())
    if "phó chủ tịch" in position:
        return SigningCapacity.VICE_CHAIR
    if "chủ tịch" in position:
        return SigningCapacity.CHAIR
    return ""


def check_signer(unit: Unit, signer: User | None, capacity: str) -> str:
    """The capacity the signer signs in; refused when the signer is not of the leadership or the
    capacity is neither given nor told by the position."""
    if signer is None:
        return capacity if capacity in SigningCapacity.values else ""
    if signer.pk not in {p.pk for p in notice_signers(unit)}:
        raise ValidationError({"signer": _("The notice is signed by a leader of the unit.")})
    capacity = capacity or capacity_of(signer)
    if capacity not in SigningCapacity.values:
        raise ValidationError(
            {
                "signer_capacity": _(
                    "The position of %(name)s does not say chair or vice-chair: choose the "
                    "capacity in which the notice is signed."
                )
                % {"name": signer.full_name or signer.username}
            }
        )
    return capacity


def notice_signer(signer: User | None, capacity: str) -> Signer:
    """The signature block: "TM. ỦY BAN NHÂN DÂN / CHỦ TỊCH" or "KT. CHỦ TỊCH / PHÓ CHỦ TỊCH",
    with the signer's name under the room left to sign."""
    capacity = capacity or capacity_of(signer) or SigningCapacity.CHAIR
    name = (signer.full_name or signer.username) if signer else ""
    if capacity == SigningCapacity.VICE_CHAIR:
        return Signer(capacity="KT. CHỦ TỊCH", title="PHÓ CHỦ TỊCH", name=name)
    return Signer(capacity="TM. ỦY BAN NHÂN DÂN", title="CHỦ TỊCH", name=name)
