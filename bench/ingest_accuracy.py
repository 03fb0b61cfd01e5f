"""Accuracy of reading plan documents, measured against answers written by hand.

Every document in DIR (.txt, .docx, .pdf, .xlsx) with an expected file STEM.expected.json beside
it is read with ingest.documents.read_plan and turned into JSON by ingest.plan_json; the .docx or
.pdf of a seed shares the seed's expected file (matched by stem). Tasks and targets are paired
with the expected ones by their text (normalised: case, diacritics, spacing, punctuation; greedy
best pairs by difflib ratio, at least --threshold), then for each document, each format and
overall it prints:

- precision and recall of tasks and targets;
- accuracy of every field of the paired items (tasks: lead, coordinators, deadline_text,
  milestones, product, area; targets: value, comparator, unit, value_max, area, monitoring unit
  and implementing units);
- accuracy of each document fact and of the period; recall and precision of areas, of the
  departments of the assignments and of the dates (start and end); duty counts per department.

Only the keys present in an expected file are checked, and for .xlsx (a task table alone) only
areas and tasks. A document the reader refuses counts as one where nothing was found. A ratio
with nothing to count (precision of tasks when none were expected or found) is null. Figures
are pooled over documents (micro average). The last line is one JSON object with every figure;
per document they are prefixed with its id ("seed_001_txt_"), per format with the format
("docx_"; a PDF whose stem ends in "_scan" is the format "scan", read by OCR, or "poor_scan"
when it ends in "_pale_scan" or "_coarse_scan", a poor copy of a scan), and each format
also reports the slowest read in seconds. Always exits 0.

    .venv/bin/python bench/ingest_accuracy.py fixtures/seeds fixtures/hard [--details]
"""

from __future__ import annotations

import argparse
import difflib
import io
import json
import os
import re
import sys
import time
import unicodedata
from collections import Counter
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "cchc.settings")
os.environ.setdefault("CCHC_ENV", "test")

import django

django.setup()

from core.text import normalize_name, squash_spaces  # noqa: E402
from ingest.documents import read_plan  # noqa: E402
from ingest.plan_json import draft_to_json  # noqa: E402
from ingest.plan_text import PlanDraft, parse_plan_text  # noqa: E402

FORMATS = (".txt", ".docx", ".pdf", ".xlsx")
EXPECTED_SUFFIX = ".expected.json"
THRESHOLD = 0.85
# A spreadsheet seed holds the appendix table alone (scripts/make_seed_documents.py): only what a
# table can hold is checked, or the figures would blame the reader for what the file lacks.
SCOPE_BY_FORMAT: dict[str, tuple[str, ...]] = {".xlsx": ("areas", "tasks")}
_SEED_STEM = re.compile(r"^(?P<n>\d{3})_")

Item = dict[str, Any]


# --- Documents ----------------------------------------------------------------------------------


_SEED_STEMS = {
    p.stem for p in (Path(__file__).resolve().parent.parent / "fixtures" / "seeds").glob("*.txt")
}


def format_of(path: Path) -> str:
    """ "txt", "docx", "pdf", "xlsx", "scan" for a scanned PDF (its stem ends in "_scan"), or
    "poor_scan" for a poor copy of one ("_pale_scan", "_coarse_scan")."""
    suffix = path.suffix.lower().lstrip(".")
    if suffix == "pdf" and path.stem.endswith(("_pale_scan", "_coarse_scan")):
        return "poor_scan"
    return "scan" if suffix == "pdf" and path.stem.endswith("_scan") else suffix


def document_id(path: Path) -> str:
    """ "001_thanh_dong_....docx" -> "seed_001_docx"; variants and others keep their stem."""
    seed = _SEED_STEM.match(path.stem)
    if seed and path.stem in _SEED_STEMS:
        stem = f"seed_{seed['n']}"
    else:
        stem = re.sub(r"\W+", "_", path.stem)
    return f"{stem}_{path.suffix.lstrip('.').lower()}"


def plan_documents(directory: Path, *, with_expected: bool = True) -> list[Path]:
    """Documents of DIR in stem then format order; only those with an expected file if asked."""
    found = [
        path
        for path in directory.iterdir()
        if path.is_file()
        and path.suffix.lower() in FORMATS
        and (not with_expected or expected_path(path).exists())
    ]
    order = {suffix: index for index, suffix in enumerate(FORMATS)}
    return sorted(found, key=lambda p: (p.stem, order[p.suffix.lower()]))


