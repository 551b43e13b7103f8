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
