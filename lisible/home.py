"""The home page of a language when the publication holds several texts.

A campaign publishes a series (a carte blanche, its follow-up, a leaflet, an
FAQ). Each language's home lists every text, newest first, message first: the
claim (kicker and title), the summary, the date, a link to read it and its
PDFs in that language. A text that has no translation in the language yet
says so in the language's own words and links the original; nothing is shown
in French on a Dutch home without saying it is French.

Light and accessible: plain HTML (no image, no script), one ``h2`` per text
inside a list, every link text names its text (screen-reader words complete
the short visible ones). From :data:`FULL` texts on, the older texts get a
compact entry (title, date, read link) so a phone reader is not scrolling
through fifty summaries to find the one she was given on paper.

The one-text home stays in :func:`lisible.site.home_markdown`.
"""

from __future__ import annotations

import datetime
import html
import json
from collections.abc import Iterable, Mapping, Sequence

from lisible import safety, words
from lisible.config import Config, Language
from lisible.document import Counts, Download, Published
from lisible.words import Words

# Texts shown in full (kicker, title, summary, date, PDFs); older ones get a
# compact entry (title, date). Five full entries fill about two and a half
# screens of a 390 x 844 phone; a compact one is about 65 px high
# (benchmarks/many_texts.py: 50 texts, 6 screens in all).
FULL = 5
HOME_FORMATS = ("a4", "a5")  # the printer's bleed file is on the downloads page only


def text_date(doc: Published | None, config: Config) -> str:
    """A text's date, ``YYYY-MM-DD``: its own (``.meta.yml``), else the publication's, else ""."""
    if doc is not None and doc.date:
        return doc.date
    published = config.publication.date
    return published.isoformat() if published else ""


def newest_first(config: Config, slugs: Iterable[str],
                 source_docs: Mapping[str, Published]) -> tuple[str, ...]:
    """The texts, newest first; equal dates by slug, undated texts last (by slug)."""
    dated = {slug: text_date(source_docs.get(slug), config) for slug in slugs}
    by_slug = sorted(dated)
    return tuple(sorted(by_slug, key=lambda s: (dated[s] == "", _negate(dated[s]))))


def _negate(iso: str) -> tuple[int, ...]:
    """A sort key putting later ISO dates first (a plain ``reverse`` would reverse slugs too)."""
    return tuple(-ord(c) for c in iso)


def long_date(iso: str, lang: Language) -> str:
    """A ``YYYY-MM-DD`` date as the language writes it; text that is not one stays as given."""
    try:
        day = datetime.date.fromisoformat(iso)
    except ValueError:
        return iso
    return words.long_date(day, lang)


def untranslated(doc: Published | None) -> bool:
    """No unit of the text is translated in this language (or it has no page at all)."""
    return doc is None or (doc.status is not None and doc.status.total > 0
                           and doc.status.untranslated == doc.status.total)


def _unreviewed(counts: Counts | None) -> bool:
    return counts is not None and counts.reviewed < counts.total


def site_identity(config: Config, slugs: Sequence[str], shown: Mapping[str, Published],
                  strings: Words) -> tuple[str, str]:
    """The site's name and description in one language.

    One text: its claim and summary (the home is that text). Several: the
    publication's ``site_name`` and the newest text's summary.
    """
    newest = shown[slugs[0]]
    if len(slugs) == 1:
        return newest.title, newest.description
    return config.publication.site_name or strings["home_title"], newest.description


def _front(**values: str) -> str:
    """Page metadata, escaped (as :func:`lisible.site._front`)."""
    return "---\n" + "\n".join(
        f"{key}: {json.dumps(safety.html_text(value), ensure_ascii=False)}"
        for key, value in values.items()) + "\n---\n\n"


def _up(lang: Language) -> str:
    """From a language's home to the root of ``site/``."""
    return "../" if lang.path else ""


def _sr(text: str) -> str:
    """Words for screen readers only, completing a short visible link text."""
    return f'<span class="lisible-sr">{text}</span>'


def _pdf_links(doc: Published, items: Sequence[Download],
               strings: Words, up: str, label_lang: Language | None) -> str:
    """This text's PDFs in one language, short labels ("PDF A4, 2 pages")."""
    if not items:
        return ""
    links = []
    for item in sorted(items, key=lambda d: HOME_FORMATS.index(d.format)):
        kind = f'{strings["pdf"]} {strings.get(f"format_{item.format}", item.format.upper())}'
        pages = strings.n("pages", item.pages, pages=item.pages) if item.pages else ""
        name = f"{safety.html_text(label_lang.name)}, " if label_lang else ""
        attrs = f' hreflang="{label_lang.html_lang}"' if label_lang else ""
        links.append(f'<li><a href="{up}downloads/{html.escape(item.file)}" '
                     f'type="application/pdf"{attrs}>{name}{html.escape(kind)}'
                     f"{_sr(', ' + safety.html_text(doc.title))}</a>"
                     + (f' <span class="lisible-meta">({pages})</span>' if pages else "")
                     + "</li>")
    return '<ul class="lisible-downloads lisible-home-pdfs">' + "".join(links) + "</ul>"


