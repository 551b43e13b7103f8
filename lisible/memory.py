"""A translation memory across texts: reviewed work reused before machine translation.

A sentence a person translated and reviewed in one text should not be
machine-translated again in the next. Before the translate stage sends a
pending unit to MT, it is looked up here, in:

- every **reviewed** entry (not fuzzy, not empty) of every *other* text's
  catalogue of the same language. Drafts, stale entries and obsolete ones
  never feed the memory: only what a person approved is worth repeating.
  A text never draws from its own catalogue: its own history is the merge's
  job (a changed unit keeps its old translation as *stale*, with the previous
  French shown as ``#|``, which tells the translator exactly what changed;
  a memory draft would hide that);
- the memory files in ``locales/memory/``: TMX exported by a CAT tool
  (``*.tmx``, every ``<tuv>`` language read) and old gettext catalogues used
  as compendia (``*.po``, their ``Language`` header says which language;
  their fuzzy and untranslated entries are ignored). Both are read with
  translate-toolkit.

An identical source gives a fuzzy draft with provenance ``engine=memory;
memory=…; text=…; match=100%``; a close one (word-level similarity at or
above ``memory_match``, 0.75 by default, the same measure the merge uses)
gives the same with its score. Either way the entry stays fuzzy until a
person reviews it. A close match whose markup (footnote references, links,
code, numbers) differs from the new unit's is not used: the unit goes to MT,
whose placeholders carry the new markup. Easy-read French takes exact
matches only: its rewrites stray far from the French words, so a reviewer
could not spot what a close match changed.

Lookup stays near-linear in the number of texts: the index is built once per
build; a query only scores entries that share one of its rarest words (the
*prefix filter* of set-similarity joins: a match at threshold ``t`` must
share at least ``len·t/(2−t)`` words, so it shares one of the rest), after a
length bound and a word-count bound.
"""

from __future__ import annotations

import math
from collections import Counter, defaultdict
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING

from lisible.config import Config, Language
from lisible.document import Draft, catalogued
from lisible.errors import ConfigError
from lisible.provenance import Provenance

if TYPE_CHECKING:  # catalogs loads Babel and the segmenter: only when a build runs
    from babel.messages.catalog import Catalog

    from lisible.catalogs import Key

ENGINE = "memory"
CATALOGUES = "catalogues"  # the ``memory=`` value of a match from another text's catalogue
EASY_READ_TAG = "fr-x-falc"  # how easy-read French is tagged in TMX (BCP 47 private use)
_MARKUP_CODES = ("NOTE-REF", "LINK", "HTML", "EMPHASIS")


@dataclass(frozen=True)
class Entry:
    """One reviewed pair: French ``source``, ``target`` in one language, and where it is from."""

    source: str
    target: str
    memory: str  # "catalogues", or a memory file relative to the project
    text: str = ""  # the text (slug) it was reviewed in; "" for memory files


@dataclass(frozen=True)
class Match:
    """The memory's answer for one unit."""

    entry: Entry
    score: float  # 1.0 for an identical source

    @property
    def exact(self) -> bool:
        return self.score >= 1.0

    @property
    def percent(self) -> int:
        return math.floor(self.score * 100)

    def provenance(self) -> Provenance:
        """The draft comment: which memory, which text, how close."""
        return Provenance(engine=ENGINE, memory=self.entry.memory, text=self.entry.text,
                          match=f"{self.percent}%")


