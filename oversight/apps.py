from django.utils.translation import gettext_lazy as _

import core.history


class OversightConfig(core.history.DomainConfig):
    name = "oversight"
    label = "oversight"
    verbose_name = _("Province oversight")
