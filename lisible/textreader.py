"""Read plain text extracted from a PDF back into paragraphs, headings, lists and footnotes.

Text that comes out of a PDF has lost its structure: lines are wrapped at the
page width, paragraphs are separated by empty lines, by lines holding only
spaces, or not at all; some passages are double-spaced (an empty line after
every line, so there an empty line is *not* a paragraph break); footnotes sit
at the bottom of each page, in the middle of the flow; footnote numbers are
glued to the word they follow (``numérique 20221 [1],`` is "2022" then note 1);
URLs are broken across lines; page numbers and form feeds are left behind.

The reader works in three pure steps, each a function over values:

1. :func:`classify` labels each line: text, empty, spaces-only, or page artefact.
2. :func:`split_notes` lifts page-bottom footnotes out of the flow. A footnote
   is a line ``N text`` after a gap, numbered in sequence, whose number also
   appears glued in the body; its continuation lines follow without a gap and
   without indentation.
3. :func:`build_blocks` decides, between each pair of text lines, whether the
   gap is a line wrap or a paragraph break, from the signals PDF extraction
   leaves: spaces-only lines (always a break), several empty lines (a break),
   one empty line (a break, except inside double-spaced text where it follows a
   full-width line), no gap (a wrap, except after a short line that ends a
   sentence, or before an indented line), and a page break (a break only after a
   sentence end). Lines in capitals become headings; lines opening with a
   bullet or number become list items.

:func:`read_text` returns a :class:`TextDocument`; :func:`to_markdown` renders
it as Markdown with real footnotes ``[^N]``, autolinks and French typography.
Words are never changed, only the whitespace between them and the note markers.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, replace
from enum import Enum

from lisible import typography


class Kind(Enum):
    """What a line of extracted text is."""

    TEXT = "text"
    EMPTY = "empty"  # nothing at all
    SPACES = "spaces"  # only spaces or tabs: PDF extractors' paragraph separator
    ARTEFACT = "artefact"  # page number, form feed: dropped


@dataclass(frozen=True)
class Line:
    number: int  # 1-based line number in the source file
    text: str  # without trailing whitespace
    kind: Kind
    indented: bool = False  # starts with whitespace


@dataclass(frozen=True)
class Note:
    """A footnote found at a page bottom."""

    number: int
    text: str
    line: int


@dataclass(frozen=True)
class Block:
    """A paragraph, heading or list item, its lines already joined."""

    kind: str  # "paragraph", "heading", "item"
    text: str
    line: int  # source line where the block starts
    marker: str = ""  # list marker as written: "-", "1."


@dataclass(frozen=True)
class TextDocument:
    title: str | None
    blocks: tuple[Block, ...]
    notes: tuple[Note, ...]
    title_line: int | None = None


# "12", "- 3 -", "Page 2", "2/5", "3 sur 7": what a PDF leaves of page numbering.
_PAGE_ARTEFACT = re.compile(
    r"\s*(?:page\s+)?[-–]?\s*\d{1,3}\s*(?:(?:/|sur|of|van)\s*\d{1,3})?\s*[-–]?\s*", re.I
)
_NOTE_START = re.compile(r"^(\d{1,2})\s+(\S.*)$")
_BULLET = re.compile(r"^\s*(?:([-•–*▪◦])|(\d{1,2}[.)])|([a-z][.)]))\s+(\S.*)$")
_SENTENCE_END = re.compile(r"""[.!?…:»"”)]$""")
_URL_TAIL = re.compile(r"https?://\S*$")


