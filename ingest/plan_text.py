"""Read the plain text of a commune/ward CCHC plan into a structured draft for review.

A commune or ward writes its administrative-reform plan (kế hoạch cải cách hành chính) in Word
or PDF; this module reads the plain text (tables as tab-separated rows) into the document facts,
the areas, targets, tasks, duties by department and dated events. Nothing is saved: the draft is
shown to a person, so values are kept as written and what cannot be read becomes a warning, never
an exception. Pure functions, no Django.

Choices where the wording is open:
- A task table (the appendix) wins over prose: when one is found, the paragraphs under
  "NHIỆM VỤ, GIẢI PHÁP" are not tasks, and the table's group rows are the areas.
- Without a table, the bullets (and long lettered paragraphs) under the area headings are tasks
  with no lead and deadline_text "" (its ParsedDeadline needs review); "+" sub-bullets stay inside
  their parent item. Inspection plans are read the same way: each checked item is a prose task.
- Areas are the shallowest numbered headings of the tasks section: "1.1." when there are any
  (seed 003: "1. Kiểm tra định kỳ" is their parent, not an area), else "1.", else "a)".
  "a) Chỉ tiêu" / "b) Nhiệm vụ" are not areas but say what the bullets below them are; a short
  lettered heading over bullets ("a. Đổi mới sáng tạo") is kept as the tasks' `group`.
- Bullets under a numbered heading that is not an area ("2. Về kiểm tra đột xuất") are left out.
- implements lists only documents cited with a number ("Quyết định số 5256/QĐ-UBND ..."): a law
  cited by name alone (Luật Tổ chức chính quyền địa phương) is a legal basis, not a plan.
- Duties: every item one level under "Phân công nhiệm vụ/trách nhiệm" is a department. An item
  written as one sentence with no "Department:" heading ("Đề nghị Mặt trận Tổ quốc ... tích cực
  tham gia ...") is kept when a body can be cut before its first verb; the sentence is its duty.
- A task table copied from a web page comes without tabs: one cell a line, or one row a line
  with its cells separated by two or more spaces or " | " (see _web_table). It is read only after
  a recognised header; a row whose lines are as many as its cells fills them in order, else each
  line goes where it reads best (a department starts the lead, a deadline reads as one, "- "
  items go on with their list, content comes first and products last). A row copied as one
  line keeps a cell of several lines as the one line it came as.
- Recipients: a "} Để báo cáo" line (a brace drawn beside the lines above) is not a recipient.
- The plan period comes from the title ("năm 2026", "sáu tháng cuối năm 2025"), else the year of
  issue; the issuing body of a decision's plan is the UBND that "ban hành" the plan.

A Word, PDF or Excel document read into paragraphs and tables (ingest.documents) goes through
parse_plan_blocks: the same reading, with its tables parsed cell by cell instead of as
tab-separated lines, and each paragraph a line of its own.
"""

from __future__ import annotations

import re
import unicodedata
from calendar import monthrange
from collections import Counter
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, field, replace
from datetime import date
from typing import TypeVar

from core.text import fold, normalize_name, squash_spaces
from ingest.deadlines import MilestoneKind, ParsedDeadline, parse_deadline
from ingest.targets import ParsedTarget, parse_target

# --- Result -------------------------------------------------------------------------------------


@dataclass
class DocumentFacts:
    kind: str = ""  # "plan" | "decision" | ""
    plan_kind: str = "other"  # annual | six_month | criteria | inspection | communication | other
    number: str = ""  # "16/QĐ-UBND"; "" when the number is left blank ("Số: /KH-UBND")
    number_suffix: str = ""  # "QĐ-UBND", also when the number itself is blank
    place: str = ""
    issued_on: date | None = None
    issued_month: int | None = None
    issued_year: int | None = None
    issuing_body: str = ""  # "UBND phường Thành Đông"
    unit_kind: str = ""  # "phường" | "xã" | "thị trấn"
    unit_name: str = ""
    title: str = ""
    signer: str = ""
    signing_capacity: list[str] = field(default_factory=list)
    period_start: date | None = None
    period_end: date | None = None
    implements: list[str] = field(default_factory=list)
    recipients: list[str] = field(default_factory=list)


@dataclass(frozen=True)
class DraftArea:
    order: int
    code: str  # "1", "I", "1.1"
    name: str


@dataclass
class DraftTarget:
    area_code: str | None
    code: str  # "a", "1", "1.1", ""
    text: str
    parsed: ParsedTarget
    monitoring: str = ""  # target tables: "Đơn vị theo dõi, hướng dẫn thực hiện"
    implementing: list[str] = field(default_factory=list)  # "Đơn vị thực hiện"


@dataclass
class DraftTask:
    area_code: str | None
    number: str  # as written: "1", "5.", "a", "" for a bullet
    content: str
    lead: str
    coordinators: list[str]
    deadline_text: str
    deadline: ParsedDeadline
    product: str
    source: str  # "table" | "prose"
    warnings: list[str] = field(default_factory=list)
    group: str = ""  # the short heading the bullet sits under inside its area, if any


@dataclass
class DraftDuty:
    department: str
    duties: list[str]


@dataclass(frozen=True)
class DatedEvent:
    label: str
    start: date | None
    end: date | None
    text: str


@dataclass
class PlanDraft:
    facts: DocumentFacts
    areas: list[DraftArea] = field(default_factory=list)
    targets: list[DraftTarget] = field(default_factory=list)
    tasks: list[DraftTask] = field(default_factory=list)
    duties: list[DraftDuty] = field(default_factory=list)
    events: list[DatedEvent] = field(default_factory=list)
    warnings: list[str] = field(default_factory=list)


# --- Patterns -----------------------------------------------------------------------------------

_BOLD = re.compile(r"\*\*")
_MD_BULLET = re.compile(r"(?m)^([ \t]*)\*[ \t]+")
_MD_HEADING = re.compile(r"(?m)^[ \t]*#{1,6}[ \t]+")

# Numbering of a body line, tried in this order after an optional bullet ("- 1. Phòng ...").
_ROMAN = re.compile(r"^(?P<m>[IVX]{1,4})[.)]\s*(?P<t>\S.*)?$")
_DOTTED = re.compile(r"^(?P<m>\d{1,2}(?:\.\d{1,2}){1,3})\.?(?:\s+(?P<t>\S.*))?$")
_NUMBERED = re.compile(r"^(?P<m>\d{1,2})[.)](?:\s*(?P<t>[^\d\s/].*))?$")
_LETTERED = re.compile(r"^(?P<m>[a-zđ])[.)]\s+(?P<t>\S.*)$")
_NUMBERINGS: tuple[tuple[str, re.Pattern[str]], ...] = (
    ("roman", _ROMAN),
    ("dotted", _DOTTED),
    ("number", _NUMBERED),
    ("letter", _LETTERED),
)
_HEADING_KINDS = frozenset({"roman", "dotted", "number", "letter"})
_PLUS = re.compile(r"^(?:[-–—•]\s*)?\+\s*(?P<t>.*)$")
_BULLET = re.compile(r"^[-–—•·]\s*(?P<t>.*)$")
_TERMINAL = (".", ";", ":", "!", "?", "…")
_COLON = re.compile(r":(?=\s|$)")

