from django.urls import path

from inspections import views

urlpatterns = [
    path("", views.home, name="inspection_home"),
    path("plans/new/", views.plan_create, name="inspection_plan_create"),
    path("plans/import/", views.plan_import, name="inspection_plan_import"),
    path("plans/<int:pk>/", views.plan_detail, name="inspection_plan_detail"),
    path("plans/<int:pk>/edit/", views.plan_edit, name="inspection_plan_edit"),
    path("plans/<int:pk>/rounds/new/", views.round_create, name="inspection_round_create"),
    path("plans/<int:pk>/target/", views.plan_target, name="inspection_plan_target"),
    path("plans/<int:pk>/summary/", views.plan_summary, name="inspection_summary"),
    path("rounds/<int:pk>/", views.round_detail, name="inspection_round_detail"),
    path("rounds/<int:pk>/update/", views.round_update, name="inspection_round_update"),
    path("rounds/<int:pk>/delete/", views.round_delete, name="inspection_round_delete"),
    path("rounds/<int:pk>/team/", views.team_add, name="inspection_team_add"),
    path("rounds/<int:pk>/departments/", views.subject_add, name="inspection_subject_add"),
    path("rounds/<int:pk>/findings/new/", views.finding_create, name="finding_create"),
    path(
        "rounds/<int:pk>/conclusion.docx",
        views.conclusion_document,
        name="inspection_conclusion",
    ),
    path(
        "rounds/<int:pk>/conclusion.pdf",
        views.conclusion_pdf,
        name="inspection_conclusion_pdf",
    ),
    path("self-checks/<int:pk>/", views.subject_detail, name="inspection_subject_detail"),
    path("files/<int:pk>/", views.attachment_download, name="inspection_attachment"),
    path("findings/", views.finding_list, name="finding_list"),
    path("findings/<int:pk>/", views.finding_detail, name="finding_detail"),
    path("findings/<int:pk>/edit/", views.finding_edit, name="finding_edit"),
    path("findings/<int:pk>/respond/", views.finding_respond, name="finding_respond"),
    path("findings/<int:pk>/<str:action>/", views.finding_action, name="finding_action"),
    path("departments/<int:pk>/", views.department_view, name="inspection_department"),
]
