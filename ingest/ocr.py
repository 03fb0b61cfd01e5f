"""Reading a scanned page: tesseract's word boxes laid out again as lines and ruled tables.

A scanned plan is mostly tables (the appendix), and plain OCR text loses their columns. So the
page is straightened (a scanner tilts it by a degree or so), tesseract gives every word with its
box (its TSV output), and the table rulings are found on the image: a row of the table is a band
between two horizontal rules that vertical rules cross, its cells lie between those vertical
rules, and a cell spanning several columns (a merged heading, "Trách nhiệm cụ thể" over two
sub-columns) is written in the first column it covers, as the Word and PDF readers do. Words
outside the tables become lines of text in reading order. Pure functions of an image, plus one
tesseract process per page; Pillow only (no numpy).
"""

from __future__ import annotations

import csv
import io
import os
import re
import subprocess
from dataclasses import dataclass, field
from itertools import pairwise
from typing import Any

DPI = 200  # scans are read at the resolution they are usually made at
_DARK = 150  # a pixel darker than this is ink
_RULE_DARK = 200  # a pixel of a rule is darker than this
_H_FILL = 0.45  # a table's horizontal rule covers this share of the page's width at least
_V_FILL = 0.9  # a vertical rule covers this share of its row's height at least
_INK_SHARE = 0.005  # the darkest pixels of a page, at least, are ink
_BLACK = 60  # ink is black when that share of the page is darker than this
_ONE_LINE = 70  # a row lower than this (in pixels at DPI) holds one line of text
_HEADING_LENGTH = 120  # a line of text longer than this is no table's heading row
_RULE_TEXT = re.compile(r"^[|¦_]+$")  # a rule, or a stub of one, read as a character
# A row number with a speck or a rule's stub read beside it ("J1", "1|"): not I, V, X, which
# start an area's numeral.
_NOISY_NUMBER = re.compile(r"^\W*[A-HJ-UWYZa-z]?\W*(?P<n>\d{1,2}(?:\.\d{1,2})?\.?)\W*$")
_HALF_SPACED_DASH = re.compile(r"(?<=[^\W\d_])(?: -|- )(?=[^\W\d_])")
_MARK_CONFIDENCE = 60  # punctuation read with less confidence than this is a speck
_ONLY_ONES = re.compile(r"^(?P<ones>I{1,3})(?P<mark>[,.;:)]?)$")  # Roman 1-3: "Quý III,", "II."
_MARKER = re.compile(r"^(?:[-–—•+]|[a-zđ][.)]|\d{1,2}[.)])(?:\s|$)")


@dataclass
class OcrWord:
    text: str
    left: int
    top: int
    right: int
    bottom: int
    line: tuple[int, int, int]  # tesseract's block, paragraph and line numbers

    @property
    def cx(self) -> float:
        return (self.left + self.right) / 2

    @property
    def cy(self) -> float:
        return (self.top + self.bottom) / 2


@dataclass
class OcrPage:
    """What a page holds, top to bottom: ("text", line) and ("table", rows of cells)."""

    items: list[tuple[str, Any]] = field(default_factory=list)


def deskew(image: Any) -> Any:
    """The page turned upright: the small angle whose ink rows are sharpest (text lines and
    rules are horizontal when the row profile varies most)."""
    from PIL import Image

    grey = image.convert("L")
    scale = 1000 / max(grey.width, 1)
    small = grey.resize((1000, max(1, int(grey.height * scale))), Image.BILINEAR)
    ink = small.point(lambda p: 255 if p < _DARK else 0)

    def score(angle: float) -> float:
        turned = ink.rotate(angle, resample=Image.NEAREST, fillcolor=0)
        profile = list(turned.resize((1, turned.height), Image.BOX).get_flattened_data())
        return sum((b - a) ** 2 for a, b in pairwise(profile))

    best = max((step / 5 for step in range(-10, 11)), key=score)
    best = max((best + step / 20 for step in range(-4, 5)), key=score)
    best = max((best + step / 100 for step in range(-4, 5)), key=score)
    if abs(best) < 0.02:
        return grey
    return grey.rotate(best, resample=Image.BICUBIC, fillcolor=255)


def _runs(profile: list[float], least: float, gap: int = 2) -> list[tuple[int, int]]:
    """(start, end) of the runs of positions where the profile is at least `least`."""
    runs: list[tuple[int, int]] = []
    for index, value in enumerate(profile):
        if value >= least:
            if runs and index - runs[-1][1] <= gap:
                runs[-1] = (runs[-1][0], index)
            else:
                runs.append((index, index))
    return runs


