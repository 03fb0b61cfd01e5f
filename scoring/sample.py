"""The sample commune framework shipped as data (an example of the template, not an official
text): the areas and duties seed 000 lists, maxima summing to 100 with a 35-point survey part,
3 bonus and up to 5 penalty points, and the criteria the system's records can answer bound to
their data rule (`SAMPLE_RULES`). See fixtures/scoring/README.md."""

from __future__ import annotations

import io
from datetime import date
from pathlib import Path

from django.conf import settings
from django.db import transaction

from org.models import Unit
from scoring import excel, services
from scoring.models import Framework, PeriodKind, Rule

SAMPLE_FILE = Path(settings.BASE_DIR) / "fixtures" / "scoring" / "bo_tieu_chi_mau_cap_xa.csv"


def sample_rules(year: int) -> dict[str, tuple[str, dict]]:
    """The sample framework's criteria that score themselves from the records, by code. The
    others (README) need figures the system does not hold."""
    survey = {f"8.{n}": (Rule.SURVEY_SHARE, {"theme": n}) for n in range(1, 6)}
    return {
        # The annual CCHC plan, issued in January (seed 000 asks for it early in the year).
        "1.1.1": (Rule.PLAN_ISSUED, {"kind": "annual", "by": f"{year}-01-31"}),
        "1.2": (Rule.TASKS_ON_TIME, {}),
        "1.3": (Rule.REPORTS_ON_TIME, {"measure": "missed"}),
        "1.4": (Rule.FINDINGS_FIXED, {}),
        "1.8": (Rule.INITIATIVES, {"level": "any"}),
        **survey,
        "T.1": (Rule.INITIATIVES, {"level": "province"}),
    }


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
    services.bind_codes(framework, sample_rules(year))
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
