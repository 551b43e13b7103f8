"""Read a PDF with its layout: headings, notes, furniture and paragraphs from the page itself.

Text alone (what :mod:`lisible.textreader` gets) hides what a reader sees at
once: a heading is bigger or bolder, a note sits at the page bottom in small
type, a running header repeats on every page, a paragraph starts with an
indent or after a gap. This module reads each character's position, size and
font with pdfminer.six and decides from that.

Why pdfminer.six: measured on our corpus (``benchmarks/pdf_corpus.py``, 33
pages, CPU time a page), poppler's ``pdftotext -bbox-layout`` takes 7 ms and
pypdf's ``extract_text`` 24 ms, pdfminer 68 ms; but pdftotext gives word
boxes without font name or size, so bold headings and raised note markers are
invisible to it, and pypdf gives text runs without glyph boxes. pdfminer
gives every character's box, size and font: fine for the few dozen pages of
a campaign text (the whole conversion, pandoc included, is 0.11 s a page).

What the page tells:

- **furniture**: a line that is the first or last of its page and repeats
  (digits aside) on other pages, or a bare page number there, is dropped;
- **notes**: small lines below the body's last line of their column, each
  opened by a raised number; numbering may restart on each page. A note is
  attached only where its raised marker (or a number glued to a word) is
  found on its page; otherwise it stays in the text, nothing is lost;
- **headings**: lines larger than the body, or wholly bold; levels by size;
- **paragraphs**: a first-line indent or a gap larger than the line pitch;
  across a page or column break, an indent or a short line ending a sentence;
- **columns** by the gutter, **tables** by lines sharing a baseline;
- **images** where they are drawn: after the block above them, as JPEG or
  PNG files (with no description: a PDF has none to give).

Words as written: ligatures (U+FB00–FB06) are expanded; a hyphen at a line
end is removed when the word goes on, kept when the document's own vocabulary
writes the word with a hyphen (or the next part has a capital); a soft hyphen
drawn mid-line is a printed hyphen; URLs are glued back only within a page,
and at a hyphen only when the URL has hyphens of its own.
"""

from __future__ import annotations

import itertools
import logging
import re
import statistics
import unicodedata
from collections import Counter
from collections.abc import Iterator, Sequence
from collections.abc import Set as AbstractSet
from dataclasses import dataclass, replace
from pathlib import Path
from typing import Any

from lisible import typography

SOFT = "\u00ad"
REF_OPEN, REF_CLOSE = "\x01", "\x02"  # a raised note marker inside a line's text
_REF = re.compile(f"{REF_OPEN}(?:(\\d+)@)?(\\d{{1,3}}){REF_CLOSE}")  # page@number
_BOLD = re.compile(r"bold|black|heavy|semibold|demi", re.I)
_PAGE_NUMBER = re.compile(
    r"(?:page|pagina|p\.)?\s*[-–—]?\s*(?:\d{1,4}|(?=[ivxlc])c{0,3}(?:x[cl]|l?x{0,3})(?:i[xv]|v?i{0,3}))"
    r"\s*(?:(?:/|sur|of|van)\s*\d{1,4})?\s*[-–—]?",
    re.I)
_SENTENCE_END = re.compile(r"""[.!?…:»"”)]$""")
BULLETS = ("•", "◦", "▪", "‣", "–", "—", "-")
_BULLET = re.compile(r"[•◦▪‣–—-]\s+(?=\S)")
_URL_TAIL = re.compile(r"(?:https?://|www\.)\S*$|\S+@\S+$")
_WORD = re.compile(r"[^\W\d_]+(?:-[^\W\d_]+)*")


@dataclass(frozen=True)
class PdfLine:
    """One line of one page, as drawn."""

    page: int
    x0: float
    x1: float
    top: float  # from the page top, in points
    size: float  # the size of most of its characters
    bold: bool
    text: str  # raised digits as REF_OPEN n REF_CLOSE
    column: int = 0


@dataclass(frozen=True)
class PdfImage:
    """A picture drawn on a page, as a file a browser and typst can show."""

    page: int
    bottom: float  # from the page top, in points
    name: str  # "page2-1.png"; "" when its encoding is not one lisible can write
    data: bytes


@dataclass(frozen=True)
class Page:
    number: int
    width: float
    height: float
    lines: tuple[PdfLine, ...]
    images: tuple[PdfImage, ...] = ()


@dataclass(frozen=True)
class PdfNote:
    page: int
    number: int  # as printed
    text: str


@dataclass(frozen=True)
class Item:
    """A block of the reading order: "heading", "paragraph", "item", "table", "note" or "image".

    An image's ``text`` is its file name, and ``data`` its bytes.
    """

    kind: str
    text: str = ""
    page: int = 0
    level: int = 2
    rows: tuple[tuple[str, ...], ...] = ()
    number: int = 0  # a note's number as printed
    size: float = 0.0  # a heading's type size
    data: bytes = b""


