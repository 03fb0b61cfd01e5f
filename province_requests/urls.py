from django.urls import path

from province_requests import views

urlpatterns = [
    path("", views.request_list, name="request_list"),
    path("new/", views.request_create, name="request_create"),
    path("<int:pk>/", views.request_detail, name="request_detail"),
    path("<int:pk>/due/", views.request_move_due, name="request_move_due"),
    path("<int:pk>/withdraw/", views.request_withdraw, name="request_withdraw"),
    path("answers/<int:pk>/", views.request_answer, name="request_answer"),
    path("answers/<int:pk>/return/", views.request_return, name="request_return"),
    path("files/<int:pk>/", views.request_file, name="request_file"),
]
