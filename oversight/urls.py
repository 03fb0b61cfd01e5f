from django.urls import path

from oversight import views

urlpatterns = [
    path("", views.board, name="oversight_board"),
    path("export.xlsx", views.export, name="oversight_export"),
    path("report.docx", views.consolidated_docx, name="oversight_report_docx"),
    path("report.pdf", views.consolidated_pdf, name="oversight_report_pdf"),
    path("ministry/", views.ministry, name="ministry_ranking"),
    path("report.xlsx", views.consolidated_xlsx, name="oversight_report_xlsx"),
]
