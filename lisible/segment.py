"""The one walker: split canonical Markdown into translation units and put it back together.

Extraction and reassembly are the same walk, driven by a callback
``translate(unit) -> text``: :func:`extract` records the units it is shown,
:func:`walk` writes back what the callback returns. They can never disagree
about what a unit is.

Rules
-----
The walker reads canonical Markdown (pandoc's writer, ``--wrap=none``; see
:mod:`lisible.convert`) line by line, and never parses inline markup.

* **Front matter.** Between the opening ``---`` and the closing ``---``, the
  values of ``title``, ``subtitle``, ``kicker`` and ``description`` are units
  (kind = the key). Other keys (``lang``, ``sources`` ...) are not for readers
  and are kept as they are. A translated value is written as a JSON string.
* **One unit per block**: a heading (``heading``), a paragraph (``paragraph``),
  a list item (``item``), a paragraph of a block quote (``quote``), a table
  cell (``cell``), the body of a footnote (``footnote``; a footnote's later,
  indented paragraphs are ``footnote`` units too).
* **Inline markup stays in the unit as readable Markdown**: ``*emphasis*``,
  ``[text](url)``, ``<https://autolinks>``, footnote references ``[^1]``,
  ``\\`` escapes. Translators see and keep them; the catalogue checks verify it.
* **What is not a unit** and is copied as it is: block markers (``#``,
  ``-``, ``1.``, ``>``, ``[^1]:``, ``|``) and the indentation before a unit;
  heading attributes (``{#id}``); blank lines; code (fenced, or indented at
  the top level); fenced div and raw HTML lines; horizontal rules; table
  separator rows; link reference definitions.
* **Whitespace.** A unit never starts or ends with whitespace: it goes to the
  copied prefix and suffix. A block written over several lines (a hard line
  break ``\\``) is one unit whose text holds ``\\n``; on the way back each
  extra line gets the indentation its container needs, so a translation may
  have more or fewer lines than the source. A translation with an empty line
  inside a top-level paragraph becomes several paragraphs.

Identity: ``walk(markdown, lambda unit: unit.text) == markdown`` for every
string (tested with Hypothesis).
"""

from __future__ import annotations

import json
import re
from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass

import yaml

from lisible.document import TRANSLATED_KEYS


@dataclass(frozen=True)
class Unit:
    """One translation unit: what goes into a msgid."""

    text: str
    kind: str  # front-matter key, heading, paragraph, item, quote, cell or footnote
    line: int  # 1-based line in the Markdown where the unit starts


@dataclass(frozen=True)
class Slot:
    """Where a unit sits in the file, and how to write a translation back there."""

    unit: Unit
    raw: str  # the exact source characters the unit's text came from
    continuation: tuple[str, ...] = ()  # prefix of each extra line of a multi-line unit
    json_value: bool = False  # a front-matter value: written back as a JSON string
    indent: str | None = ""  # prefix of extra lines beyond the source's; None: one line only

    def render(self, text: str) -> str:
        """The characters to write for ``text`` (the source itself when text is unchanged)."""
        if text == self.unit.text:
            return self.raw
        if self.json_value:
            return json.dumps(text, ensure_ascii=False)
        if self.indent is None:
            return " ".join(text.split("\n"))
        lines = text.split("\n")
        out = [lines[0]]
        for index, line in enumerate(lines[1:]):
            prefix = self.continuation[index] if index < len(self.continuation) else self.indent
            out.append(prefix.rstrip() if not line else prefix + line)
        return "\n".join(out)


Token = str | Slot
Translate = Callable[[Unit], str]

