"""Convert the sources in ``content/`` into canonical French Markdown.

Every later stage starts from ``build/markdown/fr/<slug>.md``, so this stage
makes all inputs look alike:

- ``.docx .odt .html .rtf .epub .md`` are read by pandoc (the binary shipped by
  ``pypandoc-binary``, so no system pandoc is needed);
- ``.txt`` is text extracted from a PDF and goes through lisible's own reader
  (:mod:`lisible.textreader`), which recovers paragraphs and footnotes;
- ``.pdf`` is read with its layout by :mod:`lisible.pdfreader` (pdfminer.six),
  its images kept.

Whatever the format, the body is then written by pandoc's Markdown writer with
fixed options (``--wrap=none``, no smart quotes), so "canonical" means one
writer's output: footnotes ``[^1]``, one line per paragraph, one blank line
between blocks. The front matter is written by :func:`front_matter` (one key a
line, values as JSON, which YAML reads), so the segmenter can translate values
in place and give the file back byte for byte.

Metadata in ``content/<slug>.meta.yml`` (title, kicker, lang, description,
footnote sources) wins over what the reader guesses. All sources are converted
in memory first; only if every one succeeds is anything written, so one bad
file leaves ``build/`` as it was.
"""

from __future__ import annotations

import json
import logging
import os
import re
import secrets
import shutil
import tempfile
import time
import unicodedata
import zipfile
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, replace
from pathlib import Path
from typing import Any

import yaml

from lisible import safety, stamps, textreader, typography
from lisible.config import Config
from lisible.document import TRANSLATED_KEYS, front_matter
from lisible.errors import ConversionError
from lisible.fsio import decode_text, write_bytes, write_text

PANDOC_FORMATS = {
    ".md": "markdown",
    ".markdown": "markdown",
    ".docx": "docx",
    ".odt": "odt",
    ".html": "html",
    ".htm": "html",
    ".rtf": "rtf",
    ".epub": "epub",
}
TEXT_FORMATS = {".txt": "text", ".pdf": "pdf"}
SIDECAR_SUFFIXES = (".meta.yml", ".csv")  # metadata and editors' lists kept beside sources
# Larger sources are refused: pandoc's memory grows about 200-fold with its input.
MAX_SOURCE_BYTES = 32 * 1024 * 1024
CHUNK_CHARS = 200_000  # pandoc gets Markdown in pieces of about this size (bounded memory)
KEPT_META = (*TRANSLATED_KEYS, "author")  # what a document's own metadata may set
# Pipe tables only, so that the segmenter sees one cell per unit.
WRITER = "markdown-smart-simple_tables-multiline_tables-grid_tables"
WRITER_ARGS = ("--wrap=none", "--markdown-headings=atx")
# No file or network access while reading a source: an <iframe src> or a remote
# image must not make the build fetch anything.
SANDBOX = "--sandbox"
# Markdown as text with Markdown's markup: a backslash command or a {=format}
# block is text, not raw TeX for some other writer (raw HTML is removed by
# strip_unsafe).
MARKDOWN_READER = "markdown-smart-raw_tex-raw_attribute"
# A larger allocation area: pandoc's GC costs a third less on large texts (measured
# with benchmarks/convert_large.py).
PANDOC_RTS = ("+RTS", "-A64m", "-RTS")


@dataclass(frozen=True)
class Source:
    """A file of ``content/`` and what it is."""

    path: Path  # absolute
    relative: str  # as written in references: "content/<name>"
    slug: str
    format: str  # a pandoc reader name, or "text" / "pdf"


@dataclass(frozen=True)
class Converted:
    """The canonical Markdown of one source."""

    source: Source
    markdown: str
    seconds: float
    media: tuple[tuple[str, bytes], ...] = ()  # (path under build/, bytes): images it shows
    warnings: tuple[str, ...] = ()

    def describe(self, written: bool | None = None) -> str:
        """One line for the terminal, and one per warning."""
        state = "" if written is None else (" (written)" if written else " (unchanged)")
        line = f"{self.source.relative} -> build/markdown/fr/{self.source.slug}.md{state}"
        return "\n".join([line, *(f"{self.source.relative}: warning: {w}" for w in self.warnings)])


def slugify(name: str) -> str:
    """A file stem as a URL- and file-safe slug: ``Carte Blanche (v2)`` -> ``carte-blanche-v2``."""
    ascii_name = unicodedata.normalize("NFKD", name).encode("ascii", "ignore").decode()
    return re.sub(r"[^a-z0-9]+", "-", ascii_name.lower()).strip("-")


def find_sources(config: Config) -> list[Source]:
    """The sources of ``content/``, sorted; unknown extensions and slug clashes are errors.

    Checked here, before any stage writes anything: every file (sidecars
    included) must lie inside the project once symlinks are followed, so a
    link to ``~/.ssh/`` never reaches the site; and every source name must
    give a slug, the name of its pages, catalogues and PDFs.
    """
    sources: dict[str, Source] = {}
    for path in sorted(config.content_dir.iterdir() if config.content_dir.is_dir() else []):
        if path.name.startswith("."):
            continue
        _inside_project(path, config.root, config.content_dir)
        if path.is_dir() or path.name.endswith(SIDECAR_SUFFIXES):
            continue
        suffix = path.suffix.lower()
        fmt = PANDOC_FORMATS.get(suffix) or TEXT_FORMATS.get(suffix)
        if fmt is None:
            known = ", ".join(sorted({*PANDOC_FORMATS, *TEXT_FORMATS}))
            what = suffix or "(none)"
            raise ConversionError(f"unknown extension {what!r}; lisible reads {known}", path)
        if path.stat().st_size > MAX_SOURCE_BYTES:
            raise ConversionError(f"this file is {path.stat().st_size / 1e6:.0f} MB; lisible "
                                  f"reads sources up to {MAX_SOURCE_BYTES / 1e6:.0f} MB: split "
                                  "it into several texts", path)
        slug = slugify(path.stem)
        if not slug:
            raise ConversionError("this name gives no web address (it needs Latin letters or "
                                  "digits); rename the file, for example to "
                                  f"document{path.suffix}", path)
        if slug in sources:
            raise ConversionError(f"same slug {slug!r} as {sources[slug].path.name}", path)
        relative = path.relative_to(config.root).as_posix() if path.is_relative_to(
            config.root) else path.as_posix()
        sources[slug] = Source(path, relative, slug, fmt)
    return list(sources.values())


