from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _

from org.models import Department, Unit
from plans.forms import DATE_WIDGET
from plans.models import Target
from surveys.models import Campaign, ProcedureField, QuestionKind, Questionnaire


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
