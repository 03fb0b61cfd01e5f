"""Generated documents as PDF: the report (draft and approved), the plan, and the PDF button
only where LibreOffice is installed."""

from __future__ import annotations

import io
import unicodedata

import pdfplumber
import pytest
from django.urls import reverse

from core import pdf
from org.models import Role
from org.tests.conftest import login
from reports import documents, services
from reports.models import Report, ReportFile, ReportStatus

pytestmark = pytest.mark.skipif(not pdf.pdf_available(), reason="LibreOffice is not installed")


def pdf_text(content: bytes) -> str:
    assert content.startswith(b"%PDF-")
    with pdfplumber.open(io.BytesIO(content)) as document:
        text = "\n".join(page.extract_text() or "" for page in document.pages)
    return unicodedata.normalize("NFC", text)


def test_a_draft_report_as_pdf_reads_in_vietnamese(client, world, period):
    services.assemble_report(period)
    response = login(client, world, Role.FOCAL).get(reverse("report_pdf", args=[period.pk]))
    assert response.status_code == 200
    assert response["Content-Type"] == "application/pdf"
    assert 'filename="bao-cao-cchc-' in response["Content-Disposition"]
    assert "-du-thao.pdf" in response["Content-Disposition"]
    text = pdf_text(response.content)
    assert "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM" in text
    assert "Độc lập - Tự do - Hạnh phúc" in text
    assert "DỰ THẢO" in text and "PHƯỜNG THÀNH ĐÔNG" in text
    # a draft is converted each time, never kept
    assert not ReportFile.objects.filter(kind="pdf").exists()


def test_an_approved_report_pdf_is_made_from_the_kept_docx_and_kept(client, world, period):
    focal = world.people[Role.FOCAL]
    for contribution in services.open_contributions(period):
        services.submit_contribution(contribution, focal, confirm_empty_areas=True)
        services.review_contribution(contribution, focal, accept=True)
    report = services.assemble_report(period, focal)
    report.number = "15"
    report.save()
    login(client, world, Role.LEADER).post(
        reverse("report_edit", args=[period.pk]), {"action": "approve"}
    )
    report.refresh_from_db()
    assert report.status == ReportStatus.APPROVED
    # the wording changes after approval: the approved PDF does not
    section = report.sections.order_by("order").first()
    section.text = "Đoạn văn viết thêm sau khi phê duyệt"
    section.save()
    url = reverse("report_pdf", args=[period.pk])
    first = client.get(url)
    assert first.status_code == 200 and first["Content-Disposition"].endswith('.pdf"')
    text = pdf_text(first.content)
    assert "Số: 15/BC-UBND" in text
    assert "Đoạn văn viết thêm" not in text and "DỰ THẢO" not in text
    kept = ReportFile.objects.get(report=report, kind="pdf")
    with kept.file.open("rb") as stream:
        assert stream.read() == first.content
    # the second download is the kept file, not a new conversion
    assert client.get(url).content == first.content
    # returned to draft, the kept documents go, the PDF with them
    documents.thaw(Report.objects.get(pk=report.pk))
    assert not ReportFile.objects.filter(report=report).exists()


def test_the_plan_as_pdf(client, world, plan):
    response = login(client, world, Role.OFFICER).get(reverse("report_plan_pdf", args=[plan.pk]))
    assert response.status_code == 200
    text = pdf_text(response.content)
    assert "KẾ HOẠCH" in text
    first_task = plan.tasks.order_by("area__order", "order", "pk").first()
    assert " ".join(first_task.content.split()[:3]) in " ".join(text.split())


def test_another_commune_gets_no_pdf(client, world, period, plan):
    services.assemble_report(period)
    client = login(client, world, "other_focal")
    assert client.get(reverse("report_pdf", args=[period.pk])).status_code == 404
    assert client.get(reverse("report_plan_pdf", args=[plan.pk])).status_code == 404


def test_no_pdf_button_nor_url_without_libreoffice(client, world, period, plan, monkeypatch):
    services.assemble_report(period)
    client = login(client, world, Role.FOCAL)
    page = client.get(reverse("report_edit", args=[period.pk])).content.decode()
    assert reverse("report_pdf", args=[period.pk]) in page
    assert (
        reverse("report_plan_pdf", args=[plan.pk])
        in client.get(reverse("plan_detail", args=[plan.pk])).content.decode()
    )

    monkeypatch.setattr(pdf.shutil, "which", lambda name: None)
    for url, pdf_url in (
        (reverse("report_edit", args=[period.pk]), reverse("report_pdf", args=[period.pk])),
        (reverse("report_period", args=[period.pk]), reverse("report_pdf", args=[period.pk])),
        (reverse("plan_detail", args=[plan.pk]), reverse("report_plan_pdf", args=[plan.pk])),
    ):
        page = client.get(url).content.decode()
        assert "data-pdf" not in page and pdf_url not in page
        assert client.get(pdf_url).status_code == 404


def test_a_failed_conversion_says_why(client, world, period, monkeypatch):
    services.assemble_report(period)
    client = login(client, world, Role.FOCAL)

    def broken(*args, **kwargs):
        import subprocess

        raise subprocess.CalledProcessError(1, "soffice")

    monkeypatch.setattr(pdf.subprocess, "run", broken)
    response = client.get(reverse("report_pdf", args=[period.pk]), follow=True)
    assert response.redirect_chain[-1][0] == reverse("report_edit", args=[period.pk])
    messages = [str(m) for m in response.context["messages"]]
    assert any("PDF" in m for m in messages)
