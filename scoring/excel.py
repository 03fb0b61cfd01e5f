"""Criteria frameworks to and from the .xlsx (or .csv) template; results in the framework's layout.

The template has one row per area, criterion or sub-criterion, with these columns:
Nhóm đơn vị · Mã · Tên tiêu chí · Điểm tối đa · Cách chấm · Thang điểm · Điểm trừ mỗi lần ·
Điểm sàn · Tài liệu kiểm chứng · Nguồn · Loại, and optionally Minh chứng khi không có vi phạm
(có/không: a deduction with nothing to deduct still asks for evidence).
fixtures/scoring/bo_tieu_chi_mau_cap_xa.csv is an example. Import is all-or-nothing: every row is
checked, then the whole tree.
"""

from __future__ import annotations

from collections import defaultdict
from decimal import Decimal
from typing import IO

from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _
from openpyxl import Workbook
from openpyxl.styles import Alignment, Font, PatternFill

from core.sheets import workbook_bytes
from core.tables import read_sheet
from core.text import normalize_name
from scoring import services
from scoring.models import (
    Assessment,
    CriterionKind,
    Decision,
    Framework,
    Method,
    Score,
    Source,
    UnitGroup,
)
from scoring.services import CriterionData, to_decimal

HEADERS = [
    "Nhóm đơn vị",
    "Mã",
    "Tên tiêu chí",
    "Điểm tối đa",
    "Cách chấm",
    "Thang điểm",
    "Điểm trừ mỗi lần",
    "Điểm sàn",
    "Tài liệu kiểm chứng",
    "Nguồn",
    "Loại",
    "Minh chứng khi không có vi phạm",
]
SPEC = {
    "group": ["Nhóm đơn vị", "Nhóm", "Group"],
    "code": ["Mã", "Mã tiêu chí", "TT", "STT", "Code"],
    "name": ["Tên tiêu chí", "Tiêu chí", "Lĩnh vực/Tiêu chí/Tiêu chí thành phần", "Name"],
    "max": ["Điểm tối đa", "Điểm chuẩn", "Max points"],
    "method": ["Cách chấm", "Phương pháp chấm", "Method"],
    "tiers": ["Thang điểm", "Tiers"],
    "deduction": ["Điểm trừ mỗi lần", "Deduction"],
    "floor": ["Điểm sàn", "Floor"],
    "evidence": ["Tài liệu kiểm chứng", "Minh chứng", "Evidence"],
    "source": ["Nguồn", "Nguồn điểm", "Source"],
    "kind": ["Loại", "Loại điểm", "Kind"],
    "evidence_when_none": ["Minh chứng khi không có vi phạm", "Evidence when none"],
}
REQUIRED = ["code", "name", "max"]
LABELS = {"code": "Mã", "name": "Tên tiêu chí", "max": "Điểm tối đa"}

METHOD_NAMES = {
    Method.SUM: "Tổng",
    Method.YES_NO: "Có/Không",
    Method.TIERS: "Theo tỷ lệ",
    Method.DEDUCTION: "Trừ theo lần",
    Method.MANUAL: "Chấm tay",
    Method.SURVEY: "Điều tra XHH",
}
SOURCE_NAMES = {Source.SELF: "Tự đánh giá", Source.SURVEY: "Điều tra XHH"}
KIND_NAMES = {
    CriterionKind.REGULAR: "Trong 100 điểm",
    CriterionKind.BONUS: "Điểm thưởng",
    CriterionKind.PENALTY: "Điểm trừ",
}
GROUP_NAMES = {
    UnitGroup.COMMUNE_LEVEL: "Xã, phường",
    UnitGroup.WARD: "Phường",
    UnitGroup.COMMUNE: "Xã",
    UnitGroup.PROVINCE_DEPARTMENT: "Sở, ban, ngành",
}


def _lookup(names: dict, extra: dict[str, str]) -> dict[str, str]:
    table = {normalize_name(v): k for k, v in names.items()}
    table.update({normalize_name(k): k for k in names})
    table.update({normalize_name(k): v for k, v in extra.items()})
    return table