def _inside_project(path: Path, root: Path, content_dir: Path) -> None:
    """Refuse a file of ``content/`` that links to something outside the project.

    (Outside the project folder and outside the configured ``content_dir``,
    which a setting may place elsewhere.)
    """
    try:
        target = path.resolve(strict=True)
    except (OSError, RuntimeError):
        raise ConversionError("this link points to nothing (or loops); remove it", path) from None
    if not any(target.is_relative_to(place.resolve()) for place in (root, content_dir)):
        raise ConversionError(f"this link leads outside the project (to {target}); copy the "
                              "file into content/ instead", path)


def read_metadata(source: Source) -> dict[str, Any]:
    """``content/<slug>.meta.yml`` if present, beside the source."""
    path = source.path.with_name(source.path.stem + ".meta.yml")
    if not path.exists():
        return {}
    try:
        data = yaml.safe_load(path.read_text("utf-8")) or {}
    except yaml.YAMLError as error:
        mark = getattr(error, "problem_mark", None)
        raise ConversionError(f"metadata does not parse: {getattr(error, 'problem', error)}", path,
                              mark.line + 1 if mark else None) from None
    if not isinstance(data, dict):
        raise ConversionError("metadata must be a mapping of keys to values", path)
    return _date_as_text(data, path)


def _date_as_text(meta: dict[str, Any], path: Path) -> dict[str, Any]:
    """``date: 2024-03-01`` (a date to YAML) as the text ``"2024-03-01"``.

    The home page orders texts by it and prints it in each language; a date
    that is not ``YYYY-MM-DD`` is refused here, with its line, rather than
    published as written or crashing the front matter writer.
    """
    import datetime

    value = meta.get("date")
    if value is None:
        return meta
    if isinstance(value, datetime.date) and not isinstance(value, datetime.datetime):
        return {**meta, "date": value.isoformat()}
    try:
        return {**meta, "date": datetime.date.fromisoformat(str(value).strip()).isoformat()}
    except ValueError:
        line = next((n for n, row in enumerate(path.read_text("utf-8").splitlines(), 1)
                     if row.startswith("date:")), None)
        raise ConversionError(f"date must be YYYY-MM-DD, not {str(value)!r}", path,
                              line) from None


def convert_source(source: Source) -> Converted:
    """Read one source and return its canonical Markdown (no file is written)."""
    started = time.perf_counter()
    meta = read_metadata(source)
    media: tuple[tuple[str, bytes], ...] = ()
    found: tuple[str, ...] = ()  # what a reader noticed and the author should know
    if source.format == "pdf":
        detected, body, media, found = _read_pdf(source, meta.get("lang"))
    elif source.format == "text":
        detected, body = _read_extracted_text(source, _is_french(meta.get("lang")))
    else:
        detected, body, media = _read_with_pandoc(source, meta.get("lang"))
    body = _keep_first_block(detected, meta, body)
    merged = {**detected, **meta}
    if "kicker" in merged and isinstance(merged.get("title"), str):
        merged["title"] = _strip_kicker(merged["title"], merged["kicker"])
    merged.setdefault("lang", "fr-BE")
    merged["source"] = source.relative
    warnings = review_marks(source) + found
    if not isinstance(merged.get("title"), str) or not merged["title"].strip():
        merged["title"] = fallback_title(source)
        warnings += (f"no title found: using {merged['title']!r}; set one in "
                     f"{source.path.stem}.meta.yml",)
    markdown = front_matter(_typeset(merged)) + "\n" + normalise(body)
    return Converted(source, markdown, time.perf_counter() - started, media, warnings)


def fallback_title(source: Source) -> str:
    """The file's name as a title (``Affiche_CPAS-2025`` -> ``Affiche CPAS 2025``).

    Every later stage needs a title; a document that gives none still builds,
    and the warning says where to set a better one.
    """
    words = re.sub(r"[-_]+", " ", source.path.stem).strip()
    return words[:1].upper() + words[1:] if words else source.slug


def _keep_first_block(detected: dict[str, Any], meta: dict[str, Any], body: str) -> str:
    """A first block taken for the title stays in the body when ``.meta.yml`` titles the text.

    Only the PDF/text readers guess a title; if the metadata's title (and
    kicker) say something else, the guessed one was a short first paragraph.
    """
    guessed, given = detected.get("title"), meta.get("title")
    if not (isinstance(guessed, str) and isinstance(given, str)):
        return body
    def letters(text: object) -> str:
        return re.sub(r"\W+", "", str(text)).casefold()
    if letters(given) in letters(guessed) and len(letters(guessed)) <= len(
            letters(given)) + len(letters(meta.get("kicker", ""))):
        return body
    first = _MD_SPECIAL.sub(r"\\\1", guessed)
    french = _is_french(meta.get("lang") or detected.get("lang"))
    return (typography.french(first) if french else first) + "\n\n" + body


