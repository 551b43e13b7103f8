"""Thin file I/O used by every stage: atomic, and silent when nothing changed.

Writes go to a temporary file in the same folder, are flushed to disk and
renamed over the target, so an interrupted build leaves each file either old
or new, never half-written. A file whose bytes would not change is not
touched at all, so timestamps (and tools watching them) stay quiet.
"""

from __future__ import annotations

import os
import tempfile
from pathlib import Path


def write_bytes(path: Path, data: bytes) -> bool:
    """Atomically write ``data`` to ``path`` unless it already holds it; True if written."""
    path = Path(path)
    try:
        if path.read_bytes() == data:
            return False
    except FileNotFoundError:
        pass
    path.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp = tempfile.mkstemp(prefix=f".{path.name}.", suffix=".tmp", dir=path.parent)
    try:
        with os.fdopen(fd, "wb") as handle:
            handle.write(data)
            handle.flush()
            os.fsync(handle.fileno())
        os.replace(tmp, path)
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise
    return True


def write_text(path: Path, text: str) -> bool:
    """Atomically write UTF-8 text with ``\\n`` line ends; True if the file changed."""
    return write_bytes(path, text.encode("utf-8"))


def source_date_epoch(default: int = 0) -> int:
    """The build's fixed timestamp: ``SOURCE_DATE_EPOCH`` if set, else ``default``."""
    value = os.environ.get("SOURCE_DATE_EPOCH", "").strip()
    return int(value) if value.isdigit() else default


class ChangedOnDisk(Exception):
    """The file is no longer the one that was read: someone saved it in between."""


def digest(data: bytes | None) -> str | None:
    """The sha256 of a file's bytes (None for a file that does not exist)."""
    import hashlib

    return None if data is None else hashlib.sha256(data).hexdigest()


def write_text_if_unchanged(path: Path, text: str, read_digest: str | None) -> bool:
    """Like :func:`write_text`, but only over the very file that was read.

    ``read_digest`` is :func:`digest` of the bytes read (None: there was no
    file). The file is compared again just before the atomic rename, so a
    translator's save made while a stage was working (the check stage lints for
    seconds) is never silently reverted: ``ChangedOnDisk`` is raised instead and
    the file is left as saved. True if the file was written.
    """
    path = Path(path)
    data = text.encode("utf-8")
    current = _read_or_none(path)
    if digest(current) != read_digest:
        raise ChangedOnDisk(str(path))
    if current == data:
        return False
    path.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp = tempfile.mkstemp(prefix=f".{path.name}.", suffix=".tmp", dir=path.parent)
    try:
        os.fchmod(fd, path.stat().st_mode & 0o777 if current is not None else 0o644)
        with os.fdopen(fd, "wb") as handle:
            handle.write(data)
            handle.flush()
            os.fsync(handle.fileno())
        if digest(_read_or_none(path)) != read_digest:
            raise ChangedOnDisk(str(path))
        os.replace(tmp, path)
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise
    return True


def _read_or_none(path: Path) -> bytes | None:
    try:
        return path.read_bytes()
    except FileNotFoundError:
        return None
