from django.utils.translation import gettext_lazy as _

import core.history


class PlansConfig(core.history.DomainConfig):
    name = "plans"
    verbose_name = _("Plans")
    history = (
        "Plan",
        "ReformArea",
        "Task",
        "TaskPart",
        "Milestone",
        "ProgressUpdate",
        "Evidence",
        "Comment",
        "Target",
        "Measurement",
    )
    history_options = {
        "Plan": {"exclude_fields": ["search_text", "updated_at"]},
        "Task": {
            "exclude_fields": ["search_text", "updated_at", "status", "next_due"],
            "m2m_fields": {"coordinating_departments", "assignees"},
        },
        "TaskPart": {"exclude_fields": ["status", "updated_at"]},
        "Target": {"m2m_fields": {"implementing_departments"}},
    }

    def ready(self) -> None:
        from django.db.models.signals import post_save

        super().ready()
        department = self.apps.get_model("org", "Department")
        post_save.connect(_department_saved, sender=department, dispatch_uid="plans_task_parts")


def _department_saved(sender, instance, created: bool, raw: bool = False, **kwargs) -> None:
    """A department added later gets its part of the unit's open every-department tasks."""
    if created and not raw and instance.is_active:
        from plans.services import add_department_parts

        add_department_parts(instance)
