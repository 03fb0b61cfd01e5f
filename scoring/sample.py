"""The sample commune framework shipped as data (an example of the template, not an official
text): the areas and duties seed 000 lists, maxima summing to 100 with a 35-point survey part,
3 bonus and up to 5 penalty points. See fixtures/scoring/README.md."""

from __future__ import annotations

import io
from datetime import date
from pathlib import Path

from django.conf import settings
from django.db import transaction

from org.models import Unit
from scoring import excel, services
from scoring.models import Framework, PeriodKind

SAMPLE_FILE = Path(settings.BASE_DIR) / "fixtures" / "scoring" / "bo_tieu_chi_mau_cap_xa.csv"


@transaction.atomic
def load_sample(province: Unit, year: int = 2026) -> Framework:
    """The sample framework for a province and year, with its two periods (idempotent)."""
    framework = Framework.objects.filter(province=province, year=year).first()
    if framework is not None:
        return framework
    framework = services.create_framework(
        province,
        year=year,
        name=f"Bộ tiêu chí xác định Chỉ số CCHC của UBND cấp xã năm {year} (mẫu)",
        decision_number="4116/QĐ-UBND" if year == 2026 else "",
        decision_date=date(year - 1, 12, 29),
        decision_issuer=f"UBND tỉnh {province.name}",
        is_sample=True,
    )
    excel.import_framework(framework, SAMPLE_FILE.name, io.BytesIO(SAMPLE_FILE.read_bytes()))
    for kind, name, department_due, submission_due in (
        (PeriodKind.SIX_MONTH, f"Đánh giá 6 tháng đầu năm {year}", (6, 21), (6, 30)),
        (PeriodKind.YEAR, f"Đánh giá năm {year}", (12, 1), (12, 10)),
    ):
        services.create_period(
            framework,
            kind=kind,
            name=name,
            department_due=date(year, *department_due),
            submission_due=date(year, *submission_due),
        )
    return framework
