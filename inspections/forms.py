from __future__ import annotations

from django import forms
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from core.files import EVIDENCE_KINDS, allowed_files
from inspections.models import (
    ChecklistArea,
    ChecklistItem,
    ChecklistTemplate,
    Finding,
    InspectionPlan,
    Round,
    RoundKind,
    RoundOrigin,
    Severity,
    SigningCapacity,
    TeamRole,
)
from org.models import Department, User
from plans.forms import DATE_WIDGET, MultipleFileField
from plans.models import Target, Task


class PlanForm(forms.ModelForm):
    template = forms.ModelChoiceField(
        label=_("Checklist"),
        queryset=ChecklistTemplate.objects.none(),
        required=False,
        empty_label=_("(empty: I will write the items)"),
    )

    class Meta:
        model = InspectionPlan
        fields = ["title", "year", "number", "issued_on", "signer", "lead_department"]
        fields += ["self_check_days", "adhoc_contents"]
        widgets = {"issued_on": DATE_WIDGET, "adhoc_contents": forms.Textarea(attrs={"rows": 3})}

    def __init__(self, *args, unit, templates, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["lead_department"].queryset = Department.objects.filter(
            unit=unit, is_active=True
        )
        if self.instance.pk:
            del self.fields["template"]
        else:
            self.fields["template"].queryset = templates
            self.fields["template"].initial = templates.filter(is_default=True).first()


class ImportForm(forms.Form):
    file = forms.FileField(
        label=_("Inspection plan document"),
        help_text=_(".docx, .pdf, .txt or .xlsx, as issued"),
    )


class TargetLinkForm(forms.Form):
    cchc_plan_target = forms.ModelChoiceField(
        label=_("Plan target fed with the share remediated on time"),
        queryset=Target.objects.none(),
        required=False,
    )

    def __init__(self, *args, unit, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["cchc_plan_target"].queryset = Target.objects.filter(
            plan__unit=unit
        ).select_related("plan")


class RoundForm(forms.Form):
    kind = forms.ChoiceField(label=_("Kind"), choices=RoundKind.choices)
    name = forms.CharField(label=_("Name"), max_length=300)
    start = forms.DateField(label=_("From"), widget=DATE_WIDGET)
    end = forms.DateField(label=_("To"), widget=DATE_WIDGET)
    origin = forms.ChoiceField(
        label=_("Ad hoc: started by"),
        choices=[c for c in RoundOrigin.choices if c[0] != RoundOrigin.PLAN],
        required=False,
    )
    origin_text = forms.CharField(
        label=_("Ad hoc: the complaint or concern"),
        widget=forms.Textarea(attrs={"rows": 2}),
        required=False,
    )
    self_check_days = forms.IntegerField(
        label=_("Self-check due (days before the round)"),
        min_value=0,
        max_value=60,
        required=False,
        help_text=_("Empty: as the plan says."),
    )
    late_self_check_ok = forms.BooleanField(
        label=_("I know the self-check due date has passed"), required=False
    )


class NoticeForm(forms.Form):
    """The conclusion: the team's assessment and what the notice says of itself."""

    assessment = forms.CharField(
        label=_("Overall assessment"), widget=forms.Textarea(attrs={"rows": 4}), required=False
    )
    conclusion_number = forms.CharField(
        label=_("Conclusion notice number"),
        max_length=50,
        required=False,
        help_text=_("The number alone, e.g. 125: the notice prints “Số: 125/TB-UBND”."),
    )
    notice_on = forms.DateField(label=_("Notice dated"), widget=DATE_WIDGET, required=False)
    signer = forms.ModelChoiceField(
        label=_("Signed by"),
        queryset=User.objects.none(),
        required=False,
        empty_label=_("(left blank: the name is written by hand)"),
    )
    signer_capacity = forms.ChoiceField(
        label=_("Signing as"),
        choices=[("", _("As the signer's position says")), *SigningCapacity.choices],
        required=False,
    )

    def __init__(self, *args, signers, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["signer"].queryset = User.objects.filter(pk__in=[p.pk for p in signers])
        self.fields["signer"].label_from_instance = lambda u: (
            f"{u.full_name or u.username}{' – ' + u.position if u.position else ''}"
        )


class TeamMemberForm(forms.Form):
    role = forms.ChoiceField(label=_("Role"), choices=TeamRole.choices)
    user = forms.ModelChoiceField(
        label=_("Person of the unit"), queryset=User.objects.none(), required=False
    )
    name = forms.CharField(label=_("Or a guest: name"), max_length=150, required=False)
    position = forms.CharField(label=_("Position"), max_length=200, required=False)
    organisation = forms.CharField(label=_("Organisation"), max_length=200, required=False)

    def __init__(self, *args, unit, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["user"].queryset = User.objects.filter(unit=unit, is_active=True)


class SubjectForm(forms.Form):
    department = forms.ModelChoiceField(label=_("Department"), queryset=Department.objects.none())
    person = forms.ModelChoiceField(
        label=_("Person in charge"), queryset=User.objects.none(), required=False
    )
    areas = forms.ModelMultipleChoiceField(
        label=_("Areas it answers for"),
        queryset=None,
        required=False,
        widget=forms.CheckboxSelectMultiple,
        help_text=_("None chosen: every area."),
    )

    def __init__(self, *args, plan: InspectionPlan, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["department"].queryset = Department.objects.filter(
            unit=plan.unit, is_active=True
        )
        self.fields["person"].queryset = User.objects.filter(unit=plan.unit, is_active=True)
        self.fields["areas"].queryset = plan.areas.all()


class FindingForm(forms.Form):
    department = forms.ModelChoiceField(
        label=_("Inspected department"), queryset=Department.objects.none()
    )
    item = forms.ModelChoiceField(
        label=_("Checklist item"), queryset=ChecklistItem.objects.none(), required=False
    )
    description = forms.CharField(
        label=_("Shortcoming found"), widget=forms.Textarea(attrs={"rows": 3})
    )
    severity = forms.ChoiceField(label=_("Severity"), choices=Severity.choices)
    recommendation = forms.CharField(
        label=_("Recommendation"), widget=forms.Textarea(attrs={"rows": 2}), required=False
    )
    responsible_department = forms.ModelChoiceField(
        label=_("Responsible department"), queryset=Department.objects.none(), required=False
    )
    responsible_person = forms.ModelChoiceField(
        label=_("Responsible person"), queryset=User.objects.none(), required=False
    )
    deadline = forms.DateField(label=_("Fix by"), widget=DATE_WIDGET, required=False)
    task = forms.ModelChoiceField(
        label=_("Plan task concerned"), queryset=Task.objects.none(), required=False
    )
    criterion_code = forms.CharField(
        label=_("Scoring criterion code"),
        max_length=30,
        required=False,
        help_text=_("As the PAR-index framework numbers it, e.g. 3.1.2."),
    )

    def __init__(self, *args, round_: Round, current: Finding | None = None, **kwargs):
        super().__init__(*args, **kwargs)
        plan = round_.plan
        # Only what was inspected in this round: its departments, and the checklist items of
        # the areas they answer for (the finding's own choices kept when it is edited).
        inspected = Department.objects.filter(inspections__round=round_)
        keep = Q(pk=current.department_id) if current else Q(pk__in=[])
        self.fields["department"].queryset = Department.objects.filter(
            Q(pk__in=inspected) | keep
        ).order_by("order", "name")
        self.fields["responsible_department"].queryset = Department.objects.filter(
            unit=plan.unit, is_active=True
        )
        self.fields["responsible_person"].queryset = User.objects.filter(
            unit=plan.unit, is_active=True
        )
        areas = ChecklistArea.objects.filter(subjects__round=round_)
        keep_item = Q(pk=current.item_id) if current and current.item_id else Q(pk__in=[])
        self.fields["item"].queryset = (
            ChecklistItem.objects.filter(Q(area__in=areas) | keep_item)
            .select_related("area")
            .distinct()
        )
        self.fields["item"].label_from_instance = lambda i: f"{i.code} {shorten(i.text, 150)}"
        self.fields["task"].queryset = Task.objects.filter(plan__unit=plan.unit).select_related(
            "area"
        )
        self.fields["task"].label_from_instance = lambda t: shorten(str(t), 150)
        for name in (
            "responsible_department",
            "deadline",
        ):  # required by the rules, checked on saving
            self.fields[name].required_mark = True


def shorten(text: str, limit: int) -> str:
    """One line of at most `limit` characters, cut at a word boundary with "…"."""
    text = " ".join(text.split())
    if len(text) <= limit:
        return text
    cut = text[: limit - 1].rsplit(" ", 1)[0].rstrip(" ,;:.–-")
    return f"{cut}…"


class ResponseForm(forms.Form):
    text = forms.CharField(label=_("What was done"), widget=forms.Textarea(attrs={"rows": 3}))
    files = MultipleFileField(label=_("Evidence files"), required=False)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        allowed = allowed_files(EVIDENCE_KINDS)
        self.fields["files"].widget.attrs["accept"] = allowed.accept
        self.fields["files"].help_text = _(
            "Accepted files: %(types)s; at most %(size)s MB each."
        ) % {"types": allowed.extensions, "size": allowed.max_mb}


class TeamActionForm(forms.Form):
    text = forms.CharField(
        label=_("Comment"), widget=forms.Textarea(attrs={"rows": 2}), required=False
    )
