from django.urls import path

from ingest import views

urlpatterns = [
    path("", views.upload, name="import_upload"),
    path("batches/<int:pk>/", views.batch_page, name="import_batch"),
    path("documents/<int:pk>/", views.review_page, name="import_review"),
]
