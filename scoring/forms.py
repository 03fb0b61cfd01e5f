"""Forms of the province's pages: its frameworks, their criteria and their periods. They only read
what was typed; the rules are the services' (scoring.services)."""

from __future__ import annotations

from decimal import Decimal

from django import forms
from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

from plans.forms import DATE_WIDGET, VietnameseDecimalField
from scoring.models import CriterionKind, Method, PeriodKind, Rounding, Source, UnitGroup
from scoring.services import CriterionData, parse_tiers, tiers_text

DECIMALS = [(0, "0"), (1, "1"), (2, "2")]


class FrameworkForm(forms.Form):
    year = forms.IntegerField(label=_("Year"), min_value=2000, max_value=2100)
    name = forms.CharField(label=_("Name"), max_length=500)
    decision_number = forms.CharField(label=_("Decision number"), max_length=50, required=False)
    decision_date = forms.DateField(label=_("Decision date"), required=False, widget=DATE_WIDGET)
    decision_issuer = forms.CharField(label=_("Issued by"), max_length=200, required=False)
    decimals = forms.TypedChoiceField(
        label=_("Decimal places"), choices=DECIMALS, coerce=int, initial=2
    )
    rounding = forms.ChoiceField(
        label=_("Rounding"), choices=Rounding.choices, initial=Rounding.HALF_UP
    )

    def __init__(self, *args, editing: bool = False, **kwargs):
        super().__init__(*args, **kwargs)
        if editing:
            del self.fields["year"]  # a framework stays the year's it was made for


class SetForm(forms.Form):
    group = forms.ChoiceField(label=_("Group of units"), choices=UnitGroup.choices)
    name = forms.CharField(label=_("Name"), max_length=300, required=False)

    def __init__(self, *args, taken: set[str] = frozenset(), **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["group"].choices = [c for c in UnitGroup.choices if c[0] not in taken]


class CriterionForm(forms.Form):
    code = forms.CharField(
        label=_("Code"),
        max_length=30,
        help_text=_("1 for an area, 1.2 for a criterion, 1.2.3 for a sub-criterion."),
    )
    name = forms.CharField(label=_("Name"), widget=forms.Textarea(attrs={"rows": 2}))
    max_points = VietnameseDecimalField(label=_("Maximum points"), min_value=0, decimal_places=2)
    method = forms.ChoiceField(
        label=_("Way of scoring"),
        choices=Method.choices,
        initial=Method.MANUAL,
        help_text=_("A criterion with sub-criteria is always their sum."),
    )
    tiers = forms.CharField(
        label=_("Tiers"),
        required=False,
        help_text=_("For tiers by ratio, e.g. “100%: 1; từ 80% đến dưới 100%: 0,5; dưới 80%: 0”."),
        widget=forms.TextInput(attrs={"placeholder": "100%: 1; từ 80% đến dưới 100%: 0,5"}),
    )
    deduction = VietnameseDecimalField(
        label=_("Points deducted per occurrence"), required=False, min_value=0, decimal_places=2
    )
    floor = VietnameseDecimalField(
        label=_("Floor"), required=False, min_value=0, decimal_places=2, initial=Decimal(0)
    )
    evidence_required = forms.CharField(
        label=_("Evidence asked for"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 2}),
    )
    evidence_when_none = forms.BooleanField(
        label=_("Evidence asked for even with nothing to deduct"), required=False
    )
    source = forms.ChoiceField(label=_("Source"), choices=Source.choices, initial=Source.SELF)
    kind = forms.ChoiceField(
        label=_("Kind"),
        choices=CriterionKind.choices,
        initial=CriterionKind.REGULAR,
        help_text=_("Sub-criteria take their area's kind."),
    )

    def clean_code(self) -> str:
        return self.cleaned_data["code"].strip().rstrip(".")

    def clean_tiers(self) -> list[dict]:
        try:
            return parse_tiers(self.cleaned_data.get("tiers", ""))
        except ValidationError as exc:
            raise ValidationError(exc.messages) from exc

    def data_row(self) -> CriterionData:
        d = self.cleaned_data
        return CriterionData(
            code=d["code"],
            name=d["name"],
            max_points=d["max_points"],
            method=d["method"],
            tiers=d["tiers"],
            deduction=d.get("deduction"),
            floor=d.get("floor") or Decimal(0),
            evidence_required=d.get("evidence_required", ""),
            source=d["source"],
            kind=d["kind"],
            evidence_when_none=d.get("evidence_when_none", False),
        )

    @staticmethod
    def initial_of(criterion) -> dict:
        return {
            "code": criterion.code,
            "name": criterion.name,
            "max_points": criterion.max_points,
            "method": criterion.method,
            "tiers": tiers_text(criterion.tiers),
            "deduction": criterion.deduction,
            "floor": criterion.floor,
            "evidence_required": criterion.evidence_required,
            "evidence_when_none": criterion.evidence_when_none,
            "source": criterion.source,
            "kind": criterion.kind,
        }


class CommunesField(forms.ModelMultipleChoiceField):
    widget = forms.CheckboxSelectMultiple

    def label_from_instance(self, obj) -> str:
        return obj.full_name


class PeriodForm(forms.Form):
    kind = forms.ChoiceField(label=_("Kind"), choices=PeriodKind.choices)
    name = forms.CharField(
        label=_("Name"),
        max_length=200,
        required=False,
        help_text=_("Left blank: named after its kind and year."),
    )
    department_due = forms.DateField(label=_("Departments' self-scores due"), widget=DATE_WIDGET)
    submission_due = forms.DateField(label=_("Submission to the province due"), widget=DATE_WIDGET)
    answer_days = forms.IntegerField(
        label=_("Days for the commune's answer to the appraisal"),
        min_value=1,
        max_value=60,
        initial=5,
    )
    everyone = forms.BooleanField(
        label=_("Every commune of the province"),
        required=False,
        initial=True,
        help_text=_("Untick to open the period only for the communes ticked below."),
    )
    communes = CommunesField(label=_("Communes and wards"), queryset=None, required=False)

    def __init__(self, *args, communes, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["communes"].queryset = communes

    def clean(self) -> dict:
        data = super().clean()
        if not data.get("everyone") and not data.get("communes"):
            self.add_error("communes", _("Choose at least one commune or ward."))
        return data


class AddCommunesForm(forms.Form):
    communes = CommunesField(label=_("Communes and wards"), queryset=None)

    def __init__(self, *args, communes, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["communes"].queryset = communes
