"""The multilingual site: one MkDocs-Material build per language, into one ``site/``.

Why one build per language rather than an i18n plugin: each language then gets
its own search index with the right stemming, its own 404 page, its own
``lang`` attribute and its own Material translations, and nothing at run time
has to guess which language a page is in (the peer tools' switcher, search and
404 bugs come from that guessing).

Layout: the source language at the root of ``site/``, each other language in
its ``Language.path`` folder (``nl/``, ``en/``, ``facile/``). Every language
has the same page names, so "the same document in another language" is the
same path under another folder, and the language list on each page is plain
links that work with JavaScript off:

- ``index.md``    home: the documents, with a link to read each one
- ``<slug>.md``   one page per document, with its status notice and its PDFs
- ``pdf.md``      every PDF (all documents, languages and formats)
- ``status.md``   the translation status of every document and language
- ``404.html``    from the theme, in the folder's language

Inputs are the reassembled Markdown files (``build/markdown/<code>/<slug>.md``)
and, when the PDF stage has run, ``build/downloads/manifest.json``; a missing
manifest only means no download links. Generated Markdown goes to
``build/site-src/<code>/``, the per-language MkDocs configuration (derived
from the root ``mkdocs.yml``) to ``build/site-src/<code>.yml``, the assembled
theme (``overrides/`` + Material's patched script) to ``build/site-src/_theme/``.
After the last language, ``lisible.siteassets`` leaves one shared, trimmed
``site/assets/`` (stylesheet cut to what the pages use, Atkinson Hyperlegible
subset to their characters as WOFF2) and every template points there.
"""

from __future__ import annotations

import copy
import gzip
import hashlib
import html
import json
import logging
import os
import re
import shutil
import time
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from lisible import document, fsio, home, safety, siteassets, stamps
from lisible.config import Config, Language
from lisible.document import (
    STATES,
    Counts,
    Download,
    Published,
    downloads_dir,
    read_all,
    read_manifest,
)
from lisible.errors import LisibleError
from lisible.templatecache import SharedTemplates
from lisible.words import Words, words_for

ASSETS = Path(__file__).parent / "site_assets"
PAGE_DOWNLOADS = "pdf"
PAGE_STATUS = "status"
# Material's script fetches <href>/sitemap.xml for every <link rel="alternate">
# to redirect its own language selector. Our alternates already point at the
# same page in each language, so that fetch would only 404; this narrows its
# selector to links that opt in (none do). Checked by the browser test.
BUNDLE_PATCH = ('M("link[rel=alternate]")', 'M("link[rel=alternate][data-md-sitemap]")')
# A translator's language mark in a msgstr, pandoc's bracketed span: [texte]{lang=fr}.
# Only a language tag is accepted (``check`` reports anything else), so no
# attribute from a catalogue reaches a page.
LANG_MARK = re.compile(
    r"\[(?P<text>[^\[\]\n]+)\]\{lang=(?P<tag>[A-Za-z]{2,3}(?:-[A-Za-z0-9]{2,8})*)\}")
_UNREVIEWED = re.compile(
    r'<span class="lisible-(?P<kind>draft|fallback)"(?P<attrs>(?: [a-z-]+="[^"]*")*)>'
    r"(?P<text>.*?)</span>",
    re.DOTALL,
)


class SiteError(LisibleError):
    """The site cannot be built: missing Markdown, bad front matter, MkDocs failure."""


@dataclass(frozen=True)
class SiteReport:
    """What ``build_site`` did."""

    site_dir: Path
    languages: tuple[str, ...]
    pages: int  # HTML pages written, 404 pages included
    downloads: int  # PDFs copied into site/downloads/
    seconds: float
    warnings: tuple[str, ...] = ()

    def describe(self) -> str:
        langs = ", ".join(self.languages)
        text = (f"site: {self.pages} pages in {len(self.languages)} languages ({langs}), "
                f"{self.downloads} PDFs, {self.seconds:.1f} s -> {self.site_dir}")
        return "\n".join([text, *(f"warning: {w}" for w in self.warnings)])


# --------------------------------------------------------------------------- reading


def discover_slugs(config: Config) -> tuple[str, ...]:
    """The documents (:func:`lisible.document.slugs`); none is an error here."""
    found = document.slugs(config)
    if not found:
        raise SiteError("no Markdown to publish; run `python build.py convert` first",
                        config.markdown_dir(config.source))
    return found


def read_documents(config: Config) -> dict[str, dict[str, Published]]:
    """``{code: {slug: Published}}`` for every file that exists."""
    found: dict[str, dict[str, Published]] = {lang.code: {} for lang in config.languages}
    for doc in read_all(config)[0]:
        found[doc.code][doc.slug] = doc
    return found


def collect_status(docs: Mapping[str, Mapping[str, Published]]
                   ) -> dict[str, dict[str, dict[str, Any]]]:
    """``{slug: {code: {reviewed, draft, stale, untranslated}}}``, from the counts
    reassembly wrote into each page's front matter: the site reads no catalogue."""
    table: dict[str, dict[str, dict[str, Any]]] = {}
    for code, by_slug in docs.items():
        for slug, doc in by_slug.items():
            if doc.status is not None:
                table.setdefault(slug, {})[code] = {s: getattr(doc.status, s) for s in STATES}
    return table




