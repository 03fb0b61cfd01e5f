"""Reading a plan document (.txt, .docx, .pdf, .xlsx) into blocks of text and tables, and from
them a draft plan. Every reader refuses what it cannot read with a message for the person."""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import PurePath
from typing import IO

from django.utils.translation import gettext as _

from ingest.plan_text import PlanDraft, parse_plan_text
from ingest.uploads import UploadRejected, check_upload

DOCUMENT_KINDS = {"txt", "docx", "pdf", "xlsx"}


@dataclass(frozen=True)
class Paragraph:
    text: str


@dataclass(frozen=True)
class Table:
    rows: tuple[tuple[str, ...], ...]


Block = Paragraph | Table


@dataclass
class ReadDocument:
    name: str
    kind: str  # txt | docx | pdf | xlsx
    blocks: list[Block] = field(default_factory=list)
    pages: int | None = None

    @property
    def text(self) -> str:
        """The document as plain text, tables as tab-separated lines (shown beside the review)."""
        lines: list[str] = []
        for block in self.blocks:
            if isinstance(block, Paragraph):
                lines.append(block.text)
            else:
                lines.extend(
                    "\t".join(cell.replace("\n", " ") for cell in row) for row in block.rows
                )
        return "\n".join(lines)


def _read_txt(name: str, stream: IO[bytes]) -> ReadDocument:
    raw = stream.read()
    for encoding in ("utf-8-sig", "utf-16"):
        try:
            text = raw.decode(encoding)
            break
        except UnicodeDecodeError:
            continue
    else:
        raise UploadRejected(_("The text file must be saved as UTF-8."))
    return ReadDocument(
        name=name, kind="txt", blocks=[Paragraph(line) for line in text.splitlines()]
    )


def read_document(name: str, stream: IO[bytes]) -> ReadDocument:
    """Check the upload and read it into blocks."""
    kind = check_upload(name, stream, DOCUMENT_KINDS)
    if kind == "txt":
        return _read_txt(name, stream)
    raise UploadRejected(
        _("Files of type “%(ext)s” are not accepted.") % {"ext": PurePath(name).suffix}
    )


def draft_from_document(document: ReadDocument) -> PlanDraft:
    return parse_plan_text(document.text)


def read_plan(name: str, stream: IO[bytes]) -> tuple[ReadDocument, PlanDraft]:
    """Read a plan document and propose the structured plan it describes."""
    document = read_document(name, stream)
    return document, draft_from_document(document)
