from django.urls import path

from scoring import views

urlpatterns = [
    path("", views.home, name="scoring_home"),
    path("frameworks/<int:pk>/", views.framework_detail, name="scoring_framework"),
    path(
        "frameworks/<int:pk>/export.xlsx", views.framework_export, name="scoring_framework_export"
    ),
    path("frameworks/<int:pk>/import/", views.framework_import, name="scoring_framework_import"),
    path("frameworks/<int:pk>/copy/", views.framework_copy, name="scoring_framework_copy"),
    path("frameworks/<int:pk>/assign/", views.assignments, name="scoring_assignments"),
    path("periods/<int:pk>/open/", views.open_assessment, name="scoring_open"),
    path("periods/<int:pk>/ranking/", views.ranking, name="scoring_ranking"),
    path("periods/<int:pk>/ranking.xlsx", views.ranking_export, name="scoring_ranking_export"),
    path("assessments/<int:pk>/", views.assessment_detail, name="scoring_assessment"),
    path("assessments/<int:pk>/action/", views.assessment_action, name="scoring_action"),
    path("assessments/<int:pk>/results/", views.results, name="scoring_results"),
    path("assessments/<int:pk>/results.xlsx", views.results_export, name="scoring_results_export"),
    path("scores/<int:pk>/", views.score_detail, name="scoring_score"),
    path("evidence/<int:pk>/", views.evidence_download, name="scoring_evidence"),
    path("assessments/<int:pk>/grid/", views.score_grid, name="scoring_grid"),
    path("scores/<int:pk>/row/", views.score_row, name="scoring_score_row"),
]
