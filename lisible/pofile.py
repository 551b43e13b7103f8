"""Write gettext catalogues exactly as GNU ``msgcat`` lays them out.

Translators open the catalogues in Poedit, Weblate, Lokalize or an editor and
save them back; those tools and GNU gettext write the same layout, so if
lisible writes it too, a translator's save shows only the lines they changed.
Babel's writer differs (another wrapping, and it garbles long ``#|`` previous
msgids), so this module writes the files and Babel only reads them.

The layout (gettext's ``write-po.c``): comments in the order translator
``#``, extracted ``#.``, references ``#:``, flags ``#,``, previous ``#|``;
strings wrapped at 79 columns at Unicode line-break opportunities (UAX #14),
with an empty first line whenever a string wraps or holds a ``\\n``; a new
line after each ``\\n``; obsolete entries last, prefixed ``#~``.

Reading goes through Babel's parser, extended to keep ``#|`` previous msgids
(Babel drops them), to reject unterminated strings and duplicate entries, and
to return the header fields as written (Babel keeps only those it knows, and
a translator's tool may add its own).

Line-break opportunities come from GNU libunistring, the library msgcat
itself uses, through ctypes. Where it is missing (not on Debian, where gettext
and many base packages depend on it), breaks fall after spaces only, which
matches msgcat for ordinary prose.
"""

from __future__ import annotations

import codecs
import ctypes
import ctypes.util
import functools
import re
from collections.abc import Iterable, Iterator, Sequence

from babel.messages.catalog import Catalog, Message
from babel.messages.pofile import PoFileError, PoFileParser, unescape

PAGE_WIDTH = 79
_PROHIBITED, _POSSIBLE = 1, 2
_ESCAPES = {"\\": "\\\\", '"': '\\"', "\n": "\\n", "\t": "\\t", "\r": "\\r", "\a": "\\a",
            "\b": "\\b", "\f": "\\f", "\v": "\\v"}


@functools.cache
def _libunistring() -> ctypes.CDLL | None:
    name = ctypes.util.find_library("unistring") or "libunistring.so.2"
    try:
        lib = ctypes.CDLL(name)
    except OSError:
        return None
    lib.ulc_width_linebreaks.argtypes = [ctypes.c_char_p, ctypes.c_size_t, ctypes.c_int,
                                         ctypes.c_int, ctypes.c_int, ctypes.c_char_p,
                                         ctypes.c_char_p, ctypes.c_char_p]
    return lib


def _escape(portion: str) -> tuple[bytes, bytes]:
    """The escaped UTF-8 bytes of ``portion`` and msgcat's break overrides for them."""
    data = bytearray()
    overrides = bytearray()
    for char in portion:
        encoded = _ESCAPES.get(char, char).encode("utf-8")
        data += encoded
        overrides += bytes([0]) + bytes([_PROHIBITED]) * (len(encoded) - 1)
    return bytes(data), bytes(overrides)


def _breaks(data: bytes, overrides: bytes, width: int, start: int) -> bytes:
    """Per byte: may a line start here? Same answer as msgcat's libunistring call."""
    lib = _libunistring()
    if lib is not None and data:
        out = ctypes.create_string_buffer(len(data))
        lib.ulc_width_linebreaks(data, len(data), width, start, 0, overrides, b"UTF-8", out)
        return out.raw
    return _space_breaks(data, width, start)


def _space_breaks(data: bytes, width: int, start: int) -> bytes:
    """Fallback: greedy breaks after spaces, one column per character."""
    text = data.decode("utf-8")
    offsets = [0]
    for char in text:
        offsets.append(offsets[-1] + len(char.encode("utf-8")))
    out = bytearray(len(data))
    column, candidate = start, None
    for index, char in enumerate(text):
        if index and text[index - 1] == " " and char != " ":
            candidate = index
        column += 1
        if column > width and candidate is not None:
            out[offsets[candidate]] = _POSSIBLE
            column, candidate = index - candidate + 1, None
    return bytes(out)


