"""The site's assets, once for every language and only what the pages use.

Why: a reader on a cheap phone with a data cap pays for every byte. MkDocs
gives each language build its own copy of the theme (2.8 MB each), Material
ships 138 kB of CSS for features this site never turns on, and the fonts come
as full TTF files. After every language is built, :func:`share_and_trim`:

- keeps one ``assets/`` at the root of ``site/`` (the templates point every
  language there) and removes the per-language copies;
- writes ``assets/lisible/site.css``: Material's stylesheet with the rules
  that no page and no script of the site can match removed, then ours;
- subsets Atkinson Hyperlegible to the characters the pages use (plus
  printable ASCII, for what readers type in search) as WOFF2;
- drops source maps and the search languages no page asks for.

Material's own script (``bundle.*.js``) and the search worker stay as they
are; ``lisible.js`` loads them only when a reader opens search.
"""

from __future__ import annotations

import html
import io
import re
import shutil
from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path

from lisible import fsio

# Upright faces only: every page uses both, so a language switch never fetches a
# font; italics (rare, and harder to read) are slanted by the browser.
FONT_FACES = ("Regular", "Bold")
ASCII = "".join(chr(c) for c in range(0x20, 0x7F))
KEEP_LUNR = ("lunr.stemmer.support", "lunr.multi", "lunr.fr", "lunr.nl", "lunr.du")
# The classes Material's script adds that matter here (search, focus, tables);
# the rest (tooltips, versions, annotations, Mermaid) belong to features not used.
SCRIPT_CLASSES = ("focus-visible", "md-search", "md-dialog", "md-header", "md-highlight",
                  "md-nav", "md-scroll", "md-typeset__", "md-toggle")
_CLASS = re.compile(r"\.(-?[_a-zA-Z][\w-]*)")
_ATTR_EQ = re.compile(r"\[([\w-]+)=\"?([^\]\"]*)\"?\]")
_FUNCS = re.compile(r":(?:not|is|where|has|-webkit-any|-moz-any)\(")
_TAG_OR_SCRIPT = re.compile(r"<(script|style)\b.*?</\1>|<[^>]+>", re.DOTALL)


@dataclass(frozen=True)
class Used:
    """What the pages and scripts can match: class names and ``attr=value`` pairs."""

    classes: frozenset[str]
    attrs: frozenset[tuple[str, str]]


# ----------------------------------------------------------------------- CSS


def _blocks(css: str) -> list[tuple[str, str]]:
    """Top-level ``(prelude, body)`` pairs; statements such as ``@charset`` get body ``None``."""
    out: list[tuple[str, str]] = []
    depth, start, quote, prelude = 0, 0, "", ""
    i = 0
    while i < len(css):
        c = css[i]
        if quote:
            if c == "\\":
                i += 1
            elif c == quote:
                quote = ""
        elif c in "\"'":
            quote = c
        elif c == "/" and css.startswith("/*", i):
            end = css.find("*/", i + 2)
            i = len(css) if end < 0 else end + 1
            if depth == 0:
                start = i + 1
        elif c == "{":
            if depth == 0:
                prelude, start = css[start:i].strip(), i + 1
            depth += 1
        elif c == "}":
            depth -= 1
            if depth == 0:
                out.append((prelude, css[start:i]))
                start = i + 1
        elif c == ";" and depth == 0:
            out.append((css[start:i].strip(), None))
            start = i + 1
        i += 1
    return out


def _split_top(text: str, sep: str) -> list[str]:
    """Split on ``sep`` outside brackets and quotes (selector lists, declarations)."""
    parts, depth, quote, start = [], 0, "", 0
    for i, c in enumerate(text):
        if quote:
            quote = "" if c == quote and text[i - 1] != "\\" else quote
        elif c in "\"'":
            quote = c
        elif c in "([":
            depth += 1
        elif c in ")]":
            depth -= 1
        elif c == sep and depth == 0:
            parts.append(text[start:i])
            start = i + 1
    parts.append(text[start:])
    return parts