# ------------------------------------------------------------------- page Markdown


def _front(**values: str) -> str:
    """Page metadata, escaped: MkDocs and Material put it into HTML as it is."""
    return document.front_matter({key: safety.html_text(v) for key, v in values.items()}) + "\n"


def _up(lang: Language, page: str) -> str:
    """The relative path from a page of ``lang`` to the root of ``site/``."""
    depth = (1 if lang.path else 0) + (0 if page == "index" else 1)
    return "../" * depth


def mark_unreviewed(body: str, strings: Words) -> str:
    """Announce each unreviewed passage to screen readers, at its start and end.

    Sighted readers see the style (dotted underline, blue background); the
    hidden words say the same thing out loud, in the page's language.
    """

    def announce(match: re.Match[str]) -> str:
        kind, attrs, text = match["kind"], match["attrs"], match["text"]
        start = strings["sr_draft"] if kind == "draft" else strings["sr_fallback"]
        return (f'<span class="lisible-{kind}"{attrs}><span class="lisible-sr">{start} </span>'
                f'{text}<span class="lisible-sr"> {strings["sr_end"]}</span></span>')

    return _UNREVIEWED.sub(announce, body)


def mark_languages(body: str) -> str:
    """``[texte]{lang=fr}`` becomes ``<span lang="fr">texte</span>`` (WCAG 3.1.2).

    Python-Markdown has no bracketed spans; the text inside stays Markdown.
    """
    return LANG_MARK.sub(lambda m: f'<span lang="{m["tag"]}">{m["text"]}</span>', body)


def notice_markdown(counts: Counts | None, strings: Words, easy_read: bool = False) -> str:
    """The plain-language notice above a page with unreviewed or untranslated text.

    Easy-read pages always say that readers have not tested the text yet
    (``notice_untested``): only such a test earns the easy-to-read logo.
    """
    lines = [strings["notice_untested"]] if easy_read else []
    lines += _status_lines(counts, strings) if counts is not None else []
    if not lines:
        return ""
    lines.append(f"[{strings['notice_status']}]({PAGE_STATUS}.md)")
    inner = "\n\n".join(lines)
    return f'<div class="lisible-notice" role="note" markdown="1">\n\n{inner}\n\n</div>\n\n'


def _status_lines(counts: Counts, strings: Words) -> list[str]:
    """What the reader must know about unreviewed and untranslated passages."""
    lines = []
    if counts.unreviewed:
        lines.append(strings.n("notice_draft", counts.unreviewed, total=counts.total))
    if counts.untranslated == counts.total:
        lines.append(strings["notice_fallback_all"])
    elif counts.untranslated:
        lines.append(strings.n("notice_fallback", counts.untranslated, total=counts.total))
    return lines


def _kb(size: int) -> str:
    return str(max(1, round(size / 1000)))


def download_item(item: Download, languages: Mapping[str, Language],
                  strings: Words, up: str, with_title: bool = False) -> str:
    """One ``<li>``: language named in itself, format, size and page count."""
    lang = languages.get(item.language)
    name = html.escape(lang.name if lang else item.language)
    attrs = f' hreflang="{lang.html_lang}"' if lang else ""
    span = f'<span lang="{lang.html_lang}">{name}</span>' if lang else name
    kind = html.escape(strings.get(f"format_{item.format}", item.format.upper()))
    title = f"{html.escape(item.title)}, " if with_title and item.title else ""
    meta = [strings["pdf"], strings["size_kb"].format(size=_kb(item.bytes))]
    if item.pages:
        meta.append(strings.n("pages", item.pages, pages=item.pages))
    label = f"{title}{span}" + (f", {kind}" if kind else "")
    return (f'<li><a href="{up}downloads/{html.escape(item.file)}" type="application/pdf"{attrs}>'
            f'{label}</a> <span class="lisible-meta">({", ".join(meta)})</span></li>')


def downloads_markdown(items: Iterable[Download], languages: Mapping[str, Language],
                       strings: Words, up: str, with_title: bool = False) -> str:
    """A list of PDF links, current language first (the caller orders them)."""
    lines = [download_item(i, languages, strings, up, with_title) for i in items]
    if not lines:
        return ""
    return '<ul class="lisible-downloads">\n' + "\n".join(lines) + "\n</ul>\n"


def _ordered(items: Iterable[Download], first: str, order: list[str]) -> list[Download]:
    rank = {code: i for i, code in enumerate(order)}
    return sorted(items, key=lambda d: (d.language != first, rank.get(d.language, 99), d.format,
                                          d.file))


def _kicker(doc: Published) -> str:
    """The small line above a title ("Carte blanche"), or nothing."""
    return f'<p class="lisible-kicker">{html.escape(doc.kicker)}</p>\n\n' if doc.kicker else ""


