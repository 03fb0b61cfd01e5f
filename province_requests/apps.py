from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ProvinceRequestsConfig(AppConfig):
    default_auto_field = "django.db.models.BigAutoField"
    name = "province_requests"
    label = "province_requests"
    verbose_name = _("Requests to communes")

    def ready(self) -> None:
        from auditlog.registry import auditlog

        from province_requests import models as m

        auditlog.register(m.ProvinceRequest)
        auditlog.register(m.Recipient)
        auditlog.register(m.RequestFile)