# Header of the document.
_NUMBER_LINE = re.compile(
    r"^\s*số\s*:?\s*(?P<n>\d*)\s*/\s*(?P<s>[\w\-]+(?:/[\w\-]+)*)", re.IGNORECASE
)
_PLACE_DATE = re.compile(
    r"^\s*(?P<place>[^\d,;:()/]{2,60}?)\s*,\s*ngày\b[\s._…]*(?P<d>\d{1,2})?[\s._…]*"
    r"tháng\b[\s._…]*(?P<m>\d{1,2})?[\s._…]*năm\s*(?P<y>\d{4})",
    re.IGNORECASE,
)
_PLAN_HEADING = re.compile(r"^KẾ HOẠCH\b\s*[:.]?\s*(?P<rest>.*)$")
_DECISION_HEADING = re.compile(r"^QUYẾT ĐỊNH\s*$")
_TITLE_STOP = re.compile(r"^(?:can cu|thuc hien quyet|so\s*:)")
_CAPACITY_PREFIX = re.compile(r"^(?P<p>TM|KT|TL|TUQ|Q|T/M|K/T)\s*\.\s*")
_CAPACITY_WORDS = ("CHỦ TỊCH", "GIÁM ĐỐC", "TRƯỞNG", "BÍ THƯ")
_SIGNED_NOTE = re.compile(r"^\(?\s*(?:đã\s+)?k[ýí]\s*\)?\.?$", re.IGNORECASE)
_RECIPIENT = re.compile(r"^[-–—•+]\s*(?P<t>.*)$")

# Period and kind of plan, on folded text.
_HALF = re.compile(r"\b(?:0?6|sau)\s+thang\s+(?P<part>dau|cuoi)(?:\s+nam)?(?:\s+(?P<y>\d{4}))?")
_QUARTER = re.compile(r"\bquy\s+(?P<q>iv|iii|ii|i|[1-4])(?:\s*/\s*|\s+nam\s+)(?P<y>\d{4})")
_QUARTERS = {"i": 1, "ii": 2, "iii": 3, "iv": 4, "1": 1, "2": 2, "3": 3, "4": 4}
_STAGE = re.compile(r"\bgiai\s+doan\s+(?P<a>\d{4})\s*-\s*(?P<b>\d{4})")
_YEAR = re.compile(r"\bnam\s+(?P<y>\d{4})\b")
_PLAN_KINDS: tuple[tuple[str, re.Pattern[str]], ...] = (
    ("inspection", re.compile(r"\bkiem\s+tra\b")),
    ("communication", re.compile(r"\btuyen\s+truyen\b")),
    ("criteria", re.compile(r"\bbo\s+tieu\s+chi\b|\bchi\s+so\s+(?:cai\s+cach|cchc)\b")),
    ("six_month", _HALF),
    ("annual", re.compile(r"\bnam\s+\d{4}\b|\bhang\s+nam\b")),
)

# The commune or ward: "phường Thành Đông", "UBND xã Thái Tân ban hành ...".
_UNIT_WORD = re.compile(r"\b(?P<kind>xã|phường|thị trấn)\s+")
_UNIT_BODY = re.compile(
    r"\b(?:UBND|Ủy ban nhân dân|Uỷ ban nhân dân)\s+(?P<kind>xã|phường|thị trấn)\b"
)
_ISSUES = re.compile(r"\s*(?:ban hành|xây dựng)\b")

# Documents the plan implements, on aligned folded text ("Quyết định số 5256/QĐ-UBND ...").
_BASIS = re.compile(r"^(?:can\s+cu|thuc\s+hien)\b")
_REFERENCE = re.compile(
    r"\b(?:bo\s+luat|luat|nghi\s+quyet|nghi\s+dinh|quyet\s+dinh|ke\s+hoach|thong\s+tu|chi\s+thi"
    r"|cong\s+van|huong\s+dan|chuong\s+trinh|cong\s+dien|thong\s+bao|ket\s+luan|de\s+an)"
    r"\s+(?:so\s+)?(?=\d[\w\-]*/)"
)
_DOC_NUMBER = re.compile(r"\d[\w\-]*(?:/[\w\-]+)+")
# "...; UBND phường Thành Đông ban hành kế hoạch ..." closes the list of documents.
_ISSUER_CLAUSE = re.compile(
    r"[.;,]\s+(?:UBND|Ủy ban nhân dân|Uỷ ban nhân dân)\s+(?:xã|phường|thị trấn)\b[^.;]*?"
    r"\b(?:ban hành|xây dựng)\b"
)
_SENTENCE_END = re.compile(r"\.\s+(?=\S)")
_TRAILING_AND = re.compile(r"(?:\s+(?:và|cùng))+$")

# Headings of the body, on normalize_name text.
_TARGET_HEAD = re.compile(r"^(?:mot so |cac )?chi tieu(?: \w+){0,3}$")
_TASK_HEAD = re.compile(r"^(?:cac |mot so )?(?:nhiem vu|giai phap)(?: \w+){0,3}$")
_DUTY_HEAD = re.compile(
    r"\bphan cong\b.*\b(?:nhiem vu|trach nhiem)\b|\btrach nhiem cu the\b|\btrach nhiem cua cac\b"
)
# A lettered duty item written as a sentence: the body named before its first verb.
_ACTION = re.compile(
    r"\b(?:trien\s+khai|tich\s+cuc|thuc\s+hien|chu\s+tri|phoi\s+hop|tham\s+muu"
    r"|co\s+trach\s+nhiem|chiu\s+trach\s+nhiem|tap\s+trung|chu\s+dong|theo\s+doi|huong\s+dan"
    r"|bao\s+cao)\b"
)
_PLEASE = re.compile(r"^(?:Đề nghị|Đề xuất|Yêu cầu)\s+", re.IGNORECASE)
_DUTY_STOP = re.compile(r"^(?:\(|trong\s+qua\s+trinh|tren\s+day|noi\s+nhan|phu\s+luc)")

# Dated events, on aligned folded text.
_LABELLED = re.compile(r"^(?P<label>[^:]{2,160}?)\s*:\s*(?P<rest>\S.*)$")
_DATE_START = re.compile(
    r"^(?:du\s+kien\s+)?(?:tu\s+|trong\s+|truoc\s+|den\s+|vao\s+)?(?:ngay|thang|quy|nam|\d)"
)
_SEND_BEFORE = re.compile(
    r"\b(?:gui|nop)(?:\s+\S+){0,3}?\s+(?:truoc|cham\s+nhat(?:\s+la)?)\s+(?=ngay\b)"
)
_WHEN_END = re.compile(r"[,;()]|\s(?:de|ve|cho|tai)\s|\.(?:\s|$)")
_LABEL_BOUNDARY = re.compile(r"[(;)]|\.\s")
_FOR = re.compile(r"\bdoi\s+voi\b")
_MONTH_OR_QUARTER = re.compile(r"^(?:trong\s+|vao\s+)?(?P<unit>thang|quy)\s+\S")