def _without_functions(selector: str) -> str:
    """The selector without ``:not(...)``, ``:is(...)`` and the like.

    The classes inside them need not exist for the selector to match.
    """
    while (match := _FUNCS.search(selector)) is not None:
        depth, i = 1, match.end()
        while i < len(selector) and depth:
            depth += {"(": 1, ")": -1}.get(selector[i], 0)
            i += 1
        selector = selector[:match.start()] + selector[i:]
    return selector


def selector_matches(selector: str, used: Used) -> bool:
    """False when the selector needs a class or an ``attr=value`` that nothing has."""
    plain = _without_functions(selector)
    if any(name not in used.classes for name in _CLASS.findall(plain)):
        return False
    return all((name, value) in used.attrs for name, value in _ATTR_EQ.findall(plain)
               if name.startswith(("data-md-color", "dir")))


def _trim_rules(css: str, used: Used) -> str:
    out = []
    for prelude, body in _blocks(css):
        if body is None:
            if not prelude.startswith("@charset"):
                out.append(prelude + ";")
        elif prelude.startswith(("@media", "@supports", "@layer", "@container")):
            inner = _trim_rules(body, used)
            if inner:
                out.append(f"{prelude}{{{inner}}}")
        elif prelude.startswith("@"):
            out.append(f"{prelude}{{{body}}}")
        else:
            kept = [s for s in _split_top(prelude, ",") if selector_matches(s.strip(), used)]
            if kept:
                out.append(f"{','.join(s.strip() for s in kept)}{{{body}}}")
    return "".join(out)


_CUSTOM_DECL = re.compile(r"^\s*(--[\w-]+)\s*:")


def _drop_unused_properties(css: str) -> str:
    """Remove ``--name: value`` declarations that no ``var(--name)`` reads (icons, mostly)."""
    for _ in range(3):  # a property may only be read by another one removed in this pass
        read = set(re.findall(r"var\(\s*(--[\w-]+)", css))

        def keep(declarations: str, read: set[str] = read) -> str:
            parts = _split_top(declarations, ";")
            return ";".join(p for p in parts
                            if not ((m := _CUSTOM_DECL.match(p)) and m[1] not in read))

        out = []
        for prelude, body in _blocks(css):
            if body is None:
                out.append(prelude + ";")
            elif prelude.startswith(("@media", "@supports", "@layer", "@container")):
                out.append(f"{prelude}{{{_drop_unused_properties(body)}}}")
            elif prelude.startswith("@"):
                out.append(f"{prelude}{{{body}}}")
            else:
                body = keep(body).strip(";")
                if body:
                    out.append(f"{prelude}{{{body}}}")
        new = "".join(out)
        if new == css:
            break
        css = new
    return css


def trim_css(css: str, used: Used) -> str:
    """The stylesheet without the rules nothing can match and the properties nothing reads."""
    return _drop_unused_properties(_trim_rules(css, used))


# --------------------------------------------------------------- what is used


@dataclass(frozen=True)
class PageUse:
    """What one built page needs: its classes, its ``attr=value`` pairs, its characters."""

    classes: frozenset[str]
    attrs: frozenset[tuple[str, str]]
    chars: str


def page_use(text: str) -> PageUse:
    """The classes, attributes and visible characters of one page."""
    classes: set[str] = set()
    for value in re.findall(r'\sclass="([^"]*)"', text):
        classes.update(value.split())
    attrs = set(re.findall(r'\s(data-md-[\w-]+|dir)="([^"]*)"', text))
    chars: set[str] = set()
    for attribute in re.findall(r'\s(?:placeholder|aria-label|title|alt)="([^"]*)"', text):
        chars.update(html.unescape(attribute))
    chars.update(html.unescape(_TAG_OR_SCRIPT.sub(" ", text)))
    return PageUse(frozenset(classes), frozenset(attrs), "".join(sorted(chars)))


