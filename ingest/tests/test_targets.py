"""Target ("chỉ tiêu") sentences of the seed plans, the forms they take, and attainment."""

from __future__ import annotations

import random
import unicodedata
from decimal import Decimal
from pathlib import Path

import pytest

from core.text import fold
from ingest.targets import Attainment, Comparator, ParsedTarget, attainment, parse_target

SEEDS = Path(__file__).resolve().parents[2] / "fixtures" / "seeds"
SEED_001 = SEEDS / "001_thanh_dong_ke_hoach_cchc_2026.txt"
SEED_002 = SEEDS / "002_thai_tan_ke_hoach_cchc_6_thang_cuoi_2025.txt"

GTE, GT, LTE, LT, EQ, BETWEEN = (
    Comparator.AT_LEAST,
    Comparator.MORE_THAN,
    Comparator.AT_MOST,
    Comparator.LESS_THAN,
    Comparator.EXACTLY,
    Comparator.BETWEEN,
)
HIGHER, LOWER, UNKNOWN = (
    Comparator.HIGHER_THAN_BASELINE,
    Comparator.LOWER_THAN_BASELINE,
    Comparator.UNKNOWN,
)
MET, NOT_MET, NOT_MEASURED = Attainment.MET, Attainment.NOT_MET, Attainment.NOT_MEASURED

# (comparator, value, value_max, unit, baseline_year)
Expected = tuple[Comparator, str | None, str | None, str, int | None]


def check(parsed: ParsedTarget, expected: Expected) -> None:
    comparator, value, value_max, unit, baseline_year = expected
    assert (parsed.comparator, parsed.value, parsed.value_max, parsed.unit) == (
        comparator,
        None if value is None else Decimal(value),
        None if value_max is None else Decimal(value_max),
        unit,
    )
    assert parsed.baseline_year == baseline_year
    assert parsed.needs_review is (comparator is UNKNOWN)


# --- seed 001, section I.2 "Một số chỉ tiêu chủ yếu" ---------------------------------------------


def seed_001_targets() -> dict[str, str]:
    """The lettered targets a)-e) of section I.2 of seed 001, by letter."""
    lines = SEED_001.read_text(encoding="utf-8").splitlines()
    start = lines.index("2. Một số chỉ tiêu chủ yếu:")
    targets: dict[str, str] = {}
    for line in lines[start + 1 :]:
        if line.startswith("II."):
            break
        letter, _, sentence = line.partition(") ")
        if sentence and len(letter) == 1:
            targets[letter] = sentence
    return targets


SEED_001_EXPECTED: dict[str, Expected] = {
    "a": (GTE, "100", None, "%", None),  # Hoàn thành 100% nhiệm vụ ... giao
    "b": (GTE, "100", None, "%", None),  # ... 100% nhiệm vụ cụ thể trong Kế hoạch ... năm 2026
    # "Vượt chỉ tiêu thu ngân sách năm 2026 được thành phố giao; ... tăng so với năm 2025":
    # the first clause wins; the quota it must beat is the baseline, not written in the plan.
    "c": (HIGHER, None, None, "", None),
    "d": (GTE, "100", None, "%", None),  # the only figure is in brackets: (đạt 100% số cơ quan)
    "đ": (GTE, "100", None, "%", None),  # "Hạn chế tối đa ..." later is not a figure
    "e": (GTE, "90", None, "%", None),  # ... đạt tối thiểu 90%
}


def test_seed_001_has_the_targets_the_tests_expect() -> None:
    assert sorted(seed_001_targets()) == sorted(SEED_001_EXPECTED)


