"""Markup set aside behind placeholders while a program rewrites the words around it.

Two programs rewrite units that carry Markdown: the machine translator and
the easy-read drafter. Neither may touch a link target, a footnote call,
inline code or an emphasis marker, and neither must lose one. Both set the
markup aside here and put it back afterwards:

- :func:`protect` / :func:`restore`: numbered ``[n]`` placeholders, which
  translation models copy through; link and span labels stay translatable,
  and :func:`restore` reports any placeholder that did not come back exactly
  once (``MT-PLACEHOLDER``), so a translator sees it in the catalogue.
- :func:`mask` / :func:`unmask`: private-use markers for text that rules
  written in Python rewrite (the easy-read drafter's links); nothing there
  copies or reorders them, so no check is needed.

Pure functions of strings, no I/O.
"""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass

from lisible.provenance import Finding


@dataclass(frozen=True)
class Token:
    """One piece of markup hidden from the engine.

    ``glue`` says which side the markup sticks to, so spaces a model puts
    around a placeholder are dropped there: ``**`` opening emphasis sticks to
    the word after it ("right"), a footnote reference to the word before it
    ("left"). ``pair`` is the index of the matching opener or closer.
    """

    text: str
    glue: str = ""  # "left", "right" or ""
    pair: int | None = None


@dataclass(frozen=True)
class Protected:
    """A unit's text with its markup replaced by ``[n]`` placeholders."""

    source: str
    text: str
    tokens: tuple[Token, ...]
    hard_breaks: bool = False  # the source's line ends were ``\\`` hard breaks

    @property
    def has_words(self) -> bool:
        """False when nothing but markup, numbers and punctuation is left to translate."""
        return any(ch.isalpha() for ch in PLACEHOLDER_RE.sub("", self.text))


PLACEHOLDER_RE = re.compile(r"\[\s*(\d+)\s*\]")
_HARD_BREAK_RE = re.compile(r"\\\n")
_SENTINEL = 0xF0000  # private-use plane: where placeholders wait while spaces are fixed
_LINK_RE = re.compile(
    r"(?P<open>!?\[)(?P<label>(?:[^\[\]]|\[\^[^\]]*\])*)"
    r"(?P<close>\]\([^()\s]*(?:\s+\"[^\"]*\")?\)|\]\{[^{}]*\})"
)
_ATOMIC_RE = re.compile(
    r"(?P<footnote>\[\^[^\]\s]+\])"
    r"|(?P<code>(`+).+?\3)"
    r"|(?P<autolink><(?:https?://|mailto:)[^>\s]+>)"
    r"|(?P<url>https?://[^\s<>\"]*[^\s<>\".,;:!?»)\]])"
    r"|(?P<html></?[A-Za-z][^<>]*>)"
    r"|(?P<escape>\\[\\`*_{}\[\]()#+\-.!|~<>\"])"
    r"|(?P<placeholder>\[\s*\d+\s*\])"
    r"|(?P<emphasis>\*{1,3}|(?<![\w])_{1,3}|_{1,3}(?![\w]))"
    r"|(?P<number>\d+(?:[.,\u202f\u00a0]\d+)*)"
)


class _Builder:
    """Collects tokens while :func:`protect` walks the text."""

    def __init__(self) -> None:
        self.tokens: list[Token] = []
        self.open_emphasis: dict[str, int] = {}

    def add(self, text: str, glue: str = "") -> str:
        self.tokens.append(Token(text, glue))
        return f"[{len(self.tokens)}]"

    def pair(self, opener: int, closer: int) -> None:
        first, last = self.tokens[opener - 1], self.tokens[closer - 1]
        self.tokens[opener - 1] = Token(first.text, first.glue, closer)
        self.tokens[closer - 1] = Token(last.text, last.glue, opener)

    def finish(self) -> tuple[Token, ...]:
        """Unpaired emphasis markers (a lone ``*``) stick to neither side."""
        return tuple(Token(t.text) if t.pair is None and t.text.strip("*_") == "" else t
                     for t in self.tokens)


def _emphasis(builder: _Builder, marker: str, before: str, after: str) -> str:
    """A placeholder for an emphasis marker, paired with the previous one of its kind."""
    closes = before and not before.isspace() and (not after or not after.isalnum())
    if closes and marker in builder.open_emphasis:
        placeholder = builder.add(marker, "left")
        builder.pair(builder.open_emphasis.pop(marker), len(builder.tokens))
        return placeholder
    if not after or after.isspace():  # neither opens nor closes: a literal asterisk
        return builder.add(marker)
    placeholder = builder.add(marker, "right")
    builder.open_emphasis[marker] = len(builder.tokens)
    return placeholder