_FENCE = re.compile(r"^\s*(`{3,}|~{3,})")
_HEADING = re.compile(r"^(#{1,6}[ \t]+)(.*?)((?:[ \t]+\{[^{}]*\}|[ \t]+#+)?[ \t]*)$")
_FOOTNOTE = re.compile(r"^(\[\^[^\]\s]+\]:[ \t]+)(.*)$")
_ITEM = re.compile(r"^([ \t]*(?:[-*+]|\d{1,9}[.)]|[a-zA-Z][.)]|#[.)])[ \t]+)(\S.*)$")
_QUOTE = re.compile(r"^((?:[ \t]*>[ \t]?)+)(.*)$")
_TABLE_ROW = re.compile(r"^[ \t]*\|.*\|[ \t]*$")
_TABLE_RULE = re.compile(r"^[ \t]*\|?[ \t]*:?-{2,}:?[ \t]*(\|[ \t]*:?-{2,}:?[ \t]*)*\|?[ \t]*$")
_RULE = re.compile(r"^[ \t]*(?:(?:\*[ \t]*){3,}|(?:-[ \t]*){3,}|(?:_[ \t]*){3,})$")
_DIV = re.compile(r"^[ \t]*:::")
_HTML = re.compile(r"^[ \t]*<(?:/?[A-Za-z][A-Za-z0-9-]*(?:[\s>/]|$)|!--)")
_LINK_DEF = re.compile(r"^[ \t]*\[[^\]^][^\]]*\]:[ \t]")
_INDENT = re.compile(r"^([ \t]+)(.*)$")
_EMPTY_MARKER = re.compile(r"^[ \t]*(?:#{1,6}|[-*+]|\d{1,9}[.)]|>)[ \t]*$")


def extract(markdown: str) -> list[Unit]:
    """The units of ``markdown``, in document order."""
    return [token.unit for token in parse(markdown) if isinstance(token, Slot)]


def walk(markdown: str, translate: Translate) -> str:
    """``markdown`` with every unit replaced by ``translate(unit)``."""
    return "".join(
        token if isinstance(token, str) else token.render(translate(token.unit))
        for token in parse(markdown)
    )


def parse(markdown: str) -> tuple[Token, ...]:
    """Cut ``markdown`` into copied text and unit slots; joined raw, they give it back."""
    lines = markdown.split("\n")
    tokens: list[Token] = []
    start = 0
    if lines[0] == "---":
        end = next((i for i in range(1, len(lines)) if lines[i] in ("---", "...")), None)
        if end is not None:
            tokens.extend(_front_matter(lines[: end + 1], last=end == len(lines) - 1))
            start = end + 1
    tokens.extend(_body(lines, start))
    return tuple(tokens)


def _front_matter(lines: Sequence[str], last: bool) -> Iterator[Token]:
    for number, line in enumerate(lines, start=1):
        newline = "" if last and number == len(lines) else "\n"
        key, sep, value = line.partition(":")
        text = _yaml_string(value) if sep and key in TRANSLATED_KEYS else None
        if text:
            yield line[: len(line) - len(value.lstrip())]
            yield Slot(Unit(text, key, number), value.strip(), json_value=True)
            yield value[len(value.rstrip()):] + newline
        else:
            yield line + newline


def _yaml_string(value: str) -> str | None:
    """The string a one-line YAML value means, if it is a non-empty string."""
    try:
        loaded = yaml.safe_load(value)
    except yaml.YAMLError:
        return None
    if not isinstance(loaded, str) or "\n" in loaded:
        return None
    return loaded.strip() or None


def _body(lines: Sequence[str], start: int) -> Iterator[Token]:
    """Tokens for the body lines; the file's last line gets no newline (``split`` kept it)."""
    index = start
    container = ""  # the open list item or footnote, whose indented paragraphs belong to it
    in_code = False  # inside an indented code block
    while index < len(lines):
        line = lines[index]
        previous = lines[index - 1] if index > start else ""
        newline = "\n" if index < len(lines) - 1 else ""
        if _FENCE.match(line):
            end = _fence_end(lines, index)
            yield "\n".join(lines[index:end + 1]) + ("\n" if end < len(lines) - 1 else "")
            index = end + 1
            continue
        indented = bool(_INDENT.match(line)) and bool(line.strip())
        if not indented and line.strip():
            container, in_code = "", False
        if indented and not container and (in_code or not previous.strip()) and _is_code(line):
            in_code = True
        block = None if in_code and (indented or not line.strip()) else _block_start(
            line, container if not previous.strip() else "")
        if block is None:
            yield line + newline
            index += 1
            continue
        kind, prefix, first = block
        container = kind if kind in ("item", "footnote") else container
        end = _block_end(lines, index, kind)
        yield from _unit_tokens(lines, index, end, kind, prefix, first)
        yield "\n" if end < len(lines) - 1 else ""
        index = end + 1


