"""Task tables copied from a web page, without tabs."""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date

from core.text import fold, normalize_name, squash_spaces
from ingest.deadlines import parse_deadline
from ingest.plan_text.facts import _is_capacity
from ingest.plan_text.patterns import _CELL_BULLET, _GROUP_CELL, _PLAN_HEADING, _TASK_NUMBER
from ingest.plan_text.tables import STAND_INS, _task_column_role, _task_header
from ingest.plan_text.text import _is_upper, _join_continued, _words

# A task table copied from a web page comes without tabs, in one of two shapes:
# - stacked: one cell a line. The header's column names each on a line ("TT", "Nội dung công
#   việc", ...), then each row as its number on a line ("1", "5.") and its cells in column order
#   on the lines below; a cell of several lines takes several lines, an empty cell is an empty
#   line or no line at all; a group row ("I. Cải cách thể chế (05 nhiệm vụ)") is one line.
# - spaced: one row a line, its cells separated by runs of two or more spaces or by " | "
#   (Markdown's "| TT | ... |" too).
# Only a recognised task header opens such a table, so prose is never read as one, and a table
# ends at its last task row. When a row does not have one line per cell, its lines are put into
# the columns by their evidence (_fill_columns). Both give rows of cells for parse_task_table.

_OTHER_COLUMNS = frozenset(
    {"ghi chu", "kinh phi", "nguon kinh phi", "du toan", "du toan kinh phi", "don vi tinh", "dvt"}
)
_CELL_SPACES = re.compile(r"[ \t]{2,}")
_PIPE_RULE = re.compile(r"^[\s|:+]*[-–—]{2,}[\s|:+\-–—]*$")  # Markdown's "|---|:---|"
_NUMBER_AND_TEXT = re.compile(r"^(?P<n>\d{1,3}(?:\.\d{1,3})*\.?)\s+(?P<t>\S.*)$")
_LEADING_NUMBER = re.compile(r"\d+")
_WEB_TABLE_END = re.compile(r"^(?:noi nhan|tren day|phu luc|(?:tm|kt|tl|tuq)\s*\.)")
# A department-like start of a line: a lead or a coordinator ("Phòng ...", "Các phòng ...").
_BODY_START = re.compile(
    r"^(?:[-–—•+]\s*)?(?:"
    r"(?:Phòng|Văn phòng|Trung tâm|Bộ phận|UBND|Ủy ban|Uỷ ban|HĐND|Hội đồng|Công an|Mặt trận"
    r"|MTTQ|Đoàn|Trạm|Sở|Cơ quan|Đơn vị|Đảng ủy|Đảng uỷ|Thường trực|Chi cục|Kho bạc|Bảo hiểm"
    r"|Ban chỉ huy|Công chức|Cán bộ|Chủ tịch|Phó Chủ tịch|Lãnh đạo)\b(?!,?\s*chống)"
    r"|Ban\b(?!\s+hành)|Hội\b(?!\s+(?:nghị|thi|thảo|diễn))|Tổ\b(?!\s+chức)|Trường\b(?!\s+hợp)"
    r"|[Cc]ác\s+(?:phòng|Phòng|cơ quan|đơn vị|tổ|Tổ|thôn|Thôn|ban|Ban|trường|Trường|hội|Hội"
    r"|đoàn thể|ngành|bộ phận|thành viên|xã|phường|Sở|khu phố|Khu phố|tổ chức)\b)"
)
# On folded text: a line that says when ("Trước ngày ...", "... trong quý I/2026").
_WHEN_START = re.compile(
    r"^(?:truoc|trong|quy|thang|nam|hang|dinh ky|thuong xuyen|theo|khi|sau|den|tu|cham nhat"
    r"|ngay|ca nam|dau|cuoi|giua|\d)\b"
)
_WHEN_PHRASE = re.compile(
    r"\b(?:trong|truoc|den|cham nhat|vao|tu)\s+(?:ngay|tuan|thang|quy|nam|\d)"
    r"|\b(?:khi|sau khi)\s+co\b|\btheo\s+(?:quy dinh|yeu cau|huong dan|chi dao|ke hoach)\b"
    r"|\bdinh ky\b|\bhang\s+(?:tuan|thang|quy|nam)\b|\bthuong xuyen\b"
)
# On folded text: a line that names a kind of document, as products do.
_PRODUCT_START = re.compile(
    r"^(?:ke hoach|bao cao|quyet dinh|van ban|to trinh|danh muc|de an|quy che|quy dinh"
    r"|thong bao|bang|bien ban|cong van|ho so|chuong trinh|cac san pham|san pham|tai lieu"
    r"|so lieu|ket qua|du thao|nghi quyet|cac van ban|trang|phan mem|co so du lieu)\b"
)
_ANY_YEAR = (date(2000, 1, 1), date(2000, 12, 31))  # only whether a line reads as a deadline
# What leaving a column empty costs, and what each line of a row scores in a column.
_SKIP_COST = {"content": 4.0, "lead": 2.5, "coordinators": 1.5, "deadline": 1.5, "product": 1.5}
_WHEN_FIT = (-0.5, 1.5, 3.0)
_WHEN_MORE = (-1.0, 0.0, 0.5)
_WHEN_NOT_PRODUCT = (0.0, 0.5, 1.5)
_WHOLE_CELL_JOINED = -6.0


