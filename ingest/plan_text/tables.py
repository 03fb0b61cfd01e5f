"""Task and target tables: their headers, rows and cells."""

from __future__ import annotations

import difflib
import itertools
import re
from collections.abc import Callable, Sequence
from dataclasses import dataclass, replace
from datetime import date

from core.text import normalize_name, squash_spaces
from ingest.deadlines import parse_deadline
from ingest.plan_text.patterns import (
    _COLUMN_NUMBERING,
    _COMPARISON_SIGNS,
    _DECLARED,
    _GROUP_CELL,
    _NUMBER_HEADERS,
    _SINGLE_NUMBER,
    _SUB_ITEM,
    _TASK_NUMBER,
)
from ingest.plan_text.result import DraftArea, DraftTarget, DraftTask
from ingest.plan_text.text import _afold, _clean_cell, _join_continued, _words, split_departments
from ingest.targets import Comparator, ParsedTarget, parse_target


def _names(words: str, *keys: str) -> bool:
    """Whether a header cell's folded words hold one of `keys`; a scan's header may lose the
    spaces between its words ("Thờigianhoàn thành"), so keys of two words are also looked for
    with the spaces taken out."""
    padded, squashed = f" {words} ", words.replace(" ", "")
    return any(f" {k} " in padded or (" " in k and k.replace(" ", "") in squashed) for k in keys)


def _task_column_role(cell: str) -> str | None:
    words = normalize_name(cell)
    if not words or _words(words) > 8:
        return None
    if words in _NUMBER_HEADERS:
        return "number"
    if _names(words, "chu tri"):
        return "lead"
    if _names(words, "phoi hop"):
        return "coordinators"
    if _names(words, "thoi gian", "thoi han", "thoi diem", "tien do", "han hoan thanh"):
        return "deadline"
    if _names(words, "san pham", "ket qua", "hinh thuc van ban", "hinh thuc the hien"):
        return "product"
    if _names(words, "noi dung", "nhiem vu", "cong viec", "hoat dong", "ten"):
        return "content"
    if _leads(words):
        return "performer"
    return None


def _leads(words: str) -> bool:
    """A body that carries the task out: "Đơn vị thực hiện", "Cơ quan tham mưu", "Bộ phận phụ
    trách" (the lead where no column says "chủ trì"). A leader in charge ("Lãnh đạo phụ trách")
    is a person who oversees, not the body that does the work."""
    return (
        _names(words, "thuc hien", "tham muu", "phu trach")
        and _names(words, "don vi", "co quan", "bo phan", "phong", "nguoi", "cong chuc")
        and not _names(words, "lanh dao")
    )


def _target_column_role(cell: str) -> str | None:
    words = normalize_name(cell)
    if not words or _words(words) > 10:
        return None
    if words in _NUMBER_HEADERS:
        return "number"
    if _names(words, "theo doi", "huong dan"):
        return "monitoring"
    if _names(words, "phan dau", "muc tieu", "gia tri", "chi tieu dat"):
        return "value"
    if _names(words, "thuc hien") and _names(words, "don vi", "co quan"):
        return "implementing"
    if words == "thuc hien":
        return "implementing"
    if _A_YEAR.search(words) or _names(words, "ke hoach"):
        # "Chỉ tiêu năm 2026" is the aim; "Kết quả năm 2025", "Ước thực hiện 2025" what was done.
        if _names(words, "ket qua", "thuc hien", "uoc"):
            return "achieved"
        return "aim_or_text" if _names(words, "chi tieu", "noi dung") else "value"
    if _names(words, "don vi tinh", "dvt"):
        return "unit"
    if _names(words, "chi tieu", "noi dung"):
        return "text"
    return None


_A_YEAR = re.compile(r"\b(19|20)\d\d\b")


# A column that takes the first of its roles no other column names: "Đơn vị thực hiện" is the
# lead of a table without "chủ trì"; "Chỉ tiêu năm 2026" is the aim beside a "Chỉ tiêu" column,
# and the targets' own column where no other names them ("Chỉ tiêu chủ yếu năm 2026").
STAND_INS = {"performer": ("lead",), "aim_or_text": ("text", "value")}


