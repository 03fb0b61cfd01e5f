"""The initiatives register, under /surveys/initiatives/ where it has always been."""

from django.urls import path

from initiatives import views

urlpatterns = [
    path("", views.initiative_list, name="initiative_list"),
    path("new/", views.initiative_create, name="initiative_create"),
    path("goal/", views.initiative_goal, name="initiative_goal"),
    path("<int:pk>/", views.initiative_detail, name="initiative_detail"),
    path("<int:pk>/edit/", views.initiative_edit, name="initiative_edit"),
    path("documents/<int:pk>/", views.initiative_document, name="initiative_document"),
]
