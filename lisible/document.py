"""The contract between the stages: what one stage leaves for the next.

Every stage reads and writes the files of ``docs/design.md`` through this
module, so each shape is defined once:

- the front matter of ``build/markdown/<code>/<slug>.md`` (:func:`front_matter`,
  :func:`split_front_matter`, :func:`set_front_matter`) and the keys readers see
  translated (:data:`TRANSLATED_KEYS`);
- which documents exist (:func:`slugs`, :func:`catalogued`), and one published document
  (:class:`Published`, read by :func:`read_published`), the one type the PDF
  and site stages read;
- a unit's kind as the catalogue records it (:func:`unit_kind`), the four
  states of a unit and their counts (:class:`State`, :class:`Counts`), and a
  draft for a pending unit (:class:`Draft`, made by every drafter);
- the PDFs the PDF stage made (:class:`Download`, ``manifest.json``), which the
  site publishes.

It imports no stage and no Babel: the site and the PDFs depend on it, not on
the catalogue tools.
"""

from __future__ import annotations

import json
from collections.abc import Iterable, Mapping
from dataclasses import asdict, dataclass, fields
from enum import Enum
from pathlib import Path
from typing import TYPE_CHECKING, Any

import yaml

from lisible.config import Config, Language
from lisible.errors import LisibleError
from lisible.provenance import Finding, Provenance

if TYPE_CHECKING:
    from babel.messages.catalog import Message

TRANSLATED_KEYS = ("title", "subtitle", "kicker", "description")  # front matter for readers
FRONT_MATTER_ORDER = (*TRANSLATED_KEYS, "lang", "source", "sources")
STATUS_KEY = "lisible"  # the reassembled file's unit counts (see Counts)
UNIT_PREFIX = "lisible-unit: "  # the template's comment naming a unit's kind
# Sources a catalogue reference names with a line (``#: content/<file>:<line>``).
LINE_SOURCES = (".txt", ".md", ".markdown", ".html", ".htm")
MANIFEST = "manifest.json"


class DocumentError(LisibleError):
    """A file between two stages that does not follow the contract."""


# ------------------------------------------------------------------ front matter


def front_matter(meta: Mapping[str, Any]) -> str:
    """YAML front matter, one key a line, values as JSON: stable and easy to edit in place."""
    keys = [k for k in FRONT_MATTER_ORDER if k in meta]
    keys += sorted(k for k in meta if k not in FRONT_MATTER_ORDER)
    lines = [_line(key, meta[key]) for key in keys]
    return "---\n" + "\n".join(lines) + "\n---\n"


def set_front_matter(markdown: str, values: Mapping[str, object]) -> str:
    """Replace or add one-line values in an existing front matter, the rest kept as it is."""
    lines = markdown.split("\n")
    end = lines.index("---", 1)
    for key, value in values.items():
        index = next((i for i in range(1, end) if lines[i].startswith(f"{key}:")), None)
        if index is None:
            lines.insert(end, _line(key, value))
            end += 1
        else:
            lines[index] = _line(key, value)
    return "\n".join(lines)


def _line(key: str, value: object) -> str:
    return f"{key}: {json.dumps(value, ensure_ascii=False)}"


def split_front_matter(text: str, path: Path) -> tuple[dict[str, Any], str]:
    """The front matter of a canonical Markdown file as a dict, and the body after it.

    The reader that goes with :func:`front_matter`; every stage that reads
    ``build/markdown/`` uses it. A file without front matter gives ``{}``.
    """
    if not text.startswith("---\n"):
        return {}, text
    end = text.find("\n---\n", 3)
    if end < 0:
        raise DocumentError("front matter opened with --- is never closed", path, 1)
    try:
        meta = yaml.safe_load(text[4:end]) or {}
    except yaml.YAMLError as error:
        mark = getattr(error, "problem_mark", None)
        raise DocumentError(f"front matter is not valid YAML: {getattr(error, 'problem', error)}",
                            path, mark.line + 2 if mark else 1) from None
    if not isinstance(meta, dict):
        raise DocumentError("front matter is not a mapping", path, 2)
    return meta, text[end + 5:]


# ------------------------------------------------------------------ units


class State(Enum):
    """Where an entry stands; see :mod:`lisible.provenance` for how each is recognised."""

    REVIEWED = "reviewed"
    DRAFT = "draft"
    STALE = "stale"
    UNTRANSLATED = "untranslated"


STATES = tuple(state.value for state in State)


@dataclass(frozen=True)
class Counts:
    """Unit states of one document in one language, as reassembly records them.

    The site and the PDFs read them from the ``lisible`` mapping of each
    reassembled file's front matter to tell readers what is not reviewed.
    """

    reviewed: int = 0
    draft: int = 0
    stale: int = 0
    untranslated: int = 0

    @property
    def total(self) -> int:
        """Every translation unit of the document."""
        return self.reviewed + self.draft + self.stale + self.untranslated

    @property
    def unreviewed(self) -> int:
        """Machine drafts and stale translations: published, marked, not yet approved."""
        return self.draft + self.stale

    @classmethod
    def from_mapping(cls, data: Mapping[str, Any]) -> Counts:
        """Counts from a mapping with (some of) the four state names; others are ignored."""
        return cls(**{f.name: int(data.get(f.name, 0) or 0) for f in fields(cls)})


