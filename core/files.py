"""Uploaded files: every file is checked before anything reads it (size, real type, archive bombs,
macros), then kept under a random name with what was checked of it."""

from __future__ import annotations

import hashlib
import io
import zipfile
from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import PurePath
from typing import IO, Any, TypeVar

from django.conf import settings
from django.core.files.base import File
from django.db import models
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

# What a person may attach as evidence or as a document of a record, everywhere in the system.
EVIDENCE_KINDS = frozenset({"pdf", "docx", "xlsx", "png", "jpg"})
# What a document to be read (a plan, an inspection plan) may be.
DOCUMENT_KINDS = frozenset({"txt", "docx", "pdf", "xlsx"})

# Office files are zip archives; these bounds keep a small file from unpacking into gigabytes.
MAX_ARCHIVE_MEMBERS = 5_000
MAX_UNPACKED_BYTES = 300 * 1024 * 1024
MAX_COMPRESSION_RATIO = 200

KIND_BY_EXTENSION = {
    ".xlsx": "xlsx",
    ".docx": "docx",
    ".pdf": "pdf",
    ".csv": "csv",
    ".txt": "txt",
    ".png": "png",
    ".jpg": "jpg",
    ".jpeg": "jpg",
}
_PART_OF_KIND = {"xlsx": "xl/workbook.xml", "docx": "word/document.xml"}
_EXECUTABLE_MAGIC = (b"MZ", b"\x7fELF", b"#!", b"\xca\xfe\xba\xbe", b"\xcf\xfa\xed\xfe")


# The order in which accepted kinds are named to people.
_KIND_ORDER = ("pdf", "docx", "xlsx", "png", "jpg", "txt", "csv")


@dataclass(frozen=True)
class AllowedFiles:
    """What a file input accepts, as told to the person before upload."""

    extensions: str  # ".pdf, .docx, .xlsx, .png, .jpg"
    accept: str  # the input's accept attribute: ".pdf,.docx,.xlsx,.png,.jpg,.jpeg"
    max_mb: str  # "20"


def allowed_files(kinds: Iterable[str], max_bytes: int | None = None) -> AllowedFiles:
    """The kinds accepted by an input and the size limit, worded for the page."""
    order = {kind: i for i, kind in enumerate(_KIND_ORDER)}
    ordered = sorted(set(kinds), key=lambda k: (order.get(k, len(order)), k))
    limit = (max_bytes or settings.MAX_UPLOAD_BYTES) / 1048576
    return AllowedFiles(
        extensions=", ".join(f".{k}" for k in ordered),
        accept=",".join(
            ext for k in ordered for ext, kind in KIND_BY_EXTENSION.items() if kind == k
        ),
        max_mb=f"{limit:.0f}" if limit == int(limit) else f"{limit:.1f}".replace(".", ","),
    )


class UploadRejected(ValueError):
    """A file refused, with a message for the person who sent it."""


def _read_head(stream: IO[bytes], size: int = 8) -> bytes:
    stream.seek(0)
    head = stream.read(size)
    stream.seek(0)
    return head


def _size_of(stream: IO[bytes]) -> int:
    stream.seek(0, io.SEEK_END)
    size = stream.tell()
    stream.seek(0)
    return size


def _check_office(stream: IO[bytes], kind: str) -> None:
    try:
        archive = zipfile.ZipFile(stream)
    except zipfile.BadZipFile as exc:
        raise UploadRejected(
            _("The file is damaged or is not a real %(kind)s file.") % {"kind": kind}
        ) from exc
    with archive:
        members = archive.infolist()
        if len(members) > MAX_ARCHIVE_MEMBERS:
            raise UploadRejected(_("The file holds too many parts to be a normal document."))
        unpacked = sum(m.file_size for m in members)
        packed = max(1, sum(m.compress_size for m in members))
        if unpacked > MAX_UNPACKED_BYTES or unpacked / packed > MAX_COMPRESSION_RATIO:
            raise UploadRejected(_("The file unpacks to an abnormal size and was refused."))
        names = {m.filename for m in members}
        if any(n.lower().endswith(("vbaproject.bin", ".exe", ".dll", ".js")) for n in names):
            raise UploadRejected(_("Files with macros or programs inside are not accepted."))
        if _PART_OF_KIND[kind] not in names:
            raise UploadRejected(
                _("The file is named .%(kind)s but its content is not a %(kind)s document.")
                % {"kind": kind}
            )
    stream.seek(0)


