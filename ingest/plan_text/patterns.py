"""The patterns the readers of a plan document share."""

from __future__ import annotations

import re

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
# Capital letters of Vietnamese ("Đ", "Ả", "Ứ"...), for headings written "IV CẢI CÁCH ...".
_UPPER = "".join(chr(c) for c in range(0x41, 0x1EFA) if chr(c).isupper() and chr(c).isalpha())
# An area heading cell: "I.", "II. Cải cách thể chế", "IV CẢI CÁCH ..." (a space or a tab after
# the numeral, then a capital), "A", "B)".
_GROUP_CELL = re.compile(
    rf"^(?P<m>[IVXL]{{1,5}}|[A-Z])(?:\s*[.)]\s*|(?<=[IVXL])\s+(?=[{_UPPER}])|\s*$)(?P<t>.*)$",
    re.DOTALL,
)
_DECLARED = re.compile(
    r"\(\s*(?P<n>\d{1,3})\s*(?:nhiem\s+vu|nv|cong\s+viec|noi\s+dung|chi\s+tieu)\s*\)"
)
_COLUMN_NUMBERING = re.compile(r"^\(?\d{1,2}\)?$")
_CELL_BULLET = re.compile(r"^[-–—•+]\s*")
# A sub-item of a table row: "- ...", "+ ...", "a) ...", "b. ...".
_SUB_ITEM = re.compile(r"^(?:[-–—•+]\s*|[a-zđ][.)]\s+)")
# Inline markup left by a web editor or a converter: "<i>", "</b>", "<span ...>", "<br/>".
_INLINE_TAG = re.compile(
    r"</?(?:i|b|u|s|em|strong|span|font|sup|sub|mark|small|big|a|p|div)(?:\s[^<>]*)?>",
    re.IGNORECASE,
)
_BREAK_TAG = re.compile(r"<br\s*/?>", re.IGNORECASE)
_ENTITIES = {"&nbsp;": " ", "&amp;": "&", "&lt;": "<", "&gt;": ">", "&quot;": '"', "&#39;": "'"}
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
