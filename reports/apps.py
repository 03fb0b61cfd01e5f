from django.utils.translation import gettext_lazy as _

import core.history


class ReportsConfig(core.history.DomainConfig):
    name = "reports"
    verbose_name = _("Reports")
    history = (
        "Contribution",
        "ContributionSection",
        "Report",
        "ReportSection",
        "ReportFile",
        "ReportingPeriod",
        "DocumentTemplate",
    )