@pytest.mark.parametrize(
    "letter", [pytest.param(k, id=f"001-I.2.{k.replace('đ', 'dd')}") for k in "abcdđe"]
)
def test_seed_001_target(letter: str) -> None:
    text = seed_001_targets()[letter]
    parsed = parse_target(text)
    assert parsed.text == text
    check(parsed, SEED_001_EXPECTED[letter])


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        pytest.param(
            "Vượt chỉ tiêu thu ngân sách năm 2026 được thành phố giao",
            (HIGHER, None, None, "", None),
            id="001-I.2.c-budget-clause",
        ),
        pytest.param(
            "phần đầu thu hút đầu tư vào phường năm 2026 tăng so với năm 2025.",
            (HIGHER, None, None, "", 2025),
            id="001-I.2.c-investment-clause",
        ),
    ],
)
def test_seed_001_clauses_of_c(text: str, expected: Expected) -> None:
    check(parse_target(text), expected)


# --- seed 002, every bullet under "a) Chỉ tiêu" ---------------------------------------------------


def seed_002_targets() -> list[tuple[str, str]]:
    """(section, bullet) for every bullet line under an "a) Chỉ tiêu" heading of seed 002."""
    bullets: list[tuple[str, str]] = []
    section, inside = "", False
    for line in SEED_002.read_text(encoding="utf-8").splitlines():
        stripped = line.strip()
        if stripped[:2].rstrip(".").isdigit() and ". " in stripped[:4]:
            section = stripped.split(".")[0]
        if stripped == "a) Chỉ tiêu":
            inside = True
        elif stripped.startswith("b)"):
            inside = False
        elif inside and stripped.startswith("- "):
            bullets.append((section, stripped[2:]))
    return bullets


# Each bullet is named by how it starts, in fixture order.
SEED_002_EXPECTED: list[tuple[str, str, Expected]] = [
    ("2", "100% văn bản quy phạm pháp luật do Trung ương", (GTE, "100", None, "%", None)),
    ("2", "100% văn bản quy phạm pháp luật trái pháp luật", (GTE, "100", None, "%", None)),
    ("2", "Thực hiện đầy đủ 02 hoạt động", (GTE, "2", None, "hoạt động", None)),
    ("3", "Phân đầu 100% các TTHC", (GTE, "100", None, "%", None)),
    ("3", "Rà soát TTHC, cắt giảm", (UNKNOWN, None, None, "", None)),
    ("3", "Phân đầu từ 95% -100%", (BETWEEN, "95", "100", "%", None)),
    ("3", "Phân đầu 100% hồ sơ và kết quả", (GTE, "100", None, "%", None)),
    # "...; tỷ lệ giao dịch thanh toán trực tuyến đạt từ 60% trở lên": the first figure wins.
    ("3", "100% TTHC có yêu cầu nghĩa vụ tài chính", (GTE, "100", None, "%", None)),
    # "... Trong đó, mức độ hài lòng ... đạt tối thiểu 85%": the first figure wins.
    ("3", "Phân đầu từ 95% trở lên", (GTE, "95", None, "%", None)),
    ("4", "100% cán bộ công chức thuộc UBND xã", (GTE, "100", None, "%", None)),
    ("5", "100% cán bộ, công chức, viên chức được luân chuyển", (GTE, "100", None, "%", None)),
    ("5", "Hoàn thành 100% kế hoạch đào tạo", (GTE, "100", None, "%", None)),
    ("6", "Đẩy nhanh tiến độ, giải ngân vốn", (GTE, "100", None, "%", None)),  # not "năm 2025"
    ("6", "100% cơ quan, đơn vị thực hiện đúng quy định về việc", (GTE, "100", None, "%", None)),
    ("6", "100% cơ quan, đơn vị thực hiện đầy đủ", (GTE, "100", None, "%", None)),
    ("6", "100% cơ quan, đơn vị thực hiện đúng quy định về quản", (GTE, "100", None, "%", None)),
    ("7", "80% hồ sơ công việc", (GTE, "80", None, "%", None)),
    ("7", "80% dịch vụ công trực tuyến", (GTE, "80", None, "%", None)),
    ("7", "Mức độ hài lòng của tổ chức, cá nhân", (GTE, "90", None, "%", None)),
    ("7", "100% UBND xã báo cáo định kỳ", (GTE, "100", None, "%", None)),
    ("7", "Số hóa, xây dựng các cơ sở dữ liệu", (UNKNOWN, None, None, "", None)),
    ("7", "Trên 90% thủ tục hành chính", (GT, "90", None, "%", None)),
    ("7", "Số hóa 100% kết quả", (GTE, "100", None, "%", None)),
    ("7", "50% hồ sơ thủ tục hành chính", (GTE, "50", None, "%", None)),
    ("7", "100% cán bộ, công chức, viên chức được tập huấn", (GTE, "100", None, "%", None)),
]