def format_string(name: str, value: str, prefix: str = "", width: int = PAGE_WIDTH) -> list[str]:
    """The lines of ``name "value"`` (e.g. ``msgid``), wrapped as msgcat wraps them."""
    portions = _portions(value)
    after_break = len(prefix) + 1
    line_width = width - 1 - after_break
    lines: list[str] = []
    first = True
    for index, portion in enumerate(portions):
        data, overrides = _escape(portion)
        if portion.endswith("\n") and len(overrides) >= 2:
            overrides = overrides[:-2] + bytes([_PROHIBITED]) + overrides[-1:]
        more = index < len(portions) - 1
        start = len(prefix) + (len(name) + 1 if first else 0) + 1 - after_break
        breaks = _breaks(data, overrides, line_width, start)
        if first and data and (more or start > line_width or _POSSIBLE in breaks):
            lines.append(f'{prefix}{name} ""')
            first = False
            start = len(prefix) + 1 - after_break
            breaks = _breaks(data, overrides, line_width, start)
        head = f"{prefix}{name} " if first else prefix
        first = False
        cuts = [i for i, brk in enumerate(breaks) if brk == _POSSIBLE]
        pieces = [data[a:b] for a, b in zip([0, *cuts], [*cuts, len(data)], strict=True)]
        lines.append(head + '"' + pieces[0].decode("utf-8") + '"')
        lines.extend(f'{prefix}"{piece.decode("utf-8")}"' for piece in pieces[1:])
    return lines


def _portions(value: str) -> list[str]:
    """``value`` cut after each newline; an empty value is one empty portion."""
    portions, current = [], ""
    for char in value:
        current += char
        if char == "\n":
            portions.append(current)
            current = ""
    if current or not portions:
        portions.append(current)
    return portions


def _references(locations: Sequence[tuple[str, int | None]], width: int) -> list[str]:
    """``#:`` lines, as many references per line as fit, like msgcat."""
    lines: list[str] = []
    current = "#:"
    for filename, lineno in locations:
        ref = f"{filename}:{lineno}" if lineno else filename
        if len(current) > 2 and len(current) + 1 + len(ref) > width:
            lines.append(current)
            current = "#:"
        current += " " + ref
    if len(current) > 2:
        lines.append(current)
    return lines


def format_message(message: Message, obsolete: bool = False, width: int = PAGE_WIDTH) -> list[str]:
    """The lines of one entry, without the blank line that separates entries."""
    lines = [f"# {c}" if c else "#" for c in message.user_comments]
    lines += [f"#. {c}" if c else "#." for c in message.auto_comments]
    if not obsolete:
        lines += _references(message.locations, width)
    flags = sorted(message.flags, key=lambda flag: (flag != "fuzzy", flag))
    if flags:
        lines.append("#, " + ", ".join(flags))
    prefix = "#~ " if obsolete else ""
    if message.previous_id:
        previous = message.previous_id
        old = previous[0] if isinstance(previous, (list, tuple)) else previous
        lines += format_string("msgid", old, "#~| " if obsolete else "#| ", width)
    if message.context is not None:
        lines += format_string("msgctxt", message.context, prefix, width)
    if isinstance(message.id, (list, tuple)):  # a plural entry, as gettext defines it
        lines += format_string("msgid", message.id[0], prefix, width)
        lines += format_string("msgid_plural", message.id[1], prefix, width)
        strings = message.string if isinstance(message.string, (list, tuple)) else [
            message.string or ""]
        for index, string in enumerate(strings):
            lines += format_string(f"msgstr[{index}]", string or "", prefix, width)
        return lines
    lines += format_string("msgid", str(message.id), prefix, width)
    lines += format_string("msgstr", str(message.string or ""), prefix, width)
    return lines


def format_catalog(
    catalog: Catalog,
    header_fields: Sequence[tuple[str, str]],
    header_fuzzy: bool = False,
    width: int = PAGE_WIDTH,
) -> str:
    """The whole file: header comment and entry, messages in order, obsolete entries last."""
    return "\n".join(_catalog_lines(catalog, header_fields, header_fuzzy, width)) + "\n"


def _catalog_lines(
    catalog: Catalog, fields: Sequence[tuple[str, str]], fuzzy: bool, width: int
) -> Iterator[str]:
    for line in (catalog.header_comment or "").splitlines():
        yield line if line.startswith("#") else f"# {line}"
    text = "".join(f"{name}: {value}\n" for name, value in fields)
    yield from format_message(Message("", text, flags=["fuzzy"] if fuzzy else []), width=width)
    for message in catalog:
        if message.id:
            yield ""
            yield from format_message(message, width=width)
    for message in catalog.obsolete.values():
        yield ""
        yield from format_message(message, obsolete=True, width=width)


# ------------------------------------------------------------------ reading

_STRING = re.compile(r'^"(?:[^"\\]|\\.)*"$')
_ESCAPE = re.compile(r"\\([0-7]{1,3}|x[0-9A-Fa-f]+|.)")
_BABEL_ESCAPES = {"\\", '"', "n", "t", "r"}
_C_ESCAPES = {"a": "\a", "b": "\b", "f": "\f", "v": "\v", "?": "?", "'": "'"}