@dataclass(frozen=True)
class _Clues:
    """What a line of a row copied from a web page says about the column it belongs to."""

    body: bool  # starts with a department-like name
    when: int  # 2: reads as a deadline and says when; 1: reads as a deadline; 0: does not
    product: bool  # starts with a kind of document ("Kế hoạch", "Báo cáo", ...)
    bullet: bool
    lower: bool  # starts in lower case without a bullet: the wrapped end of the line above
    words: int


def _clues(text: str) -> _Clues:
    bare = _CELL_BULLET.sub("", text)
    folded = squash_spaces(fold(bare))
    words = _words(bare)
    when = 0
    if max(_words(item) for item in bare.split(";")) <= 14:  # "- Ban hành ...; - Báo cáo ..."
        parsed = parse_deadline(bare, period_start=_ANY_YEAR[0], period_end=_ANY_YEAR[1])
        if not parsed.needs_review:
            when = 2 if _WHEN_START.match(folded) or _WHEN_PHRASE.search(folded) else 1
    bullet = bool(_CELL_BULLET.match(text))
    first_letter = next((char for char in text if char.isalpha()), "")
    return _Clues(
        body=bool(_BODY_START.match(text)) and words <= 25,
        when=when,
        product=bool(_PRODUCT_START.match(folded)),
        bullet=bullet,
        lower=not bullet and first_letter.islower(),
        words=words,
    )


def _start_score(role: str, clue: _Clues) -> float:
    """How well a line fits as the first line of a cell of this column."""
    if role == "content":
        score = 1.0 if clue.words >= 8 else 0.5
        score -= 2.0 if clue.body and clue.words <= 12 else 0.0
        return score - (1.0 if clue.when == 2 and clue.words <= 8 else 0.0)
    if role == "lead":
        return 3.0 if clue.body and clue.words <= 20 else -2.0
    if role == "coordinators":
        return 2.5 if clue.body else -2.0
    if role == "deadline":
        score = _WHEN_FIT[clue.when] - (1.0 if clue.product and clue.when < 2 else 0.0)
        return score - (3.0 if clue.body else 0.0)
    if role == "product":
        score = 2.0 if clue.product else 1.0
        return score - _WHEN_NOT_PRODUCT[clue.when] - (2.0 if clue.body else 0.0)
    return 0.0


def _more_score(role: str, above: _Clues, clue: _Clues) -> float:
    """How well a line goes on with the cell of the line above: a wrapped line ("phường Thành
    Đông năm 2026"), the next item of a list ("- Báo cáo ..." under "- Ban hành ..."), the next
    coordinator; any other line is more likely the next cell."""
    if clue.lower:
        score = 1.0
    elif (clue.bullet and above.bullet) or (role == "coordinators" and clue.body):
        score = 0.5
    else:
        score = -2.0
    if role == "deadline":
        score += _WHEN_MORE[clue.when] - (1.0 if clue.product and clue.when < 2 else 0.0)
        score -= 3.0 if clue.body else 0.0
    elif role == "product":
        score += (0.5 if clue.product else 0.0) - _WHEN_NOT_PRODUCT[clue.when]
        score -= 2.0 if clue.body else 0.0
    elif role == "lead":
        score -= 0.0 if clue.lower else 1.5
    elif role == "coordinators":
        score -= 0.0 if clue.body or clue.lower else 1.5
    elif role == "content":
        score -= 1.5 if clue.body and clue.words <= 12 else 0.0
    return score