def expected_path(path: Path) -> Path:
    return path.with_name(path.stem + EXPECTED_SUFFIX)


# --- Comparing values ---------------------------------------------------------------------------


def plain(text: Any) -> str:
    """Text as written, insensitive only to Unicode form and spacing (line breaks included)."""
    return squash_spaces(unicodedata.normalize("NFC", text or ""))


def same_plain(expected: Any, got: Any) -> bool:
    return plain(expected) == plain(got)


def same_key(expected: Any, got: Any) -> bool:
    """Equal once case, diacritics, punctuation, dashes and spacing are set aside."""
    return normalize_name(expected or "") == normalize_name(got or "")


def same_exact(expected: Any, got: Any) -> bool:
    return (expected or None) == (got or None)  # "" and null both mean "not given"


def same_number(expected: Any, got: Any) -> bool:
    if expected is None or got is None:
        return expected is None and got is None
    return abs(float(expected) - float(got)) < 1e-9


def same_names(expected: Any, got: Any) -> bool:
    return [plain(n) for n in expected or []] == [plain(n) for n in got or []]


def _milestones(items: Iterable[Item]) -> list[tuple[Any, Any, Any]]:
    return [(m.get("kind"), m.get("start"), m.get("due")) for m in items or []]


def same_milestones(expected: Any, got: Any) -> bool:
    return _milestones(expected) == _milestones(got)


TASK_FIELDS: dict[str, tuple[str, Callable[[Any, Any], bool]]] = {
    "lead_accuracy_ratio": ("lead", same_plain),
    "coordinators_accuracy_ratio": ("coordinators", same_names),
    "deadline_text_accuracy_ratio": ("deadline_text", same_plain),
    "milestones_accuracy_ratio": ("milestones", same_milestones),
    "product_accuracy_ratio": ("product", same_key),  # bullets and ";" are layout
    "task_area_accuracy_ratio": ("area", same_exact),
}
TARGET_FIELDS: dict[str, tuple[str, Callable[[Any, Any], bool]]] = {
    "value_accuracy_ratio": ("value", same_number),
    "value_max_accuracy_ratio": ("value_max", same_number),
    "comparator_accuracy_ratio": ("comparator", same_exact),
    "unit_accuracy_ratio": ("unit", same_plain),
    "monitoring_accuracy_ratio": ("monitoring", same_plain),
    "implementing_accuracy_ratio": ("implementing", same_names),
    "target_area_accuracy_ratio": ("area", same_exact),
}
DOCUMENT_FIELDS: dict[str, Callable[[Any, Any], bool]] = {
    "kind": same_exact,
    "number": same_exact,
    "date": same_exact,
    "place": same_plain,
    "issuer": same_plain,
    "title": same_key,
    "signer": same_plain,
}


# --- Pairing by text ----------------------------------------------------------------------------


def pair_by_text(
    expected: Sequence[Item], got: Sequence[Item], key: str, threshold: float
) -> list[tuple[int, int, float]]:
    """Greedy best pairs (expected index, got index, ratio) of normalised texts above threshold."""
    left = [normalize_name(item.get(key) or "") for item in expected]
    right = [normalize_name(item.get(key) or "") for item in got]
    candidates: list[tuple[float, int, int]] = []
    for i, a in enumerate(left):
        matcher = difflib.SequenceMatcher(None, autojunk=False)
        matcher.set_seq2(a)  # seq2 is the one difflib indexes, so it is set once per row
        for j, b in enumerate(right):
            if a == b:
                candidates.append((1.0, i, j))
                continue
            matcher.set_seq1(b)
            if matcher.real_quick_ratio() < threshold or matcher.quick_ratio() < threshold:
                continue
            ratio = matcher.ratio()
            if ratio >= threshold:
                candidates.append((ratio, i, j))
    candidates.sort(key=lambda c: (-c[0], c[1], c[2]))
    used_left: set[int] = set()
    used_right: set[int] = set()
    pairs: list[tuple[int, int, float]] = []
    for ratio, i, j in candidates:
        if i in used_left or j in used_right:
            continue
        used_left.add(i)
        used_right.add(j)
        pairs.append((i, j, ratio))
    return sorted(pairs)


