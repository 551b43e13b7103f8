"""The curated word lists that editors keep next to the content.

No French synonym lexicon exists offline, and an invented synonym can change
the meaning of a sentence, so every substitution the drafter makes and every
explanation the easy-read page shows comes from a CSV file a person wrote:

``content/<slug>.glossary.csv`` (``word,explanation``)
    the document's difficult words, explained in easy-read French. The linter
    accepts a rare word that is explained here; the easy-read page ends with
    the explanations of the words it uses (``## Les mots difficiles``).
``content/easyread-abbreviations.csv`` (``abbreviation,expansion,kind``)
    ``kind=replace``: written out in place (``c.-à-d.`` → ``c’est-à-dire``);
    ``kind=explain``: acronyms and names explained in a sentence of their own
    the first time they appear (``CPAS : centre public d’action sociale.``).
``content/easyread-connectors.csv`` and ``content/easyread-words.csv`` (``from,to``)
    simpler connectors (``cependant`` → ``mais``) and simpler words.

Matching is case-insensitive on whole words; a glossary word also matches its
plural (``-s``/``-x``), which is enough for nouns and keeps this module free
of spaCy, so ``glossary_section`` stays fast.
"""

from __future__ import annotations

import csv
import io
import re
from collections.abc import Iterable
from dataclasses import dataclass
from functools import cached_property
from pathlib import Path

from lisible.errors import LisibleError
from lisible.typography import french

GLOSSARY_HEADING = "## Les mots difficiles"


@dataclass(frozen=True)
class Entry:
    """One difficult word and its simple explanation."""

    word: str
    explanation: str


@dataclass(frozen=True)
class Glossary:
    """A document's difficult words, in the editors' order."""

    entries: tuple[Entry, ...] = ()

    def explains(self, word: str) -> bool:
        """True if ``word`` (or its singular) is one of the glossary's words."""
        return bool(_forms(word) & self._keys)

    @cached_property
    def _keys(self) -> frozenset[str]:
        """Every form of every entry; each long word of a phrase counts (``inclusion``)."""
        words = [e.word for e in self.entries]
        words += [w for e in self.entries if " " in e.word for w in e.word.split() if len(w) > 3]
        return frozenset(form for word in words for form in _forms(word))

    def merged(self, other: Glossary) -> Glossary:
        """This glossary plus the entries of ``other`` whose words it lacks."""
        extra = tuple(e for e in other.entries if not self.explains(e.word))
        return Glossary(self.entries + extra)

    def entry_for(self, word: str) -> Entry | None:
        """The entry explaining ``word`` (or a form of it), if any."""
        forms = _forms(word)
        return next((e for e in self.entries if _forms(e.word) & forms), None)

    def used_in(self, text: str) -> tuple[Entry, ...]:
        """The entries whose word occurs in ``text``, in alphabetical order."""
        found = [e for e in self.entries if _word_pattern(e.word).search(text)]
        return tuple(sorted(found, key=lambda e: _sort_key(e.word)))


@dataclass(frozen=True)
class Abbreviation:
    """An abbreviation to write out, or an acronym or name to explain."""

    short: str
    expansion: str
    explain: bool  # True: explain in a sentence; False: replace in place


@dataclass(frozen=True)
class Swap:
    """A curated replacement: a connector or a word, as editors wrote it."""

    old: str
    new: str


def _forms(word: str) -> frozenset[str]:
    """A word's lowercase form and its stem without ``-s``, ``-x``, ``-e``, ``-es``.

    So ``ordonnances`` matches ``ordonnance`` and ``bruxelloises`` matches
    ``bruxellois``; an acronym (``CPAS``) keeps its one form.
    """
    low = normalise(word).lower()
    forms = {low}
    if word.isupper() or len(low) <= 5:
        return frozenset(
            forms
            | ({low[:-1]} if len(low) > 3 and low[-1] in "sx" and not word.isupper() else set())
        )
    for ending in ("es", "s", "x", "e"):
        if low.endswith(ending):
            forms.add(low[: -len(ending)])
    return frozenset(forms)


def normalise(text: str) -> str:
    """Typographic apostrophes and spaces made plain, for matching only."""
    return text.replace("’", "'").replace("\u202f", " ").replace("\u00a0", " ")


def _word_pattern(word: str) -> re.Pattern[str]:
    """A whole-word, case-insensitive pattern for ``word`` and its plural."""
    body = re.escape(normalise(word)).replace("'", "['’]").replace(r"\ ", r"[ \u202f\u00a0]")
    flags = 0 if word.isupper() else re.IGNORECASE
    return re.compile(rf"(?<![\w-]){body}(?:es|e|s|x)?(?![\w-])", flags)


def _sort_key(word: str) -> str:
    import unicodedata

    decomposed = unicodedata.normalize("NFD", word.lower())
    return "".join(ch for ch in decomposed if not unicodedata.combining(ch))


def read_rows(
    path: Path, columns: tuple[str, ...], required: int | None = None
) -> list[tuple[str, ...]]:
    """The rows of a UTF-8 CSV file with a header naming ``columns``; [] if it is missing."""
    try:
        text = Path(path).read_text("utf-8-sig")
    except FileNotFoundError:
        return []
    return parse_rows(text, columns, path, required)