@dataclass(frozen=True)
class LanguageMemory:
    """Every reviewed pair of one language, indexed once for one threshold.

    ``postings`` lists, for each word, the entries in whose *prefix* it is:
    the entry's rarest words (by how many entries hold them, ties by the word
    itself), as many as a match at ``threshold`` can miss plus one. Two
    sources that reach the threshold share a word of both prefixes, so a
    query only scores the entries found under its own prefix.
    """

    entries: tuple[Entry, ...]
    by_source: Mapping[str, tuple[int, ...]]
    postings: Mapping[str, tuple[int, ...]]  # prefix word -> entries
    frequency: Mapping[str, int]  # word -> how many entries hold it
    words: tuple[Counter[str], ...]  # per entry: its words, counted
    threshold: float = 0.75

    @classmethod
    def build(cls, entries: Iterable[Entry], threshold: float = 0.75) -> LanguageMemory:
        unique = tuple(dict.fromkeys(entries))
        by_source: dict[str, list[int]] = defaultdict(list)
        words = tuple(Counter(normal(entry.source).split()) for entry in unique)
        frequency: Counter[str] = Counter(w for counted in words for w in counted)
        postings: dict[str, list[int]] = defaultdict(list)
        for index, entry in enumerate(unique):
            by_source[normal(entry.source)].append(index)
            for word in _prefix(normal(entry.source).split(), frequency, threshold):
                postings[word].append(index)
        return cls(unique, {k: tuple(v) for k, v in by_source.items()},
                   {k: tuple(v) for k, v in postings.items()}, dict(frequency), words,
                   threshold)

    def exact(self, source: str, exclude_text: str) -> Match | None:
        """The preferred reviewed translation of an identical source, from another text."""
        found = [self.entries[i] for i in self.by_source.get(normal(source), ())
                 if not _same_text(self.entries[i], exclude_text)]
        if not found:
            return None
        votes = Counter(entry.target for entry in found)
        best = min(found, key=lambda e: (-votes[e.target], e.memory != CATALOGUES,
                                         e.memory, e.text))
        return Match(best, 1.0)

    def close(self, source: str, exclude_text: str) -> Match | None:
        """The most similar source at or above the threshold whose markup fits ``source``."""
        from lisible.catalogs import similarity

        words = normal(source).split()
        if not words:
            return None
        counted, markup = Counter(words), markup_of(source)
        candidates = {i for word in _prefix(words, self.frequency, self.threshold)
                      for i in self.postings.get(word, ())}
        scored = []
        for index in sorted(candidates):
            entry = self.entries[index]
            if not _could_reach(counted, len(words), self.words[index], self.threshold) or (
                    _same_text(entry, exclude_text)):
                continue
            score = similarity(normal(source), normal(entry.source))
            if score >= self.threshold and markup_of(entry.source) == markup:
                scored.append((score, entry))
        if not scored:
            return None
        score, entry = max(scored, key=lambda item: (item[0], item[1].memory == CATALOGUES,
                                                     item[1].text, item[1].memory))
        return Match(entry, min(score, 0.99))


def _prefix(words: Sequence[str], frequency: Mapping[str, int], threshold: float) -> set[str]:
    """The rarest words of a source, as many as a match at ``threshold`` may miss, plus one.

    A word-level similarity ``2·M/(a+b) ≥ t`` needs ``M ≥ a·t/(2−t)`` shared
    words (since ``b ≥ M``), so at most ``a − ⌈a·t/(2−t)⌉`` of its words may
    be missing from the other source.
    """
    needed = math.ceil(len(words) * threshold / (2 - threshold) - 1e-9)
    ranked = sorted(words, key=lambda w: (frequency.get(w, 0), w))
    return set(ranked[:max(len(words) - needed + 1, 1)])


def normal(text: str) -> str:
    """A source as the memory compares it: spaces of any kind as one space, ``'`` as ``’``.

    A CAT tool's TMX seldom has lisible's French spacing (narrow no-break
    spaces before ``:`` and inside « »), yet the words are the same.
    """
    return " ".join(text.replace("'", "’").split())


def _same_text(entry: Entry, text: str) -> bool:
    return bool(text) and entry.memory == CATALOGUES and entry.text == text


def _could_reach(query: Counter[str], length: int, other: Counter[str],
                 threshold: float) -> bool:
    """Cheap upper bounds of the word similarity: by lengths, then by shared words."""
    other_length = other.total()
    total = length + other_length
    if 2 * min(length, other_length) < threshold * total:
        return False
    shared = sum(min(n, other[word]) for word, n in query.items() if word in other)
    return 2 * shared >= threshold * total


def markup_of(text: str) -> tuple[str, ...]:
    """The markup and numbers of a unit, in order: what a reused translation must carry."""
    from lisible.placeholders import protect

    return tuple(token.text for token in protect(text).tokens)


@dataclass(frozen=True)
class Memory:
    """Every language's memory and the threshold for close matches."""

    languages: Mapping[str, LanguageMemory] = field(default_factory=dict)
    threshold: float = 0.75

    def lookup(self, lang: Language, source: str, text: str = "") -> Match | None:
        """An exact match, else (not for easy-read) the closest one; never from ``text`` itself."""
        memory = self.languages.get(lang.code)
        if memory is None:
            return None
        found = memory.exact(source, text)
        if found is None and not lang.easy_read and self.threshold < 1:
            found = memory.close(source, text)
        return found

    def __len__(self) -> int:
        return sum(len(m.entries) for m in self.languages.values())


def build(entries: Mapping[str, Iterable[Entry]], threshold: float = 0.75) -> Memory:
    """Index entries given per language code (pure: no file is read)."""
    return Memory({code: LanguageMemory.build(items, threshold)
                   for code, items in entries.items()}, threshold)


