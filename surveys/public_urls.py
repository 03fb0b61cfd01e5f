"""The pages respondents open without an account (nothing but the questionnaire)."""

from django.urls import path

from surveys import public_views

urlpatterns = [
    path("k/<str:token>/", public_views.kiosk, name="survey_kiosk"),
    path("k/<str:token>/thanks/", public_views.kiosk_thanks, name="survey_kiosk_thanks"),
    path("<str:token>/", public_views.answer, name="survey_answer"),
    path("<str:token>/thanks/", public_views.thanks, name="survey_thanks"),
]