def _settled(roles: dict[str, int]) -> dict[str, int]:
    for stand_in, wanted in STAND_INS.items():
        if stand_in in roles:
            column = roles.pop(stand_in)
            role = next((role for role in wanted if role not in roles), None)
            if role is not None:
                roles[role] = column
    return roles


def _roles(row: Sequence[str], role_of: Callable[[str], str | None]) -> dict[str, int]:
    roles: dict[str, int] = {}
    for column, cell in enumerate(row):
        role = role_of(cell)
        if role and role not in roles:
            roles[role] = column
    return _settled(roles)


def _header_roles(
    top: Sequence[str], sub: Sequence[str], role_of: Callable[[str], str | None]
) -> dict[str, int]:
    """Roles of a two-row header: a column the second row names ("Chủ trì", "Đơn vị theo dõi,
    hướng dẫn thực hiện") takes that name's meaning, read alone or after the merged cell above it
    ("Trách nhiệm thực hiện", "Trách nhiệm cụ thể"); other columns keep the top row's."""
    roles: dict[str, int] = {}
    combined = _combine_header(top, sub)
    for column in range(max(len(top), len(sub))):
        lower = sub[column] if column < len(sub) else ""
        upper = top[column] if column < len(top) else ""
        role = None
        if lower:
            role = role_of(lower) or role_of(combined[column])
        if role is None and upper:
            role = role_of(upper)
        if role and role not in roles:
            roles[role] = column
    return _settled(roles)


def _sub_header(row: Sequence[str], role_of: Callable[[str], str | None]) -> bool:
    """The second row of a header: short cells that each name a column, no number or bullet."""
    filled = [cell for cell in row if cell]
    return (
        bool(filled)
        and all(_words(cell) <= 10 and role_of(cell) for cell in filled)
        and not any(
            _TASK_NUMBER.match(cell) or _GROUP_CELL.match(cell) or _SUB_ITEM.match(cell)
            for cell in filled
        )
        and not row[0]
    )


def task_columns(row: Sequence[str]) -> dict[str, int]:
    """The column of each field a task table's header row names ("number", "content", "lead",
    "coordinators", "deadline", "product"), however the commune words it."""
    return _roles(row, _task_column_role)


def _task_header(row: Sequence[str]) -> dict[str, int] | None:
    roles = task_columns(row)
    if "content" in roles and len(roles) >= 3 and ("lead" in roles or "deadline" in roles):
        return roles
    return None


def _target_header(row: Sequence[str]) -> dict[str, int] | None:
    roles = _roles(row, _target_column_role)
    if "text" in roles and ({"value", "monitoring", "implementing"} & roles.keys()):
        return roles
    return None


def _letters(row: Sequence[str]) -> str:
    return normalize_name(" ".join(row)).replace(" ", "")


def _repeats_header(row: Sequence[str], header: Sequence[str]) -> bool:
    """Whether a row is the table's header written again after a page break, as a scan reads
    it: a letter or a space lost or misread here and there ("Thờiganhoàn thành")."""
    if sum(1 for cell in row if cell) < 3:
        return False
    seen, wanted = _letters(row), _letters(header)
    if not wanted or abs(len(seen) - len(wanted)) > 0.25 * len(wanted):
        return False
    return difflib.SequenceMatcher(None, seen, wanted, autojunk=False).ratio() >= _LIKE_HEADER


_LIKE_HEADER = 0.8


def _is_column_numbering(row: Sequence[str]) -> bool:
    """The "(1) (2) (3)" row some tables put under their header."""
    filled = [cell for cell in row if cell]
    return len(filled) >= 3 and all(_COLUMN_NUMBERING.match(cell) for cell in filled)


def _cells(row: Sequence[str], roles: dict[str, int]) -> dict[str, str]:
    return {role: row[column] if column < len(row) else "" for role, column in roles.items()}


def _declared_count(name: str) -> tuple[str, str]:
    """("Chỉ đạo điều hành", "07") from "Chỉ đạo điều hành (07 nhiệm vụ)"."""
    declared = _DECLARED.search(_afold(name))
    if not declared:
        return squash_spaces(name).strip(" :.-"), ""
    cut = squash_spaces(name[: declared.start()] + name[declared.end() :])
    return cut.strip(" :.-"), declared["n"]


