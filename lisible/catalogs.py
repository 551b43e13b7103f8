"""Gettext catalogues: the single source of truth for every published translation.

For each document ``<slug>`` there is a template ``locales/<slug>.pot`` and one
catalogue per target language ``locales/<code>/<slug>.po``. This module:

- builds the template from the units of the canonical French Markdown
  (:mod:`lisible.segment`), with references ``#: content/<file>:<line>``, the
  unit's kind in an extracted comment, and a ``msgctxt`` only where two units
  have the same text;
- merges each catalogue with the template into a new catalogue (:func:`merge`,
  not Babel's ``Catalog.update``, which shares the template's objects between
  catalogues): units are paired with old entries by an alignment of the two
  unit sequences (identical texts by position and neighbours, like msgmerge),
  then changed units by a word-level similarity that works on long paragraphs
  too (Babel's character matcher drops them, python-babel #969); a changed
  unit keeps its old translation as fuzzy with ``#|`` holding the text it was
  last reviewed against; removed units become obsolete (``#|`` kept) and are
  revived when their text comes back; lisible's provenance comments survive;
- tells the four states apart (:func:`state_of`), fills pending entries with
  drafts (:func:`apply_drafts`), and writes findings as comments.

Files are written by :mod:`lisible.pofile` in msgcat's layout, atomically and
only when their content changes. A catalogue that does not parse stops the
build with ``file:line: what is wrong`` and is left untouched.
"""

from __future__ import annotations

import copy
import datetime as dt
import difflib
import functools
import re
import time
from collections import Counter, OrderedDict
from collections.abc import Iterator, Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path

from babel.messages.catalog import Catalog, Message
from babel.messages.pofile import PoFileError

from lisible import __version__, fsio, pofile, segment, stamps
from lisible.config import Config, Language
from lisible.document import (
    LINE_SOURCES,
    UNIT_PREFIX,
    Draft,
    State,
    slugs,
    split_front_matter,
)
from lisible.errors import CatalogError
from lisible.fsio import source_date_epoch, write_text
from lisible.provenance import DRAFT_PREFIX, Finding, Provenance, is_lisible_comment

SIMILARITY = 0.5  # word-level ratio above which a changed unit keeps its old translation
Key = tuple[str, str | None]


@dataclass(frozen=True)
class SourceDocument:
    """One document as the catalogue stage sees it: its canonical French, and the
    source and metadata files its units are found in (for the ``#:`` references)."""

    slug: str
    markdown: str  # canonical French Markdown
    source: str  # "content/<file>" as written in references
    source_text: str | None  # the source's text, to find each unit's line; None for binary
    meta_ref: str | None = None  # "content/<slug>.meta.yml", where front-matter values come from
    meta_text: str | None = None


# ------------------------------------------------------------------ states


def key_of(message: Message) -> Key:
    """A message's identity in a catalogue: (msgid, msgctxt)."""
    return str(message.id), message.context


def state_of(message: Message) -> State:
    """Reviewed, machine draft, stale, or untranslated."""
    if not message.string:
        return State.UNTRANSLATED
    if not message.fuzzy:
        return State.REVIEWED
    if message.previous_id:
        return State.STALE
    if provenance_of(message) is not None:
        return State.DRAFT
    return State.STALE


def provenance_of(message: Message) -> Provenance | None:
    """The draft's provenance: a translator comment ``# lisible-draft: …``, or the old ``#.`` form.

    It is written as a translator comment because gettext's ``msgmerge`` (Poedit's
    "Update from POT", Weblate's msgmerge add-on) replaces every ``#.`` comment
    with the template's, and a draft would then pass for a stale translation.
    """
    for comment in [*message.user_comments, *message.auto_comments]:
        provenance = Provenance.parse(comment)
        if provenance is not None:
            return provenance
    return None


def counts(catalog: Catalog) -> dict[str, int]:
    """How many entries are in each state."""
    result = {state.value: 0 for state in State}
    for message in catalog:
        if message.id:
            result[state_of(message).value] += 1
    return result