class _Parser(PoFileParser):
    """Babel's parser, plus what it lacks: ``#|`` previous msgids, strict strings, duplicates.

    Babel ignores ``#|`` lines, so a stale entry read back would lose the old
    source text that tells the translator what changed.
    """

    def __init__(self, catalog: Catalog) -> None:
        super().__init__(catalog, ignore_obsolete=False, abort_invalid=True)
        self._previous: list[str] = []
        self._in_previous = False
        self._context_line = 0
        self.header_fields: list[tuple[str, str]] = []

    def _process_comment_line(self, line: str) -> None:
        if not line.startswith("#|"):
            self._in_previous = False
            super()._process_comment(line)
            return
        self._finish_current_message()
        rest = line[2:].strip()
        keyword, _, arg = rest.partition(" ")
        if keyword == "msgid":
            self._in_previous, self._previous = True, [arg.strip()]
        elif rest.startswith('"') and self._in_previous:
            self._previous.append(rest)
        else:
            self._in_previous = False  # a previous msgctxt or msgid_plural: not used

    def _process_message_line(self, lineno: int, line: str, obsolete: bool = False) -> None:
        if obsolete and line.startswith("|"):  # "#~| msgid": an obsolete entry's previous msgid
            self._process_comment_line("#" + line)
            return
        super()._process_message_line(lineno, line, obsolete)

    def _process_keyword_line(self, lineno: int, line: str, obsolete: bool = False) -> None:
        keyword, _, arg = line.partition(" ")
        if arg and not _STRING.match(arg.strip()):
            self._invalid_pofile(line, lineno, "malformed string (unterminated or bad escape)")
        if keyword == "msgctxt" and self.context is not None and not self.messages:
            self._invalid_pofile(line, lineno, "msgctxt without its msgid")
        if keyword == "msgctxt":
            self._context_line = lineno
        super()._process_keyword_line(lineno, f"{keyword} {self._escapes(arg, lineno)}", obsolete)

    def _process_string_continuation_line(self, line: str, lineno: int) -> None:
        if not _STRING.match(line.strip()):
            self._invalid_pofile(line, lineno, "malformed string (unterminated or bad escape)")
        super()._process_string_continuation_line(self._escapes(line, lineno), lineno)

    def _escapes(self, quoted: str, lineno: int) -> str:
        """The escapes gettext knows and Babel does not (\\a, \\v, octal ...) as characters.

        Babel reads ``\\a`` as a backslash and an "a"; gettext reads a bell, and
        rejects ``\\q``. Babel still decodes the five it knows.
        """
        def replace(match: re.Match[str]) -> str:
            escape = match.group(1)
            if escape in _BABEL_ESCAPES:
                return match.group(0)
            if escape in _C_ESCAPES:
                return _C_ESCAPES[escape]
            if escape[0] in "01234567" or escape[0] == "x":
                code = int(escape[1:], 16) if escape[0] == "x" else int(escape, 8)
                if code < 128:
                    return chr(code)
            self._invalid_pofile(quoted, lineno, f"invalid escape \\{escape} in a string")
            return match.group(0)

        return _ESCAPE.sub(replace, quoted)

    def _process_comment(self, line: str) -> None:
        if self.context is not None and not self.messages:
            self._invalid_pofile(line, self._context_line, "msgctxt without its msgid")
        self._process_comment_line(line)

    def _add_message(self) -> None:
        if len(self.messages) > 1:  # a plural entry: Babel's own handling, no previous msgid
            self._previous, self._in_previous = [], False
            super()._add_message()
            return
        msgid = self.messages[0].denormalize()
        context = self.context.denormalize() if self.context else None
        previous = "".join(unescape(part) for part in self._previous) if self._previous else None
        self._previous, self._in_previous = [], False
        key = self.catalog._key_for(msgid, context)
        if msgid and not self.obsolete and key in self.catalog._messages:
            self._invalid_pofile("", self.offset, f"duplicate message definition {msgid[:40]!r}")
        if not msgid and not self.obsolete:
            text = self.translations[0][1].denormalize() if self.translations else ""
            self.header_fields = [tuple(part.strip() for part in field.split(":", 1))
                                  for field in text.splitlines() if ":" in field]
        flags = {flag for flag in self.flags if flag}
        store = self.catalog.obsolete if self.obsolete else self.catalog._messages
        super()._add_message()
        if msgid and key in store:
            store[key].flags = flags  # as written: Babel guesses python-format from a "%"
            if previous is not None:
                store[key].previous_id = [previous]


class CharsetError(ValueError):
    """A catalogue whose bytes cannot be read in the charset its header declares."""

    def __init__(self, message: str, lineno: int | None = None) -> None:
        super().__init__(message)
        self.lineno = lineno  # 1-based


_CHARSET = re.compile(rb"charset=([^\\\s\"]*)")