def draft_for(match: Match, source: str, lang: Language) -> Draft:
    """The catalogue draft for ``source`` from ``match``, with the checks' findings on it.

    An exact match's translation was reviewed against this very source, but it
    is checked again: it may have been approved with a finding.
    """
    from lisible import check

    findings = tuple(check.check_message(source, match.entry.target, lang))
    return Draft(match.entry.target, match.provenance(), findings)


def drafts_for(memory: Memory, lang: Language, slug: str,
               sources: Iterable[Key]) -> dict[Key, Draft]:
    """Drafts for every (msgid, msgctxt) the memory can fill; the rest is left to MT."""
    drafts = {}
    for key in sources:
        match = memory.lookup(lang, key[0], slug)
        if match is None:
            continue
        draft = draft_for(match, key[0], lang)
        codes = {f.code for f in draft.findings}
        if "HTML" in codes:
            continue  # raw HTML never comes from a memory, even on an exact match
        if match.exact or not codes & set(_MARKUP_CODES):
            drafts[key] = draft
    return drafts


# --------------------------------------------------------------------------- reading


def memory_dir(config: Config) -> Path:
    """``locales/memory/``: TMX files and ``.po`` compendia picked up by every build."""
    return config.locales_dir / "memory"


def reviewed_pairs(config: Config,
                   loaded: Mapping[Path, Catalog] | None = None) -> dict[str, list[Entry]]:
    """Every reviewed (source, translation) of every text's catalogues, per language code.

    ``loaded`` holds catalogues already read (by path), so a build reads each once.
    """
    from lisible import catalogs

    loaded = loaded if loaded is not None else read_catalogues(config)
    pairs: dict[str, list[Entry]] = defaultdict(list)
    for (lang, slug), path in _catalogue_paths(config).items():
        for message in loaded.get(path, ()):
            if message.id and catalogs.state_of(message) is catalogs.State.REVIEWED:
                pairs[lang.code].append(Entry(str(message.id), str(message.string),
                                              CATALOGUES, slug))
    return pairs


def _catalogue_paths(config: Config) -> dict[tuple[Language, str], Path]:
    """Every existing target catalogue, by (language, slug), in a stable order."""

    return {(lang, slug): config.catalog_path(lang, slug)
            for slug in catalogued(config) for lang in config.targets
            if config.catalog_path(lang, slug).exists()}


def read_catalogues(config: Config) -> dict[Path, Catalog]:
    """Every target catalogue, read once."""
    from lisible import catalogs

    return {path: catalogs.read_catalog(path) for path in _catalogue_paths(config).values()}


def language_code(tag: str | None, languages: Sequence[Language]) -> str | None:
    """The catalogue code for a TMX or PO language tag: ``nl-BE`` → ``nl``, ``fr-x-falc``."""
    if not tag:
        return None
    wanted = tag.replace("_", "-").lower()
    if wanted == EASY_READ_TAG or wanted.endswith("@falc"):
        return next((lang.code for lang in languages if lang.easy_read), None)
    for lang in languages:
        if wanted in (lang.code.lower(), lang.tag.lower()) and not lang.easy_read:
            return lang.code
    primary = wanted.split("-")[0]
    return next((lang.code for lang in languages
                 if not lang.easy_read and lang.base == primary), None)


def file_pairs(config: Config) -> dict[str, list[Entry]]:
    """The pairs of every memory file in ``locales/memory/``, per language code."""
    pairs: dict[str, list[Entry]] = defaultdict(list)
    folder = memory_dir(config)
    paths = sorted(p for p in folder.iterdir() if p.suffix in (".tmx", ".po")) \
        if folder.is_dir() else []
    for path in paths:
        name = path.relative_to(config.root).as_posix() if path.is_relative_to(config.root) \
            else path.as_posix()
        read = _tmx_pairs if path.suffix == ".tmx" else _po_pairs
        for code, source, target in read(path, config):
            pairs[code].append(Entry(source, target, name))
    return pairs


def _tmx_pairs(path: Path, config: Config) -> Iterable[tuple[str, str, str]]:
    """(language, French, translation) for every unit of a TMX holding French."""
    from translate.misc.xml_helpers import getXMLlang
    from translate.storage import tmx

    try:
        store = tmx.tmxfile.parsefile(str(path))
    except Exception as error:  # lxml and translate-toolkit raise many kinds
        raise ConfigError(f"not a readable TMX file: {error}", path) from None
    found = []
    for unit in store.units:
        texts = {}
        for node in unit.getlanguageNodes():
            tag = getXMLlang(node) or ""
            code = (config.source.code if tag.lower().split("-")[0] == config.source.code
                    and tag.lower() != EASY_READ_TAG else language_code(tag, config.targets))
            text = unit.getNodeText(node)
            if code and text and code not in texts:
                texts[code] = text
        source = texts.pop(config.source.code, None)
        if source:
            found += [(code, source, text) for code, text in texts.items()]
    return found


