"""Consistency checks between a source unit and its translation: agreed terms and facts.

Two checks, both pure functions over ``(msgid, msgstr, language code)`` that
return :class:`~lisible.provenance.Finding` objects, so ``build.py check``
can print them and write them on the catalogue entry:

``TERM`` (error)
    Like Weblate's glossary check: when the msgid contains a term of the
    termbase (``locales/terms.csv``), the msgstr must contain the target term
    agreed for its language. Translators decide terms once, in one place, and
    the same institution keeps the same name in every paragraph.
``FACT`` (error)
    Numbers, years, article numbers, URLs and proper names of the msgid must
    appear in the msgstr. A figure or a cited source that differs between
    languages is the worst mistake a translated op-ed can make, and it is
    easy to check.

The termbase is a CSV file with the columns ``fr,nl,en,fr@falc,note``. A cell
may hold alternatives separated by ``|``; an empty target cell means "no
agreed term in this language". A row whose note starts with ``name`` is a
proper name: it is checked by ``FACT`` (names must be kept, in their
official form for each language), every other row by ``TERM``.

Matching rules, kept simple on purpose:

* case-insensitive; ``'`` and ``’`` are the same character;
* source terms match whole words, each word allowing a French plural or
  agreement ending (``-s``, ``-x``, ``-e``, ``-es``): ``guichet`` matches
  ``guichets``, ``bruxellois`` matches ``bruxelloises``;
* target terms match at the start of a word and allow each word up to four
  more letters (``loket`` in ``loketten``, ``Brussel`` in ``Brusselaars``);
  in compounding languages (Dutch) they match anywhere inside words
  (``procedure`` in ``onlineprocedures``, ``begeleiding`` in
  ``begeleidingsstrategie``).

Numbers: digits are compared as integers, and number words from two to
twenty (``deux``, ``twee``, ``two``) count as the digits they stand for, in
both texts, so an easy-read ``2`` matches a source ``deux``. Translations
keep every occurrence (``un sur deux et deux sur cinq`` has two 2s);
easy-read needs each figure at least once. ``un``/``one``
is left out: it is far more often an article than a number. A capitalised
word in the middle of a sentence that no termbase row covers is taken as a
name and must appear unchanged (``Clerfayt``, ``Bernard``). Easy-read
footnote units (``Pour en savoir plus …``) may leave the URL out: the
easy-read page has no footnotes and may tell the reader where to look
instead; everything else must stay.
"""

from __future__ import annotations

import csv
import io
import re
from collections import Counter
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from pathlib import Path

from lisible.config import Config, Language
from lisible.errors import LisibleError
from lisible.numberwords import UP_TO_TWENTY
from lisible.provenance import Finding

TERMBASE_FILE = "terms.csv"
SOURCE_COLUMN = "fr"
COLUMNS = ("fr", "nl", "en", "fr@falc", "note")
COMPOUNDING = frozenset({"nl", "de"})  # languages that write terms inside compound words

_APOSTROPHES = str.maketrans({"'": "’"})
_URL = re.compile(r"<(https?://[^>\s]+)>|(https?://[^\s<>)\]]+)")
_FOOTNOTE_REF = re.compile(r"\[\^[^\]]+\]")
_NUMBER = re.compile(r"(?<![\w.,])\d+(?:[.,]\d+)*(?![\w])")
_WORD = re.compile(r"[^\W\d_]+(?:[’'-][^\W\d_]+)*")
_NAME = re.compile(r"(?<!\w)[^\W\d_]+(?:-[^\W\d_]+)*(?!\w)")
_OPENERS = frozenset(".!?:«“‘\"(")  # after these, a capital starts a sentence or a quotation

NUMBER_WORDS = UP_TO_TWENTY  # per primary language subtag: lisible.numberwords


@dataclass(frozen=True)
class Term:
    """One row of the termbase: a source term and what it becomes in each language."""

    source: tuple[str, ...]  # alternatives of the French term
    targets: tuple[tuple[str, tuple[str, ...]], ...]  # (language code, alternatives)
    note: str = ""
    line: int = 0  # line of the termbase file, for messages

    @property
    def is_name(self) -> bool:
        """Proper names are checked as facts (``FACT``), other terms as ``TERM``."""
        return self.note.lower().startswith("name")

    def target(self, lang_code: str) -> tuple[str, ...]:
        """The agreed target alternatives for ``lang_code`` (empty: none agreed)."""
        return dict(self.targets).get(lang_code, ())


