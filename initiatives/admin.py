from django.contrib import admin

from initiatives import models


@admin.register(models.Initiative)
class InitiativeAdmin(admin.ModelAdmin):
    list_display = ["title", "unit", "status", "sent_on"]
    list_filter = ["unit", "status"]
