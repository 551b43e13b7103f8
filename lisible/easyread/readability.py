"""Readability measures for French, to compare a source with its easy-read version.

- **Kandel & Moles** (the French adaptation of Flesch):
  ``207 − 1.015 × words/sentence − 73.6 × syllables/word``; higher is easier.
  Syllables are counted with pyphen's French hyphenation patterns (every
  possible break, a break at each syllable), as textstat does for French.
- **LIX**: ``words/sentence + 100 × long words/words``, a long word having
  more than six letters; lower is easier.
- mean and maximum **words per sentence**;
- the share of **rare words**: words with a wordfreq Zipf frequency below 4
  in French (names, acronyms and figures left out);
- the number of **linter errors and warnings** (optional: it needs spaCy).

Words and sentences are counted exactly as the linter counts them
(:mod:`lisible.easyread.text`), so the numbers agree with its findings.
Scolarius is proprietary and is not reimplemented.
"""

from __future__ import annotations

import functools
import re
from dataclasses import asdict, dataclass
from typing import TYPE_CHECKING

from lisible.easyread import text as T

if TYPE_CHECKING:
    from lisible.stamps import Memo


@dataclass(frozen=True)
class Readability:
    """Readability of one text."""

    sentences: int
    words: int
    kandel_moles: float  # higher is easier: ~ 60-70 standard prose, > 80 easy
    lix: float  # lower is easier: < 30 very easy, > 50 hard
    mean_words: float  # per sentence
    max_words: int  # in the longest sentence
    rare_share: float  # share of words with Zipf < 4, 0..1
    errors: int | None = None  # linter errors, None if not linted
    warnings: int | None = None  # linter warnings

    def as_dict(self) -> dict[str, float | int | None]:
        """A JSON-able dict, numbers rounded for people."""
        return {k: round(v, 3) if isinstance(v, float) else v for k, v in asdict(self).items()}


LABELS = (
    ("sentences", "sentences"),
    ("words", "words"),
    ("kandel_moles", "Kandel–Moles (higher is easier)"),
    ("lix", "LIX (lower is easier)"),
    ("mean_words", "mean words per sentence"),
    ("max_words", "longest sentence (words)"),
    ("rare_share", "rare words (Zipf < 4)"),
    ("errors", "easy-read errors"),
    ("warnings", "easy-read warnings"),
)


def prose_sentences(markdown: str) -> list[str]:
    """The sentences of a text given as lines or paragraphs of inline Markdown."""
    sentences: list[str] = []
    for line in markdown.split("\n"):
        if line.lstrip().startswith("#"):
            continue  # a heading (easy-read question headings) is not a sentence
        sentences += T.split_sentences(T.plain(T.FOOTNOTE_REF.sub("", line)))
    return [s for s in sentences if T.words(s)]


def readability(text: str, lint_it: bool = True, glossary=None, memo: Memo | None = None,
                salt: str = "") -> Readability:
    """Measure ``text`` (prose, inline Markdown); ``lint_it`` adds linter counts.

    ``memo`` and ``salt``: the lines linted before, as :func:`~lisible.easyread.lint.lint_counts`
    keeps them, so a rebuild lints only the lines that changed."""
    sentences = prose_sentences(text)
    per_sentence = [T.words(s) for s in sentences]
    all_words = [w for ws in per_sentence for w in ws]
    n_sent, n_words = max(len(sentences), 1), max(len(all_words), 1)
    letters = [_letters(w) for w in all_words]
    syllables = sum(_syllables(w) for w in letters if w)
    long_words = sum(len(w) > 6 for w in letters)
    errors = warnings = None
    if lint_it:
        from lisible.easyread.lint import lint_counts

        tally = lint_counts(text, glossary, memo, salt)
        errors, warnings = tally["error"], tally["warning"]
    return Readability(
        sentences=len(sentences),
        words=len(all_words),
        kandel_moles=207 - 1.015 * n_words / n_sent - 73.6 * syllables / n_words,
        lix=n_words / n_sent + 100 * long_words / n_words,
        mean_words=len(all_words) / n_sent,
        max_words=max((len(ws) for ws in per_sentence), default=0),
        rare_share=_rare_share(per_sentence),
        errors=errors,
        warnings=warnings,
    )


def _letters(word: str) -> str:
    return re.sub(r"[^\w’'-]|\d|_", "", word).strip("’'-")


@functools.cache
def _hyphenator():
    import pyphen

    return pyphen.Pyphen(lang="fr_FR", left=1, right=1)


def _syllables(word: str) -> int:
    total = 0
    for part in re.split(r"[’'-]", word):
        if part:
            total += len(_hyphenator().positions(part.lower())) + 1
    return total


def _rare_share(per_sentence: list[list[str]]) -> float:
    from wordfreq import zipf_frequency

    checked = rare = 0
    for words in per_sentence:
        for index, raw in enumerate(words):
            word = _letters(raw)
            if not word or not word.replace("-", "").isalpha() or word.isupper():
                continue
            if index > 0 and word[0].isupper():
                continue  # a name
            checked += 1
            rare += zipf_frequency(word.lower(), "fr") < 4.0
    return rare / checked if checked else 0.0


def comparison(source: Readability, easy: Readability | None) -> dict[str, dict]:
    """Source and easy-read side by side, as a JSON-able dict."""
    return {"source": source.as_dict(), "easy_read": easy.as_dict() if easy else None}


def side_by_side(source: Readability, easy: Readability | None) -> str:
    """A small text table: one measure per line, source then easy-read."""
    rows = [("", "source", "easy-read")]
    for key, label in LABELS:
        rows.append(
            (label, _fmt(key, getattr(source, key)), _fmt(key, getattr(easy, key)) if easy else "—")
        )
    width = max(len(r[0]) for r in rows)
    return "\n".join(f"{a:<{width}}  {b:>9}  {c:>9}" for a, b, c in rows)


def _fmt(key: str, value: float | int | None) -> str:
    if value is None:
        return "—"
    if key == "rare_share":
        return f"{value:.0%}"
    return f"{value:.1f}" if isinstance(value, float) else str(value)