def _po_pairs(path: Path, config: Config) -> Iterable[tuple[str, str, str]]:
    """(language, msgid, msgstr) for every translated, non-fuzzy entry of a compendium."""
    from translate.storage import po

    try:
        store = po.pofile.parsefile(str(path))
    except Exception as error:  # translate-toolkit's parse errors carry the line
        raise ConfigError(f"not a readable PO file: {error}", path) from None
    code = language_code(store.gettargetlanguage(), config.targets)
    if code is None:
        raise ConfigError("a memory .po file needs a Language header naming one of "
                          + ", ".join(lang.code for lang in config.targets), path)
    return [(code, unit.source, unit.target) for unit in store.units
            if not unit.isheader() and not unit.isobsolete() and unit.istranslated()
            and not unit.isfuzzy() and unit.source and unit.target]


def load(config: Config, loaded: Mapping[Path, Catalog] | None = None) -> Memory:
    """The build's memory: every reviewed catalogue entry, then every memory file."""
    pairs = reviewed_pairs(config, loaded)
    for code, entries in file_pairs(config).items():
        pairs[code].extend(entries)
    return build(pairs, config.memory_match)


# --------------------------------------------------------------------------- stage


def fill_catalog(catalog: Catalog, memory: Memory, lang: Language, slug: str,
                 redo_drafts: bool = False) -> tuple[Catalog, set[Key]]:
    """``catalog`` with what the memory can fill among its pending entries, and their keys."""
    from lisible import catalogs

    pending = [catalogs.key_of(m) for m in catalogs.pending_messages(catalog, redo_drafts)]
    drafts = drafts_for(memory, lang, slug, pending)
    return (catalogs.apply_drafts(catalog, drafts) if drafts else catalog), set(drafts)


def export_tmx(config: Config) -> bytes:
    """Every reviewed pair, one ``<tu>`` per French source with each language's translation.

    When a source was reviewed differently in two texts, the most frequent
    translation is written (as the memory uses it); the ``<note>`` names the
    texts the source appears in.
    """
    from translate.storage import tmx

    pairs = reviewed_pairs(config)
    memories = {code: LanguageMemory.build(entries) for code, entries in pairs.items()}
    sources = list(dict.fromkeys(e.source for code in sorted(pairs) for e in pairs[code]))
    store = tmx.tmxfile(sourcelanguage=config.source.tag)
    for source in sources:
        unit = store.addsourceunit(source, config.source.tag)
        texts = set()
        for lang in config.targets:
            memory = memories.get(lang.code)
            match = memory.exact(source, "") if memory else None
            if memory and match:
                unit.settarget(match.entry.target, tmx_tag(lang), append=True)
                texts |= {memory.entries[i].text for i in memory.by_source[normal(source)]}
        unit.addnote(", ".join(sorted(texts)))
    return bytes(store)


def tmx_tag(lang: Language) -> str:
    """The language tag written in TMX: the language's tag, easy-read as private use."""
    return EASY_READ_TAG if lang.easy_read else lang.tag


def fill_all(config: Config, redo_drafts: bool = False) -> dict[Path, set[Key]]:
    """Fill every target catalogue from the memory, before MT; the keys filled, per file.

    The memory is built once, before any catalogue is filled, from reviewed
    entries only: a draft written now never feeds another, so the result does
    not depend on the order of the texts. Each catalogue is read once.
    """
    from lisible import catalogs

    read = {path: catalogs.read_catalog_and_digest(path)
            for path in _catalogue_paths(config).values()}  # a save meanwhile is never reverted
    loaded = {path: catalog for path, (catalog, _) in read.items()}
    if not any(catalogs.pending_messages(c, redo_drafts) for c in loaded.values()):
        return {}
    memory = load(config, loaded)
    filled = {}
    for (lang, slug), path in _catalogue_paths(config).items() if len(memory) else ():
        catalog, keys = fill_catalog(loaded[path], memory, lang, slug, redo_drafts)
        if keys:
            catalogs.write_catalog(path, catalog, read_digest=read[path][1])
            filled[path] = keys
    return filled
