from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _

from org.models import Department, Unit
from plans.forms import DATE_WIDGET
from plans.models import Plan, Target
from surveys.models import (
    Campaign,
    Initiative,
    ProcedureField,
    QuestionKind,
    Questionnaire,
)


class QuestionnaireForm(forms.ModelForm):
    class Meta:
        model = Questionnaire
        fields = ["title", "intro"]
        widgets = {"intro": forms.Textarea(attrs={"rows": 3})}


class SectionForm(forms.Form):
    title = forms.CharField(label=_("Section (theme)"), max_length=300)


class QuestionForm(forms.Form):
    section = forms.ModelChoiceField(
        label=_("Part of the questionnaire"), queryset=None, empty_label=None
    )
    kind = forms.ChoiceField(label=_("Kind"), choices=QuestionKind.choices)
    text = forms.CharField(label=_("Question"), widget=forms.Textarea(attrs={"rows": 2}))
    required = forms.BooleanField(label=_("Required"), required=False, initial=True)
    options = forms.CharField(
        label=_("Options"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_("For choice questions: one option per line."),
    )

    def __init__(self, *args, questionnaire: Questionnaire, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["section"].queryset = questionnaire.sections.all()


class CampaignForm(forms.ModelForm):
    class Meta:
        model = Campaign
        fields = [
            "title",
            "questionnaire",
            "department",
            "procedure_field",
            "starts_on",
            "ends_on",
            "target",
        ]
        widgets = {"starts_on": DATE_WIDGET, "ends_on": DATE_WIDGET}

    def __init__(self, *args, unit: Unit, suggested: list[Target], **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["questionnaire"].queryset = Questionnaire.objects.filter(unit=unit)
        self.fields["questionnaire"].empty_label = None
        self.fields["department"].queryset = Department.objects.filter(unit=unit, is_active=True)
        self.fields["procedure_field"].choices = [
            ("", _("All fields (respondents say which)")),
            *ProcedureField.choices,
        ]
        targets = Target.objects.filter(plan__unit=unit).select_related("plan")
        self.fields["target"].queryset = targets
        suggested_ids = {t.pk for t in suggested}
        self.fields["target"].label_from_instance = lambda t: (
            ("★ " if t.pk in suggested_ids else "") + f"{t.plan.title[:50]} – {t.text[:90]}"
        )
        self.fields["target"].help_text = _(
            "Targets marked ★ speak of satisfaction. The overall share of satisfied answers is "
            "recorded as the target's actual value and kept up to date."
        )
        if not self.instance.pk and suggested and not self.is_bound:
            self.initial.setdefault("target", suggested[0].pk)


class ResultFilterForm(forms.Form):
    start = forms.DateField(label=_("From"), required=False, widget=DATE_WIDGET)
    end = forms.DateField(label=_("To"), required=False, widget=DATE_WIDGET)
    procedure_field = forms.ChoiceField(
        label=_("Procedure field"),
        required=False,
        choices=[("", _("All fields")), *ProcedureField.choices],
    )


class ExcludeForm(forms.Form):
    reason = forms.CharField(label=_("Reason"), max_length=300)


class PaperImportForm(forms.Form):
    file = forms.FileField(label=_("Filled template (.xlsx)"))


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
        from django.utils import translation

        from plans.models import DEFAULT_AREAS, EIGHTH_AREA

        with translation.override("vi"):  # stored as plans store their areas, in Vietnamese
            names = [(c, str(n)) for c, n in [*DEFAULT_AREAS, EIGHTH_AREA]]
        self.fields["reform_area"] = forms.ChoiceField(
            label=_("Reform area"),
            required=False,
            choices=[("", "—")] + [(n, f"{c}. {n}") for c, n in names],
        )


class InitiativeMoveForm(forms.Form):
    status = forms.CharField()
    note = forms.CharField(required=False, max_length=500)


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