@dataclass(frozen=True)
class Termbase:
    """The agreed terms, in file order."""

    terms: tuple[Term, ...] = ()
    path: str = ""


# --- reading the termbase ----------------------------------------------------------------

def load_termbase(path: Path) -> Termbase:
    """Read ``locales/terms.csv``; a missing file is an empty termbase."""
    path = Path(path)
    if not path.exists():
        return Termbase(path=str(path))
    return parse_termbase(path.read_text("utf-8"), str(path))


def parse_termbase(text: str, where: str = "<terms>") -> Termbase:
    """Parse the CSV text of a termbase; a header is required, ``fr`` first."""
    rows = list(csv.reader(io.StringIO(text)))
    if not rows or not rows[0] or rows[0][0].strip() != SOURCE_COLUMN:
        raise LisibleError(f"a termbase starts with the header {','.join(COLUMNS)}", where, 1)
    header = [cell.strip() for cell in rows[0]]
    terms = []
    for number, row in enumerate(rows[1:], start=2):
        if not any(cell.strip() for cell in row):
            continue
        if len(row) > len(header):
            raise LisibleError(f"{len(row)} cells for {len(header)} columns", where, number)
        cells = dict(zip(header, (cell.strip() for cell in row), strict=False))
        source = _alternatives(cells.get(SOURCE_COLUMN, ""))
        if not source:
            raise LisibleError("the fr cell is empty", where, number)
        targets = tuple((code, _alternatives(cells.get(code, ""))) for code in header[1:]
                        if code != "note")
        terms.append(Term(source, targets, cells.get("note", ""), number))
    return Termbase(tuple(terms), where)


def _alternatives(cell: str) -> tuple[str, ...]:
    return tuple(part.strip() for part in cell.split("|") if part.strip())


# --- matching ------------------------------------------------------------------------------

def _normalise(text: str) -> str:
    return text.translate(_APOSTROPHES)


def _prose(text: str) -> str:
    """Normalised text with URLs and footnote references blanked: a name in a URL is no name."""
    return _blank(_FOOTNOTE_REF, _blank(_URL, _normalise(text)))


def _source_pattern(term: str) -> re.Pattern[str]:
    words = [re.escape(word) + r"(?:s|x|e|es)?" for word in _normalise(term).split()]
    return re.compile(r"(?<!\w)" + r"\s+".join(words) + r"(?!\w)", re.IGNORECASE)


def _target_pattern(term: str, lang: Language) -> re.Pattern[str]:
    words = [re.escape(word) for word in _normalise(term).split()]
    if lang.base in COMPOUNDING:  # anywhere in a word: part of a compound
        return re.compile(r"\w*\s+".join(words), re.IGNORECASE)
    pattern = r"\w{0,4}\s+".join(words) + r"\w{0,4}(?!\w)"
    return re.compile(r"(?<!\w)" + pattern, re.IGNORECASE)


def _source_spans(term: Term, text: str) -> list[tuple[int, int]]:
    return [m.span() for alt in term.source for m in _source_pattern(alt).finditer(text)]


def _has_target(term: Term, text: str, lang: Language) -> bool:
    return any(_target_pattern(alt, lang).search(text) for alt in term.target(lang.code))


def _quote(alternatives: Iterable[str]) -> str:
    return " or ".join(f"“{alt}”" for alt in alternatives)


# --- TERM ----------------------------------------------------------------------------------

def term_findings(termbase: Termbase, msgid: str, msgstr: str, lang: Language) -> list[Finding]:
    """``TERM`` errors: source terms in ``msgid`` whose agreed target is missing from ``msgstr``."""
    if not msgstr.strip():
        return []
    source, target = _prose(msgid), _prose(msgstr)
    findings = []
    for term in termbase.terms:
        if term.is_name or not term.target(lang.code) or not _source_spans(term, source):
            continue
        if not _has_target(term, target, lang):
            agreed = _quote(term.target(lang.code))
            findings.append(Finding("TERM", f"“{term.source[0]}” is translated as {agreed} "
                                    f"(termbase line {term.line})"))
    return findings


# --- FACT ----------------------------------------------------------------------------------

