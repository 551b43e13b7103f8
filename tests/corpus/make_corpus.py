"""Write the corpus sources (``*.typ``) and their truth files (``*.truth.json``).

Run from the repository root: ``.venv/bin/python tests/corpus/make_corpus.py``.
The sources and truth files are committed; the tests typeset the PDFs with typst
each run (about 0.1 s a document). The truth is what a careful reader of the PDF
would write down: paragraph starts, headings as printed (with their numbers),
the text of every note, every word broken at a line end (as it must be read),
the page furniture that must not reach the text, and the table's cells.

Hyphenated words are read from the typeset PDF with poppler's ``pdftotext``
(lines ending in a hyphen), then checked against the source: a word the source
writes with a hyphen keeps it ("Bruxelles-Capitale"), any other loses it.
"""

from __future__ import annotations

import itertools
import json
import re
import subprocess
import sys
from dataclasses import dataclass, field
from pathlib import Path

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE))

from texts import FR, HEADINGS_FR, HEADINGS_NL, NL, TABLE_FR, TABLE_NL  # noqa: E402

LIGATURES = {"ffi": "\ufb03", "ffl": "\ufb04", "ff": "\ufb00", "fi": "\ufb01", "fl": "\ufb02"}


@dataclass(frozen=True)
class Layout:
    name: str
    lang: str
    header: str  # running header text
    footer: str  # typst numbering pattern for the page footer, e.g. "1 / 1"
    footer_words: str  # how the footer reads, with {n} and {total}
    columns: int = 1
    indent: bool = True  # paragraphs by first-line indent, else by spacing
    numbered: bool = True  # numbered headings
    bold_headings: bool = False  # headings in bold at body size (weight only)
    font: str = "Libertinus Serif"
    ligature_chars: bool = False  # the PDF's text layer gives U+FB01 ... (as many PDFs do)
    table: list[list[str]] = field(default_factory=list)
    width: str = "12cm"
    height: str = "16cm"
    title: str = ""  # a title block on page 1, bigger than any heading
    lists: bool = False  # a bulleted list and a level-2 heading in section 3
    justify: bool = True
    reset_notes: bool = True  # note numbers restart on each page
    header_on_first: bool = True


LAYOUTS = [
    Layout("fr-rapport", "fr", "Collectif lisible — Accès aux droits", "1 / 1", "{n} / {total}"),
    Layout("nl-verslag", "nl", "Collectief lisible — Toegang tot rechten", "1",
           "Pagina {n}", font="New Computer Modern"),
    Layout("fr-colonnes", "fr", "Bulletin des associations, numéro 12", "1", "page {n}",
           columns=2, indent=False, width="17cm", height="20cm"),
    Layout("nl-kolommen", "nl", "Nieuwsbrief van de verenigingen, nummer 12", "1 / 1",
           "{n} / {total}", columns=2, font="New Computer Modern", width="17cm", height="20cm"),
    Layout("fr-tableau", "fr", "Note de synthèse — permanences sociales", "1", "– {n} –",
           numbered=False, bold_headings=True, table=TABLE_FR),
    Layout("nl-tabel", "nl", "Synthesenota — sociale permanenties", "1", "Pagina {n}",
           numbered=False, bold_headings=True, indent=False, table=TABLE_NL),
    Layout("fr-ligatures", "fr", "Lettre ouverte aux communes", "1 / 1", "{n} / {total}",
           ligature_chars=True, font="New Computer Modern"),
    Layout("nl-ligaturen", "nl", "Open brief aan de gemeenten", "1", "page {n}",
           columns=2, ligature_chars=True, width="17cm", height="20cm"),
    # Written after the reader was tuned on the eight above: held out.
    Layout("fr-these", "fr", "Accès aux droits et numérique", "i", "{roman}",
           font="New Computer Modern", title="Le numérique et l’accès aux droits sociaux",
           lists=True, reset_notes=False, header_on_first=False, width="14.8cm", height="21cm"),
    Layout("nl-folder", "nl", "Folder van het collectief", "1", "Pagina {n}", indent=False,
           numbered=False, lists=True, justify=False, title="Toegang tot rechten voor iedereen"),
]