_MD_SPECIAL = re.compile(r"([\\`*_\[\]<>#|~^$])")


def _is_french(lang: object) -> bool:
    """French typography for ``fr*`` (and when no language is said: lisible's default)."""
    return not isinstance(lang, str) or lang.casefold().startswith("fr")


def _typeset(meta: dict[str, Any]) -> dict[str, Any]:
    """French spacing in the reader-facing metadata, like in the body (French only)."""
    if not _is_french(meta.get("lang")):
        return meta
    return {k: typography.french(v) if k in TRANSLATED_KEYS and isinstance(v, str) else v
            for k, v in meta.items()}


def _strip_kicker(title: str, kicker: str) -> str:
    """``Carte blanche « X »`` with kicker ``Carte blanche`` -> ``« X »``."""
    if title.casefold().startswith(kicker.casefold()):
        return title[len(kicker):].lstrip(" :–-\u202f\u00a0")
    return title


def _read_extracted_text(source: Source, french: bool = True) -> tuple[dict[str, Any], str]:
    text = decode_text(source.path.read_bytes(), source.path)
    doc = textreader.read_text(text)
    if not doc.blocks:
        raise ConversionError("no text found", source.path)
    meta = {"title": doc.title} if doc.title else {}
    return meta, textreader.to_markdown(doc, french)


def _read_pdf(source: Source, lang: object) -> tuple[
        dict[str, Any], str, tuple[tuple[str, bytes], ...], tuple[str, ...]]:
    """A PDF read with its layout (:mod:`lisible.pdfreader`); its ``/Lang`` if meta has none.

    Also returns the images it shows (for ``build/media/<slug>/``) and warnings.
    """
    from lisible import pdfreader

    path = source.path
    head = path.read_bytes()[:1024]
    if not head.strip():
        raise ConversionError("the file is empty", path)
    if b"%PDF-" not in head:
        raise ConversionError("this is not a PDF (no %PDF- header)", path)
    try:  # pdfminer raises many kinds of errors on bad files: one line for all
        declared = None if isinstance(lang, str) else pdfreader.pdf_language(path)
        items = pdfreader.read_pdf(path, lang if isinstance(lang, str) else declared)
    except Exception as error:
        raise ConversionError(f"cannot read this PDF: {_pdf_problem(error)}", path) from None
    if not any(item.kind not in ("note", "image") for item in items):
        raise ConversionError("no text found (a scanned PDF needs OCR first)", path)
    detected: dict[str, Any] = {"lang": declared} if declared else {}
    items, media, warnings = _pdf_media(items, source.slug)
    title, items = pdfreader.title_of(items)
    if title:
        detected["title"] = title
    body = pdfreader.to_markdown(items, _is_french(lang or detected.get("lang")))
    return detected, body, media, warnings


def _pdf_media(items: tuple[Any, ...], slug: str) -> tuple[
        tuple[Any, ...], tuple[tuple[str, bytes], ...], tuple[str, ...]]:
    """Images of a PDF pointed at ``media/<slug>/``, as for a ``.docx``; what to tell the author."""
    kept, media, left_out = [], [], 0
    for item in items:
        if item.kind == "image" and not item.text:
            left_out += 1
            continue
        if item.kind == "image":
            name = f"media/{slug}/{item.text}"
            media.append((name, item.data))
            item = replace(item, text=name, data=b"")
        kept.append(item)
    warnings = []
    if media:
        warnings.append(f"{len(media)} image(s) taken from the PDF have no description: they "
                        "are shown as decoration (alt text \"\"); describe them in a .docx or "
                        ".md source if they carry meaning")
    if left_out:
        warnings.append(f"{left_out} image(s) of the PDF are stored in a form browsers can't "
                        "show (JPEG 2000, JBIG2, CMYK or indexed colours): left out")
    return tuple(kept), tuple(media), tuple(warnings)


def _pdf_problem(error: Exception) -> str:
    """What pdfminer's error means for the author, on one line."""
    name = type(error).__name__
    if name in ("PDFPasswordIncorrect", "PDFEncryptionError", "PDFEncryptionWarning"):
        return "it is protected by a password; save an unprotected copy"
    message = " ".join(str(error).split())
    if name == "PSEOF" or "EOF" in message:
        return f"the file is cut short ({message or name}); save or download it again"
    return message or name


MEDIA_FORMATS = ("docx", "odt", "epub")  # formats that carry their images inside


def _read_with_pandoc(source: Source, lang: object = None
                      ) -> tuple[dict[str, Any], str, tuple[tuple[str, bytes], ...]]:
    if source.format in ("markdown", "html"):
        decode_text(source.path.read_bytes(), source.path)  # same checks as for text
    elif not source.path.read_bytes():
        raise ConversionError("the file is empty", source.path)
    media: tuple[tuple[str, bytes], ...] = ()
    if source.format in MEDIA_FORMATS:
        with tempfile.TemporaryDirectory() as tmp:
            ast = json.loads(_pandoc(source.path, source.format, "json", f"--extract-media={tmp}"))
            media = _collect_media(ast, Path(tmp), source.slug)
    else:
        ast = json.loads(_pandoc(source.path, source.format, "json"))
    meta = {key: _stringify(value) for key, value in ast.get("meta", {}).items()
            if key in KEPT_META}
    if source.format == "markdown":
        meta |= _plain_front_matter(source.path)
    own_lang = _stringify(ast.get("meta", {}).get("lang", {}))
    meta = {k: v for k, v in meta.items() if v}
    ast["meta"] = {}
    french = _is_french(lang if isinstance(lang, str) else own_lang)
    ast["blocks"] = strip_unsafe(simple_tables(clean_blocks(ast["blocks"], meta.get("title"),
                                                            french)))
    body = _pandoc_text(json.dumps(ast), "json", WRITER, source.path)
    return meta, body, media


