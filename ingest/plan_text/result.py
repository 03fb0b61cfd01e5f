"""What a plan document is read into: the draft and its parts."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date

from ingest.deadlines import ParsedDeadline
from ingest.targets import ParsedTarget


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