# ------------------------------------------------------------------ extraction


def extract(path: Path) -> tuple[Page, ...]:
    """Every page's lines, with sizes, weight and raised digits marked.

    pdfminer's own warnings (odd fonts, broken cross-reference tables it can
    repair) are silenced: a PDF it cannot read raises, and that is one line.
    """
    from pdfminer.high_level import extract_pages
    from pdfminer.layout import LAParams

    logging.getLogger("pdfminer").setLevel(logging.ERROR)

    # pdfminer's default grouping keeps a widely justified line whole; cells of a
    # table that pdfminer put on one line are cut apart again by _cells.
    params = LAParams()
    pages = []
    for number, layout in enumerate(extract_pages(str(path), laparams=params), start=1):
        lines = [line for raw in _raw_lines(layout) for line in _lines(number, layout.height, raw)]
        images = tuple(_image(number, layout.height, index, raw)
                       for index, raw in enumerate(_raw_images(layout), start=1))
        pages.append(Page(number, layout.width, layout.height, tuple(lines), images))
    return tuple(pages)


def _raw_images(node: object) -> Iterator[Any]:
    from pdfminer.layout import LTImage

    return _raw(node, LTImage)


def _image(page: int, height: float, index: int, raw: Any) -> PdfImage:
    """A drawn image as JPEG (as stored) or PNG (from 8-bit RGB or grey samples).

    Other encodings (JPEG 2000, JBIG2, CMYK, indexed colours) give no file:
    the reader says so in a warning rather than publish what browsers can't show.
    """
    from pdfminer.pdftypes import LITERALS_DCT_DECODE, LITERALS_FLATE_DECODE

    bottom = height - raw.y0
    try:
        filters = [name for name, _ in raw.stream.get_filters()]
        channels = _channels(raw.colorspace)
        if filters and filters[-1] in LITERALS_DCT_DECODE and channels and len(filters) == 1:
            return PdfImage(page, bottom, f"page{page}-{index}.jpg", raw.stream.get_rawdata())
        if channels and raw.bits == 8 and all(f in LITERALS_FLATE_DECODE for f in filters):
            width, rows = raw.srcsize
            return PdfImage(page, bottom, f"page{page}-{index}.png",
                            _png(raw.stream.get_data(), int(width), int(rows), channels))
    except Exception:  # a damaged image stream: left out with the others, with a warning
        pass
    return PdfImage(page, bottom, "", b"")


def _channels(colorspace: list[Any]) -> int:
    """3 for RGB, 1 for grey (named, or an ICC profile with that many); 0 for anything else."""
    from pdfminer.pdftypes import resolve1

    for space in colorspace:
        space = resolve1(space)
        if isinstance(space, list) and space and getattr(resolve1(space[0]), "name", "") == (
                "ICCBased"):
            count = resolve1(space[1]).get("N")
            return count if count in (1, 3) else 0
        name = getattr(space, "name", "")
        if name in ("DeviceRGB", "RGB", "CalRGB"):
            return 3
        if name in ("DeviceGray", "G", "CalGray"):
            return 1
    return 0


def _png(samples: bytes, width: int, height: int, channels: int) -> bytes:
    """8-bit samples as a PNG file (no imaging library needed)."""
    import struct
    import zlib

    stride = width * channels
    if len(samples) < stride * height:
        raise ValueError("image data is short")
    raw = b"".join(b"\x00" + samples[row * stride:(row + 1) * stride] for row in range(height))

    def chunk(kind: bytes, data: bytes) -> bytes:
        return (struct.pack(">I", len(data)) + kind + data
                + struct.pack(">I", zlib.crc32(kind + data) & 0xFFFFFFFF))

    header = struct.pack(">IIBBBBB", width, height, 8, 2 if channels == 3 else 0, 0, 0, 0)
    return (b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", header) + chunk(b"IDAT", zlib.compress(raw))
            + chunk(b"IEND", b""))


def _raw_lines(node: object) -> Iterator[object]:
    from pdfminer.layout import LTTextLineHorizontal

    return _raw(node, LTTextLineHorizontal)


def _raw(node: object, kind: type) -> Iterator[Any]:
    """Every ``kind`` inside pdfminer's layout tree, in reading order of the tree."""
    if isinstance(node, kind):
        yield node
    elif hasattr(node, "__iter__"):
        for child in node:  # type: ignore[attr-defined]
            yield from _raw(child, kind)


def _lines(page: int, height: float, raw: object) -> list[PdfLine]:
    """One pdfminer line as one line, or as table cells when its gaps say so."""
    from pdfminer.layout import LTChar

    items = list(raw)  # type: ignore[call-overload]
    chars = [c for c in items if isinstance(c, LTChar)]
    if not chars:
        return []
    sizes = Counter(round(c.size, 1) for c in chars)
    size = sizes.most_common(1)[0][0]
    main = [c for c in chars if round(c.size, 1) == size]
    baseline = statistics.median(c.y0 for c in main)
    top = height - raw.y1  # type: ignore[attr-defined]
    out = []
    for cell in _cells(items, size):
        line = _line(page, top, size, baseline, cell)
        if line is not None:
            out.append(line)
    return out


