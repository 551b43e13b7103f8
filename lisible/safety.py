"""Output encoding as a rule: pages and PDFs get text, never markup nobody allowed.

Why a module of its own: lisible publishes words written by people it does
not control, translators through catalogues and authors through sources.
:mod:`lisible.check` *reports* markup a translation should not have; a report
does not stop a page from running a script. The functions here *enforce* the
rule at each place where text turns into markup, so whatever a catalogue or a
source holds, a reader gets text:

- :func:`translation_markdown`: a msgstr on its way into the canonical
  Markdown (pandoc's dialect). Raw HTML is escaped, so a translator's ``<b>``
  shows literally instead of running (``check`` still reports it); link
  reference definitions, attribute lists the msgid lacks, images the msgid
  lacks (a remote picture would leak readers' addresses and stop the PDF) and
  links whose scheme is not safe are escaped to text; control characters
  (a NUL byte) are dropped.
- :func:`site_markdown`: canonical Markdown on its way into Python-Markdown,
  which MkDocs uses. It reads pandoc's backslash escapes Python-Markdown
  does not know (``\\$ \\< \\~ \\^``) as the characters they stand for, and is
  the last guard of the site: no raw HTML but lisible's own marks, no unsafe
  link target, no attribute list but ids, classes and harmless attributes.
- :func:`html_text` and :func:`markdown_text`: metadata (title, kicker,
  description) is plain text, never Markdown or HTML, in every context it
  lands in: MkDocs' and Material's templates insert page titles without
  escaping, so lisible hands them escaped text.
- :func:`safe_url`: the one list of schemes a link or image may use:
  ``http``, ``https``, ``mailto`` and relative addresses.

Pure functions of strings, no I/O.
"""

from __future__ import annotations

import html
import re

SAFE_SCHEMES = frozenset({"http", "https", "mailto"})
# Attributes a source may set through pandoc's {...} or Python-Markdown's attr_list.
SAFE_ATTRIBUTES = frozenset({"lang", "dir", "title", "width", "height", "alt"})
# What Python-Markdown (with the tables extension) reads after a backslash.
PYTHON_MARKDOWN_ESCAPES = frozenset("\\`*_{}[]()>#+-.!|")

# Control characters never published (check reports them as CONTROL).
CONTROL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f]")
_SCHEME = re.compile(r"([a-z][a-z0-9+.\-]*):")
_INVISIBLE = re.compile(r"[\x00-\x20\x7f-\x9f\u200b-\u200f\u2028\u2029\ufeff]")
_MARKDOWN_ESCAPE = re.compile(r"\\([!-/:-@\[-`{-~])")
_CODE_SPAN = re.compile(r"(`+)(.+?)(?<!`)\1(?!`)", re.DOTALL)
_LINK_DEF = re.compile(r"^([ \t]{0,3})\[(?!\^)((?:[^\]\\\n]|\\.)+)\]:[ \t]*(\S*)")
_FENCE_LINE = re.compile(r"^[ \t]*(`{3,}|~{3,})")
# An inline link or image: [text](target "title"), one level of brackets inside the text;
# the target is everything up to the matching parenthesis (or the end of the line).
_TARGET = re.compile(r"((?:[^()\\\n]|\\.|\([^()\n]*\))*)")
_LINK = re.compile(r"(!?)\[((?:[^\[\]\\\n]|\\.|\[(?:[^\[\]\\\n]|\\.)*\])*)\]"
                   r"\(((?:[^()\\\n]|\\.|\([^()\n]*\))*)")
_ATTRIBUTE = re.compile(r"""[#.][^\s#.=]+|([A-Za-z_:][\w:.-]*)=(?:"[^"]*"|'[^']*'|\S+)""")


# ----------------------------------------------------------------- addresses


def safe_url(url: str) -> bool:
    """True for ``http``, ``https``, ``mailto`` and relative addresses; False otherwise.

    Read the way a browser or a PDF viewer would: Markdown escapes and HTML
    entities decoded, whitespace and control characters (which browsers skip
    inside a scheme) removed, case ignored. ``javascript:``, ``data:``,
    ``vbscript:``, ``file:`` and every other scheme are unsafe.
    """
    text = _MARKDOWN_ESCAPE.sub(r"\1", url.strip())
    if text.startswith("<") and text.endswith(">"):
        text = text[1:-1]
    text = _INVISIBLE.sub("", html.unescape(html.unescape(text))).lower()
    match = _SCHEME.match(text)
    return match is None or match.group(1) in SAFE_SCHEMES


# ----------------------------------------------------------------- plain text


def plain_text(text: str) -> str:
    """Metadata as published: the text itself, without control characters."""
    return CONTROL.sub("", text)


