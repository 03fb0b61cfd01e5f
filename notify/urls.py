from django.urls import path

from notify import views

urlpatterns = [
    path("", views.inbox, name="notify_inbox"),
    path("read/", views.mark_read, name="notify_mark_read"),
    path("settings/", views.preferences, name="notify_preferences"),
    path("work/", views.my_work, name="notify_work"),
]