def _cells(items: list[Any], size: float) -> list[list[Any]]:
    """Cut a line where a gap is far wider than its other word gaps (a table row).

    Justification stretches every gap of a line alike, so a justified line is
    not cut; a gap over twice the line's narrow ones, and of 0.8 em or more,
    is a column boundary. A line cut by mistake is put back
    together by :func:`group_rows`, since its pieces line up with no other row.
    """
    from pdfminer.layout import LTChar

    gaps: list[tuple[float, int]] = []  # (width, index of the char after) at word spaces
    previous, spaced = None, False
    for index, item in enumerate(items):
        if not isinstance(item, LTChar) or item.get_text().isspace():
            spaced = True
            continue
        if previous is not None and spaced:
            gaps.append((item.x0 - previous.x1, index))
        previous, spaced = item, False
    if not gaps:
        return [items]
    widths = sorted(gap for gap, _ in gaps)
    usual = widths[(len(widths) - 1) // 4]  # the narrower gaps: spaces inside a cell
    floor = 2 * usual if len(gaps) > 1 else 0.0
    cuts = [j for gap, j in gaps if gap >= max(floor, 0.8 * size)]
    if not cuts:
        return [items]
    pieces, start = [], 0
    for cut in cuts:
        pieces.append(items[start:cut])
        start = cut
    pieces.append(items[start:])
    return pieces


def _line(page: int, top: float, size: float, baseline: float, items: list[Any]
          ) -> PdfLine | None:
    from pdfminer.layout import LTChar

    chars = [c for c in items if isinstance(c, LTChar)]
    if not chars:
        return None
    text = ""
    in_ref = False
    for item in items:
        piece = item.get_text()
        raised = (isinstance(item, LTChar) and piece.isdigit() and item.size < 0.85 * size
                  and item.y0 > baseline + 0.15 * size)
        if raised and not in_ref:
            text += f"{REF_OPEN}{page}@"
        elif not raised and in_ref:
            text += REF_CLOSE
        in_ref = raised
        text += _expand(piece)
    if in_ref:
        text += REF_CLOSE
    text = " ".join(text.replace("\n", " ").split())
    if not text:
        return None
    letters = [c for c in chars if round(c.size, 1) == size and c.get_text().isalpha()]
    bold = bool(letters) and all(_BOLD.search(c.fontname) for c in letters)
    return PdfLine(page, min(c.x0 for c in chars), max(c.x1 for c in chars), top, size, bold,
                   text)


def _expand(piece: str) -> str:
    """Ligature characters (U+FB00–FB06) as the letters they stand for."""
    return "".join(unicodedata.normalize("NFKC", c) if "\ufb00" <= c <= "\ufb06" else c
                   for c in piece)


# ------------------------------------------------------------------ furniture


def _key(text: str) -> str:
    return re.sub(r"\d+", "#", _REF.sub("", text)).casefold().strip()


def drop_furniture(pages: Sequence[Page]) -> tuple[Page, ...]:
    """Remove running headers, footers and page numbers: top or bottom lines that repeat."""
    edges = {page.number: _edge_lines(page) for page in pages}
    seen = Counter(key for lines in edges.values() for key in {_key(line.text) for line in lines})
    needed = max(2, round(0.4 * len(pages)))
    out = []
    for page in pages:
        furniture = {id(line) for line in edges[page.number]
                     if (seen[_key(line.text)] >= needed and re.search(r"[^\W\d_]", line.text))
                     or _PAGE_NUMBER.fullmatch(_REF.sub("", line.text))}
        out.append(replace(page, lines=tuple(ln for ln in page.lines if id(ln) not in furniture)))
    return tuple(out)


def _edge_lines(page: Page) -> list[PdfLine]:
    """The first and last lines of a page (two each way: a header may have two lines).

    A line opened by a raised number is a note ("Ibid." may repeat), never furniture.
    """
    ordered = sorted((ln for ln in page.lines if not ln.text.startswith(REF_OPEN)),
                     key=lambda line: line.top)
    return ordered[:2] + ordered[-2:] if len(ordered) > 4 else ordered


# ------------------------------------------------------------------ notes


def split_notes(page: Page, geometry: Geometry
                ) -> tuple[list[PdfLine], list[PdfNote], list[PdfLine]]:
    """Body lines, the notes at the page bottom, and text continuing a previous page's note."""
    body_size = geometry.body_size
    body_lines = [ln for ln in page.lines if ln.size > 0.9 * body_size]
    note_lines = [ln for ln in page.lines if ln.size <= 0.9 * body_size
                  and not any(_overlaps(ln, b) and b.top > ln.top for b in body_lines)
                  and _starts_region(ln, page.lines, body_size)]
    kept = [ln for ln in page.lines if ln not in note_lines]
    notes: list[PdfNote] = []
    carried: list[PdfLine] = []
    pending: int | None = None  # a marker set on a line of its own, above its note
    for line in sorted(note_lines, key=lambda ln: (ln.column, ln.top, ln.x0)):
        marker = re.match(rf"{REF_OPEN}\d+@(\d{{1,3}}){REF_CLOSE}\s*(.*)", line.text) or re.match(
            r"(\d{1,3})(?:[.)]?\s+|(?=[^\W\d_]))(\S.*)", line.text)
        if marker and not marker.group(2):
            pending = int(marker.group(1))
        elif marker or pending is not None:
            number, text = (int(marker.group(1)), marker.group(2)) if marker else (
                pending, line.text)
            notes.append(PdfNote(page.number, number or 0, text))
            pending = None
        elif notes:
            last = notes[-1]
            notes[-1] = replace(last, text=join_lines(
                last.text, line.text, geometry.vocab, geometry.soft_breaks, lang=geometry.lang))
        else:
            carried.append(line)
    return kept, notes, carried


def _overlaps(a: PdfLine, b: PdfLine) -> bool:
    return a.x0 < b.x1 and b.x0 < a.x1


def _starts_region(line: PdfLine, lines: Sequence[PdfLine], body_size: float) -> bool:
    """Small lines under the body; a lone small line in the text (a caption) is not a note."""
    return line.size <= 0.9 * body_size


# ------------------------------------------------------------------ columns, tables


def assign_columns(page: Page) -> Page:
    """Number each line's column: 0 for one column, 1 and 2 for left and right.

    Two columns when no line crosses the middle of the text area and both
    halves hold text (a page may end with a short right column).
    """
    if not page.lines:
        return page
    left = min(ln.x0 for ln in page.lines)
    right = max(ln.x1 for ln in page.lines)
    middle = (left + right) / 2
    wide = 0.3 * (right - left)
    crossing = [ln for ln in page.lines if ln.x0 < middle - 3 and ln.x1 > middle + 3]
    lefts = [ln for ln in page.lines if ln.x1 <= middle + 3 and ln.x1 - ln.x0 > wide]
    rights = [ln for ln in page.lines if ln.x0 >= middle - 3]
    if crossing or len(lefts) < 2 or not rights:
        return page
    lines = tuple(replace(ln, column=1 if ln.x1 <= middle + 3 else 2) for ln in page.lines)
    return replace(page, lines=lines)


def reading_order(lines: Sequence[PdfLine]) -> list[PdfLine]:
    """Full-width lines above the columns, then the left column, then the right one."""
    columns = [ln for ln in lines if ln.column]
    first = min((ln.top for ln in columns), default=float("inf"))
    above = [ln for ln in lines if not ln.column and ln.top < first]
    below = [ln for ln in lines if not ln.column and ln.top >= first]
    return (sorted(above, key=lambda ln: ln.top)
            + sorted(columns, key=lambda ln: (ln.column, ln.top, ln.x0))
            + sorted(below, key=lambda ln: ln.top))


def group_rows(lines: Sequence[PdfLine]) -> list[list[PdfLine]]:
    """Lines of one column that share a baseline, left to right.

    pdfminer cuts a widely justified line into pieces; a row whose pieces
    line up with no neighbouring row's is such a line and is put back together.
    """
    rows: list[list[PdfLine]] = []
    for line in lines:
        if rows and rows[-1][0].column == line.column and abs(
                rows[-1][0].top - line.top) < 0.3 * line.size:
            rows[-1].append(line)
            rows[-1].sort(key=lambda ln: ln.x0)
        else:
            rows.append([line])
    return [row if len(row) == 1 else [_merge(row)] if row[0].text in BULLETS
            else row if _aligned(row, rows, index) else _fit(row, rows, index)
            for index, row in enumerate(rows)]


def _fit(row: list[PdfLine], rows: list[list[PdfLine]], index: int) -> list[PdfLine]:
    """Pieces of a row put into the cells of a neighbouring table row, else one line."""
    for other in rows[max(index - 3, 0):index] + rows[index + 1:index + 4]:
        starts = [ln.x0 for ln in other]
        if len(other) < 2 or len(other) >= len(row) or not all(
                any(abs(piece.x0 - x) < 3 for piece in row) for x in starts):
            continue
        cells: list[list[PdfLine]] = [[] for _ in starts]
        for piece in row:
            cells[max(i for i, x in enumerate(starts) if x <= piece.x0 + 3)].append(piece)
        return [_merge(cell) for cell in cells]
    return [_merge(row)]


def _aligned(row: list[PdfLine], rows: list[list[PdfLine]], index: int) -> bool:
    def same(other: list[PdfLine]) -> bool:
        return len(other) == len(row) and all(
            abs(a.x0 - b.x0) < 3 for a, b in zip(row, other, strict=True))

    neighbours = rows[max(index - 3, 0):index] + rows[index + 1:index + 4]
    return any(same(other) for other in neighbours)


def _merge(row: list[PdfLine]) -> PdfLine:
    return replace(row[0], x1=max(ln.x1 for ln in row), text=" ".join(ln.text for ln in row))


# ------------------------------------------------------------------ words


def vocabulary(pages: Sequence[Page]) -> set[str]:
    """Words as the document writes them inside its lines (not at a line end)."""
    words: set[str] = set()
    for page in pages:
        for line in page.lines:
            tokens = _WORD.findall(line.text.replace(SOFT, "-"))
            words.update(t.casefold() for t in tokens[:-1])
    return words


def join_lines(text: str, following: str, vocab: AbstractSet[str], soft_breaks: bool,
               new_page: bool = False, lang: str | None = None) -> str:
    """Join a wrapped line to the next: unbreak words and URLs, otherwise one space.

    ``soft_breaks``: the document marks its line-end hyphenation with U+00AD, so
    a plain ``-`` at a line end is a hyphen the author typed. For a word cut
    at a hyphen, see :func:`keeps_hyphen`.
    """
    if not text:
        return following
    url = _URL_TAIL.search(text)
    if url and not new_page:
        return _join_url(text, following, url.group(0), soft_breaks)
    head = re.search(r"([^\W\d_]+)[-\u00ad]$", text)
    tail = re.match(r"[^\W\d_]+", following)
    if head and tail:
        # "toegang-tot-" + "rechten" or "toegang-" + "tot-rechten": a hyphenated
        # phrase, whose every hyphen was typed
        inside = text[:head.start()].endswith("-") or following[tail.end():].startswith("-")
        keep = inside or keeps_hyphen(head.group(1), tail.group(0), vocab, lang) or (
            text.endswith("-") and soft_breaks
            and (head.group(1) + tail.group(0)).casefold() not in vocab)
        return text[:-1] + ("-" if keep else "") + following
    if text.endswith(SOFT):
        return text[:-1] + following
    return f"{text} {following}"


def keeps_hyphen(head: str, tail: str, vocab: AbstractSet[str], lang: str | None) -> bool:
    """Is ``head-`` + ``tail`` at a line end a compound (keep the hyphen) or a cut word?

    First the document's own vocabulary (the word written whole, or with its
    hyphen, elsewhere), then a capital (``Bruxelles-Capitale``), a one-letter
    head (``e-mail``), then wordfreq for the language: a known whole word
    (``depuis``, ``analyse``) is joined; two known words that make no known
    word together (``non-recours``) keep their hyphen, except in languages
    that write compounds whole (Dutch ``armoederapport``), where only a vowel
    clash (``zee-eend``) or a prefix such as ``niet-`` keeps it.
    """
    whole, compound = (head + tail).casefold(), f"{head}-{tail}".casefold()
    if whole in vocab and compound not in vocab:
        return False
    if compound in vocab or tail[0].isupper() or len(head) == 1:
        return True
    if not lang:
        return False
    from wordfreq import zipf_frequency

    code = lang.split("-")[0].split("_")[0].casefold()
    if zipf_frequency(whole, code) >= 2.0:
        return False
    if code in CLOSED_COMPOUNDS:  # "armoede" + "rapport" is one word; a hyphen marks a clash
        return (head[-1] in "aeiouy" and tail[0] in "aeiouy") or head.casefold() in (
            "niet", "ex", "oud", "vice", "non")
    return zipf_frequency(head, code) >= 3.0 and zipf_frequency(tail, code) >= 3.0


# Languages that write compounds as one word.
CLOSED_COMPOUNDS = ("nl", "de", "af", "da", "sv", "no", "nb", "fy")


def _join_url(text: str, following: str, url: str, soft_breaks: bool) -> str:
    """A URL or e-mail address cut at a line end goes on without a space.

    At a hyphen it goes on (hyphen kept: typesetters do not hyphenate
    addresses) only when the hyphen is surely the address's own: the
    document marks its word breaks with U+00AD, the address has hyphens
    elsewhere, or what follows is plainly more address (a dot, a slash).
    Otherwise the two parts stay apart, as printed: never a guessed address.
    """
    if not following or following[0].isupper() or not re.match(r"[\w/.#?=&%~-]", following):
        return f"{text} {following}"
    if text.endswith((SOFT, "-")):
        rest = following.split()[0].rstrip(".,;:!?)")
        if soft_breaks or "-" in url[:-1] or re.search(r"[-./]", rest):
            return text[:-1] + "-" + following
        return f"{text[:-1]}- {following}"
    if text.endswith(("/", ".", "_", "=", "?", "&", "#", "@")) or following.startswith("/"):
        return text + following
    return f"{text} {following}"


def clean_words(text: str) -> str:
    """A soft hyphen drawn inside a line is a printed hyphen; one before a space is noise."""
    text = re.sub(f"{SOFT}\\s+", "", text)
    return re.sub(f"(?<=\\w){SOFT}(?=\\w)", "-", text).replace(SOFT, "")


# ------------------------------------------------------------------ blocks


@dataclass(frozen=True)
class Geometry:
    body_size: float
    pitch: float
    soft_breaks: bool
    vocab: frozenset[str]
    lang: str | None = None


def measure(pages: Sequence[Page]) -> Geometry:
    """Body type size, line pitch, how words are broken, the document's vocabulary.

    The body size is the most used size above the page's bottom quarter, where
    notes sit: on a short page, long notes must not pass for the body.
    """
    sizes: Counter[float] = Counter()
    lower: Counter[float] = Counter()
    for page in pages:
        for line in page.lines:
            (sizes if line.top < 0.75 * page.height else lower)[line.size] += len(line.text)
    sizes = sizes or lower
    body_size = sizes.most_common(1)[0][0] if sizes else 10.0
    gaps = []
    for page in pages:
        body = sorted((ln for ln in page.lines if ln.size == body_size),
                      key=lambda ln: (ln.column, ln.top))
        gaps += [b.top - a.top for a, b in itertools.pairwise(body)
                 if a.column == b.column and 0.5 * body_size < b.top - a.top < 2 * body_size]
    pitch = statistics.median(gaps) if gaps else 1.2 * body_size
    soft = any(ln.text.endswith(SOFT) for page in pages for ln in page.lines)
    return Geometry(body_size, pitch, soft, frozenset(vocabulary(pages)))


def is_heading(line: PdfLine, geometry: Geometry) -> bool:
    if len(line.text) > 160 or line.text.endswith((",", ";")):
        return False
    return line.size >= 1.15 * geometry.body_size or (
        line.bold and line.size >= 0.95 * geometry.body_size)


def title_of(items: Sequence[Item]) -> tuple[str | None, tuple[Item, ...]]:
    """The first block, if a heading on page 1 set larger than every other heading: a title."""
    headings = [item for item in items if item.kind == "heading"]
    first = items[0] if items else None
    if first is None or first.kind != "heading" or first.page != 1 or REF_OPEN in first.text:
        return None, tuple(items)
    if all(first.size > other.size + 0.5 for other in headings[1:]):
        return first.text, tuple(items[1:])
    return None, tuple(items)


def read_pdf(path: Path, lang: str | None = None) -> tuple[Item, ...]:
    """The document as items in reading order; notes come back as ``note`` items.

    ``lang`` (``fr-BE``, ``nl``) chooses the word list that decides line-end hyphens.
    """
    pages = drop_furniture(extract(path))
    pages = tuple(assign_columns(page) for page in pages)
    geometry = replace(measure(pages), lang=lang)
    items: list[Item] = []
    notes: list[PdfNote] = []
    state = _State()
    for page in pages:
        body, page_notes, carried = split_notes(page, geometry)
        if carried and notes:  # a note going on from the previous page
            text = " ".join(line.text for line in carried)
            notes[-1] = replace(notes[-1], text=join_lines(
                notes[-1].text, text, geometry.vocab, geometry.soft_breaks, True, geometry.lang))
        elif carried:  # small print with no note before it: text, not lost
            body = [*body, *carried]
        notes += page_notes
        body = _mark_glued_refs(body, page_notes, page.number)
        _read_page(reading_order(body), page, geometry, items, state)
    state.flush(items)
    return tuple(items) + tuple(Item("note", n.text, n.page, number=n.number) for n in notes)


def _mark_glued_refs(lines: list[PdfLine], notes: Sequence[PdfNote], page: int
                     ) -> list[PdfLine]:
    """Markers printed at body size (typographic superscripts): a number glued to a word.

    Only for a note of this page whose raised marker was not found, and only
    its first glued occurrence; "n°1" and numbers (years, "19001") are not glued.
    """
    raised = {int(m.group(2)) for line in lines for m in _REF.finditer(line.text)}
    out = list(lines)
    for note in notes:
        if note.number in raised:
            continue
        glued = re.compile(rf"(?<=[^\W\d_]|[»”)]){note.number}(?![\d])")
        for index, line in enumerate(out):
            text = line.text
            match = glued.search(_REF.sub(lambda m: " " * len(m.group(0)), text))
            if match:
                marked = f"{text[:match.start()]}{REF_OPEN}{page}@{note.number}{REF_CLOSE}"
                out[index] = replace(line, text=marked + text[match.end():])
                break
    return out


class _State:
    """The paragraph being read, across lines, columns and pages."""

    def __init__(self) -> None:
        self.kind = ""
        self.text = ""
        self.page = 0
        self.last: PdfLine | None = None
        self.level = 2
        self.item_left = 0.0  # where an item's text starts: its wrapped lines align there
        self.column_right: dict[tuple[int, int], float] = {}
        self.images: list[PdfImage] = []  # drawn above the line read: shown after its block

    def flush(self, items: list[Item]) -> None:
        if self.text:
            size = self.last.size if self.last else 0.0
            items.append(Item(self.kind, clean_words(self.text), self.page, self.level,
                              size=size))
        items.extend(Item("image", image.name, image.page, data=image.data)
                     for image in self.images)
        self.kind, self.text, self.images = "", "", []


def _read_page(lines: list[PdfLine], page: Page, geometry: Geometry, items: list[Item],
               state: _State) -> None:
    columns: dict[int, tuple[float, float]] = {}
    for column in {ln.column for ln in lines}:
        inside = [ln for ln in lines if ln.column == column and not is_heading(ln, geometry)]
        if inside:
            starts = Counter(round(ln.x0) for ln in inside)
            columns[column] = (starts.most_common(1)[0][0], max(ln.x1 for ln in inside))
    rows = group_rows(lines)
    waiting = sorted(page.images, key=lambda image: image.bottom)
    index = 0
    while index < len(rows):
        row = rows[index]
        while waiting and waiting[0].bottom <= min(line.top for line in row) + 1:
            state.images.append(waiting.pop(0))
        if len(row) >= 2:
            table, index = _read_table(rows, index)
            if table:
                state.flush(items)
                items.append(Item("table", page=page.number, rows=table))
                state.last = None
                continue
            row = [ln for ln in rows[index]]
            index += 1
            for line in row:
                _add_line(line, columns, geometry, items, state)
            continue
        _add_line(row[0], columns, geometry, items, state)
        index += 1
    state.images += waiting  # below the page's last line


def _read_table(rows: list[list[PdfLine]], index: int
                ) -> tuple[tuple[tuple[str, ...], ...], int]:
    """Consecutive rows of two or more cells; a cell's wrapped line joins its cell."""
    table: list[list[str]] = []
    starts: list[float] = []
    position = index
    while position < len(rows):
        row = rows[position]
        if len(row) >= 2 and (not table or len(row) == len(table[0])):
            table.append([ln.text for ln in row])
            starts = [ln.x0 for ln in row]
            position += 1
        elif (table and len(row) == 1 and any(abs(row[0].x0 - x) < 2 for x in starts[1:])) or (
                table and len(row) == 1 and len(row[0].text) < 20
                and abs(row[0].x0 - starts[0]) < 2 and position + 1 < len(rows)
                and len(rows[position + 1]) >= 2):
            cell = min(range(len(starts)), key=lambda i: abs(starts[i] - row[0].x0))
            table[-1][cell] = clean_words(join_lines(table[-1][cell], row[0].text, set(), True))
            position += 1
        else:
            break
    if len(table) < 2:
        return (), index
    cells = tuple(tuple(" ".join(_REF.sub(r"\2", c).split()) for c in row) for row in table)
    return cells, position


def _add_line(line: PdfLine, columns: dict[int, tuple[float, float]], geometry: Geometry,
              items: list[Item], state: _State) -> None:
    heading = is_heading(line, geometry)
    left, right = columns.get(line.column, (line.x0, line.x1))
    previous = state.last
    if heading:
        depth = re.match(r"(\d+(?:\.\d+)*)\.?\s", line.text)
        level = min(2 + depth.group(1).count("."), 6) if depth else 2
        joinable = (state.kind == "heading" and previous is not None
                    and previous.page == line.page and previous.size == line.size
                    and line.top - previous.top < 2.2 * line.size)
        if not joinable:
            state.flush(items)
            state.kind, state.page = "heading", line.page
            state.level = level
        state.text = join_lines(state.text, line.text, geometry.vocab, geometry.soft_breaks,
                                lang=geometry.lang)
        state.last = line
        return
    bullet = _BULLET.match(line.text)
    if bullet and line.text[0] in "–—-" and previous is not None and state.kind != "item" and (
            not re.search(r"[.:;!?]$", previous.text)):
        bullet = None  # a dash inside a sentence that happens to open a line
    if bullet:
        state.flush(items)
        state.kind, state.page = "item", line.page
        state.item_left = line.x0 + (line.x1 - line.x0) * len(bullet.group(0)) / len(line.text)
        line = replace(line, text=line.text[bullet.end():])
    elif state.kind == "item" and previous is not None and previous.page == line.page and (
            line.x0 > left + 0.5 * geometry.body_size
            and line.top - previous.top <= geometry.pitch + 0.25 * geometry.body_size):
        pass  # a wrapped line of the item, aligned on its text
    elif state.kind != "paragraph" or previous is None or _starts_paragraph(
            previous, line, left, right, geometry, state):
        state.flush(items)
        state.kind, state.page = "paragraph", line.page
    new_page = previous is not None and previous.page != line.page
    state.text = join_lines(state.text, line.text, geometry.vocab, geometry.soft_breaks,
                            new_page, geometry.lang)
    state.column_right[(line.page, line.column)] = right
    state.last = line


def _starts_paragraph(previous: PdfLine, line: PdfLine, left: float, right: float,
                      geometry: Geometry, state: _State) -> bool:
    size = geometry.body_size
    indented = 0.5 * size < line.x0 - left < 6 * size
    if indented:
        return True
    same_column = previous.page == line.page and previous.column == line.column
    if same_column:
        return line.top - previous.top > geometry.pitch + 0.25 * size
    previous_right = state.column_right.get((previous.page, previous.column), previous.x1)
    short = previous.x1 < previous_right - 1.5 * size
    return short and bool(_SENTENCE_END.search(previous.text))


# ------------------------------------------------------------------ Markdown


_MD_SPECIAL = re.compile(r"([\\`*_\[\]<>#|~^$])")
_URL = re.compile(r"https?://[^\s<>«»\"]+[^\s<>«»\".,;:!?)\]]")


def to_markdown(items: Sequence[Item], french: bool) -> str:
    """Markdown body: headings, paragraphs, pipe tables, notes attached where marked."""
    notes = [replace(item, text=clean_words(item.text)) for item in items if item.kind == "note"]
    by_page: dict[tuple[int, int], int] = {}
    for index, note in enumerate(notes, start=1):
        by_page.setdefault((note.page, note.number), index)
    placed: dict[int, int] = {}  # global note -> footnote label
    blocks: list[str] = []
    for item in items:
        if item.kind == "note":
            continue
        if item.kind == "table":
            blocks.append(_pipe_table(item.rows, french))
            continue
        if item.kind == "image":  # decorative until someone describes it: empty alt text
            blocks.append(f"![]({item.text})")
            continue
        text = _inline(item.text, item.page, by_page, placed, french)
        if item.kind == "heading":
            blocks.append("#" * item.level + " " + text)
        elif item.kind == "item":
            blocks.append("- " + text)
        else:
            blocks.append(re.sub(r"^(\d+)([.)])(\s)", r"\1\\\2\3", text))
    for index, note in enumerate(notes, start=1):
        if index not in placed:  # no marker found: the note stays as text, after the body
            blocks.append(f"{note.number} " + _inline(note.text, 0, {}, {}, french))
    for index, label in sorted(placed.items(), key=lambda pair: pair[1]):
        blocks.append(f"[^{label}]: " + _inline(notes[index - 1].text, 0, {}, {}, french))
    return "\n\n".join(blocks) + "\n"


def _inline(text: str, page: int, by_page: dict[tuple[int, int], int], placed: dict[int, int],
            french: bool) -> str:
    pieces: list[str] = []
    position = 0
    for match in _URL.finditer(text):
        pieces.append(_escape(text[position:match.start()], page, by_page, placed))
        pieces.append(f"<{match.group(0)}>")
        position = match.end()
    pieces.append(_escape(text[position:], page, by_page, placed))
    out = "".join(pieces)
    return typography.french(out) if french else out


def _escape(text: str, page: int, by_page: dict[tuple[int, int], int],
            placed: dict[int, int]) -> str:
    escaped = _MD_SPECIAL.sub(r"\\\1", text)

    def attach(match: re.Match[str]) -> str:
        number = int(match.group(2))
        page = int(match.group(1) or 0)
        index = by_page.get((page, number)) or by_page.get((page + 1, number))
        if index is None or index in placed:
            return match.group(2)  # no note of that number here: the digits stay
        placed[index] = len(placed) + 1
        return f"[^{placed[index]}]"

    return _REF.sub(attach, escaped)


def _pipe_table(rows: Sequence[Sequence[str]], french: bool) -> str:
    def cell(text: str) -> str:
        out = _MD_SPECIAL.sub(r"\\\1", text)
        return typography.french(out) if french else out

    lines = ["| " + " | ".join(cell(c) for c in rows[0]) + " |",
             "|" + "|".join("---" for _ in rows[0]) + "|"]
    lines += ["| " + " | ".join(cell(c) for c in row) + " |" for row in rows[1:]]
    return "\n".join(lines)


def pdf_language(path: Path) -> str | None:
    """The language the PDF declares (``/Lang`` in its catalogue), if any."""
    from pdfminer.pdfdocument import PDFDocument
    from pdfminer.pdfparser import PDFParser
    from pdfminer.pdftypes import resolve1

    with path.open("rb") as handle:
        lang = resolve1(PDFDocument(PDFParser(handle)).catalog.get("Lang"))
    if isinstance(lang, bytes):
        lang = lang.decode("utf-8", "replace")
    return lang if isinstance(lang, str) and lang else None
