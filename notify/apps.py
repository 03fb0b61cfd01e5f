from django.utils.translation import gettext_lazy as _

import core.history


class NotifyConfig(core.history.DomainConfig):
    name = "notify"
    verbose_name = _("Reminders")
