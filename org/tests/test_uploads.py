"""Uploads are checked for size, real type, archive bombs and macros before anything reads them."""

from __future__ import annotations

import io
import zipfile

import pytest

from core.files import UploadRejected, check_upload


def office_zip(main_part: str, extra: dict[str, bytes] | None = None) -> io.BytesIO:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        archive.writestr("[Content_Types].xml", "<Types/>")
        archive.writestr(main_part, "<x/>")
        for name, data in (extra or {}).items():
            archive.writestr(name, data)
    buffer.seek(0)
    return buffer


def test_real_office_files_pass():
    assert check_upload("a.xlsx", office_zip("xl/workbook.xml"), {"xlsx"}) == "xlsx"
    assert check_upload("a.docx", office_zip("word/document.xml"), {"docx"}) == "docx"
    assert check_upload("a.pdf", io.BytesIO(b"%PDF-1.7\n..."), {"pdf"}) == "pdf"


@pytest.mark.parametrize(
    ("name", "content", "allowed"),
    [
        ("empty.xlsx", b"", {"xlsx"}),
        ("fake.pdf", b"<html>not a pdf</html>", {"pdf"}),
        ("program.pdf", b"MZ\x90\x00\x03", {"pdf"}),
        ("script.csv", b"#!/bin/sh\nrm -rf /", {"csv"}),
        ("virus.exe", b"MZ\x90\x00", {"pdf", "xlsx"}),
        ("photo.png", b"GIF89a....", {"png"}),
        ("binary.csv", b"a,b\n\x00\x01\x02", {"csv"}),
        ("report.docx", b"PK\x03\x04 broken zip", {"docx"}),
    ],
)
def test_refused_files(name, content, allowed):
    with pytest.raises(UploadRejected):
        check_upload(name, io.BytesIO(content), allowed)


def test_docx_renamed_as_xlsx_is_refused():
    with pytest.raises(UploadRejected):
        check_upload("bang.xlsx", office_zip("word/document.xml"), {"xlsx"})


def test_macro_enabled_workbook_is_refused():
    with pytest.raises(UploadRejected):
        check_upload(
            "bang.xlsx",
            office_zip("xl/workbook.xml", {"xl/vbaProject.bin": b"\x00" * 100}),
            {"xlsx"},
        )


def test_archive_bomb_is_refused():
    bomb = office_zip("xl/workbook.xml", {"xl/huge.xml": b"0" * (50 * 1024 * 1024)})
    assert bomb.getbuffer().nbytes < 1024 * 1024
    with pytest.raises(UploadRejected):
        check_upload("bomb.xlsx", bomb, {"xlsx"})


def test_size_limit(settings):
    settings.MAX_UPLOAD_BYTES = 1024
    with pytest.raises(UploadRejected) as caught:
        check_upload("big.pdf", io.BytesIO(b"%PDF-" + b"0" * 2048), {"pdf"})
    assert "MB" in str(caught.value)


def test_kind_not_allowed_here():
    with pytest.raises(UploadRejected):
        check_upload("a.pdf", io.BytesIO(b"%PDF-1.4"), {"xlsx", "csv"})