# Tables.
_TASK_NUMBER = re.compile(r"^\d{1,3}(?:\.\d{1,3})*\.?$")
_SINGLE_NUMBER = re.compile(r"^(?P<n>\d{1,2})\.?$")
_GROUP_CELL = re.compile(r"^(?P<m>[IVXL]{1,5}|[A-Z])(?:\s*[.)]\s*(?P<t>.*)|\s*)$", re.DOTALL)
_DECLARED = re.compile(
    r"\(\s*(?P<n>\d{1,3})\s*(?:nhiem\s+vu|nv|cong\s+viec|noi\s+dung|chi\s+tieu)\s*\)"
)
_COLUMN_NUMBERING = re.compile(r"^\(?\d{1,2}\)?$")
_CELL_BULLET = re.compile(r"^[-–—•+]\s*")
_NUMBER_HEADERS = frozenset({"tt", "stt", "so tt", "so thu tu", "thu tu"})
_COMPARISON_SIGNS = (
    (">=", "từ "),
    ("≥", "từ "),
    ("<=", "không vượt quá "),
    ("≤", "không vượt quá "),
    (">", "trên "),
    ("<", "dưới "),
)

# Department names in a list of coordinators: split before one of these capitalised words only,
# so that "Phòng Kinh tế, Hạ tầng và Đô thị" and "Phòng Văn hóa - Xã hội" stay whole.
_DEPARTMENT_START = (
    r"(?:Phòng|Văn phòng|Trung tâm|Ban|Bộ phận|Các|UBND|Ủy ban|Uỷ ban|HĐND|Hội đồng|Công an"
    r"|Mặt trận|Đoàn|Hội|Tổ|Trường|Trạm|Sở|Cơ quan|Đơn vị|Đảng ủy|Thường trực|Chi cục"
    r"|Kho bạc|Bảo hiểm)\b"
)
# "…, các Tổ dân phố": a plural body written in lower case after a comma is a body of its own.
_PLURAL_BODY = (
    r"các\s+(?:Tổ|tổ|thôn|Thôn|khu phố|Khu phố|đoàn thể|hội|Hội|trường|Trường|cơ quan|đơn vị)\b"
)
_COMMA_BEFORE_DEPARTMENT = re.compile(rf",\s*(?={_DEPARTMENT_START}|{_PLURAL_BODY})")
_DASH_BEFORE_DEPARTMENT = re.compile(rf"\s+[-–—]\s+(?={_DEPARTMENT_START})")


# --- Text helpers -------------------------------------------------------------------------------


def _afold(text: str) -> str:
    """`fold` one character at a time, so that position i of the result is position i of text."""
    return "".join((fold(char) or " ")[0] for char in text)


def _is_upper(text: str) -> bool:
    letters = [char for char in text if char.isalpha()]
    return bool(letters) and all(char.isupper() for char in letters)


def _capitalise(text: str) -> str:
    return text[:1].upper() + text[1:]


def _words(text: str) -> int:
    return len(text.split())


def _unbold(match: re.Match[str]) -> str:
    """Drop a "**" marker; where it glued a heading to the next line, restore the line break."""
    text = match.string
    before = text[match.start() - 1] if match.start() else ""
    after = text[match.end()] if match.end() < len(text) else ""
    if before.isupper() and (after.isupper() or after.isdigit()):
        return "\n"  # "KẾ HOẠCH**Cải cách ...", "YÊU CẦU**1. Mục đích"
    if before and not before.isspace() and before not in "([“\"'" and after.isalnum():
        return " "  # "Xã hội:**Tham mưu"
    return ""


def _clean(text: str) -> str:
    """NFC text with Markdown residue removed and every kind of line break made "\\n"."""
    text = unicodedata.normalize("NFC", text or "")
    text = text.replace("\r\n", "\n").replace("\r", "\n").replace("\f", "\n").replace("\v", "\n")
    text = text.replace("\u00a0", " ").replace("\u200b", "").replace("\ufeff", "")
    text = _BOLD.sub(_unbold, text)
    text = _MD_BULLET.sub(r"\1- ", text)
    text = _MD_HEADING.sub("", text)
    return text.replace("*", "")


def _clean_cell(value: object) -> str:
    """A table cell: its lines squashed, empty lines dropped, Markdown residue removed."""
    text = _clean(value if isinstance(value, str) else "" if value is None else str(value))
    lines = (squash_spaces(line) for line in text.split("\n"))
    return "\n".join(line for line in lines if line)


def _join_continued(above: str, more: str) -> str:
    """Join the two halves of a cell cut by a page break: a new bullet or a closed sentence goes
    on a new line, a sentence cut in the middle ("chấm điểm chỉ" + "số CCHC") goes on with a
    space."""
    if not above:
        return more
    if not more:
        return above
    first_letter = next((char for char in more if char.isalpha()), "")
    if _CELL_BULLET.match(more) or above.rstrip().endswith(_TERMINAL):
        return f"{above}\n{more}"
    if first_letter.islower() or more[:1].isdigit():
        return f"{above} {more}"
    return f"{above}\n{more}"


def split_departments(text: str) -> list[str]:
    """Department names of a "Cơ quan phối hợp" cell, each as written.

    Split on lines, ";" and bullets; on "," or " - " only before a capitalised department word.
    """
    names: list[str] = []
    for line in (text or "").split("\n"):
        for part in line.split(";"):
            for piece in _DASH_BEFORE_DEPARTMENT.split(part):
                for name in _COMMA_BEFORE_DEPARTMENT.split(piece):
                    name = squash_spaces(_CELL_BULLET.sub("", name.strip())).strip(" ,.;:")
                    if name:
                        names.append(name)
    return names


_T = TypeVar("_T")


def _guarded(warnings: list[str], what: str, read: Callable[[], _T], default: _T) -> _T:
    """Run one reading step; a failure costs that part of the draft, never the whole draft."""
    try:
        return read()
    except Exception as error:  # any input must give a draft, never a crash
        warnings.append(f"Không đọc được {what} ({type(error).__name__})")
        return default


# --- Body lines ---------------------------------------------------------------------------------


@dataclass
class _Item:
    """One paragraph of the body: a heading, a bullet or a text line, with wrapped lines joined."""

    line: int
    last_line: int
    kind: str  # roman | dotted | number | letter | bullet | plus | text
    marker: str  # "II", "1.1", "2", "a", ""
    text: str
    upper: bool

    @property
    def level(self) -> int:
        if self.kind == "roman":
            return 0
        if self.kind == "number":
            return 1
        if self.kind == "dotted":
            return 1 + self.marker.count(".")
        if self.kind == "letter":
            return 5
        return 9


def _classify(line: str) -> tuple[str, str, str]:
    stripped = line.strip()
    plus = _PLUS.match(stripped)
    if plus:
        return "plus", "", plus["t"].strip()
    bullet = _BULLET.match(stripped)
    body = bullet["t"].strip() if bullet else stripped
    for kind, pattern in _NUMBERINGS:
        numbered = pattern.match(body)
        if numbered:
            return kind, numbered["m"], (numbered["t"] or "").strip()
    if bullet:
        return "bullet", "", body
    return "text", "", stripped


def _continues(previous: _Item, line: str, index: int, hard_breaks: bool = False) -> bool:
    """Whether a text line goes on with the paragraph above (wrapped by Word or the PDF).

    With hard_breaks (a document read as blocks: every line is a paragraph of its own, wrapped
    lines already joined), a line right under another is no reason to join them."""
    if previous.upper or _is_upper(line) or line.startswith("("):
        return False
    if previous.text.rstrip().endswith(_TERMINAL):
        return False
    first_letter = next((char for char in line if char.isalpha()), "")
    if first_letter.islower() or (line[:1].isdigit() and previous.text.endswith("-")):
        return True
    adjacent = not hard_breaks and index == previous.last_line + 1
    return adjacent and previous.kind in ("text", "bullet", "plus")