def _plain_front_matter(path: Path) -> dict[str, Any]:
    """A Markdown source's front-matter strings as written: plain text, not Markdown.

    pandoc reads YAML metadata strings as Markdown, so a title ``> 0`` would
    lose its ``>`` (a block quote) and ``*x*`` its stars; lisible's contract
    is that titles, kickers and descriptions are plain text everywhere.
    """
    text = decode_text(path.read_bytes(), path).lstrip("\ufeff")
    match = re.match(r"---[ \t]*\r?\n(.*?)\r?\n(?:---|\.\.\.)[ \t]*(?:\r?\n|$)", text, re.S)
    try:
        data = yaml.safe_load(match.group(1)) if match else None
    except yaml.YAMLError:
        return {}
    if not isinstance(data, dict):
        return {}
    return {key: " ".join(value.split()) for key, value in data.items()
            if key in KEPT_META and isinstance(value, str)}


_RAW = ("RawBlock", "RawInline")
_REMOTE = re.compile(r"\s*(?:[A-Za-z][A-Za-z0-9+.-]*:)?//")


def strip_unsafe(node: Any) -> Any:
    """A pandoc AST with nothing a source may not publish: the rule of :mod:`lisible.safety`.

    Raw HTML (and raw TeX, Typst ...) goes, ``<script>`` blocks with their
    content; ``on*`` and any other attribute but ids, classes and the harmless
    ones of ``safety.SAFE_ATTRIBUTES`` go (and ``lisible-`` classes, which
    only lisible may set); a link with an unsafe target becomes its text, an
    image with one its description, and so does a remote image (the build
    fetches nothing, and a page must not tell another site who reads it).
    """
    if isinstance(node, dict):
        return {key: strip_unsafe(value) for key, value in node.items()}
    if not isinstance(node, list):
        return node
    if _is_attr(node):
        identifier, classes, pairs = node
        return [identifier, [c for c in classes if not c.startswith("lisible-")],
                [[k, v] for k, v in pairs if k.lower() in safety.SAFE_ATTRIBUTES]]
    out: list[Any] = []
    for item in node:
        if isinstance(item, dict) and item.get("t") in _RAW:
            continue
        if isinstance(item, dict) and item.get("t") in ("Link", "Image") and (
                not safety.safe_url(item["c"][2][0])
                or (item["t"] == "Image" and _REMOTE.match(item["c"][2][0]))):
            out.extend(strip_unsafe(item["c"][1]))
            continue
        out.append(strip_unsafe(item))
    return out


def _is_attr(node: list[Any]) -> bool:
    """pandoc's Attr: [identifier, [classes], [[key, value]]]."""
    return (len(node) == 3 and isinstance(node[0], str) and isinstance(node[1], list)
            and isinstance(node[2], list) and all(isinstance(c, str) for c in node[1])
            and all(isinstance(p, list) and len(p) == 2 and all(isinstance(x, str) for x in p)
                    for p in node[2]))


def simple_tables(node: Any) -> Any:
    """Every table made fit for a pipe table: one line a cell, no spans, default widths.

    Pandoc writes any other table as raw HTML, which the site then shows as
    literal tags and the segmenter cannot cut into cells. Paragraphs in a cell
    are joined by a space, list items by "; "; a merged cell is followed by
    empty ones, so no text moves to another column.
    """
    if isinstance(node, list):
        return [simple_tables(item) for item in node]
    if not isinstance(node, dict):
        return node
    if node.get("t") != "Table":
        return {key: simple_tables(value) for key, value in node.items()}
    attr, caption, colspecs, head, bodies, foot = node["c"]
    colspecs = [[align, {"t": "ColWidthDefault"}] for align, _ in colspecs]
    head = [head[0], _grid_rows(head[1], len(colspecs))]
    bodies = [[b[0], b[1], _grid_rows(b[2], len(colspecs)), _grid_rows(b[3], len(colspecs))]
              for b in bodies]
    foot = [foot[0], _grid_rows(foot[1], len(colspecs))]
    return {"t": "Table", "c": [attr, caption, colspecs, head, bodies, foot]}


def _grid_rows(rows: list[Any], width: int) -> list[Any]:
    """Rows with every span undone: empty cells where a merged cell reached."""
    pending: dict[int, int] = {}  # column -> rows still covered by a cell above
    out = []
    for row_attr, cells in rows:
        queue = list(cells)
        row: list[Any] = []
        while len(row) < width and (queue or pending):
            column = len(row)
            if pending.get(column, 0) > 0:
                pending[column] -= 1
                row.append(_cell([]))
                continue
            if not queue:
                row.append(_cell([]))
                continue
            cell_attr, align, rowspan, colspan, blocks = queue.pop(0)
            for offset in range(colspan):
                if rowspan > 1:
                    pending[column + offset] = rowspan - 1
            row.append([cell_attr, align, 1, 1, [_one_line(blocks)]])
            row.extend(_cell([]) for _ in range(colspan - 1))
        out.append([row_attr, row[:width]])
    return out


def _cell(blocks: list[Any]) -> list[Any]:
    return [["", [], []], {"t": "AlignDefault"}, 1, 1, blocks]