METHODS = _lookup(METHOD_NAMES, {"co khong": Method.YES_NO, "ty le": Method.TIERS})
SOURCES = _lookup(SOURCE_NAMES, {})
KINDS = _lookup(KIND_NAMES, {"thuong": CriterionKind.BONUS, "tru": CriterionKind.PENALTY})
GROUPS = _lookup(GROUP_NAMES, {"xa phuong": UnitGroup.COMMUNE_LEVEL})
YES_NO_NAMES = {True: "có", False: "không"}
YES_NO = {normalize_name(t): True for t in ("có", "x", "1", "yes")} | {
    normalize_name(t): False for t in ("không", "0", "no")
}


def read_framework_file(name: str, stream: IO[bytes]) -> dict[str, list[CriterionData]]:
    """The template's rows per group of units; every row's errors at once, else nothing."""
    rows = read_sheet(name, stream, SPEC, REQUIRED, LABELS)
    errors: list[str] = []
    by_group: dict[str, list[CriterionData]] = defaultdict(list)
    for row in rows:
        v = row.values

        def pick(table, text, default, what, number=row.number):
            if not (text or "").strip():
                return default
            found = table.get(normalize_name(text))
            if found is None:
                errors.append(
                    _("Row %(row)d: unknown %(what)s “%(text)s”.")
                    % {"row": number, "what": what, "text": text}
                )
            return found or default

        try:
            top = to_decimal(v.get("max"))
            deduction = to_decimal(v.get("deduction"))
            floor = to_decimal(v.get("floor")) or Decimal(0)
            tiers = services.parse_tiers(v.get("tiers", ""))
        except ValidationError as exc:
            errors.append(
                _("Row %(row)d: %(error)s") % {"row": row.number, "error": exc.messages[0]}
            )
            continue
        if top is None:
            errors.append(_("Row %(row)d: the maximum points are missing.") % {"row": row.number})
            continue
        method = pick(METHODS, v.get("method"), Method.MANUAL, _("way of scoring"))
        source = pick(SOURCES, v.get("source"), Source.SELF, _("source"))
        kind = pick(KINDS, v.get("kind"), CriterionKind.REGULAR, _("kind"))
        group = pick(GROUPS, v.get("group"), UnitGroup.COMMUNE_LEVEL, _("group of units"))
        when_none = pick(
            YES_NO, v.get("evidence_when_none"), False, _("evidence when nothing is deducted")
        )
        by_group[group].append(
            CriterionData(
                code=v.get("code", "").strip().rstrip("."),
                name=v.get("name", ""),
                max_points=top,
                method=method,
                tiers=tiers,
                deduction=deduction,
                floor=floor,
                evidence_required=v.get("evidence", ""),
                source=Source.SURVEY if method == Method.SURVEY else source,
                kind=kind,
                evidence_when_none=when_none,
            )
        )
    if not by_group and not errors:
        errors.append(_("The file has no criteria."))
    for items in by_group.values():
        errors += services.check_tree(items)
    if errors:
        raise ValidationError(errors)
    return dict(by_group)


def import_framework(framework: Framework, name: str, stream: IO[bytes]) -> int:
    """Replace the framework's criteria sets by the file's; returns the number of criteria."""
    from django.db import transaction

    groups = read_framework_file(name, stream)
    with transaction.atomic():
        count = 0
        for group, rows in groups.items():
            criteria_set = framework.sets.filter(group=group).first()
            if criteria_set is None:
                services.add_set(framework, group, GROUP_NAMES[UnitGroup(group)], rows)
            else:
                services.replace_criteria(criteria_set, rows)
            count += len(rows)
    return count


_HEAD_FILL = PatternFill("solid", fgColor="DDE7F0")
_AREA_FILL = PatternFill("solid", fgColor="F3F6F9")


def _sheet_header(sheet, title: str, headers: list[str]) -> None:
    sheet.append([title])
    sheet["A1"].font = Font(bold=True, size=13)
    sheet.append(headers)
    for cell in sheet[2]:
        cell.font = Font(bold=True)
        cell.fill = _HEAD_FILL
        cell.alignment = Alignment(wrap_text=True, vertical="center")


