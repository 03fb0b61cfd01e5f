from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ScoringConfig(AppConfig):
    default_auto_field = "django.db.models.BigAutoField"
    name = "scoring"
    verbose_name = _("PAR-index scoring")

    def ready(self) -> None:
        from auditlog.registry import auditlog

        from scoring import models as m

        auditlog.register(m.Framework)
        auditlog.register(m.CriteriaSet)
        auditlog.register(m.Criterion, exclude_fields=["sort", "depth", "is_leaf"])
        auditlog.register(m.Assignment, m2m_fields={"people"})
        auditlog.register(m.Period)
        auditlog.register(
            m.Assessment,
            exclude_fields=[
                "self_points",
                "points",
                "survey_points",
                "bonus_points",
                "penalty_points",
                "index",
                "area_points",
            ],
        )
        auditlog.register(m.DepartmentSubmission)
        auditlog.register(m.Extension)
        # Every change of a self-score, appraised score or final score is kept here.
        auditlog.register(m.Score, exclude_fields=["updated_at"])
        auditlog.register(m.ScoreEvidence)