def html_text(text: str) -> str:
    """Plain text for an HTML element or a double-quoted attribute."""
    return html.escape(plain_text(text), quote=True)


def markdown_text(text: str) -> str:
    """Plain text as Python-Markdown inline text that renders exactly ``text``.

    For titles and descriptions written into a generated page: a title
    ``> 0`` stays "> 0", never a block quote, and ``*x*`` stays two stars.
    """
    escaped = "".join("\\" + c if c in PYTHON_MARKDOWN_ESCAPES else c
                      for c in " ".join(plain_text(text).split()))
    return escaped.replace("&", "&amp;").replace("<", "&lt;")


# ----------------------------------------------------------------- translations


def translation_markdown(msgstr: str, msgid: str) -> str:
    """A msgstr as canonical Markdown that carries no markup its msgid does not allow.

    Escaping uses pandoc's backslash (the canonical dialect), so a reader of
    the site or a PDF sees the characters the translator typed. A link
    reference definition (``[r]: javascript:…``) is always text: canonical
    Markdown has inline links only, and a definition would make ``[k][r]``
    a link that no check sees.
    """
    return _lines(plain_text(msgstr), msgid, _Mode.TRANSLATION)


# ----------------------------------------------------------------- site


def site_markdown(markdown: str) -> str:
    """Canonical Markdown (pandoc's dialect) as safe Markdown for Python-Markdown.

    Fenced code becomes escaped ``<pre><code>`` (Python-Markdown does not know
    fences); elsewhere, outside code spans, pandoc's escapes become the
    characters they stand for, and raw HTML other than lisible's draft and
    fallback marks, unsafe links, unsafe reference definitions and unsafe
    attribute lists are escaped to text.
    """
    return _lines(plain_text(markdown), "", _Mode.SITE)


def _lines(text: str, msgid: str, mode: str) -> str:
    """Apply the inline rules line by line; fenced code (site only) and definitions first."""
    lines = text.split("\n")
    out: list[str] = []
    fence, fence_line, code = "", "", []
    for index, line in enumerate(lines):
        # A translation's fences are not trusted: pandoc may not read them as one.
        opened = _FENCE_LINE.match(line) if mode == _Mode.SITE else None
        if fence or opened:
            closes = bool(fence and opened and opened.group(1)[0] == fence[0]
                          and len(opened.group(1)) >= len(fence))
            if fence and not closes:
                code.append(line)
            elif fence and closes:
                out.extend(_fenced_code(fence_line, code, mode))
                fence, code = "", []
            else:
                fence, fence_line = opened.group(1), line
            continue
        definition = _LINK_DEF.match(line)
        if definition:
            target = definition.group(3) or (lines[index + 1].strip().split(" ")[0]
                                              if index + 1 < len(lines) else "")
            if mode == _Mode.TRANSLATION or not safe_url(target):
                indent = definition.group(1)
                out.append(indent + "\\[" + _inline(line[len(indent) + 1:], msgid, mode))
                continue
        out.append(_inline(line, msgid, mode))
    if fence:  # never closed: pandoc reads code to the end
        out.extend(_fenced_code(fence_line, code, mode))
    return "\n".join(out)


def _fenced_code(opening: str, code: list[str], mode: str) -> list[str]:
    """A fenced code block, for the site: escaped HTML.

    Python-Markdown (without the fenced_code extension) does not know fences:
    it would read their content as Markdown and raw HTML.
    """
    indent = opening[:len(opening) - len(opening.lstrip())]
    body = "\n".join(html.escape(line[len(indent):] if line.startswith(indent) else line,
                                 quote=False) for line in code)
    return [f"{indent}<pre><code>{body}</code></pre>"]


# ----------------------------------------------------------------- the inline scanner


class _Mode:
    TRANSLATION = "translation"
    SITE = "site"


_TOKEN = re.compile(
    r"(?P<escape>\\[\s\S])"
    r"|(?P<code>`+)"
    r"|(?P<autolink><(?:https?://|mailto:)[^<>\s]*>|<[^<>\s@!]+@[^<>\s@]+>)"
    r"|(?P<mark><span class=\"lisible-(?:draft|fallback|explain)\""
    r"(?: lang=\"[A-Za-z@-]+\")?>|</span>)"
    r"|(?P<tag><(?=[A-Za-z/!?]))"
    r"|(?P<image>!\[)"
    r"|(?P<target>\]\()"
    r"|(?P<attributes>\{)",
    re.IGNORECASE,
)


