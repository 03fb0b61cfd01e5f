from __future__ import annotations

from pathlib import Path

from django.conf import settings

from ingest.criteria_text import parse_duties, split_clauses

SEED = next((Path(settings.BASE_DIR) / "fixtures" / "seeds").glob("000_*.txt"))


def test_seed_000_section_ii_departments_and_duties():
    blocks = parse_duties(SEED.read_text(encoding="utf-8"))
    assert [b.department for b in blocks] == [
        "Phòng Văn hóa - Xã hội",
        "Văn phòng HĐND-UBND phường",
        "Trung tâm phục vụ hành chính công phường",
        "Phòng Kinh tế, Hạ tầng và Đô thị",
    ]
    culture = blocks[0].duties
    # The lead-in "Tham mưu ... Cụ thể như sau:" is not a duty.
    assert not any(d.endswith("như sau:") or "Cụ thể như sau" in d for d in culture)
    assert culture[0].startswith("Ban hành kế hoạch CCHC")
    # "...; thực hiện đúng quy định về tuyển dụng ...; ... bổ nhiệm ..." are separate clauses.
    assert any(d.startswith("thực hiện đúng quy định về tuyển dụng") for d in culture)
    assert any(d.startswith("thực hiện đúng quy định về bổ nhiệm") for d in culture)
    office = blocks[1].duties
    assert "Tham mưu công bố danh mục văn bản hết hiệu lực, ngưng hiệu lực" in office


def test_short_pieces_stay_with_the_clause_before():
    assert split_clauses("Xử lý văn bản trái pháp luật; nếu có; tiếp nhận phản ánh, kiến nghị") == [
        "Xử lý văn bản trái pháp luật; nếu có",
        "tiếp nhận phản ánh, kiến nghị",
    ]


def test_no_section_gives_nothing():
    assert parse_duties("Kế hoạch không có phần phân công.") == []