def _used(uses: Iterable[PageUse], scripts: Iterable[str]) -> Used:
    classes: set[str] = set()
    attrs: set[tuple[str, str]] = set()
    for use in uses:
        classes |= use.classes
        attrs |= use.attrs
    for code in scripts:
        classes.update(name for name in re.findall(r"\b(md-[a-z][\w-]*|focus-visible)", code)
                       if name.startswith(SCRIPT_CLASSES))
    return Used(frozenset(classes), frozenset(attrs))


def _text(uses: Iterable[PageUse]) -> str:
    chars = set(ASCII)
    for use in uses:
        chars.update(use.chars)
    return "".join(sorted(c for c in chars if c.isprintable()))


def used_in(pages: Iterable[str], scripts: Iterable[str]) -> Used:
    """Classes and attributes of the built pages, plus the class names scripts may add."""
    return _used((page_use(text) for text in pages), scripts)


def page_text(pages: Iterable[str]) -> str:
    """Every character a reader can see on the pages: the fonts need these glyphs."""
    return _text(page_use(text) for text in pages)


def cached_uses(pages: Iterable[str], cache: Path | None) -> list[PageUse]:
    """:func:`page_use` of each page, kept in ``cache`` by the page's bytes and lisible's
    code: a rebuild that re-rendered three pages of 200 reads only those three."""
    if cache is None:
        return [page_use(text) for text in pages]
    import hashlib

    from lisible import stamps

    path = cache / "pages.json"
    memo, salt, uses = stamps.Memo.load(path), stamps.code_digest(), []
    for text in pages:
        key = hashlib.sha256(f"{salt}\0{text}".encode("utf-8", "surrogatepass")).hexdigest()
        found = memo.get(key)
        try:
            use = PageUse(frozenset(found[0]), frozenset(tuple(a) for a in found[1]), found[2])
        except (TypeError, IndexError, KeyError):
            use = page_use(text)
            memo.put(key, [sorted(use.classes), sorted(use.attrs), use.chars])
        uses.append(use)
    memo.save(path)
    return uses


def cached_trim(css: str, used: Used, cache: Path | None) -> str:
    """:func:`trim_css`, kept in ``cache`` by stylesheet, what is used and lisible's code."""
    if cache is None:
        return trim_css(css, used)
    import hashlib

    from lisible import stamps

    parts = [stamps.code_digest(), css, "\1".join(sorted(used.classes)),
             "\1".join(f"{a}\2{v}" for a, v in sorted(used.attrs))]
    key = hashlib.sha256("\0".join(parts).encode("utf-8", "surrogatepass")).hexdigest()[:32]
    path = cache / f"site-{key}.css"
    if path.is_file():
        return path.read_text("utf-8")
    trimmed = trim_css(css, used)
    for old in cache.glob("site-*.css"):
        old.unlink()
    fsio.write_text(path, trimmed)
    return trimmed


# ----------------------------------------------------------------------- fonts


def subset_font(ttf: Path, text: str) -> bytes:
    """``ttf`` cut down to ``text``'s glyphs, as WOFF2; the same bytes for the same input."""
    from fontTools import subset
    from fontTools.ttLib import TTFont

    options = subset.Options()
    options.flavor = "woff2"
    options.layout_features = ["kern", "liga", "calt", "ccmp", "locl", "mark", "mkmk"]
    options.hinting = False
    options.desubroutinize = True
    options.name_IDs = [0, 1, 2, 3, 4, 5, 6]  # keep the copyright and licence names
    font = TTFont(ttf, recalcTimestamp=False)
    subsetter = subset.Subsetter(options)
    subsetter.populate(text=text)
    subsetter.subset(font)
    buffer = io.BytesIO()
    font.flavor = "woff2"
    font.save(buffer, reorderTables=True)
    return buffer.getvalue()


# ------------------------------------------------------------------------- all