def classify(text: str) -> tuple[Line, ...]:
    """Label each line of ``text``; form feeds split lines and count as artefacts."""
    lines = []
    raws = text.split("\n")
    for number, raw in enumerate(raws, start=1):
        stripped = raw.rstrip()
        if "\f" in raw:
            stripped = stripped.replace("\f", "")
            if not stripped.strip():
                lines.append(Line(number, "", Kind.ARTEFACT))
                continue
        if raw == "":
            kind = Kind.EMPTY
        elif not raw.strip():
            kind = Kind.SPACES
        elif _PAGE_ARTEFACT.fullmatch(stripped) and _at_page_edge(raws, number - 1):
            kind = Kind.ARTEFACT
        else:
            kind = Kind.TEXT
        lines.append(Line(number, stripped.strip() if kind is Kind.TEXT else "", kind,
                          indented=raw[:1].isspace()))
    return tuple(lines)


def _at_page_edge(raws: Sequence[str], index: int) -> bool:
    """A lone number is a page number at a page's edge: next to a blank, a form feed or the end.

    Between two lines of text it is data (a table as pdftotext gives it: one cell a line).
    """
    def edge(position: int) -> bool:
        return not 0 <= position < len(raws) or not raws[position].strip() or (
            "\f" in raws[position])

    return "\f" in raws[index] or edge(index - 1) or edge(index + 1)


def split_notes(lines: Sequence[Line]) -> tuple[tuple[Line, ...], tuple[Note, ...]]:
    """Separate page-bottom footnotes from the body; the body keeps a page-break marker."""
    body: list[Line] = []
    notes: list[Note] = []
    flow = _markers(" ".join(line.text for line in lines if line.kind is Kind.TEXT))
    index = 0
    while index < len(lines):
        line = lines[index]
        expected = len(notes) + 1
        if _starts_note(lines, index, expected, flow):
            note, index = _read_note(lines, index)
            notes.append(note)
            while index < len(lines) and _starts_note(lines, index, len(notes) + 1, flow, True):
                note, index = _read_note(lines, index)
                notes.append(note)
            body.append(Line(line.number, "", Kind.ARTEFACT))  # page break marker
            continue
        body.append(line)
        index += 1
    return tuple(body), tuple(notes)


def _starts_note(
    lines: Sequence[Line], index: int, expected: int, flow: frozenset[str],
    in_block: bool = False
) -> bool:
    line = lines[index]
    match = _NOTE_START.match(line.text) if line.kind is Kind.TEXT and not line.indented else None
    if not match or int(match.group(1)) != expected:
        return False
    if not in_block and (index == 0 or lines[index - 1].kind is Kind.TEXT):
        return False  # a footnote block follows a gap
    return str(expected) in flow


def _markers(flow: str) -> frozenset[str]:
    """The numbers referenced in the body as a note would be (glued or bracketed).

    Not after ``n°``/``no``/``nr`` (a number, not a marker); a year glued to a
    marker (``20221``) counts only with the bracketed copy PDFs leave (``[1]``).
    Collected in one pass: searching the body once for each note made a text
    with a hundred notes take seconds.
    """
    return frozenset(_BRACKETED.findall(flow)) | frozenset(_GLUED_RUN.findall(flow))


_GLUED_MARKER_BEFORE = r"(?<=[^\s\d°º])(?<!\bn[or])(?<!\bN[or])"
_BRACKETED = re.compile(r"\[(\d+)\]")
_GLUED_RUN = re.compile(rf"(?=\d){_GLUED_MARKER_BEFORE}(\d+)(?!\d)")  # digit first: 4x faster


def _read_note(lines: Sequence[Line], index: int) -> tuple[Note, int]:
    first = lines[index]
    match = _NOTE_START.match(first.text)
    assert match is not None
    parts = [match.group(2)]
    index += 1
    while index < len(lines):
        line = lines[index]
        if line.kind is not Kind.TEXT or line.indented or _NOTE_START.match(line.text):
            break
        parts.append(line.text)
        index += 1
    return Note(int(match.group(1)), _join_lines(parts), first.number), index