def export_framework(framework: Framework) -> bytes:
    """The framework in the import template: the file loads back unchanged."""
    book = Workbook()
    sheet = book.active
    sheet.title = "Bo tieu chi"
    sheet.append(HEADERS)
    for cell in sheet[1]:
        cell.font = Font(bold=True)
        cell.fill = _HEAD_FILL
    for criteria_set in framework.sets.all():
        for c in criteria_set.criteria.all():
            sheet.append(
                [
                    GROUP_NAMES[UnitGroup(criteria_set.group)],
                    c.code,
                    c.name,
                    float(c.max_points),
                    METHOD_NAMES[Method(c.method)],
                    services.tiers_text(c.tiers),
                    float(c.deduction) if c.deduction is not None else None,
                    float(c.floor),
                    c.evidence_required,
                    SOURCE_NAMES[Source(c.source)],
                    KIND_NAMES[CriterionKind(c.kind)],
                    YES_NO_NAMES[c.evidence_when_none] if c.method == Method.DEDUCTION else "",
                ]
            )
            if c.parent_id is None:
                for cell in sheet[sheet.max_row]:
                    cell.font = Font(bold=True)
                    cell.fill = _AREA_FILL
    for letter, width in zip(
        "ABCDEFGHIJKL", (12, 8, 70, 10, 14, 40, 10, 8, 40, 14, 14, 14), strict=True
    ):
        sheet.column_dimensions[letter].width = width
    return workbook_bytes(book)


def export_results(assessment: Assessment) -> bytes:
    """One commune's results laid out like the framework: code, criterion, maximum, scores."""
    result = services.results(assessment)
    book = Workbook()
    sheet = book.active
    sheet.title = "Ket qua"
    _sheet_header(
        sheet,
        f"{assessment.period.framework.name} – {assessment.unit.full_name} – {assessment.period}",
        [
            "Mã",
            "Tên tiêu chí",
            "Điểm tối đa",
            "Tự đánh giá",
            "Thẩm định",
            "Điểm cuối cùng",
            "Điểm tính",
            "Phòng chủ trì",
            "Lý do thẩm định",
            "Giải trình của xã",
            "Kết luận giải trình",
            "Lý do kết luận",
        ],
    )
    for row in result.rows:
        c = row.criterion
        sheet.append(
            [
                c.code,
                c.name,
                float(c.max_points),
                float(row.self_points) if row.self_points is not None else None,
                float(row.appraised) if row.appraised is not None else None,
                float(row.final) if row.final is not None else None,
                float(row.points),
                row.department.name if row.department else "",
                *_answer_cells(row.score),
            ]
        )
        if c.parent_id is None:
            for cell in sheet[sheet.max_row]:
                cell.font = Font(bold=True)
                cell.fill = _AREA_FILL
    sheet.append([])
    for label, value in (
        ("Điểm tự đánh giá, thẩm định", assessment.points),
        ("Điểm điều tra XHH", assessment.survey_points),
        ("Điểm thưởng", assessment.bonus_points),
        ("Điểm trừ", assessment.penalty_points),
        ("Chỉ số CCHC", assessment.index),
    ):
        sheet.append(["", label, None, None, None, None, float(value)])
        sheet[sheet.max_row][1].font = Font(bold=True)
    widths = (8, 70, 10, 10, 10, 10, 10, 30, 40, 50, 22, 40)
    for letter, width in zip("ABCDEFGHIJKL", widths, strict=True):
        sheet.column_dimensions[letter].width = width
    return workbook_bytes(book)


def _answer_cells(score: Score | None) -> list[str]:
    """The appraisal's reason, the commune's answer and what the province decided on it."""
    if score is None:
        return ["", "", "", ""]
    decision = {
        Decision.ACCEPTED: "Chấp nhận giải trình",
        Decision.KEPT: "Giữ điểm thẩm định",
    }.get(score.decision, "")
    return [score.appraisal_reason, score.answer, decision, score.decision_reason]


def export_ranking(ranking: services.Ranking) -> bytes:
    book = Workbook()
    sheet = book.active
    sheet.title = "Xep hang"
    _sheet_header(
        sheet,
        f"{ranking.period.framework.name} – {ranking.period}",
        ["Hạng", "Đơn vị", *[f"{a.code}. {a.name}" for a in ranking.areas], "Chỉ số"],
    )
    for row in ranking.rows:
        sheet.append(
            [
                row.rank,
                row.assessment.unit.full_name,
                *[float(p) for p in row.area_points],
                float(row.assessment.index),
            ]
        )
    return workbook_bytes(book)


__all__ = ["export_framework", "export_ranking", "export_results", "import_framework"]
