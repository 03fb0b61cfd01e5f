"""Write harder plan documents from the seeds, with their expected answers, into fixtures/hard.

    .venv/bin/python bench/make_hard_fixtures.py [--no-scan]

For each seed plan (fixtures/seeds/NNN_*.txt and its .expected.json) it keeps the seed's header
(number, date, title) and signature, and writes the seed's targets and tasks as the tables
officials really send: a target table whose responsibility columns sit under a merged
"Trách nhiệm cụ thể", task tables with a two-row header ("Trách nhiệm thực hiện" over "Chủ trì"
and "Phối hợp"), area headings with a space, a dot or a tab after the Roman numeral or in one
merged cell, rows cut by a page break (the next table repeats the header, then a row with an
empty number cell holds the rest of the text), sub-items ("- ", "+ ", "a) ") under a parent row,
a numbered row that is both a group and a target, and "<i>" markup left by a web editor.

Each variant is written as NAME.txt (tabs between cells, a blank line between the pieces of a
table broken over pages), NAME.docx (python-docx: one Word table per piece, a page break between
them, merged header and heading cells) and NAME.pdf (LibreOffice from the .docx). A few pages of
some variants are also rasterised at 200 dpi, grey, slightly skewed and blurred, into
NAME_scan.pdf (JPEG pages), as a scanner gives them, and copies of that scan as a poor office
machine gives them: NAME_pale_scan.pdf (grey ink, more tilt and blur) and NAME_coarse_scan.pdf
(150 dpi), both with dust specks. NAME.expected.json holds the answers: the
seed's document facts and period, the areas, tasks and targets as written in the tables.
"""

from __future__ import annotations

import argparse
import io
import json
import re
import shutil
import subprocess
import sys
import tempfile
import zipfile
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
SEEDS = ROOT / "fixtures" / "seeds"
OUT = ROOT / "fixtures" / "hard"
ROMAN = ["I", "II", "III", "IV", "V", "VI", "VII", "VIII", "IX", "X"]
MONITORS = [
    "Phòng Văn hóa - Xã hội",
    "Văn phòng HĐND và UBND",
    "Phòng Kinh tế",
    "Trung tâm Phục vụ hành chính công",
]
IMPLEMENTERS = ["Các phòng chuyên môn", "Các phòng, đơn vị", "Trung tâm PV HCC"]
TASK_HEADER = [
    "TT",
    "Nội dung công việc",
    "Cơ quan chủ trì",
    "Cơ quan phối hợp",
    "Thời gian thực hiện/ hoàn thành",
    "Sản phẩm",
]
TASK_HEADER_TOP = [
    "TT",
    "Nội dung công việc",
    "Trách nhiệm thực hiện",
    "",
    "Thời gian hoàn thành",
    "Sản phẩm",
]
TASK_HEADER_SUB = ["", "", "Chủ trì", "Phối hợp", "", ""]
TARGET_HEADER_TOP = ["STT", "Chỉ tiêu", "Chỉ tiêu phấn đấu", "Trách nhiệm cụ thể", ""]
TARGET_HEADER_SUB = ["", "", "", "Đơn vị theo dõi, hướng dẫn thực hiện", "Đơn vị thực hiện"]
FIXED_DATE = (2026, 1, 14, 8, 0, 0)

Row = list[str]
Piece = list[Row]  # the rows of one table piece (a page)


def _head_and_tail(text: str) -> tuple[list[str], list[str]]:
    """The seed's lines before its first body heading, and from its last "Nơi nhận" on when that
    comes after the body (a decision's signature stands before its plan)."""
    lines = text.split("\n")
    start = next(i for i, line in enumerate(lines) if line.startswith("I. MỤC ĐÍCH"))
    ends = [i for i, line in enumerate(lines) if line.startswith("Nơi nhận")]
    tail = lines[ends[-1] :] if ends and ends[-1] > start else []
    return lines[:start], tail


