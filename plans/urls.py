from django.urls import path

from plans import views

urlpatterns = [
    path("", views.plan_list, name="plan_list"),
    path("new/", views.plan_create, name="plan_create"),
    path("mine/", views.my_tasks, name="my_tasks"),
    path("board/", views.board, name="board"),
    path("calendar/", views.month_calendar, name="calendar"),
    path("dashboard/", views.dashboard, name="dashboard"),
    path("feeds/<str:token>.ics", views.ical_feed, name="ical_feed"),
    path("<int:pk>/", views.plan_detail, name="plan_detail"),
    path("<int:pk>/edit/", views.plan_edit, name="plan_edit"),
    path("<int:pk>/status/", views.plan_move, name="plan_move"),
    path("<int:pk>/roll-over/", views.plan_roll_over, name="plan_roll_over"),
    path("<int:pk>/export.xlsx", views.plan_export, name="plan_export"),
    path("<int:pk>/source/", views.plan_source, name="plan_source"),
    path("<int:pk>/import/", views.plan_import, name="plan_import"),
    path("<int:pk>/tasks/new/", views.task_create, name="task_create"),
    path("<int:pk>/deadline-preview/", views.deadline_preview, name="deadline_preview"),
    path("<int:pk>/targets/new/", views.target_create, name="target_create"),
    path("<int:pk>/targets/measure/", views.target_measure_any, name="target_measure_any"),
    path("tasks/<int:pk>/", views.task_detail, name="task_detail"),
    path("tasks/<int:pk>/edit/", views.task_edit, name="task_edit"),
    path("tasks/<int:pk>/progress/", views.task_progress, name="task_progress"),
    path("tasks/<int:pk>/closing/", views.task_closing, name="task_closing"),
    path("tasks/<int:pk>/comment/", views.task_comment, name="task_comment"),
    path("milestones/<int:pk>/trigger/", views.milestone_trigger, name="milestone_trigger"),
    path("evidence/<int:pk>/", views.evidence_download, name="evidence_download"),
    path("targets/<int:pk>/measure/", views.target_measure, name="target_measure"),
    path("departments/<int:pk>/", views.department_tasks, name="department_tasks"),
]
