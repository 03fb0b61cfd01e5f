from django.urls import path

from reports import views

urlpatterns = [
    path("", views.report_home, name="report_home"),
    path("periods/<int:pk>/", views.report_period, name="report_period"),
    path("periods/<int:pk>/report/", views.report_edit, name="report_edit"),
    path("periods/<int:pk>/report.docx", views.report_docx, name="report_docx"),
    path("periods/<int:pk>/report.pdf", views.report_pdf, name="report_pdf"),
    path("periods/<int:pk>/annex.xlsx", views.report_annex, name="report_annex"),
    path("contributions/<int:pk>/", views.report_contribution, name="report_contribution"),
    path("plans/<int:pk>/document.docx", views.plan_document, name="report_plan_document"),
    path("plans/<int:pk>/document.pdf", views.plan_document_pdf, name="report_plan_pdf"),
]