def cached_subset(ttf: Path, text: str, cache: Path | None) -> bytes:
    """:func:`subset_font`, kept in ``cache`` by font, characters and lisible's code:
    subsetting takes seconds, and most rebuilds show the same characters."""
    if cache is None:
        return subset_font(ttf, text)
    import hashlib

    from lisible import stamps

    key = hashlib.sha256(b"\0".join([ttf.read_bytes(), text.encode(),
                                      stamps.code_digest().encode()])).hexdigest()[:32]
    path = cache / f"{ttf.stem}-{key}.woff2"
    if path.is_file():
        return path.read_bytes()
    data = subset_font(ttf, text)
    for old in cache.glob(f"{ttf.stem}-*.woff2"):
        old.unlink()
    fsio.write_bytes(path, data)
    return data


def share_and_trim(site_dir: Path, language_dirs: Iterable[Path], theme_css: Path,
                   our_css: Path, fonts: Path, cache: Path | None = None) -> dict[str, int]:
    """One shared, trimmed ``assets/`` for the whole site; sizes of what was written.

    ``theme_css`` is Material's stylesheet, ``our_css`` ours (appended, so it
    wins), ``fonts`` the folder of the Atkinson Hyperlegible TTF files,
    ``cache`` a folder keeping, between builds, the subset fonts, the trimmed
    stylesheet and what each page uses (so a rebuild reads only new pages).
    """
    for folder in language_dirs:
        if folder != site_dir and (folder / "assets").is_dir():
            shutil.rmtree(folder / "assets")
    assets = site_dir / "assets"
    pages = [p.read_text("utf-8") for p in sorted(site_dir.rglob("*.html"))
             if "assets" not in p.relative_to(site_dir).parts]
    scripts = [p.read_text("utf-8") for p in sorted((assets / "javascripts").glob("*.js"))]
    scripts += [p.read_text("utf-8") for p in sorted((assets / "lisible").glob("*.js"))]
    uses = cached_uses(pages, cache)
    css = cached_trim(theme_css.read_text("utf-8"), _used(uses, scripts), cache)
    sizes = {"site.css": len(css)}
    fsio.write_text(assets / "lisible" / "site.css", css + "\n" + our_css.read_text("utf-8"))
    text = _text(uses)
    for face in FONT_FACES:
        data = cached_subset(fonts / f"AtkinsonHyperlegible-{face}.ttf", text, cache)
        fsio.write_bytes(assets / "fonts" / f"AtkinsonHyperlegible-{face}.woff2", data)
        sizes[face] = len(data)
    licence = fonts.parent / "LICENSE"
    if licence.is_file():  # the OFL travels with the (modified) font files
        fsio.write_bytes(assets / "fonts" / "OFL.txt", licence.read_bytes())
    _prune(assets, _search_languages(site_dir))
    return sizes


def _search_languages(site_dir: Path) -> tuple[str, ...]:
    """The lunr languages the site's search indexes ask for (``de`` once German is published)."""
    import json

    found: set[str] = set()
    for index in site_dir.rglob("search/search_index.json"):
        config = json.loads(index.read_text("utf-8")).get("config", {})
        found.update(str(lang) for lang in config.get("lang", []))
    return tuple(sorted(found))


def _prune(assets: Path, search_langs: Iterable[str] = ()) -> None:
    """Remove what no page loads: Material's own CSS (now in site.css), maps, TTFs,
    the stemmers of languages no search index uses."""
    for path in [*assets.rglob("*.map"), *assets.glob("fonts/*.ttf"),
                 *assets.glob("lisible/lisible.css")]:
        path.unlink()
    shutil.rmtree(assets / "stylesheets", ignore_errors=True)
    lunr = assets / "javascripts" / "lunr"
    search_langs = tuple(search_langs)
    keep = (*KEEP_LUNR, *(f"lunr.{lang}" for lang in search_langs),
            *(["tinyseg"] if "ja" in search_langs else []),  # word splitters lunr.ja,
            *(["wordcut"] if {"hi", "th"} & set(search_langs) else []))  # .hi, .th load
    for path in lunr.rglob("*.js"):
        if not path.name.startswith(tuple(f"{name}." for name in keep)):
            path.unlink()
