"""Look at a generated document as a person would: LibreOffice turns it into a PDF, poppler
turns a page into a PNG."""

from __future__ import annotations

import shutil
import subprocess
from pathlib import Path

from core import pdf

TIMEOUT_SECONDS = 120


def tools_available() -> bool:
    return bool(pdf.pdf_available() and shutil.which("pdftoppm"))


def docx_to_pdf(docx: bytes, out_dir: Path, name: str = "document") -> Path:
    """The PDF written into `out_dir`, made by the system's one conversion (`core.pdf`)."""
    out_dir.mkdir(parents=True, exist_ok=True)
    target = out_dir / f"{name}.pdf"
    target.write_bytes(pdf.docx_to_pdf(docx, name))
    return target


def pdf_pages(pdf: Path) -> int:
    import pdfplumber

    with pdfplumber.open(pdf) as document:
        return len(document.pages)


def pdf_to_png(pdf: Path, page: int = 1, dpi: int = 80) -> Path:
    prefix = pdf.with_suffix("")
    subprocess.run(
        [
            "pdftoppm",
            "-png",
            "-r",
            str(dpi),
            "-f",
            str(page),
            "-l",
            str(page),
            "-singlefile",
            str(pdf),
            f"{prefix}-p{page}",
        ],
        check=True,
        capture_output=True,
        timeout=TIMEOUT_SECONDS,
    )
    return Path(f"{prefix}-p{page}.png")


def docx_to_png(docx: bytes, out_dir: Path, name: str = "document", page: int = 1) -> Path:
    """The given page of the document as a PNG image."""
    return pdf_to_png(docx_to_pdf(docx, out_dir, name), page)