def _one_line(blocks: list[Any]) -> dict[str, Any]:
    """A cell's blocks as one Plain: paragraphs joined by a space, list items by "; "."""
    inlines: list[Any] = []
    for block in blocks:
        kind, content = block.get("t"), block.get("c")
        if kind in ("Plain", "Para", "Header"):
            part = content[2] if kind == "Header" else content
        elif kind in ("BulletList", "OrderedList"):
            items = content if kind == "BulletList" else content[1]
            part = []
            for index, item in enumerate(items):
                if index:
                    part += [{"t": "Str", "c": ";"}, {"t": "Space"}]
                part += _one_line(item)["c"]
        elif kind in ("BlockQuote", "Div"):
            part = _one_line(content if kind == "BlockQuote" else content[1])["c"]
        elif kind == "LineBlock":
            part = [i for line in content for i in [*line, {"t": "Space"}]][:-1]
        else:
            continue
        if inlines and part:
            inlines.append({"t": "Space"})
        inlines += part
    flat = [{"t": "Space"} if i.get("t") in ("SoftBreak", "LineBreak") else i for i in inlines]
    return {"t": "Plain", "c": flat}


def _collect_media(ast: Any, folder: Path, slug: str) -> tuple[tuple[str, bytes], ...]:
    """Images pandoc extracted into ``folder``: read, and pointed at ``media/<slug>/``.

    The Markdown then says ``![alt](media/<slug>/image1.png)``, a path relative
    to ``build/``, which the pdf stage (typst's root) and the site (each
    language's docs folder) both resolve. Alt text stays as the document gave it.
    """
    found: dict[str, bytes] = {}

    def visit(node: Any) -> None:
        if isinstance(node, dict):
            if node.get("t") == "Image":
                target = node["c"][2]
                path = Path(target[0])
                if path.is_relative_to(folder) and path.is_file():
                    name = f"media/{slug}/{path.relative_to(folder).as_posix().replace('/', '-')}"
                    name = name.replace(f"media/{slug}/media-", f"media/{slug}/")
                    found[name] = path.read_bytes()
                    target[0] = name
            for value in node.values():
                visit(value)
        elif isinstance(node, list):
            for item in node:
                visit(item)

    visit(ast["blocks"])
    return tuple(sorted(found.items()))


def review_marks(source: Source) -> tuple[str, ...]:
    """Comments and tracked changes a word processor kept: pandoc drops or accepts them.

    The text written is the document with every change accepted and no
    comment; the author should know, so a warning says which were present.
    """
    parts = {"docx": ("word/document.xml", "word/comments.xml"),
             "odt": ("content.xml", "content.xml")}.get(source.format)
    if parts is None:
        return ()
    try:
        with zipfile.ZipFile(source.path) as archive:
            names = set(archive.namelist())
            body = archive.read(parts[0]).decode("utf-8", "replace") if parts[0] in names else ""
            comments = parts[1] in names and parts[1] != parts[0]
    except (zipfile.BadZipFile, OSError):
        return ()
    found = []
    if re.search(r"<w:(?:ins|del)\b|<text:tracked-changes\b", body):
        found.append("tracked changes were present; the text has every change accepted")
    if comments or re.search(r"<w:commentReference\b|<office:annotation\b", body):
        found.append("comments were present; they are not in the text")
    return tuple(found)


def clean_blocks(blocks: list[Any], title: str | None, french: bool = True) -> list[Any]:
    """Keep what a reader sees: unwrap divs and anchors, drop a repeated title, French spacing.

    Word processors and e-book tools wrap text in sections, title blocks and
    empty anchors; in canonical Markdown those would only be noise for
    translators.
    """
    out: list[Any] = []
    for block in blocks:
        if block.get("t") == "Div":
            attributes, inner = block["c"]
            if attributes[0] != "title-block-header":
                out.extend(clean_blocks(inner, None, french))
            continue
        out.append(_clean(block, french))
    first = out[0] if out else {}
    if title and first.get("t") == "Header" and _inline_text(first["c"][2]).strip() == title:
        out = out[1:]
    return out


def _clean(node: Any, french: bool = True) -> Any:
    """Recursively clean nested block and inline lists."""
    if isinstance(node, dict):
        return {key: _clean(value, french) for key, value in node.items()}
    if not isinstance(node, list):
        return node
    if node and all(isinstance(item, dict) and item.get("t") in _INLINES for item in node):
        inlines = _unwrap_spans([_clean(item, french) for item in node])
        return _french_inlines(inlines) if french else inlines
    if node and all(isinstance(item, dict) and "t" in item for item in node):
        return clean_blocks(node, None, french) if any(i.get("t") == "Div" for i in node) else [
            _clean(item, french) for item in node]
    return [_clean(item, french) for item in node]


_INLINES = {"Str", "Space", "SoftBreak", "LineBreak", "Emph", "Strong", "Underline", "Strikeout",
            "Superscript", "Subscript", "SmallCaps", "Quoted", "Cite", "Code", "Math",
            "RawInline", "Link", "Image", "Note", "Span"}


def _unwrap_spans(inlines: list[Any]) -> list[Any]:
    """Anchors (``[]{#id}``) vanish; spans with no class keep only their content."""
    out: list[Any] = []
    for item in inlines:
        if item.get("t") == "Span" and not item["c"][0][1]:
            out.extend(item["c"][1])
        else:
            out.append(item)
    return out


