from django.utils.translation import gettext_lazy as _

import core.history


class ScoringConfig(core.history.DomainConfig):
    name = "scoring"
    verbose_name = _("PAR-index scoring")
    history = (
        "Framework",
        "CriteriaSet",
        "Criterion",
        "Assignment",
        "Period",
        "Assessment",
        "DepartmentSubmission",
        "Extension",
        "Score",
        "ScoreEvidence",
    )
    history_options = {
        "Criterion": {"exclude_fields": ["sort", "depth", "is_leaf"]},
        "Assignment": {"m2m_fields": {"people"}},
        # Totals are worked out again from the scores, which are kept themselves.
        "Assessment": {
            "exclude_fields": [
                "self_points",
                "points",
                "survey_points",
                "bonus_points",
                "penalty_points",
                "index",
                "area_points",
            ]
        },
        # Every change of a self-score, appraised score or final score is kept.
        "Score": {"exclude_fields": ["updated_at"]},
    }