_GROUP_FIELDS = ("lead", "coordinators", "deadline", "product")


def _task_group(cells: dict[str, str]) -> tuple[str, str, str] | None:
    """(code, name, declared count) of a group row such as "I. Cải cách thể chế (05 nhiệm vụ)"."""
    if any(cells.get(role) for role in _GROUP_FIELDS):
        return None
    number, content = cells.get("number", ""), cells.get("content", "")
    if number:
        group = _GROUP_CELL.match(number)
        if not group:
            return None
        name = (group["t"] or "").strip() or content
    else:
        group = _GROUP_CELL.match(content)
        if not group or not (group["t"] or "").strip():
            return None
        name = group["t"]
    name, declared = _declared_count(name)
    return group["m"], name, declared


def _child_follows(number: str, rest: Sequence[dict[str, str]]) -> bool:
    """Whether the next numbered row is "1.1" under this "1": then "1" is a group, not a task."""
    for cells in rest:
        following = cells.get("number", "")
        if following:
            return following.startswith(f"{number}.") and len(following) > len(number) + 1
    return False


# A Roman numeral a scan read with "1", "l", "L" or "|" for "I", or "H" for "II" (its dot as
# "," or ",."), before a heading's text.
_MISREAD_ROMAN = re.compile(
    r"^(?P<m>[IVX1lL|H]*[1lL|H][IVX1lL|H]*)\s*[.,)]{0,2}\s+(?P<t>[^\W\d_].{3,})$"
)


def _as_roman(misread: str) -> str:
    return re.sub(r"[1lL|]", "I", misread.replace("H", "II"))


_DOTTED_CODE = re.compile(r"^\d{1,2}\.\d{1,2}")


@dataclass
class _TaskRow:
    area_code: str | None
    cells: dict[str, str]
    group: str = ""


def _next_code(code: str, areas: Sequence[DraftArea]) -> str:
    """The area's numeral, or the one after the last area's when it repeats an earlier one
    ("II" read as "I" from a scan): areas are numbered in order."""
    codes = [area.code for area in areas]
    if code not in codes or not all(c in _ROMANS for c in codes):
        return code
    following = _ROMANS.index(codes[-1]) + 1
    return _ROMANS[following] if following < len(_ROMANS) else code


_ROMANS = ("I", "II", "III", "IV", "V", "VI", "VII", "VIII", "IX", "X", "XI", "XII")


def _continues(cells: dict[str, str]) -> bool:
    """An unnumbered row that carries on the sentence a page break cut ("dung sau:")."""
    content = cells.get("content", "").lstrip()
    return not cells.get("number") and content[:1].islower() and not _SUB_ITEM.match(content)


def _sub_item_follows(rest: Sequence[dict[str, str]]) -> bool:
    rest = list(itertools.dropwhile(_continues, rest))
    return (
        bool(rest)
        and not rest[0].get("number")
        and bool(_SUB_ITEM.match(rest[0].get("content", "")))
    )


def _group_name(parent: dict[str, str] | None) -> str:
    return squash_spaces((parent or {}).get("content", "")).rstrip(" :")


def parse_task_table(
    rows: list[list[str]],
    *,
    period_start: date | None = None,
    period_end: date | None = None,
) -> tuple[list[DraftArea], list[DraftTask], list[str]]:
    """Areas, tasks and warnings of a task table given as rows of cells (text, .docx, .xlsx).

    Columns are known by their header words in any order; repeated header rows are skipped; a row
    with no number continues the task above (page break); a group row ("I. ... (07 nhiệm vụ)")
    starts an area and its declared count is checked. Never raises.
    """
    try:
        return _read_task_table(rows, period_start, period_end)
    except Exception as error:  # any input must give a draft, never a crash
        return [], [], [f"Không đọc được bảng nhiệm vụ ({type(error).__name__})"]


def _grid(rows: object) -> list[list[str]]:
    if not isinstance(rows, list | tuple):
        return []
    return [[_clean_cell(cell) for cell in row] for row in rows if isinstance(row, list | tuple)]


