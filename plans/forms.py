from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from org.models import Department, Unit, User
from plans.models import BudgetState, Milestone, Plan, PlanStatus, ReformArea, TaskStatus
from plans.services import PERIOD_MAX_CHARS, Closing, needs_period

DATE_WIDGET = forms.DateInput(attrs={"placeholder": "dd/mm/yyyy", "inputmode": "numeric"})


class VietnameseDecimalField(forms.DecimalField):
    """Accepts "92,5" as well as "92.5": officials type the decimal comma."""

    def to_python(self, value):
        if isinstance(value, str):
            value = value.strip().replace(" ", "")
            if "," in value and "." in value:
                value = value.replace(".", "")  # "1.234,5": dots group thousands
            value = value.replace(",", ".")
        return super().to_python(value)


class AmountField(forms.DecimalField):
    """A sum of đồng: "1.500.000", "1 500 000" and "1500000" are the same amount."""

    def to_python(self, value):
        if isinstance(value, str):
            value = value.replace(".", "").replace(",", "").replace(" ", "").replace("đ", "")
        return super().to_python(value)


class MultipleFileInput(forms.ClearableFileInput):
    allow_multiple_selected = True


class MultipleFileField(forms.FileField):
    def __init__(self, *args, **kwargs):
        kwargs.setdefault("widget", MultipleFileInput())
        super().__init__(*args, **kwargs)

    def clean(self, data, initial=None):
        if isinstance(data, list | tuple):
            return [super(MultipleFileField, self).clean(d, initial) for d in data]
        return [super().clean(data, initial)] if data else []


class PlanForm(forms.ModelForm):
    include_impact_area = forms.BooleanField(
        label=_("Add the eighth area: assessing the impact of administrative reform"),
        required=False,
    )

    class Meta:
        model = Plan
        fields = [
            "kind",
            "title",
            "number",
            "issued_on",
            "signer",
            "signer_capacity",
            "period_start",
            "period_end",
            "implements",
            "source_document",
        ]
        widgets = {
            "issued_on": DATE_WIDGET,
            "period_start": DATE_WIDGET,
            "period_end": DATE_WIDGET,
            "implements": forms.Textarea(attrs={"rows": 3}),
        }


class TaskForm(forms.Form):
    area = forms.ModelChoiceField(label=_("Reform area"), queryset=ReformArea.objects.none())
    number = forms.CharField(label=_("Number"), max_length=20, required=False)
    content = forms.CharField(label=_("Content"), widget=forms.Textarea(attrs={"rows": 3}))
    lead_department = forms.ModelChoiceField(
        label=_("Lead department"),
        queryset=Department.objects.none(),
        required=False,  # checked by the service, which names the rule in its message
    )
    all_departments = forms.BooleanField(
        label=_("Carried out by every department (“Các phòng chuyên môn, đơn vị”)"),
        required=False,
        help_text=_(
            "Each department reports its own part; the lead department consolidates. The task "
            "is done when every part is done."
        ),
    )
    coordinating_departments = forms.ModelMultipleChoiceField(
        label=_("Coordinating departments"),
        queryset=Department.objects.none(),
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )
    other_coordinators = forms.CharField(
        label=_("Other coordinators"),
        required=False,
        help_text=_("Bodies outside the unit, as written: “Các tổ dân phố”."),
    )
    expected_product = forms.CharField(
        label=_("Expected product"), required=False, widget=forms.Textarea(attrs={"rows": 2})
    )
    deadline_text = forms.CharField(
        label=_("Deadline as written"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 2}),
        help_text=_("For example “Quý II”, “Trước ngày 15/01/2026”, “Thường xuyên”."),
    )
    assignees = forms.ModelMultipleChoiceField(
        label=_("Assignees"),
        queryset=User.objects.none(),
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )
    budget_estimate = AmountField(
        label=_("Budget estimate (VND)"),
        required=False,
        min_value=0,
        decimal_places=0,
        widget=forms.TextInput(attrs={"inputmode": "numeric"}),
    )
    budget_state = forms.ChoiceField(label=_("Budget state"), choices=BudgetState.choices)

    def __init__(self, *args, plan: Plan, **kwargs):
        super().__init__(*args, **kwargs)
        departments = plan.unit.departments.filter(is_active=True)
        self.fields["area"].queryset = plan.areas.all()
        self.fields["lead_department"].queryset = departments
        self.fields["coordinating_departments"].queryset = departments
        self.fields["assignees"].queryset = User.objects.filter(unit=plan.unit, is_active=True)


