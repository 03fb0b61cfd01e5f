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
    # the province's frameworks and periods
    path("frameworks/new/", views.framework_new, name="scoring_framework_new"),
    path("frameworks/<int:pk>/edit/", views.framework_edit, name="scoring_framework_edit"),
    path("frameworks/<int:pk>/sets/", views.criteria_set_add, name="scoring_set_add"),
    path("sets/<int:pk>/criteria/new/", views.criterion_new, name="scoring_criterion_new"),
    path("criteria/<int:pk>/edit/", views.criterion_edit, name="scoring_criterion_edit"),
    path("criteria/<int:pk>/rule/", views.criterion_rule, name="scoring_criterion_rule"),
    path("criteria/<int:pk>/delete/", views.criterion_delete, name="scoring_criterion_delete"),
    path("frameworks/<int:pk>/periods/open/", views.period_open, name="scoring_period_open"),
    path("periods/<int:pk>/communes/", views.period_communes, name="scoring_period_communes"),
    path("periods/<int:pk>/close/", views.period_close, name="scoring_period_close"),
    path("periods/<int:pk>/refresh/", views.period_refresh, name="scoring_period_refresh"),
    path("assessments/", views.assessment_list, name="scoring_assessment_list"),
]
