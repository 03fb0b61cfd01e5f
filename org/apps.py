from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class OrgConfig(AppConfig):
    default_auto_field = "django.db.models.BigAutoField"
    name = "org"
    verbose_name = _("Organisation")

    def ready(self) -> None:
        from auditlog.registry import auditlog

        from org.models import Department, RoleGrant, Unit, User

        auditlog.register(Unit, exclude_fields=["search_text", "province", "level"])
        auditlog.register(Department, exclude_fields=["search_text", "name_key"])
        auditlog.register(User, exclude_fields=["password", "last_login", "search_text"])
        auditlog.register(RoleGrant)