def _french_inlines(inlines: list[Any]) -> list[Any]:
    """French spacing across pandoc's Str/Space tokens."""
    out: list[Any] = []
    for index, item in enumerate(inlines):
        following = inlines[index + 1] if index + 1 < len(inlines) else {}
        before = out[-1] if out else {}
        if item.get("t") == "Str":
            out.append({"t": "Str", "c": typography.french(item["c"])})
        elif item.get("t") == "Space" and (
            (following.get("t") == "Str" and following["c"][:1] == "»")
            or (before.get("t") == "Str" and before["c"].endswith(("«", "«" + typography.NNBSP)))
        ):
            continue  # the guillemet's own Str carries its narrow space: never two
        elif item.get("t") == "Space" and (
            (following.get("t") == "Str" and following["c"][:1] in (";", ":", "!", "?", "»"))
            or (before.get("t") == "Str" and before["c"].endswith("«"))
        ):
            out.append({"t": "Str", "c": typography.NNBSP})
        else:
            out.append(item)
    return out


def _pandoc(path: Path, fmt: str, to: str, *extra: str) -> str:
    import pypandoc

    reader = MARKDOWN_READER if fmt == "markdown" else fmt
    try:
        return pypandoc.convert_file(str(path), to, format=reader,
                                     extra_args=[*WRITER_ARGS, SANDBOX, *extra])
    except RuntimeError as error:
        message = str(error).strip().splitlines()[-1] if str(error).strip() else "pandoc failed"
        message = re.sub(r'^Pandoc died with exitcode "\d+" during conversion: ', "", message)
        raise ConversionError(f"pandoc cannot read this {fmt} file: {message}", path) from None


def _pandoc_text(text: str, fmt: str, to: str, path: Path | None = None) -> str:
    """Pandoc over ``text``; a warning that text is dropped ("… not used") is an error."""
    import pypandoc

    warnings = _Warnings()
    logger = logging.getLogger("pypandoc")
    logger.addHandler(warnings)
    try:
        out = pypandoc.convert_text(text, to, format=fmt,
                                    extra_args=[*WRITER_ARGS, SANDBOX, *PANDOC_RTS])
    except RuntimeError as error:
        raise ConversionError(f"pandoc failed: {str(error).strip()}", path) from None
    finally:
        logger.removeHandler(warnings)
    lost = [m for m in warnings.messages if "not used" in m]
    if lost:
        raise ConversionError(f"a note would be lost: {lost[0]}", path)
    return out


class _Warnings(logging.Handler):
    """pypandoc logs pandoc's warnings; collect them."""

    def __init__(self) -> None:
        super().__init__(logging.WARNING)
        self.messages: list[str] = []

    def emit(self, record: logging.LogRecord) -> None:
        self.messages += [line for line in record.getMessage().splitlines() if line.strip()]


def _stringify(value: dict[str, Any]) -> Any:
    """Pandoc metadata (MetaInlines, MetaString, MetaList ...) as plain Python values."""
    kind, content = value.get("t"), value.get("c")
    if kind in ("MetaString", "MetaBool"):
        return content
    if kind == "MetaList":
        return [_stringify(item) for item in content]
    if kind == "MetaMap":
        return {k: _stringify(v) for k, v in content.items()}
    if kind in ("MetaInlines", "MetaBlocks"):
        return _inline_text(content).strip()
    return None


def _inline_text(nodes: Any) -> str:
    if isinstance(nodes, list):
        return "".join(_inline_text(node) for node in nodes)
    if not isinstance(nodes, dict):
        return ""
    kind, content = nodes.get("t"), nodes.get("c")
    if kind == "Str":
        return content
    if kind in ("Space", "SoftBreak", "LineBreak"):
        return " "
    if kind == "Para" or kind == "Plain":
        return _inline_text(content) + " "
    if kind in ("Link", "Image", "Span", "Quoted", "Cite"):
        return _inline_text(content[-2] if kind in ("Link", "Image") else content[-1])
    return _inline_text(content)


def normalise(markdown: str, chunk: int | None = None) -> str:
    """Pandoc's Markdown writer over ``markdown``: the one canonical layout, nothing unsafe.

    Past ``chunk`` characters the text goes through pandoc in pieces (see
    :func:`_normalise_in_chunks`): pandoc needs about 200 times its input in
    memory, so one 10 MB text took 2.1 GB.
    """
    chunk = chunk or CHUNK_CHARS
    if len(markdown) > chunk:
        return _normalise_in_chunks(markdown, chunk)
    return _rewrite(markdown).rstrip("\n") + "\n"


# What could give the syntax tree something strip_unsafe removes: raw HTML or an
# autolink other than http(s)/mailto, an inline link, an image, an attribute
# list, a reference definition (a note's own "[^12]:" is not one). Text without
# any of them goes through one pandoc run instead of two and a JSON round trip.
_MAYBE_UNSAFE = re.compile(
    r"<(?!https?://|mailto:)|\]\(|!\[|\{|(?<!^\[\^\d)(?<!^\[\^\d\d)(?<!^\[\^\d\d\d)\]:", re.M)


def _rewrite(markdown: str) -> str:
    """One pandoc round trip: read as Markdown, drop what is unsafe, write the canonical layout.

    Paragraphs that pandoc writes back unchanged are set aside first (see
    :func:`_set_aside`): pandoc reads about 4 µs a character, and most of a
    text's characters are in such paragraphs.
    """
    compact, kept = _set_aside(markdown)
    if not _MAYBE_UNSAFE.search(compact):
        written = _pandoc_text(compact, MARKDOWN_READER, WRITER).rstrip("\n") + "\n"
    else:
        written = _rewrite_via_ast(compact)
    restored = _put_back(written, kept)
    return restored if restored is not None else _rewrite_via_ast(markdown)