def unit_kind(message: Message) -> str:
    """The kind of unit (paragraph, footnote ...) recorded in the template comment.

    An entry without one (added by hand) is a paragraph.
    """
    for comment in message.auto_comments:
        if comment.startswith(UNIT_PREFIX):
            return comment[len(UNIT_PREFIX):].strip() or "paragraph"
    return "paragraph"


@dataclass(frozen=True)
class Draft:
    """A machine, memory or rule-based draft for one pending entry (``catalogs.apply_drafts``)."""

    text: str
    provenance: Provenance
    findings: tuple[Finding, ...] = ()


# ------------------------------------------------------------------ documents


def slugs(config: Config) -> tuple[str, ...]:
    """The documents: every canonical Markdown file of the source language, sorted.

    The convert stage writes one per source and prunes those of deleted
    sources, so every later stage asks here which documents exist.
    """
    return _stems(config.markdown_dir(config.source), "*.md")


def catalogued(config: Config) -> tuple[str, ...]:
    """The documents that have a template, ``locales/<slug>.pot``: the stages that work on
    catalogues ask here. ``locales/`` is committed and ``build/`` is not, so in a fresh
    clone the catalogues are there before any Markdown is (``status`` works on them)."""
    return _stems(config.locales_dir, "*.pot")


def _stems(folder: Path, pattern: str) -> tuple[str, ...]:
    return tuple(sorted(p.stem for p in folder.glob(pattern) if not p.name.startswith(".")))


@dataclass(frozen=True)
class Published:
    """One language's Markdown of one document, with its front matter read."""

    slug: str
    language: Language
    path: Path
    markdown: str  # the whole file, front matter included
    body: str  # after the front matter, leading blank lines removed
    title: str
    kicker: str = ""
    description: str = ""
    status: Counts | None = None  # None for the source language's canonical file
    author: str = ""  # only what the front matter gives: nothing is invented
    date: str = ""

    @property
    def code(self) -> str:
        """The catalogue code of its language: ``fr``, ``nl``, ``fr@falc``."""
        return self.language.code


def read_published(path: Path, language: Language, slug: str) -> Published:
    """Parse ``build/markdown/<code>/<slug>.md``; it must open with a front matter and a title."""
    text = path.read_text("utf-8")
    meta, body = split_front_matter(text, path)
    if not meta:
        raise DocumentError("no front matter (expected a '---' block first)", path, 1)
    if not meta.get("title"):
        raise DocumentError("front matter has no title", path, 1)
    status = meta.get(STATUS_KEY)
    return Published(
        slug=slug,
        language=language,
        path=path,
        markdown=text,
        body=body.lstrip("\n"),
        title=str(meta["title"]),
        kicker=str(meta.get("kicker") or ""),
        description=str(meta.get("description") or ""),
        status=Counts.from_mapping(status) if isinstance(status, dict) else None,
        author=_names(meta.get("author") or meta.get("authors")),
        date=str(meta.get("date") or ""),
    )


def _names(value: Any) -> str:
    """One line of authors from a string or a list of strings (or ``{name: ...}``)."""
    if isinstance(value, list):
        return ", ".join(_names(v) for v in value if v)
    if isinstance(value, dict):
        return str(value.get("name") or "")
    return str(value or "")


def read_all(config: Config, languages: Iterable[Language] | None = None
             ) -> tuple[list[Published], list[Path]]:
    """Every document in every language, by slug then language; and the files missing."""
    found, missing = [], []
    for slug in slugs(config):
        for language in config.languages if languages is None else languages:
            path = config.markdown_path(language, slug)
            if path.exists():
                found.append(read_published(path, language, slug))
            else:
                missing.append(path)
    return found, missing


# ------------------------------------------------------------------ downloads


def downloads_dir(config: Config) -> Path:
    """Where the PDF stage leaves its files and :data:`MANIFEST`."""
    return config.build_dir / "downloads"


@dataclass(frozen=True)
class Download:
    """One PDF the PDF stage wrote, as listed in ``manifest.json``."""

    slug: str
    language: str  # catalogue code: "fr", "nl", "en", "fr@falc"
    label: str  # in the file name: "fr", "nl", "en", "facile"
    format: str  # "a4", "a5", "a4-bleed": named by the site strings' format_<name>
    file: str  # file name inside downloads/
    bytes: int
    pages: int
    title: str
    status: Counts | None


def manifest_json(items: Iterable[Download]) -> str:
    """The manifest the site stage reads: one object per PDF, in the order given."""
    return json.dumps([asdict(item) for item in items], ensure_ascii=False, indent=1) + "\n"


def read_manifest(config: Config) -> tuple[Download, ...]:
    """The PDFs of the manifest whose files exist; none when the PDF stage has not run."""
    path = downloads_dir(config) / MANIFEST
    if not path.exists():
        return ()
    try:
        entries = json.loads(path.read_text("utf-8"))
        return tuple(item for item in map(_download, entries)
                     if (path.parent / item.file).is_file())
    except json.JSONDecodeError as error:
        raise DocumentError(f"not valid JSON: {error.msg}", path, error.lineno) from None
    except (TypeError, KeyError, AttributeError) as error:
        raise DocumentError(f"not a list of downloads as the PDF stage writes it ({error})",
                            path) from None


def _download(entry: Mapping[str, Any]) -> Download:
    status = entry["status"]
    return Download(**{**entry, "status": Counts.from_mapping(status) if status else None})