_State = tuple[int, bool]  # (last column given a piece, -1 before the first; whether it has text)


@dataclass
class _Offers:
    """The best score of each state after one more piece, and how it was reached."""

    scores: dict[_State, float]
    back: dict[_State, tuple[_State, int | None]]

    def __call__(self, state: _State, score: float, origin: _State, column: int | None) -> None:
        if state not in self.scores or score > self.scores[state] + 1e-9:
            self.scores[state] = score
            self.back[state] = (origin, column)


def _fill_columns(
    pieces: Sequence[str], roles: Sequence[str], whole_cells: bool
) -> list[list[str]]:
    """The pieces of one row (its lines, or its cells) put into its columns in order, each column
    taking none, one or several consecutive pieces: the placement with the best score by the
    evidence of each line (a department starts the lead, a deadline reads as one, a list goes
    on with its next "- " item, content is long...). A blank piece is an empty cell or nothing.
    Whole cells (a spaced row) are joined only when there are more of them than columns."""
    if not roles:
        return []
    skip = [_SKIP_COST.get(role, 0.5) for role in roles]
    best: dict[_State, float] = {(-1, False): 0.0}
    steps: list[dict[_State, tuple[_State, int | None]]] = []
    above: _Clues | None = None
    for piece in pieces:
        clue = _clues(piece) if piece else None
        scores: dict[_State, float] = {}
        back: dict[_State, tuple[_State, int | None]] = {}
        offer = _Offers(scores, back)
        for origin, score in best.items():
            column, has_text = origin
            if clue is None:
                offer(origin, score, origin, None)  # a blank line between cells: nothing
            elif has_text and above is not None:
                more = (
                    _WHOLE_CELL_JOINED if whole_cells else _more_score(roles[column], above, clue)
                )
                offer(origin, score + more, origin, column)
            cost = 0.0
            for target in range(column + 1, len(roles)):
                gain = _start_score(roles[target], clue) if clue is not None else 0.0
                offer((target, clue is not None), score - cost + gain, origin, target)
                cost += skip[target]
        above = clue or above
        best = scores
        steps.append(back)

    state = max(best, key=lambda s: best[s] - sum(skip[s[0] + 1 :]))
    placed: list[int | None] = [None] * len(pieces)
    for index in range(len(pieces) - 1, -1, -1):
        state, placed[index] = steps[index][state]
    columns: list[list[str]] = [[] for _ in roles]
    for piece, column in zip(pieces, placed, strict=True):
        if piece and column is not None:
            columns[column].append(piece)
    return columns


def _web_column_role(text: str) -> str | None:
    role = _task_column_role(text)
    if role is None and normalize_name(text) in _OTHER_COLUMNS:
        return "other"  # a column of its own that the draft does not keep ("Ghi chú")
    return role


def _web_columns(header: Sequence[str]) -> list[str]:
    """The role of each header cell, "other" for a cell without one or with a role seen before
    (parse_task_table reads the first column of a role)."""
    columns: list[str] = []
    for cell in header:
        role = _task_column_role(cell) or "other"
        columns.append("other" if role in columns else role)
    for stand_in, wanted in STAND_INS.items():
        if stand_in in columns:
            free = (role for role in wanted if role not in columns)
            columns[columns.index(stand_in)] = next(free, "other")
    return columns


def _web_row(number: str, pieces: Sequence[str], columns: Sequence[str], spaced: bool) -> list[str]:
    """A task row of a web table as cells in header order."""
    row = [""] * len(columns)
    number_at = columns.index("number") if "number" in columns else None
    others = [at for at in range(len(columns)) if at != number_at]
    if number_at is not None:
        row[number_at] = number
    elif number:
        pieces = [number, *pieces]
    if spaced and len(pieces) == len(others):
        for at, piece in zip(others, pieces, strict=True):
            row[at] = piece
        return row
    filled = _fill_columns(pieces, [columns[at] for at in others], whole_cells=spaced)
    for at, lines in zip(others, filled, strict=True):
        text = ""
        for line in lines:
            text = squash_spaces(f"{text} {line}") if spaced else _join_continued(text, line)
        row[at] = text
    return row