def _heading(code: str, name: str, form: int) -> Row:
    """An area heading row in one of the ways people write it."""
    upper = name.upper()
    forms = [
        [f"{code}. {name}", "", "", "", "", ""],  # one merged cell
        [f"{code} {upper}", "", "", "", "", ""],  # a space after the numeral
        [code, upper, "", "", "", ""],  # a tab (the numeral in its own cell)
        [f"{code}.", name, "", "", "", ""],
        [f"{code}\t{upper}".replace("\t", " "), "", "", "", "", ""],
    ]
    return forms[form % len(forms)]


def _marked(text: str, index: int) -> str:
    """Some texts carry the markup of the editor they were pasted from."""
    if index % 5 != 2:
        return text
    words = text.split(" ")
    if len(words) < 4:
        return text
    words[1] = f"<i>{words[1]}"
    words[2] = f"{words[2]}</i>"
    return " ".join(words)


def _cut(text: str) -> tuple[str, str]:
    """A sentence cut by a page break mid-way, before a word in lower case."""
    words = text.split(" ")
    for k in range(len(words) * 3 // 5, len(words) - 1):
        if words[k][:1].islower():
            return " ".join(words[:k]), " ".join(words[k:])
    return text, ""


# --- Task tables -----------------------------------------------------------------------------


def task_pieces(tasks: list[dict[str, Any]], areas: list[dict[str, str]], two_rows: bool):
    """Pieces of a task table and the expected tasks (with area codes as written)."""
    header = [TASK_HEADER_TOP, TASK_HEADER_SUB] if two_rows else [TASK_HEADER]
    pieces: list[Piece] = [[*map(list, header)]]
    expected: list[dict[str, Any]] = []
    by_area: dict[str, list[dict[str, Any]]] = {}
    for task in tasks:
        by_area.setdefault(task["area"], []).append(task)
    count = 0
    for a, area in enumerate(areas):
        code = ROMAN[a]
        pieces[-1].append(_heading(code, area["name"], a))
        number = 0
        group_left = 0
        items = by_area.get(area["code"], [])
        for k, task in enumerate(items):
            count += 1
            cells = [
                task["content"],
                task["lead"],
                "; ".join(task["coordinators"]),
                task["deadline_text"],
                task["product"],
            ]
            if group_left == 0 and k + 2 < len(items) and count % 9 == 4:
                number += 1
                pieces[-1].append([str(number), "Thực hiện các nội dung sau:", "", "", "", ""])
                group_left = 2
            if group_left:
                mark = ("- ", "+ ", "a) ")[count % 3] if group_left == 2 else "- "
                if mark == "a) " and group_left == 2:
                    mark = "a) "
                elif mark != "- " and group_left == 1:
                    mark = "b) " if count % 3 == 1 else mark
                pieces[-1].append(["", mark + _marked(cells[0], count), *cells[1:]])
                group_left -= 1
            else:
                number += 1
                first = _marked(cells[0], count)
                rest = ""
                if count % 7 == 3:
                    first, rest = _cut(first)
                pieces[-1].append([str(number), first, *cells[1:]])
                if rest:
                    pieces.append([*map(list, header), ["", rest, "", "", "", ""]])
            expected.append({**task, "area": code})
    return (
        pieces,
        expected,
        [{"code": ROMAN[a], "name": area["name"]} for a, area in enumerate(areas)],
    )


# --- Target tables ---------------------------------------------------------------------------


def _value_cell(target: dict[str, Any], index: int) -> str:
    comparator, value = target["comparator"], target.get("value")
    shown = f"{value:g}".replace(".", ",") if value is not None else ""
    unit = target.get("unit") or ""
    if comparator == "gte" and unit != "%":
        return f"Tối thiểu {shown} {unit}"
    if comparator == "gte":
        return [f"{shown}%", f"≥ {shown}%", f"Tối thiểu {shown}%", f"Đạt từ {shown}% trở lên"][
            index % 4
        ]
    if comparator == "gt":
        return f"Trên {shown}%"
    if comparator == "between":
        return f"Từ {shown}% - {target['value_max']:g}%"
    return ["Hoàn thành theo kế hoạch", "Đạt yêu cầu", "Bảo đảm theo quy định"][index % 3]


def target_pieces(targets: list[dict[str, Any]], area_names: dict[str, str]):
    """Pieces of a target table (two-row header) and the expected targets."""
    header = [list(TARGET_HEADER_TOP), list(TARGET_HEADER_SUB)]
    pieces: list[Piece] = [[*map(list, header)]]
    expected: list[dict[str, Any]] = []
    by_area: dict[str | None, list[dict[str, Any]]] = {}
    for target in targets:
        by_area.setdefault(target["area"], []).append(target)
    count = 0
    number = 0
    for area, items in by_area.items():
        code = area or ""
        if area is not None and len(items) == 1:
            # A numbered row that is both the area and its only target.
            target = items[0]
            count += 1
            monitor = MONITORS[count % len(MONITORS)]
            pieces[-1].append(
                [code, target["text"], _value_cell(target, count), monitor, IMPLEMENTERS[0]]
            )
            expected.append(_expected_target(target, code, monitor, IMPLEMENTERS[0]))
            continue
        if area is not None:
            name = area_names.get(area, "")
            pieces[-1].append([code, name, "", "", ""])
        parent_monitor = ""
        for k, target in enumerate(items):
            count += 1
            value = _value_cell(target, count)
            text = _marked(target["text"], count)
            if area is None:
                number += 1
                monitor = MONITORS[count % len(MONITORS)]
                first, rest = _cut(text) if count % 4 == 3 else (text, "")
                pieces[-1].append([str(number), first, value, monitor, IMPLEMENTERS[1]])
                if rest:
                    pieces.append([*map(list, header), ["", rest, "", "", ""]])
                expected.append(_expected_target(target, None, monitor, IMPLEMENTERS[1]))
                continue
            if k % 3 == 0:
                parent_monitor = MONITORS[count % len(MONITORS)]
                pieces[-1].append(
                    [f"{code}.{k // 3 + 1}", text, value, parent_monitor, IMPLEMENTERS[2]]
                )
            else:
                mark = ("- ", "+ ")[k % 2]
                pieces[-1].append(["", mark + text, value, "", ""])  # merged responsibility
            expected.append(_expected_target(target, code, parent_monitor, IMPLEMENTERS[2]))
            if count % 6 == 5 and k + 1 < len(items):
                pieces.append([*map(list, header)])
    return pieces, expected


def _expected_target(target: dict[str, Any], area: str | None, monitor: str, implementer: str):
    out = {key: target[key] for key in ("text", "comparator", "value", "value_max", "unit")}
    return {**out, "area": area, "monitoring": monitor, "implementing": [implementer]}


# --- Writing ---------------------------------------------------------------------------------


def _txt(head: list[str], sections: list[tuple[str, list[Piece]]], tail: list[str]) -> str:
    lines = [*head]
    for title, pieces in sections:
        lines += [title, ""]
        for piece in pieces:
            # A cell's lines are one line in a tab-separated row.
            lines += ["\t".join(cell.replace("\n", " ") for cell in row) for row in piece]
            lines.append("")
    lines += tail
    return "\n".join(lines).rstrip() + "\n"


def _strip_markup(text: str) -> str:
    return re.sub(r"</?[a-z]+>", "", text)


def _docx(head: list[str], sections: list[tuple[str, list[Piece]]], tail: list[str], path: Path):
    from docx import Document
    from docx.enum.section import WD_ORIENT
    from docx.enum.text import WD_BREAK
    from docx.oxml.ns import qn
    from docx.shared import Cm, Pt

    document = Document()
    normal = document.styles["Normal"]
    normal.font.name = "Times New Roman"
    normal.font.size = Pt(12)
    normal.element.rPr.rFonts.set(qn("w:eastAsia"), "Times New Roman")
    normal.paragraph_format.space_after = Pt(0)
    section = document.sections[0]
    section.orientation = WD_ORIENT.LANDSCAPE
    section.page_width, section.page_height = Cm(29.7), Cm(21)
    section.left_margin = section.right_margin = Cm(2)
    section.top_margin = section.bottom_margin = Cm(1.5)
    properties = document.core_properties
    properties.author = properties.last_modified_by = "UBND"
    properties.title = properties.comments = ""
    from datetime import datetime

    properties.created = properties.modified = properties.last_printed = datetime(*FIXED_DATE)
    properties.revision = 1

    def paragraph(text: str) -> None:
        from ingest.plan_text import _clean

        for line in _clean(text).split("\n"):  # "KẾ HOẠCH**Cải cách ...**": two paragraphs
            if line.strip():
                document.add_paragraph(line.strip())

    for line in head:
        if line.strip():
            paragraph(line)
    widths = {6: [1.3, 8.5, 4, 4.5, 3.5, 4], 5: [1.3, 10, 4, 5, 5.5]}
    for title, pieces in sections:
        paragraph(title)
        for p, piece in enumerate(pieces):
            if p:
                document.add_paragraph().add_run().add_break(WD_BREAK.PAGE)
            columns = len(piece[0])
            table = document.add_table(rows=0, cols=columns)
            table.style = document.styles["Table Grid"]
            # Two header rows when the second one only names sub-columns.
            header_rows = 2 if len(piece) > 1 and not piece[1][0] and not piece[1][1] else 1
            for r, row in enumerate(piece):
                cells = table.add_row().cells
                for c, width in enumerate(widths[columns]):
                    cells[c].width = Cm(width)
                is_heading = bool(row[0]) and not any(row[1:]) and not row[0][:1].isdigit()
                if is_heading:
                    merged = cells[0].merge(cells[-1])
                    merged.paragraphs[0].add_run(_strip_markup(row[0])).bold = True
                    continue
                for c, text in enumerate(row):
                    _cell_text(cells[c], text, bold=r < header_rows)
            if header_rows == 2:
                top, sub = table.rows[0].cells, table.rows[1].cells
                for c in range(columns):
                    if not piece[1][c]:
                        top[c].merge(sub[c])  # the numeral and text columns span both rows
                for c in range(columns - 1):
                    if piece[0][c] and not piece[0][c + 1] and piece[1][c + 1]:
                        top[c].merge(top[c + 1])
            _repeat_header(table, header_rows)
    for line in tail:
        if line.strip():
            paragraph(line)
    buffer = io.BytesIO()
    document.save(buffer)
    path.write_bytes(_normalise_zip(buffer.getvalue()))


def _cell_text(cell: Any, text: str, bold: bool) -> None:
    """A cell's text; "<i>…</i>" becomes italic in Word, its lines its paragraphs."""
    lines = text.split("\n")
    for k, line in enumerate(lines):
        paragraph = cell.paragraphs[0] if k == 0 else cell.add_paragraph()
        for m, piece in enumerate(re.split(r"</?i>", line)):
            if piece:
                run = paragraph.add_run(piece)
                run.bold = bold
                run.italic = m % 2 == 1


def _repeat_header(table: Any, rows: int) -> None:
    from docx.oxml import OxmlElement
    from docx.oxml.ns import qn

    for row in table.rows[:rows]:
        properties = row._tr.get_or_add_trPr()
        repeat = OxmlElement("w:tblHeader")
        repeat.set(qn("w:val"), "true")
        properties.append(repeat)


def _normalise_zip(data: bytes) -> bytes:
    source = zipfile.ZipFile(io.BytesIO(data))
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as target:
        for item in sorted(source.infolist(), key=lambda i: i.filename):
            info = zipfile.ZipInfo(item.filename, date_time=FIXED_DATE)
            info.compress_type = zipfile.ZIP_DEFLATED
            target.writestr(info, source.read(item.filename))
    return out.getvalue()


def _pdf(docx_path: Path) -> Path:
    with tempfile.TemporaryDirectory() as folder:
        subprocess.run(
            [
                "soffice",
                f"-env:UserInstallation=file://{folder}/profile",
                "--headless",
                "--convert-to",
                "pdf",
                "--outdir",
                folder,
                str(docx_path),
            ],
            check=True,
            capture_output=True,
            timeout=180,
        )
        target = docx_path.with_suffix(".pdf")
        shutil.copy(Path(folder) / target.name, target)
    return target


def scan(pdf: Path, target: Path, pages: list[int], angle: float) -> None:
    """Pages of a PDF as a scanner gives them: 200 dpi, grey, a little skewed and blurred."""
    from PIL import Image, ImageFilter

    images = []
    with tempfile.TemporaryDirectory() as folder:
        for page in pages:
            subprocess.run(
                [
                    "pdftoppm",
                    "-r",
                    "200",
                    "-gray",
                    "-png",
                    "-f",
                    str(page),
                    "-l",
                    str(page),
                    str(pdf),
                    f"{folder}/p{page}",
                ],
                check=True,
                timeout=120,
            )
            found = sorted(Path(folder).glob(f"p{page}*.png"))[0]
            image = Image.open(found).convert("L")
            image = image.rotate(angle, resample=Image.BICUBIC, expand=False, fillcolor=255)
            image = image.filter(ImageFilter.GaussianBlur(0.7))
            images.append(image)
    target.write_bytes(_pdf_of_images(images, dpi=200, quality=45))


def _pdf_of_images(images: list[Any], dpi: int, quality: int) -> bytes:
    """Pages as a scanner's PDF gives them: one JPEG image each."""
    buffer = io.BytesIO()
    images[0].save(
        buffer,
        format="PDF",
        save_all=True,
        append_images=images[1:],
        resolution=float(dpi),
        quality=quality,
    )
    return buffer.getvalue()


# --- Variants --------------------------------------------------------------------------------


def variant(seed: Path) -> dict[str, Any] | None:
    expected = json.loads(seed.with_suffix(".expected.json").read_text(encoding="utf-8"))
    text = seed.read_text(encoding="utf-8")
    head, tail = _head_and_tail(text)
    sections: list[tuple[str, list[Piece]]] = []
    answer: dict[str, Any] = {"document": expected["document"], "period": expected["period"]}
    index = int(seed.name[:3])
    if expected.get("targets"):
        names = {area["code"]: area["name"] for area in expected["areas"]}
        pieces, targets = target_pieces(expected["targets"], names)
        sections.append(("I. CÁC CHỈ TIÊU CHỦ YẾU", pieces))
        answer["targets"] = targets
    if expected.get("tasks"):
        areas = [
            a for a in expected["areas"] if any(t["area"] == a["code"] for t in expected["tasks"])
        ]
        pieces, tasks, area_list = task_pieces(expected["tasks"], areas, two_rows=index % 2 == 1)
        sections.append(("II. NHIỆM VỤ, GIẢI PHÁP (chi tiết tại bảng sau)", pieces))
        answer["tasks"] = tasks
        answer["areas"] = area_list
    if not sections:
        return None
    return {
        "stem": seed.stem + "_bang",
        "txt": _txt(head, sections, tail),
        "head": head,
        "tail": tail,
        "sections": sections,
        "expected": answer,
    }


# Copies of a scan as a poor office machine gives them: (name, dpi, angle, blur, contrast).
POOR_SCANS = [
    ("pale", 200, 1.4, 1.1, 0.55),  # a photocopy of a photocopy: grey ink, tilted, soft
    ("coarse", 150, -0.9, 0.6, 0.8),  # a cheap scanner's 150 dpi
]


def make_poor_scans(scan_stem: Path) -> None:
    """NAME_pale_scan.pdf and NAME_coarse_scan.pdf from NAME_scan.pdf, each with the answers of
    the scan: lower contrast, more blur and tilt, dust specks, a harsher JPEG."""
    import random

    import pypdfium2
    from PIL import Image, ImageEnhance, ImageFilter

    source = pypdfium2.PdfDocument(scan_stem.with_suffix(".pdf").read_bytes())
    answers = scan_stem.with_suffix(".expected.json").read_text(encoding="utf-8")
    base = scan_stem.name.removesuffix("_scan")
    for name, dpi, angle, blur, contrast in POOR_SCANS:
        specks = random.Random(f"{base}-{name}")
        images = []
        for page in source:
            image = page.render(scale=200 / 72, grayscale=True).to_pil().convert("L")
            if dpi != 200:
                size = (image.width * dpi // 200, image.height * dpi // 200)
                image = image.resize(size, Image.BILINEAR)
            image = image.rotate(angle, resample=Image.BICUBIC, fillcolor=255)
            image = ImageEnhance.Contrast(image).enhance(contrast)
            image = image.filter(ImageFilter.GaussianBlur(blur))
            pixels = image.load()
            for _ in range(image.width * image.height // 800):
                xy = (specks.randrange(image.width), specks.randrange(image.height))
                pixels[xy] = specks.choice([40, 230])
            images.append(image)
        target = OUT / f"{base}_{name}_scan"
        target.with_suffix(".pdf").write_bytes(_pdf_of_images(images, dpi=dpi, quality=30))
        target.with_suffix(".expected.json").write_text(answers, encoding="utf-8")
        print(f"{target.name}: {name} copy of the scan")


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--no-scan", action="store_true")
    args = parser.parse_args(argv)
    OUT.mkdir(exist_ok=True)
    for seed in sorted(SEEDS.glob("[0-9][0-9][0-9]_*.txt")):
        made = variant(seed)
        if made is None:
            continue
        stem = OUT / made["stem"]
        stem.with_suffix(".txt").write_text(made["txt"], encoding="utf-8")
        expected = json.dumps(made["expected"], ensure_ascii=False, indent=1) + "\n"
        stem.with_suffix(".expected.json").write_text(expected, encoding="utf-8")
        docx_path = stem.with_suffix(".docx")
        _docx(made["head"], made["sections"], made["tail"], docx_path)
        _pdf(docx_path)
        print(f"{stem.name}: txt, docx, pdf")
        if not args.no_scan:
            make_scan(seed, made)
            make_poor_scans(OUT / (seed.stem + "_scan"))
    print(f"written to {OUT.relative_to(ROOT)}")


def make_scan(seed: Path, made: dict[str, Any]) -> None:
    """A short scanned appendix: the seed's header, the first targets and the first tasks."""
    expected = json.loads(seed.with_suffix(".expected.json").read_text(encoding="utf-8"))
    answer: dict[str, Any] = {"document": {}, "period": expected["period"]}
    for key in ("title", "issuer"):
        answer["document"][key] = expected["document"][key]
    sections = []
    if expected.get("targets"):
        names = {area["code"]: area["name"] for area in expected["areas"]}
        pieces, targets = target_pieces(expected["targets"][:5], names)
        sections.append(("I. CÁC CHỈ TIÊU CHỦ YẾU", pieces))
        answer["targets"] = targets
    if expected.get("tasks"):
        first = [
            a for a in expected["areas"] if any(t["area"] == a["code"] for t in expected["tasks"])
        ][:2]
        tasks = [t for t in expected["tasks"] if t["area"] in {a["code"] for a in first}][:8]
        pieces, found, areas = task_pieces(tasks, first, two_rows=int(seed.name[:3]) % 2 == 1)
        sections.append(("II. NHIỆM VỤ, GIẢI PHÁP", pieces))
        answer["tasks"], answer["areas"] = found, areas
    head = [line for line in made["head"] if line.strip()]
    plan_at = [i for i, line in enumerate(head) if line.startswith("KẾ HOẠCH")]
    head = head[plan_at[-1] :] if plan_at else head  # a decision's plan: the plan alone
    stem = OUT / (seed.stem + "_scan")
    work = OUT / (seed.stem + "_scan_source.docx")
    _docx(head, sections, [], work)
    pdf = _pdf(work)
    import pypdfium2

    count = len(pypdfium2.PdfDocument(pdf.read_bytes()))
    scan(
        pdf,
        stem.with_suffix(".pdf"),
        list(range(1, count + 1)),
        angle=0.6 if int(seed.name[:3]) % 2 else -0.5,
    )
    work.unlink()
    pdf.unlink()
    answer_path = stem.with_suffix(".expected.json")
    answer_path.write_text(
        json.dumps(answer, ensure_ascii=False, indent=1) + "\n", encoding="utf-8"
    )
    print(f"{stem.name}: scan of {count} pages")


if __name__ == "__main__":
    sys.path.insert(0, str(ROOT))
    main()