def document_markdown(doc: Published, lang: Language, strings: Words,
                      downloads: Iterable[Download], languages: Mapping[str, Language]) -> str:
    """The page of one document: kicker, title, notice, text, its PDFs."""
    parts = [_front(title=doc.title, description=doc.description, lisible_kind="document")]
    parts.append(_kicker(doc))
    if not doc.body.lstrip().startswith("# "):
        parts.append(f"# {safety.markdown_text(doc.title)}\n\n")
    parts.append(notice_markdown(doc.status, strings, lang.easy_read))
    parts.append(mark_unreviewed(mark_languages(safety.site_markdown(doc.body.rstrip("\n"))),
                                 strings) + "\n\n")
    parts.append(pictogram_credit(doc.body, strings))
    parts.append(page_downloads_markdown(doc, lang, strings, downloads, languages))
    return "".join(parts)


def pictogram_credit(body: str, strings: Words) -> str:
    """The OpenMoji credit (CC BY-SA 4.0 asks for it) under a page that shows pictograms."""
    from lisible.easyread import pictograms as p

    if "lisible-picto" not in body:
        return ""
    text = strings.get("pictogram_credit", "Pictograms: {source}, licence {license}.")
    text = text.format(source=f"[{p.CREDIT}]({p.SOURCE_URL})",
                       license=f"[{p.LICENSE}]({p.LICENSE_URL})")
    return f'<div class="lisible-credit" markdown="1">\n\n{text}\n\n</div>\n\n'


def page_downloads_markdown(doc: Published, lang: Language, strings: Words,
                            downloads: Iterable[Download],
                            languages: Mapping[str, Language]) -> str:
    """A document's PDFs: this language's in view, the others one click away.

    The other languages sit in a ``<details>`` element, which opens without
    JavaScript, so a reader meets three links rather than twelve.
    """
    items = _ordered(downloads, lang.code, list(languages))
    if not items:
        return ""
    up = _up(lang, doc.slug)
    mine = [d for d in items if d.language == lang.code]
    others = [d for d in items if d.language != lang.code]
    text = (f"## {strings['downloads_title']} {{#lisible-downloads "
            f".lisible-downloads-section}}\n\n" + downloads_markdown(mine, languages, strings, up))
    if others:
        summary = strings["downloads_others"] if mine else strings["downloads_title"]
        text += (f'\n<details class="lisible-downloads-others">\n<summary>{summary}</summary>\n'
                 + downloads_markdown(others, languages, strings, up) + "</details>\n")
    return text


def missing_markdown(slug: str, source: Published, lang: Language, strings: Words,
                     source_lang: Language) -> str:
    """A stand-in when a language lacks a document, so the language links never 404."""
    up = _up(lang, slug)
    target = f"{up}{source_lang.path + '/' if source_lang.path else ''}{slug}/"
    return (_front(title=strings["missing_title"], description=source.description,
                   lisible_kind="missing")
            + f"# {strings['missing_title']}\n\n"
            + f'<p><a href="{target}" lang="{source_lang.html_lang}" '
              f'hreflang="{source_lang.html_lang}">{html.escape(source.title)}</a></p>\n\n'
            + f"{strings['missing_text']}\n")


def home_markdown(docs: Iterable[Published], strings: Words, description: str,
                  downloads: Iterable[Download] = (), lang: Language | None = None,
                  languages: Mapping[str, Language] | None = None) -> str:
    """The home page, message first (the GOV.UK start-page pattern).

    With one text, its claim is the page's ``h1``, then its summary, who wrote
    it and when (only when the front matter says so), then "read" and its PDFs
    in this language. With several texts, each gets that block under an ``h2``.
    """
    docs = list(docs)
    downloads = tuple(downloads)
    single = len(docs) == 1
    title = docs[0].title if single else strings["home_title"]
    parts = [_front(title=title, description=description, lisible_kind="home")]
    if not single:
        parts.append(f"# {strings['home_title']}\n\n")
    for doc in docs:
        mine = [d for d in downloads if d.slug == doc.slug and lang and d.language == lang.code]
        parts.append(_kicker(doc) + ("# " if single else "## ")
                     + f"{safety.markdown_text(doc.title)}\n\n"
                     + (f'<p class="lisible-summary">{html.escape(doc.description)}</p>\n\n'
                        if doc.description else "")
                     + _byline(doc, strings)
                     + f"[{strings['read']}]({doc.slug}.md){{ .md-button .md-button--primary }}"
                       "\n\n"
                     + (downloads_markdown(mine, languages or {}, strings, _up(lang, "index"))
                        if mine and lang else "")
                     + f"\n[{strings['downloads_all']}]({PAGE_DOWNLOADS}.md)\n\n")
    parts.append(f'<p class="lisible-meta">{strings["home_intro"]}</p>\n')
    return "".join(parts)


def _byline(doc: Published, strings: Words) -> str:
    """Who wrote the text and when, from its front matter; nothing when it says nothing."""
    parts = [strings["byline_author"].format(author=html.escape(doc.author))] if doc.author else []
    if doc.date:
        parts.append(strings["byline_date"].format(date=html.escape(doc.date)))
    return f'<p class="lisible-byline">{" ".join(parts)}</p>\n\n' if parts else ""


