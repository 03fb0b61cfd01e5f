"""The header of the document: number, date, place, title, period, signer, recipients."""

from __future__ import annotations

import re
from calendar import monthrange
from collections import Counter
from collections.abc import Sequence
from datetime import date

from core.text import fold, squash_spaces
from ingest.plan_text.lines import _Section
from ingest.plan_text.patterns import (
    _BASIS,
    _CAPACITY_PREFIX,
    _CAPACITY_WORDS,
    _DECISION_HEADING,
    _DOC_NUMBER,
    _HALF,
    _ISSUER_CLAUSE,
    _ISSUES,
    _NUMBER_LINE,
    _PLACE_DATE,
    _PLAN_HEADING,
    _PLAN_KINDS,
    _QUARTER,
    _QUARTERS,
    _RECIPIENT,
    _REFERENCE,
    _SENTENCE_END,
    _SIGNED_NOTE,
    _STAGE,
    _TITLE_STOP,
    _TRAILING_AND,
    _UNIT_BODY,
    _UNIT_WORD,
    _YEAR,
)
from ingest.plan_text.result import DocumentFacts
from ingest.plan_text.text import _afold, _capitalise, _is_upper, _words


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


_APPENDIX_HEADING = re.compile(r"\s*(?:danh muc|phu luc|bang)\b.*\b(?:nhiem vu|cong viec)\b")


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
    if facts.period_start is None:
        # An appendix alone (a sheet of tasks) names its period in its own heading:
        # "DANH MỤC NHIỆM VỤ … CẢI CÁCH HÀNH CHÍNH NĂM 2026".
        appendix = next((line for line in header if _APPENDIX_HEADING.match(fold(line))), None)
        if appendix:
            facts.period_start, facts.period_end = _period(appendix, facts.issued_year)
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