def _is_code(line: str) -> bool:
    match = _INDENT.match(line)
    return bool(match) and len(match.group(1).expandtabs(4)) >= 4


def _fence_end(lines: Sequence[str], index: int) -> int:
    fence = _FENCE.match(lines[index])
    assert fence is not None
    marker = fence.group(1)
    for end in range(index + 1, len(lines)):
        if lines[end].strip().startswith(marker[0] * len(marker)):
            return end
    return len(lines) - 1


def _block_start(line: str, container: str) -> tuple[str, str, str] | None:
    """(kind, prefix, text) when ``line`` opens a translatable block, else None.

    ``container`` is the open list item or footnote when ``line`` follows a
    blank line: an indented line then continues that container.
    """
    if not line.strip() or _RULE.match(line) or _DIV.match(line) or _HTML.match(line):
        return None
    if _LINK_DEF.match(line) or _EMPTY_MARKER.match(line):
        return None
    if _TABLE_RULE.match(line) and "|" in line:
        return None
    for kind, pattern in (("heading", _HEADING), ("footnote", _FOOTNOTE), ("item", _ITEM),
                          ("quote", _QUOTE)):
        match = pattern.match(line)
        if match:
            return (kind, match.group(1), match.group(2)) if match.group(2).strip() else None
    if _TABLE_ROW.match(line):
        return "row", "", line
    indent = _INDENT.match(line)
    if indent:
        kind = "footnote" if container == "footnote" else "paragraph"
        return kind, indent.group(1), indent.group(2)
    return "paragraph", "", line


def _block_end(lines: Sequence[str], index: int, kind: str) -> int:
    """Index of the last line of the block opened at ``index`` (continuation lines included)."""
    end = index
    while kind not in ("heading", "row") and end + 1 < len(lines):
        following = lines[end + 1]
        if not following.strip() or _FENCE.match(following):
            break
        opened = _block_start(following, "")
        wanted = "quote" if kind == "quote" else "paragraph"
        if opened is None or opened[0] != wanted:
            break
        end += 1
    return end


def _unit_tokens(
    lines: Sequence[str], index: int, end: int, kind: str, prefix: str, first: str
) -> Iterator[Token]:
    if kind == "row":
        yield from _row_tokens(lines[index], index + 1)
        return
    yield prefix
    contents = [first]
    continuation = []
    for line in lines[index + 1:end + 1]:
        match = _QUOTE.match(line) if kind == "quote" else _INDENT.match(line)
        head = match.group(1) if match else ""
        continuation.append(head)
        contents.append(line[len(head):])
    raw = "\n".join(
        [first] + [head + text for head, text in zip(continuation, contents[1:], strict=True)]
    )
    core = raw.rstrip()
    trailing = raw[len(core):]
    text = "\n".join(contents).rstrip()
    indent = _continuation_indent(kind, prefix)
    yield Slot(Unit(text, kind, index + 1), core, tuple(continuation), indent=indent) if (
        text) else core
    yield trailing


def _continuation_indent(kind: str, prefix: str) -> str | None:
    """How a line added by a translation continues the block (None: it cannot)."""
    if kind in ("heading", "cell"):
        return None
    if kind == "quote":
        return prefix
    if kind == "footnote" and prefix.lstrip().startswith("[^"):
        return " " * 4
    return " " * len(prefix) if kind == "item" else prefix


def _row_tokens(line: str, number: int) -> Iterator[Token]:
    """A pipe-table row: each non-empty cell is a unit; pipes and padding are copied."""
    cells = re.split(r"(?<!\\)(\|)", line)
    for cell in cells:
        text = cell.strip()
        if cell == "|" or not text:
            yield cell
            continue
        left = cell[: len(cell) - len(cell.lstrip())]
        yield left
        yield Slot(Unit(text, "cell", number), text, indent=None)
        yield cell[len(left) + len(text):]