# ------------------------------------------------------------------ template


def build_template(document: SourceDocument) -> Catalog:
    """The template of one document: one entry per unit, in document order."""
    units = segment.extract(document.markdown)
    seen: dict[str, int] = {}
    duplicated = {text for text, n in Counter(u.text for u in units).items() if n > 1}
    template = Catalog(project=document.slug, version=None, fuzzy=True)
    for unit, location in zip(units, _locate(units, document), strict=True):
        seen[unit.text] = seen.get(unit.text, 0) + 1
        context = f"occurrence {seen[unit.text]}" if unit.text in duplicated else None
        message = template.add(unit.text, locations=[location],
                               auto_comments=[UNIT_PREFIX + unit.kind], context=context)
        message.flags = set()  # Babel guesses python-format from a "%": lisible has no formats
    return template


def _locate(units: Sequence[segment.Unit],
            document: SourceDocument) -> list[tuple[str, int | None]]:
    """Each unit's place in the source: the file and the line where its first words are."""
    haystacks = [(ref, _LetterIndex(text)) for ref, text in
                 ((document.source, document.source_text), (document.meta_ref, document.meta_text))
                 if ref and text]
    located = []
    for unit in units:
        found = None
        for ref, index in haystacks:
            line = index.find_line(unit.text)
            if line is not None:
                found = (ref, line)
                break
        located.append(found or (document.source, None))
    return located


_NOT_ALNUM = re.compile(r"[\W_]+")  # \w is str.isalnum() plus "_"


class _LetterIndex:
    """A source's letters and digits, each with its line, built once per document.

    Finding each unit by rescanning the whole source was quadratic (6.9 s for a
    262 KB source, 23 s for 524 KB); units come in source order, so each search
    starts where the previous unit was found, and only falls back to the start.
    """

    def __init__(self, source: str) -> None:
        letters, self.lines = [], []
        for line_number, line in enumerate(source.splitlines(), start=1):
            kept = _NOT_ALNUM.sub("", line)
            letters.append(kept)
            self.lines += [line_number] * len(kept)
        self.letters = "".join(letters)
        self.cursor = 0

    def find_line(self, unit_text: str) -> int | None:
        """The line where ``unit_text`` starts, comparing letters and digits only."""
        plain = re.sub(r"\[\^[^\]]+\]|\\(?=\W)|[<>*_`]", "", unit_text)
        wanted = _NOT_ALNUM.sub("", plain)[:40]
        if not wanted:
            return None
        found = self.letters.find(wanted, self.cursor)
        if found < 0:
            found = self.letters.find(wanted)
        if found < 0:
            return None
        self.cursor = found + 1
        return self.lines[found]


# ------------------------------------------------------------------ merge


def merge(old: Catalog, template: Catalog) -> Catalog:
    """``old`` brought up to date with ``template``; no translation is ever lost.

    A new catalogue is built: every entry is a new ``Message`` made of copies,
    so nothing is shared with ``old``, with the template or with another
    language's catalogue (Babel's ``Catalog.update`` inserts the template's own
    objects, and a change to one then showed up in every language).

    Each template unit is paired, in this order, with: the old entry of the
    same text at the same place (an alignment of the two unit sequences, so
    identical texts are told apart by position and neighbours, like msgmerge);
    another old entry of the same text; an obsolete entry of the same text
    (revived as it was); the most similar translated entry that disappeared
    (its translation kept as fuzzy, ``#|`` holding the text the translator last
    reviewed against); or, for a second copy of a text, a fuzzy copy of its
    twin's translation. Old entries left over with a translation become
    obsolete.
    """
    catalog = copy.copy(old)
    catalog._messages = OrderedDict()  # a fresh table: nothing shared with old
    catalog.obsolete = OrderedDict()
    catalog.project, catalog.version = template.project, ""
    units = [m for m in template if m.id]
    singular = [m for m in old if m.id and isinstance(m.id, str)]
    pairs = _pair(units, singular, [m for m in old.obsolete.values() if isinstance(m.id, str)])
    used = {id(source) for source, _ in pairs.values()}
    for index, unit in enumerate(units):
        source, how = pairs.get(index, (None, ""))
        entry = _entry(unit, source, how)
        catalog._messages[catalog._key_for(entry.id, entry.context)] = entry
    leftovers = [*old.obsolete.values(), *(m for m in old if m.id)]
    for message in leftovers:
        strings = message.string if isinstance(message.string, (list, tuple)) else [message.string]
        if any(strings) and id(message) not in used:
            _add_obsolete(catalog, message)
    return catalog


