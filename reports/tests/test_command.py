"""`manage.py build_report` builds the same document from the command line."""

from __future__ import annotations

import io

import pytest
from django.core.management import CommandError, call_command
from docx import Document

from reports.models import Report


def build_report(unit: str, period: str, out, *options: str, **kwargs) -> None:
    call_command(
        "build_report", "--unit", unit, "--period", period, "--out", str(out), *options, **kwargs
    )


def test_build_report_writes_the_docx_and_the_annexes(plan, in_force, world, tmp_path):
    out, annex = tmp_path / "bc.docx", tmp_path / "pl.xlsx"
    stdout = io.StringIO()
    build_report("31-TD", "2026", out, "--kind", "six-month", "--annex", str(annex), stdout=stdout)
    document = Document(str(out))
    texts = [p.text for p in document.paragraphs]
    assert "Kết quả thực hiện công tác cải cách hành chính 6 tháng đầu năm 2026" in texts
    assert annex.read_bytes()[:2] == b"PK"
    said = stdout.getvalue()
    assert "DỰ THẢO" in said and "còn thiếu: Phòng Văn hóa - Xã hội" in said
    assert Report.objects.get().period.kind == "six_month"


def test_a_quarter_by_number(plan, in_force, tmp_path):
    out = tmp_path / "q3.docx"
    build_report("31-TD", "2026", out, "--kind", "quarter", "--number", "3", stdout=io.StringIO())
    assert any("quý III năm 2026" in p.text for p in Document(str(out)).paragraphs)


def test_unknown_unit_or_period_is_a_clear_error(plan, tmp_path):
    with pytest.raises(CommandError, match="Không có đơn vị mã NOPE"):
        build_report("NOPE", "2026", tmp_path / "x.docx")
    with pytest.raises(CommandError, match="không có kế hoạch"):
        build_report("31-TD", "2030", tmp_path / "x.docx")
