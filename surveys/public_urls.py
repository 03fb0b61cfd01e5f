"""The pages respondents open without an account (nothing but the questionnaire)."""

urlpatterns: list = []