def all_downloads_markdown(docs: Iterable[Published], lang: Language, strings: Words,
                           downloads: Iterable[Download],
                           languages: Mapping[str, Language]) -> str:
    """The downloads page: every PDF of every document, grouped by document."""
    downloads = tuple(downloads)
    parts = [_front(title=strings["downloads_page"], description=strings["downloads_intro"],
                    lisible_kind="downloads"),
             f"# {strings['downloads_page']}\n\n{strings['downloads_intro']}\n\n"]
    if not downloads:
        parts.append(f"{strings['downloads_none']}\n")
    for doc in docs:
        mine = _ordered((d for d in downloads if d.slug == doc.slug), lang.code, list(languages))
        if mine:
            parts.append(f"## {safety.markdown_text(doc.title)}\n\n"
                         + downloads_markdown(mine, languages, strings, _up(lang, PAGE_DOWNLOADS))
                         + "\n")
    return "".join(parts)


def status_bar(counts: Counts) -> str:
    """A stacked bar of the four states; decorative, the table holds the numbers."""
    total = counts.total or 1
    spans = "".join(
        f'<span class="is-{state}" style="width:{100 * getattr(counts, state) / total:.1f}%">'
        f"</span>" for state in STATES if getattr(counts, state))
    return f'<span class="lisible-bar" aria-hidden="true">{spans}</span>'


def _percent(value: float, strings: Words) -> str:
    return strings["status_percent"].format(percent=round(value))


def status_rows(slug: str, status: Mapping[str, Mapping[str, Any]],
                languages: Iterable[Language], strings: Words) -> list[str]:
    """One ``<tr>`` per language: share reviewed in words and as a bar, then the counts.

    The share comes first so that a phone shows it without scrolling the table.
    """
    rows = []
    for lang in languages:
        entry = status.get(lang.code)
        head = f'<th scope="row"><span lang="{lang.html_lang}">{html.escape(lang.name)}</span></th>'
        if entry is None:
            rows.append(f'<tr>{head}<td class="lisible-source" colspan="5">'
                        f'{strings["status_source"]}</td></tr>')
            continue
        counts = Counts.from_mapping(entry)
        colon = strings.get("colon", ":")
        cells = "".join(f'<td data-label="{strings["status_" + s]}{colon}">'
                        f"{getattr(counts, s)}</td>" for s in STATES)
        share = _percent(100 * counts.reviewed / (counts.total or 1), strings)
        rows.append(f'<tr>{head}<td class="lisible-bar-cell">{share} '
                    f"{status_bar(counts)}</td>{cells}</tr>")
    return rows


# Measures a reader understands without a course in readability formulas; the
# Kandel-Moles and LIX indices stay in ``build.py readability``.
READABILITY_ROWS = ("mean_words", "max_words", "rare_share")


def readability_markdown(figures: Mapping[str, Mapping[str, Any]] | None,
                         strings: Words) -> str:
    """Source and easy-read readability side by side: a small table with plain labels."""
    if not figures or "easy" not in figures:
        return ""
    source, easy = figures.get("source", {}), figures["easy"]
    rows = "".join(
        f'<tr><th scope="row">{strings["readability_" + key]}</th>'
        f"<td>{_figure(key, source.get(key), strings)}</td>"
        f"<td>{_figure(key, easy.get(key), strings)}</td></tr>"
        for key in READABILITY_ROWS if key in easy)
    return (f"### {strings['readability_title']}\n\n"
            f'<table class="lisible-status lisible-readability"><thead><tr>'
            f'<th scope="col">{strings["readability_measure"]}</th>'
            f'<th scope="col" class="lisible-num">{strings["status_source"]}</th>'
            f'<th scope="col" class="lisible-num">'
            f'{mark_languages(strings["readability_easy"])}</th>'
            f"</tr></thead>\n<tbody>{rows}</tbody></table>\n\n"
            f"{strings['readability_note']}\n\n")


def _figure(key: str, value: Any, strings: Words) -> str:
    """A figure as the page's language writes it: 52,3 in French and Dutch, 52.3 in English."""
    if value is None:
        return "–"
    if key == "rare_share":
        return f"{100 * value:.0f}"
    text = f"{value:.1f}" if isinstance(value, float) else str(value)
    return text.replace(".", strings.get("decimal_separator", "."))


_HTML_TAG = re.compile(r"<[^>]+>")


def _prose(body: str) -> str:
    """The running text of a page: no glossary section, headings, notes or HTML marks."""
    from lisible.easyread.glossary import GLOSSARY_HEADING

    body = body.split("\n" + GLOSSARY_HEADING, 1)[0]
    body = _UNREVIEWED.sub(lambda m: m["text"], body)
    lines = [_HTML_TAG.sub("", line) for line in body.split("\n")
             if line.strip() and not line.startswith(("#", "[^"))]
    return "\n".join(lines)