def _read_task_table(
    rows: list[list[str]], period_start: date | None, period_end: date | None
) -> tuple[list[DraftArea], list[DraftTask], list[str]]:
    grid = _grid(rows)
    header = next(((i, r) for i, row in enumerate(grid) if (r := _task_header(row))), None)
    if header is None:
        return [], [], ["Không nhận ra dòng tiêu đề của bảng nhiệm vụ (TT, Nội dung, Chủ trì...)"]
    start, roles = header
    top = grid[start]
    if start + 1 < len(grid) and _sub_header(grid[start + 1], _task_column_role):
        roles = _header_roles(grid[start], grid[start + 1], _task_column_role)
        start += 1
    entries: list[dict[str, str]] = []
    after_header = False
    for row in grid[start + 1 :]:
        repeated = bool(_task_header(row)) or _repeats_header(row, top)
        if (
            repeated
            or _is_column_numbering(row)
            or (after_header and _sub_header(row, _task_column_role))
        ):
            after_header = repeated
            continue  # the header repeated after a page break
        after_header = False
        cells = _cells(row, roles)
        if any(cells.values()):
            entries.append(cells)

    areas: list[DraftArea] = []
    declared: dict[str, str] = {}
    task_rows: list[_TaskRow] = []
    warnings: list[str] = []
    area_code: str | None = None
    numbered = "number" in roles
    parent: dict[str, str] | None = None  # a numbered row that only heads its sub-items
    heading_open = False  # the heading row above may go on after a page break
    roman_areas = numbered and any(
        ((group := _task_group(cells)) and group[0][:1] in "IVX")
        or ((misread := _MISREAD_ROMAN.match(cells.get("number", ""))) and "H" in misread["m"])
        for cells in entries
    )
    for index, cells in enumerate(entries):
        number = cells.get("number", "")
        group = _task_group(cells) if numbered else None
        misread = _MISREAD_ROMAN.match(number) if roman_areas and group is None else None
        if misread and not any(cells.get(role) for role in _GROUP_FIELDS):
            # "1. Công tác chỉ đạo" in a table whose areas are "II.", "III.": a scanned "I.".
            name, count = _declared_count(misread["t"])
            group = (_as_roman(misread["m"]), name, count)
        single = _SINGLE_NUMBER.match(number)
        bare = not any(cells.get(role) for role in _GROUP_FIELDS)
        if group is None and single and bare and _child_follows(single["n"], entries[index + 1 :]):
            name, count = _declared_count(cells.get("content", ""))
            group = (single["n"], name, count)
        if group is not None:
            area_code, name, count = group
            area_code = _next_code(area_code, areas)
            areas.append(DraftArea(order=len(areas) + 1, code=area_code, name=name))
            if count:
                declared[area_code] = count
            parent = None
            continue
        if numbered and number and bare and _sub_item_follows(entries[index + 1 :]):
            parent = dict(cells)  # "5. Thực hiện các nội dung sau:" over "- ..." rows
            heading_open = True
            continue
        content = cells.get("content", "")
        if numbered and parent is not None and heading_open and _continues(cells):
            # The heading row itself was cut by a page break: the rest of its sentence.
            for role, text in cells.items():
                parent[role] = _join_continued(parent.get(role, ""), text)
            continue
        heading_open = False
        if numbered and not number and _SUB_ITEM.match(content) and (parent or not bare):
            # A sub-item under a heading row, or one with its own lead or deadline: a task.
            row = {role: text or (parent or {}).get(role, "") for role, text in cells.items()}
            row["content"] = _SUB_ITEM.sub("", content, count=1)
            task_rows.append(_TaskRow(area_code, row, _group_name(parent)))
            continue
        if numbered and not number and task_rows:
            above = task_rows[-1].cells
            for role, text in cells.items():
                above[role] = _join_continued(above.get(role, ""), text)
            continue
        if numbered and not number:
            warnings.append(f"Dòng không có số thứ tự ở đầu bảng: {cells.get('content', '')[:60]}")
        parent = None
        task_rows.append(_TaskRow(area_code, dict(cells)))

    tasks = [_table_task(row, period_start, period_end) for row in task_rows]
    for area in areas:
        count = declared.get(area.code)
        found = sum(1 for task in tasks if task.area_code == area.code)
        if count and int(count) != found:
            warnings.append(
                f"Lĩnh vực {area.code} khai báo {count} nhiệm vụ nhưng tìm thấy {found}"
            )
    return areas, tasks, warnings