LIST_FR = ["un guichet ouvert à des heures compatibles avec le travail ;",
           "un numéro de téléphone qui répond réellement, même le samedi matin et pendant les "
           "vacances scolaires, sans attente interminable ;",
           "la possibilité d’envoyer un courrier postal."]
LIST_NL = ["een loket dat open is op uren die met werk te combineren zijn;",
           "een telefoonnummer dat echt opneemt, ook op zaterdagochtend en tijdens de "
           "schoolvakanties, zonder eindeloos wachten;",
           "de mogelijkheid om een brief per post te sturen."]
SUB_FR, SUB_NL = "Un accès non numérique", "Een niet-digitale toegang"

_NOTE = re.compile(r"\{\{(.*?)\}\}")


def typst_escape(text: str) -> str:
    return re.sub(r"([\\#*_$@<>\[\]`~])", r"\\\1", text)


def ligatures(text: str) -> str:
    for plain, ligature in LIGATURES.items():
        text = text.replace(plain, ligature)
    return text


def paragraph_markup(text: str, layout: Layout) -> str:
    pieces, position = [], 0
    for match in _NOTE.finditer(text):
        pieces.append(typst_escape(text[position:match.start()]))
        pieces.append(f"#footnote[{typst_escape(match.group(1))}]")
        position = match.end()
    pieces.append(typst_escape(text[position:]))
    markup = "".join(pieces)
    return ligatures(markup) if layout.ligature_chars else markup


def structure(layout: Layout) -> list[tuple[str, object]]:
    """Headings, paragraphs and the table, in reading order."""
    paragraphs = FR if layout.lang == "fr" else NL
    headings = HEADINGS_FR if layout.lang == "fr" else HEADINGS_NL
    cuts = [0, 2, 5, 7, 9, 12]
    items: list[tuple[str, object]] = []
    for index, heading in enumerate(headings):
        items.append(("heading", heading))
        for paragraph in paragraphs[cuts[index]:cuts[index + 1]]:
            items.append(("paragraph", paragraph))
        if index == 1 and layout.table:
            items.append(("table", layout.table))
        if index == 2 and layout.lists:
            items.append(("subheading", SUB_FR if layout.lang == "fr" else SUB_NL))
            items += [("item", text) for text in (LIST_FR if layout.lang == "fr" else LIST_NL)]
    return items


def preamble(layout: Layout) -> str:
    columns = f", columns: {layout.columns}" if layout.columns > 1 else ""
    footer = (f'context align(center, text(size: 8pt, counter(page).display("{layout.footer}",'
              f' both: true)))') if "/" in layout.footer else (
        f"context align(center, text(size: 8pt, [{_footer_markup(layout)}]))")
    heading_rule = ('#show heading: it => block(above: 1.2em, below: 0.8em, text(size: 10pt, '
                    'weight: "bold", it.body))\n') if layout.bold_headings else (
        '#show heading: set text(size: 13pt)\n')
    reset = "counter(footnote).update(0); " if layout.reset_notes else ""
    first = "if counter(page).get().first() > 1 " if not layout.header_on_first else ""
    indent = "first-line-indent: 1.2em, spacing: 0.65em" if layout.indent else (
        "first-line-indent: 0pt, spacing: 1.1em")
    return (
        f"// Corpus document {layout.name}: generated by make_corpus.py, do not edit.\n"
        f'#set page(width: {layout.width}, height: {layout.height}, '
        f'margin: (x: 1.8cm, top: 2.2cm, bottom: 2cm){columns},\n'
        f'  header: context {{ {reset}'
        f'{first}{{ align(right, text(size: 8pt)[{typst_escape(layout.header)}]) }} }},\n'
        f'  footer: {footer})\n'
        f'#set text(font: "{layout.font}", lang: "{layout.lang}", size: 10pt, '
        f'hyphenate: {str(layout.justify).lower()})\n'
        f"#set par(justify: {str(layout.justify).lower()}, {indent})\n"
        + ('#set heading(numbering: "1.1.")\n' if layout.numbered else "")
        + heading_rule
        + "#set super(typographic: false)\n"  # raised small digits, as Word and LaTeX print them
        + "#set footnote.entry(separator: line(length: 30%, stroke: 0.5pt))\n"
        + "#show footnote.entry: set text(size: 8pt)\n\n"
    )


def _footer_markup(layout: Layout) -> str:
    words = layout.footer_words.replace("{n}", "#counter(page).display()")
    return words.replace("{roman}", '#counter(page).display("i")')