def _pair(units: Sequence[Message], live: Sequence[Message],
          obsolete: Sequence[Message]) -> dict[int, tuple[Message, str]]:
    """For each template unit (by index) the old entry it continues, and how."""
    pairs: dict[int, tuple[Message, str]] = {}
    taken: set[int] = set()

    def take(index: int, message: Message, how: str) -> None:
        pairs[index] = (message, how)
        taken.add(id(message))

    matcher = difflib.SequenceMatcher(None, [str(m.id) for m in live],
                                      [str(m.id) for m in units], autojunk=False)
    for block in matcher.get_matching_blocks():
        for offset in range(block.size):
            take(block.b + offset, live[block.a + offset], "same")
    for pool in (live, obsolete):
        by_text: dict[str, list[Message]] = {}
        for message in pool:
            if id(message) not in taken and (pool is live or message.string):
                by_text.setdefault(str(message.id), []).append(message)
        for index, unit in enumerate(units):
            candidates = by_text.get(str(unit.id))
            while index not in pairs and candidates:
                message = candidates.pop(0)
                if id(message) not in taken:
                    take(index, message, "same")
    gone = [(position, m) for position, m in enumerate(live) if id(m) not in taken and m.string]
    scored = sorted(
        ((similarity(str(unit.id), str(message.id)), abs(index - position), index, message)
         for index, unit in enumerate(units) if index not in pairs
         for position, message in gone),
        key=lambda item: (-item[0], item[1], item[2]),
    )
    for score, _, index, message in scored:
        if score >= SIMILARITY and index not in pairs and id(message) not in taken:
            take(index, message, "changed")
    translated: dict[str, list[int]] = {}
    for index in sorted(pairs):
        if pairs[index][0].string:
            translated.setdefault(str(units[index].id), []).append(index)
    for index, unit in enumerate(units):
        twins = translated.get(str(unit.id))
        if index not in pairs and twins:
            nearest = min(twins, key=lambda i: abs(i - index))
            pairs[index] = (pairs[nearest][0], "copy")
    return pairs


def _entry(unit: Message, source: Message | None, how: str) -> Message:
    """The new entry for template ``unit``, continuing ``source`` (nothing shared with either)."""
    entry = Message(str(unit.id), "", locations=list(unit.locations),
                    auto_comments=[c for c in unit.auto_comments if not is_lisible_comment(c)],
                    context=unit.context)
    entry.flags = set()
    if source is None or not (source.string or how == "same"):
        return entry
    entry.string = str(source.string)
    drafted = [c for c in [*source.user_comments, *source.auto_comments]
               if c.startswith(DRAFT_PREFIX)][:1]
    entry.user_comments = [c for c in source.user_comments if not c.startswith(DRAFT_PREFIX)]
    entry.auto_comments += [c for c in source.auto_comments
                            if is_lisible_comment(c) and not c.startswith(DRAFT_PREFIX)]
    entry.flags = set(source.flags)
    if source.fuzzy:  # a reviewed entry is no draft any more, whatever its comments say
        entry.user_comments += drafted
    if how == "same":
        entry.previous_id = list(source.previous_id or []) if source.fuzzy else []
    elif how == "changed":
        entry.flags.add("fuzzy")
        entry.previous_id = [reviewed_against(source)]
    else:  # a copy of an identical unit's translation: to be looked at, same staleness
        entry.flags.add("fuzzy")
        entry.previous_id = list(source.previous_id or []) if source.fuzzy else []
    return entry