def sniff_kind(name: str, stream: IO[bytes]) -> str:
    """The file's kind as its content shows it, checked against its extension."""
    extension = PurePath(name or "").suffix.lower()
    kind = KIND_BY_EXTENSION.get(extension)
    head = _read_head(stream)
    if head.startswith(_EXECUTABLE_MAGIC):
        raise UploadRejected(_("Programs and scripts are not accepted."))
    if kind is None:
        raise UploadRejected(
            _("Files of type “%(ext)s” are not accepted.") % {"ext": extension or name}
        )
    if kind in _PART_OF_KIND:
        if not head.startswith(b"PK\x03\x04"):
            raise UploadRejected(
                _("The file is named %(ext)s but its content is not of that type.")
                % {"ext": extension}
            )
        _check_office(stream, kind)
    elif kind == "pdf" and not head.startswith(b"%PDF-"):
        raise UploadRejected(_("The file is named .pdf but its content is not a PDF document."))
    elif kind == "png" and not head.startswith(b"\x89PNG\r\n\x1a\n"):
        raise UploadRejected(_("The file is named .png but its content is not a PNG image."))
    elif kind == "jpg" and not head.startswith(b"\xff\xd8\xff"):
        raise UploadRejected(_("The file is named .jpg but its content is not a JPEG image."))
    elif kind in ("csv", "txt"):
        if b"\x00" in stream.read(64 * 1024):
            stream.seek(0)
            raise UploadRejected(_("The text file holds binary data."))
        stream.seek(0)
    return kind


def check_upload(
    name: str, stream: IO[bytes], allowed: Iterable[str], max_bytes: int | None = None
) -> str:
    """Refuse a file that is empty, too large, of a kind not allowed here, or not what it claims."""
    limit = max_bytes or settings.MAX_UPLOAD_BYTES
    size = _size_of(stream)
    if size == 0:
        raise UploadRejected(_("The file is empty."))
    if size > limit:
        raise UploadRejected(
            _("The file is %(size).1f MB; at most %(limit).1f MB is accepted.")
            % {"size": size / 1048576, "limit": limit / 1048576}
        )
    kind = sniff_kind(name, stream)
    allowed = set(allowed)
    if kind not in allowed:
        raise UploadRejected(
            _("Only these file types are accepted here: %(kinds)s.")
            % {"kinds": ", ".join(sorted("." + k for k in allowed))}
        )
    return kind


HASH_CHUNK = 1024 * 1024


def sha256_of(stream: IO[bytes]) -> tuple[str, int]:
    """The SHA-256 and size of a stream, read a megabyte at a time; the stream is left at 0."""
    digest = hashlib.sha256()
    size = 0
    stream.seek(0)
    while chunk := stream.read(HASH_CHUNK):
        digest.update(chunk)
        size += len(chunk)
    stream.seek(0)
    return digest.hexdigest(), size


def store_upload(
    record: StoredFileT, name: str, stream: IO[bytes], kinds: Iterable[str], by: Any
) -> StoredFileT:
    """Check an upload against `kinds`, then save it into `record` (an unsaved StoredFile with its
    links set) with its kind, size and SHA-256; returns the saved record. The file is read in
    chunks and streamed to the storage (disk or object storage), never held whole in memory."""
    record.kind = check_upload(name, stream, kinds)
    record.sha256, record.size = sha256_of(stream)
    record.original_name = name[:255]
    record.uploaded_by = by
    record.file.save(name, File(stream, name=name), save=False)
    record.save()
    return record


@dataclass
class UploadedFile:
    """A file as it arrived: its name as the person's computer gave it, and its bytes."""

    name: str
    stream: IO[bytes]


class StoredFile(models.Model):
    """An uploaded file kept under a random name, with what was checked of it; each app's file
    model adds its own `file` field (with its own storage path) and its links."""

    original_name = models.CharField(gettext_lazy("file name"), max_length=255)
    kind = models.CharField(max_length=10)
    size = models.PositiveBigIntegerField()
    sha256 = models.CharField(max_length=64)
    uploaded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    uploaded_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        abstract = True

    def __str__(self) -> str:
        return self.original_name


StoredFileT = TypeVar("StoredFileT", bound=StoredFile)
