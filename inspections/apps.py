from django.utils.translation import gettext_lazy as _

import core.history


class InspectionsConfig(core.history.DomainConfig):
    name = "inspections"
    verbose_name = _("Inspections")
    history = (
        "InspectionPlan",
        "ChecklistArea",
        "ChecklistItem",
        "Round",
        "TeamMember",
        "Subject",
        "Answer",
        "Finding",
        "FindingEvent",
        "Attachment",
    )
    history_options = {
        "InspectionPlan": {"exclude_fields": ["updated_at"]},
        "Subject": {"m2m_fields": {"areas"}},
        "Answer": {"exclude_fields": ["updated_at"]},
        "Finding": {"exclude_fields": ["updated_at"]},
    }
