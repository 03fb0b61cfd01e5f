from django.urls import path

from org import account_views, views

urlpatterns = [
    path("", views.home, name="home"),
    path("start/", views.start, name="start"),
    path("switch-unit/", views.switch_unit, name="switch_unit"),
    path("units/", views.unit_list, name="unit_list"),
    path("units/import/", views.unit_import, name="unit_import"),
    path("units/import/template.xlsx", views.unit_import_template, name="unit_import_template"),
    path("units/<str:code>/", views.unit_detail, name="unit_detail"),
    path("units/<str:code>/departments/new/", views.department_create, name="department_create"),
    path(
        "units/<str:code>/departments/import/",
        views.department_import,
        name="department_import",
    ),
    path("units/<str:code>/people/new/", views.person_create, name="person_create"),
    path("departments/", views.department_list, name="department_list"),
    path(
        "departments/import/template.xlsx",
        views.department_import_template,
        name="department_import_template",
    ),
    path("departments/<int:pk>/", views.department_detail, name="department_detail"),
    path("departments/<int:pk>/edit/", views.department_edit, name="department_edit"),
    path("people/", views.person_list, name="person_list"),
    path("people/<int:pk>/", views.person_detail, name="person_detail"),
    path("history/<str:model_name>/<int:pk>/", views.history, name="history"),
    # Two-factor sign-in: a person's own page, the steps of signing in, an administrator's reset.
    path("accounts/security/", account_views.security, name="account_security"),
    path("accounts/two-factor/", account_views.verify, name="two_factor_verify"),
    path("accounts/two-factor/set-up/", account_views.enrol, name="two_factor_enrol"),
    path("accounts/two-factor/codes/", account_views.recovery_codes, name="two_factor_codes"),
    path(
        "accounts/two-factor/codes.txt",
        account_views.recovery_codes_txt,
        name="two_factor_codes_txt",
    ),
    path(
        "accounts/two-factor/codes/new/",
        account_views.new_recovery_codes,
        name="two_factor_new_codes",
    ),
    path("accounts/two-factor/off/", account_views.remove, name="two_factor_remove"),
    path(
        "people/<int:pk>/reset-two-factor/",
        account_views.reset_person,
        name="person_reset_two_factor",
    ),
]
