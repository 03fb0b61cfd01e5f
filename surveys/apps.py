from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class SurveysConfig(AppConfig):
    default_auto_field = "django.db.models.BigAutoField"
    name = "surveys"
    verbose_name = _("Satisfaction surveys")

    def ready(self) -> None:
        from auditlog.registry import auditlog

        from surveys import models as m

        auditlog.register(m.Questionnaire)
        auditlog.register(m.Section)
        auditlog.register(m.Question)
        auditlog.register(m.Campaign, exclude_fields=["token", "kiosk_token"])