def _items(lines: Sequence[str], hard_breaks: bool = False) -> list[_Item]:
    items: list[_Item] = []
    for index, raw in enumerate(lines):
        stripped = squash_spaces(raw)
        if not stripped:
            continue
        kind, marker, text = _classify(stripped)
        if kind == "text" and items and _continues(items[-1], stripped, index, hard_breaks):
            previous = items[-1]
            glue = "" if previous.text.endswith("-") and stripped[:1].isdigit() else " "
            previous.text = f"{previous.text}{glue}{stripped}"
            previous.last_line = index
            continue
        items.append(_Item(index, index, kind, marker, text, _is_upper(text or stripped)))
    return items


def _children(items: Sequence[_Item], at: int) -> list[_Item]:
    """The items under the heading at `at`, up to the next heading of its level or higher."""
    level = items[at].level
    out: list[_Item] = []
    for item in items[at + 1 :]:
        if item.kind in _HEADING_KINDS and item.level <= level:
            break
        out.append(item)
    return out


def _section_role(title: str) -> str:
    words = normalize_name(title)
    if "phan cong" in words:
        return "duties"
    if "to chuc thuc hien" in words or "muc dich" in words or "kinh phi" in words:
        return "other"
    if any(k in words for k in ("nhiem vu", "giai phap", "noi dung", "chi tieu")):
        return "areas"
    return "other"


@dataclass
class _Section:
    role: str  # preamble | areas | duties | other
    items: list[_Item]


def _sections(items: Sequence[_Item]) -> list[_Section]:
    sections = [_Section("preamble", [])]
    for item in items:
        if item.kind == "roman":
            sections.append(_Section(_section_role(item.text), [item]))
        else:
            sections[-1].items.append(item)
    return sections


def _is_target_head(text: str) -> bool:
    words = normalize_name(text)
    return bool(_TARGET_HEAD.match(words)) and "nhiem vu" not in words


def _is_task_head(text: str) -> bool:
    words = normalize_name(text)
    return bool(_TASK_HEAD.match(words)) and "chi tieu" not in words


# --- Tables -------------------------------------------------------------------------------------


def _task_column_role(cell: str) -> str | None:
    words = normalize_name(cell)
    if not words or _words(words) > 8:
        return None
    padded = f" {words} "
    if words in _NUMBER_HEADERS:
        return "number"
    if " chu tri " in padded:
        return "lead"
    if " phoi hop " in padded:
        return "coordinators"
    if any(f" {k} " in padded for k in ("thoi gian", "thoi han", "tien do", "han hoan thanh")):
        return "deadline"
    if " san pham " in padded or " ket qua " in padded:
        return "product"
    if any(f" {k} " in padded for k in ("noi dung", "nhiem vu", "cong viec", "hoat dong", "ten")):
        return "content"
    return None


def _target_column_role(cell: str) -> str | None:
    words = normalize_name(cell)
    if not words or _words(words) > 10:
        return None
    padded = f" {words} "
    if words in _NUMBER_HEADERS:
        return "number"
    if " theo doi " in padded or " huong dan " in padded:
        return "monitoring"
    if any(f" {k} " in padded for k in ("phan dau", "muc tieu", "gia tri", "chi tieu dat")):
        return "value"
    if " thuc hien " in padded and (" don vi " in padded or " co quan " in padded):
        return "implementing"
    if words == "thuc hien":
        return "implementing"
    if " chi tieu " in padded or " noi dung " in padded:
        return "text"
    return None


def _roles(row: Sequence[str], role_of: Callable[[str], str | None]) -> dict[str, int]:
    roles: dict[str, int] = {}
    for column, cell in enumerate(row):
        role = role_of(cell)
        if role and role not in roles:
            roles[role] = column
    return roles


def _task_header(row: Sequence[str]) -> dict[str, int] | None:
    roles = _roles(row, _task_column_role)
    if "content" in roles and len(roles) >= 3 and ("lead" in roles or "deadline" in roles):
        return roles
    return None


def _target_header(row: Sequence[str]) -> dict[str, int] | None:
    roles = _roles(row, _target_column_role)
    if "text" in roles and ({"value", "monitoring", "implementing"} & roles.keys()):
        return roles
    return None


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


@dataclass
class _TaskRow:
    area_code: str | None
    cells: dict[str, str]


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
    entries: list[dict[str, str]] = []
    for row in grid[start + 1 :]:
        if _task_header(row) or _is_column_numbering(row):
            continue  # the header repeated after a page break
        cells = _cells(row, roles)
        if any(cells.values()):
            entries.append(cells)

    areas: list[DraftArea] = []
    declared: dict[str, str] = {}
    task_rows: list[_TaskRow] = []
    warnings: list[str] = []
    area_code: str | None = None
    numbered = "number" in roles
    for index, cells in enumerate(entries):
        number = cells.get("number", "")
        group = _task_group(cells) if numbered else None
        single = _SINGLE_NUMBER.match(number)
        if (
            group is None
            and single
            and not any(cells.get(role) for role in _GROUP_FIELDS)
            and _child_follows(single["n"], entries[index + 1 :])
        ):
            name, count = _declared_count(cells.get("content", ""))
            group = (single["n"], name, count)
        if group is not None:
            area_code, name, count = group
            areas.append(DraftArea(order=len(areas) + 1, code=area_code, name=name))
            if count:
                declared[area_code] = count
            continue
        if numbered and not number and task_rows:
            above = task_rows[-1].cells
            for role, text in cells.items():
                above[role] = _join_continued(above.get(role, ""), text)
            continue
        if numbered and not number:
            warnings.append(f"Dòng không có số thứ tự ở đầu bảng: {cells.get('content', '')[:60]}")
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
            combined = _target_header(_combine_header(row, grid[index + 1]))
            if combined:
                roles, index = combined, index + 1
        header = (index, roles)
        break
    if header is None:
        return [], [], ["Không nhận ra dòng tiêu đề của bảng chỉ tiêu (STT, Chỉ tiêu...)"]
    start, roles = header
    entries: list[dict[str, str]] = []
    after_header = False
    for row in grid[start + 1 :]:
        if (
            _target_header(row)
            or _is_column_numbering(row)
            or (after_header and _is_sub_header(row))
        ):
            after_header = bool(_target_header(row))
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
        single = _SINGLE_NUMBER.match(number)
        rest = entries[index + 1 :]
        if (roman and empty) or (
            single
            and empty
            and not any(area.code.isalpha() for area in areas)
            and (_child_follows(single["n"], rest) or _bullet_follows(rest))
        ):
            code = roman["m"] if roman else number
            name = (roman["t"] or "").strip() if roman else ""
            name, _ = _declared_count(name or text)
            areas.append(DraftArea(order=len(areas) + 1, code=code, name=name))
            area_code, parent = code, None
            continue
        bullet = _CELL_BULLET.match(text)
        if numbered and not number and not bullet and built:
            above = built[-1]
            for role, value in cells.items():
                above[role] = _join_continued(above.get(role, ""), value)
            continue
        entry = {**cells, "code": number, "area": area_code or ""}
        if bullet:
            entry["text"] = _CELL_BULLET.sub("", text)
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
        bool(rest)
        and not rest[0].get("number")
        and bool(_CELL_BULLET.match(rest[0].get("text", "")))
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
        return replace(parsed, text=value)
    return parse_target(text)


