from django.contrib import admin
from django.contrib.auth import views as auth_views
from django.urls import include, path

from cchc.api import api
from core.views import favicon
from org.forms import LoginForm
from org.views import healthz

urlpatterns = [
    path(
        "accounts/login/",
        auth_views.LoginView.as_view(
            authentication_form=LoginForm, redirect_authenticated_user=True
        ),
        name="login",
    ),
    path("accounts/", include("django.contrib.auth.urls")),
    path("i18n/", include("django.conf.urls.i18n")),
    path("admin/", admin.site.urls),
    path("api/", api.urls),
    path("healthz", healthz, name="healthz"),
    path("favicon.ico", favicon, name="favicon"),
    path("plans/", include("plans.urls")),
    path("imports/", include("plans.imports.urls")),
    path("reminders/", include("notify.urls")),
    path("reports/", include("reports.urls")),
    path("scoring/", include("scoring.urls")),
    path("inspections/", include("inspections.urls")),
    path("oversight/", include("oversight.urls")),
    path("requests/", include("province_requests.urls")),
    path("surveys/initiatives/", include("initiatives.urls")),
    path("surveys/", include("surveys.urls")),
    path("s/", include("surveys.public_urls")),
    path("", include("org.urls")),
]