def _protect_atoms(builder: _Builder, text: str) -> str:
    def replace(match: re.Match[str]) -> str:
        kind = match.lastgroup
        if kind == "emphasis":
            start, end = match.span()
            return _emphasis(builder, match.group(), text[start - 1:start],
                             text[end:end + 1])
        start = match.start()
        sticks_left = kind == "footnote" and start > 0 and not text[start - 1].isspace()
        return builder.add(match.group(), "left" if sticks_left else "")

    return _ATOMIC_RE.sub(replace, text)


def protect(text: str) -> Protected:
    """Replace markup and numbers in ``text`` with numbered placeholders.

    Link and span labels stay translatable; their brackets and targets
    become an opener and a closer placeholder. Hard line breaks (``\\`` at
    the end of a line) are kept as plain line ends, which engines preserve,
    and put back by :func:`restore`.
    """
    source, text = text, _HARD_BREAK_RE.sub("\n", text)
    builder = _Builder()
    out: list[str] = []
    position = 0
    for match in _LINK_RE.finditer(text):
        out.append(_protect_atoms(builder, text[position:match.start()]))
        label_text = match.group("label")
        opener = builder.add(match.group("open"), "right" if label_text[:1].strip() else "")
        label = _protect_atoms(builder, label_text)
        closer = builder.add(match.group("close"), "left" if label_text[-1:].strip() else "")
        builder.pair(int(opener[1:-1]), int(closer[1:-1]))
        out.append(opener + label + closer)
        position = match.end()
    out.append(_protect_atoms(builder, text[position:]))
    return Protected(source, "".join(out), builder.finish(), source != text)


def _describe(tokens: Sequence[Token]) -> str:
    shown = [t.text if len(t.text) <= 30 else t.text[:27] + "…" for t in tokens]
    return ", ".join(shown)


def restore(output: str, protected: Protected) -> tuple[str, tuple[Finding, ...]]:
    """Put the markup back into an engine's ``output``; report what did not come back once."""
    tokens = protected.tokens
    seen: Counter[int] = Counter()
    first: dict[int, int] = {}

    def mark(match: re.Match[str]) -> str:
        index = int(match.group(1))
        if not 1 <= index <= len(tokens):
            return match.group()
        seen[index] += 1
        first.setdefault(index, match.start())
        return chr(_SENTINEL + index)

    text = PLACEHOLDER_RE.sub(mark, output) if tokens else output
    for index, token in enumerate(tokens, 1):
        sentinel = re.escape(chr(_SENTINEL + index))
        if token.glue == "left":
            text = re.sub(rf"\s+(?={sentinel})", "", text)
        elif token.glue == "right":
            text = re.sub(rf"(?<={sentinel})\s+", "", text)
    text = re.sub(f"[{chr(_SENTINEL + 1)}-{chr(_SENTINEL + max(len(tokens), 1))}]",
                  lambda m: tokens[ord(m.group()) - _SENTINEL - 1].text, text)
    if protected.hard_breaks:
        text = re.sub(r"[ \t]*\n[ \t]*", "\\\\\n", text)
    missing = [t for i, t in enumerate(tokens, 1) if seen[i] == 0]
    repeated = [t for i, t in enumerate(tokens, 1) if seen[i] > 1]
    swapped = [t for i, t in enumerate(tokens, 1)
               if t.pair and t.pair > i and i in first and t.pair in first
               and first[t.pair] < first[i]]
    problems = [f"{label}: {_describe(group)}" for label, group in
                (("missing", missing), ("repeated", repeated), ("out of order", swapped))
                if group]
    if not problems:
        return text, ()
    return text, (Finding("MT-PLACEHOLDER", "markup not restored, " + "; ".join(problems),
                          "error"),)


# --------------------------------------------------------------------------- masks

MASK = re.compile("\ue000(\\d+)\ue001")  # U+E000 n U+E001: private use, never in a text


def mask(text: str, pattern: re.Pattern[str]) -> tuple[str, tuple[str, ...]]:
    """``text`` with each match of ``pattern`` set aside as a marker; and what was set aside."""
    pieces: list[str] = []

    def set_aside(match: re.Match[str]) -> str:
        pieces.append(match.group(0))
        return f"\ue000{len(pieces) - 1}\ue001"

    return pattern.sub(set_aside, text), tuple(pieces)


def unmask(text: str, pieces: Sequence[str]) -> str:
    """Put back what :func:`mask` set aside."""
    return MASK.sub(lambda m: pieces[int(m.group(1))], text)


__all__ = ["MASK", "PLACEHOLDER_RE", "Protected", "Token", "mask", "protect", "restore",
           "unmask"]