def _table_task(row: _TaskRow, period_start: date | None, period_end: date | None) -> DraftTask:
    cells = row.cells
    deadline_text = cells.get("deadline", "")
    deadline = parse_deadline(deadline_text, period_start=period_start, period_end=period_end)
    task = DraftTask(
        area_code=row.area_code,
        number=cells.get("number", ""),
        content=cells.get("content", ""),
        lead=cells.get("lead", ""),
        coordinators=split_departments(cells.get("coordinators", "")),
        deadline_text=deadline_text,
        deadline=deadline,
        product=cells.get("product", ""),
        source="table",
        group=row.group,
    )
    if not task.content:
        task.warnings.append("Thiếu nội dung nhiệm vụ")
    if not task.lead:
        task.warnings.append("Thiếu cơ quan chủ trì")
    if deadline.needs_review:
        task.warnings.append("Cần xác định thời hạn")
    return task


def _combine_header(top: Sequence[str], sub: Sequence[str]) -> list[str]:
    """One header from a two-row header; a merged top cell ("Đơn vị") covers the columns under
    it that only the second row names ("Theo dõi, hướng dẫn", "Thực hiện")."""
    combined: list[str] = []
    last_top = ""
    for column in range(max(len(top), len(sub))):
        upper = top[column] if column < len(top) else ""
        lower = sub[column] if column < len(sub) else ""
        if upper:
            last_top = upper
        base = upper or (last_top if lower else "")
        combined.append(f"{base} {lower}".strip())
    return combined


def _is_sub_header(row: Sequence[str]) -> bool:
    filled = [cell for cell in row if cell]
    return (
        bool(filled)
        and all(_words(cell) <= 10 for cell in filled)
        and any(_target_column_role(cell) for cell in filled)
        and not any(_TASK_NUMBER.match(cell) for cell in filled)
    )


def parse_target_table(
    rows: list[list[str]],
) -> tuple[list[DraftArea], list[DraftTarget], list[str]]:
    """Areas, targets and warnings of a target table ("STT | Chỉ tiêu | Chỉ tiêu phấn đấu |
    Đơn vị theo dõi, hướng dẫn thực hiện | Đơn vị thực hiện"), header on one or two rows.

    "I"/"1" rows with no figure start an area, "1"/"1.1" rows are targets, unnumbered bullet rows
    are targets of the area too and share the departments of the numbered row above when their
    own cells are empty (merged cells); other unnumbered rows continue the row above.
    Never raises.
    """
    try:
        return _read_target_table(rows)
    except Exception as error:  # any input must give a draft, never a crash
        return [], [], [f"Không đọc được bảng chỉ tiêu ({type(error).__name__})"]