def declared_charset(data: bytes) -> tuple[str, int]:
    """The charset named in the header's Content-Type (UTF-8 if none) and the line naming it."""
    header_end = data.find(b"\n\n")
    header = data if header_end < 0 else data[:header_end]
    match = _CHARSET.search(header)
    if match is None:
        return "UTF-8", 1
    return match.group(1).decode("ascii", "replace"), header[:match.start()].count(b"\n") + 1


def decode(data: bytes) -> str:
    """A catalogue's text, read in the charset its header declares, or ``CharsetError``.

    gettext reads a catalogue in its declared charset, so a file saved as
    ISO-8859-1 with that header is valid; read as UTF-8 it would turn into
    mojibake, and written back, stay so. ``charset=CHARSET`` (the template's
    placeholder) is accepted only for pure ASCII, as msgfmt does.
    """
    name, line = declared_charset(data)
    if name.upper() == "CHARSET":
        if data.isascii():
            return data.decode("ascii")
        raise CharsetError("the header says charset=CHARSET but the file is not ASCII: "
                           "declare the file's charset (charset=UTF-8)", line)
    try:
        codec = codecs.lookup(name)
    except LookupError:
        raise CharsetError(f"unknown charset {name!r} in the header", line) from None
    if codec.name != "utf-8" and not data.isascii() and _is_utf8(data):
        raise CharsetError(f"the header says charset={name} but the file is UTF-8: "
                           "correct the header to charset=UTF-8", line)
    try:
        text = data.decode(codec.name)
    except UnicodeDecodeError as error:
        where = data[:error.start].count(b"\n") + 1
        raise CharsetError(f"not valid {name} as the header declares ({error.reason})",
                           where) from None
    control = re.search("[\x80-\x9f]", text)
    if control is not None:
        raise CharsetError(f"control character U+{ord(control.group()):04X} read as {name}: "
                           "is the file in another charset (Windows-1252?)",
                           text[:control.start()].count("\n") + 1)
    return text


def _is_utf8(data: bytes) -> bool:
    try:
        data.decode("utf-8")
    except UnicodeDecodeError:
        return False
    return True


def parse_catalog(
    lines: Iterable[bytes] | Iterable[str], locale: str | None = None
) -> tuple[Catalog, list[tuple[str, str]]]:
    """Parse PO lines into a Babel catalogue and the header fields as written.

    Bytes are decoded with the charset the header declares (:func:`decode`).
    Raises :class:`babel.messages.pofile.PoFileError` (with a 0-based
    ``lineno``) or :class:`CharsetError` on a malformed file.
    """
    items = list(lines)
    if items and isinstance(items[0], bytes):
        items = decode(b"".join(items)).split("\n")
    catalog = Catalog(locale=locale)
    parser = _Parser(catalog)
    parser.parse(items)
    if parser.context is not None and not parser.messages:
        raise PoFileError("msgctxt without its msgid", catalog, "", parser._context_line)
    return catalog, parser.header_fields


# ------------------------------------------------------------------ keeping a file's own layout


def keep_layout(new_text: str, old_text: str) -> str:
    """``new_text`` where each entry that is unchanged keeps its layout from ``old_text``.

    Translators' tools do not all wrap like msgcat: Weblate's writer
    (translate-toolkit) wraps at 77 columns or not at all, depending on a
    setting. Rewrapping every entry after such a save would make each build
    and each save rewrite the whole file; instead an entry (or the header)
    whose content is the same is written back exactly as the file had it, and
    only entries lisible changes take msgcat's layout.
    """
    known: dict[str, str] = {}
    for block in _blocks(old_text):
        canonical = _canonical(block)
        if canonical is not None:
            known.setdefault(canonical, block)
    return "\n\n".join(known.get(block, block) for block in _blocks(new_text)) + "\n"


def _blocks(text: str) -> list[str]:
    """A PO file's entries (the header first): entries hold no blank line."""
    return [block.strip("\n") for block in re.split(r"\n[ \t]*\n", text) if block.strip()]


def _canonical(block: str) -> str | None:
    """The block as lisible writes it, or None if it is not one whole entry."""
    try:
        catalog, fields = parse_catalog(block.split("\n"))
    except (ValueError, PoFileError):
        return None
    entries = [m for m in catalog if m.id]
    obsolete = list(catalog.obsolete.values())
    if len(entries) + len(obsolete) == 1:
        message, is_obsolete = (entries or obsolete)[0], not entries
        return "\n".join(format_message(message, obsolete=is_obsolete))
    if not entries and not obsolete and block.lstrip().startswith(("#", "msgid")):
        return "\n".join(_catalog_lines(catalog, fields, catalog.fuzzy, PAGE_WIDTH)).strip("\n")
    return None
