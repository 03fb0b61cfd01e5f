from django.utils.translation import gettext_lazy as _

import core.history


class ProvinceRequestsConfig(core.history.DomainConfig):
    name = "province_requests"
    label = "province_requests"
    verbose_name = _("Requests to communes")
    history = ("ProvinceRequest", "Recipient", "RequestFile")