def _table_target(entry: dict[str, str]) -> DraftTarget:
    text = entry.get("text", "")
    return DraftTarget(
        area_code=entry.get("area") or None,
        code=entry.get("code", ""),
        text=text,
        parsed=_parse_value(text, entry.get("value", "")),
        monitoring=entry.get("monitoring", ""),
        implementing=split_departments(entry.get("implementing", "")),
    )


@dataclass
class _Table:
    kind: str  # "task" | "target"
    rows: list[list[str]]


def _split_tables(lines: Sequence[str]) -> tuple[list[str], list[_Table]]:
    """Body lines with the table rows blanked out, and the tables (tab-separated rows from the
    first recognised header to the last tab line, blank lines between pages allowed; a task
    table copied from a web page, see _web_table, from its header to its last task row)."""
    body = list(lines)
    tables: list[_Table] = []
    index = 0
    while index < len(lines):
        line = lines[index]
        if "\t" not in line:
            web = _web_table(lines, index)
            if web is None:
                index += 1
                continue
            end, rows = web
            tables.append(_Table("task", rows))
            for i in range(index, end):
                body[i] = ""
            index = end
            continue
        cells = [_clean_cell(cell) for cell in line.split("\t")]
        kind = "task" if _task_header(cells) else "target" if _target_header(cells) else ""
        if not kind:
            body[index] = line.replace("\t", " ")
            index += 1
            continue
        end = index
        probe = index
        while probe < len(lines) and ("\t" in lines[probe] or not lines[probe].strip()):
            if "\t" in lines[probe]:
                end = probe
            probe += 1
        rows = [lines[i].split("\t") for i in range(index, end + 1) if lines[i].strip()]
        tables.append(_Table(kind, rows))
        for i in range(index, end + 1):
            body[i] = ""
        index = end + 1
    return body, tables


# --- Task tables copied from a web page ---------------------------------------------------------

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


# --- Document facts -----------------------------------------------------------------------------


def _heading_text(lines: Sequence[str], at: int, rest: str) -> tuple[str, list[int]]:
    """The subtitle under a "KẾ HOẠCH"/"QUYẾT ĐỊNH" heading and the lines it takes."""
    parts = [rest] if rest else []
    used: list[int] = []
    for index in range(at + 1, min(len(lines), at + 12)):
        stripped = squash_spaces(lines[index])
        if not stripped:
            if parts:
                break
            continue
        folded = fold(stripped)
        if stripped.startswith("(") or (
            parts and (_is_upper(stripped) or _TITLE_STOP.match(folded))
        ):
            break
        if not parts and _is_upper(stripped) and _words(stripped) <= 2:
            break  # another heading: there is no subtitle
        parts.append(stripped)
        used.append(index)
        if len(parts) >= 4:
            break
    text = squash_spaces(" ".join(parts))
    if _is_upper(text):
        text = _capitalise(text.lower())
    return text, used


def _title_and_kind(lines: Sequence[str]) -> tuple[str, str, list[int]]:
    plan_at = decision_at = None
    plan_rest = ""
    for index, line in enumerate(lines):
        stripped = squash_spaces(line)
        heading = _PLAN_HEADING.match(stripped)
        if heading and plan_at is None:
            plan_at, plan_rest = index, heading["rest"]
        if decision_at is None and _DECISION_HEADING.match(stripped):
            decision_at = index
    if decision_at is not None and (plan_at is None or decision_at < plan_at):
        kind = "decision"
    else:
        kind = "plan" if plan_at is not None else ""
    if plan_at is not None:  # a decision's own plan follows it: its heading names the plan
        subtitle, used = _heading_text(lines, plan_at, plan_rest)
        if not subtitle:
            return "", kind, used
        if fold(subtitle).startswith("ke hoach"):
            return _capitalise(subtitle), kind, used
        return f"Kế hoạch {subtitle}", kind, used
    if decision_at is None:
        return "", kind, []
    subtitle, used = _heading_text(lines, decision_at, "")  # "Ban hành Kế hoạch ..."
    position = _afold(subtitle).find("ke hoach")
    title = _capitalise(subtitle[position:]) if position >= 0 else ""
    return title.strip(" “”\"'."), kind, used


def _year(text: str | None) -> int | None:
    """A plausible year, so that "năm 0000" in a garbled text is no date."""
    year = int(text) if text and text.isdigit() else None
    return year if year and 1900 <= year <= 2200 else None


def _period(title: str, year: int | None) -> tuple[date | None, date | None]:
    """The plan period named in the title, else the calendar year of issue."""
    folded = fold(title)
    half = _HALF.search(folded)
    half_year = _year(half["y"]) or year if half else None
    if half and half_year:
        if half["part"] == "dau":
            return date(half_year, 1, 1), date(half_year, 6, 30)
        return date(half_year, 7, 1), date(half_year, 12, 31)
    quarter = _QUARTER.search(folded)
    quarter_year = _year(quarter["y"]) if quarter else None
    if quarter and quarter_year:
        last_month = _QUARTERS[quarter["q"]] * 3
        last_day = monthrange(quarter_year, last_month)[1]
        return date(quarter_year, last_month - 2, 1), date(quarter_year, last_month, last_day)
    stage = _STAGE.search(folded)
    first, last = (_year(stage["a"]), _year(stage["b"])) if stage else (None, None)
    if first and last:
        return date(min(first, last), 1, 1), date(max(first, last), 12, 31)
    named = _YEAR.search(folded)
    year = (_year(named["y"]) if named else None) or year
    if year:
        return date(year, 1, 1), date(year, 12, 31)
    return None, None


def _plan_kind(title: str) -> str:
    folded = fold(title)
    return next((kind for kind, pattern in _PLAN_KINDS if pattern.search(folded)), "other")


def _name_after(text: str, position: int) -> tuple[str, int]:
    """The capitalised name that starts at position ("Thành Đông" in "phường Thành Đông năm"),
    and where it ends."""
    words: list[str] = []
    end = position
    for match in re.finditer(r"\S+", text[position : position + 80]):
        word = match.group(0)
        bare = word.strip(",.;:()“”\"'")
        if not bare or not bare.isalpha() or not bare[0].isupper():
            break
        if len(bare) > 1 and bare.isupper():
            break  # an acronym such as "UBND" starts something else
        words.append(bare)
        end = position + match.end()
        if bare != word or len(words) == 4:
            break
    return " ".join(words), end


def _unit(preamble: str, title: str, whole: str) -> tuple[str, str]:
    """(kind, name) of the commune or ward: the one that "ban hành" the plan, else the one the
    title names, else the one the text names most often."""
    for match in _UNIT_BODY.finditer(preamble):
        name, end = _name_after(preamble, match.end())
        if name and _ISSUES.match(preamble, end):
            return match["kind"], name
    for source in (title, whole):
        mentions = Counter(
            (match["kind"], name)
            for match in _UNIT_WORD.finditer(source)
            if (name := _name_after(source, match.end())[0])
        )
        if mentions:
            return mentions.most_common(1)[0][0]
    bare = _UNIT_BODY.search(whole)
    return (bare["kind"], "") if bare else ("", "")


