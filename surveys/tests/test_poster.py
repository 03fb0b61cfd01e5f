"""The survey poster prints Vietnamese with the DejaVu Sans kept in the repository."""

from __future__ import annotations

import io
import re
from pathlib import Path

import pdfplumber
from reportlab.pdfbase import pdfmetrics

from surveys import poster

REPOSITORY_FONTS = Path(__file__).resolve().parents[1] / "fonts"
TITLE = "Khảo sát mức độ hài lòng về giải quyết thủ tục hành chính lĩnh vực đất đai"


def _poster() -> bytes:
    return poster.poster_pdf(
        unit_name="Phường Thành Đông",
        title=TITLE,
        url="https://cchc.example.vn/ks/abc123",
        period="01/10/2026 – 31/12/2026",
        field="Đất đai",
        place="Trung tâm Phục vụ hành chính công phường",
    )


def test_the_fonts_are_the_ones_kept_in_the_repository_with_their_licence():
    assert set(poster.FONT_FILES.values()) == {
        REPOSITORY_FONTS / "DejaVuSans.ttf",
        REPOSITORY_FONTS / "DejaVuSans-Bold.ttf",
    }
    for path in poster.FONT_FILES.values():
        assert path.read_bytes()[:4] == b"\x00\x01\x00\x00"  # a TrueType font, not a pointer
    licence = (REPOSITORY_FONTS / "LICENSE.txt").read_text(encoding="utf-8")
    assert "Bitstream Vera Fonts Copyright" in licence and "Arev Fonts Copyright" in licence
    regular, bold = poster._fonts()
    assert Path(pdfmetrics.getFont(regular).face.filename) == REPOSITORY_FONTS / "DejaVuSans.ttf"
    assert Path(pdfmetrics.getFont(bold).face.filename) == REPOSITORY_FONTS / "DejaVuSans-Bold.ttf"


def test_the_poster_embeds_dejavu_and_prints_every_diacritic():
    pdf = _poster()
    embedded = set(re.findall(rb"/BaseFont\s*/[A-Z]{6}\+([\w-]+)", pdf))
    assert embedded == {b"DejaVuSans", b"DejaVuSans-Bold"}
    assert b"/FontFile2" in pdf  # the TrueType program itself is in the file
    with pdfplumber.open(io.BytesIO(pdf)) as document:
        page = document.pages[0]
        text = page.extract_text()
        fonts = {char["fontname"].split("+")[-1] for char in page.chars}
    assert fonts == {"DejaVuSans", "DejaVuSans-Bold"}
    for line in (
        "PHƯỜNG THÀNH ĐÔNG",
        "Trung tâm Phục vụ hành chính công phường",
        "Lĩnh vực: Đất đai",
        "Quét mã QR bằng điện thoại để đánh giá",
        "Thời gian khảo sát: 01/10/2026 – 31/12/2026",
    ):
        assert line in text
    assert " ".join(text.split()).count("Khảo sát mức độ hài lòng về giải quyết thủ tục") == 1