def readability_figures(config: Config, docs: Mapping[str, Mapping[str, Published]],
                        cache: Path | None = None) -> dict[str, dict[str, dict[str, Any]]]:
    """``{slug: {"source": ..., "easy": ...}}``: easyread's measures on the published text.

    Measured without the linter (no spaCy), so the site step stays fast; the
    full report with linter counts is ``build.py readability``. ``cache``, a
    JSON file, keeps the figures by text, so a rebuild measures only the texts
    that changed (about 30 ms a text).
    """
    try:
        from lisible.easyread.readability import readability
    except ImportError:
        return {}
    memo = stamps.Memo.load(cache) if cache is not None else stamps.Memo()
    salt = "\0".join([stamps.code_digest(), *(f"{name}={stamps.tool_version(name)}"
                                              for name in ("pyphen", "wordfreq"))])

    def measure(body: str) -> dict[str, Any]:
        prose = _prose(body)
        key = hashlib.sha256(f"{salt}\0{prose}".encode()).hexdigest()
        found = memo.get(key)
        if not isinstance(found, dict):
            found = readability(prose, lint_it=False).as_dict()
            memo.put(key, found)
        return found

    figures: dict[str, dict[str, dict[str, Any]]] = {}
    for lang in (lg for lg in config.languages if lg.easy_read):
        for slug, doc in docs.get(lang.code, {}).items():
            source = docs[config.source.code].get(slug)
            if source is not None:
                figures[slug] = {"source": measure(source.body), "easy": measure(doc.body)}
    if cache is not None:
        memo.save(cache)
    return figures


def status_words(strings: Words) -> str:
    """"Reviewed" and "tested" side by side, so 100 % reviewed never reads as tested."""
    items = "".join(
        f"<dt>{strings[f'status_{term}_term']}</dt>"
        + "".join(f"<dd>{line}</dd>" for line in strings[f"status_{term}_means"].split("\n\n"))
        for term in ("reviewed", "tested"))
    return f'<dl class="lisible-words">{items}</dl>\n\n'


def status_markdown(docs: Iterable[Published], status: Mapping[str, Mapping[str, Any]],
                    languages: Iterable[Language], strings: Words,
                    figures: Mapping[str, Mapping[str, Mapping[str, Any]]] | None = None) -> str:
    """The translation-status page: a table per document, with bars and a legend."""
    languages = tuple(languages)
    header = "".join(f'<th scope="col" class="lisible-num">{strings["status_" + s]}</th>'
                     for s in STATES)
    legend = " ".join(f'<span class="is-{s}" aria-hidden="true"></span>{strings["status_" + s]}'
                      for s in STATES)
    parts = [_front(title=strings["status_page"], description=strings["status_intro"],
                    lisible_kind="status"),
             f"# {strings['status_page']}\n\n{strings['status_intro']}\n\n",
             status_words(strings)]
    for doc in docs:
        rows = "\n".join(status_rows(doc.slug, status.get(doc.slug, {}), languages, strings))
        parts.append(
            f"## {safety.markdown_text(doc.title)}\n\n"
            f'<div class="lisible-scroll" role="region" tabindex="0" '
            f'aria-label="{html.escape(strings["status_page"])}: {html.escape(doc.title)}">\n'
            f'<table class="lisible-status">\n<thead><tr>'
            f'<th scope="col">{strings["status_language"]}</th>'
            f'<th scope="col">{strings["status_overview"]}</th>{header}</tr></thead>\n'
            f"<tbody>\n{rows}\n</tbody>\n</table>\n</div>\n\n"
            + readability_markdown((figures or {}).get(doc.slug), strings))
    parts.append(f'<p class="lisible-legend lisible-bar-legend">{legend}</p>\n')
    return "".join(parts)


def language_pages(config: Config, lang: Language, docs: Mapping[str, Mapping[str, Published]],
                   slugs: Iterable[str], downloads: tuple[Download, ...],
                   status: Mapping[str, Mapping[str, Mapping[str, Any]]],
                   strings: Words,
                   figures: Mapping[str, Mapping[str, Mapping[str, Any]]] | None = None
                   ) -> dict[str, str]:
    """``{file name: Markdown}`` for one language's docs folder."""
    languages = {lg.code: lg for lg in config.languages}
    source_docs = docs[config.source.code]
    own = docs.get(lang.code, {})
    shown = [own.get(slug, source_docs[slug]) for slug in slugs]
    pages = {"index.md": home_markdown(shown, strings, shown[0].description if shown else "",
                                       downloads, lang, languages) if len(shown) == 1
             else home.home_markdown(config, lang, list(slugs), docs, downloads, strings)}
    for slug in slugs:
        mine = [d for d in downloads if d.slug == slug]
        pages[f"{slug}.md"] = (
            document_markdown(own[slug], lang, strings, mine, languages) if slug in own
            else missing_markdown(slug, source_docs[slug], lang, strings, config.source))
    pages[f"{PAGE_DOWNLOADS}.md"] = all_downloads_markdown(shown, lang, strings, downloads,
                                                         languages)
    pages[f"{PAGE_STATUS}.md"] = status_markdown(shown, status, config.languages, strings,
                                                 figures)
    return pages


# ------------------------------------------------------------------ MkDocs settings


