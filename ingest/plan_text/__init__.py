"""Read the plain text of a commune/ward CCHC plan into a structured draft for review.

A commune or ward writes its administrative-reform plan (kế hoạch cải cách hành chính) in Word
or PDF; this module reads the plain text (tables as tab-separated rows) into the document facts,
the areas, targets, tasks, duties by department and dated events. Nothing is saved: the draft is
shown to a person, so values are kept as written and what cannot be read becomes a warning, never
an exception. Pure functions, no Django.

One module per stage, each importing only the ones before it: result (the draft), patterns,
text (helpers), lines (numbered items and sections), tables, web_tables, split (tables taken out
of the body), facts (the header), body (areas, targets, prose tasks), duties, events, assemble
(the whole plan from its text) and blocks (from a .docx/.pdf/.xlsx read as blocks).

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

from ingest.plan_text.assemble import parse_plan_text
from ingest.plan_text.blocks import parse_plan_blocks
from ingest.plan_text.facts import _is_capacity, _is_person_name
from ingest.plan_text.lines import _items
from ingest.plan_text.patterns import _BOLD
from ingest.plan_text.result import (
    DatedEvent,
    DocumentFacts,
    DraftArea,
    DraftDuty,
    DraftTarget,
    DraftTask,
    PlanDraft,
)
from ingest.plan_text.tables import _task_header, parse_target_table, parse_task_table
from ingest.plan_text.text import (
    _clean,
    _clean_cell,
    _is_upper,
    _join_continued,
    _unbold,
    split_departments,
)
from ingest.plan_text.web_tables import _spaced_table, _stacked_table

# The public names, and a few private ones that tests and scripts/make_seed_documents.py use.
__all__ = [
    "_BOLD",
    "DatedEvent",
    "DocumentFacts",
    "DraftArea",
    "DraftDuty",
    "DraftTarget",
    "DraftTask",
    "PlanDraft",
    "_clean",
    "_clean_cell",
    "_is_capacity",
    "_is_person_name",
    "_is_upper",
    "_items",
    "_join_continued",
    "_spaced_table",
    "_stacked_table",
    "_task_header",
    "_unbold",
    "parse_plan_blocks",
    "parse_plan_text",
    "parse_target_table",
    "parse_task_table",
    "split_departments",
]
