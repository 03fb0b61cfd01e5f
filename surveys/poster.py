"""The QR code of a campaign's public link: as SVG for the page, and an A4 PDF poster for the
counter. Vietnamese needs a font with all its diacritics: the poster embeds DejaVu Sans, kept
in surveys/fonts/ with its licence, so that it prints the same on any server."""

from __future__ import annotations

import hashlib
import io
from pathlib import Path

import segno
from django.core.cache import cache

FONT_DIR = Path(__file__).resolve().parent / "fonts"
FONT_FILES = {
    "CchcDejaVuSans": FONT_DIR / "DejaVuSans.ttf",
    "CchcDejaVuSans-Bold": FONT_DIR / "DejaVuSans-Bold.ttf",
}


def qr_svg_data_uri(url: str) -> str:
    """A data: URI (allowed by the CSP for images) of the link's QR code, kept in the cache."""
    key = "survey-qr:" + hashlib.sha256(url.encode()).hexdigest()
    uri = cache.get(key)
    if uri is None:
        uri = segno.make(url, error="m").svg_data_uri(scale=6, border=2)
        cache.set(key, uri, timeout=24 * 3600)
    return uri


def _fonts() -> tuple[str, str]:
    """The names the poster's regular and bold fonts are registered under in reportlab."""
    from reportlab.pdfbase import pdfmetrics
    from reportlab.pdfbase.ttfonts import TTFont

    registered = set(pdfmetrics.getRegisteredFontNames())
    for name, path in FONT_FILES.items():
        if name not in registered:
            pdfmetrics.registerFont(TTFont(name, str(path)))
    regular, bold = FONT_FILES
    return regular, bold


def _wrap(text: str, font: str, size: float, width: float) -> list[str]:
    from reportlab.pdfbase.pdfmetrics import stringWidth

    lines, line = [], ""
    for word in text.split():
        candidate = f"{line} {word}".strip()
        if stringWidth(candidate, font, size) <= width or not line:
            line = candidate
        else:
            lines.append(line)
            line = word
    if line:
        lines.append(line)
    return lines


def poster_pdf(
    *, unit_name: str, title: str, url: str, period: str, field: str = "", place: str = ""
) -> bytes:
    """One A4 page: who asks, the question, the QR code, the link written out, the period."""
    from reportlab.graphics import renderPDF
    from reportlab.graphics.shapes import Drawing, Rect
    from reportlab.lib.colors import HexColor, white
    from reportlab.lib.pagesizes import A4
    from reportlab.lib.units import mm
    from reportlab.pdfgen import canvas

    regular, bold = _fonts()
    buffer = io.BytesIO()
    page = canvas.Canvas(buffer, pagesize=A4)
    page.setTitle(title)
    width, height = A4
    red = HexColor("#b3261e")
    page.setFillColor(red)
    page.rect(0, height - 45 * mm, width, 45 * mm, stroke=0, fill=1)
    page.setFillColor(white)
    page.setFont(bold, 16)
    page.drawCentredString(width / 2, height - 18 * mm, unit_name.upper())
    page.setFont(regular, 13)
    page.drawCentredString(
        width / 2, height - 28 * mm, place or "Trung tâm Phục vụ hành chính công"
    )
    page.setFillColor(HexColor("#1d2430"))
    y = height - 65 * mm
    page.setFont(bold, 26)
    for line in _wrap(
        "Ông/Bà có hài lòng với sự phục vụ của chúng tôi?", bold, 26, width - 40 * mm
    ):
        page.drawCentredString(width / 2, y, line)
        y -= 11 * mm
    page.setFont(regular, 14)
    for line in _wrap(title, regular, 14, width - 40 * mm):
        page.drawCentredString(width / 2, y, line)
        y -= 7 * mm
    if field:
        page.drawCentredString(width / 2, y, f"Lĩnh vực: {field}")
        y -= 7 * mm

    # The QR code drawn as vector squares: sharp at any printer resolution.
    qr = segno.make(url, error="m")
    matrix = list(qr.matrix_iter(border=2))
    size = 110 * mm
    cell = size / len(matrix)
    drawing = Drawing(size, size)
    drawing.add(Rect(0, 0, size, size, fillColor=white, strokeColor=None))
    for r, row in enumerate(matrix):
        for c, dark in enumerate(row):
            if dark:
                drawing.add(
                    Rect(
                        c * cell,
                        size - (r + 1) * cell,
                        cell,
                        cell,
                        fillColor=HexColor("#000000"),
                        strokeColor=None,
                    )
                )
    top = y - 6 * mm
    renderPDF.draw(drawing, page, (width - size) / 2, top - size)
    y = top - size - 12 * mm
    page.setFont(bold, 15)
    page.drawCentredString(width / 2, y, "Quét mã QR bằng điện thoại để đánh giá")
    y -= 8 * mm
    page.setFont(regular, 11)
    page.drawCentredString(width / 2, y, url)
    y -= 10 * mm
    page.setFont(regular, 12)
    for line in (
        "Phiếu không ghi tên, chỉ mất khoảng 2 phút.",
        f"Thời gian khảo sát: {period}",
    ):
        page.drawCentredString(width / 2, y, line)
        y -= 7 * mm
    page.showPage()
    page.save()
    return buffer.getvalue()