def source(layout: Layout) -> str:
    out = [preamble(layout)]
    if layout.title:
        out.append(f'#align(center, text(size: 18pt, weight: "bold")[{typst_escape(layout.title)}])'
                   "\n#v(1em)\n")
    for kind, value in structure(layout):
        if kind == "heading":
            out.append(f"= {value}\n")
        elif kind == "subheading":
            out.append(f"== {value}\n")
        elif kind == "item":
            out.append(f"- {paragraph_markup(str(value), layout)}")
        elif kind == "paragraph":
            out.append(paragraph_markup(str(value), layout) + "\n")
        else:
            rows = value
            cells = ", ".join(f"[{typst_escape(c)}]" for row in rows for c in row)
            out.append(f"#table(columns: {len(rows[0])}, stroke: none, align: left, {cells})\n")
    return "\n".join(out)


def truth(layout: Layout, pdf: Path) -> dict[str, object]:
    items = structure(layout)
    paragraphs = [_NOTE.sub("", str(v)) for k, v in items if k in ("paragraph", "item")]
    headings, number, sub = [], 0, 0
    for kind, value in items:
        if kind == "heading":
            number, sub = number + 1, 0
            headings.append(f"{number}. {value}" if layout.numbered else str(value))
        elif kind == "subheading":
            sub += 1
            headings.append(f"{number}.{sub}. {value}" if layout.numbered else str(value))
    notes = [m for _, v in items if _ == "paragraph" for m in _NOTE.findall(str(v))]
    table = next((v for k, v in items if k == "table"), [])
    pages = _pdf_pages(pdf)
    furniture = [layout.header]
    for page in range(1, len(pages) + 1):
        if "{roman}" not in layout.footer_words:  # "i", "ii": too short to look for
            furniture.append(layout.footer_words.format(n=page, total=len(pages)))
    flat = " ".join(paragraphs + notes)
    return {
        "lang": layout.lang,
        "title": layout.title,
        "pages": len(pages),
        "paragraphs": [" ".join(p.split()[:6]) for p in paragraphs],
        "headings": headings,
        "notes": notes,
        "hyphens": _hyphenated(pages, flat),
        "furniture": furniture,
        "table": table,
    }


def _pdf_pages(pdf: Path) -> list[str]:
    text = subprocess.run(["pdftotext", "-enc", "UTF-8", str(pdf), "-"], check=True,
                          capture_output=True, text=True).stdout
    return [page for page in text.split("\f") if page.strip()]


def _hyphenated(pages: list[str], flat: str) -> list[str]:
    """Words broken at a line end, as they must be read."""
    found = []
    for page in pages:
        lines = [ligatures_back(line.strip()) for line in page.splitlines()]
        for line, following in itertools.pairwise(lines):
            if not line.endswith(("\u00ad", "-")) or not following:
                continue
            head = re.findall(r"[\w’'@.-]+$", line[:-1])
            tail = re.findall(r"^[\w’'@.-]+", following)
            if not head or not tail:
                continue
            whole_tail = tail[0].rstrip(".")
            hyphenated = f"{head[0]}-{whole_tail}"
            if re.search(rf"(?<![\w-]){re.escape(hyphenated)}", flat):
                found.append(hyphenated)
            elif re.search(rf"(?<![\w-]){re.escape(head[0] + whole_tail)}", flat):
                found.append(head[0] + whole_tail)
    return found


def ligatures_back(text: str) -> str:
    for plain, ligature in LIGATURES.items():
        text = text.replace(ligature, plain)
    return text


def main() -> None:
    import tempfile

    import typst

    for layout in LAYOUTS:
        typ = HERE / f"{layout.name}.typ"
        typ.write_text(source(layout), "utf-8")
        with tempfile.TemporaryDirectory() as tmp:
            pdf = Path(tmp) / f"{layout.name}.pdf"
            typst.compile(str(typ), output=str(pdf))
            data = truth(layout, pdf)
        (HERE / f"{layout.name}.truth.json").write_text(
            json.dumps(data, ensure_ascii=False, indent=1) + "\n", "utf-8")
        print(layout.name, data["pages"], "pages,", len(data["hyphens"]), "hyphens")


if __name__ == "__main__":
    main()
