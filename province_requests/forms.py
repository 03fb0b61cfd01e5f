from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _

from core.files import EVIDENCE_KINDS, allowed_files
from province_requests.models import RequestKind
from reports.models import Report


class MultipleFileInput(forms.ClearableFileInput):
    allow_multiple_selected = True


class DateInput(forms.DateInput):
    input_type = "date"

    def __init__(self, **kwargs):
        super().__init__(format="%Y-%m-%d", **kwargs)


def _file_input() -> MultipleFileInput:
    return MultipleFileInput(attrs={"accept": allowed_files(EVIDENCE_KINDS).accept})


class RequestForm(forms.Form):
    kind = forms.ChoiceField(label=_("What is asked"), choices=RequestKind.choices)
    title = forms.CharField(label=_("Subject"), max_length=300)
    period = forms.CharField(
        label=_("Period"),
        max_length=60,
        required=False,
        help_text=_("e.g. Quý III/2026, 6 tháng đầu năm 2026"),
    )
    due = forms.DateField(label=_("Answer due by"), widget=DateInput())
    letter_number = forms.CharField(
        label=_("Official letter number"), max_length=60, required=False
    )
    letter_date = forms.DateField(
        label=_("Official letter date"), required=False, widget=DateInput()
    )
    body = forms.CharField(
        label=_("Content of the request"), required=False, widget=forms.Textarea(attrs={"rows": 5})
    )
    to_all = forms.TypedChoiceField(
        label=_("Send to"),
        choices=[("1", _("Every commune of the province")), ("0", _("The communes chosen below"))],
        coerce=lambda v: v == "1",
        widget=forms.RadioSelect,
        initial="1",
    )
    communes = forms.MultipleChoiceField(
        label=_("Communes"), required=False, widget=forms.CheckboxSelectMultiple
    )

    def __init__(self, *args, communes=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["communes"].choices = [(str(u.pk), u.full_name) for u in communes]


class AnswerForm(forms.Form):
    answer = forms.CharField(
        label=_("Answer"), required=False, widget=forms.Textarea(attrs={"rows": 4})
    )
    link = forms.CharField(label=_("Link to the document"), max_length=500, required=False)
    report = forms.ModelChoiceField(
        label=_("Our report"), queryset=Report.objects.none(), required=False
    )

    def __init__(self, *args, unit=None, **kwargs):
        super().__init__(*args, **kwargs)
        if unit is not None:
            self.fields["report"].queryset = (
                Report.objects.filter(period__unit=unit)
                .select_related("period")
                .order_by("-period__end")
            )
            self.fields["report"].label_from_instance = lambda r: str(r.period)


class NoteForm(forms.Form):
    note = forms.CharField(label=_("What is missing"), max_length=500)


class MoveDueForm(forms.Form):
    due = forms.DateField(label=_("New due date"), widget=DateInput())
    reason = forms.CharField(label=_("Reason"), max_length=300)


class WithdrawForm(forms.Form):
    reason = forms.CharField(label=_("Reason"), max_length=500)