# A paragraph of one line, opening with a letter or a digit (not a list marker such as
# "a.", "IV)" or "3.", not a "Table:" caption), made of letters, digits, ordinary
# punctuation and single spaces: pandoc's Markdown writer gives it back byte for byte, and what is
# around it reads the same whatever such a paragraph says (checked by Hypothesis in
# tests/test_convert.py, against the syntax-tree route that sets nothing aside).
_AS_IS_CHAR = r"""[^\W_]|[,.;:!?'’‘«»“”"()%/–—…-]"""
_AS_IS = re.compile(rf"(?!(?:[A-Za-z]{{1,4}}|\d+)[.)](?:\s|$)|[Tt]able:)[^\W_]"
                    rf"(?:{_AS_IS_CHAR}|[ \u00a0\u202f](?={_AS_IS_CHAR}))*")
# An autolink pandoc writes back as it is: a host name and a path of plain characters,
# between spaces or simple punctuation (such a paragraph is set aside too).
_PLAIN_AUTOLINK = re.compile(
    r"(?:(?<=^)|(?<=[ (\u00a0\u202f]))<https?://[A-Za-z0-9](?:[A-Za-z0-9-]*[A-Za-z0-9])?"
    r"(?:\.[A-Za-z0-9](?:[A-Za-z0-9-]*[A-Za-z0-9])?)+(?:/[A-Za-z0-9._~/-]*)?>"
    r"(?=$|[ ,.;:)\u00a0\u202f])")
_BLANK = re.compile(r"[ \t]*")


def _as_is(line: str) -> bool:
    """Whether pandoc writes this line, alone as a paragraph, back unchanged."""
    return bool(_AS_IS.fullmatch(line) or (
        "<" in line and _AS_IS.fullmatch(_PLAIN_AUTOLINK.sub("link", line))))


@dataclass(frozen=True)
class _Kept:
    """Paragraphs set aside, and the token that stands for each in pandoc's input."""

    token: str  # "Zk<random>n"; paragraph i is written "Zk<random>n<i>z"
    paragraphs: tuple[str, ...]


def _set_aside(markdown: str) -> tuple[str, _Kept]:
    """``markdown`` with each paragraph pandoc would write unchanged replaced by a token.

    The token is itself such a paragraph, so pandoc reads the blocks around it
    as it would around the paragraph; it carries a random part that no source
    can guess, and :func:`_put_back` puts the paragraphs back.
    """
    token = f"Zk{secrets.token_hex(6)}n"
    lines = markdown.split("\n")
    kept: list[str] = []
    for index, line in enumerate(lines):
        if (_as_is(line)
                and (index == 0 or _BLANK.fullmatch(lines[index - 1]))
                and (index + 1 == len(lines) or _BLANK.fullmatch(lines[index + 1]))):
            lines[index] = f"{token}{len(kept)}z"
            kept.append(line)
    return ("\n".join(lines) if kept else markdown), _Kept(token, tuple(kept))


def _put_back(written: str, kept: _Kept) -> str | None:
    """Pandoc's output with each token replaced by its paragraph; None if any is not there once.

    A token must come back as a line of its own: in a table cell (a multiline
    table's row looks like a paragraph) pandoc pads the cells to the token's
    width, not the paragraph's, so the text goes to pandoc whole instead.
    """
    if not kept.paragraphs:
        return written
    found: list[int] = []

    def paragraph(match: re.Match[str]) -> str:
        found.append(int(match.group(1)))
        return kept.paragraphs[int(match.group(1))] if found[-1] < len(kept.paragraphs) else ""

    restored = re.sub(rf"^{kept.token}(\d+)z$", paragraph, written, flags=re.M)
    return restored if sorted(found) == list(range(len(kept.paragraphs))) else None


def _rewrite_via_ast(markdown: str) -> str:
    """:func:`_rewrite` through pandoc's syntax tree, cleaned by :func:`strip_unsafe`."""
    ast = json.loads(_pandoc_text(markdown, MARKDOWN_READER, "json"))
    ast["blocks"] = strip_unsafe(ast["blocks"])
    body = _pandoc_text(json.dumps(ast), "json", WRITER)
    return body.rstrip("\n") + "\n"


_FENCE = re.compile(r"^(```|~~~)")
_NOTE_DEF = re.compile(r"^\[\^([^\]\s]+)\]:")
_NOTE_REF = re.compile(r"\[\^([^\]\s]+)\]")
_WRITTEN_NOTE = re.compile(r"(?<!\\)\[\^(\d+)\]")


def _blocks(markdown: str) -> list[str]:
    """Blank-line separated blocks; a fenced code block stays one block."""
    blocks, current, fenced = [], [], False
    for line in markdown.split("\n"):
        if _FENCE.match(line):
            fenced = not fenced
        if not line.strip() and not fenced:
            if current:
                blocks.append("\n".join(current))
                current = []
            continue
        current.append(line)
    if current:
        blocks.append("\n".join(current))
    return blocks


def _split_notes(blocks: list[str]) -> tuple[list[str], dict[str, str]]:
    """Body blocks, and footnote definitions by label (with their indented continuations)."""
    body, notes, label = [], {}, None
    for block in blocks:
        match = _NOTE_DEF.match(block)
        if match:
            label = match.group(1)
            notes[label] = block
        elif label is not None and block.startswith(("    ", "\t")):
            notes[label] += "\n\n" + block
        else:
            label = None
            body.append(block)
    return body, notes


