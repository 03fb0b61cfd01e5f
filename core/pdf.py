"""Generated documents as PDF: LibreOffice (`soffice`) converts a .docx where it is installed.

The one place that runs the conversion. Each conversion has its own temporary directory and its
own LibreOffice profile, so conversions running at the same time (several workers, several
people) do not lock each other out, and a timeout so a stuck office never holds a request."""

from __future__ import annotations

import shutil
import subprocess
import tempfile
from pathlib import Path

from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _

TIMEOUT_SECONDS = 90
PDF = "application/pdf"


def office_binary() -> str | None:
    """The path of LibreOffice's command, or None where it is not installed."""
    return shutil.which("soffice") or shutil.which("libreoffice")


def pdf_available() -> bool:
    """Whether documents can be offered as PDF here (the PDF buttons show only then)."""
    return office_binary() is not None


def docx_to_pdf(docx: bytes, name: str = "document") -> bytes:
    """The PDF of a .docx; a ValidationError with a message for people when it cannot be made."""
    binary = office_binary()
    if binary is None:
        raise ValidationError(
            _("PDF documents cannot be made on this server: LibreOffice is not installed.")
        )
    with tempfile.TemporaryDirectory(prefix="cchc-pdf-") as work:
        folder = Path(work)
        source = folder / f"{name}.docx"
        source.write_bytes(docx)
        profile = folder / "profile"
        try:
            subprocess.run(
                [
                    binary,
                    f"-env:UserInstallation={profile.as_uri()}",
                    "--headless",
                    "--norestore",
                    "--convert-to",
                    "pdf",
                    "--outdir",
                    str(folder),
                    str(source),
                ],
                check=True,
                capture_output=True,
                timeout=TIMEOUT_SECONDS,
            )
        except subprocess.TimeoutExpired as exc:
            raise ValidationError(
                _("The PDF could not be made in time. Try again later, or download the Word file.")
            ) from exc
        except (subprocess.CalledProcessError, OSError) as exc:
            raise ValidationError(
                _("The PDF could not be made from the document. Download the Word file instead.")
            ) from exc
        target = folder / f"{name}.pdf"
        if not target.is_file() or not target.read_bytes().startswith(b"%PDF-"):
            raise ValidationError(
                _("The PDF could not be made from the document. Download the Word file instead.")
            )
        return target.read_bytes()