def _read_target_table(
    rows: list[list[str]],
) -> tuple[list[DraftArea], list[DraftTarget], list[str]]:
    grid = _grid(rows)
    header = None
    for index, row in enumerate(grid):
        roles = _target_header(row)
        if roles is None:
            continue
        if index + 1 < len(grid) and _is_sub_header(grid[index + 1]):
            combined = _header_roles(row, grid[index + 1], _target_column_role)
            if "text" in combined:
                roles, index = combined, index + 1
        header = (index, roles)
        break
    if header is None:
        return [], [], ["Không nhận ra dòng tiêu đề của bảng chỉ tiêu (STT, Chỉ tiêu...)"]
    start, roles = header
    top = next(row for row in grid if _target_header(row))
    entries: list[dict[str, str]] = []
    after_header = False
    for row in grid[start + 1 :]:
        repeated = bool(_target_header(row)) or _repeats_header(row, top)
        if repeated or _is_column_numbering(row) or (after_header and _is_sub_header(row)):
            after_header = repeated
            continue
        after_header = False
        cells = _cells(row, roles)
        if any(cells.values()):
            entries.append(cells)

    areas: list[DraftArea] = []
    built: list[dict[str, str]] = []  # cells plus "area" and "code"
    area_code: str | None = None
    parent: dict[str, str] | None = None
    numbered = "number" in roles
    for index, cells in enumerate(entries):
        number = cells.get("number", "").rstrip(".")
        text = cells.get("text", "")
        empty = not any(cells.get(role) for role in ("value", "monitoring", "implementing"))
        roman = _GROUP_CELL.match(number) if number else None
        if roman is None and not number and empty:  # the heading written in the text column
            roman = _GROUP_CELL.match(text)
            if roman is not None and not (roman["t"] or "").strip():
                roman = None
        single = _SINGLE_NUMBER.match(number)
        rest = entries[index + 1 :]
        numeric_groups = not any(area.code.isalpha() for area in areas)
        if (roman and empty) or (
            single
            and empty
            and numeric_groups
            and (
                _child_follows(single["n"], rest)
                or _bullet_follows(rest)
                # Areas numbered "2", "3": a numbered row with no figure and no unit is one.
                or any(area.code.isdigit() for area in areas)
            )
        ):
            code = roman["m"] if roman else number
            name = (roman["t"] or "").strip() if roman else ""
            name, _ = _declared_count(name or (text if not roman or number else ""))
            areas.append(DraftArea(order=len(areas) + 1, code=code, name=name))
            area_code, parent = code, None
            continue
        if (
            single
            and not empty
            and numeric_groups
            and (areas or any(_DOTTED_CODE.match(e.get("number", "")) for e in rest))
            and not _child_follows(single["n"], rest)
            and not _bullet_follows(rest)
        ):
            # A top-level row with its own figure and no sub-rows: the area is its one target.
            areas.append(DraftArea(order=len(areas) + 1, code=number, name=text))
            area_code, parent = number, None
        bullet = _SUB_ITEM.match(text)
        if numbered and not number and not bullet and built:
            above = built[-1]
            for role, value in cells.items():
                above[role] = _join_continued(above.get(role, ""), value)
            continue
        entry = {**cells, "code": number, "area": area_code or ""}
        if bullet:
            entry["text"] = _SUB_ITEM.sub("", text, count=1)
            if parent is not None:
                for role in ("monitoring", "implementing"):
                    entry[role] = entry.get(role) or parent.get(role, "")
        else:
            parent = entry
        built.append(entry)

    targets = [_table_target(entry) for entry in built]
    return areas, targets, []


def _bullet_follows(rest: Sequence[dict[str, str]]) -> bool:
    return (
        bool(rest) and not rest[0].get("number") and bool(_SUB_ITEM.match(rest[0].get("text", "")))
    )


def _parse_value(text: str, value: str) -> ParsedTarget:
    """The target of a "Chỉ tiêu phấn đấu" cell ("≥ 95%"), else of the criterion sentence."""
    if value:
        readable = value
        for sign, words in _COMPARISON_SIGNS:
            readable = readable.replace(sign, f" {words}")
        parsed = parse_target(squash_spaces(readable))
        if parsed.needs_review:
            parsed = parse_target(f"{text} {squash_spaces(readable)}")
        if parsed.comparator == Comparator.MORE_THAN and parsed.unit == "%" and parsed.value == 100:
            # Nothing is more than 100%: a "≥" that a scan or a font turned into ">".
            parsed = replace(parsed, comparator=Comparator.AT_LEAST)
        return replace(parsed, text=value)
    return parse_target(text)


def _with_unit(value: str, unit: str) -> str:
    """The aim with the unit a column of its own gives ("Đơn vị tính"): "98" and "%" → "98%"."""
    value, unit = value.strip(), unit.strip()
    if not value or not unit or not re.search(r"\d\s*$", value):
        return value
    return f"{value}{unit}" if unit == "%" else f"{value} {unit}"


def _table_target(entry: dict[str, str]) -> DraftTarget:
    text = entry.get("text", "")
    return DraftTarget(
        area_code=entry.get("area") or None,
        code=entry.get("code", ""),
        text=text,
        parsed=_parse_value(text, _with_unit(entry.get("value", ""), entry.get("unit", ""))),
        monitoring=entry.get("monitoring", ""),
        implementing=split_departments(entry.get("implementing", "")),
    )