def _signature(lines: Sequence[str]) -> tuple[list[str], str]:
    for index, line in enumerate(lines):
        if not _is_capacity(line) or (index and _is_capacity(lines[index - 1])):
            continue
        capacities: list[str] = []
        probe = index
        while probe < len(lines) and _is_capacity(lines[probe]):
            stripped = squash_spaces(lines[probe])
            capacities.append(_CAPACITY_PREFIX.sub(lambda m: f"{m['p']}. ", stripped))
            probe += 1
        skipped = 0
        while probe < len(lines) and skipped < 8:
            stripped = squash_spaces(lines[probe])
            if stripped and not _SIGNED_NOTE.match(stripped):
                break
            probe += 1
            skipped += 1
        if probe < len(lines) and _is_person_name(squash_spaces(lines[probe])):
            return capacities, squash_spaces(lines[probe])
    return [], ""


def _is_capacity(line: str) -> bool:
    stripped = squash_spaces(line)
    if not stripped or not _is_upper(stripped) or _words(stripped) > 7:
        return False
    if _CAPACITY_PREFIX.match(stripped):
        return True
    return _words(stripped) <= 5 and any(word in stripped for word in _CAPACITY_WORDS)


def _is_person_name(text: str) -> bool:
    words = text.split()
    return 2 <= len(words) <= 6 and all(
        word.isalpha() and word[0].isupper() and (len(word) == 1 or word[1:].islower())
        for word in words
    )


def _recipients(lines: Sequence[str]) -> list[str]:
    for index, line in enumerate(lines):
        stripped = squash_spaces(line)
        if not fold(stripped).startswith("noi nhan"):
            continue
        found: list[str] = []
        inline = stripped.partition(":")[2].strip()
        candidates = [inline] if inline else []
        started = bool(inline)
        for following in lines[index + 1 :]:
            text = squash_spaces(following)
            if not text:
                if started:
                    break
                continue
            if not _RECIPIENT.match(text):
                break
            candidates.append(text)
            started = True
        for candidate in candidates:
            bullet = _RECIPIENT.match(candidate)
            name = (bullet["t"] if bullet else candidate).strip().rstrip(";.,").strip()
            if name and not name.startswith("}"):
                found.append(name)
        return found
    return []


def _references(text: str) -> list[tuple[str, str]]:
    """(number, sentence piece) of every numbered document cited in a "Căn cứ" paragraph."""
    folded = _afold(text)
    starts = list(_REFERENCE.finditer(folded))
    pieces: list[tuple[str, str]] = []
    for k, start in enumerate(starts):
        end = starts[k + 1].start() if k + 1 < len(starts) else len(text)
        piece = text[start.start() : end]
        issuer = _ISSUER_CLAUSE.search(piece)
        if issuer:
            piece = piece[: issuer.start()]
        for sentence_end in _SENTENCE_END.finditer(piece):
            if piece[sentence_end.end()].isupper():
                piece = piece[: sentence_end.start()]
                break
        piece = _TRAILING_AND.sub("", piece.strip(" ;,.")).strip(" ;,.")
        number = _DOC_NUMBER.search(piece)
        if number:
            pieces.append((number.group(0), piece))
    return pieces


def _facts(lines: Sequence[str], sections: Sequence[_Section]) -> DocumentFacts:
    facts = DocumentFacts()
    preamble = sections[0].items
    header_end = sections[1].items[0].line if len(sections) > 1 else len(lines)
    header = lines[:header_end]
    for line in header:
        numbered = _NUMBER_LINE.match(line)
        if numbered:
            facts.number_suffix = numbered["s"]
            facts.number = f"{numbered['n']}/{numbered['s']}" if numbered["n"] else ""
            break
    for line in header:
        dated = _PLACE_DATE.match(squash_spaces(line))
        if dated and dated["place"][:1].isupper():
            facts.place = dated["place"].strip()
            facts.issued_year = _year(dated["y"])
            facts.issued_month = int(dated["m"]) if dated["m"] else None
            if facts.issued_month and not 1 <= facts.issued_month <= 12:
                facts.issued_month = None
            if facts.issued_year and facts.issued_month and dated["d"]:
                try:
                    facts.issued_on = date(facts.issued_year, facts.issued_month, int(dated["d"]))
                except ValueError:
                    facts.issued_on = None
            break
    facts.title, facts.kind, title_lines = _title_and_kind(header)
    facts.plan_kind = _plan_kind(facts.title)
    facts.period_start, facts.period_end = _period(facts.title, facts.issued_year)
    facts.signing_capacity, facts.signer = _signature(lines)
    facts.recipients = _recipients(lines)

    preamble_text = " ".join(item.text for item in preamble)
    whole = " ".join(squash_spaces(line) for line in lines)
    kind, name = _unit(preamble_text, facts.title, whole)
    facts.unit_kind, facts.unit_name = kind, name
    if kind:
        facts.issuing_body = squash_spaces(f"UBND {kind} {name}")

    seen: set[str] = set()
    for item in preamble:
        if item.line in title_lines or not _BASIS.match(fold(item.text)):
            continue
        for number, piece in _references(item.text):
            key = number.casefold()
            if key not in seen:
                seen.add(key)
                facts.implements.append(piece)
    return facts


# --- Body: areas, targets, prose tasks ----------------------------------------------------------


@dataclass
class _Entry:
    """A task or target read from prose, still growing while "+" sub-bullets follow."""

    kind: str  # "task" | "target"
    area_code: str | None
    number: str
    text: str
    group: str = ""
    takes_bullets: bool = False  # a lettered task ending with ":" gathers the bullets below


def _split_colon(text: str) -> tuple[str, str, str]:
    """partition(": ") that leaves "ISO 9001:2015" whole."""
    parts = _COLON.split(text, maxsplit=1)
    return (parts[0], ":", parts[1]) if len(parts) == 2 else (text, "", "")


def _area_name(text: str) -> str:
    head, colon, _ = _split_colon(text)
    name = head if colon and _words(head) <= 12 else text
    return squash_spaces(name).strip(" :.;")


def _read_areas(
    items: Sequence[_Item],
) -> tuple[list[tuple[str, str]], list[_Entry]]:
    """Areas (code, name) and the targets and tasks written under them in one tasks section."""
    heads = [
        item
        for item in items
        if item.kind in ("dotted", "number", "letter")
        and not _is_target_head(item.text)
        and not _is_task_head(item.text)
    ]
    dotted = [item.level for item in heads if item.kind == "dotted"]
    if dotted:
        area_kind, area_level = "dotted", min(dotted)
    elif any(item.kind == "number" for item in heads):
        area_kind, area_level = "number", 1
    elif heads:
        area_kind, area_level = "letter", 5
    else:
        return [], []

    areas: list[tuple[str, str]] = []
    entries: list[_Entry] = []
    area: str | None = None
    mode, group = "task", ""
    last: _Entry | None = None
    for index, item in enumerate(items):
        if item.kind == area_kind and item.level == area_level and item in heads:
            area = item.marker
            areas.append((area, _area_name(item.text)))
            mode, group, last = "task", "", None
            continue
        if item.kind in _HEADING_KINDS and item.level <= area_level:
            area, last = None, None  # a parent heading ("1. Kiểm tra định kỳ"), not an area
            continue
        if area is None:
            continue
        if item.kind in _HEADING_KINDS:
            if _is_target_head(item.text):
                mode, group, last = "target", "", None
            elif _is_task_head(item.text):
                mode, group, last = "task", "", None
            elif _is_group_heading(item, items[index + 1 : index + 2]):
                mode, group, last = "task", _area_name(item.text), None
            else:
                last = _Entry(mode, area, item.marker, item.text, group)
                last.takes_bullets = item.text.rstrip().endswith(":")
                entries.append(last)
            continue
        if item.kind == "plus" and last is not None:
            last.text = f"{last.text}\n+ {item.text}"
            continue
        if item.kind == "bullet" and last is not None and last.takes_bullets:
            last.text = f"{last.text}\n- {item.text}"
            continue
        if item.kind == "text" and item.text.startswith("("):
            continue  # "(Danh mục nhiệm vụ cụ thể tại Phụ lục ...)" is a note
        if item.text:
            last = _Entry(mode, area, "", item.text, group)
            entries.append(last)
    return areas, entries


