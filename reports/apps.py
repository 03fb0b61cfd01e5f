from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ReportsConfig(AppConfig):
    default_auto_field = "django.db.models.BigAutoField"
    name = "reports"
    verbose_name = _("Reports")

    def ready(self) -> None:
        from auditlog.registry import auditlog

        from reports import models as m

        for model in (
            m.Contribution,
            m.ContributionSection,
            m.Report,
            m.ReportSection,
            m.ReportFile,
            m.ReportingPeriod,
            m.DocumentTemplate,
        ):
            auditlog.register(model)
