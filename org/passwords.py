"""The password policy's own pieces (the rest is Django's validators, see AUTH_PASSWORD_VALIDATORS).

Django 5.2 reworded its minimum-length message and its Vietnamese catalogue still translates the
old wording, so a person would be told in English; this validator says the same in words of our
own catalogue."""

from __future__ import annotations

from django.contrib.auth import password_validation
from django.utils.translation import gettext as _


class MinimumLengthValidator(password_validation.MinimumLengthValidator):
    def get_error_message(self) -> str:
        return _("This password is too short: it must have at least %(min_length)d characters.") % {
            "min_length": self.min_length
        }
