"""The one clock of the rules. Tests freeze it here, and only here."""

from __future__ import annotations

from datetime import date, datetime

from django.utils import timezone


def today() -> date:
    """Today in the system's time zone (Asia/Ho_Chi_Minh)."""
    return timezone.localdate()


def now() -> datetime:
    return timezone.now()
