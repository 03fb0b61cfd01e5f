from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class InitiativesConfig(AppConfig):
    default_auto_field = "django.db.models.BigAutoField"
    name = "initiatives"
    label = "initiatives"
    verbose_name = _("Initiatives")

    def ready(self) -> None:
        from auditlog.registry import auditlog

        from initiatives import models as m

        auditlog.register(m.Initiative)
        auditlog.register(m.InitiativeDocument)
        auditlog.register(m.InitiativeGoal)