def _inline(text: str, msgid: str, mode: str) -> str:
    """One line of inline Markdown with the rules of ``mode`` applied, left to right."""
    out: list[str] = []
    position = 0
    while True:
        match = _TOKEN.search(text, position)
        if match is None:
            out.append(text[position:])
            return "".join(out)
        out.append(text[position:match.start()])
        kind, token = match.lastgroup, match.group()
        position = match.end()
        if kind == "escape":
            out.append(_escape(token, mode))
        elif kind == "code":
            span = _CODE_SPAN.match(text, match.start())
            if span:  # a code span: its content is shown as code by every reader
                out.append(span.group())
                position = span.end()
            else:
                out.append(token)
        elif kind == "autolink":
            out.append(token)
        elif kind == "mark":
            out.append(token if mode == _Mode.SITE else "\\" + token)
        elif kind == "tag":
            out.append("&lt;" if mode == _Mode.SITE else "\\<")
        elif kind == "image":
            out.append(_image_start(text, match.start(), token, msgid, mode))
        elif kind == "target":
            out.append(token if _target_allowed(text, match.end()) else "\\]\\(")
        else:
            group = _attribute_group(text, match.start())
            if group and _attributes_allowed(group, msgid, mode,
                                             text[:match.start()].endswith("]")):
                out.append(group)
                position = match.start() + len(group)
            else:  # escape the brace only: what follows is scanned like any text
                out.append("\\{" if "}" in text[position:] else "{")


def _escape(token: str, mode: str) -> str:
    """A backslash escape; for the site, in a form Python-Markdown reads."""
    if mode != _Mode.SITE:
        return token
    char = token[1]
    if char in PYTHON_MARKDOWN_ESCAPES:
        return token
    if char == "\n":
        return "  \n"  # pandoc's hard line break
    if char == " ":
        return "\u00a0"  # pandoc's non-breaking space
    if not (char.isascii() and not char.isalnum()):
        return token  # not an escape for pandoc either: a backslash before a letter
    return html.escape(char, quote=False)


def _target_allowed(text: str, start: int) -> bool:
    """Whether the address after ``](`` is safe.

    Keyed on ``](`` rather than on ``[``: whatever brackets come before, a link
    or image target always follows ``](``, so escaping that pair leaves no way
    to attach an unsafe address.
    """
    target = _TARGET.match(text, start)
    return _address_safe(target.group(1) if target else text[start:])


def _address_safe(target: str) -> bool:
    """``address "title"`` or ``<address> "title"``: the address, and the whole with
    its spaces removed (``java script:`` is read as one word by some readers), are safe."""
    target = target.strip()
    if target.startswith("<"):
        address = target[1:target.find(">")] if ">" in target else target[1:]
    else:
        address = target.split()[0] if target else ""
    return safe_url(address) and safe_url(re.sub(r"\s", "", target).lstrip("<"))


def _image_start(text: str, start: int, token: str, msgid: str, mode: str) -> str:
    """``![`` as is, or escaped when a translation brings an image its msgid lacks.

    A picture from elsewhere would tell another site who reads the page, and
    the PDF stage cannot fetch it.
    """
    if mode != _Mode.TRANSLATION:
        return token
    link = _LINK.match(text, start)
    target = link.group(3).strip() if link else ""
    if link and target and f"]({target})" in msgid:
        return token
    return "!\\["


_LANG_MARK = re.compile(r"\{\s*lang=[A-Za-z]{2,3}(?:-[A-Za-z0-9]{2,8})*\s*\}")


def _attribute_group(text: str, start: int) -> str:
    """The attribute list opened at ``start``, as Python-Markdown's attr_list reads it.

    Its pattern runs to the *last* ``}`` of the line, so the whole stretch
    must be a safe list, not only the first ``{…}``.
    """
    end = text.rfind("}", start)
    group = text[start:end + 1] if end > start else ""
    return group if group and re.fullmatch(r"\{[^{}\n]*\}", group) else ""


def _attributes_allowed(token: str, msgid: str, mode: str, after_bracket: bool = False) -> bool:
    """An attribute list is kept if it sets only ids, classes and harmless attributes.

    A translation may only repeat the lists of its msgid, or mark the language
    of a bracketed passage, ``[texte]{lang=fr}`` (WCAG 3.1.2; see check.LANG-MARK).
    """
    if mode == _Mode.TRANSLATION and token not in msgid:
        return after_bracket and _LANG_MARK.fullmatch(token) is not None
    inner = token[1:-1].strip().removeprefix(":").strip()
    if not inner:
        return True
    rest = _ATTRIBUTE.sub(lambda m: "" if m.group(1) is None or m.group(1).lower()
                          in SAFE_ATTRIBUTES else "\0", inner)
    return not rest.strip()
