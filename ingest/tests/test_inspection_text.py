"""The inspection plan parser on seed 003 (as .txt, .docx and .pdf), on variants and on garbage."""

from __future__ import annotations

import random
from datetime import date
from functools import cache
from pathlib import Path

import pytest

from ingest.documents import read_document
from ingest.inspection_text import (
    DEFAULT_SELF_CHECK_DAYS,
    InspectionPlanDraft,
    parse_inspection_blocks,
    parse_inspection_text,
)

SEEDS = Path(__file__).resolve().parents[2] / "fixtures" / "seeds"


def seed_path(ext: str) -> Path:
    (path,) = SEEDS.glob(f"003_*.{ext}")
    return path


@cache
def seed_draft(ext: str) -> InspectionPlanDraft:
    if ext == "txt":
        return parse_inspection_text(seed_path("txt").read_text(encoding="utf-8"))
    with open(seed_path(ext), "rb") as handle:
        return parse_inspection_blocks(read_document(seed_path(ext).name, handle).blocks)


FORMATS = ["txt", "docx", "pdf"]


@pytest.mark.parametrize("ext", FORMATS)
def test_seed_003_rounds(ext):
    rounds = seed_draft(ext).rounds
    assert [(r.number, r.start, r.end) for r in rounds] == [
        (1, date(2026, 7, 1), date(2026, 7, 10)),
        (2, date(2026, 10, 20), date(2026, 10, 25)),
    ]
    assert rounds[0].name == "Đợt 1 – Kiểm tra 6 tháng"
    assert rounds[1].name.startswith("Đợt 2 – Kiểm tra cuối năm")
    assert rounds[1].text == "Đợt 2: Dự kiến từ ngày 20/10-25/10/2026"


@pytest.mark.parametrize("ext", FORMATS)
def test_seed_003_checklist_areas_and_items(ext):
    draft = seed_draft(ext)
    assert [a.code for a in draft.areas] == ["1.1", "1.2", "1.3", "1.4", "1.5", "1.6", "1.7"]
    assert draft.areas[0].name == "Công tác chỉ đạo, điều hành"
    assert draft.areas[6].name == "Xây dựng, phát triển chính quyền điện tử, chính quyền số"
    assert [len(a.items) for a in draft.areas] == [7, 11, 10, 10, 7, 3, 12]
    assert draft.item_count == 60
    first = draft.areas[0].items[0]
    assert first.startswith("Việc xây dựng, ban hành kế hoạch và các văn bản chỉ đạo")
    # "+" sub-items stay inside their bullet
    finance = draft.areas[5].items[0]
    assert finance.startswith("Tổ chức thực hiện công tác tài chính-ngân sách")
    assert "+ Ban hành Quy chế chi tiêu nội bộ" in finance
    # 1.7's sub-headings "a. Đổi mới sáng tạo", "b. Áp dụng … ISO" are kept per item
    assert draft.areas[6].groups[0] == "Đổi mới sáng tạo"
    assert draft.areas[6].groups[-1].startswith("Áp dụng hệ thống quản lý chất lượng ISO")


@pytest.mark.parametrize("ext", FORMATS)
def test_seed_003_team_self_check_and_adhoc(ext):
    draft = seed_draft(ext)
    assert draft.team_lead == "Phòng Văn hoá - xã hội"
    assert draft.team_partners == ["Văn phòng HĐND và UBND"]
    assert draft.self_check_days == 5 and draft.self_check_days_found
    assert draft.adhoc_contents == [
        "Kiểm tra việc thực hiện kỷ luật, kỷ cương hành chính (cơ quan, đơn vị thuộc thẩm "
        "quyền quản lý của UBND phường).",
        "Các nội dung khác theo phản ánh, kiến nghị của người dân, tổ chức.",
    ]


def test_seed_003_document_facts():
    facts = seed_draft("txt").facts
    assert facts.title == "Kế hoạch Kiểm tra cải cách hành chính năm 2026"
    assert facts.signer == "Trần Thị Thủy Nga"
    assert facts.plan_kind == "inspection"
    assert seed_draft("txt").year == 2026


def test_other_wording_of_days_and_rounds():
    text = (
        "KẾ HOẠCH Kiểm tra công tác cải cách hành chính năm 2027\n"
        "III. NỘI DUNG KIỂM TRA\n"
        "1. Kiểm tra định kỳ:\n"
        "1.1. Cải cách thủ tục hành chính\n"
        "- Việc niêm yết, công khai TTHC.\n"
        "IV. TỔ CHỨC THỰC HIỆN\n"
        "Giao Văn phòng HĐND và UBND xã chủ trì phối hợp với Phòng Kinh tế; Trung tâm Phục vụ "
        "hành chính công thành lập đoàn kiểm tra.\n"
        "- Đợt 1: từ ngày 05/6/2027 đến ngày 12/6/2027\n"
        "Các phòng tự kiểm tra và gửi báo cáo 7 ngày trước khi đoàn kiểm tra làm việc.\n"
    )
    draft = parse_inspection_text(text)
    assert [(r.start, r.end) for r in draft.rounds] == [(date(2027, 6, 5), date(2027, 6, 12))]
    assert draft.self_check_days == 7
    assert draft.team_lead == "Văn phòng HĐND và UBND xã"
    assert draft.team_partners == ["Phòng Kinh tế", "Trung tâm Phục vụ hành chính công"]
    assert draft.areas[0].items == ["Việc niêm yết, công khai TTHC."]
    assert draft.adhoc_contents == []


def test_missing_pieces_give_defaults_and_a_warning():
    draft = parse_inspection_text("Một văn bản không có đợt kiểm tra nào.")
    assert draft.rounds == []
    assert draft.self_check_days == DEFAULT_SELF_CHECK_DAYS and not draft.self_check_days_found
    assert draft.team_lead == ""
    assert any("round" in w for w in draft.warnings)


def test_never_raises_on_garbage():
    rng = random.Random(3)
    seed = seed_path("txt").read_text(encoding="utf-8")
    alphabet = "Đợt 1:0123456789/-–. \nKiểm tra đột xuấtgiao chủ trì trước ngày+"
    for _ in range(40):
        cut = rng.randrange(len(seed))
        junk = "".join(rng.choice(alphabet) for _ in range(rng.randrange(200)))
        draft = parse_inspection_text(seed[:cut] + junk + seed[cut : cut + rng.randrange(500)])
        assert isinstance(draft, InspectionPlanDraft)
    assert parse_inspection_text("").areas == []