def _join_lines(parts: Sequence[str], vocab: frozenset[str] = frozenset()) -> str:
    """Join wrapped lines with a space, except inside a URL or a word broken at a hyphen.

    A word broken at a line-end hyphen loses the hyphen only when the document
    itself writes the whole word elsewhere, and never the hyphenated form
    (``de-`` ``puis`` -> ``depuis``); otherwise it is kept as printed.
    """
    text = ""
    for part in parts:
        if not text:
            text = part
        elif _glued(text, part):
            head = re.search(r"([^\W\d_]+)-$", text)
            tail = re.match(r"[^\W\d_]+", part)
            if head and tail and not _URL_TAIL.search(text) and (
                    (head.group(1) + tail.group(0)).casefold() in vocab
                    and f"{head.group(1)}-{tail.group(0)}".casefold() not in vocab):
                text = text[:-1]
            text += part
        else:
            text += " " + part
    return text


def vocabulary(lines: Sequence[Line]) -> frozenset[str]:
    """Words as the text writes them inside its lines (a line's last word may be cut)."""
    words: set[str] = set()
    for line in lines:
        if line.kind is Kind.TEXT:
            words.update(_WORD.findall(line.text)[:-1])
    return frozenset({word.casefold() for word in words})  # each distinct word once


_WORD = re.compile(r"[^\W\d_]+(?:-[^\W\d_]+)*")


def _glued(text: str, part: str) -> bool:
    """A URL cut after ``-``, ``/`` ... or a word cut after its hyphen goes on without a space."""
    in_url = _URL_TAIL.search(text) and text.endswith(("-", "/", ".", "_", "=", "?", "&"))
    in_word = text.endswith("-") and text[-2:-1].isalpha() and part[:1].islower()
    return bool(in_url or in_word)


def build_blocks(lines: Sequence[Line], vocab: frozenset[str] = frozenset()
                 ) -> tuple[Block, ...]:
    """Group body lines into blocks, deciding for each gap: wrap or break."""
    texts = [line for line in lines if line.kind is Kind.TEXT]
    if not texts:
        return ()
    width = _typical_width(texts)
    double = _is_double_spaced(lines, width)
    blocks: list[Block] = []
    current: list[Line] = []
    gap: list[Line] = []
    for line in lines:
        if line.kind is not Kind.TEXT:
            gap.append(line)
            continue
        if current and _is_break(current[-1], line, gap, width, double):
            blocks.append(_make_block(current, vocab))
            current = []
        current.append(line)
        gap = []
    blocks.append(_make_block(current, vocab))
    return tuple(blocks)


def _typical_width(texts: Sequence[Line]) -> int:
    lengths = sorted(len(line.text) for line in texts)
    return lengths[int(0.9 * (len(lengths) - 1))]


FULL_LINE = 0.8  # a line this close to the typical width was wrapped, not ended


def _is_full(line: Line, width: int) -> bool:
    return len(line.text) >= FULL_LINE * width


def _ends_sentence(line: Line) -> bool:
    return bool(_SENTENCE_END.search(line.text))


def _is_double_spaced(lines: Sequence[Line], width: int) -> bool:
    """Double spacing: most single empty lines follow full-width lines that end mid-sentence."""
    wraps = breaks = 0
    for previous, current, following in zip(lines, lines[1:], lines[2:], strict=False):
        if (previous.kind, current.kind, following.kind) != (Kind.TEXT, Kind.EMPTY, Kind.TEXT):
            continue
        if _is_full(previous, width) and not _ends_sentence(previous):
            wraps += 1
        else:
            breaks += 1
    return wraps >= 2 and wraps > breaks


def _is_break(previous: Line, line: Line, gap: Sequence[Line], width: int, double: bool) -> bool:
    """Is the gap between ``previous`` and ``line`` a paragraph break?"""
    if _heading_text(previous) or _heading_text(line) or _BULLET.match(line.text):
        return True
    kinds = [item.kind for item in gap]
    ends = _ends_sentence(previous)
    short = not _is_full(previous, width)
    if Kind.SPACES in kinds or kinds.count(Kind.EMPTY) >= 2:
        return True
    if Kind.ARTEFACT in kinds:  # a page break: a new paragraph only after a sentence end
        return ends and (line.indented or line.text[:1].isupper())
    if Kind.EMPTY in kinds:
        return not double or (ends and short)
    return ends and (short or line.indented)


