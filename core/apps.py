from django.apps import AppConfig


class CoreConfig(AppConfig):
    """The ground floor: what every app needs and no domain owns. It has no tables."""

    name = "core"
    verbose_name = "CCHC core"