def reviewed_against(message: Message) -> str:
    """The source text a translation was last reviewed (or drafted) against.

    A stale entry keeps the text of its ``#|`` line: after a second change of
    the source the translator must still see the whole change since their review.
    """
    if message.fuzzy and message.previous_id:
        return str(message.previous_id[0])
    return str(message.id)


def _add_obsolete(catalog: Catalog, message: Message) -> None:
    """Keep ``message`` (a copy) among the obsolete entries, never over another one."""
    entry = Message(message.id, message.string, flags=(),  # a plural entry stays one
                    auto_comments=list(message.auto_comments),
                    user_comments=list(message.user_comments), context=message.context)
    entry.flags = set(message.flags)
    entry.previous_id = list(message.previous_id or []) if message.fuzzy else []
    key = catalog._key_for(entry.id, entry.context)
    existing = catalog.obsolete.get(key)
    if existing is not None and existing.string == entry.string:
        return
    number = 1
    while key in catalog.obsolete or catalog.get(entry.id, entry.context) is not None:
        number += 1
        entry.context = f"{message.context or ''} obsolete {number}".strip()
        key = catalog._key_for(entry.id, entry.context)
    catalog.obsolete[key] = entry


def similarity(a: str, b: str) -> float:
    """Word-level similarity of two texts, without difflib's junk heuristic (Babel #969)."""
    return difflib.SequenceMatcher(None, a.split(), b.split(), autojunk=False).ratio()


# ------------------------------------------------------------------ drafts and findings


def pending_messages(catalog: Catalog, redo_drafts: bool = False) -> list[Message]:
    """Entries that may receive a draft: untranslated ones (and machine drafts if asked).

    Reviewed and stale entries are never pending: a translator's old text is
    worth more than a fresh draft.
    """
    wanted = {State.UNTRANSLATED, State.DRAFT} if redo_drafts else {State.UNTRANSLATED}
    return [m for m in catalog if m.id and state_of(m) in wanted]


def apply_drafts(catalog: Catalog, drafts: Mapping[Key, Draft]) -> Catalog:
    """A copy of ``catalog`` where pending entries named in ``drafts`` hold them, fuzzy."""
    result = copy.deepcopy(catalog)
    for key, draft in drafts.items():
        message = result.get(*key)
        if message is None or state_of(message) not in (State.UNTRANSLATED, State.DRAFT):
            continue
        message.string = draft.text
        message.flags = set(message.flags) | {"fuzzy"}
        message.previous_id = []
        own = [c for c in message.auto_comments if not is_lisible_comment(c)]
        message.auto_comments = own + [f.comment() for f in draft.findings]
        message.user_comments = [c for c in message.user_comments
                                 if not c.startswith(DRAFT_PREFIX)] + [draft.provenance.comment()]
    return result


def with_findings(catalog: Catalog, findings: Mapping[Key, Sequence[Finding]]) -> Catalog:
    """A copy whose finding comments are exactly ``findings`` (old ones are replaced)."""
    result = copy.deepcopy(catalog)
    for message in result:
        if not message.id:
            continue
        kept = [c for c in message.auto_comments
                if not is_lisible_comment(c) or c.startswith(DRAFT_PREFIX)]
        message.auto_comments = kept + [f.comment() for f in findings.get(key_of(message), ())]
    return result


# ------------------------------------------------------------------ files


def read_catalog(path: Path) -> Catalog:
    """Read a .po or .pot file; a malformed one raises ``CatalogError`` with its line."""
    return read_catalog_and_digest(path)[0]


def read_catalog_and_digest(path: Path) -> tuple[Catalog, str]:
    """The catalogue and the digest of the bytes it was read from, for :func:`write_catalog`."""
    data = Path(path).read_bytes()
    try:
        catalog, _ = pofile.parse_catalog(data.splitlines(keepends=True))
    except PoFileError as error:
        raise CatalogError(str(error).rsplit(" on ", 1)[0], path, error.lineno + 1) from None
    except pofile.CharsetError as error:
        raise CatalogError(str(error), path, error.lineno) from None
    except ValueError as error:
        raise CatalogError(f"does not parse: {error}", path) from None
    return catalog, fsio.digest(data)