# --- Tallies ------------------------------------------------------------------------------------


@dataclass
class Tally:
    """Hits over totals for each figure, so that documents pool into format and overall figures."""

    counts: dict[str, list[int]] = field(default_factory=dict)
    details: list[str] = field(default_factory=list)

    def add(self, name: str, hits: int, total: int) -> None:
        pair = self.counts.setdefault(name, [0, 0])
        pair[0] += hits
        pair[1] += total

    def check(self, name: str, ok: bool, detail: str = "") -> None:
        self.add(name, int(ok), 1)
        if not ok and detail:
            self.details.append(detail)

    def merge(self, other: Tally) -> None:
        for name, (hits, total) in other.counts.items():
            self.add(name, hits, total)

    def figures(self) -> dict[str, float | int | None]:
        result: dict[str, float | int | None] = {}
        for name, (hits, total) in sorted(self.counts.items()):
            if name.endswith("_count"):
                result[name] = hits
            else:
                result[name] = round(hits / total, 4) if total else None
        return result


def _short(value: Any, width: int = 90) -> str:
    text = json.dumps(value, ensure_ascii=False) if not isinstance(value, str) else value
    text = squash_spaces(text)
    return text if len(text) <= width else text[: width - 1] + "…"


def _recall_precision(tally: Tally, name: str, expected: list[Any], got: list[Any]) -> None:
    """Recall and precision of two multisets of comparable keys."""
    common = sum((Counter(expected) & Counter(got)).values())
    tally.add(f"{name}_recall_ratio", common, len(expected))
    tally.add(f"{name}_precision_ratio", common, len(got))
    for missing in (Counter(expected) - Counter(got)).elements():
        tally.details.append(f"{name}: missing {_short(missing)}")
    for extra in (Counter(got) - Counter(expected)).elements():
        tally.details.append(f"{name}: not expected {_short(extra)}")


def _items(
    tally: Tally,
    kind: str,
    expected: list[Item],
    got: list[Item],
    fields: dict[str, tuple[str, Callable[[Any, Any], bool]]],
    threshold: float,
) -> None:
    text_key = "content" if kind == "tasks" else "text"
    pairs = pair_by_text(expected, got, text_key, threshold)
    tally.add(f"{kind}_expected_count", len(expected), 0)
    tally.add(f"{kind}_found_count", len(got), 0)
    tally.add(f"{kind}_matched_count", len(pairs), 0)
    tally.add(f"{kind}_recall_ratio", len(pairs), len(expected))
    tally.add(f"{kind}_precision_ratio", len(pairs), len(got))
    matched_left = {i for i, _j, _r in pairs}
    matched_right = {j for _i, j, _r in pairs}
    for i, item in enumerate(expected):
        if i not in matched_left:
            tally.details.append(f"{kind}: missing {_short(item.get(text_key))}")
    for j, item in enumerate(got):
        if j not in matched_right:
            tally.details.append(f"{kind}: not expected {_short(item.get(text_key))}")
    for i, j, _ratio in pairs:
        want, have = expected[i], got[j]
        label = _short(want.get(text_key), 50)
        for figure, (key, same) in fields.items():
            if key not in want:
                continue
            ok = same(want[key], have.get(key))
            detail = (
                f"{kind} “{label}” {key}: expected {_short(want[key])}, got {_short(have.get(key))}"
            )
            tally.check(figure, ok, detail)


