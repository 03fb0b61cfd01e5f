"""Filters of the reports pages."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from org.models import Unit
from plans.forms import CommuneFilterForm
from reports.province import ReportState


class CommuneReportFilterForm(CommuneFilterForm):
    period = forms.ChoiceField(label=_("Period"), required=False)
    state = forms.ChoiceField(
        label=_("Status"), choices=[("", _("All")), *ReportState.choices], required=False
    )

    def __init__(
        self,
        data: Mapping[str, Any] | None = None,
        *,
        communes: list[Unit],
        periods: list[tuple[str, str]],
        **kwargs: Any,
    ) -> None:
        super().__init__(data, communes=communes, **kwargs)
        self.fields["period"].choices = [("", _("All")), *periods]
