"""Thin file I/O used by every stage: atomic, ordinary modes, silent when nothing changed.

Writes go to a temporary file in the same folder, are flushed to disk and
renamed over the target, so an interrupted build leaves each file either old
or new, never half-written. A file whose bytes would not change is not
touched at all, so timestamps (and tools watching them) stay quiet.

The temporary file is created private (``mkstemp`` makes it 0600) and given
the mode an ordinary ``open()`` would have (0666 minus the umask, so 0644)
before the rename: published files must be readable by a web server running
as another user. A build killed mid-write leaves ``.<name>.<random>.tmp``
behind; :func:`remove_stale_temps` clears them at the start of the next run.

:func:`project_lock` keeps two builds of one checkout from running at once.
"""

from __future__ import annotations

import errno
import fcntl
import os
import re
import tempfile
from collections.abc import Iterable, Iterator
from contextlib import contextmanager
from pathlib import Path

from lisible.errors import ConversionError, LisibleError

TEMP_PREFIX = "."
TEXT_ENCODINGS = ("utf-8-sig", "cp1252", "latin-1")
TEMP_SUFFIX = ".tmp"
# ".<name>.<8 random chars>.tmp", as mkstemp names them for write_bytes.
_TEMP_NAME = re.compile(r"^\..+\.[a-z0-9_]{8}\.tmp$")


def umask() -> int:
    """The process umask, read without changing it where the system allows."""
    try:
        for line in Path("/proc/self/status").read_text().splitlines():
            if line.startswith("Umask:"):
                return int(line.split()[1], 8)
    except (OSError, ValueError, IndexError):
        pass
    current = os.umask(0o022)  # no way to read it without setting it: put it back at once
    os.umask(current)
    return current


def file_mode() -> int:
    """The mode a new file gets from ``open()``: 0666 minus the umask."""
    return 0o666 & ~umask()


def dir_mode() -> int:
    """The mode a new folder gets from ``mkdir``: 0777 minus the umask."""
    return 0o777 & ~umask()


def write_bytes(path: Path, data: bytes) -> bool:
    """Atomically write ``data`` to ``path`` unless it already holds it; True if written."""
    path = Path(path)
    try:
        if path.read_bytes() == data:
            _ordinary_mode(path)
            return False
    except FileNotFoundError:
        pass
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        fd, tmp = tempfile.mkstemp(prefix=f"{TEMP_PREFIX}{path.name}.", suffix=TEMP_SUFFIX,
                                   dir=path.parent)
    except OSError as error:  # read-only or full: say which file could not be written
        raise _naming(error, path) from None
    try:
        with os.fdopen(fd, "wb") as handle:
            handle.write(data)
            handle.flush()
            os.fchmod(handle.fileno(), file_mode())
            os.fsync(handle.fileno())
        os.replace(tmp, path)
    except BaseException as error:
        Path(tmp).unlink(missing_ok=True)
        if isinstance(error, OSError):
            raise _naming(error, path) from None
        raise
    return True


def _naming(error: OSError, path: Path) -> OSError:
    """The same error, about ``path`` (a full disk fails on a nameless descriptor)."""
    return OSError(error.errno, error.strerror or str(error), str(path))


def _ordinary_mode(path: Path) -> None:
    """Give an unchanged file the ordinary mode (files of older builds were 0600)."""
    mode = file_mode()
    try:
        if path.stat().st_mode & 0o777 != mode:
            os.chmod(path, mode)
    except PermissionError:
        pass  # not ours to change: left as it is


def write_text(path: Path, text: str) -> bool:
    """Atomically write UTF-8 text with ``\\n`` line ends; True if the file changed."""
    return write_bytes(path, text.encode("utf-8"))


def remove_stale_temps(folders: Iterable[Path]) -> list[Path]:
    """Delete the temporary files a killed build left in ``folders``; the paths removed.

    Call it only while holding :func:`project_lock`, so no running build's
    temporary file is taken for a stale one.
    """
    removed = []
    for folder in folders:
        if not Path(folder).is_dir():
            continue
        for path in Path(folder).rglob(f"{TEMP_PREFIX}*{TEMP_SUFFIX}"):
            if _TEMP_NAME.match(path.name) and path.is_file() and not path.is_symlink():
                path.unlink(missing_ok=True)
                removed.append(path)
    return removed


class BusyError(LisibleError):
    """Another build of the same project is running."""


@contextmanager
def project_lock(lock_path: Path) -> Iterator[None]:
    """Hold an exclusive lock on ``lock_path`` for the block, or fail at once.

    ``flock`` is released by the kernel when the process ends, even on
    SIGKILL, so a killed build never leaves the project locked.
    """
    lock_path = Path(lock_path)
    lock_path.parent.mkdir(parents=True, exist_ok=True)
    fd = os.open(lock_path, os.O_RDWR | os.O_CREAT, file_mode())
    try:
        try:
            fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except OSError as error:
            if error.errno not in (errno.EWOULDBLOCK, errno.EAGAIN, errno.EACCES):
                raise
            owner = os.pread(fd, 32, 0).decode("ascii", "replace").strip() or "?"
            raise BusyError(f"another build of this project is running (process {owner}); "
                            "wait for it to end, then run again", lock_path) from None
        os.ftruncate(fd, 0)
        os.pwrite(fd, f"{os.getpid()}\n".encode(), 0)
        yield
    finally:
        os.close(fd)


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


def decode_text(data: bytes, path: Path) -> str:
    """Decode a text file: UTF-8, then cp1252, then latin-1; refuse binary and empty files."""
    if not data.strip():
        raise ConversionError("the file is empty", path)
    if b"\x00" in data:
        raise ConversionError("this looks like a binary file, not text", path)
    for encoding in TEXT_ENCODINGS:
        try:
            text = data.decode(encoding)
        except UnicodeDecodeError:
            continue
        if _control_share(text) > 0.01:
            break
        return text
    raise ConversionError("this looks like a binary file, not text (not UTF-8, cp1252 or latin-1)",
                          path)


def _control_share(text: str) -> float:
    return len(_CONTROL_CHARS.findall(text)) / max(len(text), 1)


# Unicode's category Cc (U+0000-001F, U+007F-009F) but line breaks, tabs and form feeds:
# one regex pass, not a category lookup per character (a 2 MB source reads in ms).
_CONTROL_CHARS = re.compile(r"[\x00-\x08\x0b\x0e-\x1f\x7f-\x9f]")
