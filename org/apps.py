from django.utils.translation import gettext_lazy as _

import core.history


class OrgConfig(core.history.DomainConfig):
    name = "org"
    verbose_name = _("Organisation")
    history = ("Unit", "Department", "User", "RoleGrant")
    history_options = {
        "Unit": {"exclude_fields": ["search_text", "province", "level"]},
        "Department": {"exclude_fields": ["search_text", "name_key"]},
        "User": {"exclude_fields": ["password", "last_login", "search_text"]},
    }