def _is_group_heading(item: _Item, following: Sequence[_Item]) -> bool:
    """A short lettered heading over bullets ("a. Đổi mới sáng tạo"), not a task of its own."""
    text = item.text.strip()
    return (
        _words(text) <= 12
        and not text.endswith((".", ";"))
        and ";" not in text
        and bool(following)
        and following[0].kind in ("bullet", "plus", "text")
    )


def _loose_targets(sections: Sequence[_Section]) -> list[_Entry]:
    """Targets listed under a "Một số chỉ tiêu chủ yếu" heading outside the tasks section."""
    entries: list[_Entry] = []
    for section in sections:
        if section.role == "areas":
            continue
        items = section.items
        for index, item in enumerate(items):
            if item.kind not in ("number", "dotted", "letter") or not _is_target_head(item.text):
                continue
            last: _Entry | None = None
            for child in _children(items, index):
                if child.kind == "plus" and last is not None:
                    last.text = f"{last.text}\n+ {child.text}"
                elif child.kind in ("letter", "bullet", "text") and child.text:
                    if child.kind == "text" and child.text.startswith("("):
                        continue
                    last = _Entry("target", None, child.marker, child.text)
                    entries.append(last)
    return entries


def _target_of(entry: _Entry) -> DraftTarget:
    return DraftTarget(entry.area_code, entry.number, entry.text, parse_target(entry.text))


def _task_of(entry: _Entry, period_start: date | None, period_end: date | None) -> DraftTask:
    return DraftTask(
        area_code=entry.area_code,
        number=entry.number,
        content=entry.text,
        lead="",
        coordinators=[],
        deadline_text="",
        deadline=parse_deadline("", period_start=period_start, period_end=period_end),
        product="",
        source="prose",
        group=entry.group,
    )


# --- Duties -------------------------------------------------------------------------------------


def _split_department(text: str) -> tuple[str, str]:
    """(department, first duty) of a department item: "Phòng X: Tham mưu ..." -> both parts."""
    text = squash_spaces(text)
    head, colon, tail = _split_colon(text)
    if colon and _words(head) <= 40:
        return head.strip(" .;-"), tail.strip()
    if _words(text) <= 12:
        return text.strip(" .;:-"), ""
    verb = _ACTION.search(_afold(text))
    if verb and verb.start() > 0:
        body = _PLEASE.sub("", text[: verb.start()]).strip(" ,.;-")
        if _words(body) >= 2:
            return body, text
    return "", ""


def _duties(items: Sequence[_Item]) -> list[DraftDuty]:
    duties: list[DraftDuty] = []
    for index, item in enumerate(items):
        if item.kind not in _HEADING_KINDS or not _DUTY_HEAD.search(normalize_name(item.text)):
            continue
        region = _children(items, index)
        department = next((child for child in region if child.kind in _HEADING_KINDS), None)
        if department is None:
            continue
        level = department.level
        current: DraftDuty | None = None
        for child in region:
            if child.kind in _HEADING_KINDS and child.level == level:
                name, first = _split_department(child.text)
                current = DraftDuty(name, [first] if first else []) if name else None
                if current is not None:
                    duties.append(current)
                continue
            if current is None:
                continue
            if child.kind == "plus" and current.duties:
                current.duties[-1] = f"{current.duties[-1]}\n+ {child.text}"
            elif child.kind in ("bullet", "plus") or child.kind in _HEADING_KINDS:
                if child.text:
                    current.duties.append(child.text)
            elif _DUTY_STOP.match(fold(child.text)) or current.duties:
                break  # a closing paragraph ("Trong quá trình tổ chức thực hiện ...")
            else:
                current.duties.append(child.text)  # a department with one paragraph, no bullets
    return duties


# --- Dated events -------------------------------------------------------------------------------


def _events_of(
    label: str, text: str, when: str, period_start: date | None, period_end: date | None
) -> list[DatedEvent]:
    parsed = parse_deadline(when, period_start=period_start, period_end=period_end)
    events: list[DatedEvent] = []
    for milestone in parsed.milestones:
        if milestone.due is None:
            continue
        if milestone.kind is MilestoneKind.RANGE:
            events.append(DatedEvent(label, milestone.start, milestone.due, text))
        elif milestone.kind is MilestoneKind.RECURRING:
            events.append(DatedEvent(f"{label} ({milestone.period})", None, milestone.due, text))
        elif milestone.kind is MilestoneKind.DUE:
            start = None
            unit = _MONTH_OR_QUARTER.match(fold(milestone.label))
            if unit:  # "Tháng 6/2026" is the whole month, "Quý III/2026" the whole quarter
                first_month = milestone.due.month - (2 if unit["unit"] == "quy" else 0)
                start = date(milestone.due.year, max(first_month, 1), 1)
            events.append(DatedEvent(label, start, milestone.due, text))
    return events


def _labelled_events(
    item: _Item, period_start: date | None, period_end: date | None
) -> list[DatedEvent]:
    """ "Đợt 1: Dự kiến từ ngày 01/7/2026-10/7/2026", "Kiểm tra 6 tháng: Tháng 6/2026"."""
    labelled = _LABELLED.match(item.text)
    if not labelled:
        return []
    label, rest = squash_spaces(labelled["label"]), labelled["rest"].strip()
    if _words(label) > 20 or _words(rest) > 12 or not _DATE_START.match(fold(rest)):
        return []
    return _events_of(label, item.text.strip(" .;"), rest, period_start, period_end)


def _sending_events(
    item: _Item, period_start: date | None, period_end: date | None
) -> list[DatedEvent]:
    """ "đối với kỳ báo cáo năm gửi trước ngày 01/12/2026": what is sent, and by when."""
    text = item.text
    folded = _afold(text)
    events: list[DatedEvent] = []
    floor = 0
    for sending in _SEND_BEFORE.finditer(folded):
        if sending.start() < floor:
            continue
        ending = _WHEN_END.search(folded, sending.end())
        when_end = ending.start() if ending else len(text)
        boundaries = list(_LABEL_BOUNDARY.finditer(folded, floor, sending.start()))
        label_start = boundaries[-1].end() if boundaries else floor
        segment = text[label_start : sending.start()]
        phrase = _FOR.search(_afold(segment))
        label = segment[phrase.end() :] if phrase else segment
        if _words(label) > 12:
            label = label.rpartition(",")[2]
        label = _capitalise(squash_spaces(label).strip(" ,;:-"))
        if label.lower().startswith("và "):
            label = _capitalise(label[3:])
        sentence = squash_spaces(text[label_start:when_end]).strip(" ,;:-")
        when = "trước " + text[sending.end() : when_end]
        events.extend(_events_of(label or "Hạn gửi", sentence, when, period_start, period_end))
        floor = when_end
    return events