def horizontal_rules(ink: Any) -> list[int]:
    """The y of every horizontal rule as long as half the page (a table's)."""
    from PIL import Image

    # `ink` is white ink on black: the mean of a row is the share of it that is ink.
    profile = list(ink.resize((1, ink.height), Image.BOX).get_flattened_data())
    return [(a + b) // 2 for a, b in _runs(profile, 255 * _H_FILL, 1)]


def vertical_rules(ink: Any, top: int, bottom: int) -> list[int]:
    """The x of every vertical rule crossing the band from top to bottom (letters do not)."""
    from PIL import Image

    if bottom - top < 6:
        return []
    band = ink.crop((0, top, ink.width, bottom))
    profile = list(band.resize((ink.width, 1), Image.BOX).get_flattened_data())
    return [(a + b) // 2 for a, b in _runs(profile, 255 * _V_FILL, 2)]


@dataclass
class _Band:
    top: int
    bottom: int
    edges: list[int]  # x of the vertical rules


def _tables(ink: Any, letters: Any) -> list[list[_Band]]:
    """The ruled tables of the page, each a list of row bands top to bottom. Horizontal rules
    are looked for in `letters` (ink at the letters' darkness: a grey scan of a paragraph does
    not fill a row), vertical ones in `ink` (lighter, so that a thin grey rule is whole)."""
    rules = horizontal_rules(letters)
    tables: list[list[_Band]] = []
    current: list[_Band] = []
    for top, bottom in pairwise(rules):
        edges = vertical_rules(ink, top + 3, bottom - 3)
        narrow = any(b - a < 20 for a, b in pairwise(edges))  # letters' strokes, not cells
        if bottom - top >= 12 and len(edges) >= 2 and not narrow:
            current.append(_Band(top, bottom, edges))
            continue
        if current:
            tables.append(current)
            current = []
    if current:
        tables.append(current)
    return [_without_letter_strokes(bands) for bands in tables]


def _without_letter_strokes(bands: list[_Band]) -> list[_Band]:
    """A band one line high (a bold heading in a merged cell) has letters whose strokes cross
    it from rule to rule; a column rule found there and in no other row of the table is one."""
    if len(bands) < 2:
        return bands
    for band in bands:
        if band.bottom - band.top >= _ONE_LINE:
            continue
        others = [x for other in bands if other is not band for x in other.edges]
        kept = [x for x in band.edges if any(abs(x - y) <= 12 for y in others)]
        if len(kept) >= 2:
            band.edges = kept
    return bands


def _columns(bands: list[_Band]) -> list[int]:
    """The table's column edges: every vertical rule of its rows, near ones taken as one."""
    xs = sorted(x for band in bands for x in band.edges)
    merged: list[list[int]] = []
    for x in xs:
        if merged and x - merged[-1][-1] <= 12:
            merged[-1].append(x)
        else:
            merged.append([x])
    return [sum(group) // len(group) for group in merged]


def _text_of(words: list[OcrWord]) -> str:
    """Words of one cell (or one stretch of text) as lines: a wrapped line goes on with a space,
    a line starting with a bullet or a numbering starts a line of its own."""
    lines: list[list[OcrWord]] = []
    for word in sorted(words, key=lambda w: (w.cy, w.left)):
        height = max(word.bottom - word.top, 8)
        if lines and abs(word.cy - _line_middle(lines[-1])) <= 0.5 * height:
            lines[-1].append(word)
        else:
            lines.append([word])
    texts = [" ".join(w.text for w in sorted(line, key=lambda w: w.left)) for line in lines]
    # A bullet's dash that a soft scan reads as a tilde.
    texts = [f"-{text[1:]}" if text.startswith("~ ") else text for text in texts]
    out = ""
    for text in texts:
        if not out:
            out = text
        elif _MARKER.match(text):
            out = f"{out}\n{text}"
        else:
            out = f"{out} {text}"
    # A dash between two words that a scan spaced on one side only ("Văn hóa -Xã hội"), as it
    # was typed: spaced on both.
    return _HALF_SPACED_DASH.sub(" - ", out)


def _line_middle(line: list[OcrWord]) -> float:
    return sum(word.cy for word in line) / len(line)


def _split_at(ink: Any, band: _Band) -> int | None:
    """Where a rule crosses some cells of the band but not all (a two-row header: "Trách nhiệm
    thực hiện" over "Chủ trì" and "Phối hợp"), else None."""
    from PIL import Image

    for x0, x1 in pairwise(band.edges):
        if x1 - x0 < 12:
            continue
        cell = ink.crop((x0 + 4, band.top + 4, x1 - 4, band.bottom - 4))
        profile = list(cell.resize((1, cell.height), Image.BOX).get_flattened_data())
        runs = _runs(profile, 255 * _V_FILL, 1)
        if runs:
            return band.top + 4 + (runs[0][0] + runs[0][1]) // 2
    return None


def _rows_of(
    ink: Any, bands: list[_Band], words: list[OcrWord]
) -> tuple[list[list[str]], set[int], list[tuple[int, int]], list[int]]:
    """The table's rows of cell texts, the indexes of the words placed in it, each row's top
    and bottom, and the column edges."""
    # Each band as one or two rows: (top, bottom, edges of the upper part, lower part or None).
    shaped: list[tuple[_Band, _Band | None, int | None]] = []
    for band in bands:
        split = _split_at(ink, band)
        if split is None:
            shaped.append((band, None, None))
            continue
        upper = _Band(band.top, split, band.edges)
        lower = _Band(split, band.bottom, vertical_rules(ink, split + 3, band.bottom - 3))
        shaped.append((upper, lower if len(lower.edges) >= 2 else None, split))
    columns = _columns([b for band, lower, _ in shaped for b in (band, lower) if b is not None])
    width = max(len(columns) - 1, 1)

    def column_of(edges: list[int], x: float) -> int:
        left = max((e for e in edges if e <= x), default=edges[0])
        return min(min(range(len(columns)), key=lambda k: abs(columns[k] - left)), width - 1)

    rows: list[list[str]] = []
    spans: list[tuple[int, int]] = []  # the top and bottom of each row
    placed: set[int] = set()
    for upper, lower, split in shaped:
        top = upper.top
        bottom = lower.bottom if lower is not None else upper.bottom
        cells_up: list[list[OcrWord]] = [[] for _ in range(width)]
        cells_down: list[list[OcrWord]] = [[] for _ in range(width)]
        for index, word in enumerate(words):
            if not (top <= word.cy <= bottom) or not (columns[0] - 4 <= word.cx <= columns[-1] + 4):
                continue
            placed.add(index)
            if lower is not None and split is not None and word.cy > split:
                # Below the split: in a cell the rule crosses (a sub-column), else in a cell
                # that spans both rows (merged vertically), which belongs to the upper row.
                crossed = _crossed(ink, upper, split, word.cx)
                if crossed:
                    cells_down[column_of(lower.edges, word.cx)].append(word)
                    continue
            cells_up[column_of(upper.edges, word.cx)].append(word)
        parts = [(cells_up, upper)] + ([(cells_down, lower)] if lower is not None else [])
        for cells, part in parts:
            row = [_text_of(cell) for cell in cells]
            number = _NOISY_NUMBER.match(row[0])
            if number:
                row[0] = number["n"]
            if any(row):
                rows.append(row)
                spans.append((part.top, part.bottom))
    return rows, placed, spans, columns


def _crossed(ink: Any, band: _Band, y: int, x: float) -> bool:
    """Whether the rule at height y runs under x (the cell above x is split there)."""
    from PIL import Image

    x0 = max((e for e in band.edges if e <= x), default=band.edges[0])
    x1 = min((e for e in band.edges if e > x), default=band.edges[-1])
    strip = ink.crop((x0 + 4, y - 3, max(x0 + 5, x1 - 4), y + 4))
    profile = list(strip.resize((1, strip.height), Image.BOX).get_flattened_data())
    return max(profile, default=0) >= 255 * _V_FILL


def _numbers_again(
    image: Any,
    rows: list[list[str]],
    spans: list[tuple[int, int]],
    columns: list[int],
    timeout: float,
) -> None:
    """The numbers of the first ("TT") column that the page's reading missed (a lone digit in a
    cell is often dropped), read again from that column alone, digits only."""
    if len(columns) < 3:
        return
    # A row with no number whose text goes on from the row above (lower case), is a sub-item,
    # or is short (a header) has no number to find.
    missing = [
        k
        for k, row in enumerate(rows)
        if not row[0]
        and len(row) > 1
        and len(row[1].split()) >= 5
        and not row[1][:1].islower()
        and not _MARKER.match(row[1])
    ]
    if not missing or image is None:
        return
    # Each missing cell's top (where its number is written), inside the rules, stacked in one
    # image with white between them: one tesseract run for all, and no rule to misread.
    from PIL import Image

    left, right = columns[0] + 5, columns[1] - 5
    pieces = []
    for k in missing:
        a, b = spans[k]
        pieces.append(image.crop((left, a + 5, right, max(a + 6, min(a + 70, b - 5)))))
    gap = 40
    stack = Image.new("L", (right - left + 2 * gap, sum(p.height + gap for p in pieces) + gap), 255)
    offsets = []
    y = gap
    for piece in pieces:
        stack.paste(piece, (gap, y))
        offsets.append((y, y + piece.height))
        y += piece.height + gap
    # In black and white: the grey of specks left by a JPEG scan hides a lone digit.
    stack = stack.point(lambda p: 0 if p < _DARK else 255)
    words = tesseract_words(
        stack, timeout, ("--psm", "6", "-c", "tessedit_char_whitelist=0123456789.")
    )
    for k, (a, b) in zip(missing, offsets, strict=True):
        found = [w for w in words if a <= w.cy <= b and w.text.strip(".")]
        if found:
            rows[k][0] = min(found, key=lambda w: w.top).text


def layout(
    words: list[OcrWord],
    ink: Any,
    letters: Any | None = None,
    image: Any | None = None,
    timeout: float = 60,
) -> OcrPage:
    """The page's lines of text and tables, top to bottom."""
    page = OcrPage()
    placed: list[tuple[float, str, Any]] = []
    free = list(words)
    for bands in _tables(ink, ink if letters is None else letters):
        rows, inside, spans, columns = _rows_of(ink, bands, free)
        if rows:
            _numbers_again(image, rows, spans, columns, timeout)
        free = [word for index, word in enumerate(free) if index not in inside]
        if rows:
            placed.append((bands[0].top, "table", rows))
    by_line: dict[tuple[int, int, int], list[OcrWord]] = {}
    for word in free:
        by_line.setdefault(word.line, []).append(word)
    for line_words in by_line.values():
        line_words.sort(key=lambda w: w.left)
        text = " ".join(word.text for word in line_words)
        placed.append((min(word.top for word in line_words), "text", text))
    placed.sort(key=lambda item: item[0])
    page.items = _rejoined([(kind, value) for _top, kind, value in placed])
    return page


def _rejoined(items: list[tuple[str, Any]]) -> list[tuple[str, Any]]:
    """A table cut in two by one line of text, the second piece going on from the first (not
    starting with a header of its own): a merged heading row whose rules the scan lost ("II.
    CẢI CÁCH THỂ CHẾ" across the table), put back as a row of the table."""
    import difflib

    out: list[tuple[str, Any]] = []
    index = 0
    while index < len(items):
        kind, value = items[index]
        if (
            kind == "table"
            and index + 2 < len(items)
            and items[index + 1][0] == "text"
            and items[index + 2][0] == "table"
            and len(items[index + 1][1]) <= _HEADING_LENGTH
            and len(items[index + 2][1][0]) == len(value[0])
        ):
            first, below = " ".join(value[0]), " ".join(items[index + 2][1][0])
            if difflib.SequenceMatcher(None, first, below).ratio() < 0.6:
                row = [items[index + 1][1]] + [""] * (len(value[0]) - 1)
                items[index + 2] = ("table", [*value, row, *items[index + 2][1]])
                index += 2
                continue
        out.append((kind, value))
        index += 1
    return out


def _tesseract(
    image: Any, arguments: tuple[str, ...], timeout: float
) -> subprocess.CompletedProcess[bytes]:
    """tesseract run on the image (sent as PNG), its output captured."""
    buffer = io.BytesIO()
    image.save(buffer, format="PNG")
    return subprocess.run(
        ["tesseract", "-", "-", "--dpi", str(DPI), *arguments],
        input=buffer.getvalue(),
        capture_output=True,
        timeout=timeout,
        check=False,
        # One thread: tesseract's OpenMP threads make it several times slower on a small machine.
        env={**os.environ, "OMP_THREAD_LIMIT": "1"},
    )


def tesseract_words(
    image: Any, timeout: float, options: tuple[str, ...] = ("--psm", "4")
) -> list[OcrWord]:
    """Every word tesseract reads on the image, with its box (TSV output, Vietnamese model)."""
    # --psm 4: one column of text of varying sizes; finds the lone numbers of a TT column that
    # the default page segmentation drops.
    result = _tesseract(image, ("-l", "vie", *options, "tsv"), timeout)
    if result.returncode != 0:
        raise OSError(result.stderr.decode("utf-8", errors="replace")[:200])
    reader = csv.DictReader(
        io.StringIO(result.stdout.decode("utf-8", errors="replace")),
        delimiter="\t",
        quoting=csv.QUOTE_NONE,
    )
    words: list[OcrWord] = []
    for row in reader:
        text = (row.get("text") or "").strip()
        if row.get("level") != "5" or not text or _RULE_TEXT.match(text):
            continue
        if not any(c.isalnum() for c in text) and _confidence(row) < _MARK_CONFIDENCE:
            continue  # a speck or a rule's stub read as punctuation
        try:
            left, top = int(row["left"]), int(row["top"])
            width, height = int(row["width"]), int(row["height"])
            line = (int(row["block_num"]), int(row["par_num"]), int(row["line_num"]))
        except (KeyError, TypeError, ValueError):
            continue
        words.append(OcrWord(text, left, top, left + width, top + height, line))
    return words


def _strokes(letters: Any, word: OcrWord) -> int:
    """How many upright strokes the word's box holds, counted across the middle of its letters
    (above a comma, below serifs)."""
    from PIL import Image

    height = word.bottom - word.top
    if height < 8 or word.right - word.left < 2:
        return 0
    band = letters.crop(
        (word.left, word.top + height * 15 // 100, word.right, word.top + height * 55 // 100)
    )
    profile = list(band.resize((band.width, 1), Image.BOX).get_flattened_data())
    return len(_runs(profile, 255 * 0.6, 1))


def recounted(words: list[OcrWord], letters: Any) -> list[OcrWord]:
    """Roman ones read again from the image: tesseract often drops one of three equal strokes
    ("Quý III" read "Quý II"), and a wrong quarter is a wrong deadline."""
    for word in words:
        found = _ONLY_ONES.match(word.text)
        if found:
            strokes = _strokes(letters, word)
            if 1 <= strokes <= 3 and strokes != len(found["ones"]):
                word.text = "I" * strokes + found["mark"]
    return words


def levelled(image: Any) -> Any:
    """The page with ink black: a pale or low-contrast scan (a photocopy of a photocopy, a grey
    background) stretched so that the fixed darkness limits hold; a scan with black ink is
    left as it is."""
    from PIL import ImageFilter, ImageOps

    grey = image.convert("L")
    histogram = grey.histogram()
    darkest, seen, least = 0, 0, sum(histogram) * _INK_SHARE
    for level, count in enumerate(histogram):
        seen += count
        if seen >= least:
            darkest = level
            break
    if darkest <= _BLACK:
        return grey
    # A pale scan is a poor one, with dust and toner specks that tesseract reads as marks: a
    # 3-pixel median removes them and keeps a stroke (wider at 200 dpi). Paper is most of a
    # page: the lightest 30% are all paper.
    clean = grey.filter(ImageFilter.MedianFilter(3))
    return ImageOps.autocontrast(clean, cutoff=(_INK_SHARE * 100, 30))


def _confidence(row: dict[str, str]) -> float:
    try:
        return float(row.get("conf") or 0)
    except ValueError:
        return 0.0


_ROTATE = re.compile(r"Rotate:\s*(\d+)")
_ORIENTATION_CONFIDENCE = re.compile(r"Orientation confidence:\s*([\d.]+)")
_SURE_ORIENTATION = 3.0  # below this, tesseract's guess of a page's orientation is not taken


def oriented(image: Any, timeout: float) -> Any:
    """The page the right way up: a landscape appendix scanned sideways, or a sheet fed upside
    down, turned as tesseract's orientation detection says, when it is sure of it."""
    try:
        result = _tesseract(image, ("--psm", "0", "-l", "osd"), timeout)
    except subprocess.TimeoutExpired:
        return image
    report = result.stdout.decode("utf-8", errors="replace")
    turn, sure = _ROTATE.search(report), _ORIENTATION_CONFIDENCE.search(report)
    if result.returncode != 0 or not turn or not sure or float(sure[1]) < _SURE_ORIENTATION:
        return image  # too little text to tell (a signature page): read it as it is
    degrees = int(turn[1]) % 360
    return image.rotate(-degrees, expand=True) if degrees else image


def read_page(image: Any, timeout: float) -> OcrPage:
    """One scanned page: levelled, turned the right way up, straightened, read by tesseract,
    laid out as lines and tables."""
    upright = deskew(oriented(levelled(image), timeout))
    words = tesseract_words(upright, timeout)
    # Rules are thin and a scan greys them: a lighter limit than for letters finds them whole.
    ink = upright.point(lambda p: 255 if p < _RULE_DARK else 0)
    letters = upright.point(lambda p: 255 if p < _DARK else 0)
    return layout(recounted(words, letters), ink, letters, upright, timeout)
