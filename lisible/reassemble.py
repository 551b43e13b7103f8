"""Reassembly: each language's Markdown from the canonical French and its catalogue.

The stage after the checks (see docs/design.md): for every document and
target language it walks the French Markdown with :mod:`lisible.segment` and
puts in each unit's translation, marking what is not reviewed (never a
silent fallback), and records the unit counts in the front matter
(``lisible:``, :data:`lisible.document.STATUS_KEY`) for the PDFs and the site.
Easy-read French also gets its structure here: summary first, headings,
notes as a final section, hard words explained, pictograms, the glossary.
It reads catalogues (:mod:`lisible.catalogs`) and the easy-read editors'
lists (:mod:`lisible.easyread`); it writes ``build/markdown/<code>/<slug>.md``.
"""

from __future__ import annotations

import dataclasses
import functools
import re
from collections.abc import Iterable
from pathlib import Path

from babel.messages.catalog import Catalog, Message

from lisible import catalogs, safety, segment, stamps
from lisible.config import Config, Language
from lisible.document import STATUS_KEY, TRANSLATED_KEYS, State, catalogued, set_front_matter
from lisible.easyread import pictograms
from lisible.easyread.catalog import load_glossary
from lisible.easyread.glossary import (
    GLOSSARY_INTRO,
    GLOSSARY_PICTURE,
    explain_first_uses,
    glossary_section,
)
from lisible.fsio import write_bytes, write_text

DRAFT_SPAN = '<span class="lisible-draft">{}</span>'
FALLBACK_SPAN = '<span class="lisible-fallback" lang="fr">{}</span>'


def reassemble(markdown: str, catalog: Catalog, lang: Language, publish_drafts: bool = True) -> str:
    """The document in ``lang``: reviewed text as is, the rest marked, never a silent fallback."""
    lookup = _lookup(catalog)
    occurrences: dict[str, int] = {}
    summary: list[str] = []

    def translate(unit: segment.Unit) -> str:
        occurrences[unit.text] = occurrences.get(unit.text, 0) + 1
        message = lookup.get((unit.text, f"occurrence {occurrences[unit.text]}")) or lookup.get(
            (unit.text, None))
        text = _render_unit(unit, message, lang, publish_drafts)
        if lang.easy_read and unit.kind == "description":
            shown = dataclasses.replace(unit, kind="paragraph")
            summary.append(_render_unit(shown, message, lang, publish_drafts))
            return _plain_summary(text)
        return text

    body = segment.walk(markdown, translate)
    if lang.easy_read:
        body = easy_read_notes(_easy_read_headings(_with_summary(body, summary)))
    status = {"language": lang.code, **catalogs.counts(catalog), "easy_read": lang.easy_read}
    return set_front_matter(body, {"lang": lang.tag, STATUS_KEY: status})


NOTES_HEADING = "Les sources"
_NOTE_DEFINITION = re.compile(r"^\[\^[^\]\s]+\]:[ \t]*(.*(?:\n(?: {4}.*|[ \t]*))*)", re.M)


def easy_read_notes(markdown: str) -> str:
    """Easy-read text has no footnotes: references go, notes become a final section.

    Each note ("Pour en savoir plus, …") becomes plain paragraphs under ``## Les sources``
    (easy-read rule RLS 4.4: no footnotes).
    """
    notes = [_dedent(match.group(1)) for match in _NOTE_DEFINITION.finditer(markdown)]
    body = _NOTE_DEFINITION.sub("", markdown)
    body = re.sub(r"\[\^[^\]\s]+\](?!:)", "", body).rstrip("\n") + "\n"
    if not notes:
        return body
    return body + f"\n## {NOTES_HEADING}\n\n" + "\n\n".join(notes) + "\n"


def _with_summary(markdown: str, summary: list[str]) -> str:
    """Easy-read text opens with its summary ("De quoi parle ce texte ?"), on the page
    and in the PDF, not only in ``<meta>``: the description unit, as reviewed, with
    its ``## …`` heading line, goes first in the body."""
    if not summary or not summary[0].strip():
        return markdown
    lines = markdown.split("\n")
    end = lines.index("---", 1) + 1 if lines and lines[0] == "---" else 0
    head, rest = "\n".join(lines[:end]), "\n".join(lines[end:]).lstrip("\n")
    return f"{head}\n\n{summary[0].strip()}\n\n{rest}" if head else f"{summary[0]}\n\n{rest}"


_HEADING_LINE = re.compile(r"^[ \t]*#{1,6}[ \t].*$", re.M)


def _plain_summary(text: str) -> str:
    """The easy-read description for ``<meta>`` and the home page: one line of plain
    sentences, without the reviewers' heading line, pictogram markers or bold marks."""
    text = pictograms.strip_markers(_HEADING_LINE.sub("", text)).replace("**", "")
    return " ".join(line.strip() for line in text.split("\n") if line.strip())


_MARKED_HEADING = re.compile(
    r'^(?P<open><span class="lisible-(?:draft|fallback)"[^>\n]*>)(?P<hashes>#{1,6}) '
    r"(?P<text>.*)</span>$", re.M)


def _easy_read_headings(markdown: str) -> str:
    """A heading line of an unreviewed entry keeps its mark inside the heading:
    ``## <span class="lisible-draft">Question ?</span>``, so it stays a heading."""
    return _MARKED_HEADING.sub(lambda m: f"{m['hashes']} {m['open']}{m['text']}</span>", markdown)