def _web_group_row(marker: str, name: Sequence[str], columns: Sequence[str]) -> list[str]:
    """A group row ("I. Cải cách thể chế (05 nhiệm vụ)", or "I" with its name in the next cell)."""
    row = [""] * len(columns)
    text = squash_spaces(" ".join(name))
    if "number" in columns:
        row[columns.index("number")] = marker
        if text and "content" in columns:
            row[columns.index("content")] = text
    elif "content" in columns:
        row[columns.index("content")] = squash_spaces(f"{marker} {text}")
    return row


def _is_web_group(text: str) -> bool:
    group = _GROUP_CELL.match(text)
    if not group:
        return False
    return bool((group["t"] or "").strip()) or bool(re.fullmatch(r"[IVXL]{1,5}", group["m"]))


def _follows(number: str, previous: str | None) -> bool:
    """Whether a bare number is the next row ("3" after "2", "1" after a group, "1.1" after
    "1") rather than a cell that happens to be a number ("2026")."""
    if previous is None:
        return True
    first = int(_LEADING_NUMBER.match(number).group())  # type: ignore[union-attr]
    before = int(_LEADING_NUMBER.match(previous).group())  # type: ignore[union-attr]
    same = number.rstrip(".") == previous.rstrip(".")
    return first == 1 or (before <= first <= before + 2 and not same)


def _ends_web_table(text: str) -> bool:
    """A line that cannot be in a table's cell: "Nơi nhận:", a signature, an upper-case heading."""
    return bool(
        _WEB_TABLE_END.match(fold(text))
        or _is_capacity(text)
        or _PLAN_HEADING.match(text)
        or (_is_upper(text) and _words(text) >= 3)
    )


@dataclass
class _WebRow:
    kind: str  # "task" | "group" | "more" (the rest of the row above, after a page break)
    number: str  # the row number, or the whole group line
    pieces: list[str]  # the lines (stacked) or cells (spaced) after the number
    last: int  # index of the row's last line


def _stacked_header(lines: Sequence[str], at: int) -> tuple[list[str], int] | None:
    """The header of a stacked table starting at `at`, "TT" first, and the line after it."""
    cells: list[str] = []
    index = at
    while index < len(lines) and len(cells) < 12:
        text = squash_spaces(lines[index])
        if not text or "\t" in lines[index] or _TASK_NUMBER.match(text) or _is_web_group(text):
            break  # a group row names "nhiệm vụ" too: "I. Cải cách thể chế (05 nhiệm vụ)"
        if _web_column_role(text) is None:
            wrapped = text[:1].islower() or (cells and cells[-1].endswith(("/", "-", ",")))
            if cells and wrapped and _words(text) <= 4:  # "Thời gian thực hiện/" "hoàn thành"
                cells[-1] = f"{cells[-1]} {text}"
                index += 1
                continue
            break
        cells.append(text)
        index += 1
    roles = _task_header(cells) if len(cells) >= 3 else None
    if roles is None or roles.get("number") != 0:
        return None
    return cells, index


def _after_column_numbers(lines: Sequence[str], index: int, count: int) -> int:
    """Past the "(1)" ... "(6)" lines some tables put under their header, if there."""
    probe, seen = index, 0
    while probe < len(lines) and seen < count:
        text = squash_spaces(lines[probe])
        if text:
            if text.strip("()") != str(seen + 1):
                return index
            seen += 1
        probe += 1
    return probe


def _opens_stacked_row(lines: Sequence[str], at: int, previous: str | None) -> bool:
    text = squash_spaces(lines[at])
    return bool(
        (_TASK_NUMBER.match(text) and _follows(text, previous))
        or (_is_web_group(text) and _group_opens(lines, at))
        or (_web_column_role(text) and _stacked_header(lines, at))
    )


def _row_goes_on(lines: Sequence[str], at: int, previous: str | None, count: int) -> bool:
    """Whether the lines from `at` on, after a blank line, still belong to the row above: the
    next row (or the header again) comes within `count` lines (a table copied with a blank line
    between its lines)."""
    seen = 0
    for index in range(at, len(lines)):
        text = squash_spaces(lines[index])
        if not text:
            continue
        if _opens_stacked_row(lines, index, previous):
            return True
        if seen == count or _ends_web_table(text) or "\t" in lines[index]:
            return False
        seen += 1
    return False