def _events(
    items: Sequence[_Item], period_start: date | None, period_end: date | None
) -> list[DatedEvent]:
    events: list[DatedEvent] = []
    for item in items:
        found = _labelled_events(item, period_start, period_end)
        found += _sending_events(item, period_start, period_end)
        for event in found:
            if event not in events:
                events.append(event)
    return events


# --- The whole plan -----------------------------------------------------------------------------


def parse_plan_text(text: str) -> PlanDraft:
    """Everything a plan's plain text says that the app records; never raises."""
    try:
        return _read_plan(text if isinstance(text, str) else "")
    except Exception as error:  # any input must give a draft, never a crash
        return PlanDraft(
            facts=DocumentFacts(),
            warnings=[f"Không đọc được văn bản ({type(error).__name__})"],
        )


def _read_plan(text: str) -> PlanDraft:
    lines = _clean(text).split("\n")
    body, tables = _split_tables(lines)
    return _read_lines(body, tables)


def _read_lines(body: list[str], tables: Sequence[_Table], hard_breaks: bool = False) -> PlanDraft:
    """The draft from the body lines (table rows taken out) and the task and target tables."""
    warnings: list[str] = []
    items = _items(body, hard_breaks)
    sections = _sections(items)
    facts = _guarded(warnings, "thông tin văn bản", lambda: _facts(body, sections), DocumentFacts())
    start, end = facts.period_start, facts.period_end

    table_areas: list[DraftArea] = []
    table_tasks: list[DraftTask] = []
    table_targets: list[DraftTarget] = []
    target_areas: list[DraftArea] = []
    for table in tables:
        if table.kind == "task":
            areas, tasks, found = parse_task_table(table.rows, period_start=start, period_end=end)
            offset = len(table_areas)
            table_areas += [replace(area, order=area.order + offset) for area in areas]
            table_tasks += tasks
        else:
            areas, targets, found = parse_target_table(table.rows)
            target_areas += areas
            table_targets += targets
        warnings += found

    def read_body() -> tuple[list[DraftArea], list[_Entry]]:
        areas: list[DraftArea] = []
        entries: list[_Entry] = []
        for section in sections:
            if section.role != "areas":
                continue
            found_areas, found_entries = _read_areas(section.items[1:])
            for code, name in found_areas:
                areas.append(DraftArea(order=len(areas) + 1, code=code, name=name))
            entries += found_entries
        return areas, entries

    body_areas, entries = _guarded(warnings, "các lĩnh vực", read_body, ([], []))
    loose = _guarded(warnings, "các chỉ tiêu", lambda: _loose_targets(sections), [])
    targets = [_target_of(entry) for entry in loose]
    targets += [_target_of(entry) for entry in entries if entry.kind == "target"]
    targets += table_targets
    prose = [_task_of(entry, start, end) for entry in entries if entry.kind == "task"]

    draft = PlanDraft(
        facts=facts,
        areas=table_areas or body_areas or target_areas,
        targets=targets,
        tasks=table_tasks or prose,
        duties=_guarded(warnings, "phân công trách nhiệm", lambda: _duties(items), []),
        events=_guarded(warnings, "các mốc thời gian", lambda: _events(items, start, end), []),
        warnings=warnings,
    )
    if not any(
        (facts.title, facts.number_suffix, draft.areas, draft.tasks, draft.targets, draft.duties)
    ):
        warnings.append("Không nhận ra nội dung kế hoạch trong văn bản")
    elif facts.period_start is None:
        warnings.append("Không xác định được thời gian thực hiện của kế hoạch")
    return draft


# --- A document read as blocks (.docx, .pdf, .xlsx) ---------------------------------------------

# What may stand before a tab in a Word paragraph and still belong to the text after it.
_TAB_MARKER = re.compile(
    r"^(?:[-–—•·+]|[IVXL]{1,5}[.)]|\d{1,2}(?:\.\d{1,2})*[.)]?|[a-zđ][.)]|Điều\s+\d+\s*[.:]?)$"
)


def _paragraph_lines(text: str) -> list[str]:
    """A paragraph's lines; a tab that lays out two columns ("Số: 16/QĐ-UBND<tab>Thành Đông,
    ngày ...") starts a line, a tab after a numbering ("1.<tab>Mục đích") is a space."""
    lines: list[str] = []
    for line in _clean(text).split("\n"):
        pieces = [squash_spaces(piece) for piece in line.split("\t")]
        pieces = [piece for piece in pieces if piece]
        if not pieces:
            continue
        current = pieces[0]
        for piece in pieces[1:]:
            if _TAB_MARKER.match(current):
                current = f"{current} {piece}"
            else:
                lines.append(current)
                current = piece
        lines.append(current)
    return lines


def _table_lines(grid: Sequence[Sequence[str]]) -> list[str]:
    """A layout table's text in reading order: row by row, left cell then right cell."""
    lines: list[str] = []
    for row in grid:
        previous = ""
        for cell in row:
            if cell and cell != previous:
                lines.extend(line for line in cell.split("\n") if line)
            previous = cell or previous
    return lines


def _block_lines(blocks: Sequence[object]) -> tuple[list[str], list[_Table]]:
    lines: list[str] = []
    tables: list[_Table] = []
    for block in blocks:
        rows = getattr(block, "rows", None)
        if rows is None:
            text = block if isinstance(block, str) else getattr(block, "text", "")
            lines.extend(_paragraph_lines(text if isinstance(text, str) else ""))
            continue
        raw = [list(row) for row in rows if isinstance(row, list | tuple)]
        grid = _grid(raw)
        header = next(
            (
                (index, "task" if _task_header(row) else "target")
                for index, row in enumerate(grid)
                if _task_header(row) or _target_header(row)
            ),
            None,
        )
        if header is None:
            lines.extend(_table_lines(grid))
            continue
        index, kind = header
        lines.extend(_table_lines(grid[:index]))  # a title row above the header
        tables.append(_Table(kind, raw[index:]))
    return lines, tables


def parse_plan_blocks(blocks: Iterable[object]) -> PlanDraft:
    """Everything a plan read as blocks (.docx, .pdf, .xlsx) says; never raises.

    `blocks` are in reading order: paragraphs (anything with a `text`, or a str) and tables
    (anything with `rows`, rows of cell texts, a cell's lines joined with "\\n"). Paragraphs are
    read as the lines of parse_plan_text, each a paragraph of its own (wrapped lines come
    joined, so a line right under another is not taken for its continuation; one starting in
    lower case still is). A table whose header names task or target columns is read cell by
    cell as such (multi-line cells kept); any other table (the unit name beside the national
    motto, "Nơi nhận" beside the signature) gives its cells' lines, row by row and left cell
    first, as text.
    """
    try:
        lines, tables = _block_lines([] if isinstance(blocks, str | bytes) else list(blocks))
        return _read_lines(lines, tables, hard_breaks=True)
    except Exception as error:  # any input must give a draft, never a crash
        return PlanDraft(
            facts=DocumentFacts(),
            warnings=[f"Không đọc được văn bản ({type(error).__name__})"],
        )