def _root_prefix(frm: Language, to: Language) -> str:
    """Relative path from the root of ``frm``'s site to the root of ``to``'s."""
    up = "../" if frm.path else ""
    return up + (f"{to.path}/" if to.path else "")


def alternates(config: Config, lang: Language) -> list[dict[str, Any]]:
    """Every language, for the language list and the hreflang links of ``lang``'s pages.

    ``hreflang`` is given once per tag: easy-read French shares ``fr-BE``
    with French, so only French claims it.
    """
    seen: set[str] = set()
    base = config.site_url.rstrip("/")
    result = []
    for other in config.languages:
        hreflang = "" if other.tag in seen else other.tag
        seen.add(other.tag)
        result.append({
            "code": other.code,
            "name": other.name,
            "html_lang": other.html_lang,
            "hreflang": hreflang,
            "og_locale": other.tag.replace("-", "_"),
            "current": other.code == lang.code,
            "prefix": "" if other.code == lang.code else _root_prefix(lang, other),
            "absolute": f"{base}/{other.path + '/' if other.path else ''}" if base else "",
            "root_path": _root_path(config, other),
        })
    return result


def _root_path(config: Config, lang: Language) -> str:
    """The absolute path of a language's home ("/nl/"), for pages served at any address.

    Under ``site_url``'s path when it is set; at the host's root otherwise.
    """
    from urllib.parse import urlsplit

    base = urlsplit(config.site_url).path.rstrip("/") if config.site_url else ""
    return f"{base}/{lang.path + '/' if lang.path else ''}"


def load_base_settings(config: Config) -> dict[str, Any]:
    """The root ``mkdocs.yml``, as a mapping to derive each language's settings from."""
    import yaml

    path = config.root / "mkdocs.yml"
    if not path.exists():
        raise SiteError("mkdocs.yml is missing: it holds the site's shared settings", path)
    try:
        return yaml.safe_load(path.read_text("utf-8")) or {}
    except yaml.YAMLError as error:
        raise SiteError(f"not valid YAML: {error}", path) from None


def _with_search(plugins: Iterable[Any], search: Mapping[str, Any]) -> list[Any]:
    """The plugin list with the search plugin set to one language's stemming
    (``search``: :func:`lisible.languages.search_options`)."""
    result: list[Any] = []
    for plugin in plugins:
        name = plugin if isinstance(plugin, str) else next(iter(plugin))
        if name in ("search", "material/search"):
            options = {} if isinstance(plugin, str) else dict(plugin[name] or {})
            result.append({name: {**options, **search}})
        else:
            result.append(plugin)
    return result


def _with_footnote_words(extensions: Iterable[Any], strings: Words) -> list[Any]:
    """The Markdown extensions with the footnote back-link titled in the page's language."""
    result: list[Any] = []
    for ext in extensions:
        name = ext if isinstance(ext, str) else next(iter(ext))
        if name == "footnotes":
            options = {} if isinstance(ext, str) else dict(ext[name] or {})
            result.append({name: {**options, "BACKLINK_TITLE": strings["footnote_back"]}})
        else:
            result.append(ext)
    return result


def language_settings(config: Config, base: Mapping[str, Any], lang: Language,
                      strings: Words, nav: list[dict[str, str]],
                      site_name: str, description: str, theme_dir: Path,
                      docs_dir: Path) -> dict[str, Any]:
    """One language's MkDocs settings, derived from the root ``mkdocs.yml``."""
    from lisible.languages import search_options, theme_language

    ui_lang = theme_language(lang)
    settings = copy.deepcopy(dict(base))
    site_dir = config.site_dir / lang.path if lang.path else config.site_dir
    links = alternates(config, lang)
    own_url = next(alt["absolute"] for alt in links if alt["current"])
    settings.update(
        site_name=site_name,
        site_description=description,
        docs_dir=str(docs_dir),
        site_dir=str(site_dir),
        nav=nav,
        plugins=_with_search(settings.get("plugins", ["search"]), search_options(lang)),
        markdown_extensions=_with_footnote_words(settings.get("markdown_extensions", []),
                                                 strings),
    )
    if own_url:
        settings["site_url"] = own_url
    settings["theme"] = {**settings.get("theme", {}), "name": "material",
                         "custom_dir": str(theme_dir), "language": ui_lang, "font": False}
    settings["extra"] = {**settings.get("extra", {}), "lisible": {
        "code": lang.code,
        "html_lang": lang.html_lang,
        "og_locale": lang.tag.replace("-", "_"),
        "og_alternates": sorted({a["og_locale"] for a in links} - {lang.tag.replace("-", "_")}),
        "easy_read": lang.easy_read,
        "root_path": _root_path(config, lang),
        "up_to_root": "../" if lang.path else "",
        "site_root": _root_path(config, config.source),
        "bundle": material_script("bundle.*.min.js"),
        "search_worker": material_script("workers/search.*.min.js"),
        "alternates": links,
        "x_default": links[0],
        "strings": dict(strings),
    }}
    return settings


