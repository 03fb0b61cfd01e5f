from __future__ import annotations

from django import forms
from django.utils import translation
from django.utils.translation import gettext_lazy as _

from initiatives.models import Initiative
from org.models import Department, Unit
from plans.forms import DATE_WIDGET
from plans.models import DEFAULT_AREAS, EIGHTH_AREA, Plan


class InitiativeForm(forms.ModelForm):
    class Meta:
        model = Initiative
        fields = [
            "title",
            "authors",
            "department",
            "reform_area",
            "problem",
            "solution",
            "applied_on",
            "effect",
        ]
        widgets = {
            "applied_on": DATE_WIDGET,
            "problem": forms.Textarea(attrs={"rows": 3}),
            "solution": forms.Textarea(attrs={"rows": 4}),
            "effect": forms.Textarea(attrs={"rows": 3}),
        }

    def __init__(self, *args, unit: Unit, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["department"].queryset = Department.objects.filter(unit=unit, is_active=True)
        with translation.override("vi"):  # stored as plans store their areas, in Vietnamese
            names = [(c, str(n)) for c, n in [*DEFAULT_AREAS, EIGHTH_AREA]]
        self.fields["reform_area"] = forms.ChoiceField(
            label=_("Reform area"),
            required=False,
            choices=[("", "—")] + [(n, f"{c}. {n}") for c, n in names],
        )


class DocumentForm(forms.Form):
    file = forms.FileField(label=_("Document"))


class GoalForm(forms.Form):
    year = forms.IntegerField(label=_("Year"), min_value=2000, max_value=2100)
    minimum = forms.IntegerField(label=_("At least"), min_value=1, max_value=100, initial=1)
    due = forms.DateField(label=_("Sent before"), widget=DATE_WIDGET)
    plan = forms.ModelChoiceField(label=_("Plan"), queryset=None, required=False)

    def __init__(self, *args, unit: Unit, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["plan"].queryset = Plan.objects.filter(unit=unit)