# A block that reads the same alone as after anything: a paragraph starting with a
# letter (not a list marker like "a." or "IV)", not a "Table:" caption) or a heading.
_CUT_BEFORE = re.compile(r"^(?!(?:[A-Za-z]{1,4}[.)]|Table:)(?:\s|$))[^\W\d_]|^#{1,6} ")


def _pieces(body: list[str], chunk: int) -> list[list[str]]:
    """Runs of blocks of about ``chunk`` characters, cut only where pandoc reads the
    same blocks in two pieces as in one (before a paragraph or a heading)."""
    pieces, current, size = [], [], 0
    for block in body:
        if current and size >= chunk and _CUT_BEFORE.match(block):
            pieces.append(current)
            current, size = [], 0
        current.append(block)
        size += len(block) + 2
    return [*pieces, current] if current else pieces


def _normalise_in_chunks(markdown: str, chunk: int) -> str:
    """:func:`normalise` piece by piece, in bounded memory, with the same result.

    Each piece is sent with the footnote definitions it refers to; pandoc
    numbers a piece's notes from 1, so they are renumbered after the notes
    of the pieces before, and all definitions go to the end, as pandoc does.
    Pandoc takes about 3 s of CPU a megabyte, most of a large conversion, so
    the pieces are written in parallel, one pandoc process a core.
    """
    body, notes = _split_notes(_blocks(markdown))
    sources, counts = [], []
    for piece in _pieces(body, chunk):
        text = "\n\n".join(piece)
        used = dict.fromkeys(m.group(1) for m in _NOTE_REF.finditer(text) if m.group(1) in notes)
        sources.append("\n\n".join([text, *(notes[label] for label in used)]))
        counts.append(len(used))
    with ThreadPoolExecutor(max_workers=os.cpu_count() or 1) as pool:
        outputs = list(pool.map(_rewrite, sources))
    texts, definitions, offset = [], [], 0
    for written, used in zip(outputs, counts, strict=True):
        written = written.rstrip("\n")
        start = re.search(r"^\[\^1\]: ", written, re.MULTILINE) if used else None
        main, defs = (written[:start.start()], written[start.start():]) if start else (written, "")

        def renumber(match: re.Match[str], shift: int = offset) -> str:
            return f"[^{int(match.group(1)) + shift}]"

        texts.append(_WRITTEN_NOTE.sub(renumber, main).rstrip("\n"))
        if defs:
            definitions.append(_WRITTEN_NOTE.sub(renumber, defs).rstrip("\n"))
        offset += used
    return "\n\n".join(t for t in [*texts, *definitions] if t) + "\n"


def convert_all(config: Config) -> list[Converted]:
    """Convert every source, then write ``build/markdown/fr/<slug>.md`` for each.

    Nothing is written unless every source converts, and unchanged files are
    not rewritten.
    """
    results = [_converted_before(config, source) or _convert_naming(source)
               for source in find_sources(config)]
    for result in results:
        write_text(config.markdown_path(config.source, result.source.slug), result.markdown)
        for name, data in result.media:
            write_bytes(config.build_dir / name, data)
    prune(config, {result.source.slug for result in results})
    for result in results:
        _stamp(config, result.source).record(_key(config, result.source), list(result.warnings))
    return results


def _stamp(config: Config, source: Source) -> stamps.Stamp:
    return stamps.Stamp(config.build_dir, "convert", source.slug)


def _key(config: Config, source: Source) -> str:
    """What a conversion reads and writes: the source, its metadata, its Markdown and media."""
    return stamps.key_of([source.path, source.path.with_name(source.path.stem + ".meta.yml"),
                          config.markdown_path(config.source, source.slug),
                          config.build_dir / "media" / source.slug], source.relative,
                         stamps.tools("convert"))


def _converted_before(config: Config, source: Source) -> Converted | None:
    """The Markdown already written for this very source by this very lisible: no pandoc run."""
    warnings = _stamp(config, source).fresh(_key(config, source))
    if warnings is None:
        return None
    markdown = config.markdown_path(config.source, source.slug).read_text("utf-8")
    return Converted(source, markdown, 0.0, (), tuple(warnings) if warnings is not True else ())


def _convert_naming(source: Source) -> Converted:
    """:func:`convert_source`, with every failure naming the source it is about."""
    try:
        return convert_source(source)
    except ConversionError as error:
        if error.path is None:
            raise ConversionError(error.message, source.path) from None
        raise


def prune(config: Config, slugs: set[str]) -> list[Path]:
    """Remove what later stages would read for documents whose source is gone.

    The PDF and site stages publish every ``build/markdown/<code>/<slug>.md``
    and the catalogue stages work on every ``locales/<slug>.pot``: left
    behind, they kept a deleted text published (and a bad name such as
    ``.md`` broke every later build). Templates are rebuilt from the source
    if it comes back; catalogues (``locales/<code>/<slug>.po``), a
    translator's work, are never removed.
    """
    removed = []
    for lang in config.languages:
        folder = config.markdown_dir(lang)
        removed += [p for p in folder.glob("*.md") if p.stem not in slugs or p.name[0] == "."]
    removed += [p for p in config.locales_dir.glob("*.pot") if p.stem not in slugs
                or p.name[0] == "."]
    for path in removed:
        path.unlink(missing_ok=True)
    stamps.prune(config.build_dir, slugs)
    media = config.build_dir / "media"
    for folder in sorted(media.iterdir()) if media.is_dir() else []:
        if folder.is_dir() and folder.name not in slugs:
            shutil.rmtree(folder)
            removed.append(folder)
    return removed
