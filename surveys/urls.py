from django.urls import path

from surveys import views

urlpatterns = [
    path("", views.home, name="survey_home"),
    path("questionnaires/new/", views.questionnaire_create, name="survey_questionnaire_create"),
    path(
        "questionnaires/example/", views.questionnaire_default, name="survey_questionnaire_default"
    ),
    path("questionnaires/<int:pk>/", views.questionnaire_detail, name="survey_questionnaire"),
    path("campaigns/new/", views.campaign_create, name="survey_campaign_create"),
    path("campaigns/<int:pk>/", views.campaign_detail, name="survey_campaign"),
    path("campaigns/<int:pk>/edit/", views.campaign_edit, name="survey_campaign_edit"),
    path("campaigns/<int:pk>/close/", views.campaign_close, name="survey_campaign_close"),
    path("campaigns/<int:pk>/answers/", views.campaign_responses, name="survey_responses"),
    path("campaigns/<int:pk>/comments/", views.campaign_texts, name="survey_texts"),
    path("campaigns/<int:pk>/export.xlsx", views.campaign_export, name="survey_export"),
    path("campaigns/<int:pk>/poster.pdf", views.campaign_poster, name="survey_poster"),
    path("campaigns/<int:pk>/paper/", views.campaign_paper, name="survey_paper"),
]
