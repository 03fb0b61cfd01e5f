from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class PlansConfig(AppConfig):
    default_auto_field = "django.db.models.BigAutoField"
    name = "plans"
    verbose_name = _("Plans")

    def ready(self) -> None:
        from auditlog.registry import auditlog
        from django.db.models.signals import post_save

        from org.models import Department
        from plans import models as m

        auditlog.register(m.Plan, exclude_fields=["search_text", "updated_at"])
        auditlog.register(m.ReformArea)
        auditlog.register(
            m.Task,
            exclude_fields=["search_text", "updated_at", "status", "next_due"],
            m2m_fields={"coordinating_departments", "assignees"},
        )
        auditlog.register(m.TaskPart, exclude_fields=["status", "updated_at"])
        auditlog.register(m.Milestone)
        auditlog.register(m.ProgressUpdate)
        auditlog.register(m.Evidence)
        auditlog.register(m.Comment)
        auditlog.register(m.Target, m2m_fields={"implementing_departments"})
        auditlog.register(m.Measurement)

        post_save.connect(_department_saved, sender=Department, dispatch_uid="plans_task_parts")


def _department_saved(sender, instance, created: bool, raw: bool = False, **kwargs) -> None:
    """A department added later gets its part of the unit's open every-department tasks."""
    if created and not raw and instance.is_active:
        from plans.services import add_department_parts

        add_department_parts(instance)
