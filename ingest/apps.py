from django.utils.translation import gettext_lazy as _

import core.history


class IngestConfig(core.history.DomainConfig):
    name = "ingest"
    verbose_name = _("Documents in")
