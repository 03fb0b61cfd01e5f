"""Plan imports, under /imports/ (cchc/urls.py)."""

from django.urls import path

from plans.imports import views

urlpatterns = [
    path("", views.upload, name="import_upload"),
    path("batches/<int:pk>/", views.batch_page, name="import_batch"),
    path("documents/<int:pk>/", views.review_page, name="import_review"),
]
