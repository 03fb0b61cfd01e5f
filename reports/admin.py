from django import forms
from django.contrib import admin
from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

from reports import builder
from reports.models import DocumentTemplate


class DocumentTemplateForm(forms.ModelForm):
    class Meta:
        model = DocumentTemplate
        fields = ["key", "text"]
        widgets = {"text": forms.Textarea(attrs={"rows": 30, "cols": 110})}
        help_texts = {
            "text": _(
                "The default wording is shown when a template is added; keep the header lines "
                "(kind, title, subtitle, to, recipients), the line ---, and the {{ … }} fields."
            )
        }

    def clean_text(self):
        text = self.cleaned_data["text"]
        builder.render_text(text, {})  # a syntax error is refused here, not when printing
        return text

    def clean_key(self):
        key = self.cleaned_data["key"]
        if builder.default_template_path(key) is None:
            raise ValidationError(_("There is no document template “%(key)s”.") % {"key": key})
        return key


@admin.register(DocumentTemplate)
class DocumentTemplateAdmin(admin.ModelAdmin):
    form = DocumentTemplateForm
    list_display = ["key", "updated_at"]

    def get_changeform_initial_data(self, request):
        initial = super().get_changeform_initial_data(request)
        key = request.GET.get("key", "cchc_report")
        if builder.default_template_path(key):
            initial.setdefault("key", key)
            initial.setdefault("text", builder.default_template_text(key))
        return initial