def test_seed_002_every_target_bullet_is_covered() -> None:
    bullets = seed_002_targets()
    assert len(bullets) == len(SEED_002_EXPECTED)
    for (section, bullet), (expected_section, start, _) in zip(
        bullets, SEED_002_EXPECTED, strict=True
    ):
        assert section == expected_section
        assert bullet.startswith(start), (bullet, start)


@pytest.mark.parametrize(
    ("index", "expected"),
    [
        pytest.param(i, expected, id=f"002-{section}.a-{i + 1}-{fold(start)[:30]}")
        for i, (section, start, expected) in enumerate(SEED_002_EXPECTED)
    ],
)
def test_seed_002_target(index: int, expected: Expected) -> None:
    _, bullet = seed_002_targets()[index]
    check(parse_target(bullet), expected)


def test_seed_002_satisfaction_second_sentence_alone() -> None:
    text = (
        "Trong đó, mức độ hài lòng về giải quyết các TTHC lĩnh vực đất đai, xây dựng, đầu tư "
        "đạt tối thiểu 85%."
    )
    check(parse_target(text), (GTE, "85", None, "%", None))


# --- forms ---------------------------------------------------------------------------------------

FORMS: list[tuple[str, Expected]] = [
    ("100%", (GTE, "100", None, "%", None)),
    ("Hoàn thành 100% kế hoạch", (GTE, "100", None, "%", None)),
    ("Trên 90%", (GT, "90", None, "%", None)),
    ("từ 95% -100%", (BETWEEN, "95", "100", "%", None)),
    ("từ 95% – 100%", (BETWEEN, "95", "100", "%", None)),
    ("từ 95% đến 100%", (BETWEEN, "95", "100", "%", None)),
    ("tối thiểu 90%", (GTE, "90", None, "%", None)),
    ("ít nhất 90%", (GTE, "90", None, "%", None)),
    ("không thấp hơn 90%", (GTE, "90", None, "%", None)),
    ("không dưới 90%", (GTE, "90", None, "%", None)),
    ("đạt từ 60% trở lên", (GTE, "60", None, "%", None)),
    ("từ 95% trở lên", (GTE, "95", None, "%", None)),
    ("dưới 5%", (LT, "5", None, "%", None)),
    ("không quá 5%", (LTE, "5", None, "%", None)),
    ("tối đa 5%", (LTE, "5", None, "%", None)),
    ("tỷ lệ hồ sơ trễ hạn từ 5% trở xuống", (LTE, "5", None, "%", None)),
    ("bằng 100%", (EQ, "100", None, "%", None)),
    ("đạt 92,5%", (GTE, "92.5", None, "%", None)),
    ("đạt 92,5 phần trăm", (GTE, "92.5", None, "%", None)),
    ("cao hơn năm 2023", (HIGHER, None, None, "", 2023)),
    ("tăng so với năm 2025", (HIGHER, None, None, "", 2025)),
    ("giảm so với năm 2024", (LOWER, None, None, "", 2024)),
    ("thấp hơn năm 2024", (LOWER, None, None, "", 2024)),
    ("Số đơn vị SNCL tăng mức độ tự chủ so với năm trước liền kề", (HIGHER, None, None, "", None)),
    ("tăng 10% so với năm 2025", (HIGHER, "10", None, "%", 2025)),
    ("giảm 2 cuộc họp so với năm 2024", (LOWER, "2", None, "cuộc", 2024)),
    (
        "Thực hiện đầy đủ 02 hoạt động theo dõi thi hành pháp luật",
        (GTE, "2", None, "hoạt động", None),
    ),
    ("ít nhất 01 sáng kiến", (GTE, "1", None, "sáng kiến", None)),
    ("có từ 2 đến 3 mô hình mới", (BETWEEN, "2", "3", "mô hình", None)),
    ("tổ chức 04 lớp tập huấn trở lên", (GTE, "4", None, "lớp", None)),
    ("rút ngắn thời gian giải quyết xuống dưới 3 ngày", (LT, "3", None, "ngày", None)),
    ("đạt 1.000 lượt truy cập", (GTE, "1000", None, "lượt", None)),
    ("Vượt chỉ tiêu thu ngân sách năm 2026 được thành phố giao", (HIGHER, None, None, "", None)),
    # Years, dates and document numbers are not figures.
    ("Thực hiện Nghị định 120/2020/NĐ-CP ngày 07/10/2020", (UNKNOWN, None, None, "", None)),
    ("Áp dụng ISO 9001:2015 trong năm 2026", (UNKNOWN, None, None, "", None)),
    ("Số hồ sơ so với năm 2024", (UNKNOWN, None, None, "", None)),  # no direction
    ("Vượt chỉ tiêu", (HIGHER, None, None, "", None)),
    ("", (UNKNOWN, None, None, "", None)),
    ("abc", (UNKNOWN, None, None, "", None)),
]