def _heading_text(line: Line) -> bool:
    """A short line in capitals, not ending like a sentence: a heading.

    A lone short word in capitals ("CPAS", "ONEM") is an acronym, not a heading.
    """
    text = line.text
    if len(text) > 80 or text.endswith((".", ",")) or _ASCII_LOWER.search(text):
        return False
    letters = [c for c in text if c.isalpha()]
    return (len(letters) >= 4 and all(c.isupper() for c in letters)
            and (" " in text.strip() or len(letters) > 5))


_ASCII_LOWER = re.compile(r"[a-z]")  # a lowercase letter: not a heading, without counting


def _make_block(lines: Sequence[Line], vocab: frozenset[str] = frozenset()) -> Block:
    first = lines[0]
    parts = [line.text for line in lines]
    if _heading_text(first) and len(lines) == 1:
        return Block("heading", first.text, first.number)
    bullet = _BULLET.match(first.text)
    if bullet:
        marker = "-" if bullet.group(1) else (bullet.group(2) or bullet.group(3)).replace(")", ".")
        return Block("item", _join_lines([bullet.group(4), *parts[1:]], vocab), first.number,
                     marker)
    return Block("paragraph", _join_lines(parts, vocab), first.number)


def read_text(text: str) -> TextDocument:
    """Recover the structure of PDF-extracted ``text``: title, blocks, footnotes."""
    lines = classify(text.replace("\r\n", "\n").replace("\r", "\n"))
    body, notes = split_notes(lines)
    # The vocabulary only decides words cut at a line-end hyphen.
    cut = any(line.text.endswith("-") for line in lines if line.kind is Kind.TEXT)
    blocks = build_blocks(body, vocabulary(lines) if cut else frozenset())
    title, title_line = None, None
    if blocks and _looks_like_title(blocks[0], blocks[1:]):
        title, title_line, blocks = blocks[0].text, blocks[0].line, blocks[1:]
    headings = any(b.kind == "heading" for b in blocks)
    body_words = _word_set(b.text for b in blocks if b.kind != "heading") if headings else (
        frozenset())
    blocks = tuple(replace(b, text=_sentence_case(b.text, body_words)) if b.kind == "heading"
                   else b for b in blocks)
    return TextDocument(title, blocks, notes, title_line)


def _looks_like_title(first: Block, rest: Sequence[Block]) -> bool:
    return bool(rest) and len(first.text) <= 120 and not first.text.endswith((".", ","))


def _word_set(texts: Iterable[str]) -> frozenset[str]:
    """Every word of the body, once: looked up per heading word in constant time.

    (Searching the whole body for each heading word made 2 MB take two minutes.)
    """
    return frozenset(re.findall(r"\w+", "\n".join(texts)))


def _sentence_case(text: str, body_words: frozenset[str]) -> str:
    """A heading in capitals, in sentence case; acronyms found in the body stay in capitals."""
    words = text.split(" ")
    out = []
    for position, word in enumerate(words):
        inner = re.findall(r"\w+", word)
        if len(word) > 1 and inner and all(part in body_words for part in inner):
            out.append(word)
        elif position == 0:
            out.append(word[:1] + word[1:].lower())
        else:
            out.append(word.lower())
    return " ".join(out)


# ---------------------------------------------------------------- Markdown


_MD_SPECIAL = re.compile(r"([\\`*_\[\]<>#|~^$])")
_URL = re.compile(r"https?://[^\s<>«»\"]+[^\s<>«»\".,;:!?)\]]")


