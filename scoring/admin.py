"""Administration of frameworks and periods (criteria themselves come from the template)."""

from django.contrib import admin

from scoring import models


class PeriodInline(admin.TabularInline):
    model = models.Period
    extra = 0


class SetInline(admin.TabularInline):
    model = models.CriteriaSet
    extra = 0


@admin.register(models.Framework)
class FrameworkAdmin(admin.ModelAdmin):
    list_display = ["name", "province", "year", "decision_number", "status", "is_sample"]
    list_filter = ["year", "status"]
    inlines = [SetInline, PeriodInline]


@admin.register(models.Assessment)
class AssessmentAdmin(admin.ModelAdmin):
    list_display = ["unit", "period", "status", "index"]
    list_filter = ["status"]
    readonly_fields = ["self_points", "points", "survey_points", "bonus_points",
                       "penalty_points", "index"]  # fmt: skip
    raw_id_fields = ["unit", "period", "criteria_set", "approved_by", "submitted_by"]
