"""The conclusion notice as PDF, and no PDF button where LibreOffice is not installed."""

from __future__ import annotations

import io
import unicodedata

import pdfplumber
import pytest
from django.urls import reverse

from core import pdf
from inspections.tests.conftest import inspection_plan, round_  # noqa: F401
from org.models import Role
from plans.tests.conftest import frozen_today  # noqa: F401


@pytest.mark.skipif(not pdf.pdf_available(), reason="LibreOffice is not installed")
def test_the_conclusion_notice_as_pdf(client, world, round_):  # noqa: F811
    client.force_login(world.people[Role.FOCAL])
    page = client.get(reverse("inspection_round_detail", args=[round_.pk])).content.decode()
    url = reverse("inspection_conclusion_pdf", args=[round_.pk])
    assert url in page
    response = client.get(url)
    assert response.status_code == 200 and response["Content-Type"] == "application/pdf"
    assert f'filename="ket-luan-kiem-tra-{round_.pk}.pdf"' in response["Content-Disposition"]
    with pdfplumber.open(io.BytesIO(response.content)) as document:
        text = unicodedata.normalize("NFC", document.pages[0].extract_text())
    assert "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM" in text
    assert "THÔNG BÁO" in text and "kiểm tra" in text.lower()
    client.force_login(world.people["other_focal"])
    assert client.get(url).status_code == 404


def test_no_pdf_button_without_libreoffice(client, world, round_, monkeypatch):  # noqa: F811
    monkeypatch.setattr(pdf.shutil, "which", lambda name: None)
    client.force_login(world.people[Role.FOCAL])
    page = client.get(reverse("inspection_round_detail", args=[round_.pk])).content.decode()
    url = reverse("inspection_conclusion_pdf", args=[round_.pk])
    assert url not in page and "data-pdf" not in page
    assert client.get(url).status_code == 404
