from django.urls import path

from oversight import views

urlpatterns = [
    path("", views.board, name="oversight_board"),
    path("export.xlsx", views.export, name="oversight_export"),
]