def _row_wants_more(
    lines: Sequence[str], at: int, previous: str | None, pieces: Sequence[str], roles: list[str]
) -> bool:
    """Whether the line at `at`, after one blank line, is still the row's: the row has fewer
    lines than cells; or the next row comes soon (_row_goes_on); or the table has a blank line
    between all its lines and a column of the row is still empty (its last cell, at the end of
    the table)."""
    if sum(1 for piece in pieces if piece) < len(roles):
        return True
    if _row_goes_on(lines, at, previous, 2 * len(roles)):
        return True
    spaced_out = len(pieces) >= 4 and not any(pieces[0::2]) and all(pieces[1::2])
    if not spaced_out:
        return False
    filled = _fill_columns(pieces, roles, whole_cells=False)
    return any(not cells for cells, role in zip(filled, roles, strict=True) if role != "other")


def _group_opens(lines: Sequence[str], at: int) -> bool:
    """Whether the group line at `at` is followed by a row ("I. ..." then "1"), its name first
    when the numeral stands alone ("I", "Cải cách thể chế", "1")."""
    named = bool((_GROUP_CELL.match(squash_spaces(lines[at])) or {"t": ""})["t"])
    seen = 0
    for index in range(at + 1, len(lines)):
        text = squash_spaces(lines[index])
        if not text:
            continue
        if _TASK_NUMBER.match(text) or (_web_column_role(text) and _stacked_header(lines, index)):
            return True
        if named or seen == 2:
            return False
        seen += 1
    return False


def _cut_cells(
    lines: Sequence[str], at: int, previous: str | None, count: int
) -> tuple[list[str], int] | None:
    """The lines under a repeated header up to the next row: the rest of the row cut by the page
    break, as lines (blank lines kept: a row of `count` lines is read cell by cell), and the
    line after them; None when they run into the end of the table."""
    pieces: list[str] = []
    last = at
    for index in range(at, len(lines)):
        text = squash_spaces(lines[index])
        if text and _opens_stacked_row(lines, index, previous):
            break
        if text and (_ends_web_table(text) or "\t" in lines[index]):
            return None
        pieces.append(text)
        if text:
            last = index + 1
        if len(pieces) > 2 * count:
            return None
    while pieces and not pieces[-1]:
        pieces.pop()
    return pieces, last


def _stacked_table(lines: Sequence[str], at: int) -> tuple[int, list[list[str]]] | None:
    """A table copied one cell a line: (the line after its last task row, rows of cells)."""
    header = _stacked_header(lines, at)
    if header is None:
        return None
    cells, index = header
    columns = _web_columns(cells)
    index = _after_column_numbers(lines, index, len(columns))
    rows: list[_WebRow] = []
    current: _WebRow | None = None
    previous: str | None = None
    while index < len(lines):
        text = squash_spaces(lines[index])
        if not text:
            following = index
            while following < len(lines) and not lines[following].strip():
                following += 1
            if following < len(lines) and _opens_stacked_row(lines, following, previous):
                index = following  # between rows, or a page break before a repeated header
                continue
            single = following == index + 1 and following < len(lines)
            if (
                current
                and current.kind == "task"
                and single
                and _row_wants_more(lines, following, previous, current.pieces, columns[1:])
            ):
                current.pieces.append("")  # an empty cell, or lines copied with a blank between
                index = following
                continue
            break
        repeated = _stacked_header(lines, index) if _web_column_role(text) else None
        if repeated is not None:  # the header again after a page break
            index = _after_column_numbers(lines, repeated[1], len(columns))
            if current is None or current.kind != "task":
                continue
            cut = _cut_cells(lines, index, previous, len(columns))
            if cut is None:
                break
            pieces, index = cut
            if any(pieces):  # the end of the row above, cut by the page break
                current = _WebRow("more", "", pieces, index - 1)
                rows.append(current)
            continue
        if _TASK_NUMBER.match(text) and _follows(text, previous):
            current = _WebRow("task", text, [], index)
            rows.append(current)
            previous = text
        elif _is_web_group(text):
            current = _WebRow("group", text, [], index)
            rows.append(current)
            previous = None
        elif current is None or "\t" in lines[index] or _ends_web_table(text):
            break
        elif current.kind == "group" and (
            (_GROUP_CELL.match(current.number)["t"] or "").strip() or len(current.pieces) >= 2  # type: ignore[index]
        ):
            break  # a Roman heading of the body after the table ("IV. TỔ CHỨC THỰC HIỆN")
        else:
            current.pieces.append(text)
            current.last = index
        index += 1
    return _web_rows(cells, columns, rows, spaced=False)


