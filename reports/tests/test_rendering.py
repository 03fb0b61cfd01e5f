"""The generated report looked at as a person would: LibreOffice prints it, and the first page
is checked for the letterhead side by side, the title, and the closing block."""

from __future__ import annotations

import os
from pathlib import Path

import pdfplumber
import pytest
from django.core.management import call_command
from PIL import Image

from reports import rendering

ROOT = Path(__file__).resolve().parents[2]


@pytest.fixture
def tools():
    if not rendering.tools_available():
        if os.environ.get("CI") == "true":
            pytest.fail("CI=true requires LibreOffice (soffice) and poppler (pdftoppm)")
        pytest.skip("LibreOffice or poppler is not installed")


def _words(pdf: Path, page: int = 0) -> list[dict]:
    with pdfplumber.open(pdf) as document:
        return document.pages[page].extract_words()


def _find(words: list[dict], text: str) -> dict:
    return next(w for w in words if w["text"] == text)


def test_the_yearly_report_prints_in_the_administrative_layout(tools, db, tmp_path):
    call_command("load_demo", "--quiet")
    out = tmp_path / "bao-cao-nam.docx"
    call_command("build_report", "--unit", "31-THANHDONG", "--period", "2026", "--out", str(out))
    pdf = rendering.docx_to_pdf(out.read_bytes(), tmp_path, "bao-cao-nam")
    assert rendering.pdf_pages(pdf) >= 2

    with pdfplumber.open(pdf) as document:
        first = document.pages[0]
        assert round(first.width / 72 * 25.4) == 210 and round(first.height / 72 * 25.4) == 297
        text = first.extract_text()
    for expected in (
        "ỦY BAN NHÂN DÂN",
        "PHƯỜNG THÀNH ĐÔNG",
        "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM",
        "Độc lập - Tự do - Hạnh phúc",
        "/BC-UBND",
        "BÁO CÁO",
        "Kính gửi: Sở Nội vụ thành phố Hải Phòng",
        "I. KẾT QUẢ THỰC HIỆN NHIỆM VỤ CẢI CÁCH HÀNH CHÍNH",
    ):
        assert expected in text, expected

    # unit name on the left, the national motto on the right, on the same line
    words = _words(pdf)
    unit, motto = _find(words, "ỦY"), _find(words, "CỘNG")
    assert unit["x0"] < 200 < motto["x0"]
    assert abs(unit["top"] - motto["top"]) < 4
    # left margin of 30 mm: no text starts left of it
    assert min(w["x0"] for w in words) >= 30 / 25.4 * 72 - 2

    # the closing block sits on the last page: "Nơi nhận:" left, the signature right
    with pdfplumber.open(pdf) as document:
        last = document.pages[-1]
        words = last.extract_words()
    received, capacity = _find(words, "Nơi"), _find(words, "TM.")
    assert received["x0"] < 200 < capacity["x0"]

    # and the page as an image: ink at the top-left (letterhead) and the top-right (motto)
    png = rendering.pdf_to_png(pdf, 1, dpi=60)
    shown = ROOT / "test-output" / "report-first-page.png"
    shown.parent.mkdir(exist_ok=True)
    shown.write_bytes(png.read_bytes())
    image = Image.open(png).convert("L")
    width, height = image.size

    def ink(box):
        region = image.crop(box)
        dark = sum(region.histogram()[:128])
        return dark / (region.size[0] * region.size[1])

    top = int(height * 0.12)
    assert ink((int(width * 0.14), 0, int(width * 0.45), top)) > 0.01
    assert ink((int(width * 0.5), 0, int(width * 0.95), top)) > 0.01
    assert ink((0, 0, int(width * 0.1), height)) < 0.001  # the left margin stays white