def parse_rows(
    text: str, columns: tuple[str, ...], path: Path | str = "<csv>", required: int | None = None
) -> list[tuple[str, ...]]:
    """Parse CSV ``text``; blank lines and lines starting with ``#`` are skipped.

    The first ``required`` columns (all by default) must not be empty.
    """
    required = len(columns) if required is None else required
    lines = ["" if ln.lstrip().startswith("#") else ln for ln in text.splitlines()]
    reader = csv.reader(io.StringIO("\n".join(lines)))
    rows: list[tuple[str, ...]] = []
    header: list[str] | None = None
    for row in reader:
        if not any(cell.strip() for cell in row):
            continue
        if header is None:
            header = [h.strip() for h in row]
            if tuple(header[: len(columns)]) != columns:
                raise LisibleError(
                    f"expected the columns {','.join(columns)}, found {','.join(header)}",
                    path,
                    reader.line_num,
                )
            continue
        values = tuple(cell.strip() for cell in row) + ("",) * (len(columns) - len(row))
        if not all(values[:required]) or len(row) > len(columns):
            raise LisibleError(
                f"expected {len(columns)} values ({','.join(columns)}), the "
                f"first {required} not empty; put a value holding a comma "
                "in double quotes",
                path,
                reader.line_num,
            )
        rows.append(values[: len(columns)])
    return rows


def glossary_from_rows(rows: Iterable[tuple[str, ...]]) -> Glossary:
    """A glossary from ``(word, explanation)`` rows."""
    return Glossary(tuple(Entry(word, explanation) for word, explanation in rows))


def abbreviations_from_rows(rows: Iterable[tuple[str, ...]]) -> tuple[Abbreviation, ...]:
    """Abbreviations from ``(abbreviation, expansion, kind)`` rows."""
    return tuple(
        Abbreviation(short, expansion, kind == "explain") for short, expansion, kind in rows
    )


def swaps_from_rows(rows: Iterable[tuple[str, ...]]) -> tuple[Swap, ...]:
    """Swaps from ``(from, to)`` rows, longest first so ``afin de`` wins over ``afin``."""
    swaps = (Swap(old, new) for old, new in rows)
    return tuple(sorted(swaps, key=lambda s: -len(s.old)))


def abbreviation_glossary(abbreviations: Iterable[Abbreviation]) -> Glossary:
    """The acronyms and names to explain, as glossary entries."""
    return Glossary(
        tuple(Entry(a.short, _sentence(a.expansion)) for a in abbreviations if a.explain)
    )


def _sentence(text: str) -> str:
    text = text.strip()
    text = text[:1].upper() + text[1:]
    return text if text.endswith((".", "!", "?")) else text + "."


GLOSSARY_INTRO = "Ici, vous trouvez l’explication des mots en gras."
GLOSSARY_PICTURE = "mots-difficiles"  # the concept of content/easyread-pictograms.csv


def glossary_section(text: str, glossary: Glossary, intro: str = "") -> str:
    """``## Les mots difficiles`` with the glossary words ``text`` uses; "" if none.

    Each word is a paragraph in bold (bold is the one emphasis easy-read
    allows), then each sentence of its explanation is a paragraph of its own,
    like the rest of an easy-read page (one sentence per line). ``intro`` is a
    first line under the heading (the picture of the section, when editors chose one).
    """
    entries = glossary.used_in(text)
    if not entries:
        return ""
    blocks = [GLOSSARY_HEADING, *([intro] if intro else [])]
    for entry in entries:
        blocks.append(f"**{entry.word}**")
        blocks += [french(s) for s in _split(_sentence(entry.explanation))]
    return "\n\n".join(blocks) + "\n"


EXPLAIN_SPAN = '<span class="lisible-explain">{}</span>'
_BOLD_WORD = re.compile(r"\*\*(?P<word>[^*\n]+?)\*\*")


def bold_words(text: str) -> list[str]:
    """The words a reviewer put in bold, in order: easy-read's mark for an explained word."""
    return [m["word"].strip() for m in _BOLD_WORD.finditer(text)]


def explain_first_uses(body: str, glossary: Glossary) -> str:
    """After the paragraph where a glossary word is first in bold, the first sentence of its
    explanation, as a paragraph of its own: hard words are explained where they appear.

    Only the first bold use is explained (later ones are left as they are); a
    bold word the glossary lacks gets nothing here (the catalogue check warns).
    Headings are skipped; the explanation is wrapped in
    ``<span class="lisible-explain">`` so the site and the PDF can set it
    beside the sentence, and reads as a plain paragraph anywhere else.
    """
    done: set[str] = set()
    blocks = []
    for block in body.split("\n\n"):
        blocks.append(block)
        if block.lstrip().startswith("#"):
            continue
        for word in bold_words(block):
            entry = glossary.entry_for(word)
            if entry is not None and entry.word not in done:
                done.add(entry.word)
                blocks.append(EXPLAIN_SPAN.format(french(first_sentence(entry.explanation))))
    return "\n\n".join(blocks)


def first_sentence(explanation: str) -> str:
    """The first sentence of an explanation: what is shown beside the word."""
    return _split(_sentence(explanation))[0]


def _split(text: str) -> list[str]:
    return [s for s in re.split(r"(?<=[.!?])\s+(?=[A-ZÀ-Ý«])", text) if s]
