"""Uploaded files: the kind is read from the content (magic bytes), never from the name;
files are stored outside static/ under random names with their SHA-256."""

from __future__ import annotations

import hashlib
import os
import re
import secrets
import zipfile
from dataclasses import dataclass
from pathlib import Path
from typing import BinaryIO

from flask import current_app
from sqlalchemy import Connection, event
from sqlalchemy.orm import Session

from smallgrants.extensions import db

MIME = {
    "pdf": "application/pdf",
    "png": "image/png",
    "jpg": "image/jpeg",
    "docx": "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
    "xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
}


def detect_kind(stream: BinaryIO) -> str | None:
    """pdf, png, jpg, docx or xlsx from the bytes themselves; None for anything else."""
    stream.seek(0)
    head = stream.read(8)
    stream.seek(0)
    if head.startswith(b"%PDF-"):
        return "pdf"
    if head == b"\x89PNG\r\n\x1a\n":
        return "png"
    if head.startswith(b"\xff\xd8\xff"):
        return "jpg"
    if head.startswith(b"PK\x03\x04"):
        try:
            with zipfile.ZipFile(stream) as archive:
                names = set(archive.namelist())
        except zipfile.BadZipFile:
            return None
        finally:
            stream.seek(0)
        if "[Content_Types].xml" in names and "word/document.xml" in names:
            return "docx"
        if "[Content_Types].xml" in names and "xl/workbook.xml" in names:
            return "xlsx"
    return None


@dataclass
class StoredFile:
    stored_name: str
    kind: str
    size: int
    sha256: str


def upload_root() -> Path:
    return Path(current_app.config["UPLOAD_DIR"])


def path_of(stored_name: str) -> Path:
    if not stored_name.isalnum():  # names are ours: hex only
        raise ValueError("bad stored name")
    return upload_root() / stored_name[:2] / stored_name


def store(stream: BinaryIO, kind: str) -> StoredFile:
    """Write the stream under a random name; return its size and SHA-256."""
    stored_name = secrets.token_hex(16)
    target = path_of(stored_name)
    target.parent.mkdir(parents=True, exist_ok=True)
    digest = hashlib.sha256()
    size = 0
    stream.seek(0)
    with open(target, "wb") as out:
        while chunk := stream.read(64 * 1024):
            digest.update(chunk)
            size += len(chunk)
            out.write(chunk)
    return StoredFile(stored_name=stored_name, kind=kind, size=size, sha256=digest.hexdigest())


def unpacked_size(stream: BinaryIO) -> int:
    """What a DOCX or XLSX (a ZIP archive) would take once unpacked, from its directory."""
    stream.seek(0)
    try:
        with zipfile.ZipFile(stream) as archive:
            return sum(info.file_size for info in archive.infolist())
    finally:
        stream.seek(0)


def download_name(original: str, kind: str) -> str:
    """The name a download is offered under: the uploaded name without any folder part,
    control or quoting characters, at most 100 characters, and the extension of the kind
    read from the content (a PDF never downloads as .html)."""
    base = re.split(r"[/\\]", original or "")[-1]
    stem = base.rsplit(".", 1)[0] if "." in base else base
    stem = re.sub(r'[\x00-\x1f\x7f"*:<>?|;]+', "", stem)
    stem = re.sub(r"\s+", " ", stem).strip(" .")[:100] or "file"
    return f"{stem}.{kind}"


def discard_after_commit(stored_name: str) -> None:
    """Delete the stored file once the transaction that dropped its last row commits (kept
    if it rolls back). Rows name their files; nothing else points at them."""
    db.session.info.setdefault(DISCARD, []).append(path_of(stored_name))


DISCARD = "smallgrants_discard_files"


@event.listens_for(Session, "after_commit")
def _unlink_discarded(session) -> None:
    paths = session.info.pop(DISCARD, ())
    bind = session.get_bind()
    if isinstance(bind, Connection) and bind.in_transaction():
        return  # the commit did not reach the database (an enclosing transaction): keep
    for path in paths:
        path.unlink(missing_ok=True)


@event.listens_for(Session, "after_rollback")
def _keep_discarded(session) -> None:
    session.info.pop(DISCARD, None)


def stream_size(stream: BinaryIO) -> int:
    stream.seek(0, os.SEEK_END)
    size = stream.tell()
    stream.seek(0)
    return size


def checked_kind(stream: BinaryIO, used_bytes: int, total_message, error_cls) -> str:
    """The upload rules every form shares: the kind read from the content (PDF, DOCX, XLSX,
    JPG, PNG), at most UPLOAD_MAX_FILE_BYTES per file, and at most
    UPLOAD_MAX_APPLICATION_BYTES for the files of one owner (`used_bytes` so far).
    `total_message(mb)` words the last refusal for that owner; refusals raise `error_cls`."""
    from flask_babel import lazy_gettext as _l

    kind = detect_kind(stream)
    if kind is None:
        raise error_cls(_l("Only PDF, DOCX, XLSX, JPG and PNG files are accepted."))
    size = stream_size(stream)
    limit = current_app.config["UPLOAD_MAX_FILE_BYTES"]
    if size > limit:
        raise error_cls(_l("The file is larger than %(mb)s MB.", mb=limit // 2**20))
    unpacked_limit = current_app.config["UPLOAD_MAX_UNPACKED_BYTES"]
    if kind in ("docx", "xlsx") and unpacked_size(stream) > unpacked_limit:
        raise error_cls(
            _l(
                "The document unpacks to more than %(mb)s MB: save it again without "
                "embedded files, or as PDF.",
                mb=unpacked_limit // 2**20,
            )
        )
    total_limit = current_app.config["UPLOAD_MAX_APPLICATION_BYTES"]
    if used_bytes + size > total_limit:
        raise error_cls(total_message(total_limit // 2**20))
    return kind


def prune(referenced: set[str], *, older_than_seconds: int = 3600) -> tuple[int, int]:
    """Delete stored files no row names (left by a refused upload, or deleted before files
    were removed with their rows); files younger than `older_than_seconds` stay, as their
    upload may not have committed yet. Returns (files, bytes) removed."""
    import time

    root = upload_root()
    if not root.exists():
        return 0, 0
    cutoff = time.time() - older_than_seconds
    removed = freed = 0
    for path in root.glob("*/*"):
        if not path.is_file() or path.name in referenced:
            continue
        stat = path.stat()
        if stat.st_mtime > cutoff:
            continue
        path.unlink(missing_ok=True)
        removed += 1
        freed += stat.st_size
    return removed, freed