def _dedent(text: str) -> str:
    return "\n".join(line[4:] if line.startswith("    ") else line
                     for line in text.strip().split("\n"))


def _lookup(catalog: Catalog) -> dict[catalogs.Key, Message]:
    return {catalogs.key_of(m): m for m in catalog if m.id}


def _render_unit(unit: segment.Unit, message: Message | None, lang: Language,
                 publish_drafts: bool) -> str:
    state = catalogs.state_of(message) if message is not None else State.UNTRANSLATED
    in_front_matter = unit.kind in TRANSLATED_KEYS
    if state is State.REVIEWED or (state in (State.DRAFT, State.STALE) and in_front_matter
                                   and publish_drafts):
        text = _published(message, unit, in_front_matter)
        return _easy_read_lines(text) if lang.easy_read and not in_front_matter else text
    if state in (State.DRAFT, State.STALE) and publish_drafts:
        return _mark(_published(message, unit, in_front_matter), DRAFT_SPAN, lang)
    return unit.text if in_front_matter else _mark(unit.text, FALLBACK_SPAN, lang)


def _published(message: Message, unit: segment.Unit, in_front_matter: bool) -> str:
    """A msgstr as it may be published: plain text in the front matter, safe Markdown
    in the body (see :mod:`lisible.safety`: raw HTML and unsafe links become text)."""
    if in_front_matter:
        return safety.plain_text(str(message.string))
    return safety.translation_markdown(str(message.string), unit.text)


def _mark(text: str, span: str, lang: Language) -> str:
    """Wrap text in a marking span; easy-read lines are marked one by one."""
    if lang.easy_read:
        return "\n".join(span.format(line) if line.strip() else line
                         for line in _easy_read_lines(text).split("\n"))
    return span.format(text)


def _easy_read_lines(text: str) -> str:
    """One sentence a line, each its own paragraph: lines are separated by blank lines."""
    return "\n\n".join(line.strip() for line in text.split("\n") if line.strip())


# ------------------------------------------------------------------ stage


def _with_glossary(config: Config, slug: str, text: str) -> tuple[str, tuple]:
    """Easy-read pages explain each hard word beside its first bold use, place the
    reviewers' pictograms, and end with the difficult words they use, explained.

    Returns the text and the pictograms it shows (their files go next to it)."""
    glossary = load_glossary(config, slug)
    pictures = pictograms.load_pictograms(config.content_dir)
    text = explain_first_uses(text, glossary)
    intro = f":{GLOSSARY_PICTURE}: {GLOSSARY_INTRO}" if pictures.get(GLOSSARY_PICTURE) else ""
    section = glossary_section(text, glossary, intro)
    text = text.rstrip("\n") + "\n\n" + section.rstrip("\n") + "\n" if section else text
    return pictograms.place(text, pictures)


def _copy_pictograms(folder: Path, pictures: Iterable) -> None:
    """Each pictogram's OpenMoji SVG next to the Markdown that shows it."""
    for picture in pictures:
        write_bytes(folder / picture.file, pictograms.openmoji_svg(picture.code).read_bytes())


def reassemble_all(config: Config) -> list[Path]:
    """Write ``build/markdown/<code>/<slug>.md`` for every target language whose
    inputs changed since the last build (:mod:`lisible.stamps`)."""
    with stamps.together():  # pictograms are shared: keys once every file is written
        return [target for slug in catalogued(config)
                for target in _reassemble_document(config, slug)]


def _reassemble_key(config: Config, slug: str, lang: Language) -> str:
    """What one reassembled file reads and writes (see :mod:`lisible.stamps`)."""
    target = config.markdown_path(lang, slug)
    easy = [*sorted(config.content_dir.glob("*.csv")), target.parent / "pictograms"]
    return stamps.key_of([config.markdown_path(config.source, slug),
                          config.catalog_path(lang, slug), target,
                          *(easy if lang.easy_read else ())],
                         repr((lang, config.publish_drafts)), stamps.tools("reassemble"))


def _reassemble_document(config: Config, slug: str) -> list[Path]:
    """``build/markdown/<code>/<slug>.md`` of one document, for each language whose
    inputs changed since the last build."""
    written: list[Path] = []
    source = config.markdown_path(config.source, slug)
    if source.exists():
        markdown = source.read_text("utf-8")
        for lang in config.targets:
            stamp = stamps.Stamp(config.build_dir, "reassemble", f"{lang.code}/{slug}")
            key = functools.partial(_reassemble_key, config, slug, lang)
            if not stamp.fresh(key()):
                written.append(_reassemble_one(config, slug, markdown, lang))
            stamp.done(key)
    return written


def _reassemble_one(config: Config, slug: str, markdown: str, lang: Language) -> Path:
    """Write one document's Markdown in ``lang`` from its catalogue."""
    catalog = catalogs.read_catalog(config.catalog_path(lang, slug))
    text = reassemble(markdown, catalog, lang, config.publish_drafts)
    target = config.markdown_path(lang, slug)
    if lang.easy_read:
        text, pictures = _with_glossary(config, slug, text)
        _copy_pictograms(target.parent, pictures)
    write_text(target, text)
    return target