def fact_findings(msgid: str, msgstr: str, lang: Language, termbase: Termbase | None = None,
                  footnote: bool | None = None) -> list[Finding]:
    """``FACT`` errors: numbers, URLs and names of ``msgid`` that ``msgstr`` lost.

    ``footnote`` says the unit is a footnote body; when None it is guessed (a
    unit that ends with a URL). Only easy-read footnote units may drop URLs.
    """
    if not msgstr.strip():
        return []
    termbase = termbase or Termbase()
    if footnote is None:
        footnote = bool(re.search(r"(?:>|https?://\S+)\s*$", msgid))
    may_drop_urls = footnote and lang.easy_read
    findings = []
    if not may_drop_urls:
        findings += [Finding("FACT", f"the URL {url} is missing")
                     for url in urls(msgid) if url not in msgstr]
    source, target = numbers(msgid, SOURCE_COLUMN), numbers(msgstr, lang.base)
    if lang.easy_read:  # easy-read may say a figure once where the source repeats it
        source, target = Counter(set(source)), Counter(set(target))
    missing = sorted((source - target).elements(), key=str)
    findings += [Finding("FACT", f"the number {n} is missing") for n in missing]
    findings += list(_name_findings(termbase, msgid, msgstr, lang))
    return findings


def urls(text: str) -> list[str]:
    """The URLs of ``text``, autolinks and bare, in order."""
    return [a or b for a, b in _URL.findall(text)]


def numbers(text: str, base: str) -> Counter[int | str]:
    """The numbers of ``text``, counted: digits (int when whole) and its language's number words."""
    plain = _FOOTNOTE_REF.sub(" ", _URL.sub(" ", text))
    found: Counter[int | str] = Counter(
        int(token) if token.isdigit() else token.replace(",", ".")
        for token in _NUMBER.findall(plain))
    words = NUMBER_WORDS.get(base, {})
    found.update(words[w.lower()] for w in _WORD.findall(plain) if w.lower() in words)
    return found


def _name_findings(termbase: Termbase, msgid: str, msgstr: str,
                   lang: Language) -> Iterator[Finding]:
    source, target = _prose(msgid), _prose(msgstr)
    covered: list[tuple[int, int]] = []
    for term in termbase.terms:
        spans = _source_spans(term, source)
        covered += spans
        wanted = term.is_name and spans and term.target(lang.code)
        if wanted and not _has_target(term, target, lang):
            yield Finding("FACT", f"the name “{term.source[0]}” is missing: expected "
                          f"{_quote(term.target(lang.code))}")
    for name in detected_names(source, covered):
        if not re.search(r"(?<!\w)" + re.escape(name) + r"(?!\w)", target):
            yield Finding("FACT", f"the name “{name}” is missing")


def detected_names(text: str, covered: Iterable[tuple[int, int]] = ()) -> list[str]:
    """Capitalised words in the middle of a sentence, outside ``covered`` spans, once each."""
    spans = list(covered)
    plain = _prose(text)
    names: list[str] = []
    for match in _NAME.finditer(plain):
        word = match.group(0)
        if not word[0].isupper() or _starts_sentence(plain, match.start()):
            continue
        if any(start <= match.start() < end for start, end in spans) or word in names:
            continue
        names.append(word)
    return names


def _blank(pattern: re.Pattern[str], text: str) -> str:
    """``text`` with ``pattern``'s matches replaced by spaces, so offsets stay valid."""
    return pattern.sub(lambda m: " " * len(m.group(0)), text)


def _starts_sentence(text: str, index: int) -> bool:
    before = text[:index]
    stripped = before.rstrip()
    return not stripped or stripped[-1] in _OPENERS or "\n" in before[len(stripped):]


def findings(termbase: Termbase, msgid: str, msgstr: str, lang: Language,
             footnote: bool | None = None) -> list[Finding]:
    """Both checks on one entry, in the order ``build.py check`` prints them.

    Pass ``footnote`` from the unit's kind when it is known (the catalogue's
    ``lisible-unit: footnote`` comment); otherwise it is guessed.
    """
    return (term_findings(termbase, msgid, msgstr, lang)
            + fact_findings(msgid, msgstr, lang, termbase, footnote))


def termbase_path(config: Config) -> Path:
    """``locales/terms.csv``: the termbase lives with the catalogues it governs."""
    return config.locales_dir / TERMBASE_FILE