def navigation(slugs: Iterable[str], titles: Mapping[str, str],
               strings: Words) -> list[dict[str, str]]:
    """The same navigation in every language: home, documents, PDFs, status."""
    return ([{strings["home_title"]: "index.md"}]
            + [{safety.html_text(titles[slug]): f"{slug}.md"} for slug in slugs]
            + [{strings["downloads_page"]: f"{PAGE_DOWNLOADS}.md"},
               {strings["status_page"]: f"{PAGE_STATUS}.md"}])


# ---------------------------------------------------------------------------- I/O


def font_dir() -> Path:
    """Atkinson Hyperlegible's TTF files, from the fontpkg package (OFL)."""
    import fontpkg_atkinson_hyperlegible as fonts

    return Path(fonts.__file__).parent / "files"


def material_assets() -> Path:
    """Material for MkDocs' own ``assets/`` folder (its stylesheet, script, search worker)."""
    import material

    return Path(material.__file__).parent / "templates" / "assets"


def material_script(pattern: str) -> str:
    """The file name of one of Material's scripts, whose name carries a hash."""
    found = sorted((material_assets() / "javascripts").glob(pattern))
    if not found:
        raise SiteError(f"Material for MkDocs has no {pattern}: is it installed?")
    return found[0].relative_to(material_assets() / "javascripts" / Path(pattern).parent).as_posix()


def assemble_theme(config: Config, dest: Path) -> tuple[str, ...]:
    """``overrides/`` + Material's bundle (patched) into ``dest``; returns warnings.

    The fonts and the trimmed stylesheet are made after every language is
    built, from what the pages use (``lisible.siteassets``).
    """
    overrides = config.root / "overrides"
    if dest.exists():
        shutil.rmtree(dest)
    shutil.copytree(overrides, dest)
    scripts = material_assets() / "javascripts"
    warnings = []
    for bundle in scripts.glob("bundle.*.min.js"):
        code = bundle.read_text("utf-8")
        if BUNDLE_PATCH[0] not in code:
            warnings.append(f"{bundle.name}: alternate-link selector not found; Material will "
                            "fetch <page>/sitemap.xml for each language link")
            continue
        fsio.write_text(dest / "assets" / "javascripts" / bundle.name,
                        code.replace(BUNDLE_PATCH[0], BUNDLE_PATCH[1], 1))
    return tuple(warnings)


def write_pages(docs_dir: Path, pages: Mapping[str, str]) -> None:
    """Replace the generated docs folder with exactly ``pages``."""
    if docs_dir.exists():
        for old in docs_dir.glob("*.md"):
            if old.name not in pages:
                old.unlink()
    for name, text in pages.items():
        fsio.write_text(docs_dir / name, text)


def copy_pictograms(config: Config, lang: Language, docs_dir: Path) -> None:
    """The pictograms easy-read Markdown shows (``pictograms/*.svg`` next to it), into
    the docs folder, where the pages' relative image links find them."""
    from lisible.easyread.pictograms import FOLDER

    source = config.markdown_dir(lang) / FOLDER
    for svg in sorted(source.glob("*.svg")) if source.is_dir() else ():
        fsio.write_bytes(docs_dir / FOLDER / svg.name, svg.read_bytes())


def run_mkdocs(settings_path: Path, templates: SharedTemplates | None = None,
               reuse: tuple[Path, Mapping[str, str]] | None = None) -> tuple[str, ...]:
    """Build one language with MkDocs' Python API; returns its warnings.

    ``templates``, shared by every language of one site build, keeps the
    theme's compiled templates (:mod:`lisible.templatecache`). ``reuse``, a
    cache folder and each page's key, renders only the pages whose key is not
    in the cache (:mod:`lisible.pagecache`).
    """
    from mkdocs.commands.build import build
    from mkdocs.config import load_config
    from mkdocs.exceptions import MkDocsException
    from mkdocs.utils import clean_directory

    from lisible import pagecache

    logger = logging.getLogger("mkdocs")
    handler = pagecache.Collect(None)
    logger.addHandler(handler)
    logger.propagate = False
    plugin = None
    try:
        settings = load_config(str(settings_path))
        handler.settings = settings
        if templates is not None:
            templates.attach(settings)
        if reuse is not None and pagecache.usable(settings.plugins):
            plugin = pagecache.Reuse(*reuse, handler)
            settings.plugins["lisible/reuse"] = plugin
            clean_directory(settings.site_dir)  # what MkDocs does when not "dirty"
        build(settings, dirty=plugin is not None)
    except MkDocsException as error:
        raise SiteError(f"MkDocs failed: {error}", settings_path) from None
    finally:
        logger.removeHandler(handler)
        logger.propagate = True
    return plugin.warnings() if plugin else tuple(m for _, m in handler.records)