def _web_rows(
    header: list[str], columns: Sequence[str], rows: Sequence[_WebRow], spaced: bool
) -> tuple[int, list[list[str]]] | None:
    """(the line after the last task row, the header and rows up to it as cells); group rows
    after the last task are the body's headings, not the table's."""
    tasks = [at for at, row in enumerate(rows) if row.kind != "group"]
    if not any(row.kind == "task" for row in rows):
        return None
    grid = [header]
    for row in rows[: tasks[-1] + 1]:
        if row.kind == "group":
            grid.append(_web_group_row(row.number, row.pieces, columns))
        elif row.kind == "more" and len(row.pieces) == len(columns) and not row.pieces[0]:
            grid.append(list(row.pieces))  # a row cut by a page break, its empty cells kept
        else:
            pieces = [piece for piece in row.pieces if piece] if row.kind == "more" else row.pieces
            grid.append(_web_row(row.number, pieces, columns, spaced))
    return rows[tasks[-1]].last + 1, grid


def _spaced_cells(line: str, pipe: bool) -> list[str]:
    text = line.strip()
    if pipe:
        text = text.removeprefix("|").removesuffix("|")
        return [squash_spaces(cell) for cell in text.split("|")]
    return [squash_spaces(cell) for cell in _CELL_SPACES.split(text) if cell.strip()]


def _spaced_header(line: str) -> tuple[list[str], bool] | None:
    """The header cells of a spaced table and whether its cells are separated by "|"."""
    text = line.strip()
    for pipe in (True, False):
        if (pipe and "|" not in text) or (not pipe and not _CELL_SPACES.search(text)):
            continue
        cells = _spaced_cells(text, pipe)
        if len(cells) >= 3 and _task_header(cells):
            return cells, pipe
    return None


def _spaced_table(lines: Sequence[str], at: int) -> tuple[int, list[list[str]]] | None:
    """A table copied one row a line: (the line after its last task row, rows of cells)."""
    header = _spaced_header(lines[at])
    if header is None:
        return None
    cells, pipe = header
    columns = _web_columns(cells)
    numbered = columns[:1] == ["number"]
    rows: list[_WebRow] = []
    for index in range(at + 1, len(lines)):
        text = lines[index].strip()
        if not text or (pipe and _PIPE_RULE.match(text)):
            continue
        if "\t" in text:
            break
        if pipe and "|" not in text:  # a group row on a line of its own, else the table ended
            if not _is_web_group(squash_spaces(text)):
                break
            rows.append(_WebRow("group", squash_spaces(text), [], index))
            continue
        found = _spaced_cells(text, pipe)
        if len(found) >= 3 and _task_header(found):
            continue  # the header again after a page break
        filled = [cell for cell in found if cell]
        if not filled:
            continue
        split = _NUMBER_AND_TEXT.match(found[0]) if numbered and not pipe else None
        if split and len(filled) >= 2:  # "1 Xây dựng ...": one space after the number
            found = [split["n"], split["t"], *found[1:]]
        if len(filled) <= 2 and found[0] and _is_web_group(found[0]):
            rows.append(_WebRow("group", found[0], found[1:], index))
            continue
        if numbered and (
            _TASK_NUMBER.match(found[0]) or (not found[0] and len(found) == len(columns))
        ):  # a numbered row, or one cut by a page break ("| | | | | số CCHC ... |")
            rows.append(_WebRow("task", found[0], found[1:], index))
        elif pipe or len(filled) >= len(columns) - 1:
            rows.append(_WebRow("task", "", found, index))  # a row without a number
        else:
            break
    return _web_rows(cells, columns, rows, spaced=True)


def _web_table(lines: Sequence[str], at: int) -> tuple[int, list[list[str]]] | None:
    """The task table copied from a web page whose header is at line `at`, if there is one:
    (the line after it, its rows of cells). Never raises: what cannot be read stays text."""
    text = lines[at].strip()
    if not text:
        return None
    try:
        if "|" in text or _CELL_SPACES.search(text):
            spaced = _spaced_table(lines, at)
            if spaced is not None:
                return spaced
        if _web_column_role(squash_spaces(text)) is not None:
            return _stacked_table(lines, at)
    except Exception:  # a table that cannot be read is left to the body, never a crash
        return None
    return None
