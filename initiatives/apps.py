from django.utils.translation import gettext_lazy as _

import core.history


class InitiativesConfig(core.history.DomainConfig):
    name = "initiatives"
    label = "initiatives"
    verbose_name = _("Initiatives")
    history = ("Initiative", "InitiativeDocument", "InitiativeGoal")