def text_entry(doc: Published | None, source: Published, lang: Language, source_lang: Language,
               date: str, downloads: Sequence[Download], strings: Words,
               full: bool) -> str:
    """One ``<li>`` of the home list: a translated text, or one that says it is not yet.

    ``doc`` is the text in ``lang`` (None when it has no page there); a
    compact entry (``full`` false) is an ``h3`` under "older texts".
    """
    up = _up(lang)
    missing = lang.code != source_lang.code and untranslated(doc)
    shown = source if missing or doc is None else doc
    level = 2 if full else 3
    def attrs(field: str) -> str:
        """``lang`` of the original on a field still in the original's words.

        A title whose unit is not translated yet is the French one: said so
        to screen readers and browsers, never passed off as Dutch."""
        same = getattr(shown, field) == getattr(source, field)
        french = lang.code != source_lang.code and (missing or same)
        return f' lang="{source_lang.html_lang}"' if french else ""

    href = (f"{up}{source_lang.path + '/' if source_lang.path else ''}{shown.slug}/" if missing
            else f"{shown.slug}/")
    parts = ['<li class="lisible-text">']
    if full and shown.kicker:
        parts.append(f'<p class="lisible-kicker"{attrs("kicker")}>'
                     f"{safety.html_text(shown.kicker)}</p>")
    parts.append(f'<h{level} class="lisible-text-title"><a href="{href}"{attrs("title")}'
                 + (f' hreflang="{source_lang.html_lang}"' if missing else "")
                 + f">{safety.html_text(shown.title)}</a></h{level}>")
    if full and shown.description:
        parts.append(f'<p class="lisible-summary"{attrs("description")}>'
                     f"{safety.html_text(shown.description)}</p>")
    if date:
        when = (f'<time datetime="{html.escape(date)}">'
                f"{html.escape(long_date(date, lang))}</time>")
        parts.append(f'<p class="lisible-byline">{strings["byline_date"].format(date=when)}</p>')
    if missing:
        parts.append(f'<p class="lisible-untranslated">{strings["home_untranslated"]} '
                     f'<a href="{href}" hreflang="{source_lang.html_lang}">'
                     f'{strings["home_read_source"]}{_sr(", " + safety.html_text(source.title))}'
                     "</a></p>")
    elif doc is not None and _unreviewed(doc.status):
        parts.append(f'<p class="lisible-meta">{strings["home_unreviewed"]}</p>')
    code = source_lang.code if missing else lang.code
    mine = [d for d in downloads if d.slug == source.slug and d.language == code
            and d.format in HOME_FORMATS]
    if full:
        parts.append(_pdf_links(shown, mine, strings, up,
                                source_lang if missing else None))
    parts.append("</li>")
    return "\n".join(p for p in parts if p)


def home_markdown(config: Config, lang: Language, slugs: Sequence[str],
                  docs: Mapping[str, Mapping[str, Published]], downloads: Sequence[Download],
                  strings: Words) -> str:
    """The home of ``lang`` listing every text of ``slugs`` (already newest first)."""
    source_docs = docs[config.source.code]
    own = docs.get(lang.code, {})
    shown = {s: own.get(s, source_docs[s]) for s in slugs}
    name, description = site_identity(config, slugs, shown, strings)
    entries = [text_entry(own.get(slug), source_docs[slug], lang,
                          config.source, text_date(source_docs[slug], config), downloads,
                          strings, full=index < FULL)
               for index, slug in enumerate(slugs)]
    parts = [_front(title=name, description=description, lisible_kind="home"),
             f"# {safety.markdown_text(name)}\n\n",
             '<ol class="lisible-texts">\n' + "\n".join(entries[:FULL]) + "\n</ol>\n\n"]
    if entries[FULL:]:
        parts.append(f"## {strings['home_older']}\n\n"
                     '<ol class="lisible-texts lisible-texts-compact">\n'
                     + "\n".join(entries[FULL:]) + "\n</ol>\n\n")
    parts.append(f"[{strings['downloads_all']}](pdf.md)\n")
    return "".join(parts)