@pytest.mark.parametrize(
    ("text", "expected"), [pytest.param(*case, id=fold(case[0]) or "empty") for case in FORMS]
)
def test_form(text: str, expected: Expected) -> None:
    parsed = parse_target(text)
    assert parsed.text == text
    check(parsed, expected)


def test_figure_in_brackets_loses_to_one_outside() -> None:
    check(
        parse_target("Tổ chức 02 hội nghị (mỗi hội nghị 100% cán bộ tham dự)"),
        (GTE, "2", None, "hội nghị", None),
    )


def test_decomposed_unicode_reads_like_composed() -> None:
    text = unicodedata.normalize("NFD", "ít nhất 01 sáng kiến")
    check(parse_target(text), (GTE, "1", None, "sáng kiến", None))


# --- attainment ----------------------------------------------------------------------------------

ATTAINMENT: list[tuple[str, str | None, str | None, Attainment]] = [
    # (target, actual, baseline, result)
    ("Hoàn thành 100% kế hoạch", "100", None, MET),
    ("Hoàn thành 100% kế hoạch", "99.99", None, NOT_MET),
    ("Hoàn thành 100% kế hoạch", None, None, NOT_MEASURED),
    ("Trên 90%", "90", None, NOT_MET),
    ("Trên 90%", "90.01", None, MET),
    ("tối thiểu 90%", "90", None, MET),
    ("tối thiểu 90%", "89.999", None, NOT_MET),
    ("đạt 92,5%", "92.5", None, MET),
    ("đạt 92,5%", "92.49", None, NOT_MET),
    # BETWEEN is met from its lower figure up.
    ("từ 95% -100%", "94.99", None, NOT_MET),
    ("từ 95% -100%", "95", None, MET),
    ("từ 95% -100%", "97.5", None, MET),
    ("từ 95% -100%", "100", None, MET),
    ("từ 95% -100%", "100.5", None, MET),
    ("dưới 5%", "5", None, NOT_MET),
    ("dưới 5%", "4.99", None, MET),
    ("không quá 5%", "5", None, MET),
    ("không quá 5%", "5.01", None, NOT_MET),
    ("bằng 100%", "100.0", None, MET),
    ("bằng 100%", "99", None, NOT_MET),
    ("ít nhất 01 sáng kiến", "1", None, MET),
    ("ít nhất 01 sáng kiến", "0", None, NOT_MET),
    # Baselines: nothing is measured until the baseline is known.
    ("cao hơn năm 2023", "120", None, NOT_MEASURED),
    ("cao hơn năm 2023", "120", "100", MET),
    ("cao hơn năm 2023", "100", "100", NOT_MET),
    ("giảm so với năm 2024", "80", "100", MET),
    ("giảm so với năm 2024", "100", "100", NOT_MET),
    ("giảm so với năm 2024", "80", None, NOT_MEASURED),
    ("tăng 10% so với năm 2025", "220", "200", MET),
    ("tăng 10% so với năm 2025", "219.99", "200", NOT_MET),
    ("giảm 2 cuộc họp so với năm 2024", "8", "10", MET),
    ("giảm 2 cuộc họp so với năm 2024", "9", "10", NOT_MET),
    # The quota "được giao" is the baseline of "Vượt chỉ tiêu".
    ("Vượt chỉ tiêu thu ngân sách năm 2026 được thành phố giao", "1000", "1000", NOT_MET),
    ("Vượt chỉ tiêu thu ngân sách năm 2026 được thành phố giao", "1000.01", "1000", MET),
    ("Vượt chỉ tiêu thu ngân sách năm 2026 được thành phố giao", "5000", None, NOT_MEASURED),
    # An unreadable target is never judged.
    ("abc", "100", "100", NOT_MEASURED),
]