class ProgressForm(forms.Form):
    note = forms.CharField(label=_("What was done"), widget=forms.Textarea(attrs={"rows": 3}))
    percent = forms.IntegerField(label=_("Progress (%)"), min_value=0, max_value=100)
    milestone = forms.ModelChoiceField(label=_("Milestone reached"), queryset=None, required=False)
    files = MultipleFileField(label=_("Evidence files (pdf, docx, xlsx, png, jpg)"), required=False)

    def __init__(self, *args, task, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["milestone"].queryset = task.milestones.filter(done_on__isnull=True)
        self.fields["percent"].initial = task.progress_percent


class PartProgressForm(forms.Form):
    """A department's report on its own part of a task carried out by every department."""

    note = forms.CharField(label=_("What was done"), widget=forms.Textarea(attrs={"rows": 2}))
    percent = forms.IntegerField(label=_("Progress (%)"), min_value=0, max_value=100)
    files = MultipleFileField(label=_("Evidence files (pdf, docx, xlsx, png, jpg)"), required=False)


class CloseMilestonesForm(forms.Form):
    """The task's open milestones, offered for marking done when progress reaches 100%: every
    one ticked at first, and for each recurring one the period it was done for."""

    close = forms.TypedMultipleChoiceField(
        label=_("Milestones done"),
        coerce=int,
        required=False,  # none chosen is refused by the service, which says why
        widget=forms.CheckboxSelectMultiple,
    )

    def __init__(self, *args, milestones: list[Milestone], suggested: dict[int, str], **kwargs):
        super().__init__(*args, **kwargs)
        self.milestones = milestones
        self.fields["close"].choices = [(m.pk, str(m)) for m in milestones]
        self.fields["close"].initial = [m.pk for m in milestones]
        for m in milestones:
            if needs_period(m):
                self.fields[f"period_{m.pk}"] = forms.CharField(
                    label=_("Period covered"),
                    max_length=PERIOD_MAX_CHARS,
                    required=False,  # needed only when the milestone is ticked
                    initial=suggested.get(m.pk, ""),
                    widget=forms.TextInput(attrs={"placeholder": _("e.g. Quý IV/2026")}),
                )

    def rows(self) -> list[tuple[Milestone, bool, forms.BoundField | None]]:
        """(milestone, ticked, its period field or None) in the milestones' order."""
        ticked = {str(v) for v in (self["close"].value() or [])}
        return [
            (m, str(m.pk) in ticked, self[f"period_{m.pk}"] if needs_period(m) else None)
            for m in self.milestones
        ]

    def closings(self) -> list[Closing]:
        chosen = set(self.cleaned_data["close"])
        return [
            Closing(m, self.cleaned_data.get(f"period_{m.pk}", ""))
            for m in self.milestones
            if m.pk in chosen
        ]


class CommentForm(forms.Form):
    text = forms.CharField(label=_("Comment"), widget=forms.Textarea(attrs={"rows": 2}))


class MeasurementForm(forms.Form):
    value = VietnameseDecimalField(label=_("Actual value"), max_digits=18, decimal_places=4)
    period_label = forms.CharField(label=_("Period"), max_length=50)
    source = forms.CharField(label=_("Source"), max_length=300)


class TaskFilterForm(forms.Form):
    q = forms.CharField(label=_("Search"), required=False)
    area = forms.ModelChoiceField(
        label=_("Reform area"), queryset=None, required=False, empty_label=_("All")
    )
    department = forms.ModelChoiceField(
        label=_("Department"), queryset=None, required=False, empty_label=_("All")
    )
    status = forms.ChoiceField(
        label=_("Status"), choices=[("", _("All")), *list(TaskStatus.choices)], required=False
    )
    overdue = forms.BooleanField(label=_("Overdue only"), required=False)
    due_within = forms.IntegerField(label=_("Due within (days)"), min_value=0, required=False)

    def __init__(self, *args, plan: Plan, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["area"].queryset = plan.areas.all()
        self.fields["department"].queryset = plan.unit.departments.filter(is_active=True)


class CommuneFilterForm(forms.Form):
    """The filters of a list across the communes a province follows. The commune is offered only
    among `communes`; a value that cannot be read is left out (and named in `ignored`) while the
    other filters still apply."""

    commune = forms.TypedChoiceField(
        label=_("Commune or ward"), coerce=int, required=False, empty_value=None
    )

    def __init__(
        self, data: Mapping[str, Any] | None = None, *, communes: list[Unit], **kwargs: Any
    ) -> None:
        super().__init__(data if data is not None else {}, **kwargs)
        self.fields["commune"].choices = [("", _("All")), *((u.pk, u.full_name) for u in communes)]

    def chosen(self) -> dict[str, Any]:
        """Every filter's value, None for one left empty or not understood."""
        self.is_valid()
        return {name: self.cleaned_data.get(name) or None for name in self.fields}

    @property
    def ignored(self) -> list[str]:
        """Each filter that could not be read, as "field: reason"."""
        return [
            f"{self.fields[name].label}: {' '.join(errors)}"
            for name, errors in self.errors.items()
            if name in self.fields
        ]


class ProvincePlanFilterForm(CommuneFilterForm):
    year = forms.IntegerField(label=_("Year"), min_value=1990, max_value=2100, required=False)
    status = forms.ChoiceField(
        label=_("Status"), choices=[("", _("All")), *PlanStatus.choices], required=False
    )