def compare(expected: dict[str, Any], got: dict[str, Any], threshold: float) -> Tally:
    """Every figure of one document against its expected answers."""
    tally = Tally()
    if "document" in expected:
        for key, want in expected["document"].items():
            same = DOCUMENT_FIELDS.get(key, same_plain)
            have = got["document"].get(key)
            ok = same(want, have)
            detail = f"document {key}: expected {_short(want)}, got {_short(have)}"
            tally.check(f"document_{key}_accuracy_ratio", ok, detail)
            tally.check("document_accuracy_ratio", ok)
    if "period" in expected:
        for key in ("start", "end"):
            want, have = expected["period"].get(key), got["period"].get(key)
            tally.check("period_accuracy_ratio", want == have, f"period {key}: {want} vs {have}")
    if "areas" in expected:
        _recall_precision(
            tally,
            "areas",
            [(a["code"], normalize_name(a["name"])) for a in expected["areas"]],
            [(a["code"], normalize_name(a["name"])) for a in got["areas"]],
        )
    if "tasks" in expected:
        _items(tally, "tasks", expected["tasks"], got["tasks"], TASK_FIELDS, threshold)
    if "targets" in expected:
        _items(tally, "targets", expected["targets"], got["targets"], TARGET_FIELDS, threshold)
    if "assignments" in expected:
        want = {normalize_name(a["department"]): a for a in expected["assignments"]}
        have = {normalize_name(a["department"]): a for a in got["assignments"]}
        _recall_precision(tally, "assignments_departments", list(want), list(have))
        for key in want.keys() & have.keys():
            counts = len(want[key]["duties"]), len(have[key]["duties"])
            detail = f"duties of {want[key]['department']}: expected {counts[0]}, got {counts[1]}"
            tally.check("duties_count_accuracy_ratio", counts[0] == counts[1], detail)
    if "dates" in expected:
        _recall_precision(
            tally,
            "dates",
            [(d["start"], d["end"]) for d in expected["dates"]],
            [(d["start"], d["end"]) for d in got["dates"]],
        )
    return tally


# --- Running ------------------------------------------------------------------------------------


def read_json(path: Path) -> tuple[dict[str, Any], str, float]:
    """The program's JSON for a document, the reading error if it was refused, and the seconds
    the reading took."""
    draft: PlanDraft
    started = time.perf_counter()
    try:
        _document, draft = read_plan(path.name, io.BytesIO(path.read_bytes()))
        error = ""
    except Exception as exc:  # a refused or broken document counts as nothing found
        draft = parse_plan_text("")
        error = f"{type(exc).__name__}: {exc}"
    return draft_to_json(path.name, draft), error, time.perf_counter() - started


def _print_figures(title: str, figures: dict[str, Any]) -> None:
    print(title)
    for name, value in figures.items():
        shown = "n/a" if value is None else value
        print(f"    {name:44} {shown}")


def run(
    directory: Path | Sequence[Path], threshold: float = THRESHOLD, details: bool = False
) -> dict[str, Any]:
    folders = [directory] if isinstance(directory, Path) else list(directory)
    documents = [path for folder in folders for path in plan_documents(folder)]
    overall = Tally()
    by_format: dict[str, Tally] = {}
    result: dict[str, Any] = {}
    slowest: dict[str, float] = {}
    for path in documents:
        expected = json.loads(expected_path(path).read_text(encoding="utf-8"))
        scope = SCOPE_BY_FORMAT.get(path.suffix.lower())
        if scope:
            expected = {key: value for key, value in expected.items() if key in scope}
        got, error, seconds = read_json(path)
        tally = compare(expected, got, threshold)
        tally.add("read_failed_count", int(bool(error)), 0)
        kind = format_of(path)
        slowest[kind] = max(slowest.get(kind, 0.0), seconds)
        overall.merge(tally)
        by_format.setdefault(kind, Tally()).merge(tally)
        ident = document_id(path)
        figures = tally.figures()
        _print_figures(
            f"{path.name} ({ident})" + (f" — NOT READ: {error}" if error else ""), figures
        )
        if details and tally.details and not error:  # unread: everything is missing
            print("  disagreements:")
            for line in tally.details:
                print(f"    - {line}")
        result.update({f"{ident}_{name}": value for name, value in figures.items()})
    for kind, tally in sorted(by_format.items()):
        figures = tally.figures()
        figures["slowest_read_seconds"] = round(slowest[kind], 3)
        _print_figures(f"all .{kind} documents", figures)
        result.update({f"{kind}_{name}": value for name, value in figures.items()})
    figures = overall.figures()
    _print_figures("overall", figures)
    result.update(figures)
    result["documents_count"] = len(documents)
    result["match_threshold_ratio"] = threshold
    return result


def main(argv: Sequence[str] | None = None) -> dict[str, Any]:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument(
        "directory", type=Path, nargs="+", help="folders with documents and expected files"
    )
    parser.add_argument("--threshold", type=float, default=THRESHOLD)
    parser.add_argument("--details", action="store_true", help="print every disagreement")
    args = parser.parse_args(argv)
    result = run(args.directory, args.threshold, args.details)
    print(json.dumps(result, sort_keys=True, ensure_ascii=False))
    return result


if __name__ == "__main__":
    main()
    sys.exit(0)
