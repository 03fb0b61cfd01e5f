from django.utils.translation import gettext_lazy as _

import core.history


class SurveysConfig(core.history.DomainConfig):
    name = "surveys"
    verbose_name = _("Satisfaction surveys")
    history = ("Questionnaire", "Section", "Question", "Campaign")
    history_options = {"Campaign": {"exclude_fields": ["token", "kiosk_token"]}}