def _existing_header(path: Path) -> list[tuple[str, str]]:
    if not path.exists():
        return []
    with open(path, "rb") as handle:
        return pofile.parse_catalog(handle)[1]


def render_catalog(
    catalog: Catalog, existing: Sequence[tuple[str, str]], date: str, template: bool
) -> str:
    """The file's text: header fields lisible owns, then the translator's, then entries."""
    fields = dict(existing)
    own = {
        "Project-Id-Version": _project_id(catalog),
        "Report-Msgid-Bugs-To": fields.get("Report-Msgid-Bugs-To", ""),
        "POT-Creation-Date": date,
        "PO-Revision-Date": fields.get("PO-Revision-Date", "YEAR-MO-DA HO:MI+ZONE"),
        "Last-Translator": _translator_field(catalog.last_translator, fields, "Last-Translator",
                                             "FULL NAME <EMAIL@ADDRESS>"),
        "Language-Team": _translator_field(catalog.language_team, fields, "Language-Team",
                                           "LANGUAGE <LL@li.org>"),
    }
    if not template:
        own["Language"] = str(catalog.locale_identifier)
    own |= {"MIME-Version": "1.0", "Content-Type": "text/plain; charset=UTF-8",
            "Content-Transfer-Encoding": "8bit"}
    if not template:
        own["Plural-Forms"] = catalog.plural_forms
    extra = [(k, v) for k, v in existing if k not in own and k != "Generated-By"]
    return pofile.format_catalog(catalog, [*own.items(), *extra], header_fuzzy=template)


def _project_id(catalog: Catalog) -> str:
    """The slug: Babel splits the header into project and version, and invents "VERSION"."""
    parts = [catalog.project, catalog.version if catalog.version != "VERSION" else ""]
    return " ".join(part for part in parts if part)


def _translator_field(value: str | None, fields: Mapping[str, str], name: str, default: str) -> str:
    """A translator-owned header: the catalogue's value if set, else the file's, else gettext's."""
    if value and value != default:
        return value
    return fields.get(name, default)


ANY_FILE = "any"  # write_catalog's read_digest when the caller did not read the file


def write_catalog(path: Path, catalog: Catalog, template: bool | None = None,
                  read_digest: str | None = ANY_FILE, creation_date: str | None = None) -> bool:
    """Write ``catalog`` atomically, only if its content changed; True if written.

    With ``read_digest`` (from :func:`read_catalog_and_digest`, None for a file
    that did not exist), the file is written only if it is still the one that
    was read: a translator's save made meanwhile stops the build with a
    ``CatalogError`` and is kept. The creation date changes only with the
    content: it is ``SOURCE_DATE_EPOCH`` (or now) when something else changed,
    and otherwise the file keeps its own. A catalogue's ``POT-Creation-Date``
    is its template's (``creation_date``), as msgmerge writes it: it says which
    template the catalogue was merged with, not when lisible last wrote it.
    """
    path = Path(path)
    is_template = path.suffix == ".pot" if template is None else template
    existing = _existing_header(path)
    old_date = dict(existing).get("POT-Creation-Date")
    old_text = pofile.decode(path.read_bytes()) if existing else ""
    if not is_template:
        old_date = creation_date or old_date
    text = render_catalog(catalog, existing, old_date, is_template) if old_date else None
    if text is None or (is_template and pofile.keep_layout(text, old_text) != old_text):
        stamp = source_date_epoch(int(time.time()))
        date = dt.datetime.fromtimestamp(stamp, dt.UTC).strftime("%Y-%m-%d %H:%M+0000")
        text = render_catalog(catalog, existing, date, is_template)
    text = pofile.keep_layout(text, old_text)
    if read_digest == ANY_FILE:
        return write_text(path, text)
    try:
        return fsio.write_text_if_unchanged(path, text, read_digest)
    except fsio.ChangedOnDisk:
        raise CatalogError("changed on disk while lisible was working on it (saved in an "
                           "editor?): the saved file is kept; run the build again",
                           path) from None