def inline_markdown(text: str, notes: set[int], placed: set[int], french: bool = True) -> str:
    """Markdown for one block's text: escapes, autolinks, note references, typography.

    ``placed`` collects the notes referenced so far, so each note is attached
    once, at its first glued occurrence.
    """
    text = _strip_bracket_artefacts(text, notes)
    pieces: list[str] = []
    position = 0
    for match in _URL.finditer(text):
        pieces.append(_plain(text[position:match.start()], notes, placed))
        pieces.append(f"<{match.group(0)}>")
        position = match.end()
    pieces.append(_plain(text[position:], notes, placed))
    return typography.french("".join(pieces)) if french else "".join(pieces)


def _strip_bracket_artefacts(text: str, notes: set[int]) -> str:
    """``2022 1 [1]`` or ``20221 [1]``: the bracketed copy of a note number is an artefact."""
    present = set(_BRACKETED.findall(text))
    for number in notes:  # only the notes whose "[N]" is there: a hundred notes stay linear
        if str(number) not in present:
            continue
        text = re.sub(rf"(\d{{4}}){number} \[{number}\]", rf"\g<1>{number}" + "\x00", text)
        text = re.sub(rf"\s?\[{number}\]", "", text)
        present = set(_BRACKETED.findall(text))  # a removal may join a new "[N]"
    return text


def _plain(text: str, notes: set[int], placed: set[int]) -> str:
    escaped = _MD_SPECIAL.sub(r"\\\1", text)

    def attach(match: re.Match[str]) -> str:
        number = int(match.group("n"))
        if number not in notes or number in placed:
            return match.group(0)
        placed.add(number)
        return f"{match.group('before')}[^{number}]"

    if "\x00" in escaped:
        escaped = re.sub(r"(?P<before>\d{4})(?P<n>\d{1,2})\x00", attach, escaped)
    if not notes <= placed:  # else every marker found is already attached
        escaped = _GLUED_NUMBER.sub(attach, escaped)
    return escaped.replace("\x00", "")


_GLUED_NUMBER = re.compile(
    rf"(?=\d)(?P<before>{_GLUED_MARKER_BEFORE})(?P<n>\d{{1,2}})(?=[\s,.;:!?)]|$)")


def to_markdown(doc: TextDocument, french: bool = True) -> str:
    """Render the document body (without front matter) as Markdown; French spacing if French.

    A note whose marker is found nowhere in the body stays as text at the end,
    with its number: lifting it would make pandoc drop it ("not used").
    """
    numbers = {note.number for note in doc.notes}
    placed: set[int] = set()
    out: list[str] = []  # joined once at the end: adding to a string is quadratic here
    previous = ""
    exact = _renumbered_items(doc.blocks)
    for block in doc.blocks:
        text = inline_markdown(block.text, numbers, placed, french)
        if block.kind == "heading":
            text = f"## {text}"
        elif block.kind == "item" and block.line in exact:
            text = block.marker.replace(".", "\\.") + f" {text}"
        elif block.kind == "item":
            text = f"{block.marker} {text}"
        separator = "\n" if previous == block.kind == "item" and block.line not in exact else (
            "\n\n")
        out += [separator, text] if out else [text]
        previous = block.kind
    for note in doc.notes:
        body = inline_markdown(note.text, set(), set(), french)
        out.append(f"\n\n[^{note.number}]: {body}" if note.number in placed else (
            f"\n\n{note.number} {body}"))
    return "".join(out) + "\n"


def _renumbered_items(blocks: Sequence[Block]) -> set[int]:
    """Items of numbered runs pandoc would renumber (``1. 3. 4.``): written as plain text.

    Returns their source lines. A run counting up by one from its first number
    is a list pandoc keeps as it is.
    """
    lines: set[int] = set()
    run: list[Block] = []
    for block in (*blocks, Block("paragraph", "", -1)):
        if block.kind == "item" and block.marker[:-1].isdigit():
            run.append(block)
            continue
        numbers = [int(item.marker[:-1]) for item in run]
        if numbers != list(range(numbers[0], numbers[0] + len(numbers))) if numbers else False:
            lines.update(item.line for item in run)
        run = []
    return lines
