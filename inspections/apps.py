from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class InspectionsConfig(AppConfig):
    default_auto_field = "django.db.models.BigAutoField"
    name = "inspections"
    verbose_name = _("Inspections")

    def ready(self) -> None:
        from auditlog.registry import auditlog

        from inspections import models as m

        auditlog.register(m.InspectionPlan, exclude_fields=["updated_at"])
        auditlog.register(m.ChecklistArea)
        auditlog.register(m.ChecklistItem)
        auditlog.register(m.Round)
        auditlog.register(m.TeamMember)
        auditlog.register(m.Subject, m2m_fields={"areas"})
        auditlog.register(m.Answer, exclude_fields=["updated_at"])
        auditlog.register(m.Finding, exclude_fields=["updated_at"])
        auditlog.register(m.FindingEvent)
        auditlog.register(m.Attachment)