def new_catalog(template: Catalog, lang: Language, title: str) -> Catalog:
    """An empty catalogue for ``lang``, ready to be merged with ``template``."""
    catalog = Catalog(locale=lang.code, project=template.project, version=None, fuzzy=False,
                      language_team=f"{lang.name} <{lang.code}>")
    catalog.header_comment = (
        f"# {lang.name} ({lang.code}) translation of “{title}”.\n"
        "# Generated by lisible; edit msgstr only. How to review: locales/README.md.\n"
        "# Reviewed entries (not fuzzy) are never overwritten by lisible."
    )
    return catalog


# ------------------------------------------------------------------ stage


def documents(config: Config) -> Iterator[SourceDocument]:
    """The converted documents, from ``build/markdown/fr/``, with the sources they name."""
    for slug in slugs(config):
        markdown_path = config.markdown_path(config.source, slug)
        markdown = markdown_path.read_text("utf-8")
        meta, _ = split_front_matter(markdown, markdown_path)
        source = str(meta.get("source") or markdown_path.relative_to(config.root).as_posix())
        path = config.root / source
        sidecar = path.with_name(path.stem + ".meta.yml")
        yield SourceDocument(
            slug=slug,
            markdown=markdown,
            source=source,
            source_text=fsio.decode_text(path.read_bytes(), path)
            if path.suffix.lower() in LINE_SOURCES and path.is_file() else None,
            meta_ref=sidecar.relative_to(config.root).as_posix() if sidecar.exists() else None,
            meta_text=sidecar.read_text("utf-8") if sidecar.exists() else None,
        )


def update_all(config: Config) -> list[str]:
    """Write every template and merge every catalogue; one line of report per file.

    All catalogues are read (and so checked) before any file is written.
    """
    plans, done, report = [], [], []
    for document in documents(config):
        done.append(document)
        if _update_stamp(config, document.slug).fresh(_update_key(config, document)):
            report.append(f"{document.slug}: template and catalogues as the last build left them")
            continue
        template = build_template(document)
        title = next((str(m.id) for m in template if m.id), document.slug)
        for lang in config.targets:
            path = config.catalog_path(lang, document.slug)
            old, read = (read_catalog_and_digest(path) if path.exists()
                         else (new_catalog(template, lang, title), None))
            plans.append((path, merge(old, template), read))
        template.header_comment = f"# Template for “{title}”, generated by lisible {__version__}."
        plans.insert(0, (config.template_path(document.slug), template, ANY_FILE))
    for path, catalog, read in plans:
        template_path = config.template_path(path.stem)
        date = None if path == template_path else dict(_existing_header(template_path)).get(
            "POT-Creation-Date")
        written = write_catalog(path, catalog, read_digest=read, creation_date=date)
        label = path.relative_to(config.root).as_posix()
        report.append(f"{label}: {'written' if written else 'unchanged'}, {_summary(catalog)}")
    for document in done:
        _update_stamp(config, document.slug).done(functools.partial(_update_key, config, document))
    return report


def _update_stamp(config: Config, slug: str) -> stamps.Stamp:
    return stamps.Stamp(config.build_dir, "catalogs", slug)


def _update_key(config: Config, document: SourceDocument) -> str:
    """What the merge of one document reads and writes (see :mod:`lisible.stamps`)."""
    slug = document.slug
    sources = [config.root / ref for ref in (document.source, document.meta_ref) if ref]
    return stamps.key_of([config.markdown_path(config.source, slug), *sources,
                          config.template_path(slug),
                          *(config.catalog_path(lang, slug) for lang in config.targets)],
                         repr(config.targets), stamps.tools("catalogs"))


def _summary(catalog: Catalog) -> str:
    if catalog.locale is None:
        return f"{sum(1 for m in catalog if m.id)} units"
    return ", ".join(f"{n} {state}" for state, n in counts(catalog).items())
