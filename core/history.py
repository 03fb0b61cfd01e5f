"""Which models keep a change history: each app names them on its config, registered once here."""

from typing import Any, ClassVar

from django.apps import AppConfig


class DomainConfig(AppConfig):
    """An app of the domain. `history` names its models whose every change django-auditlog keeps
    (who, when, before and after); `history_options` gives a model's register options, such as
    fields too noisy to keep (`exclude_fields`) or links to keep (`m2m_fields`)."""

    default_auto_field = "django.db.models.BigAutoField"
    history: ClassVar[tuple[str, ...]] = ()
    history_options: ClassVar[dict[str, dict[str, Any]]] = {}

    def ready(self) -> None:
        from auditlog.registry import auditlog

        for name in self.history:
            auditlog.register(self.get_model(name), **self.history_options.get(name, {}))