def write_sitemap(config: Config) -> int:
    """One ``sitemap.xml`` at the root listing every page of every language; the count.

    MkDocs writes one per language build, and the root one would list French
    only. Without ``site_url`` there are no absolute addresses to list, so
    nothing is written.
    """
    if not config.site_url:
        return 0
    urls: list[str] = []
    for lang in config.languages:
        own = config.site_dir / lang.path / "sitemap.xml" if lang.path else None
        path = own if own else config.site_dir / "sitemap.xml"
        if path.exists():
            urls += re.findall(r"<loc>(.*?)</loc>", path.read_text("utf-8"))
    entries = "".join(f"  <url><loc>{url}</loc></url>\n" for url in urls)
    text = ('<?xml version="1.0" encoding="UTF-8"?>\n<urlset xmlns='
            f'"http://www.sitemaps.org/schemas/sitemap/0.9">\n{entries}</urlset>\n')
    fsio.write_text(config.site_dir / "sitemap.xml", text)
    fsio.write_bytes(config.site_dir / "sitemap.xml.gz", gzip.compress(text.encode(), mtime=0))
    return len(urls)


def copy_media(config: Config, docs_dir: Path) -> int:
    """Images converted from the sources (``build/media/``) beside the pages that show them.

    Pages say ``media/<slug>/image1.png``, relative to the page, so MkDocs
    publishes them with the page in every language.
    """
    count = 0
    media = config.build_dir / "media"
    for path in sorted(media.rglob("*")) if media.is_dir() else []:
        if path.is_file():
            fsio.write_bytes(docs_dir / "media" / path.relative_to(media), path.read_bytes())
            count += 1
    return count


def copy_downloads(config: Config, downloads: Iterable[Download]) -> int:
    """Put the listed PDFs into ``site/downloads/`` (after MkDocs cleaned ``site/``).

    Each is a hard link to ``build/downloads/``, where the file system allows:
    copying and syncing 600 PDFs took seconds of every rebuild. Sharing is
    safe because lisible never writes a file in place (:mod:`lisible.fsio`
    replaces it), so a later PDF build leaves the published one as it was.
    """
    count = 0
    for item in downloads:
        _link_or_copy(downloads_dir(config) / item.file, config.site_dir / "downloads" / item.file)
        count += 1
    return count


def _link_or_copy(source: Path, target: Path) -> None:
    target.parent.mkdir(parents=True, exist_ok=True)
    try:
        if target.exists() and target.samefile(source):
            return
        target.unlink(missing_ok=True)
        os.link(source, target)
    except OSError:  # another file system, or one without hard links
        fsio.write_bytes(target, source.read_bytes())


def build_site(config: Config) -> SiteReport:
    """Generate every language's pages and build them into ``site/``, source language first.

    A page whose inputs are as when it was last rendered is taken from the
    cache (:mod:`lisible.pagecache`), so editing one text renders that text's
    pages and the pages that list texts, not the others.
    """
    from lisible import pagecache

    started = time.perf_counter()
    slugs = discover_slugs(config)
    docs = read_documents(config)
    slugs = home.newest_first(config, slugs, docs[config.source.code])
    downloads = read_manifest(config)
    status = collect_status(docs)
    figures = readability_figures(config, docs, config.build_dir / stamps.FOLDER
                                 / "site-readability.json")
    base = load_base_settings(config)
    src = config.build_dir / "site-src"
    warnings = list(assemble_theme(config, src / "_theme"))
    pages, templates = 0, SharedTemplates()
    for lang in sorted(config.languages, key=lambda lg: bool(lg.path)):
        strings, missing = words_for(lang)
        warnings.extend([missing] if missing else [])
        own = docs.get(lang.code, {})
        shown = [own.get(s, docs[config.source.code][s]) for s in slugs]
        docs_dir = src / lang.code
        generated = language_pages(config, lang, docs, slugs, downloads, status, strings,
                                   figures)
        write_pages(docs_dir, generated)
        copy_pictograms(config, lang, docs_dir)
        copy_media(config, docs_dir)
        nav = navigation(slugs, {d.slug: d.title for d in shown}, strings)
        name, about = home.site_identity(config, slugs, dict(zip(slugs, shown, strict=True)),
                                         strings)
        settings = language_settings(config, base, lang, strings, nav,
                                     safety.html_text(name),
                                     safety.html_text(about), src / "_theme",
                                     docs_dir)
        settings_path = src / f"{lang.code}.yml"
        settings_text = json.dumps(settings, ensure_ascii=False, indent=1) + "\n"
        fsio.write_text(settings_path, settings_text)
        keys = pagecache.page_keys(settings_text, generated, docs_dir, src / "_theme")
        reuse = (pagecache.cache_dir(config.build_dir, lang.code), keys)
        warnings.extend(f"{lang.code}: {w}" for w in run_mkdocs(settings_path, templates, reuse))
        pages += len(generated) + 1  # + the 404 page
    siteassets.share_and_trim(
        config.site_dir, [config.site_dir / lg.path for lg in config.languages],
        theme_css=next((material_assets() / "stylesheets").glob("main.*.min.css")),
        our_css=src / "_theme" / "assets" / "lisible" / "lisible.css", fonts=font_dir(),
        cache=config.build_dir / ".stamps" / "fonts")
    write_sitemap(config)
    copied = copy_downloads(config, downloads)
    return SiteReport(site_dir=config.site_dir, languages=tuple(lg.code for lg in config.languages),
                      pages=pages, downloads=copied, seconds=time.perf_counter() - started,
                      warnings=tuple(warnings))
