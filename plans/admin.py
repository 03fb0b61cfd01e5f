from django.contrib import admin

from plans import models


class AreaInline(admin.TabularInline):
    model = models.ReformArea
    extra = 0


@admin.register(models.Plan)
class PlanAdmin(admin.ModelAdmin):
    list_display = ["title", "unit", "kind", "number", "period_start", "period_end", "status"]
    list_filter = ["kind", "status"]
    search_fields = ["title", "number"]
    inlines = [AreaInline]


@admin.register(models.Task)
class TaskAdmin(admin.ModelAdmin):
    list_display = ["__str__", "plan", "lead_department", "status", "next_due"]
    list_filter = ["status"]
    search_fields = ["content"]
    raw_id_fields = ["plan", "area", "lead_department"]


@admin.register(models.Target)
class TargetAdmin(admin.ModelAdmin):
    list_display = ["__str__", "plan", "comparator", "value", "unit_label"]
