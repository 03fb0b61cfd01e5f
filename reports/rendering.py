"""Look at a generated document as a person would: LibreOffice turns it into a PDF, poppler
turns a page into a PNG."""

from __future__ import annotations

import shutil
import subprocess
import tempfile
from pathlib import Path

TIMEOUT_SECONDS = 120


def tools_available() -> bool:
    return bool(shutil.which("soffice") and shutil.which("pdftoppm"))


def docx_to_pdf(docx: bytes, out_dir: Path, name: str = "document") -> Path:
    out_dir.mkdir(parents=True, exist_ok=True)
    source = out_dir / f"{name}.docx"
    source.write_bytes(docx)
    # A private profile, so a LibreOffice already open (or another test) does not block this one.
    with tempfile.TemporaryDirectory() as profile:
        subprocess.run(
            [
                "soffice",
                f"-env:UserInstallation=file://{profile}",
                "--headless",
                "--convert-to",
                "pdf",
                "--outdir",
                str(out_dir),
                str(source),
            ],
            check=True,
            capture_output=True,
            timeout=TIMEOUT_SECONDS,
        )
    return out_dir / f"{name}.pdf"


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