@pytest.mark.parametrize(
    ("target", "actual", "baseline", "result"),
    [
        pytest.param(*case, id=f"{fold(case[0])[:30]}-actual={case[1]}-baseline={case[2]}")
        for case in ATTAINMENT
    ],
)
def test_attainment(
    target: str, actual: str | None, baseline: str | None, result: Attainment
) -> None:
    measured = None if actual is None else Decimal(actual)
    base = None if baseline is None else Decimal(baseline)
    assert attainment(parse_target(target), measured, base) is result


def test_attainment_is_exact_decimal_arithmetic() -> None:
    # In floats 0.1 + 0.2 != 0.3 and 0.3 * 1.1 != 0.33; in Decimal they are equal.
    assert attainment(parse_target("đạt 0,3%"), Decimal("0.1") + Decimal("0.2")) is MET
    assert attainment(parse_target("bằng 0,3%"), Decimal("0.1") + Decimal("0.2")) is MET
    grown = parse_target("tăng 10% so với năm 2025")
    assert attainment(grown, Decimal("0.33"), Decimal("0.3")) is MET
    assert attainment(grown, Decimal("0.3299999999"), Decimal("0.3")) is NOT_MET


def test_attainment_of_a_value_less_target_is_not_measured() -> None:
    target = ParsedTarget(text="", comparator=GTE, value=None)
    assert attainment(target, Decimal("1")) is NOT_MEASURED


@pytest.mark.parametrize(
    "actual", [Decimal("NaN"), Decimal("Infinity"), Decimal("-Infinity")], ids=str
)
def test_attainment_of_a_non_finite_actual_is_not_measured(actual: Decimal) -> None:
    assert attainment(parse_target("100%"), actual) is NOT_MEASURED


# --- never raises --------------------------------------------------------------------------------

_FRAGMENTS = [
    "%", "95", "100", "1.000", "92,5", ",", ".", ";", "(", ")", "-", "–", "từ", "đến", "trở lên",
    "trở xuống", "tối thiểu", "không", "quá", "dưới", "trên", "cao hơn", "năm", "2024", "so với",
    "tăng", "giảm", "vượt", "chỉ tiêu", "hoạt động", "\n", "İ", "한", "\u0301", "0", "00",
    "9" * 40, "1,2,3", "1.2.3", "..", ",,", " ",
]  # fmt: skip


def test_never_raises_on_garbage() -> None:
    rng = random.Random(20250701)
    texts = [
        "".join(rng.choice(_FRAGMENTS) + rng.choice(("", " ")) for _ in range(rng.randint(0, 14)))
        for _ in range(3000)
    ]
    texts += [
        "".join(chr(rng.randint(0, 0x2FFF)) for _ in range(rng.randint(0, 60))) for _ in range(500)
    ]
    for text in texts:
        parsed = parse_target(text)
        assert parsed.text == text
        for actual in (None, Decimal("0"), Decimal("95"), Decimal("NaN")):
            attainment(parsed, actual)
            attainment(parsed, actual, Decimal("90"))
