from django.contrib import admin

from surveys import models


@admin.register(models.Questionnaire)
class QuestionnaireAdmin(admin.ModelAdmin):
    list_display = ["title", "unit"]
    list_filter = ["unit"]


@admin.register(models.Campaign)
class CampaignAdmin(admin.ModelAdmin):
    list_display = ["title", "unit", "starts_on", "ends_on", "closed"]
    list_filter = ["unit", "closed"]
    readonly_fields = ["token", "kiosk_token"]
